"""Long work shows progress on stderr (kbgen/progress.py): plain lines in logs, a bar on a
terminal, nothing for short work, and never a byte on stdout.

The thresholds are lowered through the documented environment variables
(KBGEN_PROGRESS_AFTER=0: show at once; KBGEN_PROGRESS_EVERY=0: a line at every step), so a
test's small data shows what a big import, build or report shows after a few seconds.
"""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

from drivers_scenario import SINCE, UNTIL, write_contacts, write_help_center

from kbgen.store import migrations
from tests.conftest import run_kbgen

NOW = {"KBGEN_PROGRESS_AFTER": "0", "KBGEN_PROGRESS_EVERY": "0"}
EVENTS = 3_500  # four chunks of the import's 1,000 events


def write_events(path: Path, count: int = EVENTS) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            out.write(json.dumps({
                "id": f"e{n}", "type": "view", "session": f"s-{n // 5}", "article": "refunds",
                "ts": f"2026-11-{1 + n % 28:02d}T10:{n % 60:02d}:00.000Z"}) + "\n")
    return path


def plain(stderr: str, label: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(f"{label}: ")]


def test_events_import_writes_plain_progress_lines_to_stderr_only(tmp_path):
    source = write_events(tmp_path / "events.jsonl")
    db = f"sqlite:///{tmp_path / 'events.db'}"
    result = run_kbgen("events", "import", str(source), "--db", db, cwd=tmp_path, env=NOW)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert "\r" not in result.stderr and "\x1b" not in result.stderr  # no redraws in logs
    lines = plain(result.stderr, "Importing events")
    size = source.stat().st_size / 1e6
    assert re.fullmatch(r"Importing events: 0\.\d MB of 0\.\d MB \(\d+ %\), 1,000 lines, "
                        r"1,000 new events, \d+ s", lines[0]), lines
    assert f"of {size:.1f} MB (100 %), 3,500 lines, 3,500 new events" in lines[-2]
    assert re.fullmatch(rf"Importing events: done \({size:.1f} MB, \d+ s\)\.", lines[-1])
    # The rollups prepared after the import: 28 days.
    days = plain(result.stderr, "Preparing report rollups")
    assert days and re.fullmatch(r"Preparing report rollups: done \(28 days, \d+ s\)\.",
                                 days[-1])
    assert "Imported 3500 new events" in result.stderr

    # Export's stdout is the events and nothing else.
    exported = run_kbgen("events", "export", "--db", db, cwd=tmp_path, env=NOW)
    rows = [json.loads(line) for line in exported.stdout.splitlines()]
    assert len(rows) == EVENTS

    # Short work under the default threshold, or progress off: not a line.
    again = write_events(tmp_path / "again.jsonl", 10)
    for env in ({"KBGEN_PROGRESS_AFTER": "3600", "KBGEN_PROGRESS_EVERY": "0"},
                {**NOW, "KBGEN_PROGRESS": "off"}):
        quiet = run_kbgen("events", "import", str(again), "--db", db, cwd=tmp_path, env=env)
        assert quiet.returncode == 0, quiet.stderr
        assert "Imported 0 new events" in quiet.stderr
        assert not plain(quiet.stderr, "Importing events")
        assert not plain(quiet.stderr, "Preparing report rollups")


def test_db_migrate_shows_its_statements(tmp_path):
    db = f"sqlite:///{tmp_path / 'new.db'}"
    result = run_kbgen("db", "migrate", "--db", db, cwd=tmp_path, env=NOW)
    assert result.returncode == 0, result.stderr
    steps = migrations.LATEST
    lines = plain(result.stderr, f"Migrating {tmp_path / 'new.db'} to schema version {steps}")
    assert len(lines) > steps, result.stderr
    assert re.search(rf": 0 of (\d+) statements \(0 %\), step 1 of {steps}, \d+ s$", lines[0])
    total = int(re.search(r"of (\d+) statements", lines[0]).group(1))
    assert f": {total} of {total} statements (100 %), step {steps} of {steps}" in lines[-2]
    assert re.search(rf": done \({total} statements, \d+ s\)\.$", lines[-1])
    assert result.stdout.startswith("Migrated database") and "statements" not in result.stdout


def test_build_shows_the_embedding_of_titles(tmp_path):
    (tmp_path / "cache").mkdir()
    assert run_kbgen("init", cwd=tmp_path).returncode == 0
    env = {**NOW, "KBGEN_CACHE_DIR": str(tmp_path / "cache")}  # nothing embedded before
    result = run_kbgen("build", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    lines = plain(result.stderr, "Embedding titles for search by meaning")
    assert lines and re.search(r": 5 of 5 texts \(100 %\), \d+ s$", lines[-2]), result.stderr
    assert re.search(r": done \(5 texts, \d+ s\)\.$", lines[-1])


def test_report_json_stays_clean_while_drivers_show_progress(tmp_path):
    write_help_center(tmp_path, semantic="off")
    events, tickets = write_contacts(tmp_path)
    assert run_kbgen("events", "import", str(events), cwd=tmp_path).returncode == 0
    assert run_kbgen("tickets", "import", str(tickets), "--preset", "zendesk",
                     cwd=tmp_path).returncode == 0
    result = run_kbgen("report", "--format", "json", "--since", SINCE, "--until", UNTIL,
                       cwd=tmp_path, env=NOW)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)  # stdout is the report alone
    assert len(data["topics"]) == 3
    lines = plain(result.stderr, "Contact drivers")
    stages = [re.search(r"stages \(\d+ %\), ([a-z ]+), \d+ s$", line).group(1)
              for line in lines[:-1]]  # a stage that lasts is repeated, with its time
    assert list(dict.fromkeys(stages)) == [
        "reading the articles", "reading the tickets", "embedding texts",
        "matching tickets to articles", "grouping tickets", "labelling topics"], lines
    assert "6 of 6 stages (100 %)" in lines[-2]
    assert re.fullmatch(r"Contact drivers: done \(6 stages, \d+ s\)\.", lines[-1])


def test_a_terminal_gets_a_progress_bar(tmp_path):
    """Under a pseudo-terminal (stderr a tty, stdout a pipe): click's bar, redrawn in place."""
    source = write_events(tmp_path / "events.jsonl")
    db = f"sqlite:///{tmp_path / 'events.db'}"
    controller, terminal = pty.openpty()
    env = {**os.environ, **NOW, "COLUMNS": "120", "TERM": "xterm"}
    process = subprocess.Popen(
        [sys.executable, "-m", "kbgen", "events", "import", str(source), "--db", db],
        cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=terminal)
    os.close(terminal)
    seen = b""
    while True:
        ready, _, _ = select.select([controller], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closed: the command has exited
            break
        if not chunk:
            break
        seen += chunk
    os.close(controller)
    with process.stdout:
        stdout = process.stdout.read()
    assert process.wait(timeout=60) == 0, seen
    screen = seen.decode("utf-8", "replace")
    assert stdout == b""
    bars = re.findall(r"\r\x1b\[\?25lImporting events  \[([# -]{36})\]\s+(\d+)%", screen)
    assert bars and bars[-1] == ("#" * 36, "100"), screen
    assert "3,500 lines, 3,500 new events" in screen
    assert "\x1b[?25h" in screen  # the cursor is given back when the bar ends
    assert "Importing events:" not in screen  # no plain lines on a terminal
    assert "Imported 3500 new events" in screen
