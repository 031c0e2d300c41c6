"""Day rollups: a report over whole UTC days reads a few rows per day, not every event.

Why it is exact. Every metric is a sum over sessions. A session whose events and tickets
all fall on one UTC day counts the same in every window of whole days that contains that
day (all of its events are inside), so the single-day sessions' sums can be kept per day.
Sessions that span days (listed in `report_multi_day_sessions`) are read from the events
for each report. A window that starts or ends inside a day reads that part day's events:
the single-day sessions of that day have all their in-window events there.

Why it stays fresh. Every write of events or tickets raises the version of their days, and
of all the days of a session that starts to span days, in the writing transaction (the
SQLite store does it; on PostgreSQL a statement trigger; schema version 3). A kept day is used
only when its version is still the day's; otherwise the day is computed again from the
events, and kept. The versions and the rollups are read in the report's snapshot, so a
report never mixes states; rollups saved from an older snapshot carry its version and are
simply computed again next time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from kbgen.analytics import queries
from kbgen.analytics.daily import (
    ARTICLE_COUNTS,
    DAY_MS,
    SEARCH_COUNTS,
    TOTALS,
    DayRows,
    Query,
    Store,
    run_metrics,
)
from kbgen.analytics.window import Window
from kbgen.errors import KbgenError, ServiceUnavailable

log = logging.getLogger(__name__)

# A few stale days of a long table are read through the ts index (one row lookup per
# event); more than this share of the table is read once through the covering indexes.
NARROW_SHARE = 0.25
# Kept search rows are folded this many at a time.
STREAM_ROWS = 10_000

DAY_VERSIONS = """
SELECT day, SUM(version) FROM report_day_versions
WHERE day >= :first AND day < :end
GROUP BY day
"""
KEPT_DAYS = f"""
SELECT day, version, {', '.join(TOTALS)} FROM report_days
WHERE day >= :first AND day < :end
"""
KEPT_ARTICLES = f"""
SELECT day, article, {', '.join(ARTICLE_COUNTS)} FROM report_day_articles
WHERE day >= :first AND day < :end
"""
KEPT_SEARCHES = f"""
SELECT day, query, {', '.join(SEARCH_COUNTS)} FROM report_day_searches
WHERE day >= :first AND day < :end
"""
KEPT_REFORMULATIONS = """
SELECT day, query, article, sessions FROM report_day_reformulations
WHERE day >= :first AND day < :end
"""
VERSION_SUM = "SELECT COALESCE(SUM(version), 0) FROM report_day_versions"
# The first and last instants of any event or ticket: one index probe each (a query with
# both MIN and MAX of one table would read the whole index instead).
DATA_SPAN = """
SELECT (SELECT MIN(ts) FROM events), (SELECT MAX(ts) FROM events),
       (SELECT MIN(ts) FROM tickets), (SELECT MAX(ts) FROM tickets)
"""


def usable(window: Window) -> bool:
    """Any window from 1970 on. The whole UTC days inside it come from the rollups; a part
    day at either end (a window given with times) is read from that part's events."""
    return window.since_ms >= 0


