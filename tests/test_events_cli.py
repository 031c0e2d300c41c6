"""`kbgen events export` and `kbgen events import`: JSON lines in SPEC.md's format."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess

import pytest
from analytics_helpers import at, click, search, view, vote, write_project
from api_helpers import kbgen_command
from click.testing import CliRunner
from pg_helpers import pg_schema, schema_url

from kbgen.cli import cli
from kbgen.store import open_store
from kbgen.store.rows import UnstorableText

LINES = [
    {"id": "e1", "type": "view", "ts": "2026-11-24T10:00:00Z", "session": "s-1",
     "article": "refunds"},
    {"id": "e2", "type": "vote", "ts": "2026-11-24T10:01:00.250Z", "session": "s-1",
     "article": "refunds", "helpful": False, "reason": "unclear",
     "comment": "=HYPERLINK(\"x\")\x1b[31m\u202e"},
    {"id": "e3", "type": "contact", "ts": "2026-11-24T10:02:00Z", "session": "s-1",
     "stage": "submit", "channel": "email"},
]


def kbgen(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def write_jsonl(path, rows) -> None:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows),
                    encoding="utf-8")


def test_import_keeps_ts_and_export_prints_the_same_events(tmp_path):
    db = f"sqlite:///{tmp_path / 'events.db'}"
    source = tmp_path / "events.jsonl"
    write_jsonl(source, LINES)
    result = kbgen("events", "import", str(source), "--db", db)
    assert result.exit_code == 0, result.output
    assert "Imported 3 new events" in result.stderr

    exported = kbgen("events", "export", "--db", db)
    assert exported.exit_code == 0
    events = [json.loads(line) for line in exported.stdout.splitlines()]
    assert [e["ts"] for e in events] == [
        "2026-11-24T10:00:00.000Z", "2026-11-24T10:01:00.250Z", "2026-11-24T10:02:00.000Z"]
    assert events[1]["comment"] == LINES[1]["comment"] and events[1]["helpful"] is False
    assert "\x1b" not in exported.stdout and "\u202e" not in exported.stdout


def test_reimporting_stores_duplicates_once(tmp_path):
    db = f"sqlite:///{tmp_path / 'events.db'}"
    source = tmp_path / "events.jsonl"
    write_jsonl(source, LINES + LINES[:1])
    assert kbgen("events", "import", str(source), "--db", db).exit_code == 0
    again = kbgen("events", "import", str(source), "--db", db)
    assert again.exit_code == 0 and "Imported 0 new events" in again.stderr
    store = open_store(db)
    assert [e["id"] for e in store.iter_events()] == ["e1", "e2", "e3"]
    store.close()


def test_bad_lines_are_reported_with_line_numbers_and_the_rest_imported(tmp_path):
    db = f"sqlite:///{tmp_path / 'events.db'}"
    source = tmp_path / "mixed.jsonl"
    no_ts = {k: v for k, v in LINES[0].items() if k != "ts"} | {"id": "e9"}
    write_jsonl(source, [LINES[0], "{not json", {**LINES[1], "helpful": "no"}, "", no_ts,
                         LINES[2]])
    result = kbgen("events", "import", str(source), "--db", db)
    assert result.exit_code == 1
    assert f"{source}:2: " in result.stderr and "invalid JSON" in result.stderr
    assert f"{source}:3: helpful: must be true or false" in result.stderr
    assert f"{source}:5: ts: is required" in result.stderr
    assert "Traceback" not in result.output
    store = open_store(db)
    assert [e["id"] for e in store.iter_events()] == ["e1", "e3"]
    store.close()


def test_export_to_a_file_and_the_database_from_the_environment(tmp_path, monkeypatch):
    db = f"sqlite:///{tmp_path / 'events.db'}"
    store = open_store(db)
    store.add_events(LINES)
    store.close()
    monkeypatch.setenv("KBGEN_DATABASE_URL", db)
    out = tmp_path / "out.jsonl"
    result = kbgen("events", "export", "--out", str(out))
    assert result.exit_code == 0 and "Exported 3 events" in result.stderr
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["e1", "e2", "e3"]



def test_export_from_a_missing_database_says_so_instead_of_creating_it(tmp_path):
    missing = tmp_path / "typo.db"
    result = kbgen("events", "export", "--db", f"sqlite:///{missing}")
    assert result.exit_code == 1 and "No database at" in result.stderr
    assert not missing.exists()


# What older versions let into SQLite through the search route: NUL and ESC in a query, and a
# comment with NUL among other controls. No store takes NUL now; imports replace it.
OLD_ROWS = [
    ("old-1", "search", at(5), "s-old", None, "refund\x00\x1b[2Jpolicy", 0, "site", None,
     None, None, None),
    ("old-2", "vote", at(6), "s-old", "refunds", None, None, None, None, 0, "unclear",
     "bad\x00\x00page\x07\u202e"),
    ("old-3", "search", at(7), "s-old2", None, "REFUND\x00\x1b[2JPOLICY", 0, "site", None,
     None, None, None),
]
CONTROL_EVENTS = [
    view("s-1", 1, "refunds"),
    search("s-1", 2, "refund \x1b[31mred\u202e", 3),
    click("s-1", 3, "refund \x1b[31mred\u202e", "refunds"),
    vote("s-1", 4, "refunds", False, reason="unclear", comment="=cmd|' /C calc'!A0\x1b]8;;\x07"),
]


def _move(source: str, target: str) -> subprocess.CompletedProcess:
    """`kbgen events export --db SOURCE | kbgen events import - --db TARGET`, real processes."""
    export = subprocess.Popen(kbgen_command("events", "export", "--db", source),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    imported = subprocess.run(kbgen_command("events", "import", "-", "--db", target),
                              stdin=export.stdout, capture_output=True, text=True, timeout=120)
    export.stdout.close()
    with export.stderr:
        assert export.wait(timeout=60) == 0, export.stderr.read()
    return imported


def _json_report(config, url: str) -> dict:
    result = subprocess.run(
        kbgen_command("report", "-f", str(config), "--db", url, "--format", "json",
                      "--since", "2026-11-01", "--until", "2026-12-01"),
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(re.sub(r'"generated": "[^"]*"', '"generated": "-"', result.stdout))


def test_sqlite_rows_with_nul_move_to_postgresql_and_report_the_same(tmp_path):
    config = write_project(tmp_path / "site")
    path = tmp_path / "old.db"
    sqlite_url = f"sqlite:///{path}"
    store = open_store(sqlite_url)
    store.add_events(CONTROL_EVENTS)
    store.close()
    with sqlite3.connect(path) as conn:  # as an older kbgen stored them, around any check
        conn.executemany(
            "INSERT INTO events (id, type, ts, session, article, query, results, source, rank, "
            "helpful, reason, comment, received) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
            [(row[0], row[1], int(_ms(row[2])), *row[3:]) for row in OLD_ROWS])
    with pg_schema() as schema:
        moved = _move(sqlite_url, schema_url(schema))
        assert moved.returncode == 0, moved.stderr
        assert "Imported 7 new events from - (0 already stored, 0 bad lines)." in moved.stderr
        assert "Replaced NUL characters with U+FFFD in 3 fields" in moved.stderr
        assert "-:5: query" in moved.stderr and "-:6: comment" in moved.stderr
        assert "-:7: query" in moved.stderr and "Traceback" not in moved.stderr
        store = open_store(schema_url(schema))
        try:
            kept = {e["id"]: e for e in store.iter_events()}
        finally:
            store.close()
        assert kept["old-1"]["query"] == "refund\ufffd\x1b[2Jpolicy"  # ESC kept, NUL replaced
        assert kept["old-2"]["comment"] == "bad\ufffd\ufffdpage\x07\u202e"
        on_sqlite, on_postgres = _json_report(config, sqlite_url), _json_report(config,
                                                                               schema_url(schema))
        assert on_postgres == on_sqlite
        # Both spellings of the old query are one query in both reports, shown with U+FFFD.
        old = [(q["query"], q["count"]) for q in on_sqlite["searches"] if "policy" in q["query"]]
        assert old == [("refund\ufffd\x1b[2jpolicy", 2)]
        again = _move(sqlite_url, schema_url(schema))
        assert again.returncode == 0 and "Imported 0 new events" in again.stderr


def test_postgresql_events_with_control_characters_move_to_sqlite(tmp_path):
    config = write_project(tmp_path / "site")
    sqlite_url = f"sqlite:///{tmp_path / 'new.db'}"
    with pg_schema() as schema:
        store = open_store(schema_url(schema))
        try:
            store.add_events(CONTROL_EVENTS)
        finally:
            store.close()
        moved = _move(schema_url(schema), sqlite_url)
        assert moved.returncode == 0, moved.stderr
        assert "Imported 4 new events" in moved.stderr and "Replaced" not in moved.stderr
        assert _json_report(config, sqlite_url) == _json_report(config, schema_url(schema))
    store = open_store(sqlite_url)
    try:
        assert [e.get("comment") for e in store.iter_events()][-1] == CONTROL_EVENTS[-1]["comment"]
    finally:
        store.close()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_both_stores_refuse_nul_in_text_and_store_nothing_of_the_write(tmp_path, backend):
    bad = {**CONTROL_EVENTS[1], "id": "nul-1", "query": "a\x00b"}
    with pg_schema() as schema:
        url = f"sqlite:///{tmp_path / 'k.db'}" if backend == "sqlite" else schema_url(schema)
        store = open_store(url)
        try:
            with pytest.raises(UnstorableText, match="'nul-1': query contains a NUL character"):
                store.add_events([CONTROL_EVENTS[0], bad])
            assert list(store.iter_events()) == []
        finally:
            store.close()


def test_import_replaces_nul_but_the_live_rules_still_refuse_it(tmp_path):
    from kbgen.events import validate_payload

    event = {**CONTROL_EVENTS[3], "comment": "x\x00y"}
    assert validate_payload(event)[1][0].message == "contains a NUL character; remove it"
    source = tmp_path / "nul.jsonl"
    write_jsonl(source, [event, {**event, "id": "e-sess", "session": "s\x00"}])
    db = f"sqlite:///{tmp_path / 'events.db'}"
    result = kbgen("events", "import", str(source), "--db", db)
    assert result.exit_code == 1  # identifiers are not free text: a NUL there is a bad line
    assert f"{source}:2: session: contains a NUL character" in result.stderr
    assert f"{source}:1: comment" in result.stderr
    store = open_store(db)
    assert [e["comment"] for e in store.iter_events()] == ["x\ufffdy"]
    store.close()


def _ms(text: str) -> int:
    from kbgen.events.timestamps import parse_ts

    return parse_ts(text)
