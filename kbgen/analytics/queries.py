"""The metric SQL, portable between SQLite and PostgreSQL, run through `store.query`.

Every query reads only the report window (`:since` inclusive, `:until` exclusive, integer ms
UTC) and lets the database do the grouping, so Python only sees one row per article, week or
query and memory stays flat however many events there are.

Conventions shared by all queries:
- A contact is a `contact` event of stage `submit`, or an imported helpdesk ticket that
  carries the session (`tickets.session`), at the ticket's creation time.
- "Last" means latest `ts`; ties go to the later `received`, then the larger `id`.
- Rows are per UTC day, day number = ts / :day (integer division; ts >= 0); Python folds
  days into weeks (Monday to Sunday) and keeps them as day rollups (rollups.py).

Every metric is a sum over sessions (all joins stay inside one session), so the metric
queries take a `Scope`: which sessions they read and how they bound `ts`. The whole window
reads all sessions; the day rollups take the multi-day sessions' rows (read apart, through
the session indexes) away from all sessions' rows to keep the single-day sessions' rows
(schema version 3, kbgen/store/0003_report_rollups.sql).
"""

from __future__ import annotations

from dataclasses import dataclass

WINDOW = "ts >= :since AND ts < :until"
# The same test written so that SQLite does not pick the ts index for it: a report window
# usually covers most of the table, and walking the ts index then reads every row. `+ts` is
# a no-op in both dialects; it leaves the planner the covering indexes of schema version 2
# (kbgen/store/0002_covering_indexes.sql): per session, and one per event type.
SCAN_WINDOW = "+ts >= :since AND +ts < :until"

MULTI_DAY_SESSIONS = "SELECT session FROM report_multi_day_sessions"


@dataclass(frozen=True)
class Scope:
    """Which events the metric queries read: `window` bounds ts (WINDOW walks the ts index,
    right for a few days of a long table; SCAN_WINDOW the covering indexes, right for most
    of it) and `sessions` is an extra condition on `session` ("" for all sessions)."""

    window: str = SCAN_WINDOW
    sessions: str = ""


EVERY_SESSION = Scope()
MULTI_DAY = Scope(SCAN_WINDOW, f"AND session IN ({MULTI_DAY_SESSIONS})")


def normalised(column: str) -> str:
    """SQL side of the query normalisation, for `column`.

    Tabs and line breaks become spaces, runs of spaces collapse (each space gets a :mark, then
    "mark space" pairs vanish), trim, lower-case. SQLite's lower() only folds ASCII; Python
    re-normalises each group (stats.normalise_query), so this only decides which searches
    and clicks of one session are joined.
    """
    return (
        "lower(trim(replace(replace(replace("
        f"replace(replace(replace({column}, :tab, ' '), :lf, ' '), :cr, ' '),"
        " ' ', ' ' || :mark), :mark || ' ', ''), :mark, '')))"
    )


NORMALISED_QUERY = normalised("query")

# One row per day of each session's first event: sessions, events read, help sessions,
# contact sessions, help sessions without a contact, contact-page sessions, and those of
# them without a contact. Ticket-only sessions count as contact sessions.
def sessions_by_day(scope: Scope) -> str:
    return f"""
WITH s AS (
    SELECT session,
           MIN(ts) AS first_ts,
           COUNT(*) AS n,
           MAX(CASE WHEN type IN ('view', 'search') THEN 1 ELSE 0 END) AS helped,
           MAX(CASE WHEN type = 'contact' AND stage = 'submit' THEN 1 ELSE 0 END) AS submitted,
           MAX(CASE WHEN type = 'contact' AND stage = 'open' THEN 1 ELSE 0 END) AS opened
    FROM events
    WHERE {scope.window} {scope.sessions}
    GROUP BY session
),
t AS (
    SELECT session, MIN(ts) AS first_ts
    FROM tickets
    WHERE session IS NOT NULL AND {WINDOW} {scope.sessions}
    GROUP BY session
),
f AS (
    SELECT s.first_ts, s.n, s.helped, s.opened,
           CASE WHEN s.submitted = 1 OR t.session IS NOT NULL THEN 1 ELSE 0 END AS contacted
    FROM s LEFT JOIN t ON t.session = s.session
    UNION ALL
    SELECT t.first_ts, 0, 0, 0, 1
    FROM t
    WHERE NOT EXISTS (
        SELECT 1 FROM events e
        WHERE e.session = t.session AND e.ts >= :since AND e.ts < :until
    )
)
SELECT first_ts / :day AS d,
       COUNT(*),
       SUM(n),
       SUM(helped),
       SUM(contacted),
       SUM(helped * (1 - contacted)),
       SUM(opened),
       SUM(opened * (1 - contacted))
FROM f
GROUP BY first_ts / :day
ORDER BY d
"""


