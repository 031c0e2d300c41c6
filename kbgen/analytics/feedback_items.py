"""A negative vote with a reason or comment as the feedback inbox, the report and the
owners' digests show it: article labels from the manifest, the reason in the customer's
words, and the item's state (schema version 6, `feedback_states`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from kbgen.analytics.manifest import Manifest
from kbgen.analytics.window import iso
from kbgen.events.schema import REASON_LABELS

NO_REASON = "No reason given"


def item_from_row(row: tuple, manifest: Manifest) -> dict[str, Any]:
    """A NEGATIVE_FEEDBACK_ITEMS row -> the item as reports, the CLI and digests show it."""
    event_id, article, ts, reason, comment, rev, state, note, changed = row
    meta = manifest.articles.get(article, {})
    return {
        "id": event_id,
        "article": article,
        "title": meta.get("title"),
        "owner": meta.get("owner"),
        "url": meta.get("url"),
        "ts": _iso(ts),
        "ts_ms": int(ts),
        "reason": reason,
        "reason_label": REASON_LABELS.get(reason or "", NO_REASON),
        "comment": comment,
        "rev": rev,
        "state": state or "open",
        "note": note,
        "changed": _iso(changed) if changed is not None else None,
    }


def _iso(ms: int) -> str:
    return iso(datetime.fromtimestamp(int(ms) / 1000, UTC).replace(microsecond=0))
