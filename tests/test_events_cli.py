"""`kbgen events export` and `kbgen events import`: JSON lines in SPEC.md's format."""

from __future__ import annotations

import json

from click.testing import CliRunner

from kbgen.cli import cli
from kbgen.store import open_store

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
