"""PostgreSQL for the tests: the CI server on 127.0.0.1:5432 (trust auth, database `test`).

Each test gets its own schema (`kbgen_test_<random>`, chosen through the URL's
`options=-csearch_path=...`) and drops it afterwards, so tests never see each other's rows.
These tests never skip: an unreachable server fails them with the command that starts it.
A `Proxy` in front of the server lets a test cut every connection (a restart, as the
client sees it) and restore them.
"""

from __future__ import annotations

import os
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from api_helpers import free_port, kbgen_command

from kbgen.store import versions

PG_HOST, PG_PORT = "127.0.0.1", 5432
PG_URL = os.environ.get("KBGEN_TEST_POSTGRES_URL", f"postgresql://postgres@{PG_HOST}:{PG_PORT}/test")
START_HINT = ("start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) "
              "main start")


def admin() -> psycopg.Connection:
    try:
        return psycopg.connect(PG_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL is not reachable at {PG_URL} ({exc}); the PostgreSQL tests "
                    f"must run, never skip: {START_HINT}", pytrace=False)


def schema_url(schema: str, port: int = PG_PORT) -> str:
    base = PG_URL.replace(f":{PG_PORT}/", f":{port}/")
    return f"{base}?options=-csearch_path%3D{schema}"


@contextmanager
def pg_schema(*, migrate: bool = True) -> Iterator[str]:
    """A fresh schema (migrated unless told otherwise); yields its name."""
    name = f"kbgen_test_{uuid.uuid4().hex[:12]}"
    with admin() as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    try:
        if migrate:
            versions.migrate(schema_url(name))
        yield name
    finally:
        with admin() as conn:
            conn.execute(f"DROP SCHEMA {name} CASCADE")


def count_rows(schema: str, sql: str = "SELECT count(*), count(DISTINCT id) FROM events"):
    with psycopg.connect(schema_url(schema), autocommit=True) as conn:
        return conn.execute(sql).fetchone()


def stored_ids(schema: str) -> list[str]:
    with psycopg.connect(schema_url(schema), autocommit=True) as conn:
        return [row[0] for row in conn.execute("SELECT id FROM events")]


class Proxy:
    """TCP forwarder to the server. `cut()` drops every connection and refuses new ones,
    like a server that went down; `restore()` accepts connections again."""

    def __init__(self) -> None:
        self.port = free_port()
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self.restore()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        with self._lock:
            sockets, self._sockets = self._sockets, []
            listener, self._listener = self._listener, None
        for sock in [listener, *sockets]:
            if sock is None:
                continue
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    close = cut

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection((PG_HOST, PG_PORT))
            except OSError:
                client.close()
                continue
            with self._lock:
                if self._listener is not listener:
                    client.close()
                    upstream.close()
                    return
                self._sockets += [client, upstream]
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pump, args=(source, target), daemon=True).start()


def _pump(source: socket.socket, target: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            target.sendall(data)
    except OSError:
        pass
    for sock in (source, target):
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def start_api_on(config: Path, url: str, port: int, log: Path) -> subprocess.Popen:
    """`kbgen api --db URL` as a real process; returns once it accepts connections."""
    with log.open("ab") as handle:
        proc = subprocess.Popen(
            kbgen_command("api", "-f", str(config), "--db", url, "--port", str(port)),
            stdout=handle, stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError("kbgen api exited: " + log.read_text(errors="replace"))
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise AssertionError("kbgen api did not start within 20 s")
