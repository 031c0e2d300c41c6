"""The metric SQL, portable between SQLite and PostgreSQL, run through `store.query`.

Every query reads only the report window (`:since` inclusive, `:until` exclusive, integer ms
UTC) and lets the database do the grouping, so Python only sees one row per article, week or
query and memory stays flat however many events there are.

Conventions shared by all queries:
- A contact is a `contact` event of stage `submit`, or an imported helpdesk ticket that
  carries the session (`tickets.session`), at the ticket's creation time.
- "Last" means latest `ts`; ties go to the later `received`, then the larger `id`.
- Weeks start on Monday 00:00 UTC: week number = (ts − :monday) / :week, integer division.
"""

WINDOW = "ts >= :since AND ts < :until"
# The same test written so that SQLite does not pick the ts index for it, for queries on one
# event type: a report window usually covers most of the table, and walking the ts index
# then reads every event to keep a few. `+ts` is a no-op in both dialects; it leaves the
# planner the (type, article) index. Queries over all events keep the ts index: events are
# stored in time order, so it walks the table nearly sequentially.
SCAN_WINDOW = "+ts >= :since AND +ts < :until"

# SQL side of the query normalisation: tabs and line breaks become spaces, runs of spaces
# collapse (each space gets a :mark, then "mark space" pairs vanish), trim, lower-case.
# SQLite's lower() only folds ASCII; Python re-normalises each group (stats.normalise_query),
# so this only decides which searches and clicks of one session are joined.
NORMALISED_QUERY = (
    "lower(trim(replace(replace(replace("
    "replace(replace(replace(query, :tab, ' '), :lf, ' '), :cr, ' '),"
    " ' ', ' ' || :mark), :mark || ' ', ''), :mark, '')))"
)

# One row per week (of each session's first event): sessions, events read, help sessions,
# contact sessions, help sessions without a contact, contact-page sessions, and those of
# them without a contact. Ticket-only sessions count as contact sessions.
SESSIONS_BY_WEEK = f"""
WITH s AS (
    SELECT session,
           MIN(ts) AS first_ts,
           COUNT(*) AS n,
           MAX(CASE WHEN type IN ('view', 'search') THEN 1 ELSE 0 END) AS helped,
           MAX(CASE WHEN type = 'contact' AND stage = 'submit' THEN 1 ELSE 0 END) AS submitted,
           MAX(CASE WHEN type = 'contact' AND stage = 'open' THEN 1 ELSE 0 END) AS opened
    FROM events
    WHERE {WINDOW}
    GROUP BY session
),
t AS (
    SELECT session, MIN(ts) AS first_ts
    FROM tickets
    WHERE session IS NOT NULL AND {WINDOW}
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
SELECT (first_ts - :monday) / :week AS wk,
       COUNT(*),
       SUM(n),
       SUM(helped),
       SUM(contacted),
       SUM(helped * (1 - contacted)),
       SUM(opened),
       SUM(opened * (1 - contacted))
FROM f
GROUP BY (first_ts - :monday) / :week
ORDER BY wk
"""

# One row per article: views, sessions that viewed it, and those of them with a contact
# after their first view of it, within :day ms, in the same session. The contacts are few:
# MATERIALIZED (SQLite >= 3.35, PostgreSQL >= 12) makes them one small indexed table
# instead of a correlated scan per viewing session.
ARTICLE_VIEWS = f"""
WITH fv AS (
    SELECT article, session, MIN(ts) AS first_ts, COUNT(*) AS n
    FROM events
    WHERE type = 'view' AND {SCAN_WINDOW}
    GROUP BY article, session
),
c AS MATERIALIZED (
    SELECT session, ts FROM events
    WHERE type = 'contact' AND stage = 'submit' AND {SCAN_WINDOW}
    UNION ALL
    SELECT session, ts FROM tickets
    WHERE session IS NOT NULL AND {WINDOW}
)
SELECT fv.article,
       SUM(fv.n),
       COUNT(*),
       SUM(CASE WHEN EXISTS (
               SELECT 1 FROM c
               WHERE c.session = fv.session
                 AND c.ts > fv.first_ts AND c.ts <= fv.first_ts + :day
           ) THEN 1 ELSE 0 END)
FROM fv
GROUP BY fv.article
"""

_LAST_VOTES = f"""
WITH v AS (
    SELECT article, session, ts, helpful, reason, comment,
           ROW_NUMBER() OVER (
               PARTITION BY article, session ORDER BY ts DESC, received DESC, id DESC
           ) AS rn
    FROM events
    WHERE type = 'vote' AND {SCAN_WINDOW}
)
"""

# One row per article and week of the session's last vote on it: helpful, not helpful.
VOTES_BY_ARTICLE_WEEK = (
    _LAST_VOTES
    + """
SELECT article,
       (ts - :monday) / :week AS wk,
       SUM(CASE WHEN helpful = 1 THEN 1 ELSE 0 END),
       SUM(CASE WHEN helpful = 0 THEN 1 ELSE 0 END)
FROM v
WHERE rn = 1
GROUP BY article, (ts - :monday) / :week
"""
)

# The feedback inbox: sessions whose last vote on an article is negative and says why.
NEGATIVE_FEEDBACK = (
    _LAST_VOTES
    + """
SELECT article, ts, reason, comment
FROM v
WHERE rn = 1 AND helpful = 0
  AND ((reason IS NOT NULL AND reason <> '') OR (comment IS NOT NULL AND comment <> ''))
ORDER BY ts DESC, article
LIMIT :limit
"""
)

# One row per week of each session's last NPS answer: promoters, detractors, answers.
NPS_BY_WEEK = f"""
WITH n AS (
    SELECT ts, score,
           ROW_NUMBER() OVER (
               PARTITION BY session ORDER BY ts DESC, received DESC, id DESC
           ) AS rn
    FROM events
    WHERE type = 'nps' AND {SCAN_WINDOW}
)
SELECT (ts - :monday) / :week AS wk,
       SUM(CASE WHEN score >= 9 THEN 1 ELSE 0 END),
       SUM(CASE WHEN score <= 6 THEN 1 ELSE 0 END),
       COUNT(*)
FROM n
WHERE rn = 1
GROUP BY (ts - :monday) / :week
"""

# One row per normalised query and week: searches, zero-result searches, and searches that
# a search_click with the same normalised query followed in the same session.
SEARCHES_BY_QUERY_WEEK = f"""
WITH s AS (
    SELECT session, ts, results, {NORMALISED_QUERY} AS nq
    FROM events
    WHERE type = 'search' AND {SCAN_WINDOW}
),
k AS (
    SELECT session, nq, MAX(ts) AS last_click
    FROM (
        SELECT session, ts, {NORMALISED_QUERY} AS nq
        FROM events
        WHERE type = 'search_click' AND {SCAN_WINDOW}
    ) AS clicks
    GROUP BY session, nq
)
SELECT s.nq,
       (s.ts - :monday) / :week AS wk,
       COUNT(*),
       SUM(CASE WHEN s.results = 0 THEN 1 ELSE 0 END),
       SUM(CASE WHEN k.last_click >= s.ts THEN 1 ELSE 0 END)
FROM s LEFT JOIN k ON k.session = s.session AND k.nq = s.nq
GROUP BY s.nq, (s.ts - :monday) / :week
"""

TICKETS_IN_WINDOW = f"""
SELECT COUNT(*), SUM(CASE WHEN session IS NULL THEN 1 ELSE 0 END)
FROM tickets
WHERE {WINDOW}
"""
