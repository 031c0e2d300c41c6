"""Run the metric queries for one window and fold their rows into plain counters.

Only aggregated rows cross into Python: one per day, article-day or query-day (`DayRows`),
folded into weeks and totals (`Collected`). The whole UTC days of a window come from the
day rollups (rollups.py).
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Protocol

from kbgen.analytics import queries
from kbgen.analytics.daily import DAY_MS, SEARCH_COUNTS, DayRows, run_metrics
from kbgen.analytics.rollups import read_with_rollups, save_rollups, usable
from kbgen.analytics.stats import without_nul
from kbgen.analytics.window import Window

WEEK_MS = 7 * DAY_MS
MONDAY_MS = 4 * DAY_MS  # 1970-01-05T00:00Z, the first Monday of the epoch
FEEDBACK_LIMIT = 500


class Store(Protocol):
    def query(self, sql: str, params: dict[str, Any]) -> Any: ...


@dataclass
class SessionWeek:
    sessions: int = 0
    events: int = 0
    help_sessions: int = 0
    contact_sessions: int = 0
    help_without_contact: int = 0
    contact_page_sessions: int = 0
    contact_page_deflected: int = 0

    def add(self, other: SessionWeek) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class ArticleCounts:
    views: int = 0
    view_sessions: int = 0
    contacted_sessions: int = 0
    helpful: int = 0
    not_helpful: int = 0


@dataclass
class SearchCounts:
    """One normalised query's counters; the fields follow daily.SEARCH_COUNTS."""

    count: int = 0
    zero_results: int = 0
    clicks: int = 0
    answered: int = 0
    answered_clicks: int = 0
    contacted: int = 0
    ranked_clicks: int = 0
    rank_sum: int = 0
    reformulated: int = 0


@dataclass
class Collected:
    weeks: dict[int, SessionWeek] = field(default_factory=lambda: defaultdict(SessionWeek))
    articles: dict[str, ArticleCounts] = field(default_factory=lambda: defaultdict(ArticleCounts))
    votes_by_week: dict[int, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    nps_by_week: dict[int, list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0, 0])
    )
    searches: dict[str, SearchCounts] = field(default_factory=lambda: defaultdict(SearchCounts))
    searches_by_week: dict[int, list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0])
    )
    # normalised query -> article -> sessions that reformulated the query, then clicked it
    reformulations: dict[str, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    feedback: list[tuple] = field(default_factory=list)  # NEGATIVE_FEEDBACK_ITEMS rows
    tickets: int = 0
    tickets_without_session: int = 0


def params_for(window: Window, **extra: Any) -> dict[str, Any]:
    return {
        "since": window.since_ms,
        "until": window.until_ms,
        "day": DAY_MS,
        "tab": "\t",
        "lf": "\n",
        "cr": "\r",
        "mark": "\x1f",
        **extra,
    }


def week_index(ms: int) -> int:
    return (ms - MONDAY_MS) // WEEK_MS


def week_start_ms(index: int) -> int:
    return MONDAY_MS + index * WEEK_MS


def fold(days: DayRows, out: Collected) -> None:
    """Days into weeks (Monday to Sunday, UTC) and whole-window totals."""
    for day, t in days.totals.items():
        wk = week_index(day * DAY_MS)
        if any(t[:7]):
            out.weeks[wk].add(SessionWeek(*t[:7]))
        if t[9]:
            nps = out.nps_by_week[wk]
            for i in range(3):
                nps[i] += t[7 + i]
    for (day, article), (views, sessions, contacted, yes, no) in days.articles.items():
        row = out.articles[article]
        row.views += views
        row.view_sessions += sessions
        row.contacted_sessions += contacted
        row.helpful += yes
        row.not_helpful += no
        if yes or no:
            votes = out.votes_by_week[week_index(day * DAY_MS)]
            votes[0] += yes
            votes[1] += no
    for (day, query), counts in days.searches.items():
        search = out.searches[query]
        for name, value in zip(SEARCH_COUNTS, counts, strict=True):
            setattr(search, name, getattr(search, name) + value)
        week = out.searches_by_week[week_index(day * DAY_MS)]
        week[0] += counts[0]
        week[1] += counts[1]
    for (_day, query, article), (sessions,) in days.reformulations.items():
        out.reformulations[query][article] += sessions


def collect(store: Store, window: Window, *, rollups: bool = True) -> Collected:
    """All counters for `window`, read in one snapshot when the store offers one.

    With `rollups` (and a store that can keep them) the whole days of the window come from
    the day rollups, and the days computed here are kept for the next report.
    """
    params = params_for(window, limit=FEEDBACK_LIMIT)
    use_rollups = rollups and hasattr(store, "write_many") and usable(window)
    out, computed = Collected(), []
    snapshot = getattr(store, "snapshot", None)
    with snapshot() if snapshot else contextlib.nullcontext():
        if use_rollups:
            computed = read_with_rollups(store, window, params, lambda rows: fold(rows, out))
        else:
            fold(run_metrics(store, params, queries.EVERY_SESSION), out)
        out.feedback = [
            (event_id, article, ts, reason, without_nul(comment), *rest)
            for event_id, article, ts, reason, comment, *rest
            in store.query(queries.NEGATIVE_FEEDBACK_ITEMS, params)
        ]
        for total, without in store.query(queries.TICKETS_IN_WINDOW, params):
            out.tickets, out.tickets_without_session = int(total or 0), int(without or 0)
    if computed:
        save_rollups(store, computed)
    return out

