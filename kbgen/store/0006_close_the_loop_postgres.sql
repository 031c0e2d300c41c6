-- Schema version 6 (PostgreSQL twin of 0006_close_the_loop.sql): closing the loop (issue
-- 17). Self-contained: it only adds kbgen's own new column and tables, so it applies on top
-- of any of versions 3 to 5.
--
-- The revision of the article a `view` or `vote` was about (SPEC "Events": `rev`, 12 hex
-- digits); NULL for events sent before pages carried one.
ALTER TABLE events ADD COLUMN IF NOT EXISTS rev TEXT;

-- The feedback inbox's state per "No" vote with a reason or comment. A vote without a row
-- here is open; the vote event itself is never changed or deleted.
CREATE TABLE IF NOT EXISTS feedback_states (
    event_id TEXT PRIMARY KEY,       -- the vote event's id
    state    TEXT NOT NULL,          -- open | resolved | dismissed
    note     TEXT,                   -- what the owner did (kbgen feedback resolve --note)
    rev      TEXT,                   -- the revision that resolved it (--rev), if any
    changed  BIGINT NOT NULL        -- when the state was set, ms
);

-- `kbgen notify`: one row per digest; `key` is its idempotency key, so a rerun or a second
-- process never queues or sends the same digest twice.
CREATE TABLE IF NOT EXISTS notify_outbox (
    key         TEXT PRIMARY KEY,
    target      TEXT NOT NULL,       -- the notify entry: owner and destination
    owner       TEXT NOT NULL,
    body        TEXT NOT NULL,       -- the digest, JSON
    state       TEXT NOT NULL,       -- pending | sent
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_at     BIGINT NOT NULL,    -- not tried again before this time, ms (backoff)
    lease_until BIGINT NOT NULL DEFAULT 0,  -- a sender holds it until then, ms
    last_error  TEXT,
    created     BIGINT NOT NULL,
    sent_at     BIGINT
);
CREATE INDEX IF NOT EXISTS notify_outbox_due ON notify_outbox (state, next_at);

-- What each target has been told about, so a digest holds only what is new.
CREATE TABLE IF NOT EXISTS notify_items (
    target TEXT NOT NULL,
    item   TEXT NOT NULL,                -- feedback:<event id> | csat:<article>:<rev> | review:<article>:<due>
    digest TEXT NOT NULL,                -- the outbox key that carries it
    PRIMARY KEY (target, item)
);
