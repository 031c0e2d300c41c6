-- Schema version 3 (SQLite): per-day report rollups, so `kbgen report` over a window of
-- whole UTC days reads a few rows per day instead of every event (kbgen/analytics/rollups.py).
--
-- Every metric is a sum over sessions. A session whose events and tickets all fall on one
-- UTC day ("single-day", nearly all of them: sessions renew after 30 idle minutes) counts
-- the same in every window of whole days that contains that day, so its share can be kept
-- per day. The few sessions that span days are listed here and always read from the events.
--
-- Written at insert time, in the transaction that stores the events or tickets (the SQLite
-- store does it, kbgen/store/sqlite.py `_touch_rollups`: every writer goes through it, the
-- API, imports, tickets, the demo): a version per day, raised whenever events or tickets
-- of that day are written, and the list of multi-day sessions. The day rollups themselves
-- are computed by the report from the events and kept with the day's version; a rollup
-- whose version is no longer the day's is stale and computed again. (Per-row triggers did
-- the same at about a sixth of the API's ingest CPU; SQLite has no statement triggers.)

-- Day = ts / 86400000 (integer division; ts >= 0), the UTC day number since 1970-01-01.
-- A day's version is the sum over its shards. SQLite has one writer and uses shard 0;
-- PostgreSQL writers use one shard per connection, so they do not queue on one hot row.
CREATE TABLE IF NOT EXISTS report_day_versions (
    day     INTEGER NOT NULL,
    shard   INTEGER NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (day, shard)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS report_multi_day_sessions (
    session TEXT PRIMARY KEY
) WITHOUT ROWID;

-- One row per computed day: the single-day sessions' counters (week = the day's week).
CREATE TABLE IF NOT EXISTS report_days (
    day                    INTEGER PRIMARY KEY,
    version                INTEGER NOT NULL,  -- the day's version it was computed at
    sessions               INTEGER NOT NULL,
    events                 INTEGER NOT NULL,
    help_sessions          INTEGER NOT NULL,
    contact_sessions       INTEGER NOT NULL,
    help_without_contact   INTEGER NOT NULL,
    contact_page_sessions  INTEGER NOT NULL,
    contact_page_deflected INTEGER NOT NULL,
    nps_promoters          INTEGER NOT NULL,
    nps_detractors         INTEGER NOT NULL,
    nps_answers            INTEGER NOT NULL
);

-- Per day and article: views and view sessions (day of the first view), contacted sessions,
-- last votes (day of the last vote).
CREATE TABLE IF NOT EXISTS report_day_articles (
    day                INTEGER NOT NULL,
    article            TEXT NOT NULL,
    views              INTEGER NOT NULL,
    view_sessions      INTEGER NOT NULL,
    contacted_sessions INTEGER NOT NULL,
    helpful            INTEGER NOT NULL,
    not_helpful        INTEGER NOT NULL,
    PRIMARY KEY (day, article)
) WITHOUT ROWID;

-- Per day and normalised query: searches, zero-result searches, searches with a click.
CREATE TABLE IF NOT EXISTS report_day_searches (
    day          INTEGER NOT NULL,
    query        TEXT NOT NULL,
    count        INTEGER NOT NULL,
    zero_results INTEGER NOT NULL,
    clicks       INTEGER NOT NULL,
    PRIMARY KEY (day, query)
) WITHOUT ROWID;

-- The sessions of an existing database that already span days (one pass over the session
-- index: a few seconds per 10 million events). Day rollups start empty (version 0).
INSERT OR IGNORE INTO report_multi_day_sessions (session)
SELECT session FROM (
    SELECT session, MIN(ts) / 86400000 AS first_day, MAX(ts) / 86400000 AS last_day
    FROM events GROUP BY session
    UNION ALL
    SELECT session, MIN(ts) / 86400000, MAX(ts) / 86400000
    FROM tickets WHERE session IS NOT NULL GROUP BY session
) AS spans
GROUP BY session
HAVING MIN(first_day) <> MAX(last_day);
