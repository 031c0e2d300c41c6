"""`kbgen events export` and `kbgen events import`: JSON lines in SPEC.md's event format."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from kbgen import progress
from kbgen.cli.options import config_option, db_option
from kbgen.errors import KbgenError
from kbgen.files import open_atomic
from kbgen.project import DATABASE_ENV, load_project
from kbgen.store import SQLITE_PREFIX, open_store

IMPORT_CHUNK = 1000
MAX_SHOWN_PROBLEMS = 50


def resolve_db_url(config_file: str | None, db_url: str | None) -> str:
    """--db, then $KBGEN_DATABASE_URL, then the project's default (needs its mkdocs.yml)."""
    if db_url or os.environ.get(DATABASE_ENV):
        return db_url or os.environ[DATABASE_ENV]
    return load_project(config_file).db_url()


@click.group("events")
def events_group() -> None:
    """Move events in and out of the store as JSON lines."""


@events_group.command("export")
@config_option
@db_option
@click.option("--out", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of standard output.")
def export_command(config_file, db_url, out) -> None:
    """Print every stored event as one JSON object per line, oldest first."""
    url = resolve_db_url(config_file, db_url)
    if url.startswith(SQLITE_PREFIX) and not Path(url[len(SQLITE_PREFIX):]).is_file():
        raise KbgenError(f"No database at '{url[len(SQLITE_PREFIX):]}'. Fix: check --db or "
                         "KBGEN_DATABASE_URL; the API creates it when the first event arrives.")
    store = open_store(url)
    try:
        if out is None:
            count = _write_lines(store, sys.stdout)
        else:
            target = Path(out)
            with open_atomic(target, newline="\n") as handle:
                count = _write_lines(store, handle)
            click.echo(f"Exported {count} events to {target}.", err=True)
    finally:
        store.close()


def _write_lines(store, handle) -> int:
    count = 0
    for event in store.iter_events():
        # ensure_ascii: control and bidi characters in comments stay visible escapes.
        handle.write(json.dumps(event, ensure_ascii=True) + "\n")
        count += 1
    handle.flush()
    return count


@events_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@config_option
@db_option
def import_command(file, config_file, db_url) -> None:
    """Import events from a JSON lines FILE (`-` for standard input); they keep their `ts`,
    known ids are skipped."""
    from kbgen.analytics.prepare import DaySpan
    from kbgen.cli.rollups import prepare_written_days
    from kbgen.events import BodyError, decode_json, validate_event
    from kbgen.events.timestamps import parse_ts
    from kbgen.events.validation import REPAIRED_ON_IMPORT

    span = DaySpan()
    store = open_store(resolve_db_url(config_file, db_url))
    read = stored = 0
    problems: list[str] = []
    repaired: list[tuple[int, str]] = []  # (line, field) whose NUL became U+FFFD
    pending: list[dict] = []
    size = None if file == "-" else os.path.getsize(file)
    try:
        with click.open_file(file, "rb") as handle, \
                progress.task("Importing events", size, "bytes" if size else "lines") as bar:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                read += 1
                try:
                    raw = decode_json(line)
                    event, rejected = validate_event(raw, live=False)
                    errors = [str(error) for error in rejected]
                except BodyError as exc:
                    event, errors = None, [str(exc)]
                if errors or event is None or not isinstance(raw, dict):
                    problems.append(f"{file}:{number}: " + "; ".join(errors[:3]))
                    continue
                repaired += [(number, key) for key in REPAIRED_ON_IMPORT
                             if isinstance(raw.get(key), str) and "\x00" in raw[key]]
                pending.append(event)
                span.note(parse_ts(event["ts"]))
                if len(pending) >= IMPORT_CHUNK:
                    stored += store.add_events(pending)
                    pending = []
                    bar.at(handle.tell() if size else read,
                           f"{read:,} lines, {stored:,} new events")
            if pending:
                stored += store.add_events(pending)
            bar.at(handle.tell() if size else read, f"{read:,} lines, {stored:,} new events")
        try:
            _report_repaired(file, repaired)
            _report(file, read, stored, problems)
        finally:  # the stored events' days, bad lines or not
            prepare_written_days(store, span)
    finally:
        store.close()


def _report_repaired(file: str, repaired: list[tuple[int, str]]) -> None:
    """Say which fields were changed on the way in: a NUL (kept by older SQLite stores,
    kept by no store now) was replaced with U+FFFD."""
    if not repaired:
        return
    name = file.encode("ascii", "backslashreplace").decode("ascii")
    shown = [f"{name}:{line}: {key}" for line, key in repaired[:MAX_SHOWN_PROBLEMS]]
    more = len(repaired) - len(shown)
    click.echo(f"Replaced NUL characters with U+FFFD in {len(repaired)} fields "
               "(stores do not keep NUL in text):", err=True)
    for item in shown:
        click.echo(f"  {item}", err=True)
    if more:
        click.echo(f"  ... and {more} more fields", err=True)


def _report(file: str, read: int, stored: int, problems: list[str]) -> None:
    for problem in problems[:MAX_SHOWN_PROBLEMS]:
        click.echo(problem.encode("ascii", "backslashreplace").decode("ascii"), err=True)
    if len(problems) > MAX_SHOWN_PROBLEMS:
        click.echo(f"... and {len(problems) - MAX_SHOWN_PROBLEMS} more bad lines", err=True)
    good = read - len(problems)
    click.echo(f"Imported {stored} new events from {file} ({good - stored} already stored, "
               f"{len(problems)} bad lines).", err=True)
    if problems:
        raise KbgenError(f"{len(problems)} lines of {file} were not imported; fix them and "
                         "import the file again (stored events are skipped).")


commands = [events_group]
