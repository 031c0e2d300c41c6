"""Day rollups (schema version 3) give exactly the report that reading every event gives.

A seeded log of a few thousand events over ten days, with the cases that make day rollups
hard: sessions that run past midnight, sessions that come back days later, tickets on
another day than the session's events, retried events, votes tied on the same instant,
queries typed in different cases and spacing. Each report is compared field by field with
`rollups=False` (every event read), while rollups are first computed, then reused, then
made stale by new events and tickets.
"""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import UTC, datetime
from importlib import resources

import pytest
from analytics_helpers import MANIFEST, manifest_from, write_project
from click.testing import CliRunner

from kbgen.analytics import build_report, make_window
from kbgen.cli import cli
from kbgen.store import migrations, open_store, rows, sql

START = datetime(2026, 11, 2, tzinfo=UTC)  # a Monday
NOW = datetime(2026, 11, 20, tzinfo=UTC)
WINDOWS = [("2026-11-02", "2026-11-09"), ("2026-11-04", "2026-11-12"),
           ("2026-11-05", "2026-11-06"), ("2026-10-30", "2026-11-30"),
           # Windows with times: part days at the ends are read from their events.
           ("2026-11-03T05:00:00Z", "2026-11-09T13:30:00Z"),
           ("2026-11-05T10:00:00Z", "2026-11-05T12:00:00Z"),
           ("2026-11-04T22:00:00Z", "2026-11-05T03:00:00Z"),
           ("2026-11-04T22:00:00Z", "2026-11-06T00:00:00Z")]
ARTICLES = [article["id"] for article in MANIFEST["articles"]]
QUERIES = ["reset password", "Reset  Password ", "RESET password", "refund", "refund bitcoin"]


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def random_log(seed: int, sessions: int = 600) -> list[dict]:
    rng, log, n = random.Random(seed), [], 0

    def add(kind, session, t, **fields):
        nonlocal n
        n += 1
        log.append({"id": f"r{seed}-{n}", "type": kind, "ts": t, "session": session, **fields})

    for i in range(sessions):
        session = f"s{seed}-{i}"
        # Start anywhere in ten days, often in the last hour before midnight.
        day = rng.randrange(10)
        t = ms(START) + day * 86_400_000 + (
            rng.randrange(86_400_000) if rng.random() < 0.7
            else 86_400_000 - rng.randrange(3_600_000))
        article = rng.choice(ARTICLES)
        for _ in range(rng.randint(1, 8)):
            t += rng.choice((1_000, 60_000, 20 * 60_000, 3_600_000, 23 * 3_600_000,
                             2 * 86_400_000)) if rng.random() < 0.8 else 0
            roll = rng.random()
            if roll < 0.3:
                add("view", session, t, article=article)
            elif roll < 0.45:
                add("vote", session, t, article=article, helpful=rng.random() < 0.5,
                    **({"reason": "unclear", "comment": "hm"} if rng.random() < 0.3 else {}))
            elif roll < 0.6:
                query = rng.choice(QUERIES)
                add("search", session, t, query=query, results=rng.choice((0, 3)),
                    source="site")
                if rng.random() < 0.5:
                    add("search_click", session, t + rng.choice((0, 5_000, 86_400_000)),
                        query=rng.choice(QUERIES), article=article, rank=1)
            elif roll < 0.8:
                add("contact", session, t, stage=rng.choice(("open", "submit")))
            else:
                add("nps", session, t, score=rng.randint(0, 10))
    log += [dict(event) for event in rng.sample(log, 40)]  # retried: same id, stored once
    return log


def random_tickets(seed: int, log: list[dict]) -> list[dict]:
    rng = random.Random(seed)
    picked = rng.sample(log, 30)
    return [{"ticket_id": f"T{seed}-{i}", "session": event["session"] if i % 5 else None,
             "ts": event["ts"] + rng.choice((-3_600_000, 60_000, 30 * 3_600_000)),
             "subject": "help", "source": "t.csv"}
            for i, event in enumerate(picked)]


