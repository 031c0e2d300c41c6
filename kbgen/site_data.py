"""What the templates show, computed from the content model (no MkDocs here).

Each function returns plain data: lists and dicts of text and site-relative URLs, which the
theme renders (escaping every value) and which tests can assert on directly.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Any

from kbgen.content import Article, ContentSite
from kbgen.content.languages import is_stale
from kbgen.content.links import is_internal, links_in, resolve
from kbgen.content.revisions import article_revision

TYPE_LABELS = {"article": "Article", "faq": "FAQ", "troubleshooting": "Troubleshooting"}
GROUP_LABELS = {"article": "Articles", "faq": "FAQs", "troubleshooting": "Troubleshooting"}


def summary(article: Article, updated: dt.date | None = None) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "description": article.description,
        "url": article.url,
        "type": article.type,
        "type_label": TYPE_LABELS[article.type],
        "category": article.category,
        "updated": updated.isoformat() if updated else None,
    }


def popular(site: ContentSite, popular_ids: list[str], updated: dict[str, dt.date],
            count: int = 6, drafts: bool = False) -> list[dict[str, Any]]:
    """Popular articles: the evidence (`popular_ids`), else the most linked (home, search)."""
    by_id = {a.id: a for a in site.published(drafts)}
    found = [by_id[i] for i in popular_ids if i in by_id] or most_linked(site, drafts)
    return [summary(a, updated.get(a.src)) for a in found[:count]]


def home(site: ContentSite, popular_ids: list[str], updated: dict[str, dt.date],
         count: int = 6, drafts: bool = False) -> dict[str, Any]:
    articles = site.published(drafts)
    recent = sorted(articles, reverse=True, key=lambda a: (
        updated.get(a.src) or dt.date.min, a.reviewed or dt.date.min, a.title))
    return {
        "categories": categories(site, drafts),
        "popular": popular(site, popular_ids, updated, count, drafts),
        "recent": [summary(a, updated.get(a.src)) for a in recent[:count]],
        "faqs": [summary(a) for a in articles if a.type == "faq"][:count],
        "article_count": len(articles),
    }


def categories(site: ContentSite, drafts: bool = False) -> list[dict[str, Any]]:
    """The categories that have articles, with their counts (home and search pages)."""
    return [
        {"slug": c.slug, "title": c.title, "description": c.description, "url": c.url,
         "count": len(site.in_category(c.slug, drafts))}
        for c in site.used_categories(drafts)
    ]


def most_linked(site: ContentSite, drafts: bool = False) -> list[Article]:
    """Articles that others point to most (links and `related`): a proxy until stats exist."""
    by_src = site.by_src
    counts: Counter[str] = Counter()
    for article in site.published(drafts):
        counts.update(set(article.related))
        for link in links_in(article.body, article.body_line):
            if is_internal(link.target):
                target, _ = resolve(article.src, link.target)
                if target in by_src and target != article.src:
                    counts[by_src[target].id] += 1
    published = {a.id: a for a in site.published(drafts)}
    return [published[i] for i, _ in counts.most_common() if i in published]


def category(site: ContentSite, slug: str, updated: dict[str, dt.date],
             drafts: bool = False, popular_ids: list[str] | None = None,
             count: int = 6) -> dict[str, Any]:
    """A category page's data. `popular_ids` is evidence (the writer's `popular` list or the
    stats file's most deflecting articles), site-wide: the category shows its own, if any, and
    no guessed list without it."""
    cat = site.category(slug)
    articles = site.in_category(slug, drafts)
    in_category = {a.id: a for a in articles}
    popular = [in_category[i] for i in popular_ids or [] if i in in_category]
    groups = []
    for kind in ("article", "faq", "troubleshooting"):
        items = [summary(a, updated.get(a.src)) for a in articles if a.type == kind]
        if items:
            groups.append({"type": kind, "label": GROUP_LABELS[kind], "items": items})
    return {"slug": slug, "title": cat.title, "description": cat.description,
            "count": len(articles), "groups": groups,
            "popular": [summary(a, updated.get(a.src)) for a in popular[:count]]}


def related(site: ContentSite, article: Article, computed: list[str] | None = None,
            limit: int = 5, drafts: bool = False) -> list[dict[str, Any]]:
    """The writer's `related` first, then computed ones, then shared tags, then the category."""
    shown = ("published", "draft") if drafts else ("published",)
    by_id = site.by_id
    chosen: list[Article] = []
    for rid in _related_ids(site, article, computed, drafts):  # lazy: stops once full
        candidate = by_id.get(rid)
        if candidate is None or candidate.status not in shown:
            continue
        if candidate.id != article.id and candidate not in chosen:
            chosen.append(candidate)
        if len(chosen) == limit:
            break
    return [summary(a) for a in chosen]


