"""Compute and keep the day rollups right after bulk writes, so the first report is fast.

A report computes the stale days of its window and keeps them (rollups.py); after
`kbgen db migrate` to schema version 3, or an import of many past days, that is every day,
and the first report pays for reading all their events. The bulk commands call
`prepare_rollups` once their rows are committed: it runs the report's own code path
(`read_with_rollups` then `save_rollups`) over the stale days of the span they wrote, so the
kept days are exactly what a report would have kept. It never changes the events: if it
fails, the report computes those days later.

Memory stays bounded: the days are computed at most CHUNK_DAYS at a time, each chunk in its
own snapshot and kept before the next one starts.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kbgen import progress
from kbgen.analytics.collect import params_for
from kbgen.analytics.daily import DAY_MS
from kbgen.analytics.rollups import (
    DATA_SPAN,
    DAY_VERSIONS,
    KEPT_DAYS,
    NARROW_SHARE,
    read_with_rollups,
    save_rollups,
)
from kbgen.analytics.window import Window

# At most this many days are computed (and held in memory) at once: a quarter, about three
# times a default report's 30 days.
CHUNK_DAYS = 92


@dataclass
class Prepared:
    days: int  # days computed and kept
    seconds: float
    complete: bool  # False when saving was refused (busy or read-only database)


class DaySpan:
    """The first and last UTC day of the rows a command wrote (ts in ms)."""

    def __init__(self) -> None:
        self.first: int | None = None
        self.last: int | None = None

    def note(self, ts_ms: int) -> None:
        day = ts_ms // DAY_MS
        self.first = day if self.first is None else min(self.first, day)
        self.last = day if self.last is None else max(self.last, day)


def prepare_rollups(store: Any, first_day: int | None = None,
                    last_day: int | None = None) -> Prepared:
    """Compute and keep the stale day rollups from `first_day` to `last_day` (UTC day
    numbers, both included; default: every day with events or tickets)."""
    started = time.monotonic()
    stale, table_days = _stale_days(store, first_day, last_day)
    # One pass over the covering indexes when the days fit in one chunk; otherwise chunks
    # small enough to be read through the ts index (a full-index scan per chunk would read
    # the whole table again each time).
    chunk = CHUNK_DAYS
    if stale and stale[-1] - stale[0] >= CHUNK_DAYS:
        chunk = max(1, min(CHUNK_DAYS, int(NARROW_SHARE * table_days)))
    done, i = 0, 0
    with progress.task("Preparing report rollups", len(stale), "days") as bar:
        while i < len(stale):
            start = stale[i]
            stop = min(start + chunk, stale[-1] + 1)
            window = Window(_midnight(start), _midnight(stop))
            with _snapshot(store):
                computed = read_with_rollups(store, window, params_for(window), _discard)
            if computed and not save_rollups(store, computed):
                return Prepared(done, time.monotonic() - started, False)
            done += len(computed)
            while i < len(stale) and stale[i] < stop:
                i += 1
                bar.advance()
    return Prepared(done, time.monotonic() - started, True)


def _stale_days(store: Any, first_day: int | None,
                last_day: int | None) -> tuple[list[int], int]:
    """The days in the span whose kept rollup is missing or older than the day's version,
    within the data's days; and how many days the data spans."""
    with _snapshot(store):
        bounds = [int(ts) for ts in next(iter(store.query(DATA_SPAN, {}))) if ts is not None]
        if not bounds:
            return [], 0
        low, high = min(bounds) // DAY_MS, max(bounds) // DAY_MS
        first = low if first_day is None else max(low, first_day)
        last = high if last_day is None else min(high, last_day)
        span = {"first": first, "end": last + 1}
        versions = {int(day): int(v) for day, v in store.query(DAY_VERSIONS, span)}
        kept = {int(day) for day, version, *_ in store.query(KEPT_DAYS, span)
                if int(version) == versions.get(int(day), 0)}
    return [day for day in range(first, last + 1) if day not in kept], high - low + 1


def _snapshot(store: Any) -> contextlib.AbstractContextManager:
    snapshot = getattr(store, "snapshot", None)
    return snapshot() if snapshot else contextlib.nullcontext()


def _midnight(day: int) -> datetime:
    return datetime.fromtimestamp(day * DAY_MS // 1000, tz=UTC)


def _discard(_rows: object) -> None:
    """The report's fold; preparing only keeps the computed days."""
