"""Bulk writes leave the report's day rollups ready: after `kbgen events import`,
`kbgen tickets import` and `kbgen db migrate`, every day they wrote is kept at its current
version, and the first `kbgen report` equals the report that reads every event.

The log (tests/test_report_rollups.py's) has sessions that run past midnight and come back
days later, and retried events (the same id twice in the file).
"""

from __future__ import annotations

import json

import pytest
from analytics_helpers import manifest_from, write_project
from click.testing import CliRunner
from test_report_rollups import ARTICLES, NOW, random_log, random_tickets, version_2_database

from kbgen.analytics import build_report, make_window
from kbgen.analytics.prepare import prepare_rollups
from kbgen.cli import cli
from kbgen.events.timestamps import format_ts
from kbgen.reports import render
from kbgen.store import open_store

SINCE, UNTIL = "2026-11-01", "2026-11-16"
DAY_MS = 86_400_000


def write_log(path, events: list[dict]) -> None:
    path.write_text("".join(json.dumps({**e, "ts": format_ts(e["ts"])}) + "\n" for e in events))


def write_tickets(path, tickets: list[dict]) -> None:
    lines = ["Id,Created at,Subject,kb_session"]
    lines += [f"{t['ticket_id']},{format_ts(t['ts'])},{t['subject']},{t['session'] or ''}"
              for t in tickets]
    path.write_text("\n".join(lines) + "\n")


def kept_days(url: str) -> dict[int, int]:
    """Kept day -> its version, for the days kept at the day's current version."""
    store = open_store(url)
    try:
        versions = dict(store.query(
            "SELECT day, SUM(version) FROM report_day_versions GROUP BY day", {}))
        return {day: version for day, version in store.query(
            "SELECT day, version FROM report_days", {}) if versions.get(day, 0) == version}
    finally:
        store.close()


