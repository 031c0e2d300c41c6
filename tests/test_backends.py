"""The same store and help API cases on both backends: SQLite and PostgreSQL.

Every test here runs twice through the `backend` fixture; the PostgreSQL half needs the
server on 127.0.0.1:5432 and fails (never skips) without it.
"""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from api_helpers import ApiClient, make_project, vote
from backend_helpers import BACKENDS, Backend
from click.testing import CliRunner

from kbgen.api import create_app
from kbgen.cli import cli
from kbgen.errors import KbgenError, ServiceUnavailable
from kbgen.project import load_project
from kbgen.store import open_store
from kbgen.store.migrations import LATEST


@pytest.fixture(params=[pytest.param(name, marks=[pytest.mark.postgres] if name != "sqlite"
                                      else []) for name in BACKENDS])
def backend(request, tmp_path):
    found = Backend(request.param, tmp_path)
    yield found
    found.close()


@pytest.fixture
def store(backend):
    return backend.open()


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


# -- the store -------------------------------------------------------------------------------


def test_events_round_trip_in_the_wire_format_ordered_by_time_then_id(store):
    hostile = "<script>alert(1)</script>\r\n100% 'quoted' :since \u202e ü"
    events = [
        vote(id="b", ts="2026-11-24T10:02:03Z", comment=hostile),
        vote(id="a", ts="2026-11-24T10:02:03Z", helpful=True),
        vote(id="B", ts="2026-11-24T10:02:03Z"),  # upper case sorts first (byte order)
        {"id": "s", "type": "search", "ts": 1_700_000_000_123, "session": "s-2",
         "query": "refund", "results": 0, "source": "site"},
        {"id": "n", "type": "nps", "ts": 5, "session": "s-3", "score": 10},
        {"id": "c", "type": "contact", "ts": 6, "session": "s-3", "stage": "submit",
         "channel": "email", "article": "refunds"},
    ]
    assert store.add_events(events) == 6
    exported = list(store.iter_events())
    assert [e["id"] for e in exported] == ["n", "c", "s", "B", "a", "b"]
    assert exported[0] == {"id": "n", "type": "nps", "ts": "1970-01-01T00:00:00.005Z",
                           "session": "s-3", "score": 10}
    assert exported[2] == {"id": "s", "type": "search", "ts": "2023-11-14T22:13:20.123Z",
                           "session": "s-2", "query": "refund", "results": 0, "source": "site"}
    assert exported[4]["helpful"] is True and exported[5]["comment"] == hostile


def test_a_retried_id_is_stored_once_and_counted_in_its_first_group(store):
    first, second = vote(ts=1), vote(ts=2)
    assert store.add_events([first, first]) == 1
    assert store.add_event_batches([[second, first], [second], []]) == [1, 0, 0]
    assert store.add_events([first, second]) == 0
    assert sorted(e["id"] for e in store.iter_events()) == sorted([first["id"], second["id"]])


def test_time_window_includes_since_and_excludes_until(store):
    store.add_events([vote(id=f"e{ms}", ts=ms) for ms in (1000, 2000, 3000)])
    assert [e["id"] for e in store.iter_events(since_ms=2000, until_ms=3000)] == ["e2000"]
    assert [e["id"] for e in store.iter_events(since_ms=2001)] == ["e3000"]


def test_rejections_are_summed_by_reason(store):
    assert store.add_event_batches([[vote(ts=1)]], {"bot": 2, "too_large": 0}) == [1]
    store.count_rejection("bot")
    store.count_rejection("invalid_json", 3)
    assert store.rejections() == {"bot": 3, "invalid_json": 3}


def test_tickets_are_stored_once_per_ticket_id(store):
    row = {"ticket_id": "T-1", "session": "s-1", "article": "refunds",
           "ts": "2026-11-24T10:00:00Z", "subject": "Refund?", "source": "export.csv"}
    other = {**row, "ticket_id": "T-2", "session": None, "source": None}
    assert store.add_tickets([row, other, row]) == 2
    assert store.add_tickets([row]) == 0
    assert list(store.query("SELECT ticket_id, session, ts, source FROM tickets "
                            "ORDER BY ticket_id", {})) == [
        ("T-1", "s-1", 1_795_514_400_000, "export.csv"), ("T-2", None, 1_795_514_400_000,
                                                            "unknown")]


def test_query_takes_name_parameters_and_leaves_literals_alone(store):
    store.add_events([vote(ts=1000, score=None), {"id": "n1", "type": "nps", "ts": 2000,
                                                  "session": "s", "score": 7},
                      {"id": "n2", "type": "nps", "ts": 4000, "session": "s", "score": 8}])
    rows = list(store.query(
        "SELECT ':since', '100%', COUNT(*), SUM(ts), AVG(score), MAX(ts) / :two "
        "FROM events WHERE ts >= :since -- :until is not a parameter here\n", {"since": 1500,
                                                                                 "two": 2}))
    assert rows == [(":since", "100%", 2, 6000, 7.5, 2000)]
    assert [type(v) for v in rows[0][2:]] == [int, int, float, int]


