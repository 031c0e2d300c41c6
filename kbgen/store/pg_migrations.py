"""Schema versions for the PostgreSQL store, in step with the SQLite ones (migrations.py).

Each step is a .sql file applied once, in order, inside one transaction that holds an
advisory lock, so replicas that run `kbgen db migrate` at the same time apply it once.
A PostgreSQL store never migrates itself when it opens: it checks the version and asks for
`kbgen db migrate` (a release step, run before the new API replicas start).

To change the schema, add `NNNN_what_postgres.sql` and a line here, and the SQLite twin in
migrations.py with the same version number; never edit a step that has shipped.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import psycopg

from kbgen import progress
from kbgen.errors import KbgenError
from kbgen.store import migrations, sql

# (version, file in kbgen/store/) — version 1 is the original schema; never edit a shipped step.
MIGRATIONS: tuple[tuple[int, str], ...] = (
    (1, "schema_postgres.sql"),
    (2, "0002_covering_indexes_postgres.sql"),  # covering indexes for `kbgen report`
    (3, "0003_report_rollups_postgres.sql"),  # per-day report rollups, kept fresh by triggers
    (4, "0004_search_outcomes_postgres.sql"),  # search outcomes per query in the rollups
    (5, "0005_contact_drivers_postgres.sql"),  # ticket bodies, kept text embeddings
    (6, "0006_close_the_loop_postgres.sql"),  # revisions, feedback states, notify outbox
    (7, "0007_window_indexes_postgres.sql"),  # "No" votes and revisions: own indexes
    (8, "0008_event_language_postgres.sql"),  # events carry the page's language
)
LATEST = MIGRATIONS[-1][0]
assert LATEST == migrations.LATEST, "PostgreSQL and SQLite schema versions must move together"

# Any constant works; it only has to be the same for every kbgen process.
_LOCK_KEY = 0x6B6267656E  # "kbgen"


def current_version(conn: psycopg.Connection) -> int:
    exists = _one(conn, "SELECT to_regclass('schema_version') IS NOT NULL")
    if not exists:
        return 0
    return _one(conn, sql.SELECT_SCHEMA_VERSION) or 0


def _one(conn: psycopg.Connection, query: str) -> Any:
    """The first column of the one row `query` returns (these queries always return one)."""
    row = conn.execute(query).fetchone()
    return row[0] if row is not None else None


def check(conn: psycopg.Connection, where: str) -> int:
    """Refuse a database this kbgen cannot use: not migrated yet, or newer than it."""
    version = current_version(conn)
    _refuse_newer(version, where)
    if version < LATEST:
        raise KbgenError(
            f"Database '{where}' has schema version {version}; this kbgen needs {LATEST}. "
            f"Fix: run `kbgen db migrate --db URL` once, then start kbgen again."
        )
    return version


def migrate(conn: psycopg.Connection, where: str) -> tuple[int, int]:
    """Bring the database at `where` to LATEST in one transaction; (before, after)."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
        conn.execute(sql.SCHEMA_VERSION_TABLE)
        before = current_version(conn)
        _refuse_newer(before, where)
        pending = [(step, filename) for step, filename in MIGRATIONS if step > before]
        with progress.task(f"Migrating {where} to schema version {LATEST}", len(pending),
                           "steps") as bar:
            for step, filename in pending:
                bar.note(f"step {step} of {LATEST}")
                script = resources.files("kbgen.store").joinpath(filename).read_text("utf-8")
                conn.execute(script)  # no parameters: psycopg sends the whole script at once
                bar.advance()
        if before != LATEST:
            conn.execute(sql.DELETE_SCHEMA_VERSION)
            conn.execute("INSERT INTO schema_version (version) VALUES (%s)", (LATEST,))
    return before, LATEST


def _refuse_newer(version: int, where: str) -> None:
    if version > LATEST:
        raise KbgenError(
            f"Database '{where}' has schema version {version}, newer than this kbgen "
            f"understands ({LATEST}). Fix: upgrade kbgen."
        )
