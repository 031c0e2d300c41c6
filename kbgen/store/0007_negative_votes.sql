-- Schema version 7 (SQLite): the feedback inbox reads "No" votes through their own index.
--
-- NEGATIVE_FEEDBACK_ITEMS (kbgen/analytics/queries.py) wants the newest "No" votes of the
-- window. Through `events_ts` it read every event of the window, newest first, until it had
-- found enough of them: with few votes that is the whole window (5 s of a 1M-event report).
-- This index holds only "No" votes, in time order, so the walk reads nothing else.
CREATE INDEX IF NOT EXISTS events_negative_votes ON events (ts)
    WHERE type = 'vote' AND helpful = 0;
