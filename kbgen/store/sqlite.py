"""The events store on SQLite: WAL, `synchronous=FULL`, one connection per thread.

A write commits before it returns, so the API acknowledges only stored events. Locked,
read-only and full databases raise `ServiceUnavailable` (the API answers 503); the failed
connection is dropped and the next write opens a fresh one, so the store recovers without
a restart once the cause is gone.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kbgen.errors import KbgenError, ServiceUnavailable
from kbgen.events.timestamps import MAX_MS, now_ms, utc_day
from kbgen.store import migrations, rows, sql

log = logging.getLogger(__name__)

DEFAULT_BUSY_TIMEOUT_MS = 5000
DAY_MS = 86_400_000

# Errors that mean "not now" rather than "bad statement": answer 503, retry later.
_UNAVAILABLE = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_READONLY", "SQLITE_FULL",
                "SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_NOTADB",
                "SQLITE_CORRUPT")


def _unavailable(exc: sqlite3.Error) -> bool:
    name = getattr(exc, "sqlite_errorname", "") or ""
    return any(name.startswith(prefix) for prefix in _UNAVAILABLE)


def _touch_rollups(conn: sqlite3.Connection, rows_: list[tuple[int, str | None]]) -> None:
    """Keep the report's day rollups honest, in the transaction that stored `rows_`
    ((ts, session) of events or tickets; retried ones included, which is harmless): raise
    the version of each day written, and list sessions that now span days.

    Set-based, once per transaction: SQLite has no statement-level triggers, and per-row
    triggers doing the same cost about a sixth of the API's ingest CPU.
    """
    if not rows_:
        return
    conn.executemany(sql.BUMP_DAY_VERSION,
                     [{"day": day} for day in sorted({ts // DAY_MS for ts, _ in rows_})])
    sessions = sorted({session for _, session in rows_ if session is not None})
    found = conn.execute(sql.NEW_MULTI_DAY_SESSIONS, {"sessions": json.dumps(sessions)})
    for (session,) in found.fetchall():
        conn.execute(sql.ADD_MULTI_DAY_SESSION, {"session": session})
        conn.execute(sql.BUMP_SESSION_DAYS, {"session": session})


class SQLiteStore:
    """See `kbgen.store.Store` for the contract of each method."""

    def __init__(
        self,
        path: str | Path,
        *,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
        max_page_count: int | None = None,
    ) -> None:
        self.path = Path(path)
        self.busy_timeout_ms = busy_timeout_ms
        # A size cap in pages; writes beyond it fail like a full disk (also used in tests).
        self.max_page_count = max_page_count
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._last_error: str | None = None
        self.migrated_from = migrations.LATEST
        self._open()

    # -- opening -------------------------------------------------------------------------

    def _open(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise self._unwritable(exc) from None
        try:
            conn = self._writer()
            conn.execute("PRAGMA journal_mode = WAL")
            # Before this open's migration: a command that wrote to a file it brought to
            # schema version 3 prepares every day's report rollup, not only the days it wrote.
            self.migrated_from = migrations.current_version(conn)
            migrations.migrate(conn, str(self.path))
            conn.execute("BEGIN IMMEDIATE")  # proves the file is writable now
            conn.execute("ROLLBACK")
        except sqlite3.Error as exc:
            self._drop_writer()
            if getattr(exc, "sqlite_errorname", "") in ("SQLITE_BUSY", "SQLITE_LOCKED"):
                log.warning("Database '%s' is locked by another process; starting anyway",
                            self.path)
                return
            raise self._unwritable(exc) from None

    def _unwritable(self, exc: Exception) -> KbgenError:
        return KbgenError(
            f"Cannot write the database '{self.path}': {exc}. Fix: pass a writable path with "
            "--db sqlite:///PATH or KBGEN_DATABASE_URL."
        )

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path,
            timeout=self.busy_timeout_ms / 1000,
            isolation_level=None,  # explicit BEGIN/COMMIT only
            check_same_thread=False,  # each thread has its own; close() may run elsewhere
        )
        conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
        conn.execute("PRAGMA synchronous = FULL")
        if self.max_page_count:
            conn.execute(f"PRAGMA max_page_count = {int(self.max_page_count)}")
        with self._lock:
            self._all.append(conn)
        return conn

    def _writer(self) -> sqlite3.Connection:
        conn = getattr(self._local, "writer", None)
        if conn is None:
            conn = self._local.writer = self._connect()
        return conn

    def _drop_writer(self) -> None:
        conn = getattr(self._local, "writer", None)
        self._local.writer = None
        if conn is not None:
            self._forget(conn)

    def _forget(self, conn: sqlite3.Connection) -> None:
        with self._lock:
            if conn in self._all:
                self._all.remove(conn)
        try:
            conn.close()
        except sqlite3.Error:
            pass

    # -- writing -------------------------------------------------------------------------

    def add_events(self, events: list[dict]) -> int:
        return self.add_event_batches([events])[0]

    def add_event_batches(
        self, batches: list[list[dict]], rejections: dict[str, int] | None = None
    ) -> list[int]:
        """Several requests' events (and pending rejection counts) in one transaction."""
        received = now_ms()
        params = [[rows.event_params(event, received) for event in batch] for batch in batches]
        with self._write() as conn:
            stored = [max(conn.executemany(sql.INSERT_EVENT, batch).rowcount, 0)
                      for batch in params]
            _touch_rollups(conn, [(row["ts"], row["session"]) for batch in params
                                  for row in batch])
            self._add_rejections(conn, rejections or {})
        return stored

    def add_tickets(self, rows_: list[dict]) -> int:
        params = [rows.ticket_params(row) for row in rows_]
        with self._write() as conn:
            stored = max(conn.executemany(sql.INSERT_TICKET, params).rowcount, 0)
            _touch_rollups(conn, [(row["ts"], row["session"]) for row in params])
            return stored

    def write_many(self, steps: list[tuple[str, list[dict]]]) -> None:
        with self._write() as conn:
            for statement, params in steps:
                conn.executemany(statement, params)

    def execute(self, sql_text: str, params: dict) -> int:
        with self._write() as conn:
            return max(conn.execute(sql_text, params).rowcount, 0)

    def count_rejection(self, reason: str, n: int = 1) -> None:
        with self._write() as conn:
            self._add_rejections(conn, {reason: n})

    def _add_rejections(self, conn: sqlite3.Connection, counts: dict[str, int]) -> None:
        day = utc_day()
        conn.executemany(sql.ADD_REJECTIONS, [
            {"day": day, "reason": reason, "n": n} for reason, n in counts.items() if n
        ])

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: commit on success, roll back and translate failures."""
        try:
            conn = self._writer()
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._failed(exc) from None
        try:
            yield conn
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback(conn)
            raise self._failed(exc) from None
        except BaseException:
            self._rollback(conn)
            raise
        self._last_error = None

    def _rollback(self, conn: sqlite3.Connection) -> None:
        try:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        except sqlite3.Error:
            self._drop_writer()

    def _failed(self, exc: sqlite3.Error) -> Exception:
        if not _unavailable(exc):
            return exc
        self._drop_writer()  # the next write starts from a fresh connection
        self._last_error = f"sqlite: {exc}"
        log.warning("Database '%s' cannot take writes: %s", self.path, exc)
        return ServiceUnavailable(f"The database cannot take writes right now ({exc}).")

    # -- reading -------------------------------------------------------------------------

    def iter_events(
        self, since_ms: int | None = None, until_ms: int | None = None
    ) -> Iterator[dict]:
        params = {"since": since_ms or 0, "until": MAX_MS + 1 if until_ms is None else until_ms}
        for row in self.query(sql.SELECT_EVENTS, params):
            yield rows.event_from_row(row)

    def query(self, sql_text: str, params: dict | None = None) -> Iterator[tuple]:
        with self._reading() as conn:
            cursor = conn.execute(sql_text, params or {})
            yield from cursor

    @contextmanager
    def snapshot(self) -> Iterator[SQLiteStore]:
        """Queries inside the block (on this thread) all see the same committed state."""
        with self._reading() as conn:
            conn.execute("SELECT 1 FROM schema_version LIMIT 1").fetchall()  # pins the snapshot
            yield self

    @contextmanager
    def second_reader(self) -> Iterator[Callable[[str, dict], Iterator[tuple]]]:
        """A query function on a second read-only connection, for one other thread.

        Its read transaction starts now, so it sees the database as of now: the caller
        checks that this is the state its own snapshot sees before mixing their rows."""
        conn = self._connect()
        try:
            conn.execute("PRAGMA query_only = ON")
            conn.execute("BEGIN")
            yield lambda sql_text, params: conn.execute(sql_text, params)
        except sqlite3.Error as exc:
            if _unavailable(exc):
                raise ServiceUnavailable(f"Cannot read the database '{self.path}': {exc}") from None
            raise
        finally:
            self._forget(conn)

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        conn = getattr(self._local, "reader", None)
        if conn is None:
            conn = self._local.reader = self._connect()
            conn.execute("PRAGMA query_only = ON")
            self._local.depth = 0
        outermost = self._local.depth == 0
        try:
            if outermost:
                conn.execute("BEGIN")
            self._local.depth += 1
            yield conn
        except sqlite3.Error as exc:
            if (getattr(exc, "sqlite_errorname", "") or "").startswith("SQLITE_READONLY"):
                raise KbgenError(f"Store queries are read-only SQL: {exc}") from None
            if _unavailable(exc):
                raise ServiceUnavailable(f"Cannot read the database '{self.path}': {exc}") from None
            raise
        finally:
            self._local.depth -= 1
            if outermost and conn.in_transaction:
                conn.execute("COMMIT")

    def rejections(self) -> dict[str, int]:
        return {reason: int(total) for reason, total in self.query(sql.SELECT_REJECTIONS, {})}

    def health(self) -> dict:
        try:
            list(self.query(sql.SELECT_SCHEMA_VERSION, {}))
        except (KbgenError, sqlite3.Error) as exc:
            return {"ok": False, "detail": f"sqlite: cannot read ({exc})"}
        if self._last_error:
            return {"ok": False, "detail": self._last_error}
        return {"ok": True, "detail": "sqlite: ok"}

    def close(self) -> None:
        with self._lock:
            conns, self._all = self._all, []
        for conn in conns:
            try:
                conn.close()
            except sqlite3.Error:
                pass
        self._local = threading.local()

