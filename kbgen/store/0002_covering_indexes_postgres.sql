-- Schema version 2 (PostgreSQL twin of 0002_covering_indexes.sql): indexes that cover
-- the report's queries, so each pass over a 30-day window is an ordered index-only scan
-- instead of a sort of the whole window or one random row lookup per event (10 million
-- events: minutes before, seconds after).
--
-- Per event type, one partial index holding just that type's rows and the columns the
-- report reads (`type` itself too: SQLite only counts an index as covering when it holds
-- every column the query names). Every event still goes into exactly four indexes (primary
-- key, ts, session, its type's), as in version 1, so writes cost about the same.
-- Building them reads the table once: about 30 s per 10 million events on 2 cores.

-- Per-session flags (help, contact open/submit), each session's first event and week.
DROP INDEX IF EXISTS events_session_ts;
CREATE INDEX IF NOT EXISTS events_session_cover ON events (session, ts, type, stage);

-- Replaced by the per-type indexes below.
DROP INDEX IF EXISTS events_type_article;

-- Views per article and session: first view and count.
CREATE INDEX IF NOT EXISTS events_views ON events (article, session, ts, type)
    WHERE type = 'view';
-- Each session's last vote per article; the feedback inbox.
CREATE INDEX IF NOT EXISTS events_votes ON events (article, session, ts, helpful, type)
    WHERE type = 'vote';
-- Searches and the clicks that followed them in the same session.
CREATE INDEX IF NOT EXISTS events_searches ON events (session, ts, query, results, type)
    WHERE type = 'search';
CREATE INDEX IF NOT EXISTS events_clicks ON events (session, ts, query, type)
    WHERE type = 'search_click';
-- Contacts after a view, in the same session.
CREATE INDEX IF NOT EXISTS events_contacts ON events (session, ts, stage, type)
    WHERE type = 'contact';
-- Each session's last NPS answer.
CREATE INDEX IF NOT EXISTS events_nps ON events (session, ts, score, type)
    WHERE type = 'nps';

-- Tickets joined to sessions.
CREATE INDEX IF NOT EXISTS tickets_session ON tickets (session, ts);
