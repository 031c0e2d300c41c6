"""One fixture-friendly face for both stores, so the same test runs on SQLite and PostgreSQL.

`Backend.url()` is a fresh, migrated, empty database; `Backend.outage()` yields a store
whose database the test can take away (`cut`) and give back (`restore`): a held write lock
on SQLite, every connection dropped and refused on PostgreSQL.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pg_helpers import Proxy, pg_schema, schema_url

from kbgen.store import open_store
from kbgen.store.sqlite import SQLiteStore

BACKENDS = ("sqlite", "postgresql")


@dataclass
class Outage:
    store: object
    cut: object
    restore: object


@dataclass
class Backend:
    name: str
    tmp_path: Path
    stack: ExitStack = field(default_factory=ExitStack)
    made: int = 0

    def url(self) -> str:
        self.made += 1
        if self.name == "sqlite":
            return f"sqlite:///{self.tmp_path / f'events-{self.made}.db'}"
        return schema_url(self.stack.enter_context(pg_schema()))

    def open(self, **options):
        store = open_store(self.url(), **options)
        self.stack.callback(store.close)
        return store

    @contextmanager
    def outage(self) -> Iterator[Outage]:
        if self.name == "sqlite":
            path = self.tmp_path / "outage.db"
            store = SQLiteStore(path, busy_timeout_ms=100)
            holder = sqlite3.connect(path, isolation_level=None)
            try:
                yield Outage(store, lambda: holder.execute("BEGIN IMMEDIATE"),
                             lambda: holder.execute("ROLLBACK"))
            finally:
                holder.close()
                store.close()
            return
        schema = self.stack.enter_context(pg_schema())
        proxy = Proxy()
        try:
            store = open_store(schema_url(schema, proxy.port), pool_timeout_s=1.0,
                               reconnect_timeout_s=5.0)
            try:
                yield Outage(store, proxy.cut, proxy.restore)
            finally:
                store.close()
        finally:
            proxy.close()

    def close(self) -> None:
        self.stack.close()
