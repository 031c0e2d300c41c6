"""Pages kbgen adds to the site, and the data each page's template receives."""

from __future__ import annotations

import html as html_lib
from collections.abc import Iterator
from typing import Any

from kbgen import site_data, stats_file, theme_strings
from kbgen.content import ContentSite, languages
from kbgen.content.inline import strip_tags
from kbgen.content.revisions import article_revision
from kbgen.events.schema import REASON_LABELS

HOME = "index.md"
CONTACT = "contact.md"
SEARCH = "search.md"

# toc's permalink; a link inside <summary> is a control inside a control (axe nested-interactive).
_PERMALINK = '<a class="headerlink"'


def page_language(site: ContentSite, src_uri: str) -> tuple[str, str]:
    """(language, src_uri within it) of a page: "de/index.md" -> ("de", "index.md"); a
    translation keeps its own file. The default language is ""."""
    translation = site.all_by_src.get(src_uri)
    if translation is not None and translation.is_translation:
        return translation.lang, src_uri
    head, _, rest = src_uri.partition("/")
    if rest and head in site.other_languages:
        return head, rest
    return "", src_uri


def _nav_entries(site: ContentSite, lang: str, drafts: bool) -> list[tuple[str, str]]:
    """(title, src_uri within the language) of the sidebar's entries: home, one per category
    (the language's own), contact; the nav stays small at any number of articles."""
    t = theme_strings.translator(lang or site.default_language)
    entries = [(t("Home"), HOME)]
    entries += [(c.title, f"{c.slug}/index.md") for c in site.view(lang).used_categories(drafts)]
    entries.append((t("Contact support"), CONTACT))
    return entries


def navigation(site: ContentSite, drafts: bool) -> list[dict[str, str]]:
    """MkDocs' nav: the default language's sidebar entries."""
    return [{title: uri} for title, uri in _nav_entries(site, "", drafts)]


def language_navigation(site: ContentSite, lang: str, src_uri: str, drafts: bool
                        ) -> list[dict[str, Any]]:
    """The sidebar's links in a page's language (MkDocs has one nav, in the default
    language's words and URLs): `_nav_entries` with their URLs under /<lang>/; `active` on
    the page's own entry or, on an article, its category's; `current` on the page's own
    entry only."""
    view = site.view(lang)
    prefix = f"{lang}/" if lang else ""
    article = view.all_by_src.get(src_uri) if lang else view.by_src.get(src_uri)
    here = f"{article.category}/index.md" if article is not None else src_uri
    return [{"title": title, "url": prefix + (uri[: -len("index.md")]
                                              if uri.endswith("index.md") else
                                              uri[: -len(".md")] + "/"),
             "active": uri == here, "current": uri == src_uri}
            for title, uri in _nav_entries(site, lang, drafts)]


def generated(site: ContentSite, drafts: bool) -> dict[str, str]:
    """src_uri -> Markdown of the pages kbgen generates (their body comes from templates):
    home, search, contact and category pages, in each language ("de/index.md", ...)."""
    files: dict[str, str] = {}
    for lang in ("", *site.other_languages):
        t = theme_strings.translator(lang or site.default_language)
        view = site.view(lang)
        prefix = f"{lang}/" if lang else ""
        files[prefix + HOME] = _page(
            t("Help Center"), t("Answers to common questions, guides and troubleshooting."),
            "kbgen/home.html", hide="[navigation, toc]")
        files[prefix + SEARCH] = _page(t("Search"), t("Search the help center."),
                                       "kbgen/search.html")
        files[prefix + CONTACT] = _page(t("Contact support"),
                                        t("Tell us what you need help with."),
                                        "kbgen/contact.html")
        for cat in view.used_categories(drafts):
            files[f"{prefix}{cat.slug}/index.md"] = _page(
                cat.title, cat.description or t("Help articles about {title}.",
                                                title=cat.title.lower()),
                "kbgen/category.html")
    return files


def _page(title: str, description: str, template: str, hide: str = "[toc]") -> str:
    """Front matter only. The home page hides the sidebar too: its topics are on the page."""
    quote = site_data.script_json  # JSON strings are valid YAML scalars
    return (f"---\ntitle: {quote(title)}\ndescription: {quote(description)}\n"
            f"template: {template}\nhide: {hide}\n---\n")


