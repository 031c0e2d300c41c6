"""`kbgen demo [--db URL] [--seed N] [--days 30]`: synthetic traffic for the sample site."""

from __future__ import annotations

import click

from kbgen.analytics.manifest import load_manifest
from kbgen.analytics.prepare import DaySpan
from kbgen.cli.options import config_option, db_option
from kbgen.cli.rollups import prepare_written_days
from kbgen.demo import demo_events
from kbgen.events.timestamps import parse_ts
from kbgen.project import load_project
from kbgen.store import open_store

BATCH = 2000


@click.command("demo")
@db_option
@click.option("--seed", default=1, show_default=True, type=int,
              help="Same seed, same day: the same events (a second run adds nothing).")
@click.option("--days", default=30, show_default=True, type=click.IntRange(1, 365),
              help="Whole days of traffic before today.")
@config_option
def demo(db_url: str | None, seed: int, days: int, config_file: str | None) -> None:
    """Write realistic, seeded traffic for the built help center into the database."""
    project = load_project(config_file)
    manifest = load_manifest(project.manifest_path, required=True)
    events = demo_events(manifest, seed=seed, days=days)
    store = open_store(project.db_url(db_url))
    try:
        written = sum(store.add_events(events[i:i + BATCH]) for i in range(0, len(events), BATCH))
        sessions = len({e["session"] for e in events})
        click.echo(f"Wrote {written:,} demo events ({len(events) - written:,} already there) "
                   f"for {sessions:,} sessions over {days} days (seed {seed}). "
                   "Next: kbgen report")
        span = DaySpan()
        for event in events:
            span.note(parse_ts(event["ts"]))
        prepare_written_days(store, span)  # so that the first report is already quick
    finally:
        store.close()


commands = [demo]
