-- Schema version 5 (SQLite): contact drivers (kbgen/drivers/).
--
-- A ticket's body or description, when the helpdesk export has one: customers' words,
-- stored exactly, never rendered as markup.
ALTER TABLE tickets ADD COLUMN body TEXT;

-- Sentence embeddings of customers' texts (ticket subjects, queries, comments) and of the
-- articles' titles, computed once per model and kept, so a later report does not embed
-- them again. `hash` is the SHA-1 of the text embedded; `vector` little-endian float32.
CREATE TABLE IF NOT EXISTS text_embeddings (
    model  TEXT NOT NULL,            -- kbgen.search.semantic.model_id of the model
    hash   TEXT NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (model, hash)
) WITHOUT ROWID;

-- The last analyses (kbgen/drivers/cache.py), keyed by a digest of everything they read:
-- method and model, window, the day versions of the events and tickets, the articles. A
-- report over unchanged data reads its topics back instead of analysing again.
CREATE TABLE IF NOT EXISTS drivers_results (
    key     TEXT PRIMARY KEY,
    created INTEGER NOT NULL,        -- ms since the epoch, for pruning
    result  TEXT NOT NULL            -- JSON: the topics
);
