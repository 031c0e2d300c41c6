"""The last analyses kept in the store, so a report over unchanged data does not redo them.

The key digests everything an analysis reads: the method and model, the window, the store's
day versions (raised by every write of events or tickets, on both backends: see
0003_report_rollups.sql) and the articles' texts. Any new event, ticket or article edit
gives a new key; rows older than `KEEP_MS` are pruned when a new one is saved.
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any

VERSION_SUM = "SELECT COALESCE(SUM(version), 0) FROM report_day_versions"
TICKET_COUNT = "SELECT COUNT(*) FROM tickets"
SELECT_RESULT = "SELECT result FROM drivers_results WHERE key = :key"
INSERT_RESULT = ("INSERT INTO drivers_results (key, created, result) VALUES (:key, :created, "
                 ":result) ON CONFLICT (key) DO NOTHING")
PRUNE = "DELETE FROM drivers_results WHERE created < :before"
KEEP_MS = 7 * 86_400_000
FORMAT = 1  # raise when the analysis changes, so older results are not reused


def result_key(store: Any, method: str, model: str, since_ms: int, until_ms: int,
               profiles: list[Any]) -> str:
    with store.snapshot():
        versions = next(iter(store.query(VERSION_SUM, {})))[0]
        tickets = next(iter(store.query(TICKET_COUNT, {})))[0]
    digest = hashlib.sha256()
    digest.update(json.dumps([FORMAT, method, model, since_ms, until_ms, int(versions or 0),
                              int(tickets or 0)]).encode())
    for p in profiles:
        digest.update(json.dumps([p.id, p.title, p.url, p.source, p.texts]).encode(
            "utf-8", "surrogatepass"))
    return digest.hexdigest()


def load(store: Any, key: str) -> list[dict[str, Any]] | None:
    for (text,) in store.query(SELECT_RESULT, {"key": key}):
        return json.loads(text)
    return None


def save(store: Any, key: str, topics: list[dict[str, Any]]) -> None:
    if not hasattr(store, "write_many"):
        return
    now = int(time.time() * 1000)
    store.write_many([(PRUNE, [{"before": now - KEEP_MS}]),
                      (INSERT_RESULT, [{"key": key, "created": now,
                                        "result": json.dumps(topics)}])])
