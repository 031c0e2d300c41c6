"""The SQLite events store: the contract the API, the CLI and the reports rely on."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from api_helpers import vote

from kbgen.errors import KbgenError, ServiceUnavailable, UsageError
from kbgen.store import open_store
from kbgen.store.migrations import LATEST
from kbgen.store.sqlite import SQLiteStore


@pytest.fixture
def store(tmp_path):
    opened = open_store(f"sqlite:///{tmp_path / 'events.db'}")
    yield opened
    opened.close()


def in_thread(func):
    """Run `func` on a fresh thread (a fresh connection), as the API's writer does."""
    result: list = []

    def target():
        try:
            result.append(func())
        except Exception as exc:  # handed back to the test
            result.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    return result[0]


def test_events_round_trip_in_the_wire_format_ordered_by_time(store):
    late = vote(id="b", ts="2026-11-24T10:02:03Z", comment="<script>alert(1)</script>\r\n")
    early = {"id": "a", "type": "search", "ts": 1_700_000_000_123, "session": "s-2",
             "query": "refund", "results": 0, "source": "site"}
    assert store.add_events([late, early]) == 2
    assert list(store.iter_events()) == [
        {"id": "a", "type": "search", "ts": "2023-11-14T22:13:20.123Z", "session": "s-2",
         "query": "refund", "results": 0, "source": "site"},
        {"id": "b", "type": "vote", "ts": "2026-11-24T10:02:03.000Z", "session": "s-1",
         "article": "reset-password", "helpful": False, "reason": "outdated",
         "comment": "<script>alert(1)</script>\r\n"},
    ]


def test_a_retried_id_is_stored_once(store):
    event = vote(ts=0)
    assert store.add_events([event, event]) == 1
    assert store.add_events([event]) == 0
    assert [e["id"] for e in store.iter_events()] == [event["id"]]


def test_time_window_includes_since_and_excludes_until(store):
    store.add_events([vote(id=f"e{ms}", ts=ms) for ms in (1000, 2000, 3000)])
    assert [e["id"] for e in store.iter_events(since_ms=2000, until_ms=3000)] == ["e2000"]


def test_batches_report_new_events_per_group_and_add_rejections(store):
    first, second = vote(ts=1), vote(ts=2)
    assert store.add_event_batches([[first], [first, second]], {"bot": 2}) == [1, 1]
    store.count_rejection("bot")
    store.count_rejection("invalid_json", 3)
    assert store.rejections() == {"bot": 3, "invalid_json": 3}


def test_query_is_read_only_and_snapshot_is_consistent(store):
    store.add_events([vote(ts=1)])
    with pytest.raises(KbgenError, match="read-only"):
        list(store.query("DELETE FROM events", {}))
    with store.snapshot() as snap:
        before = list(snap.query("SELECT count(*) FROM events WHERE ts >= :t", {"t": 0}))
        in_thread(lambda: store.add_events([vote(ts=2)]))
        during = list(snap.query("SELECT count(*) FROM events", {}))
    after = list(store.query("SELECT count(*) FROM events", {}))
    assert (before, during, after) == ([(1,)], [(1,)], [(2,)])


def test_tickets_are_stored_once_per_ticket_id(store):
    row = {"ticket_id": "T-1", "session": "s-1", "article": "refunds",
           "ts": "2026-11-24T10:00:00Z", "subject": "Refund?", "source": "export.csv"}
    assert store.add_tickets([row, row]) == 1
    assert list(store.query("SELECT ticket_id, ts FROM tickets", {})) == [
        ("T-1", 1_795_514_400_000)]


def test_new_database_gets_the_latest_schema_version_and_wal(tmp_path, store):
    assert list(store.query("SELECT version FROM schema_version", {})) == [(LATEST,)]
    conn = sqlite3.connect(tmp_path / "events.db")
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    conn.close()


def test_database_newer_than_kbgen_is_refused(tmp_path):
    path = tmp_path / "future.db"
    open_store(f"sqlite:///{path}").close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE schema_version SET version = 99")
    conn.commit()
    conn.close()
    with pytest.raises(KbgenError, match="schema version 99"):
        open_store(f"sqlite:///{path}")


def test_unwritable_path_names_the_path(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(KbgenError, match="not-a-folder"):
        open_store(f"sqlite:///{blocker / 'events.db'}")


def test_unknown_url_scheme_is_a_usage_error_without_the_password():
    with pytest.raises(UsageError, match=r"\*\*\*@db") as info:
        open_store("mysql://kb:secret@db/kb")
    assert "secret" not in str(info.value)


def test_relative_sqlite_url_is_relative_to_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    open_store("sqlite:///state/rel.db").close()
    assert (tmp_path / "state" / "rel.db").is_file()


def test_locked_database_is_unavailable_then_recovers(tmp_path):
    path = tmp_path / "events.db"
    store = SQLiteStore(path, busy_timeout_ms=100)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    event = vote(ts=1)
    assert isinstance(in_thread(lambda: store.add_events([event])), ServiceUnavailable)
    assert store.health()["ok"] is False
    other.execute("ROLLBACK")
    other.close()
    assert in_thread(lambda: store.add_events([event])) == 1
    assert store.health() == {"ok": True, "detail": "sqlite: ok"}
    store.close()


def test_full_database_writes_nothing_then_recovers_without_restart(tmp_path):
    store = SQLiteStore(tmp_path / "events.db")
    store.max_page_count = next(store.query("PRAGMA page_count", {}))[0]
    batch = [vote(ts=i, comment="x" * 900) for i in range(50)]
    failure = in_thread(lambda: store.add_events(batch))
    assert isinstance(failure, ServiceUnavailable) and "full" in str(failure)
    assert "full" in store.health()["detail"]
    assert list(store.query("SELECT count(*) FROM events", {})) == [(0,)]  # no partial rows
    store.max_page_count = None  # space freed
    assert in_thread(lambda: store.add_events(batch)) == 50
    assert store.health()["ok"] is True
    store.close()
