-- kbgen events store, schema version 1 (SQLite dialect; the PostgreSQL twin keeps the same
-- tables, columns and meaning). Timestamps are integer milliseconds since the Unix epoch, UTC.

CREATE TABLE IF NOT EXISTS events (
    id        TEXT PRIMARY KEY,      -- client-made UUID: a retried event is stored once
    type      TEXT NOT NULL,         -- view | search | search_click | vote | contact | nps
    ts        INTEGER NOT NULL,      -- event time (set by the server for live events)
    session   TEXT NOT NULL,
    article   TEXT,                  -- view, search_click, vote, contact (optional)
    query     TEXT,                  -- search, search_click: as typed (reports normalise)
    results   INTEGER,               -- search: number of results shown
    source    TEXT,                  -- search: site | contact | api
    rank      INTEGER,               -- search_click: 1-based position clicked
    helpful   INTEGER,               -- vote: 1 yes, 0 no
    reason    TEXT,                  -- vote: incomplete | outdated | unclear | not_my_problem | other
    comment   TEXT,                  -- vote, nps: customer text, stored exactly, never rendered
    channel   TEXT,                  -- contact
    stage     TEXT,                  -- contact: open | submit
    score     INTEGER,               -- nps: 0..10
    received  INTEGER NOT NULL       -- when the server stored it
);
CREATE INDEX IF NOT EXISTS events_ts ON events (ts);
CREATE INDEX IF NOT EXISTS events_session_ts ON events (session, ts);
CREATE INDEX IF NOT EXISTS events_type_article ON events (type, article);

-- Helpdesk tickets imported with `kbgen tickets import`, joined to sessions by kb_session.
CREATE TABLE IF NOT EXISTS tickets (
    ticket_id TEXT PRIMARY KEY,      -- the helpdesk's ticket id
    session   TEXT,                  -- kb_session from the ticket, NULL when absent
    article   TEXT,                  -- kb_article from the ticket, NULL when absent
    ts        INTEGER NOT NULL,      -- ticket creation time
    subject   TEXT,
    source    TEXT NOT NULL          -- file it came from
);

-- Rejection counters (THREATS.md: "counted"), one row per reason per UTC day.
CREATE TABLE IF NOT EXISTS rejections (
    day     TEXT NOT NULL,           -- YYYY-MM-DD
    reason  TEXT NOT NULL,           -- e.g. invalid_json, unknown_article, bot, rate_limited
    count   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, reason)
);

CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER NOT NULL
);