def read_with_rollups(
    store: Store, window: Window, params: dict[str, Any], sink: Callable[[DayRows], None]
) -> list[tuple[int, int, DayRows]]:
    """Pass the window's day rows to `sink` (in parts: kept rows are streamed, so memory
    does not grow with days times queries); return the days computed here, as
    (day, version, rows) to keep. Runs inside the caller's snapshot."""
    since, until = window.since_ms, window.until_ms
    first, end = -(-since // DAY_MS), until // DAY_MS  # the whole days inside the window
    span = {"first": first, "end": end}
    versions = {int(day): int(v) for day, v in store.query(DAY_VERSIONS, span)}
    kept = {int(day) for day, version, *_ in store.query(KEPT_DAYS, span)
            if int(version) == versions.get(int(day), 0)}
    stale = [day for day in range(first, end) if day not in kept]

    computed = DayRows()
    multi_day = run_metrics(store, params, queries.MULTI_DAY)
    fresh: set[int] = set()
    table_days = 0
    if stale:
        bounds = [int(ts) for ts in next(iter(store.query(DATA_SPAN, {}))) if ts is not None]
        low, high = (min(bounds) // DAY_MS, max(bounds) // DAY_MS) if bounds else (0, -1)
        # Days before the first event or ticket or after the last are empty: nothing to read.
        fresh = {day for day in stale if not low <= day <= high}
        stale = [day for day in stale if day not in fresh]
        table_days = high - low + 1
    whole = since == first * DAY_MS and until == end * DAY_MS
    passes = _passes(stale, table_days)
    # A window that starts or ends inside a day: the single-day sessions of that day count
    # with their events inside the window, which all lie in the part of the day it covers.
    if first > end:
        edges = [(since, until)]
    else:
        edges = [(a, b) for a, b in ((since, first * DAY_MS), (end * DAY_MS, until)) if a < b]
    with _second_reader(store, bool(passes or edges)) as other:
        for start, stop, bound in passes:
            # The single-day sessions' rows: every session's, less the multi-day sessions'
            # (cheaper than leaving those out of the scan, and exact: all rows are sums).
            part = _single_day_rows(
                store, params, start * DAY_MS, stop * DAY_MS, bound, other,
                multi_day if whole and (start, stop) == (first, end) else None)
            computed.add(part)
            fresh.update(range(start, stop))
        for start_ms, stop_ms in edges:
            sink(_single_day_rows(store, params, start_ms, stop_ms, queries.WINDOW, other, None))
    kept -= fresh
    if kept:
        _read_kept(store, span, kept, sink)
    sink(computed)
    sink(multi_day)
    by_day = _by_day(computed)
    return [(day, versions.get(day, 0), by_day.get(day, DayRows())) for day in sorted(fresh)]


@contextmanager
def _second_reader(store: Any, wanted: bool) -> Iterator[Query | None]:
    """A second reader at exactly this snapshot's state, when the store has one: any write
    of events or tickets raises a day version, so equal version sums mean equal events."""
    second = getattr(store, "second_reader", None)
    if not (wanted and second):
        yield None
        return
    with second() as other:
        mine = next(iter(store.query(VERSION_SUM, {})))[0]
        theirs = next(iter(other(VERSION_SUM, {})))[0]
        yield other if mine == theirs else None


def _single_day_rows(
    store: Store, params: dict[str, Any], since: int, until: int, bound: str,
    other: Query | None, multi_day: DayRows | None,
) -> DayRows:
    """Rows of the single-day sessions in [since, until): every session's rows less the
    multi-day sessions' (given when already read for exactly this range)."""
    part_params = {**params, "since": since, "until": until}
    rows = run_metrics(store, part_params, queries.Scope(bound), other)
    rows.subtract(multi_day or run_metrics(store, part_params, queries.MULTI_DAY))
    return rows


def _passes(stale: list[int], table_days: int) -> list[tuple[int, int, str]]:
    """How to compute the stale days: (first day, end day, ts bound) per query pass."""
    if not stale:
        return []
    if len(stale) > NARROW_SHARE * table_days:
        return [(stale[0], stale[-1] + 1, queries.SCAN_WINDOW)]
    runs, start = [], stale[0]
    for before, day in zip(stale, [*stale[1:], None], strict=True):
        if day != before + 1:
            runs.append((start, before + 1, queries.WINDOW))
            if day is not None:
                start = day
    return runs


def _read_kept(
    store: Store, span: dict[str, int], days: set[int], sink: Callable[[DayRows], None]
) -> None:
    part = DayRows()
    for day, _version, *counts in store.query(KEPT_DAYS, span):
        if int(day) in days:
            part.totals[int(day)] = [int(c) for c in counts]
    for day, article, *counts in store.query(KEPT_ARTICLES, span):
        if int(day) in days:
            part.articles[int(day), article] = [int(c) for c in counts]
    sink(part)
    part = DayRows()
    for day, query, *counts in store.query(KEPT_SEARCHES, span):
        if int(day) in days:
            part.searches[int(day), query] = [int(c) for c in counts]
            if len(part.searches) >= STREAM_ROWS:
                sink(part)
                part = DayRows()
    for day, query, article, sessions in store.query(KEPT_REFORMULATIONS, span):
        if int(day) in days:
            part.reformulations[int(day), query, article] = [int(sessions)]
            if len(part.reformulations) >= STREAM_ROWS:
                sink(part)
                part = DayRows()
    sink(part)


def _by_day(rows: DayRows) -> dict[int, DayRows]:
    days: dict[int, DayRows] = {}
    for day, values in rows.totals.items():
        days.setdefault(day, DayRows()).totals[day] = values
    for key, values in rows.articles.items():
        days.setdefault(key[0], DayRows()).articles[key] = values
    for key, values in rows.searches.items():
        days.setdefault(key[0], DayRows()).searches[key] = values
    for reformulation, values in rows.reformulations.items():
        days.setdefault(reformulation[0], DayRows()).reformulations[reformulation] = values
    return days


def _columns(names: tuple[str, ...]) -> tuple[str, str]:
    return ", ".join(names), ", ".join(f":{name}" for name in names)


def save_rollups(store: Any, days: list[tuple[int, int, DayRows]]) -> bool:
    """Keep the computed days for the next report (best effort: a busy or read-only
    database only means the next report computes them again); False when refused."""
    totals_cols, totals_vals = _columns(("day", "version", *TOTALS))
    article_cols, article_vals = _columns(("day", "article", *ARTICLE_COUNTS))
    search_cols, search_vals = _columns(("day", "query", *SEARCH_COUNTS))
    day_keys = [{"day": day} for day, _, _ in days]
    totals, articles, searches, reformulations = [], [], [], []
    for day, version, rows in days:
        counts = rows.totals.get(day, [0] * len(TOTALS))
        totals.append({"day": day, "version": version, **dict(zip(TOTALS, counts, strict=True))})
        articles += [{"day": day, "article": article, **dict(zip(ARTICLE_COUNTS, c, strict=True))}
                     for (_, article), c in rows.articles.items()]
        searches += [{"day": day, "query": query, **dict(zip(SEARCH_COUNTS, c, strict=True))}
                     for (_, query), c in rows.searches.items()]
        reformulations += [{"day": day, "query": query, "article": article,
                            "sessions": sessions}
                           for (_, query, article), (sessions,) in rows.reformulations.items()]
    try:
        store.write_many([
            ("DELETE FROM report_days WHERE day = :day", day_keys),
            ("DELETE FROM report_day_articles WHERE day = :day", day_keys),
            ("DELETE FROM report_day_searches WHERE day = :day", day_keys),
            ("DELETE FROM report_day_reformulations WHERE day = :day", day_keys),
            (f"INSERT INTO report_days ({totals_cols}) VALUES ({totals_vals})", totals),
            (f"INSERT INTO report_day_articles ({article_cols}) VALUES ({article_vals})",
             articles),
            (f"INSERT INTO report_day_searches ({search_cols}) VALUES ({search_vals})",
             searches),
            ("INSERT INTO report_day_reformulations (day, query, article, sessions) "
             "VALUES (:day, :query, :article, :sessions)", reformulations),
        ])
    except (KbgenError, ServiceUnavailable) as exc:
        log.warning("Report rollups not kept (the next report computes them again): %s", exc)
        return False
    return True
