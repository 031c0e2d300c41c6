"""Pages kbgen adds to the site, and the data each page's template receives."""

from __future__ import annotations

import html as html_lib
from collections.abc import Iterator
from typing import Any

from kbgen import site_data, stats_file
from kbgen.content import ContentSite
from kbgen.content.inline import strip_tags
from kbgen.content.revisions import article_revision
from kbgen.events.schema import REASON_LABELS

HOME = "index.md"
CONTACT = "contact.md"
SEARCH = "search.md"

# toc's permalink; a link inside <summary> is a control inside a control (axe nested-interactive).
_PERMALINK = '<a class="headerlink"'


def navigation(site: ContentSite, drafts: bool) -> list[dict[str, str]]:
    """Home, one entry per category, contact: the nav stays small at any number of articles."""
    nav = [{"Home": HOME}]
    nav += [{c.title: f"{c.slug}/index.md"} for c in site.used_categories(drafts)]
    nav.append({"Contact support": CONTACT})
    return nav


def generated(site: ContentSite, drafts: bool) -> dict[str, str]:
    """src_uri -> Markdown of the pages kbgen generates (their body comes from templates)."""
    files = {
        HOME: _page("Help Center", "Answers to common questions, guides and troubleshooting.",
                    "kbgen/home.html", hide="[navigation, toc]"),
        SEARCH: _page("Search", "Search the help center.", "kbgen/search.html"),
        CONTACT: _page("Contact support", "Tell us what you need help with.",
                       "kbgen/contact.html"),
    }
    for cat in site.used_categories(drafts):
        files[f"{cat.slug}/index.md"] = _page(
            cat.title, cat.description or f"Help articles about {cat.title.lower()}.",
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
    data: dict[str, Any] = {
        "api_url": config.api_url.rstrip("/"),
        "contact_url": config.contact_url,
        "contact_page": "contact/",
        "page_type": "other",
        "article": None,
        "jsonld": [],
        "reasons": list(REASON_LABELS.items()),
        "client": client or {},
        # kb-config's slug -> title: the help API's search results name categories by slug.
        "category_titles": {c.slug: c.title for c in site.used_categories(drafts)},
    }
    # Written `popular` first, then what deflected most (stats_file); the home page falls back
    # to the most linked articles, category pages show no popular list without evidence.
    popular = config.popular or stats_file.popular_ids(stats or {})
    if src_uri == HOME:
        data["page_type"] = "home"
        data["home"] = site_data.home(site, popular, updated, config.list_count, drafts)
        data["jsonld"] = [site_data.script_json(website_jsonld(site_url, page_url))]
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
            category_jsonld(data["category"]["title"], site_url, page_url))]
    article = site.by_src.get(src_uri)
    if article is None:
        return data
    date = updated.get(article.src)
    data.update(
        page_type=article.type,
        article={**site_data.summary(article, date), "rev": article_revision(article)},
        breadcrumbs=site_data.breadcrumbs(site, article),
        related=site_data.related(site, article, related.get(article.id), config.related_count,
                                  drafts),
        draft=article.status == "draft",
        helpful=stats_file.helpful_line((stats or {}).get(article.id), config.helpful_threshold),
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


def category_jsonld(title: str, site_url: str, page_url: str) -> dict[str, Any]:
    """Help Center > category, as on the page's breadcrumb trail."""
    crumbs = [("Help Center", site_url), (title, page_url)]
    return {"@context": "https://schema.org", "@type": "BreadcrumbList",
            "itemListElement": [{"@type": "ListItem", "position": n, "name": name, "item": url}
                                for n, (name, url) in enumerate(crumbs, 1)]}