def _related_ids(site: ContentSite, article: Article, computed: list[str] | None,
                 drafts: bool):
    yield from article.related
    yield from computed or []
    tags = set(article.tags)
    if tags:
        sharing = [a for a in site.published(drafts)
                   if a.id != article.id and tags & set(a.tags)]
        sharing.sort(key=lambda a: (-len(tags & set(a.tags)), a.title.casefold()))
        yield from (a.id for a in sharing)
    yield from (a.id for a in site.in_category(article.category, drafts))


def breadcrumbs(site: ContentSite, article: Article) -> list[dict[str, str]]:
    cat = site.category(article.category)
    return [{"title": "Help Center", "url": ""}, {"title": cat.title, "url": cat.url}]


def redirects(site: ContentSite, drafts: bool = False) -> dict[str, str]:
    """Old site path -> new site-relative URL, for `redirect_from` and archived articles."""
    by_id = site.by_id
    shown = {a.id for a in site.published(drafts)}
    result: dict[str, str] = {}
    for article in site.articles:
        if article.status == "archived":
            target = article.redirect_to
            if target in by_id and target in shown:
                result[article.url] = by_id[target].url
            elif target and not (by_id.get(target) and target not in shown):
                result[article.url] = target.strip("/") + "/" if "/" in target else target
            else:
                result[article.url] = site.category(article.category).url
        elif article.id in shown:
            for old in article.redirect_from:
                result[old.strip("/") + "/"] = article.url
    return result


def faq_jsonld(article: Article, answers: dict[str, str], page_url: str) -> dict[str, Any]:
    """schema.org FAQPage for an FAQ article; `answers` maps anchor -> answer as plain text."""
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "url": page_url,
        "mainEntity": [
            {"@type": "Question", "name": entry.question,
             "acceptedAnswer": {"@type": "Answer", "text": answers.get(entry.anchor, "")}}
            for entry in article.faq_entries()
        ],
    }


def article_jsonld(site: ContentSite, article: Article, page_url: str, site_url: str,
                   updated: dt.date | None) -> list[dict[str, Any]]:
    crumbs = breadcrumbs(site, article) + [{"title": article.title, "url": article.url}]
    data: list[dict[str, Any]] = [{
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": c["title"], "item": site_url + c["url"]}
            for n, c in enumerate(crumbs, 1)
        ],
    }]
    if article.type != "faq":
        entry: dict[str, Any] = {"@context": "https://schema.org", "@type": "Article",
                                 "headline": article.title, "description": article.description,
                                 "url": page_url}
        if updated:
            entry["dateModified"] = updated.isoformat()
        data.append(entry)
    return data


def script_json(data: Any) -> str:
    """JSON safe inside <script>: no '<', '>', '&', U+2028 or U+2029 left raw."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def _translations(site: ContentSite, article: Article) -> dict[str, str]:
    """language -> "current" or "stale", for the article's published translations."""
    return {lang: "stale" if is_stale(t, article) else "current"
            for lang, t in sorted(site.translations_of(article.id).items())
            if t.status == "published"}


def manifest(site: ContentSite, site_name: str, site_url: str | None,
             drafts: bool = False) -> dict[str, Any]:
    return {
        "site_name": site_name,
        "site_url": site_url,
        "built": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "articles": [
            {"id": a.id, "title": a.title, "url": a.url, "src": a.src,
             "category": a.category, "type": a.type,
             "journey": a.journey, "audience": a.audience, "owner": a.owner,
             "description": a.description, "rev": article_revision(a),
             "reviewed": a.reviewed.isoformat() if a.reviewed else None,
             "review_due": a.review_due.isoformat() if a.review_due else None,
             **({"translations": _translations(site, a)} if site.other_languages else {})}
            for a in site.published(drafts)
        ],
        "languages": list(site.languages),
        "categories": [{"slug": c.slug, "title": c.title} for c in site.used_categories(drafts)],
    }