def cli_report(runner, config, url) -> dict:
    result = runner.invoke(cli, ["report", "-f", str(config), "--db", url, "--since", SINCE,
                                 "--until", UNTIL, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    data.pop("generated")
    # Contact drivers are read from events and tickets directly, never from the day rollups
    # these tests compare (tests/test_drivers.py covers them).
    for key in ("topics", "drivers_method", "next_actions"):
        data.pop(key)
    return data


def every_event_report(url, tmp_path) -> dict:
    store = open_store(url)
    try:
        data = build_report(store, make_window(SINCE, UNTIL), manifest_from(tmp_path=tmp_path),
                            rollups=False)
    finally:
        store.close()
    data = json.loads(render(data, "json"))
    data.pop("generated")
    return data


def days_of(events: list[dict]) -> set[int]:
    return {e["ts"] // DAY_MS for e in events}


def check_import(tmp_path, url) -> None:
    log = random_log(5)
    assert len({e["id"] for e in log}) < len(log)  # retried events in the file
    sessions: dict[str, set[int]] = {}
    for event in log:
        sessions.setdefault(event["session"], set()).add(event["ts"] // DAY_MS)
    assert any(len(days) > 1 for days in sessions.values())  # past midnight
    write_log(tmp_path / "log.jsonl", log)
    config = write_project(tmp_path / "site")
    runner = CliRunner()

    imported = runner.invoke(cli, ["events", "import", str(tmp_path / "log.jsonl"),
                                   "--db", url])
    assert imported.exit_code == 0, imported.output
    days = range(min(days_of(log)), max(days_of(log)) + 1)
    assert f"Prepared report rollups for {len(days)} days in" in imported.stderr
    assert set(kept_days(url)) == set(days)
    assert cli_report(runner, config, url) == every_event_report(url, tmp_path)

    # Tickets on other days than their sessions' events: those days are prepared too.
    tickets = random_tickets(5, log)
    write_tickets(tmp_path / "tickets.csv", tickets)
    imported = runner.invoke(cli, ["tickets", "import", str(tmp_path / "tickets.csv"),
                                   "--preset", "zendesk", "--db", url])
    assert imported.exit_code == 0, imported.output
    assert "Prepared report rollups for" in imported.stderr
    assert days_of(tickets) <= set(kept_days(url))
    assert cli_report(runner, config, url) == every_event_report(url, tmp_path)

    # Importing the same file again stores nothing new; the report does not change.
    again = runner.invoke(cli, ["events", "import", str(tmp_path / "log.jsonl"), "--db", url])
    assert again.exit_code == 0 and "Imported 0 new events" in again.stderr
    assert cli_report(runner, config, url) == every_event_report(url, tmp_path)


def test_events_import_prepares_the_days_it_wrote_on_sqlite(tmp_path):
    check_import(tmp_path, f"sqlite:///{tmp_path / 'kbgen.db'}")


@pytest.mark.postgres
def test_events_import_prepares_the_days_it_wrote_on_postgres(tmp_path):
    from pg_helpers import pg_schema, schema_url

    with pg_schema() as schema:
        check_import(tmp_path, schema_url(schema))


def test_migrating_to_version_3_prepares_every_day(tmp_path):
    log = random_log(6)
    tickets = random_tickets(6, log)
    version_2_database(tmp_path / "old.db", log, tickets)
    url = f"sqlite:///{tmp_path / 'old.db'}"
    runner = CliRunner()
    migrated = runner.invoke(cli, ["db", "migrate", "--db", url])
    assert migrated.exit_code == 0, migrated.output
    stored = log + tickets
    span = max(days_of(stored)) - min(days_of(stored)) + 1
    assert f"Prepared report rollups for {span} days in" in migrated.stderr
    assert set(kept_days(url)) == set(range(min(days_of(stored)), max(days_of(stored)) + 1))
    config = write_project(tmp_path / "site")
    assert cli_report(runner, config, url) == every_event_report(url, tmp_path)
    again = runner.invoke(cli, ["db", "migrate", "--db", url])
    assert "nothing to do" in again.output and "Prepared" not in again.stderr


def test_preparing_in_chunks_keeps_the_same_days(tmp_path, monkeypatch):
    """Days are computed a chunk at a time (bounded memory); the result is the same."""
    from kbgen.analytics import prepare

    url = f"sqlite:///{tmp_path / 'kbgen.db'}"
    store = open_store(url)
    try:
        log = random_log(7)
        store.add_events(log)
        monkeypatch.setattr(prepare, "CHUNK_DAYS", 3)
        done = prepare_rollups(store)
        assert done.complete and done.days == len(range(min(days_of(log)),
                                                        max(days_of(log)) + 1))
        assert prepare_rollups(store).days == 0  # all kept now
        window = make_window(SINCE, UNTIL)
        manifest = manifest_from(tmp_path=tmp_path)
        assert build_report(store, window, manifest, now=NOW) == build_report(
            store, window, manifest, now=NOW, rollups=False)
    finally:
        store.close()


def test_a_read_only_database_still_imports_and_warns(tmp_path, monkeypatch):
    """Failing to keep rollups never fails the import: the events are committed first."""
    from kbgen.analytics import rollups

    def refuse(store, days):
        return False

    monkeypatch.setattr("kbgen.analytics.prepare.save_rollups", refuse)
    assert rollups.save_rollups is not refuse
    log = random_log(8, sessions=50)
    write_log(tmp_path / "log.jsonl", log)
    url = f"sqlite:///{tmp_path / 'kbgen.db'}"
    result = CliRunner().invoke(cli, ["events", "import", str(tmp_path / "log.jsonl"),
                                      "--db", url])
    assert result.exit_code == 0, result.output
    assert f"Imported {len({e['id'] for e in log})} new events" in result.stderr
    assert "stopped early" in result.stderr
    assert kept_days(url) == {}


def test_importing_into_a_version_2_file_prepares_every_day(tmp_path):
    """SQLite migrates a version 2 file as the import opens it: every day starts stale, so
    every day is prepared, not only the imported ones."""
    log = random_log(9, sessions=200)
    version_2_database(tmp_path / "old.db", log, [])
    url = f"sqlite:///{tmp_path / 'old.db'}"
    late = [{"id": "late", "type": "view", "article": ARTICLES[0],
             "session": "late", "ts": max(e["ts"] for e in log)}]
    write_log(tmp_path / "late.jsonl", late)
    result = CliRunner().invoke(cli, ["events", "import", str(tmp_path / "late.jsonl"),
                                      "--db", url])
    assert result.exit_code == 0, result.output
    days = range(min(days_of(log)), max(days_of(log)) + 1)
    assert f"Prepared report rollups for {len(days)} days in" in result.stderr
    assert set(kept_days(url)) == set(days)
