-- Schema version 5 (PostgreSQL twin of 0005_contact_drivers.sql): contact drivers.
ALTER TABLE tickets ADD COLUMN IF NOT EXISTS body TEXT;

CREATE TABLE IF NOT EXISTS text_embeddings (
    model  TEXT COLLATE "C" NOT NULL,
    hash   TEXT COLLATE "C" NOT NULL,
    vector BYTEA NOT NULL,
    PRIMARY KEY (model, hash)
);

CREATE TABLE IF NOT EXISTS drivers_results (
    key     TEXT COLLATE "C" PRIMARY KEY,
    created BIGINT NOT NULL,
    result  TEXT NOT NULL
);