# One row per article and day of the first view: views, sessions that viewed it, and those
# of them with a contact after their first view of it, within :day ms, in the same session.
# Few sessions contact: `IN (cs)` is one small lookup table built once, so the per-session
# index probes for the contact's time only run for sessions that contacted at all.
def article_views_by_day(scope: Scope) -> str:
    return f"""
WITH fv AS (
    SELECT article, session, MIN(ts) AS first_ts, COUNT(*) AS n
    FROM events
    WHERE type = 'view' AND {scope.window} {scope.sessions}
    GROUP BY article, session
)
SELECT fv.article,
       fv.first_ts / :day AS d,
       SUM(fv.n),
       COUNT(*),
       SUM(CASE WHEN fv.session IN (
               SELECT session FROM events
               WHERE type = 'contact' AND stage = 'submit' AND {scope.window}
                 {scope.sessions}
               UNION
               SELECT session FROM tickets
               WHERE session IS NOT NULL AND {WINDOW} {scope.sessions}
           ) AND (EXISTS (
               SELECT 1 FROM events c
               WHERE c.session = fv.session
                 AND c.ts > fv.first_ts AND c.ts <= fv.first_ts + :day
                 AND c.ts >= :since AND c.ts < :until
                 AND c.type = 'contact' AND c.stage = 'submit'
           ) OR EXISTS (
               SELECT 1 FROM tickets t
               WHERE t.session = fv.session
                 AND t.ts > fv.first_ts AND t.ts <= fv.first_ts + :day
                 AND t.ts >= :since AND t.ts < :until
           )) THEN 1 ELSE 0 END)
FROM fv
GROUP BY fv.article, fv.first_ts / :day
"""


# A vote `e` that is its session's last on the article: no later vote, and no other vote at
# the same ts that wins the tie (later received, then larger id). Each test is an index
# probe on (type, article, session, ts); the row itself is read only when a tie exists.
_IS_LAST_VOTE = """
NOT EXISTS (
    SELECT 1 FROM events l
    WHERE l.type = 'vote' AND l.article = e.article AND l.session = e.session
      AND l.ts > e.ts AND l.ts < :until
)
AND ((SELECT COUNT(*) FROM events l
      WHERE l.type = 'vote' AND l.article = e.article AND l.session = e.session
        AND l.ts = e.ts) = 1
     OR NOT EXISTS (
         SELECT 1 FROM events l
         WHERE l.type = 'vote' AND l.article = e.article AND l.session = e.session
           AND l.ts = e.ts
           AND (l.received > e.received OR (l.received = e.received AND l.id > e.id))
     ))
"""


# One row per article and day of the session's last vote on it: helpful, not helpful.
def votes_by_article_day(scope: Scope) -> str:
    return f"""
SELECT e.article,
       e.ts / :day AS d,
       SUM(CASE WHEN e.helpful = 1 THEN 1 ELSE 0 END),
       SUM(CASE WHEN e.helpful = 0 THEN 1 ELSE 0 END)
FROM events e
WHERE e.type = 'vote' AND {scope.window} {scope.sessions}
  AND {_IS_LAST_VOTE}
GROUP BY e.article, e.ts / :day
"""


