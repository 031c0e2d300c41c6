"""PostgreSQL only: migrations, outages, two real `kbgen api` processes on one database,
moving a deployment off SQLite, and the same report from either store.

Needs the server on 127.0.0.1:5432 (trust auth, database `test`); fails, never skips,
without it. Each test works in its own schema.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import subprocess
import threading

import httpx
import pytest
from analytics_helpers import MANIFEST, at, click, contact, nps, search, view, write_project
from analytics_helpers import vote as vote_at
from api_helpers import HEADERS, free_port, kbgen_command, make_project, vote
from click.testing import CliRunner
from pg_helpers import admin, count_rows, pg_schema, schema_url, start_api_on, stored_ids

from kbgen.cli import cli
from kbgen.errors import KbgenError
from kbgen.store import open_store, versions
from kbgen.store.migrations import LATEST
from kbgen.store.placeholders import to_pyformat

pytestmark = pytest.mark.postgres


def kbgen(*args: str):
    return CliRunner().invoke(cli, list(args))


# -- placeholders --------------------------------------------------------------------------


@pytest.mark.parametrize(("portable", "psycopg_form"), [
    ("ts >= :since AND ts < :until", "ts >= %(since)s AND ts < %(until)s"),
    ("SELECT ':since', \"a:b\", x::bigint", "SELECT ':since', \"a:b\", x::bigint"),
    ("SELECT 'it''s :x' || :y", "SELECT 'it''s :x' || %(y)s"),
    ("n % 2 = 0 AND s LIKE '5%'", "n %% 2 = 0 AND s LIKE '5%%'"),
    ("-- :a is not used\nSELECT /* :b */ :c", "-- :a is not used\nSELECT /* :b */ %(c)s"),
])
def test_name_parameters_become_psycopg_placeholders_outside_literals(portable, psycopg_form):
    assert to_pyformat(portable) == psycopg_form


# -- migrations ----------------------------------------------------------------------------


def test_an_unmigrated_database_is_refused_until_kbgen_db_migrate(tmp_path):
    config = make_project(tmp_path)
    with pg_schema(migrate=False) as schema:
        url = schema_url(schema)
        with pytest.raises(KbgenError, match="schema version 0.*kbgen db migrate"):
            open_store(url)
        api = kbgen("api", "-f", str(config), "--db", url)
        assert api.exit_code == 1 and "kbgen db migrate" in api.output
        status = kbgen("db", "status", "--db", url)
        assert status.exit_code == 1 and "schema version 0" in status.output
        migrated = kbgen("db", "migrate", "--db", url)
        assert migrated.exit_code == 0
        assert f"from schema version 0 to {LATEST}" in migrated.output
        assert "***@127.0.0.1" in migrated.output
        open_store(url).close()


def test_concurrent_migrations_apply_once(tmp_path):
    with pg_schema(migrate=False) as schema:
        results: list = []
        threads = [threading.Thread(target=lambda: results.append(
            versions.migrate(schema_url(schema))[1].version)) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert results == [LATEST] * 4
        assert count_rows(schema, "SELECT count(*), max(version) FROM schema_version") == (
            1, LATEST)


def test_a_database_newer_than_kbgen_is_refused():
    with pg_schema() as schema:
        with admin() as conn:
            conn.execute(f"UPDATE {schema}.schema_version SET version = 99")
        with pytest.raises(KbgenError, match="schema version 99.*upgrade kbgen"):
            open_store(schema_url(schema))
        with pytest.raises(KbgenError, match="newer than this kbgen"):
            versions.migrate(schema_url(schema))


def test_an_unreachable_server_is_named_without_its_password():
    with pytest.raises(KbgenError, match="Cannot connect to PostgreSQL") as info:
        open_store("postgresql://kb:sekret@127.0.0.1:1/kb")
    assert "***@127.0.0.1:1/kb" in str(info.value) and "sekret" not in str(info.value)


# -- connections ---------------------------------------------------------------------------


def test_a_killed_connection_is_replaced_and_the_next_write_succeeds():
    with pg_schema() as schema:
        name = f"kbgen-{schema}"
        store = open_store(schema_url(schema) + f"&application_name={name}")
        try:
            assert store.add_events([vote(ts=1)]) == 1
            with admin() as conn:
                killed = conn.execute("SELECT count(pg_terminate_backend(pid)) FROM "
                                      "pg_stat_activity WHERE application_name = %s",
                                      (name,)).fetchone()[0]
            assert killed >= 1
            assert store.add_events([vote(ts=2)]) == 1
            assert store.health() == {"ok": True, "detail": "postgresql: ok"}
            assert count_rows(schema) == (2, 2)
        finally:
            store.close()


# -- several API processes on one database -------------------------------------------------


async def _post_until_stored(client: httpx.AsyncClient, batch: list[dict]) -> int:
    for _ in range(50):
        response = await client.post("/api/events", json=batch)
        if response.status_code == 200:
            return response.json()["stored"]
        assert response.status_code == 503, response.text
        await asyncio.sleep(0.1)
    raise AssertionError("the API kept answering 503")


async def _send_everywhere(ports: list[int], batches: list[list[dict]]) -> list[int]:
    """Each batch goes to both processes at once (in opposite orders), and every third one
    is retried on the first process afterwards, as a client that lost the answer would."""
    limit = asyncio.Semaphore(24)
    clients = [httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", headers=HEADERS,
                                 timeout=30) for port in ports]

    async def one(number: int, batch: list[dict]) -> list[int]:
        async with limit:
            stored = await asyncio.gather(_post_until_stored(clients[0], batch),
                                          _post_until_stored(clients[1], batch[::-1]))
            if number % 3 == 0:
                stored.append(await _post_until_stored(clients[0], batch))
            return list(stored)

    try:
        answers = await asyncio.gather(*(one(n, b) for n, b in enumerate(batches)))
    finally:
        for client in clients:
            await client.aclose()
    return [count for answer in answers for count in answer]


@pytest.mark.slow
def test_two_api_processes_store_thousands_of_overlapping_events_exactly_once(tmp_path):
    config = make_project(tmp_path, "      rate_limit: 0\n")
    events = [vote(session=f"s-{n % 97}", helpful=n % 2 == 0) for n in range(3000)]
    batches = [events[i:i + 20] for i in range(0, len(events), 20)]
    with pg_schema() as schema:
        url = schema_url(schema)
        servers = []
        try:
            ports = [free_port(), free_port()]
            for number, port in enumerate(ports):
                servers.append(start_api_on(config, url, port, tmp_path / f"api-{number}.log"))
            stored = asyncio.run(_send_everywhere(ports, batches))
        finally:
            for server in servers:
                server.terminate()
            for server in servers:
                server.wait(timeout=15)
        assert sum(stored) == len(events)  # each id was new exactly once, in one process
        assert count_rows(schema) == (len(events), len(events))
        assert set(stored_ids(schema)) == {e["id"] for e in events}


# -- moving from SQLite --------------------------------------------------------------------


def _mixed_events(count: int) -> list[dict]:
    rng = random.Random(7)
    kinds = ["view", "search", "search_click", "vote", "contact", "nps"]
    out = []
    for n in range(count):
        kind = kinds[n % len(kinds)]
        base = {"id": f"ev-{n:05d}", "type": kind, "ts": 1_790_000_000_000 + rng.randrange(10**9),
                "session": f"s-{rng.randrange(300)}"}
        extra = {
            "view": {"article": "refunds"},
            "search": {"query": rng.choice(["Ärger", "refund 100%", "  it's\tbroken "]),
                       "results": rng.randrange(3), "source": "contact"},
            "search_click": {"query": "refund", "article": "refunds", "rank": 2},
            "vote": {"article": "reset-password", "helpful": rng.random() < 0.5,
                     "reason": "unclear", "comment": "Line\r\n'quoted' \u202e :since %s"},
            "contact": {"stage": rng.choice(["open", "submit"]), "channel": "chat"},
            "nps": {"score": rng.randrange(11)},
        }[kind]
        out.append({**base, **extra})
    return out


def test_export_from_sqlite_piped_into_import_on_postgresql_loses_nothing(tmp_path):
    sqlite_url = f"sqlite:///{tmp_path / 'old.db'}"
    old = open_store(sqlite_url)
    old.add_events(_mixed_events(2500))
    old.close()
    with pg_schema() as schema:
        pg_url = schema_url(schema)
        exporter = subprocess.Popen(kbgen_command("events", "export", "--db", sqlite_url),
                                    cwd=tmp_path, stdout=subprocess.PIPE)
        importer = subprocess.run(kbgen_command("events", "import", "/dev/stdin", "--db", pg_url),
                                  cwd=tmp_path, stdin=exporter.stdout, capture_output=True,
                                  text=True, timeout=60)
        exporter.stdout.close()
        assert exporter.wait(timeout=30) == 0
        assert importer.returncode == 0, importer.stderr
        assert "Imported 2500 new events" in importer.stderr
        before = kbgen("events", "export", "--db", sqlite_url)
        after = kbgen("events", "export", "--db", pg_url)
        assert before.exit_code == after.exit_code == 0
        assert len(after.stdout.splitlines()) == 2500 and after.stdout == before.stdout


# -- the same report from either store -----------------------------------------------------


def _hand_made_events() -> list[dict]:
    """Cases where SQL dialects could disagree: ties, case, non-ASCII, window edges."""
    return [
        view("h1", 0, "refunds"), contact("h1", 24 * 60), contact("h1", 24 * 60 + 1),
        view("h2", 0, "reset-password"), vote_at("h2", 1, "reset-password", False,
                                                 reason="outdated", comment="100% wrong"),
        vote_at("h2", 1, "reset-password", True, id="tie-B"),
        vote_at("h2", 1, "reset-password", False, id="tie-a"),  # same ts: larger id wins
        search("h3", 0, "Ärger  Mit\tRefund", 0), click("h3", 1, "ärger mit refund", "refunds"),
        search("h3", 2, "ÄRGER MIT REFUND", 2), click("h3", 3, "Ärger mit refund", "refunds"),
        search("h4", 0, "reset password", 1, source="contact"), contact("h4", 1, stage="open"),
        nps("h5", 0, 9), nps("h5", 0, 2, id="zz-last-nps"), nps("h6", 5, 6),
        view("h7", -1, "refunds"), view("h7", 60 * 24 * 29, "unknown-article"),
        {"id": "edge-since", "type": "view", "ts": "2026-11-01T00:00:00Z", "session": "h8",
         "article": "refunds"},
        {"id": "edge-until", "type": "view", "ts": "2026-12-01T00:00:00Z", "session": "h8",
         "article": "refunds"},
    ]


def _random_events(count: int) -> list[dict]:
    rng = random.Random(11)
    articles = [a["id"] for a in MANIFEST["articles"]] + ["gone-article"]
    queries = ["reset password", "Reset  Password ", "refund bitcoin", "Rückerstattung",
               "RÜCKERSTATTUNG", "it's 100% broken"]
    out = []
    for _ in range(count):
        session = f"r{rng.randrange(250)}"
        minutes = rng.uniform(-3 * 24 * 60, 30 * 24 * 60)
        roll = rng.random()
        if roll < 0.35:
            out.append(view(session, minutes, rng.choice(articles)))
        elif roll < 0.55:
            out.append(search(session, minutes, rng.choice(queries), rng.randrange(3)))
        elif roll < 0.65:
            out.append(click(session, minutes, rng.choice(queries), rng.choice(articles)))
        elif roll < 0.8:
            out.append(vote_at(session, minutes, rng.choice(articles), rng.random() < 0.6,
                               reason=rng.choice(["unclear", "outdated"]), comment="Nope"))
        elif roll < 0.93:
            out.append(contact(session, minutes, rng.choice(["open", "submit"])))
        else:
            out.append(nps(session, minutes, rng.randrange(11)))
    return out


TICKETS = [
    {"ticket_id": "T-1", "session": "h2", "ts": at(30), "subject": "Still stuck",
     "source": "t.csv"},
    {"ticket_id": "T-2", "session": None, "ts": at(90), "subject": "Hi", "source": "t.csv"},
    {"ticket_id": "T-3", "session": "r7", "ts": at(600), "subject": "Refund", "source": "t.csv"},
]


def test_the_same_events_give_the_same_json_report_on_sqlite_and_postgresql(tmp_path):
    config = write_project(tmp_path / "site")
    source = tmp_path / "events.jsonl"
    events = _hand_made_events() + _random_events(3000)
    source.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    window = ("--since", "2026-11-01", "--until", "2026-12-01")
    with pg_schema() as schema:
        reports = []
        for url in (f"sqlite:///{tmp_path / 'kbgen.db'}", schema_url(schema)):
            imported = kbgen("events", "import", str(source), "--db", url)
            assert imported.exit_code == 0, imported.output
            store = open_store(url)
            try:
                assert store.add_tickets(TICKETS) == 3
            finally:
                store.close()
            report = kbgen("report", "-f", str(config), "--db", url, "--format", "json",
                           *window)
            assert report.exit_code == 0, report.output
            # Only the wall-clock time the report was made at may differ.
            reports.append(re.sub(r'"generated": "[^"]*"', '"generated": "-"', report.stdout))
    on_sqlite, on_postgres = reports
    data = json.loads(on_sqlite)
    assert data["events"] > 2000 and data["articles"] and data["searches"]
    assert data["site"]["nps"] is not None and data["feedback"]
    assert on_postgres == on_sqlite
