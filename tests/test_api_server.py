"""The real `kbgen api` process over HTTP: start-up, chunked bodies, logs, kill -9 and
SIGTERM under load (THREATS.md cases 4, 16, 18, 19, 20, 21)."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import threading
import time

import httpx
import pytest
from api_helpers import HEADERS, free_port, kbgen_command, make_project, start_api, vote

LOAD_SECONDS = 2.0


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path, "      rate_limit: 0\n"), tmp_path / "events.db"


def start(config, db):
    port = free_port()
    log = db.with_name("api.log")
    return start_api(config, db, port, log), f"http://127.0.0.1:{port}", log


def check_database(db, acked: list[str]) -> None:
    """Every acknowledged id is stored exactly once and the file is intact."""
    conn = sqlite3.connect(db)
    ids = [row[0] for row in conn.execute("SELECT id FROM events")]
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    assert len(ids) == len(set(ids))
    assert set(acked) <= set(ids)


class Load:
    """Clients posting batches of 10 votes until stopped or the server goes away."""

    def __init__(self, base: str, clients: int = 4) -> None:
        self.base = base
        self.acked: list[str] = []
        self.statuses: set[int] = set()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.run) for _ in range(clients)]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=20)

    def run(self) -> None:
        with httpx.Client(base_url=self.base, headers=HEADERS, timeout=10) as client:
            while not self.stop.is_set():
                batch = [vote() for _ in range(10)]
                try:
                    response = client.post("/api/events", json=batch)
                except httpx.HTTPError:
                    if self.stop.wait(0.05):
                        return
                    continue
                self.statuses.add(response.status_code)
                if response.status_code == 200:
                    self.acked.extend(e["id"] for e in batch)


def test_real_server_takes_events_refuses_chunked_oversize_and_logs_safely(project):
    config, db = project
    server, base, log_path = start(config, db)
    agent = "Mozilla/5.0 (UniqueAgent-31337) Firefox/130.0"
    try:
        event = vote(comment="SECRET-COMMENT-TEXT")
        posted = httpx.post(base + "/api/events", json=[event],
                            headers={**HEADERS, "user-agent": agent})
        assert posted.status_code == 200 and posted.json() == {"stored": 1, "duplicates": 0}

        def chunks():  # no Content-Length: Transfer-Encoding: chunked
            for _ in range(4096):
                yield b" " * 1024

        too_big = httpx.post(base + "/api/events", content=chunks(), headers=HEADERS)
        assert too_big.status_code == 413
        with httpx.Client() as client:
            request = client.build_request("POST", base + "/api/x", headers=HEADERS)
            request.url = httpx.URL(base + "/api/%1b[31mred%0d%0a")
            assert client.send(request).status_code == 404
        health = httpx.get(base + "/api/health").json()
        assert health["ok"] is True and health["rejections"] == {"too_large": 1}
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=15)
    log = log_path.read_text()
    # uvicorn shuts down gracefully, then re-raises the signal it caught
    assert server.returncode in (0, -signal.SIGTERM) and "shutdown complete" in log
    assert '"/api/%1b[31mred%0d%0a" 404' in log and "\x1b" not in log
    assert "SECRET-COMMENT-TEXT" not in log and agent not in log
    requests = [line for line in log.splitlines() if '"/api/' in line]
    assert requests and not any("127.0.0.1" in line for line in requests)
    check_database(db, [event["id"]])


def test_unwritable_database_path_at_start_exits_non_zero_naming_it(project, tmp_path):
    config, _ = project
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = subprocess.run(
        kbgen_command("api", "-f", str(config), "--db", f"sqlite:///{blocker}/events.db",
                      "--port", str(free_port())),
        capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert str(blocker / "events.db") in result.stderr and "Traceback" not in result.stderr


def test_missing_manifest_at_start_says_to_build(tmp_path):
    config = make_project(tmp_path)
    (tmp_path / ".kbgen" / "manifest.json").unlink()
    result = subprocess.run(kbgen_command("api", "-f", str(config)), capture_output=True,
                            text=True, timeout=30)
    assert result.returncode == 1 and "kbgen build" in result.stderr


@pytest.mark.slow
def test_case_19_kill_9_under_load_loses_no_acknowledged_event(project):
    config, db = project
    server, base, _ = start(config, db)
    with Load(base) as load:
        time.sleep(LOAD_SECONDS)
        server.kill()
        server.wait(timeout=10)
    assert len(load.acked) > 100  # the load really ran
    check_database(db, load.acked)


@pytest.mark.slow
def test_case_20_sigterm_under_load_exits_quickly_and_loses_nothing(project):
    config, db = project
    server, base, log = start(config, db)
    with Load(base) as load:
        time.sleep(LOAD_SECONDS)
        stopped = time.monotonic()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)  # raises if it takes longer than 10 s
        took = time.monotonic() - stopped
    assert took < 10 and "Application shutdown complete" in log.read_text()
    assert load.statuses <= {200, 503}
    assert len(load.acked) > 100
    check_database(db, load.acked)
