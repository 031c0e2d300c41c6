-- kbgen events store, schema version 1 (PostgreSQL dialect): the same tables, columns and
-- meaning as schema.sql. Timestamps are BIGINT milliseconds since the Unix epoch, UTC.
-- Text columns use the "C" collation so ordering and lower() behave byte-for-byte like
-- SQLite's BINARY collation: the same events give the same report on either store.
-- Tables are created in the first schema of the connection's search_path.

CREATE TABLE IF NOT EXISTS events (
    id        TEXT COLLATE "C" PRIMARY KEY,  -- client-made UUID: a retried event is stored once
    type      TEXT COLLATE "C" NOT NULL,     -- view | search | search_click | vote | contact | nps
    ts        BIGINT NOT NULL,               -- event time (set by the server for live events)
    session   TEXT COLLATE "C" NOT NULL,
    article   TEXT COLLATE "C",              -- view, search_click, vote, contact (optional)
    query     TEXT COLLATE "C",              -- search, search_click: as typed (reports normalise)
    results   INTEGER,                       -- search: number of results shown
    source    TEXT COLLATE "C",              -- search: site | contact | api
    rank      INTEGER,                       -- search_click: 1-based position clicked
    helpful   SMALLINT,                      -- vote: 1 yes, 0 no
    reason    TEXT COLLATE "C",              -- vote: incomplete | outdated | unclear | ...
    comment   TEXT COLLATE "C",              -- vote, nps: customer text, stored exactly
    channel   TEXT COLLATE "C",              -- contact
    stage     TEXT COLLATE "C",              -- contact: open | submit
    score     SMALLINT,                      -- nps: 0..10
    received  BIGINT NOT NULL                -- when the server stored it
);
CREATE INDEX IF NOT EXISTS events_ts ON events (ts);
CREATE INDEX IF NOT EXISTS events_session_ts ON events (session, ts);
CREATE INDEX IF NOT EXISTS events_type_article ON events (type, article);

-- Helpdesk tickets imported with `kbgen tickets import`, joined to sessions by kb_session.
CREATE TABLE IF NOT EXISTS tickets (
    ticket_id TEXT COLLATE "C" PRIMARY KEY,  -- the helpdesk's ticket id
    session   TEXT COLLATE "C",              -- kb_session from the ticket, NULL when absent
    article   TEXT COLLATE "C",              -- kb_article from the ticket, NULL when absent
    ts        BIGINT NOT NULL,               -- ticket creation time
    subject   TEXT COLLATE "C",
    source    TEXT COLLATE "C" NOT NULL      -- file it came from
);

-- Rejection counters, one row per reason per UTC day.
CREATE TABLE IF NOT EXISTS rejections (
    day     TEXT COLLATE "C" NOT NULL,       -- YYYY-MM-DD
    reason  TEXT COLLATE "C" NOT NULL,       -- e.g. invalid_json, unknown_article, bot
    count   BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, reason)
);
