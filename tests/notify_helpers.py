"""Real receivers for `kbgen notify`: an HTTP server and an SMTP server on 127.0.0.1, each
able to fail on demand (error statuses, slow answers, refused recipients)."""

from __future__ import annotations

import contextlib
import email
import email.policy
import http.server
import json
import threading
import time
from collections.abc import Iterator

from aiosmtpd.controller import Controller
from browser_helpers import free_port


class Receiver:
    """Records every POST: (path, headers, raw body). Answers `statuses` in turn (then 200),
    after `delay` seconds."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.posts: list[tuple[str, dict, bytes]] = []
        self.statuses: list[int] = []
        self.delay = 0.0

    def accepted(self, path: str) -> list[tuple[dict, bytes]]:
        with self.lock:
            return [(h, b) for p, h, b, ok in self.posts if p == path and ok]

    def keys(self, path: str) -> list[str]:
        return [h["Idempotency-Key"] for h, _ in self.accepted(path)]


def _handler(receiver: Receiver):
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, format, *args):
            pass

        def do_POST(self):
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            time.sleep(receiver.delay)
            with receiver.lock:
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                receiver.posts.append((self.path, dict(self.headers), raw, status == 200))
            try:
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
            except BrokenPipeError:
                pass  # kbgen gave up waiting (the slow-answer case): expected

    return Handler


@contextlib.contextmanager
def http_receiver() -> Iterator[tuple[Receiver, int]]:
    receiver = Receiver()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver, server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


class Mailbox:
    """An aiosmtpd handler: keeps each accepted message; refuses recipients while `refuse`."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.refuse = False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content,
                                                      policy=email.policy.default))
        return "250 Message accepted"


@contextlib.contextmanager
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


def body_of(raw: bytes) -> dict:
    return json.loads(raw.decode("utf-8"))
