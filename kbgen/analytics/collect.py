"""Run the metric queries for one window and fold their rows into plain counters.

Only aggregated rows cross into Python: one per week, article, article-week or query-week.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Protocol

from kbgen.analytics import queries
from kbgen.analytics.stats import normalise_query
from kbgen.analytics.window import Window

DAY_MS = 86_400_000
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
    count: int = 0
    zero_results: int = 0
    clicks: int = 0


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
    feedback: list[tuple[str, int, str | None, str | None]] = field(default_factory=list)
    tickets: int = 0
    tickets_without_session: int = 0


def params_for(window: Window, **extra: Any) -> dict[str, Any]:
    return {
        "since": window.since_ms,
        "until": window.until_ms,
        "monday": MONDAY_MS,
        "week": WEEK_MS,
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


def collect(store: Store, window: Window) -> Collected:
    """All counters for `window`, read in one snapshot when the store offers one."""
    snapshot = getattr(store, "snapshot", None)
    with snapshot() if snapshot else contextlib.nullcontext():
        return _collect(store, params_for(window, limit=FEEDBACK_LIMIT))


def _collect(store: Store, params: dict[str, Any]) -> Collected:
    out = Collected()
    for wk, *counts in store.query(queries.SESSIONS_BY_WEEK, params):
        out.weeks[int(wk)] = SessionWeek(*(int(c or 0) for c in counts))
    for article, views, sessions, contacted in store.query(queries.ARTICLE_VIEWS, params):
        row = out.articles[article]
        row.views, row.view_sessions, row.contacted_sessions = (
            int(views), int(sessions), int(contacted or 0)
        )
    for article, wk, yes, no in store.query(queries.VOTES_BY_ARTICLE_WEEK, params):
        row = out.articles[article]
        row.helpful += int(yes or 0)
        row.not_helpful += int(no or 0)
        out.votes_by_week[int(wk)][0] += int(yes or 0)
        out.votes_by_week[int(wk)][1] += int(no or 0)
    for wk, promoters, detractors, answers in store.query(queries.NPS_BY_WEEK, params):
        out.nps_by_week[int(wk)] = [int(promoters or 0), int(detractors or 0), int(answers)]
    for nq, wk, count, zero, clicks in store.query(queries.SEARCHES_BY_QUERY_WEEK, params):
        row = out.searches[normalise_query(nq)]
        row.count += int(count)
        row.zero_results += int(zero or 0)
        row.clicks += int(clicks or 0)
        out.searches_by_week[int(wk)][0] += int(count)
        out.searches_by_week[int(wk)][1] += int(zero or 0)
    out.feedback = [
        (article, int(ts), reason, comment)
        for article, ts, reason, comment in store.query(queries.NEGATIVE_FEEDBACK, params)
    ]
    for total, without in store.query(queries.TICKETS_IN_WINDOW, params):
        out.tickets, out.tickets_without_session = int(total or 0), int(without or 0)
    return out
