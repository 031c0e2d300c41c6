"""Checks across articles: ids, related articles, links, redirects, review dates."""

from __future__ import annotations

import datetime as dt
import posixpath
import unicodedata

from kbgen.content import dates
from kbgen.content import links as links_mod
from kbgen.content.article import Article
from kbgen.content.fields import ID_RE
from kbgen.content.placeholders import placeholder_problems
from kbgen.content.problems import Problem
from kbgen.content.site import ContentSite


def check_site(site: ContentSite, name, today: dt.date) -> None:
    add = site.problems.append
    _check_ids(site, name, add)
    by_id = site.by_id
    published = {a.id for a in site.published()}
    article_urls = {a.url for a in site.articles}
    for article in site.articles:
        file = name(article.src)
        line = _key_line(article)
        for rid in article.related:
            if rid not in by_id:
                add(Problem(file, f"related article '{rid}' does not exist",
                            "use the id of an existing article", line("related")))
            elif rid not in published and article.status == "published":
                add(Problem(file, f"related article '{rid}' is {by_id[rid].status}",
                            "list a published article instead", line("related")))
        if article.redirect_to and ID_RE.match(article.redirect_to):
            if article.redirect_to not in published:
                add(Problem(file, f"redirect_to '{article.redirect_to}' is not a published article",
                            "give the id of the article that replaces this one",
                            line("redirect_to")))
        for old in article.redirect_from:
            path = old.strip("/") + "/"
            if path in article_urls:
                add(Problem(file, f"redirect_from '{old}' is the address of an existing page",
                            "remove it; the page at that address would be overwritten",
                            line("redirect_from")))
        if article.status == "published":
            check_links(site, article, name, add)
            site.problems.extend(placeholder_problems(article, file))
            _check_review(article, file, line, today, add)
    _check_categories(site, name, add)


def _check_categories(site: ContentSite, name, add) -> None:
    """A warning per category with published articles but no description of its own: the
    home page and the category page show it under the title, and search engines use it."""
    for category in site.used_categories():
        if not category.slug or "/" in category.slug:
            continue
        file = name(f"{category.slug}/_category.yml")
        sentence = "one sentence on what customers find in it"
        if category.slug not in site.categories:
            add(Problem(file, f"category '{category.slug}' has no _category.yml, so it has no "
                        f"description (and its title is '{category.title}', from the folder "
                        "name)", f"create {file} with 'title: {category.title}' and "
                        f"'description: {sentence}'", severity="warning"))
        elif category.description_todo:
            add(Problem(file, "the category's 'description' is still the scaffold's "
                        "placeholder (customers see no description)",
                        f"replace the TODO with {sentence}", severity="warning"))
        elif not category.description:
            add(Problem(file, "the category has no 'description' (customers see only its "
                        "title)", f"add 'description: {sentence}'", severity="warning"))


def _key_line(article: Article):
    return lambda key: article.key_lines.get(key)


def _check_ids(site: ContentSite, name, add) -> None:
    """One error per article that reuses an id, at the newer file (dates.oldest_first): the
    established article keeps its id and its statistics."""
    groups: dict[str, list[Article]] = {}
    for article in site.articles:
        groups.setdefault(unicodedata.normalize("NFKC", article.id).casefold(), []).append(article)
    for group in groups.values():
        if len(group) < 2:
            continue
        by_src = {a.src: a for a in group}
        oldest, *newer = (by_src[src] for src in dates.oldest_first(site.docs_dir, list(by_src)))
        where = name(oldest.src)
        if oldest.key_lines.get("id"):
            where += f":{oldest.key_lines['id']}"
        for article in newer:
            add(Problem(name(article.src), f"duplicate id '{article.id}': already used by "
                        f"{where}", f"give this newer article its own id, e.g. "
                        f"'{_free_id(article.id, site)}'; ids key all statistics, so "
                        f"{name(oldest.src)} keeps '{oldest.id}'", article.key_lines.get("id")))


def _free_id(taken: str, site: ContentSite) -> str:
    ids = set(site.by_id)
    number = 2
    while f"{taken}-{number}" in ids:
        number += 1
    return f"{taken}-{number}"


def check_links(site: ContentSite, article: Article, name, add) -> None:
    """Report links and snippets of `article` whose file or anchor does not exist (a link may
    name a translation, `refunds.de.md`)."""
    by_src = site.all_by_src
    file = name(article.src)
    for link in links_mod.links_in(article.body, article.body_line):
        if not links_mod.is_internal(link.target):
            continue
        target, anchor = links_mod.resolve(article.src, link.target)
        if target is None:
            add(Problem(file, f"{link.kind} '{link.target}' points outside the content folder",
                        "link only to files inside the content folder", link.line))
            continue
        if link.kind == "snippet":
            if target not in site.other_files and target not in by_src:
                add(Problem(file, f"snippet '{link.target}' does not exist",
                            "fix the path", link.line))
            continue
        linked = by_src.get(target)
        if linked is None:
            folder = target.rstrip("/")
            if target in site.other_files or _is_category(site, folder):
                if anchor:
                    add(Problem(file, f"link '{link.target}' has an anchor, but its target has "
                                "no headings", "remove the '#...' part", link.line))
                continue
            hint = " (link to the .md file)" if not posixpath.splitext(target)[1] else ""
            add(Problem(file, f"link '{link.target}' points to '{target}', which does not "
                        f"exist{hint}", "fix the path, relative to this file", link.line))
            continue
        if linked.status != "published":
            add(Problem(file, f"link '{link.target}' points to an article that is "
                        f"{linked.status}", "link to a published article", link.line))
        elif anchor and anchor not in linked.anchors:
            known = ", ".join(sorted(linked.anchors)[:8]) or "none"
            add(Problem(file, f"link '{link.target}' has anchor '#{anchor}', but there is no "
                        f"such anchor in '{name(linked.src)}'",
                        f"use one of its anchors: {known}", link.line))
        elif article.is_translation and not linked.is_translation:
            _suggest_translation(site, article, linked, link, file, add)


def _suggest_translation(site: ContentSite, article: Article, linked: Article, link, file,
                         add) -> None:
    """A translation linking to the default language's article while that article has a
    translation in its language: its readers would leave their language (a warning: the
    link is right when the translation is stale or lacks what is linked)."""
    own = site.translations_of(linked.id).get(article.lang)
    if own is None or own.status != "published":
        return
    suggested = posixpath.relpath(own.src, posixpath.dirname(article.src) or ".")
    anchor = link.target.partition("#")[2]
    suggested += f"#{anchor}" if anchor and anchor in own.anchors else ""
    add(Problem(file, f"link '{link.target}' opens the {site.default_language} article, but "
                f"it has a translation into '{article.lang}'",
                f"link '{suggested}' so readers stay in their language", link.line,
                severity="warning"))


def _is_category(site: ContentSite, folder: str) -> bool:
    return any(a.category == folder for a in site.published())


def _check_review(article: Article, file: str, line, today: dt.date, add) -> None:
    due = article.review_due
    if article.review_every_days and not article.reviewed:
        add(Problem(file, "'review_every' is set but 'reviewed' is not",
                    f"add 'reviewed: {today.isoformat()}' after reviewing the article",
                    severity="warning"))
    elif due and due < today:
        owner = f" (owner: {article.owner})" if article.owner else ""
        add(Problem(file, f"review overdue since {due.isoformat()}{owner}",
                    f"review the article and set 'reviewed: {today.isoformat()}'",
                    severity="warning"))
