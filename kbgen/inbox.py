"""The feedback inbox: every "No" vote with a reason or comment is an item with a state.

An item is the vote event itself (its id is the item's id); its state lives beside it in
`feedback_states` (schema version 6): `open` until someone resolves or dismisses it. The
event is never changed or deleted. As in the report, only each session's last vote on an
article counts: a customer who said "No, outdated" and then "Yes" has no open complaint.

Never imports a database driver: SQL goes through `store.query` and `store.write_many`.
"""

from __future__ import annotations

from typing import Any

from kbgen.analytics.feedback_items import item_from_row
from kbgen.analytics.manifest import Manifest
from kbgen.analytics.queries import NEGATIVE_FEEDBACK_ITEMS
from kbgen.errors import KbgenError, UsageError
from kbgen.events.timestamps import MAX_MS, now_ms

STATES = ("open", "resolved", "dismissed")
MIN_PREFIX = 6

SET_STATE = (
    "INSERT INTO feedback_states (event_id, state, note, rev, changed) "
    "VALUES (:event_id, :state, :note, :rev, :changed) "
    "ON CONFLICT (event_id) DO UPDATE SET state = excluded.state, note = excluded.note, "
    "rev = excluded.rev, changed = excluded.changed"
)


def items(store: Any, manifest: Manifest, *, owner: str | None = None,
          state: str | None = None, since_ms: int = 0) -> list[dict[str, Any]]:
    """Inbox items, newest first; only `owner`'s articles and `state` when given."""
    params = {"since": since_ms, "until": MAX_MS + 1, "limit": 1_000_000}
    found = []
    for row in store.query(NEGATIVE_FEEDBACK_ITEMS, params):
        item = item_from_row(row, manifest)
        if owner is not None and item["owner"] != owner:
            continue
        if state is not None and item["state"] != state:
            continue
        found.append(item)
    return found


def match_ids(store: Any, manifest: Manifest, given: list[str]) -> list[str]:
    """Full item ids for ids or unique prefixes (at least MIN_PREFIX characters)."""
    every = [item["id"] for item in items(store, manifest)]
    chosen: list[str] = []
    for text in given:
        if text in every:
            chosen.append(text)
            continue
        matches = [i for i in every if i.startswith(text)] if len(text) >= MIN_PREFIX else []
        if len(matches) != 1:
            what = "matches no feedback item" if not matches else \
                f"matches {len(matches)} items"
            raise UsageError(f"'{text}' {what}. Fix: use an id from `kbgen feedback list` "
                             f"(at least {MIN_PREFIX} characters of it).")
        chosen.append(matches[0])
    return list(dict.fromkeys(chosen))


def set_state(store: Any, ids: list[str], state: str, note: str | None = None,
              rev: str | None = None) -> int:
    """Give the items `state`; returns how many."""
    if state not in STATES:
        raise UsageError(f"Unknown state '{state}'. Fix: use one of {', '.join(STATES)}.")
    changed = now_ms()
    store.write_many([(SET_STATE, [
        {"event_id": i, "state": state, "note": note, "rev": rev, "changed": changed}
        for i in ids
    ])])
    return len(ids)


def older_than_revision(store: Any, manifest: Manifest, rev: str) -> tuple[str, list[str]]:
    """(article, open item ids of that article sent before revision `rev` was introduced)."""
    for article, history in manifest.revisions.items():
        for entry in history:
            if entry.get("rev") == rev:
                since = entry.get("since")
                break
        else:
            continue
        open_items = items(store, manifest, state="open")
        cutoff = since or ""
        return article, [i["id"] for i in open_items
                         if i["article"] == article and i["rev"] != rev and i["ts"] < cutoff]
    raise KbgenError(f"Revision '{rev}' is not in the build's revisions (.kbgen/revisions.json)."
                     " Fix: run `kbgen build` after the edit, then use the revision that "
                     "`kbgen report --format json` shows for the article.")