def collapsible_faq(html: str) -> tuple[str, dict[str, str]]:
    """Wrap each question (`<h2>`) and its answer in <details>; return answer texts by anchor.

    The page holds writers' raw HTML, so it is searched with str.find, each part once: a
    thousand unclosed `<h2 id="x">` must not make every one of them look for its end.
    """
    questions = list(_questions(html))
    if not questions:
        return html, {}
    out = [html[: questions[0][0]]]
    answers = {}
    for number, (start, end, anchor) in enumerate(questions):
        stop = questions[number + 1][0] if number + 1 < len(questions) else len(html)
        answer = html[end:stop]
        answers[anchor] = " ".join(html_lib.unescape(strip_tags(answer, " ")).split())
        question = _without_permalinks(html[start:end])
        out.append(
            f'<details class="kb-faq">\n<summary>{question}</summary>\n'
            f'<div class="kb-faq__answer">{answer}</div>\n</details>\n'
        )
    return "".join(out), answers


def _questions(html: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, id) of each `<h2 ... id="..."> ... </h2>`, in order."""
    i = html.find("<h2")
    while i != -1:
        tag_end = html.find(">", i)
        if tag_end == -1:
            return
        anchor = _id_attribute(html, i + 3, tag_end) if html[i + 3] in " \t\n>" else None
        if anchor is None:  # nor has any "<h2" before this tag's ">"
            i = html.find("<h2", tag_end)
            continue
        close = html.find("</h2>", tag_end)
        if close == -1:
            return
        yield i, close + len("</h2>"), anchor
        i = html.find("<h2", close)


def _id_attribute(html: str, start: int, end: int) -> str | None:
    i = html.find('id="', start, end)
    while i != -1:
        value_end = html.find('"', i + 4)
        if html[i - 1] in " \t\n" and value_end > i + 4:
            return html[i + 4 : value_end]
        i = html.find('id="', i + 4, end)
    return None


def _without_permalinks(question: str) -> str:
    out, last = [], 0
    i = question.find(_PERMALINK)
    while i != -1:
        close = question.find("</a>", i)
        if close == -1:
            break
        out.append(question[last:i])
        last = close + len("</a>")
        i = question.find(_PERMALINK, last)
    out.append(question[last:])
    return "".join(out)


def context(site: ContentSite, src_uri: str, config, updated: dict, related: dict,
            site_url: str, page_url: str, faq_answers: dict[str, str],
            stats: dict[str, stats_file.ArticleStats] | None = None,
            client: dict[str, Any] | None = None) -> dict[str, Any]:
    drafts = config.drafts
    lang, src_uri = page_language(site, src_uri)
    whole, site = site, site.view(lang)
    prefix = f"{lang}/" if lang else ""
    t = theme_strings.translator(lang or whole.default_language)
    data: dict[str, Any] = {
        "api_url": config.api_url.rstrip("/"),
        "contact_url": config.contact_url,
        "contact_page": prefix + "contact/",
        "home_page": prefix,
        "search_page": prefix + "search/",
        "lang": lang or whole.default_language,
        "t": t,
        "messages": theme_strings.script_messages(lang or whole.default_language),
        "languages": [],
        "alternates": [],
        "page_type": "other",
        "article": None,
        "jsonld": [],
        "reasons": [(value, t(label)) for value, label in REASON_LABELS.items()],
        "client": client or {},
        # kb-config's slug -> title: the help API's search results name categories by slug.
        "category_titles": {c.slug: c.title for c in site.used_categories(drafts)},
    }
    # Written `popular` first, then what deflected most (stats_file); the home page falls back
    # to the most linked articles, category pages show no popular list without evidence.
    popular = config.popular or stats_file.popular_ids(stats or {})
    if whole.languages:
        data["languages"], data["alternates"] = language_links(whole, lang, src_uri, drafts)
    data["nav"] = language_navigation(whole, lang, src_uri, drafts)
    if src_uri == HOME:
        data["page_type"] = "home"
        data["home"] = site_data.home(site, popular, updated, config.list_count, drafts)
        data["jsonld"] = [site_data.script_json(website_jsonld(site_url + prefix, page_url))]
    elif src_uri == CONTACT:
        data["page_type"] = "contact"
    elif src_uri == SEARCH:
        data["page_type"] = "search"
        data["categories"] = site_data.categories(site, drafts)
        data["popular"] = site_data.popular(site, popular, updated, config.list_count, drafts)
    elif src_uri.endswith("/index.md") and src_uri.count("/") == 1:
        data["page_type"] = "category"
        data["category"] = site_data.category(site, src_uri.split("/")[0], updated, drafts,
                                              popular, config.list_count)
        data["jsonld"] = [site_data.script_json(
            category_jsonld(data["category"]["title"], site_url + prefix, page_url,
                            t("Help Center")))]
    article = site.all_by_src.get(src_uri) if lang else site.by_src.get(src_uri)
    if article is None:
        return data
    date = updated.get(article.src)
    data.update(
        page_type=article.type,
        article={**site_data.summary(article, date), "rev": article_revision(article)},
        breadcrumbs=[{**crumb, "title": t(crumb["title"]), "url": prefix + crumb["url"]}
                     if not crumb["url"] else crumb
                     for crumb in site_data.breadcrumbs(site, article)],
        related=site_data.related(site, article, related.get(article.id), config.related_count,
                                  drafts),
        draft=article.status == "draft",
        helpful=stats_file.helpful_line((stats or {}).get(article.id), config.helpful_threshold),
        stale=_stale_notice(whole, article, t),
    )
    jsonld = site_data.article_jsonld(site, article, page_url, site_url, date)
    if article.type == "faq":
        jsonld.append(site_data.faq_jsonld(article, faq_answers, page_url))
    data["jsonld"] = [site_data.script_json(item) for item in jsonld]
    return data


def website_jsonld(site_url: str, page_url: str) -> dict[str, Any]:
    """The home page as a schema.org WebSite whose search box search engines may offer."""
    return {"@context": "https://schema.org", "@type": "WebSite", "url": page_url,
            "potentialAction": {"@type": "SearchAction",
                                "target": f"{site_url}search/?q={{search_term_string}}",
                                "query-input": "required name=search_term_string"}}


def category_jsonld(title: str, site_url: str, page_url: str,
                    home: str = "Help Center") -> dict[str, Any]:
    """Help Center > category, as on the page's breadcrumb trail."""
    crumbs = [(home, site_url), (title, page_url)]
    return {"@context": "https://schema.org", "@type": "BreadcrumbList",
            "itemListElement": [{"@type": "ListItem", "position": n, "name": name, "item": url}
                                for n, (name, url) in enumerate(crumbs, 1)]}


