-- Schema version 3 (PostgreSQL twin of 0003_report_rollups.sql): per-day report rollups,
-- so `kbgen report` over a window of whole UTC days reads a few rows per day instead of
-- every event (kbgen/analytics/rollups.py). See the SQLite file for the reasoning.
--
-- Differences from SQLite, where one writer at a time is the rule:
-- - Day versions are sharded by connection (pg_backend_pid() % 16) so concurrent writers
--   do not queue on one row per day; a day's version is the sum of its shards.
-- - The multi-day test takes a transaction-scoped advisory lock on the session first, so
--   two transactions that add a session's events on two different days cannot both miss
--   each other (the second waits, then its next statement sees the first's rows).
-- - The triggers run once per statement over its new rows (a transition table), not once
--   per row: a plpgsql call per event cost about a third of the API's ingest rate.

CREATE TABLE IF NOT EXISTS report_day_versions (
    day     BIGINT NOT NULL,
    shard   INTEGER NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (day, shard)
);

CREATE TABLE IF NOT EXISTS report_multi_day_sessions (
    session TEXT COLLATE "C" PRIMARY KEY
);

CREATE TABLE IF NOT EXISTS report_days (
    day                    BIGINT PRIMARY KEY,
    version                BIGINT NOT NULL,
    sessions               BIGINT NOT NULL,
    events                 BIGINT NOT NULL,
    help_sessions          BIGINT NOT NULL,
    contact_sessions       BIGINT NOT NULL,
    help_without_contact   BIGINT NOT NULL,
    contact_page_sessions  BIGINT NOT NULL,
    contact_page_deflected BIGINT NOT NULL,
    nps_promoters          BIGINT NOT NULL,
    nps_detractors         BIGINT NOT NULL,
    nps_answers            BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS report_day_articles (
    day                BIGINT NOT NULL,
    article            TEXT COLLATE "C" NOT NULL,
    views              BIGINT NOT NULL,
    view_sessions      BIGINT NOT NULL,
    contacted_sessions BIGINT NOT NULL,
    helpful            BIGINT NOT NULL,
    not_helpful        BIGINT NOT NULL,
    PRIMARY KEY (day, article)
);

CREATE TABLE IF NOT EXISTS report_day_searches (
    day          BIGINT NOT NULL,
    query        TEXT COLLATE "C" NOT NULL,
    count        BIGINT NOT NULL,
    zero_results BIGINT NOT NULL,
    clicks       BIGINT NOT NULL,
    PRIMARY KEY (day, query)
);

-- One statement-level function for events and tickets (both have ts and session; a ticket's
-- session may be NULL): it runs once per INSERT statement (the API stores a whole group
-- commit in one), set-based over the statement's new rows.
CREATE OR REPLACE FUNCTION kbgen_report_rollups_touch() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    shard_ INTEGER := pg_backend_pid() % 16;
BEGIN
    INSERT INTO report_day_versions AS v (day, shard, version)
    SELECT DISTINCT ts / 86400000, shard_, 1 FROM new_rows ORDER BY 1
    ON CONFLICT (day, shard) DO UPDATE SET version = v.version + 1;
    -- Sessions that may start to span days: lock each (in one order, so writers do not
    -- deadlock on each other), then look at their first and last instants (index probes).
    PERFORM pg_advisory_xact_lock(1799512, h) FROM (
        SELECT DISTINCT hashtext(n.session) AS h FROM new_rows n
        WHERE n.session IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM report_multi_day_sessions m WHERE m.session = n.session)
        ORDER BY 1
    ) AS locks;
    WITH candidates AS (
        SELECT DISTINCT n.session FROM new_rows n
        WHERE n.session IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM report_multi_day_sessions m WHERE m.session = n.session)
    ),
    spans AS (
        SELECT c.session,
               LEAST((SELECT MIN(e.ts) FROM events e WHERE e.session = c.session),
                     (SELECT MIN(t.ts) FROM tickets t WHERE t.session = c.session)) AS lo,
               GREATEST((SELECT MAX(e.ts) FROM events e WHERE e.session = c.session),
                        (SELECT MAX(t.ts) FROM tickets t WHERE t.session = c.session)) AS hi
        FROM candidates c
    ),
    found AS (
        INSERT INTO report_multi_day_sessions (session)
        SELECT session FROM spans WHERE lo / 86400000 <> hi / 86400000
        ON CONFLICT DO NOTHING
        RETURNING session
    )
    -- The day rollups that counted them as single-day sessions are stale now.
    INSERT INTO report_day_versions AS v (day, shard, version)
    SELECT DISTINCT d.day, shard_, 1 FROM found f CROSS JOIN LATERAL (
        SELECT e.ts / 86400000 AS day FROM events e WHERE e.session = f.session
        UNION SELECT t.ts / 86400000 FROM tickets t WHERE t.session = f.session
    ) AS d
    ORDER BY 1
    ON CONFLICT (day, shard) DO UPDATE SET version = v.version + 1;
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS events_report_rollups ON events;
CREATE TRIGGER events_report_rollups AFTER INSERT ON events
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION kbgen_report_rollups_touch();
DROP TRIGGER IF EXISTS tickets_report_rollups ON tickets;
CREATE TRIGGER tickets_report_rollups AFTER INSERT ON tickets
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION kbgen_report_rollups_touch();

INSERT INTO report_multi_day_sessions (session)
SELECT session FROM (
    SELECT session, MIN(ts) / 86400000 AS first_day, MAX(ts) / 86400000 AS last_day
    FROM events GROUP BY session
    UNION ALL
    SELECT session, MIN(ts) / 86400000, MAX(ts) / 86400000
    FROM tickets WHERE session IS NOT NULL GROUP BY session
) AS spans
GROUP BY session
HAVING MIN(first_day) <> MAX(last_day)
ON CONFLICT DO NOTHING;
