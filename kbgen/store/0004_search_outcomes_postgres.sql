-- Schema version 4 (PostgreSQL twin of 0004_search_outcomes.sql): search outcomes per
-- query in the report's day rollups. See the SQLite file for the reasoning.
ALTER TABLE report_day_searches ADD COLUMN IF NOT EXISTS answered BIGINT NOT NULL DEFAULT 0;
ALTER TABLE report_day_searches
    ADD COLUMN IF NOT EXISTS answered_clicks BIGINT NOT NULL DEFAULT 0;
ALTER TABLE report_day_searches ADD COLUMN IF NOT EXISTS contacted BIGINT NOT NULL DEFAULT 0;
ALTER TABLE report_day_searches
    ADD COLUMN IF NOT EXISTS ranked_clicks BIGINT NOT NULL DEFAULT 0;
ALTER TABLE report_day_searches ADD COLUMN IF NOT EXISTS rank_sum BIGINT NOT NULL DEFAULT 0;
ALTER TABLE report_day_searches
    ADD COLUMN IF NOT EXISTS reformulated BIGINT NOT NULL DEFAULT 0;

CREATE TABLE IF NOT EXISTS report_day_reformulations (
    day      BIGINT NOT NULL,
    query    TEXT COLLATE "C" NOT NULL,
    article  TEXT COLLATE "C" NOT NULL,
    sessions BIGINT NOT NULL,
    PRIMARY KEY (day, query, article)
);

DELETE FROM report_days;
DELETE FROM report_day_articles;
DELETE FROM report_day_searches;
