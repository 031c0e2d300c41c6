"""The notify outbox in the store (schema version 6): digests wait here until delivered.

- Queueing a digest records its items for its target and its row in one transaction; the
  row's key is the digest's idempotency key, so a rerun or a second process queues nothing
  twice (if another process recorded one of the items first, this digest is dropped and its
  items come back in the next run).
- A sender claims a due row with one atomic UPDATE that takes a lease; only the process
  whose UPDATE changed the row sends it. A crashed sender's lease runs out and the row is
  tried again: receivers dedupe on the Idempotency-Key header for that case.
- A failure records its cause and the next try: 30 s, then doubling up to one hour.
"""

from __future__ import annotations

import json
from typing import Any

from kbgen.events.timestamps import MAX_MS

BACKOFF_FIRST_MS = 30_000
BACKOFF_MAX_MS = 3_600_000
LEASE_MARGIN_MS = 60_000

ADD_ITEM = (
    "INSERT INTO notify_items (target, item, digest) VALUES (:target, :item, :digest) "
    "ON CONFLICT (target, item) DO NOTHING"
)
ADD_DIGEST = (
    "INSERT INTO notify_outbox (key, target, owner, body, state, attempts, next_at, "
    "lease_until, created) "
    "SELECT :key, :target, :owner, :body, 'pending', 0, :now, 0, :now "
    "WHERE (SELECT COUNT(*) FROM notify_items WHERE digest = :key) = :n "
    "ON CONFLICT (key) DO NOTHING"
)
DROP_ORPHAN_ITEMS = (
    "DELETE FROM notify_items WHERE digest = :key "
    "AND NOT EXISTS (SELECT 1 FROM notify_outbox WHERE key = :key)"
)
DUE = (
    "SELECT key, target, owner, body, attempts, last_error FROM notify_outbox "
    "WHERE state = 'pending' AND next_at <= :due AND lease_until < :now "
    "ORDER BY created, key"
)
WAITING = (
    "SELECT key, target, owner, attempts, next_at, last_error FROM notify_outbox "
    "WHERE state = 'pending' ORDER BY next_at, key"
)
CLAIM = (
    "UPDATE notify_outbox SET lease_until = :lease, attempts = attempts + 1 "
    "WHERE key = :key AND state = 'pending' AND next_at <= :due AND lease_until < :now"
)
SENT = (
    "UPDATE notify_outbox SET state = 'sent', sent_at = :now, lease_until = 0, "
    "last_error = NULL WHERE key = :key"
)
FAILED = (
    "UPDATE notify_outbox SET next_at = :next, lease_until = 0, last_error = :error "
    "WHERE key = :key"
)


def queue(store: Any, key: str, target_id: str, owner: str, items: list[str], body: dict,
          now: int) -> bool:
    """Queue one digest; False if it was queued before or lost an item to another digest."""
    before = _exists(store, key)
    store.write_many([
        (ADD_ITEM, [{"target": target_id, "item": item, "digest": key} for item in items]),
        (ADD_DIGEST, [{"key": key, "target": target_id, "owner": owner, "now": now,
                       "body": json.dumps(body, ensure_ascii=False), "n": len(items)}]),
        (DROP_ORPHAN_ITEMS, [{"key": key}]),
    ])
    return not before and _exists(store, key)


def _exists(store: Any, key: str) -> bool:
    return bool(list(store.query("SELECT 1 FROM notify_outbox WHERE key = :key",
                                 {"key": key})))


def due(store: Any, now: int, retry_now: bool = False) -> list[dict[str, Any]]:
    rows = store.query(DUE, {"due": MAX_MS if retry_now else now, "now": now})
    return [{"key": k, "target": t, "owner": o, "body": json.loads(b), "attempts": a,
             "last_error": e} for k, t, o, b, a, e in rows]


def waiting(store: Any) -> list[dict[str, Any]]:
    return [{"key": k, "target": t, "owner": o, "attempts": a, "next_at": n, "last_error": e}
            for k, t, o, a, n, e in store.query(WAITING, {})]


def claim(store: Any, key: str, now: int, lease_ms: int, retry_now: bool = False) -> bool:
    """Take the row for this process; False if another process has it or it is not due."""
    params = {"key": key, "now": now, "lease": now + lease_ms + LEASE_MARGIN_MS,
              "due": MAX_MS if retry_now else now}
    return store.execute(CLAIM, params) == 1


def mark_sent(store: Any, key: str, now: int) -> None:
    store.execute(SENT, {"key": key, "now": now})


def mark_failed(store: Any, key: str, attempts: int, error: str, now: int) -> int:
    """Record the failure; returns when to try again (ms)."""
    wait = min(BACKOFF_FIRST_MS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_MS)
    store.execute(FAILED, {"key": key, "next": now + wait, "error": error[:500]})
    return now + wait
