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

-- One function for events and tickets (both have ts and session; a ticket's may be NULL).
CREATE OR REPLACE FUNCTION kbgen_report_rollups_touch() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    d BIGINT := NEW.ts / 86400000;
    lo BIGINT := (NEW.ts / 86400000) * 86400000;
    hi BIGINT := (NEW.ts / 86400000 + 1) * 86400000;
    s INTEGER := pg_backend_pid() % 16;
BEGIN
    INSERT INTO report_day_versions AS v (day, shard, version) VALUES (d, s, 1)
        ON CONFLICT (day, shard) DO UPDATE SET version = v.version + 1;
    IF NEW.session IS NULL
       OR EXISTS (SELECT 1 FROM report_multi_day_sessions m WHERE m.session = NEW.session) THEN
        RETURN NULL;
    END IF;
    PERFORM pg_advisory_xact_lock(1799512, hashtext(NEW.session));
    IF EXISTS (SELECT 1 FROM report_multi_day_sessions m WHERE m.session = NEW.session) THEN
        RETURN NULL;
    END IF;
    IF EXISTS (SELECT 1 FROM events e WHERE e.session = NEW.session AND e.ts < lo)
       OR EXISTS (SELECT 1 FROM events e WHERE e.session = NEW.session AND e.ts >= hi)
       OR EXISTS (SELECT 1 FROM tickets t WHERE t.session = NEW.session AND t.ts < lo)
       OR EXISTS (SELECT 1 FROM tickets t WHERE t.session = NEW.session AND t.ts >= hi) THEN
        INSERT INTO report_multi_day_sessions (session) VALUES (NEW.session)
            ON CONFLICT DO NOTHING;
        -- The day rollups that counted it as a single-day session are stale now.
        INSERT INTO report_day_versions AS v (day, shard, version)
        SELECT days.day, s, 1 FROM (
            SELECT ts / 86400000 AS day FROM events WHERE session = NEW.session
            UNION SELECT ts / 86400000 FROM tickets WHERE session = NEW.session
        ) AS days
        ON CONFLICT (day, shard) DO UPDATE SET version = v.version + 1;
    END IF;
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS events_report_rollups ON events;
CREATE TRIGGER events_report_rollups AFTER INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION kbgen_report_rollups_touch();
DROP TRIGGER IF EXISTS tickets_report_rollups ON tickets;
CREATE TRIGGER tickets_report_rollups AFTER INSERT ON tickets
    FOR EACH ROW EXECUTE FUNCTION kbgen_report_rollups_touch();

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
