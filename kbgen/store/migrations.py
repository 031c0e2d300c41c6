"""Schema versions for the SQLite store: each step is a .sql file applied once, in order.

To change the schema, add `NNNN_what.sql` beside `schema.sql` and a line to `MIGRATIONS`;
never edit a step that has shipped. A database newer than this kbgen is refused.
"""

from __future__ import annotations

import sqlite3
from importlib import resources

from kbgen import progress
from kbgen.errors import KbgenError
from kbgen.store import sql

# (version, file in kbgen/store/) — version 1 is the original schema; never edit a shipped step.
MIGRATIONS: tuple[tuple[int, str], ...] = (
    (1, "schema.sql"),
    (2, "0002_covering_indexes.sql"),  # covering indexes for `kbgen report`
    (3, "0003_report_rollups.sql"),  # per-day report rollups, kept fresh by triggers
    (4, "0004_search_outcomes.sql"),  # search outcomes per query in the day rollups
    (5, "0005_contact_drivers.sql"),  # ticket bodies, kept text embeddings (contact drivers)
    (6, "0006_close_the_loop.sql"),  # revisions, feedback states, notify outbox
    (7, "0007_window_indexes.sql"),  # "No" votes and revisions: own indexes
    (8, "0008_event_language.sql"),  # events carry the page's language
)
LATEST = MIGRATIONS[-1][0]


def current_version(conn: sqlite3.Connection) -> int:
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if not exists:
        return 0
    return conn.execute(sql.SELECT_SCHEMA_VERSION).fetchone()[0] or 0


def migrate(conn: sqlite3.Connection, where: str) -> int:
    """Bring the database at `where` to LATEST inside one write transaction; return it."""
    if current_version(conn) == LATEST:
        return LATEST
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = current_version(conn)  # another process may have migrated meanwhile
        if version > LATEST:
            raise KbgenError(
                f"Database '{where}' has schema version {version}, newer than this kbgen "
                f"understands ({LATEST}). Fix: upgrade kbgen."
            )
        steps = [(step, statements(resources.files("kbgen.store").joinpath(filename)
                                   .read_text(encoding="utf-8")))
                 for step, filename in MIGRATIONS if step > version]
        with progress.task(f"Migrating {where} to schema version {LATEST}",
                           sum(len(script) for _, script in steps), "statements") as bar:
            for step, script in steps:
                bar.note(f"step {step} of {LATEST}")
                for statement in script:
                    conn.execute(statement)
                    bar.advance()
        conn.execute(sql.DELETE_SCHEMA_VERSION)
        conn.execute(sql.INSERT_SCHEMA_VERSION, {"version": LATEST})
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return LATEST


def statements(script: str) -> list[str]:
    """Split a script into complete statements (comments and semicolons in strings are safe)."""
    found, pending = [], ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            found.append(pending.strip())
            pending = ""
    if pending.strip() and not all(
        part.strip().startswith("--") or not part.strip() for part in pending.splitlines()
    ):
        raise KbgenError(f"Incomplete SQL statement at the end of a migration: {pending[:80]!r}")
    return found
