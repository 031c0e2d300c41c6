"""Start a real `kbgen serve` process for a test and wait until it answers."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = check()
            if result:
                return result
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("timed out")


@contextlib.contextmanager
def serving(root: Path, db: Path, ready: str = "/api/health", status: int = 200):
    """`kbgen serve` in `root` storing to `db`; yields its base URL once `ready` answers
    `status`."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with (root / "serve.log").open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "kbgen", "serve", "--dev-addr", f"127.0.0.1:{port}",
             "--db", f"sqlite:///{db}"],
            cwd=root, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for(lambda: httpx.get(base + ready).status_code == status)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=15)
