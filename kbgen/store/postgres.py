"""The events store on PostgreSQL (psycopg 3), for deployments beyond one machine.

Several `kbgen api` processes (or hosts) share one database through a connection pool each.
Inserts are `ON CONFLICT (id) DO NOTHING` in id order, so retried ids are stored once and
concurrent writers never deadlock on each other's rows. A write commits before it returns:
the API acknowledges only stored events. A lost connection, a restarting or read-only
server, or a pool with no free connection raise `ServiceUnavailable` (the API answers 503
with Retry-After); the pool checks each connection before handing it out and reconnects in
the background, so the store recovers without a restart.

Queries take the analytics' portable `:name` SQL and return the same Python values as
SQLite: integral `numeric` results (PostgreSQL's SUM of BIGINT) come back as int.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import errors as pg_errors
from psycopg.adapt import Loader
from psycopg.conninfo import conninfo_to_dict
from psycopg.types.string import StrDumper
from psycopg_pool import ConnectionPool, PoolTimeout

from kbgen.errors import KbgenError, ServiceUnavailable
from kbgen.events.schema import WIRE_FIELDS
from kbgen.events.timestamps import MAX_MS, now_ms, utc_day
from kbgen.store import _redact as redact
from kbgen.store import pg_migrations, rows, sql
from kbgen.store.placeholders import to_pyformat

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 5
DEFAULT_POOL_TIMEOUT_S = 3.0
DEFAULT_POOL_MAX = 8
# The pool's background reconnection backs off exponentially; giving up after this long
# makes the next request start a fresh attempt, so recovery after a long outage takes
# about a second instead of up to half the outage.
RECONNECT_TIMEOUT_S = 10.0
EXPORT_BATCH = 5000
WRITE_ATTEMPTS = 3  # a deadlock or serialization failure is retried this many times

_COLUMN_TYPES = {
    "id": "text", "type": "text", "ts": "bigint", "session": "text", "article": "text",
    "query": "text", "results": "integer", "source": "text", "rank": "integer",
    "helpful": "smallint", "reason": "text", "comment": "text", "channel": "text",
    "stage": "text", "score": "smallint", "rev": "text", "lang": "text",
    "received": "bigint",
}
_EVENT_COLUMNS = (*WIRE_FIELDS, "received")
# One statement per group commit: arrays in, only the ids that were new come back.
INSERT_EVENTS = (
    f"INSERT INTO events ({', '.join(_EVENT_COLUMNS)}) "
    f"SELECT * FROM unnest({', '.join(f'%s::{_COLUMN_TYPES[c]}[]' for c in _EVENT_COLUMNS)}) "
    "ON CONFLICT (id) DO NOTHING RETURNING id"
)
# PostgreSQL needs the table named in DO UPDATE (`count` alone is ambiguous there).
ADD_REJECTIONS = (
    "INSERT INTO rejections (day, reason, count) VALUES (%(day)s, %(reason)s, %(n)s) "
    "ON CONFLICT (day, reason) DO UPDATE SET count = rejections.count + excluded.count"
)


class _NumericLoader(Loader):
    """numeric -> what SQLite returns: int for a whole number written without a scale (SUM
    of BIGINT), float otherwise (AVG, division)."""

    def load(self, data) -> int | float:
        text = bytes(data).decode("ascii")
        if text.lstrip("-").isdigit():
            return int(text)
        return float(text)


def _configure(conn: psycopg.Connection) -> None:
    # Python str as `text`, not `unknown`: `' ' || :mark` must resolve like SQLite's.
    conn.adapters.register_dumper(str, StrDumper)
    conn.adapters.register_loader("numeric", _NumericLoader)


def connect(url: str) -> psycopg.Connection:
    """One configured connection (migrations, admin commands); errors name the fix."""
    try:
        conn = psycopg.connect(url, autocommit=True, **_defaults(url))
    except psycopg.Error as exc:
        raise KbgenError(
            f"Cannot connect to PostgreSQL at '{redact(url)}': {_first_line(exc)}. Fix: check "
            "the URL in --db / KBGEN_DATABASE_URL and that the server is running."
        ) from None
    _configure(conn)
    return conn


def _defaults(url: str) -> dict:
    """Connection settings the URL may override (`?application_name=api-eu-1`)."""
    try:
        given = conninfo_to_dict(url)
    except psycopg.ProgrammingError as exc:
        raise KbgenError(
            f"Database URL '{redact(url)}' is not a valid PostgreSQL URL ({_first_line(exc)}). "
            "Fix: use postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?options]."
        ) from None
    defaults = {"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "kbgen"}
    return {name: value for name, value in defaults.items() if name not in given}


class PostgresStore:
    """See `kbgen.store.Store` for the contract of each method."""

    def __init__(
        self,
        url: str,
        *,
        pool_min: int = 1,
        pool_max: int = DEFAULT_POOL_MAX,
        pool_timeout_s: float = DEFAULT_POOL_TIMEOUT_S,
        reconnect_timeout_s: float = RECONNECT_TIMEOUT_S,
    ) -> None:
        self.url = url
        self.path = redact(url)  # what logs and messages show, like SQLiteStore.path
        self.pool_timeout_s = pool_timeout_s
        self._last_error: str | None = None
        self._local = threading.local()
        with connect(url) as conn:
            pg_migrations.check(conn, self.path)
        self._pool = ConnectionPool(
            url,
            min_size=pool_min,
            max_size=max(pool_min, pool_max),
            kwargs={"autocommit": True, **_defaults(url)},
            configure=_configure,
            check=ConnectionPool.check_connection,
            timeout=pool_timeout_s,
            reconnect_timeout=reconnect_timeout_s,
            name="kbgen",
            open=False,
        )
        self._pool.open(wait=False)

    # -- writing -------------------------------------------------------------------------

    def add_events(self, events: list[dict]) -> int:
        return self.add_event_batches([events])[0]

    def add_event_batches(
        self, batches: list[list[dict]], rejections: dict[str, int] | None = None
    ) -> list[int]:
        """Several requests' events (and pending rejection counts) in one transaction."""
        received = now_ms()
        params = [[rows.event_params(event, received) for event in batch] for batch in batches]
        unique: dict[str, dict] = {}
        for batch in params:
            for row in batch:
                unique.setdefault(row["id"], row)  # the first copy of an id is the one stored
        ordered = [unique[key] for key in sorted(unique)]  # one lock order for every writer
        columns = [[row[c] for row in ordered] for c in _EVENT_COLUMNS]

        def write(conn: psycopg.Connection) -> set[str]:
            new: set[str] = set()
            if ordered:
                with conn.cursor() as cur:
                    cur.execute(INSERT_EVENTS, columns)
                    new = {row[0] for row in cur.fetchall()}
            self._add_rejections(conn, rejections or {})
            return new

        new = self._write(write)
        stored = []
        for batch in params:
            count = 0
            for row in batch:
                if row["id"] in new:
                    new.discard(row["id"])
                    count += 1
            stored.append(count)
        return stored

    def add_tickets(self, rows_: list[dict]) -> int:
        params = sorted((rows.ticket_params(row) for row in rows_),
                        key=lambda row: row["ticket_id"])
        statement = to_pyformat(sql.INSERT_TICKET)

        def write(conn: psycopg.Connection) -> int:
            with conn.cursor() as cur:
                cur.executemany(statement, params)
                return max(cur.rowcount, 0)

        return self._write(write) if params else 0

    def write_many(self, steps: list[tuple[str, list[dict]]]) -> None:
        def write(conn: psycopg.Connection) -> None:
            with conn.cursor() as cur:
                for statement, params in steps:
                    if params:
                        cur.executemany(to_pyformat(statement), params)

        self._write(write)

    def execute(self, sql_text: str, params: dict) -> int:
        statement = to_pyformat(sql_text)

        def write(conn: psycopg.Connection) -> int:
            with conn.cursor() as cur:
                cur.execute(statement, params)
                return max(cur.rowcount, 0)

        return self._write(write)

    def count_rejection(self, reason: str, n: int = 1) -> None:
        self._write(lambda conn: self._add_rejections(conn, {reason: n}))

    def _add_rejections(self, conn: psycopg.Connection, counts: dict[str, int]) -> None:
        day = utc_day()
        params = [{"day": day, "reason": reason, "n": n}
                  for reason, n in sorted(counts.items()) if n]
        if params:
            with conn.cursor() as cur:
                cur.executemany(ADD_REJECTIONS, params)

    def _write(self, work):
        """Run `work(conn)` in one transaction; retry deadlocks, translate outages."""
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                with self._pool.connection() as conn, conn.transaction():
                    result = work(conn)
            except pg_errors.TransactionRollback as exc:
                if attempt == WRITE_ATTEMPTS:
                    raise self._failed(exc) from None
                log.info("Write retried after %s", _first_line(exc))
            except psycopg.Error as exc:
                raise self._failed(exc) from None
            else:
                self._last_error = None
                return result
        raise AssertionError("unreachable")

    def _failed(self, exc: psycopg.Error) -> Exception:
        if not _unavailable(exc):
            return _programming_error(exc, self.path)
        self._last_error = f"postgresql: {_first_line(exc)}"
        log.warning("Database '%s' cannot take writes: %s", self.path, _first_line(exc))
        return ServiceUnavailable(
            f"The database cannot take writes right now ({_first_line(exc)})."
        )

    # -- reading -------------------------------------------------------------------------

    def iter_events(
        self, since_ms: int | None = None, until_ms: int | None = None
    ) -> Iterator[dict]:
        params = {"since": since_ms or 0, "until": MAX_MS + 1 if until_ms is None else until_ms}
        with self._reading() as conn, conn.cursor(name="kbgen_events") as cur:
            cur.itersize = EXPORT_BATCH
            try:
                cur.execute(to_pyformat(sql.SELECT_EVENTS), params)
                for row in cur:
                    yield rows.event_from_row(row)
            except psycopg.Error as exc:
                raise self._read_failed(exc) from None

    def query(self, sql_text: str, params: dict | None = None) -> Iterator[tuple]:
        """Rows of read-only SQL with :name parameters (fetched whole: aggregates only)."""
        statement = to_pyformat(sql_text)
        with self._reading() as conn:
            try:
                cursor = conn.execute(statement, params or {})
                found = cursor.fetchall() if cursor.description else []
            except psycopg.Error as exc:
                raise self._read_failed(exc) from None
        yield from found

    @contextmanager
    def snapshot(self) -> Iterator[PostgresStore]:
        """Queries inside the block (on this thread) all see the same committed state."""
        with self._reading():
            yield self

    @contextmanager
    def _reading(self) -> Iterator[psycopg.Connection]:
        """A REPEATABLE READ, READ ONLY transaction, shared by nested reads on one thread."""
        held = getattr(self._local, "conn", None)
        if held is not None:
            yield held
            return
        try:
            with self._pool.connection() as conn:
                conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                self._local.conn = conn
                try:
                    yield conn
                finally:
                    self._local.conn = None
                    if conn.info.transaction_status != psycopg.pq.TransactionStatus.UNKNOWN:
                        conn.execute("ROLLBACK")
        except psycopg.Error as exc:
            raise self._read_failed(exc) from None

    def _read_failed(self, exc: psycopg.Error) -> Exception:
        if isinstance(exc, pg_errors.ReadOnlySqlTransaction):
            return KbgenError(f"Store queries are read-only SQL: {_first_line(exc)}")
        if _unavailable(exc):
            return ServiceUnavailable(
                f"Cannot read the database '{self.path}': {_first_line(exc)}"
            )
        return _programming_error(exc, self.path)

    def rejections(self) -> dict[str, int]:
        return {reason: int(total) for reason, total in self.query(sql.SELECT_REJECTIONS, {})}

    def health(self) -> dict:
        try:
            list(self.query(sql.SELECT_SCHEMA_VERSION, {}))
        except KbgenError as exc:
            return {"ok": False, "detail": f"postgresql: cannot read ({exc})"}
        if self._last_error:
            return {"ok": False, "detail": self._last_error}
        return {"ok": True, "detail": "postgresql: ok"}

    def close(self) -> None:
        self._pool.close()


def _unavailable(exc: psycopg.Error) -> bool:
    """Not now rather than wrong: lost or refused connections, a restarting, full or
    read-only (failed-over) server, an exhausted pool, a cancelled statement."""
    return isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError | PoolTimeout
                      | pg_errors.ReadOnlySqlTransaction)


def _programming_error(exc: psycopg.Error, where: str) -> KbgenError:
    if isinstance(exc, pg_errors.UndefinedTable):
        return KbgenError(
            f"Database '{where}' has no kbgen tables ({_first_line(exc)}). Fix: run "
            "`kbgen db migrate --db URL`, or check search_path in the URL's options."
        )
    return KbgenError(f"PostgreSQL error on '{where}': {_first_line(exc)}")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
