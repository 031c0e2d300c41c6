-- Schema version 4 (SQLite): search outcomes per query in the report's day rollups
-- (kbgen/analytics/queries.py `searches_by_query_day`, `reformulations_by_query_day`).
--
-- Per day and normalised query, beside count / zero_results / clicks: searches with results
-- and those of them clicked (their difference is "results but no click"), searches followed
-- by a contact in the same session, clicks with a rank and the sum of their ranks (the
-- average clicked rank), and sessions that reformulated the query (searched it, clicked
-- none of its results, then clicked an article from another query).
ALTER TABLE report_day_searches ADD COLUMN answered INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_day_searches ADD COLUMN answered_clicks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_day_searches ADD COLUMN contacted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_day_searches ADD COLUMN ranked_clicks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_day_searches ADD COLUMN rank_sum INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_day_searches ADD COLUMN reformulated INTEGER NOT NULL DEFAULT 0;

-- Per day (of the session's first search of the query), normalised query and the article
-- clicked after reformulating it: how many sessions.
CREATE TABLE IF NOT EXISTS report_day_reformulations (
    day      INTEGER NOT NULL,
    query    TEXT NOT NULL,
    article  TEXT NOT NULL,
    sessions INTEGER NOT NULL,
    PRIMARY KEY (day, query, article)
) WITHOUT ROWID;

-- The days kept before this version lack the new counters: every day becomes stale and is
-- computed again (by `kbgen db migrate`, an import, or the next report). The events are
-- untouched; a day is kept only while its row in report_days exists.
DELETE FROM report_days;
DELETE FROM report_day_articles;
DELETE FROM report_day_searches;