def assert_same_reports(store, manifest) -> None:
    for since, until in WINDOWS:
        window = make_window(since, until)
        expected = build_report(store, window, manifest, now=NOW, rollups=False)
        assert build_report(store, window, manifest, now=NOW) == expected, (since, until)


def check_rollups(store, manifest) -> None:
    log = random_log(1)
    tickets = random_tickets(1, log)
    store.add_events(log)
    store.add_tickets(tickets)
    assert_same_reports(store, manifest)  # rollups computed and kept
    assert_same_reports(store, manifest)  # kept rollups reused
    # New single-day sessions on kept days.
    store.add_events([
        {"id": f"new-{day}-{kind}", "type": "contact", "stage": kind, "session": f"new-{day}",
         "ts": ms(START) + day * 86_400_000 + 43_200_000}
        for day in range(10) for kind in ("open", "submit")])
    assert_same_reports(store, manifest)
    # Sessions that stay on their day get one more event: a contact at their first instant.
    firsts = {}
    for event in log:
        firsts.setdefault(event["session"], event["ts"])
    store.add_events([{"id": f"again-{session}", "type": "contact", "stage": "submit",
                       "session": session, "ts": ts}
                      for session, ts in list(firsts.items())[::9]])
    assert_same_reports(store, manifest)
    # One single-day session comes back three days later: nothing else is written on the
    # day it was counted on, yet that day's kept rollup must not count it any more.
    days = {}
    for event in log + tickets:
        if event["session"]:
            days.setdefault(event["session"], set()).add(event["ts"] // 86_400_000)
    back = next(session for session, seen in days.items() if len(seen) == 1)
    store.add_events([{"id": "back", "type": "view", "article": ARTICLES[0], "session": back,
                       "ts": firsts[back] + 3 * 86_400_000}])
    assert_same_reports(store, manifest)
    # New events on kept days, sessions that start to span days, tickets, retries.
    more = random_log(2, sessions=200)
    old_sessions = [event["session"] for event in log[:300:7]]
    for i, session in enumerate(old_sessions):
        for event in more[i * 3:i * 3 + 3]:
            event["session"] = session
    store.add_events(more + log[:50])
    store.add_tickets(random_tickets(2, log))
    assert_same_reports(store, manifest)
    assert_same_reports(store, manifest)


def test_rollups_match_every_event_read_on_sqlite(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'kbgen.db'}")
    try:
        check_rollups(store, manifest_from(tmp_path=tmp_path))
    finally:
        store.close()


@pytest.mark.postgres
def test_rollups_match_every_event_read_on_postgres(tmp_path):
    from pg_helpers import pg_schema, schema_url

    with pg_schema() as schema:
        store = open_store(schema_url(schema))
        try:
            check_rollups(store, manifest_from(tmp_path=tmp_path))
        finally:
            store.close()


# The tickets table before schema version 5 had no body column.
V2_TICKET = ("INSERT INTO tickets (ticket_id, session, article, ts, subject, source) "
             "VALUES (:ticket_id, :session, :article, :ts, :subject, :source)")
# The events columns before schema version 6 added `rev` (and 8 `lang`): how kbgen wrote
# events then.
V2_COLUMNS = tuple(c for c in sql.EVENT_COLUMNS if c not in ("rev", "lang"))
V2_INSERT_EVENT = (f"INSERT INTO events ({', '.join(V2_COLUMNS)}) "
                   f"VALUES ({', '.join(':' + c for c in V2_COLUMNS)}) "
                   "ON CONFLICT (id) DO NOTHING")


def version_2_database(path, events: list[dict], tickets: list[dict]) -> None:
    """A store file as kbgen wrote it before schema version 3."""
    conn = sqlite3.connect(path)
    for step, filename in migrations.MIGRATIONS:
        if step <= 2:
            script = resources.files("kbgen.store").joinpath(filename).read_text("utf-8")
            for statement in migrations.statements(script):
                conn.execute(statement)
    conn.execute(sql.INSERT_SCHEMA_VERSION, {"version": 2})
    conn.executemany(V2_INSERT_EVENT, [rows.event_params(e, ms(NOW)) for e in events])
    conn.executemany(V2_TICKET, [rows.ticket_params(t) for t in tickets])
    conn.commit()
    conn.close()


def test_a_version_2_database_migrates_and_gives_the_same_report(tmp_path):
    log = random_log(3)
    tickets = random_tickets(3, log)
    version_2_database(tmp_path / "old.db", log, tickets)
    fresh = open_store(f"sqlite:///{tmp_path / 'fresh.db'}")
    fresh.add_events(log)
    fresh.add_tickets(tickets)
    fresh.close()
    config = write_project(tmp_path / "site")
    runner = CliRunner()

    def report(db: str) -> dict:
        result = runner.invoke(cli, ["report", "-f", str(config), "--db", f"sqlite:///{db}",
                                     "--since", "2026-11-02", "--until", "2026-11-12",
                                     "--format", "json"])
        assert result.exit_code == 0, result.output
        data = json.loads(result.output)
        data.pop("generated")
        return data

    status = runner.invoke(cli, ["db", "status", "--db", f"sqlite:///{tmp_path / 'old.db'}"])
    assert "schema version 2" in status.output
    migrated = runner.invoke(cli, ["db", "migrate", "--db", f"sqlite:///{tmp_path / 'old.db'}"])
    assert migrated.exit_code == 0 and f"to {migrations.LATEST}" in migrated.output
    expected = report(tmp_path / "fresh.db")
    assert expected["events"] > 1000
    assert report(tmp_path / "old.db") == expected
    assert report(tmp_path / "old.db") == expected  # with the rollups the first one kept


@pytest.mark.postgres
def test_a_version_2_postgres_database_migrates_and_gives_the_same_report(tmp_path):
    import psycopg
    from pg_helpers import pg_schema, schema_url

    from kbgen.store.placeholders import to_pyformat

    log = random_log(4)
    tickets = random_tickets(4, log)
    manifest = manifest_from(tmp_path=tmp_path)
    window = make_window("2026-11-02", "2026-11-12")
    fresh = open_store(f"sqlite:///{tmp_path / 'fresh.db'}")
    fresh.add_events(log)
    fresh.add_tickets(tickets)
    expected = build_report(fresh, window, manifest, now=NOW)
    fresh.close()
    with pg_schema(migrate=False) as schema:
        url = schema_url(schema)
        with psycopg.connect(url, autocommit=True) as conn:  # as kbgen wrote it before v3
            for name in ("schema_postgres.sql", "0002_covering_indexes_postgres.sql"):
                conn.execute(resources.files("kbgen.store").joinpath(name).read_text("utf-8"))
            conn.execute(sql.SCHEMA_VERSION_TABLE)
            conn.execute("INSERT INTO schema_version (version) VALUES (2)")
            with conn.cursor() as cur:
                cur.executemany(to_pyformat(V2_INSERT_EVENT),
                                [rows.event_params(e, ms(NOW)) for e in log])
                cur.executemany(to_pyformat(V2_TICKET), [rows.ticket_params(t) for t in tickets])
        migrated = CliRunner().invoke(cli, ["db", "migrate", "--db", url])
        assert migrated.exit_code == 0 and f"to {migrations.LATEST}" in migrated.output
        assert "Prepared report rollups for" in migrated.stderr  # every day, right away
        store = open_store(url)
        try:
            days = [row["ts"] // 86_400_000 for row in log + tickets]
            kept = {int(day) for (day,) in store.query("SELECT day FROM report_days", {})}
            assert kept == set(range(min(days), max(days) + 1))
            assert build_report(store, window, manifest, now=NOW) == expected
            assert build_report(store, window, manifest, now=NOW) == expected  # kept days
        finally:
            store.close()
