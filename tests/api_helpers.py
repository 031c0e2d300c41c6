"""Shared pieces for the store, API and events CLI tests: a tiny help center in tmp_path,
valid events, an in-process client on one event loop, and the real `kbgen api` process."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx

ARTICLES = ("reset-password", "refunds", "billing-faq")
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0"
SITE = "https://help.example.com"


def make_project(root: Path, options: str = "") -> Path:
    """mkdocs.yml + .kbgen/manifest.json; returns the config file."""
    (root / ".kbgen").mkdir(parents=True, exist_ok=True)
    config = root / "mkdocs.yml"
    config.write_text(
        f"site_name: Test\nsite_url: {SITE}/\ndocs_dir: content\n"
        f"plugins:\n  - kbgen:\n      allowed_origins: [https://www.example.com]\n{options}",
        encoding="utf-8",
    )
    manifest = {"site_name": "Test", "site_url": SITE, "built": "2026-01-01T00:00:00Z",
                "categories": [{"slug": "account", "title": "Account"}],
                "articles": [{"id": a, "title": a.title(), "url": f"{a}/"} for a in ARTICLES]}
    (root / ".kbgen" / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return config


def vote(**fields) -> dict:
    event = {"id": str(uuid.uuid4()), "type": "vote", "session": "s-1",
             "article": "reset-password", "helpful": False, "reason": "outdated"}
    event.update(fields)
    return event


HEADERS = {"user-agent": BROWSER, "origin": SITE, "content-type": "text/plain;charset=UTF-8"}


class ApiClient:
    """Synchronous calls into the ASGI app, all on one event loop (the writer lives there)."""

    def __init__(self, app, peer: str = "198.51.100.7") -> None:
        self.app = app
        self.peer = peer
        self.loop = asyncio.new_event_loop()
        self._clients: dict[str, httpx.AsyncClient] = {}

    def client(self, peer: str | None = None) -> httpx.AsyncClient:
        peer = peer or self.peer
        if peer not in self._clients:
            transport = httpx.ASGITransport(app=self.app, client=(peer, 40000))
            self._clients[peer] = httpx.AsyncClient(transport=transport,
                                                    base_url="http://testserver")
        return self._clients[peer]

    def post(self, body, headers: dict | None = None, *, peer: str | None = None,
             path: str = "/api/events") -> httpx.Response:
        return self.run(self.apost(body, headers, peer=peer, path=path))

    async def apost(self, body, headers=None, *, peer=None, path="/api/events"):
        if not isinstance(body, str | bytes) and not hasattr(body, "__aiter__"):
            body = json.dumps(body)
        merged = {**HEADERS, **(headers or {})}
        merged = {k: v for k, v in merged.items() if v is not None}
        return await self.client(peer).post(path, content=body, headers=merged)

    def request(self, method: str, path: str, **kwargs) -> httpx.Response:
        return self.run(self.client().request(method, path, **kwargs))

    def run(self, coro):
        return self.loop.run_until_complete(coro)

    def close(self) -> None:
        self.run(self.app.state.help_api.aclose())
        for client in self._clients.values():
            self.run(client.aclose())
        self.loop.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def kbgen_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "kbgen", *args]


def start_api(config: Path, db: Path, port: int, log: Path) -> subprocess.Popen:
    """`kbgen api` as a real process, its log going to `log`; returns once it listens."""
    with log.open("wb") as log_file:  # a file, not a pipe: a full pipe would stall the server
        proc = subprocess.Popen(
            kbgen_command("api", "-f", str(config), "--db", f"sqlite:///{db}",
                          "--port", str(port)),
            stdout=subprocess.DEVNULL, stderr=log_file,
        )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError("kbgen api exited: " + log.read_text())
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise AssertionError("kbgen api did not start within 20 s")
