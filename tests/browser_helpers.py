"""Shared pieces for browser tests: the system Chromium, static sites over HTTP, a recording
stand-in for the help API.

Browser tests must not skip when Chromium is missing (CI installs it): they fail and say how
to install it. The `browser` fixture is in conftest.py, the others live in each test module;
these are the plain functions they wrap.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import shutil
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
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
    def log_message(self, format, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A browser that leaves a page cancels its downloads: a broken pipe is not an error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


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
    server = _Server(("127.0.0.1", port), handler)
    with running(server) as url:
        yield url


class EventRecorder:
    """A stand-in for the help API's POST /api/events. It records every body, parsed, with the
    sender's user agent (so a test can ignore beacons a previous test's page sent late), and
    answers `status` itself or, with `upstream` set, passes the request on to a real help API
    (`http://host:port`) and returns that API's answer."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.bodies: list[tuple[str, object]] = []
        self.status = 200
        self.upstream: str | None = None

    def reset(self, status: int = 200, upstream: str | None = None) -> None:
        with self.lock:
            self.bodies.clear()
            self.status = status
            self.upstream = upstream

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

    def answer(self, raw: bytes, headers) -> tuple[int, bytes]:
        """Record one request body; return (status, JSON body) for the browser."""
        body = json.loads(raw)
        with self.lock:
            self.bodies.append((headers.get("User-Agent", ""), body))
            status, upstream = self.status, self.upstream
        if upstream:
            return _forward(upstream + "/api/events", raw, headers)
        if status == 204:  # what the API answers to a DNT/GPC header: nothing stored
            return status, b""
        if status >= 300:
            return status, b'{"error": "rate limited"}'
        count = len(body) if isinstance(body, list) else 1
        return status, json.dumps({"stored": count, "duplicates": 0}).encode()


def _forward(url: str, raw: bytes, headers) -> tuple[int, bytes]:
    passed = {name: headers[name] for name in ("Content-Type", "Origin", "User-Agent")
              if headers.get(name)}
    request = urllib.request.Request(url, data=raw, headers=passed, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read()


def _recording_handler(recorder: EventRecorder):
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, format, *args):
            pass

        def _cors(self) -> None:
            origin = self.headers.get("Origin")
            if origin:
                self.send_header("Access-Control-Allow-Origin", origin)
                self.send_header("Access-Control-Allow-Methods", "POST, OPTIONS")
                self.send_header("Access-Control-Allow-Headers", "Content-Type")
                self.send_header("Vary", "Origin")

        def do_OPTIONS(self):
            self.send_response(204)
            self._cors()
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_POST(self):
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.path != "/api/events":
                status, body = 404, b'{"error": "not found"}'
            else:
                status, body = recorder.answer(raw, self.headers)
            self.send_response(status)
            self._cors()
            if status == 429:
                self.send_header("Retry-After", "30")
            if body:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@contextlib.contextmanager
def recording_api(recorder: EventRecorder, port: int = 0) -> Iterator[str]:
    """A stand-in for `kbgen api` that records POST /api/events bodies; yields its base URL."""
    server = _Server(("127.0.0.1", port), _recording_handler(recorder))
    with running(server) as url:
        yield url


def build_sample_site(root: Path, site_url: str, api_url: str,
                      options: dict | None = None, single_language: bool = False) -> Path:
    """The repository's sample help center in `root`, built to be served at `site_url` and to
    send its events to `api_url`; returns the built site folder.

    site_url must be where the test serves it: material 9.8's instant navigation takes its
    list of pages from sitemap.xml and keeps the sitemap URLs' port, so on any other port
    every link is a full page load. The writers' search tests are left out: they gate
    `kbgen build` on the engine's ranking, which has its own tests. `options` are further
    kbgen plugin options (e.g. nps). `single_language`: the sample without its German
    translations (a help center in one language keeps material's instant navigation)."""
    ignored = ["search-tests.yml", *(["*.de.md"] if single_language else [])]
    shutil.copytree(REPO / "content", root / "content",
                    ignore=shutil.ignore_patterns(*ignored))
    if single_language:
        for category in (root / "content").glob("*/_category.yml"):
            text = category.read_text(encoding="utf-8")
            category.write_text(text.split("\nde:\n")[0] + "\n", encoding="utf-8")
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["site_url"] = site_url
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "kbgen" in plugin:
            plugin["kbgen"] = {**(plugin["kbgen"] or {}), "api_url": api_url, **(options or {})}
            if single_language:
                plugin["kbgen"].pop("languages", None)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "kbgen", "build"], cwd=root,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return root / "site"
