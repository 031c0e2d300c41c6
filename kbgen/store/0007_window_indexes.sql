-- Schema version 7 (SQLite): indexes for the report queries that read events of the window
-- one by one through `events_ts` (every event of the window, each row looked up) although
-- they want one kind of event only. Each index below holds only that kind, in time order,
-- so a query reads nothing else. Measured at 1M events (benchmarks/results/drivers.md).

-- The feedback inbox (NEGATIVE_FEEDBACK_ITEMS, kbgen/analytics/queries.py) walks "No" votes
-- newest first until it has enough with a reason or comment: with few votes, that walk
-- used to cover the whole window.
CREATE INDEX IF NOT EXISTS events_negative_votes ON events (ts)
    WHERE type = 'vote' AND helpful = 0;

-- Per-revision numbers (REVISION_VIEWS / REVISION_VOTES, kbgen/analytics/revisions.py):
-- the window's views and votes that carry a revision, with every column those queries
-- read (`type` too: SQLite reads it from the index, not the partial condition), so no
-- table row is looked up.
CREATE INDEX IF NOT EXISTS events_view_revisions ON events (ts, article, rev, session, type)
    WHERE type = 'view' AND rev IS NOT NULL;
CREATE INDEX IF NOT EXISTS events_vote_revisions
    ON events (ts, article, rev, session, received, id, helpful, type)
    WHERE type = 'vote' AND rev IS NOT NULL;
