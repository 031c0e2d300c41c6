"""The dashboard's feedback inbox (templates/inbox.html.j2): negative votes with reasons and
comments.

Grouped by owner, then by article, newest first at every level, so each owner sees what to
fix in their articles. Each item shows its state (open, resolved, dismissed: `kbgen
feedback`), the reason in the words the customer picked, and its id for `kbgen feedback
resolve`. Comments are customer text: escaped, isolated in `<bdi>`, and shown with their
line breaks but never as markup.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any


def group_feedback(items: list[dict[str, Any]]) -> list[tuple[str, list[tuple[str, list]]]]:
    """[(owner, [(article, [items newest first])])], owners and articles by newest item."""
    owners: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for item in sorted(items, key=lambda i: i["ts"], reverse=True):
        owners[item.get("owner") or "(no owner)"][item["article"]].append(item)
    return [(owner, list(articles.items())) for owner, articles in owners.items()]


def feedback_groups(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """group_feedback with each owner's counts: all negative items and those still open."""
    groups = []
    for owner, articles in group_feedback(items):
        entries = [item for _, items_ in articles for item in items_]
        groups.append({"owner": owner, "articles": articles, "total": len(entries),
                       "open": sum(i.get("state", "open") == "open" for i in entries)})
    return groups
