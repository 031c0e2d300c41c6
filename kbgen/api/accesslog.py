"""One log line per request: method, quoted path, status, time. Never the client's IP,
user agent or body (THREATS.md cases 16 and 21); uvicorn's own access log is switched off."""

from __future__ import annotations

import logging
import time

from kbgen.api.http import log_quote

log = logging.getLogger("kbgen.api.access")


class AccessLog:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500
        started = time.perf_counter()

        async def send_status(message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            path = scope.get("raw_path") or scope.get("path", "").encode("utf-8", "replace")
            log.info("%s %s %d %.1fms", scope.get("method", "-"), log_quote(path),
                     status, (time.perf_counter() - started) * 1000)
