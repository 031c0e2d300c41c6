-- Schema version 7 (PostgreSQL twin of 0007_negative_votes.sql): the feedback inbox reads
-- "No" votes through their own index, newest first, instead of the window's events by time.
CREATE INDEX IF NOT EXISTS events_negative_votes ON events (ts)
    WHERE type = 'vote' AND helpful = 0;
