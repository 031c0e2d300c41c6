"""Articles past their review date, when the manifest carries review dates."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from kbgen.analytics.manifest import Manifest

_EVERY = re.compile(r"^\s*(\d+)\s*d?\s*$")


def stale_articles(manifest: Manifest, until: datetime) -> list[dict[str, Any]] | None:
    """Overdue articles, most overdue first; None when no article has a review date."""
    if not any("reviewed" in a or "stale" in a for a in manifest.articles.values()):
        return None
    today = until.date()
    out = []
    for article_id, meta in manifest.articles.items():
        due = _due(meta)
        if meta.get("stale") or (due is not None and due < today):
            out.append({
                "id": article_id,
                "title": meta.get("title"),
                "owner": meta.get("owner"),
                "reviewed": meta.get("reviewed"),
                "due": due.isoformat() if due else None,
            })
    out.sort(key=lambda r: (r["due"] or "", r["id"]))
    return out


def _due(meta: dict[str, Any]) -> date | None:
    if meta.get("review_due"):
        return _date(meta["review_due"])
    reviewed = _date(meta.get("reviewed"))
    every = meta.get("review_every_days", meta.get("review_every"))
    match = _EVERY.match(str(every)) if every is not None else None
    if reviewed is None or match is None:
        return None
    return reviewed + timedelta(days=int(match.group(1)))


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None
