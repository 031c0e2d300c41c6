"""The events store: one interface, one class per database engine.

`open_store(url)` picks the class from the URL. Only this package imports a database
driver; the API, the CLI and the reports talk to the `Store` protocol below.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Protocol

from kbgen.errors import KbgenError, UsageError

SQLITE_PREFIX = "sqlite:///"
POSTGRES_PREFIXES = ("postgresql://", "postgres://")


class Store(Protocol):
    def add_events(self, events: list[dict]) -> int:
        """Validated events in the wire format (ts ISO text or int ms); inserts ignore known
        ids; commits before returning; returns how many were newly stored."""

    def add_event_batches(
        self, batches: list[list[dict]], rejections: dict[str, int] | None = None
    ) -> list[int]:
        """Several groups in one transaction; newly stored per group. Rejection counts are
        added in the same transaction."""

    def iter_events(
        self, since_ms: int | None = None, until_ms: int | None = None
    ) -> Iterator[dict]:
        """Events with since <= ts < until, ordered by ts then id, in the wire format with
        ts as 'YYYY-MM-DDTHH:MM:SS.mmmZ'."""

    def query(self, sql: str, params: dict) -> Iterator[tuple]:
        """Read-only SQL with :name parameters, streamed from one read transaction."""

    def snapshot(self) -> AbstractContextManager[Store]:
        """Queries inside the block (same thread) share one consistent read transaction."""

    def write_many(self, steps: list[tuple[str, list[dict]]]) -> None:
        """Statements with :name parameters, each run once per parameter dict, all in one
        write transaction. For data derived from the events (the report's day rollups);
        events and tickets themselves go through add_event_batches / add_tickets."""

    def execute(self, sql: str, params: dict) -> int:
        """One write statement with :name parameters, committed; how many rows it changed.
        For claims that must be atomic across processes (the notify outbox)."""

    def count_rejection(self, reason: str, n: int = 1) -> None: ...

    def rejections(self) -> dict[str, int]:
        """Rejection counters summed over all days, by reason."""

    def add_tickets(self, rows: list[dict]) -> int:
        """Helpdesk tickets (ticket_id, session, article, ts, subject, body,
        source); known
        ticket ids are ignored; returns how many were newly stored."""

    def health(self) -> dict:
        """{"ok": bool, "detail": str}: readable, and the last write did not fail."""

    def close(self) -> None: ...


def open_store(url: str, **options) -> Store:
    """`sqlite:///relative/or//absolute/path.db` -> a ready store (schema migrated);
    `postgresql://user@host/db` -> a pooled PostgreSQL store (schema checked, see
    `kbgen db migrate`).

    Options (e.g. `busy_timeout_ms`, `pool_max`) go to the store class.
    """
    if url.startswith(SQLITE_PREFIX):
        from kbgen.store.sqlite import SQLiteStore

        path = url[len(SQLITE_PREFIX):]
        if not path or path.startswith(":memory:"):
            raise UsageError(
                f"Database URL '{url}' has no file path. Fix: use sqlite:///PATH/kbgen.db."
            )
        return SQLiteStore(path, **options)
    if url.startswith(POSTGRES_PREFIXES):
        try:
            from kbgen.store.postgres import PostgresStore
        except ImportError as exc:
            raise KbgenError(
                f"PostgreSQL needs psycopg ({exc}). Fix: pip install 'kbgen[postgres]'."
            ) from None
        return PostgresStore(url, **options)
    raise UsageError(
        f"Unknown database URL '{_redact(url)}'. Fix: use sqlite:///PATH or postgresql://..."
    )


def _redact(url: str) -> str:
    """Hide a password in `scheme://user:password@host` before it reaches a message."""
    scheme, sep, rest = url.partition("://")
    if "@" in rest:
        rest = "***@" + rest.split("@", 1)[1]
    return scheme + sep + rest
