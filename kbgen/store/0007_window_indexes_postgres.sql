-- Schema version 7 (PostgreSQL twin of 0007_window_indexes.sql): indexes that hold only the
-- events one report query wants, in time order, so it reads nothing else of the window.

-- The feedback inbox (NEGATIVE_FEEDBACK_ITEMS): "No" votes, newest first.
CREATE INDEX IF NOT EXISTS events_negative_votes ON events (ts)
    WHERE type = 'vote' AND helpful = 0;

-- Per-revision numbers (REVISION_VIEWS / REVISION_VOTES): views and votes with a revision,
-- with every column those queries read.
CREATE INDEX IF NOT EXISTS events_view_revisions ON events (ts, article, rev, session, type)
    WHERE type = 'view' AND rev IS NOT NULL;
CREATE INDEX IF NOT EXISTS events_vote_revisions
    ON events (ts, article, rev, session, received, id, helpful, type)
    WHERE type = 'vote' AND rev IS NOT NULL;