def language_links(site: ContentSite, lang: str, src_uri: str, drafts: bool
                   ) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The language switcher's entries (each language: its name, and the same page in it or
    None when it is not translated yet) and the hreflang alternates (pages that exist)."""
    article = site.all_by_src.get(src_uri)
    shown = ("published", "draft") if drafts else ("published",)
    urls: dict[str, str | None] = {}
    if article is not None:
        source = site.by_src.get(article.source_src) if article.is_translation else article
        versions = {site.default_language: source} if source else {}
        versions.update(site.translations_of(article.id))
        for code in site.languages:
            found = versions.get(code)
            urls[code] = found.url if found is not None and found.status in shown else None
    else:
        for code in site.languages:
            prefix = "" if code == site.default_language else f"{code}/"
            view = site.view(code)
            page = src_uri[: -len("index.md")] if src_uri.endswith("index.md") else \
                src_uri[: -len(".md")] + "/"
            slug = page.rstrip("/")
            exists = (not page or src_uri in (SEARCH, CONTACT)
                      or any(c.slug == slug for c in view.used_categories(drafts)))
            urls[code] = prefix + page if exists else None
    current = lang or site.default_language
    switcher = [{"lang": code, "name": theme_strings.name_of(code), "url": urls[code],
                 "current": code == current,
                 "missing": theme_strings.translator(code)("Not translated yet")}
                for code in site.languages]
    alternates = [{"lang": code, "url": url} for code, url in urls.items() if url is not None]
    if urls.get(site.default_language) is not None and len(alternates) > 1:
        alternates.append({"lang": "x-default", "url": urls[site.default_language] or ""})
    elif len(alternates) < 2:
        alternates = []
    return switcher, alternates


def _stale_notice(site: ContentSite, article, t) -> dict[str, str] | None:
    """On a translation whose source changed since: the notice and the current source."""
    if not article.is_translation or not site.languages:
        return None
    source = site.by_src.get(article.source_src)
    if source is None or not languages.is_stale(article, source):
        return None
    name = theme_strings.language_in(article.lang, site.default_language)
    return {"text": t("This translation is older than the original: the {language} original "
                      "has changed since it was translated.", language=name),
            "link": t("Read the current original"), "url": source.url,
            "lang": site.default_language}
