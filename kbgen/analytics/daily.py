"""The metric queries' rows by UTC day, before they are folded into weeks and totals.

Every metric is a sum over sessions, and a day's rows are the sums of the sessions whose
first event (or view, vote, search) falls on it, so the rows of disjoint sets of sessions
add up: the day rollups (rollups.py) rely on that.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

from kbgen.analytics import queries
from kbgen.analytics.stats import normalise_query

DAY_MS = 86_400_000


class Store(Protocol):
    def query(self, sql: str, params: dict[str, Any]) -> Any: ...


# DayRows.totals columns: the sessions query's counters, then the NPS query's.
TOTALS = ("sessions", "events", "help_sessions", "contact_sessions", "help_without_contact",
          "contact_page_sessions", "contact_page_deflected",
          "nps_promoters", "nps_detractors", "nps_answers")
ARTICLE_COUNTS = ("views", "view_sessions", "contacted_sessions", "helpful", "not_helpful")
# Per normalised query: searches, zero-result searches, searches followed by a click on
# the same query; searches with results and those of them clicked; searches followed by a
# contact; clicks with a rank and their ranks' sum; sessions that reformulated the query.
SEARCH_COUNTS = ("count", "zero_results", "clicks", "answered", "answered_clicks",
                 "contacted", "ranked_clicks", "rank_sum", "reformulated")
REFORMULATED = SEARCH_COUNTS.index("reformulated")


@dataclass
class DayRows:
    """The metric queries' rows by UTC day (day = ts // DAY_MS): sums over sessions, so the
    rows of disjoint sets of sessions add up."""

    totals: dict[int, list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0] * len(TOTALS)))
    articles: dict[tuple[int, str], list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0] * len(ARTICLE_COUNTS)))
    searches: dict[tuple[int, str], list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0] * len(SEARCH_COUNTS)))
    # (day, normalised query, article clicked after reformulating it) -> [sessions]
    reformulations: dict[tuple[int, str, str], list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0]))

    def add(self, other: DayRows, sign: int = 1) -> None:
        pairs: list[tuple[dict[Any, list[int]], dict[Any, list[int]]]] = [
            (self.totals, other.totals), (self.articles, other.articles),
            (self.searches, other.searches), (self.reformulations, other.reformulations)]
        for mine, theirs in pairs:
            for key, values in theirs.items():
                row = mine[key]
                for i, value in enumerate(values):
                    row[i] += sign * value

    def subtract(self, other: DayRows) -> None:
        """Take away the rows of a subset of the sessions (every row's sums stay >= 0).
        Article and search rows left all zero are dropped: no session made them."""
        self.add(other, -1)
        tables: list[dict[Any, list[int]]] = [self.articles, self.searches,
                                              self.reformulations]
        for rows in tables:
            for key in [key for key, values in rows.items() if not any(values)]:
                del rows[key]


Query = Callable[[str, dict[str, Any]], Iterable[tuple]]


def _sessions(query: Query, params: dict[str, Any], scope: queries.Scope, out: DayRows) -> None:
    for d, *counts in query(queries.sessions_by_day(scope), params):
        out.totals[int(d)][:7] = [int(c or 0) for c in counts]


def _nps(query: Query, params: dict[str, Any], scope: queries.Scope, out: DayRows) -> None:
    for d, promoters, detractors, answers in query(queries.nps_by_day(scope), params):
        out.totals[int(d)][7:] = [int(promoters or 0), int(detractors or 0), int(answers)]


def _views(query: Query, params: dict[str, Any], scope: queries.Scope, out: DayRows) -> None:
    for article, d, views, sessions, contacted in query(
            queries.article_views_by_day(scope), params):
        out.articles[int(d), article][:3] = [int(views), int(sessions), int(contacted or 0)]


def _votes(query: Query, params: dict[str, Any], scope: queries.Scope, out: DayRows) -> None:
    for article, d, yes, no in query(queries.votes_by_article_day(scope), params):
        out.articles[int(d), article][3:] = [int(yes or 0), int(no or 0)]


def _searches(query: Query, params: dict[str, Any], scope: queries.Scope, out: DayRows) -> None:
    for text, d, *counts in query(queries.searches_by_query_day(scope), params):
        row = out.searches[int(d), normalise_query(text)]
        for i, value in enumerate(counts):
            row[i] += int(value or 0)


def _reformulations(
    query: Query, params: dict[str, Any], scope: queries.Scope, out: DayRows
) -> None:
    for text, d, article, sessions in query(queries.reformulations_by_query_day(scope), params):
        if article is None:
            out.searches[int(d), normalise_query(text)][REFORMULATED] += int(sessions)
        else:
            out.reformulations[int(d), normalise_query(text), article][0] += int(sessions)


# With a second reader, the two halves run at once (about equal halves at 10M events).
_HALVES = ((_sessions, _searches), (_views, _votes, _nps, _reformulations))


def run_metrics(
    store: Store, params: dict[str, Any], scope: queries.Scope, other: Query | None = None
) -> DayRows:
    """The per-session metrics of `scope`'s sessions in params' window, by day.

    `other` is a second reader at the same snapshot (SQLiteStore.second_reader): half of
    the queries then run on it, in a thread, while this one runs the other half (SQLite
    works outside the GIL, so two cores share a cold report's work)."""
    mine, theirs = DayRows(), DayRows()
    if other is None:
        for part in (*_HALVES[0], *_HALVES[1]):
            part(store.query, params, scope, mine)
        return mine
    with ThreadPoolExecutor(max_workers=1) as pool:
        done = pool.submit(lambda: [part(other, params, scope, theirs) for part in _HALVES[1]])
        for part in _HALVES[0]:
            part(store.query, params, scope, mine)
        done.result()
    mine.add(theirs)
    return mine
