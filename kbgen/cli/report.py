"""`kbgen report [--db URL] [--since D] [--until D] [--format table|json|csv|html] [--out PATH]`."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import click

from kbgen.analytics import Manifest, build_report, load_manifest, make_window
from kbgen.cli.options import config_option, db_option
from kbgen.drivers.report import drivers_section
from kbgen.errors import KbgenError, UsageError
from kbgen.project import DATABASE_ENV, Project, load_project
from kbgen.reports import RENDERERS, ArticleLinks, render, render_csv
from kbgen.reports.csvout import ROWS
from kbgen.store import open_store

log = logging.getLogger(__name__)


@click.command("report")
@db_option
@click.option("--since", metavar="D", help="Start (included): YYYY-MM-DD or ISO 8601 time, UTC. "
              "Default: 30 days before --until.")
@click.option("--until", metavar="D", help="End (excluded): YYYY-MM-DD or ISO 8601 time, UTC. "
              "Default: the end of today.")
@click.option("--format", "fmt", type=click.Choice(sorted(RENDERERS)), default="table",
              show_default=True, help="table for the terminal, json for scripts, csv for "
              "spreadsheets, html for the dashboard.")
@click.option("--rows", type=click.Choice(ROWS), default=None,
              help="With --format csv: one row per article (default) or per search query "
              "with its outcomes.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@config_option
def report(db_url: str | None, since: str | None, until: str | None, fmt: str,
           rows: str | None, out: Path | None, config_file: str | None) -> None:
    """Per-article CSAT and deflection, searches, NPS, trends and contact drivers for a window."""
    if rows is not None and fmt != "csv":
        raise UsageError(f"--rows only applies to --format csv, not {fmt}. "
                         "Fix: add --format csv or leave out --rows.")
    window = make_window(since, until)
    url, manifest, project = _sources(config_file, db_url)
    store = open_store(url)
    try:
        data = build_report(store, window, manifest)
        data.update(drivers_section(store, window, manifest, data, project))
    finally:
        store.close()
    links = ArticleLinks.for_project(project, data.get("site_url"), out)
    text = render_csv(data, rows) if rows else render(data, fmt, links)
    if out is None:
        click.echo(text, nl=False)
        return
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise KbgenError(f"Cannot write '{out}': {exc}. Fix: choose a writable --out path.") \
            from exc
    click.echo(f"Wrote the {fmt} report ({data['events']:,} events) to {out}", err=True)


def _sources(config_file: str | None,
             db_url: str | None) -> tuple[str, Manifest, Project | None]:
    """The database URL, the manifest and the project; without a project, --db alone works."""
    try:
        project = load_project(config_file)
    except UsageError:
        given = db_url or os.environ.get(DATABASE_ENV)
        if config_file is not None or not given:
            raise
        log.warning("No mkdocs.yml here: reporting article ids without titles.")
        return given, Manifest(), None
    return project.db_url(db_url), load_manifest(project.manifest_path), project


commands = [report]
