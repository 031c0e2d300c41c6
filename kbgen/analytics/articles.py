"""Per-article rows of the report, what needs attention first, and breakdowns by label."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from kbgen.analytics.collect import ArticleCounts
from kbgen.analytics.manifest import Manifest
from kbgen.analytics.stats import ratio, wilson_lower

DIMENSIONS = ("category", "journey", "audience", "owner")


def article_rows(counts: dict[str, ArticleCounts], manifest: Manifest) -> list[dict[str, Any]]:
    """Every published article (read or not) and every other id seen in the window."""
    ids = list(manifest.articles) + sorted(set(counts) - set(manifest.articles))
    rows = [_row(i, counts.get(i, ArticleCounts()), manifest.articles.get(i, {})) for i in ids]
    rows.sort(key=lambda r: (-r["view_sessions"], -r["views"], r["id"]))
    return rows


def _row(article_id: str, c: ArticleCounts, meta: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": article_id,
        "title": meta.get("title"),
        "category": meta.get("category"),
        "journey": meta.get("journey"),
        "audience": meta.get("audience"),
        "owner": meta.get("owner"),
        "url": meta.get("url"),
        "src": meta.get("src"),  # the Markdown file, relative to the content folder
        "published": bool(meta),
    }
    row.update(metric_fields(c))
    return row


def metric_fields(c: ArticleCounts) -> dict[str, Any]:
    votes = c.helpful + c.not_helpful
    contact_after_view = ratio(c.contacted_sessions, c.view_sessions)
    return {
        "views": c.views,
        "view_sessions": c.view_sessions,
        "helpful": c.helpful,
        "not_helpful": c.not_helpful,
        "votes": votes,
        "csat": ratio(c.helpful, votes),
        "csat_lower": wilson_lower(c.helpful, votes),
        "contact_after_view": contact_after_view,
        "deflection_rate": None if contact_after_view is None else 1 - contact_after_view,
        "deflected_sessions": c.view_sessions - c.contacted_sessions,
        "contacted_sessions": c.contacted_sessions,
        "contacts_not_prevented": contacts_not_prevented(c),
    }


def contacts_not_prevented(c: ArticleCounts) -> int:
    """The contacts the article failed to prevent: sessions that read it and then contacted
    support, plus its "No" votes (readers who said it did not help them).

    Both are counts of people the article did not help, so the ranking needs no weights or
    thresholds: an article read by many that fails a few ranks beside one read by few that
    fails them all, by how many people each failed. A reader who votes "No" and then
    contacts support counts twice: they told us both ways. docs/report.md explains it.
    """
    return c.contacted_sessions + c.not_helpful


def by_attention(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Most contacts not prevented first; ties: the higher contact-after-view rate, then
    the more read, then the id."""
    return sorted(rows, key=lambda r: (-(r.get("contacts_not_prevented") or 0),
                                       -(r.get("contact_after_view") or 0),
                                       -(r.get("view_sessions") or 0), r["id"]))


def breakdowns(
    counts: dict[str, ArticleCounts], rows: list[dict[str, Any]], manifest: Manifest
) -> dict[str, list[dict[str, Any]]]:
    """Sums of the per-article counters by category, journey stage, audience and owner."""
    result = {}
    for dim in DIMENSIONS:
        groups: dict[str, ArticleCounts] = defaultdict(ArticleCounts)
        members: dict[str, int] = defaultdict(int)
        for row in rows:
            key = row[dim] or "(none)"
            members[key] += 1
            _add(groups[key], counts.get(row["id"], ArticleCounts()))
        result[dim] = sorted(
            (
                {"key": key, "label": _label(dim, key, manifest), "articles": members[key]}
                | metric_fields(group)
                for key, group in groups.items()
            ),
            key=_most_read_first,
        )
    return result


def _most_read_first(group: dict[str, Any]) -> tuple[int, str]:
    return -group["view_sessions"], group["key"]


def _add(total: ArticleCounts, c: ArticleCounts) -> None:
    total.views += c.views
    total.view_sessions += c.view_sessions
    total.contacted_sessions += c.contacted_sessions
    total.helpful += c.helpful
    total.not_helpful += c.not_helpful


def _label(dim: str, key: str, manifest: Manifest) -> str:
    if dim == "category" and key != "(none)":
        return manifest.category_title(key) or key
    return key