def test_query_is_read_only(store):
    store.add_events([vote(ts=1)])
    with pytest.raises(KbgenError, match="read-only"):
        list(store.query("DELETE FROM events", {}))
    assert list(store.query("SELECT count(*) FROM events", {})) == [(1,)]


def test_snapshot_sees_one_consistent_state(store):
    store.add_events([vote(ts=1)])
    with store.snapshot() as snap:
        before = list(snap.query("SELECT count(*) FROM events WHERE ts >= :t", {"t": 0}))
        in_thread(lambda: store.add_events([vote(ts=2)]))
        during = list(snap.query("SELECT count(*) FROM events", {}))
    after = list(store.query("SELECT count(*) FROM events", {}))
    assert (before, during, after) == ([(1,)], [(1,)], [(2,)])


def test_schema_is_at_the_latest_version_and_migrate_is_repeatable(backend):
    url = backend.url()
    for _ in range(2):
        result = CliRunner().invoke(cli, ["db", "migrate", "--db", url])
        assert result.exit_code == 0, result.output
    assert f"schema version {LATEST}; nothing to do" in result.output
    status = CliRunner().invoke(cli, ["db", "status", "--db", url])
    assert status.exit_code == 0 and f"schema version {LATEST} (this kbgen: {LATEST})" in \
        status.output
    store = open_store(url)
    try:
        assert list(store.query("SELECT version FROM schema_version", {})) == [(LATEST,)]
        assert store.health() == {"ok": True, "detail": f"{backend.name}: ok"}
    finally:
        store.close()


def test_an_unavailable_database_raises_service_unavailable_then_recovers(backend):
    with backend.outage() as outage:
        event = vote(ts=1)
        outage.cut()
        failure = in_thread(lambda: outage.store.add_events([event]))
        assert isinstance(failure, ServiceUnavailable)
        assert outage.store.health()["ok"] is False
        outage.restore()
        assert eventually(lambda: in_thread(lambda: outage.store.add_events([event]))) == 1
        assert outage.store.health()["ok"] is True
        assert [e["id"] for e in outage.store.iter_events()] == [event["id"]]


def eventually(func, seconds: float = 15):
    """func() until it stops raising ServiceUnavailable (the store reconnecting)."""
    deadline = time.monotonic() + seconds
    while True:
        result = func()
        if not isinstance(result, ServiceUnavailable) or time.monotonic() > deadline:
            return result
        time.sleep(0.2)


# -- the help API ------------------------------------------------------------------------


def api_client(tmp_path, store) -> ApiClient:
    project = load_project(make_project(tmp_path, "      rate_limit: 0\n"))
    return ApiClient(create_app(project, store=store))


def test_api_stores_events_once_with_the_server_time(backend, tmp_path):
    store = backend.open()
    client = api_client(tmp_path, store)
    try:
        event = vote(ts="2001-01-01T00:00:00Z", comment="Step 3 is gone.")
        assert client.post(event).json() == {"stored": 1, "duplicates": 0}
        assert client.post([event, vote()]).json() == {"stored": 1, "duplicates": 1}

        async def many():
            return await asyncio.gather(*(client.apost([vote(), event]) for _ in range(40)))

        answers = client.run(many())
        assert [a.status_code for a in answers] == [200] * 40
        assert sum(a.json()["stored"] for a in answers) == 40
        saved = list(store.iter_events())
        assert len(saved) == 42 and len({e["id"] for e in saved}) == 42
        assert not any(e["ts"].startswith("2001") for e in saved)
        health = client.request("GET", "/api/health")
        assert health.status_code == 200 and health.json()["store"]["ok"] is True
    finally:
        client.close()


def test_api_answers_503_with_retry_after_and_loses_nothing_acknowledged(backend, tmp_path):
    with backend.outage() as outage:
        client = api_client(tmp_path, outage.store)
        try:
            kept = vote()
            assert client.post(kept).status_code == 200
            outage.cut()
            refused = vote()
            response = client.post(refused)
            assert response.status_code == 503 and response.headers["retry-after"] == "5"
            assert client.request("GET", "/api/health").status_code == 503
            outage.restore()
            deadline = time.monotonic() + 15
            while (response := client.post(refused)).status_code == 503:
                assert time.monotonic() < deadline, response.text
                time.sleep(0.2)
            assert response.json() == {"stored": 1, "duplicates": 0}
            assert client.request("GET", "/api/health").status_code == 200
            ids = [e["id"] for e in outage.store.iter_events()]
            assert sorted(ids) == sorted([kept["id"], refused["id"]])
        finally:
            client.close()
