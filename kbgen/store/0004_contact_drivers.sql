-- Schema version 4 (SQLite): contact drivers (kbgen/drivers/).
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