# The feedback inbox: sessions whose last vote on an article is negative and says why,
# newest first. Written as "no later vote" rather than with the window function: walking the
# ts index backwards stops after :limit rows, so it costs the same at any table size.
# The feedback inbox (kbgen/inbox.py, the report's `feedback`): negative last votes with a
# reason or comment, with their state (schema version 6; no row there means open).
NEGATIVE_FEEDBACK_ITEMS = f"""
SELECT e.id, e.article, e.ts, e.reason, e.comment, e.rev, f.state, f.note, f.changed
FROM events e
LEFT JOIN feedback_states f ON f.event_id = e.id
WHERE e.type = 'vote' AND e.helpful = 0 AND e.ts >= :since AND e.ts < :until
  AND ((e.reason IS NOT NULL AND e.reason <> '') OR (e.comment IS NOT NULL AND e.comment <> ''))
  AND {_IS_LAST_VOTE}
ORDER BY e.ts DESC, e.article, e.id
LIMIT :limit
"""


# One row per day of each session's last NPS answer: promoters, detractors, answers.
def nps_by_day(scope: Scope) -> str:
    return f"""
WITH n AS (
    SELECT ts, score,
           ROW_NUMBER() OVER (
               PARTITION BY session ORDER BY ts DESC, received DESC, id DESC
           ) AS rn
    FROM events
    WHERE type = 'nps' AND {scope.window} {scope.sessions}
)
SELECT ts / :day AS d,
       SUM(CASE WHEN score >= 9 THEN 1 ELSE 0 END),
       SUM(CASE WHEN score <= 6 THEN 1 ELSE 0 END),
       COUNT(*)
FROM n
WHERE rn = 1
GROUP BY ts / :day
"""


# Sessions of the scope that contacted support in the window (a `submit` contact or a ticket
# with the session): one small lookup table, so the per-row probes for the contact's time
# only run for sessions that contacted at all.
def _contact_sessions(scope: Scope) -> str:
    return f"""
SELECT session FROM events
WHERE type = 'contact' AND stage = 'submit' AND {scope.window} {scope.sessions}
UNION
SELECT session FROM tickets
WHERE session IS NOT NULL AND {WINDOW} {scope.sessions}
"""


def _contact_within_day(alias: str) -> str:
    """A contact (submit or ticket) in the session of `alias`'s row, after its ts and at
    most :day ms later, inside the window: the "contact after view" rule."""
    return f"""(EXISTS (
    SELECT 1 FROM events c
    WHERE c.session = {alias}.session
      AND c.ts > {alias}.ts AND c.ts <= {alias}.ts + :day
      AND c.ts >= :since AND c.ts < :until
      AND c.type = 'contact' AND c.stage = 'submit'
) OR EXISTS (
    SELECT 1 FROM tickets t
    WHERE t.session = {alias}.session
      AND t.ts > {alias}.ts AND t.ts <= {alias}.ts + :day
      AND t.ts >= :since AND t.ts < :until
))"""


# One row per query (as typed: Python merges them by normalised query) and day, with the
# columns of daily.SEARCH_COUNTS but `reformulated` (reformulations_by_query_day):
# searches; zero-result searches; searches that a search_click with the same normalised
# query followed in the same session (clicked); of the searches with results, how many and
# how many were clicked; searches followed by a contact within :day in the same session;
# search_click events with a rank, and the sum of their ranks (day of the click).
# Only searches of sessions that clicked are normalised in SQL: the click side (few rows)
# drives the join through the searches' (session, ts) index.
def searches_by_query_day(scope: Scope) -> str:
    return f"""
WITH k AS MATERIALIZED (
    SELECT session, nq, MAX(ts) AS last_click
    FROM (
        SELECT session, ts, {NORMALISED_QUERY} AS nq
        FROM events
        WHERE type = 'search_click' AND {scope.window} {scope.sessions}
    ) AS clicks
    GROUP BY nq, session
),
hits AS (
    SELECT query, ts, 0 AS n, 0 AS zero, 1 AS clicked, 0 AS answered,
           CASE WHEN results > 0 THEN 1 ELSE 0 END AS answered_clicked,
           0 AS contacted, 0 AS ranked, 0 AS rank_sum
    FROM k CROSS JOIN events s
    WHERE s.session = k.session AND s.type = 'search'
      AND s.ts >= :since AND s.ts <= k.last_click
      AND {normalised("s.query")} = k.nq
),
rows_ AS (
    SELECT query, ts, 1 AS n, CASE WHEN results = 0 THEN 1 ELSE 0 END AS zero, 0 AS clicked,
           CASE WHEN results > 0 THEN 1 ELSE 0 END AS answered, 0 AS answered_clicked,
           CASE WHEN e.session IN ({_contact_sessions(scope)}) AND {_contact_within_day("e")}
                THEN 1 ELSE 0 END AS contacted,
           0 AS ranked, 0 AS rank_sum
    FROM events e
    WHERE type = 'search' AND {scope.window} {scope.sessions}
    UNION ALL
    SELECT query, ts, n, zero, clicked, answered, answered_clicked, contacted, ranked, rank_sum
    FROM hits
    UNION ALL
    SELECT query, ts, 0, 0, 0, 0, 0, 0, 1, rank
    FROM events
    WHERE type = 'search_click' AND rank IS NOT NULL AND {scope.window} {scope.sessions}
)
SELECT query,
       ts / :day AS d,
       SUM(n),
       SUM(zero),
       SUM(clicked),
       SUM(answered),
       SUM(answered_clicked),
       SUM(contacted),
       SUM(ranked),
       SUM(rank_sum)
FROM rows_
GROUP BY query, ts / :day
"""


