"""After a bulk write (imports, the demo, `kbgen db migrate`): prepare the report's day
rollups for the days written, so the first report reads kept days instead of every event.

The rows are committed before this runs, so a failure here is only a warning: the next
report computes the days it needs (kbgen/analytics/prepare.py).
"""

from __future__ import annotations

import logging
from typing import Any

import click

from kbgen.analytics.prepare import DaySpan, prepare_rollups

log = logging.getLogger(__name__)

# The newest schema version that leaves every kept day stale: 3 added the report's day
# rollups (0003_report_rollups*.sql), 4 the search outcomes in them (0004_search_outcomes*).
ROLLUPS_VERSION = 4


def prepare_written_days(store: Any, span: DaySpan | None) -> None:
    """Prepare the stale days of `span` (None: every day with data), then say so on stderr.
    Nothing is said when no day was stale."""
    if span is not None and span.first is None:
        return  # nothing written
    if getattr(store, "migrated_from", ROLLUPS_VERSION) < ROLLUPS_VERSION:
        span = None  # SQLite migrated past it as it opened: every day starts stale
    try:
        done = prepare_rollups(store, *((span.first, span.last) if span else (None, None)))
    except Exception as exc:  # the import itself has succeeded; the report can catch up
        log.warning("Report rollups not prepared (the next report computes them, more "
                    "slowly): %s", exc)
        return
    if not done.days and done.complete:
        return  # nothing was stale
    ending = "" if done.complete else " (stopped early: the rest is computed by the report)"
    click.echo(f"Prepared report rollups for {done.days:,} days in {done.seconds:.1f} s"
               f"{ending}.", err=True)
