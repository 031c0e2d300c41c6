"""Shared pieces for browser tests: the system Chromium, static sites over HTTP, a fake API.

Browser tests must not skip when Chromium is missing (CI installs it): they fail and say how
to install it. Fixtures live in each test module; these are the plain functions they wrap.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Headless Chromium says "HeadlessChrome" in its user agent, which the help API drops as a
# bot (THREATS.md case 10); tests speak for a real customer's browser.
USER_AGENT = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/130.0.0.0 Safari/537.36")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def launch_chromium(playwright):
    """The system Chromium, headless. Fails (never skips) with the fix when it is missing."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: browser tests need the system Chromium. "
                    "Install it with: apt-get install -y chromium")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def new_context(browser, tag: str = "", **options):
    """A fresh browser profile (empty sessionStorage) with a normal desktop user agent;
    `tag` is appended to it so a recording server can tell this profile's requests apart."""
    options.setdefault("user_agent", f"{USER_AGENT} {tag}".rstrip())
    return browser.new_context(**options)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


@contextlib.contextmanager
def running(server: http.server.HTTPServer) -> Iterator[str]:
    """Serve in a daemon thread; yield the base URL; shut down and close on exit."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextlib.contextmanager
def serve_directory(directory: Path, port: int = 0) -> Iterator[str]:
    """A built site over HTTP on 127.0.0.1 (a secure context, like https in production)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    with running(server) as url:
        yield url


class EventRecorder:
    """What a fake help API received: every POSTed body, parsed, in order, with the sender's
    user agent, so a test can ignore beacons that a previous test's page sent late."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.bodies: list[tuple[str, object]] = []
        self.status = 200

    def reset(self, status: int = 200) -> None:
        with self.lock:
            self.bodies.clear()
            self.status = status

    def events(self, agent: str | None = None) -> list[dict]:
        """Events received, in order; only those sent by user agent `agent` if given."""
        with self.lock:
            bodies = [body for sender, body in self.bodies if agent in (None, sender)]
        out: list[dict] = []
        for body in bodies:
            out.extend(body if isinstance(body, list) else [body])
        return out

    def of_type(self, kind: str, agent: str | None = None) -> list[dict]:
        return [event for event in self.events(agent) if event.get("type") == kind]


def _recording_handler(recorder: EventRecorder):
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
            pass

        def _cors(self) -> None:
            origin = self.headers.get("Origin")
            if origin:
                self.send_header("Access-Control-Allow-Origin", origin)
                self.send_header("Access-Control-Allow-Methods", "POST, OPTIONS")
                self.send_header("Access-Control-Allow-Headers", "Content-Type")
                self.send_header("Vary", "Origin")

        def do_OPTIONS(self):  # noqa: N802 - http.server's naming
            self.send_response(204)
            self._cors()
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_POST(self):  # noqa: N802 - http.server's naming
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            if self.path != "/api/events":
                return self._answer(404, {"error": "not found"})
            with recorder.lock:
                status = recorder.status
                if status < 300:
                    agent = self.headers.get("User-Agent", "")
                    recorder.bodies.append((agent, json.loads(raw)))
            if status >= 300:
                return self._answer(status, {"error": "rate limited"}, {"Retry-After": "30"})
            stored = json.loads(raw)
            count = len(stored) if isinstance(stored, list) else 1
            self._answer(status, {"stored": count, "duplicates": 0})

        def _answer(self, status: int, payload: dict, headers: dict | None = None) -> None:
            body = json.dumps(payload).encode()
            self.send_response(status)
            self._cors()
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@contextlib.contextmanager
def recording_api(recorder: EventRecorder, port: int = 0) -> Iterator[str]:
    """A stand-in for `kbgen api` that records POST /api/events bodies; yields its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), _recording_handler(recorder))
    server.daemon_threads = True
    with running(server) as url:
        yield url