# Reformulations: a session searched Q, clicked no result of Q, and later clicked article X
# from a search with another (normalised) query. One row per Q, day of the session's first
# search of Q, and X: the sessions that did so; and one row per Q and day with X NULL: the
# sessions that reformulated Q at all (a session may click several articles after). Only
# sessions that clicked are read (the clicks, few rows, drive the join through the
# searches' (session, ts) index). Q comes out normalised by SQL; Python normalises it again
# (SQLite only lower-cases ASCII).
def reformulations_by_query_day(scope: Scope) -> str:
    return f"""
WITH c AS MATERIALIZED (
    SELECT session, ts, article, {NORMALISED_QUERY} AS nq
    FROM events
    WHERE type = 'search_click' AND article IS NOT NULL AND {scope.window} {scope.sessions}
),
cs AS MATERIALIZED (
    SELECT DISTINCT session FROM c
),
q AS (
    SELECT s.session, {normalised("s.query")} AS nq, MIN(s.ts) AS first_ts
    FROM cs CROSS JOIN events s
    WHERE s.session = cs.session AND s.type = 'search'
      AND s.ts >= :since AND s.ts < :until
    GROUP BY s.session, {normalised("s.query")}
),
pairs AS MATERIALIZED (
    SELECT DISTINCT q.session, q.nq, q.first_ts, c.article
    FROM q JOIN c ON c.session = q.session AND c.ts > q.first_ts AND c.nq <> q.nq
    WHERE NOT EXISTS (SELECT 1 FROM c o WHERE o.session = q.session AND o.nq = q.nq)
)
SELECT nq, first_ts / :day AS d, article, COUNT(*)
FROM pairs
GROUP BY nq, first_ts / :day, article
UNION ALL
SELECT nq, first_ts / :day, NULL, COUNT(DISTINCT session)
FROM pairs
GROUP BY nq, first_ts / :day
"""


TICKETS_IN_WINDOW = f"""
SELECT COUNT(*), SUM(CASE WHEN session IS NULL THEN 1 ELSE 0 END)
FROM tickets
WHERE {WINDOW}
"""


# `kbgen suggest`: per normalised query, the sessions with a search of it that showed results
# and that no search_click with the same normalised query followed (the clicked rule of
# searches_by_query_day). Reads the window's searches once; not part of the day rollups.
NO_CLICK_SESSIONS = f"""
WITH s AS (
    SELECT session, ts, {NORMALISED_QUERY} AS nq
    FROM events
    WHERE type = 'search' AND results > 0 AND {SCAN_WINDOW}
),
k AS MATERIALIZED (
    SELECT session, {NORMALISED_QUERY} AS nq, MAX(ts) AS last_click
    FROM events
    WHERE type = 'search_click' AND {SCAN_WINDOW}
    GROUP BY session, {NORMALISED_QUERY}
)
SELECT s.nq, COUNT(DISTINCT s.session)
FROM s
WHERE NOT EXISTS (
    SELECT 1 FROM k WHERE k.session = s.session AND k.nq = s.nq AND k.last_click >= s.ts
)
GROUP BY s.nq
"""
