-- Schema version 8 (PostgreSQL): help centers in several languages (issue 18).
-- The language of the page an event was sent from (SPEC "Events": optional `lang`); NULL for
-- the default language and for events sent before pages carried one.
ALTER TABLE events ADD COLUMN IF NOT EXISTS lang TEXT;
