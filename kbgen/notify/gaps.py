"""New `gap` topics of the contact drivers, for the owners of the category they belong to.

A gap topic has no article, so its category is decided from what its customers read: the
articles their sessions viewed or clicked before writing, and the article a ticket was
written from (`kb_article`). The most common category among those wins (ties: the
alphabetically first) and every owner of an article in that category is told. When the
sessions read nothing with a category, only the `owner: "*"` targets get the topic.

The topics come from the drivers' cached analysis (`drivers_results`, the same key as
`kbgen report` over the default window), so notify embeds nothing when a report ran today.

A topic's identity is its lowest ticket id (`gap:<ticket id>`): it stays the same while new
tickets join the topic and when its label changes. A topic any of whose tickets was already
announced to a target is not new for that target.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from kbgen.analytics.manifest import Manifest
from kbgen.analytics.window import Window

log = logging.getLogger(__name__)

MAX_TICKETS = 200  # tickets read per topic to decide its category
READ_BY_TICKETS = """
SELECT t.article FROM tickets AS t
WHERE t.ticket_id IN ({ids}) AND t.article IS NOT NULL
UNION ALL
SELECT e.article FROM events AS e JOIN tickets AS t ON e.session = t.session
WHERE t.ticket_id IN ({ids}) AND e.type IN ('view', 'search_click')
  AND e.article IS NOT NULL
"""


def item_key(ticket_id: str) -> str:
    return f"gap:{ticket_id}"


def gap_topics(store: Any, window: Window, manifest: Manifest, report: dict[str, Any],
               project: Any | None) -> list[dict[str, Any]]:
    """The window's gap topics (none when the drivers extra is not installed)."""
    from kbgen.drivers.report import available, drivers_section

    if not available():
        return []
    section = drivers_section(store, window, manifest, report, project)
    return [t for t in section["topics"] if t.get("kind") == "gap" and t.get("tickets")]


def category_of(store: Any, manifest: Manifest, tickets: list[str]) -> str | None:
    """The most common category among the articles the topic's customers read."""
    ids = tickets[:MAX_TICKETS]
    params = {f"t{n}": ticket for n, ticket in enumerate(ids)}
    sql = READ_BY_TICKETS.format(ids=", ".join(f":{name}" for name in params))
    counts: Counter = Counter()
    for (article,) in store.query(sql, params):
        category = (manifest.articles.get(str(article)) or {}).get("category")
        if category:
            counts[str(category)] += 1
    if not counts:
        return None
    return min(counts, key=lambda c: (-counts[c], c))


def candidates(store: Any, manifest: Manifest,
               topics: list[dict[str, Any]]) -> list[tuple[str, str | None, str, dict]]:
    """(key, owner, "gap_topics", entry): one per owner of the topic's category, or one with
    no owner (only `*` targets) when its category is unknown or has no owner."""
    found: list[tuple[str, str | None, str, dict]] = []
    for topic in topics:
        tickets = sorted(str(t) for t in topic["tickets"])
        category = category_of(store, manifest, tickets)
        owners = sorted({str(meta["owner"]) for meta in manifest.articles.values()
                         if category and meta.get("category") == category
                         and meta.get("owner")})
        entry = {"label": topic.get("label") or "", "tickets": tickets,
                 "examples": list(topic.get("examples") or []),
                 "category": category, "category_title": manifest.category_title(category)
                 if category else None, "owners": owners}
        recipients: list[str | None] = list(owners) or [None]
        for owner in recipients:
            found.append((item_key(tickets[0]), owner, "gap_topics", entry))
    return found
