"""Schema versions of any store URL: what `kbgen db status` shows and `kbgen db migrate` does.

SQLite migrates itself whenever it is opened (one file, one host); PostgreSQL only checks
at start-up, so its migrations run once, as a release step, before the replicas start.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from kbgen.errors import KbgenError
from kbgen.store import POSTGRES_PREFIXES, SQLITE_PREFIX, _redact, migrations, open_store


@dataclass(frozen=True)
class SchemaStatus:
    where: str  # the URL with any password hidden
    version: int
    latest: int

    @property
    def current(self) -> bool:
        return self.version == self.latest


def status(url: str) -> SchemaStatus:
    if url.startswith(POSTGRES_PREFIXES):
        from kbgen.store import pg_migrations, postgres

        with postgres.connect(url) as conn:
            version = pg_migrations.current_version(conn)
        return SchemaStatus(_redact(url), version, pg_migrations.LATEST)
    return SchemaStatus(_redact(url), _sqlite_version(url), migrations.LATEST)


def migrate(url: str) -> tuple[SchemaStatus, SchemaStatus]:
    """Apply every pending step; (before, after)."""
    before = status(url)
    if url.startswith(POSTGRES_PREFIXES):
        from kbgen.store import pg_migrations, postgres

        with postgres.connect(url) as conn:
            pg_migrations.migrate(conn, before.where)
    else:
        open_store(url).close()  # SQLiteStore migrates when it opens
    return before, status(url)


def _sqlite_version(url: str) -> int:
    if not url.startswith(SQLITE_PREFIX):
        open_store(url)  # raises the usual "unknown URL" error
    path = Path(url[len(SQLITE_PREFIX):])
    if not path.is_file():
        return 0
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            return migrations.current_version(conn)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise KbgenError(f"Cannot read the database '{path}': {exc}") from None
