"""`kbgen stats export [--db URL] [--out PATH]`: per-article numbers for the site's stats_file."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kbgen import stats_file
from kbgen.analytics import build_report, make_window
from kbgen.cli.options import config_option, db_option
from kbgen.cli.report import _sources
from kbgen.errors import KbgenError
from kbgen.store import open_store


@click.group("stats")
def stats() -> None:
    """Analytics fed back into the site (the plugin's stats_file option)."""


@stats.command("export")
@db_option
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (e.g. the plugin's stats_file) instead of standard output.")
@config_option
def export(db_url: str | None, out: Path | None, config_file: str | None) -> None:
    """Helpful votes, CSAT lower bound and deflected sessions per article, last 30 days."""
    url, manifest, _project = _sources(config_file, db_url)
    store = open_store(url)
    try:
        data = stats_file.export(build_report(store, make_window(), manifest))
    finally:
        store.close()
    text = json.dumps(data, indent=1, sort_keys=True) + "\n"
    if out is None:
        click.echo(text, nl=False)
        return
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise KbgenError(f"Cannot write '{out}': {exc}. Fix: choose a writable --out path.") \
            from exc
    click.echo(f"Wrote stats for {len(data['articles'])} article(s) to {out}", err=True)


commands = [stats]
