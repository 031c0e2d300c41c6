"""`GET /api/search?q=&limit=`: the same engine and ranking as `kbgen search`.

Answers `{"query": ..., "results": [{"id", "title", "url", "score", "snippet", "category",
"anchor"}]}` and records a server-side `search` event (source "api") through the API's
writer without making the caller wait for it, unless `record=0`: the help center's own
pages search through it as the customer types and record their `search` event themselves
(once, after the typing pause, and never when the browser asks for privacy). Pages from the
allowed origins may read the answer (CORS, no credentials).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import uuid
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from kbgen.api.http import json_response
from kbgen.errors import KbgenError
from kbgen.events.schema import MAX_QUERY, TOKEN_RE
from kbgen.events.timestamps import format_ts, now_ms
from kbgen.search import SearchIndex, open_index

log = logging.getLogger(__name__)

MAX_LIMIT = 50
REFRESH_SECONDS = 5.0


class SearchEndpoint:
    def __init__(self, index_dir: Path):
        self.index_dir = Path(index_dir)
        self._index: SearchIndex | None = None
        self._checked = 0.0
        self._lock = threading.Lock()  # one Whoosh searcher, used from the thread pool
        self._pending: set[asyncio.Task] = set()

    def _search(self, query: str, limit: int) -> list:
        with self._lock:
            if self._index is None:
                self._index = open_index(self.index_dir)
                self._checked = time.monotonic()
            elif time.monotonic() - self._checked > REFRESH_SECONDS:
                self._index.refresh()
                self._checked = time.monotonic()
            return self._index.search(query, limit)

    async def get(self, request: Request) -> Response:
        query = request.query_params.get("q", "")
        raw_limit = request.query_params.get("limit", "10")
        if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_LIMIT:
            return json_response(
                {"error": f"limit must be a whole number from 1 to {MAX_LIMIT}"}, 400)
        if len(query) > MAX_QUERY:
            return json_response(
                {"error": f"q is longer than {MAX_QUERY} characters; shorten the query"}, 400)
        try:
            hits = await run_in_threadpool(self._search, query, int(raw_limit))
        except KbgenError as exc:
            return json_response({"error": str(exc)}, 503)
        if query.strip() and request.query_params.get("record", "1") != "0":
            self._record(request, query, len(hits))
        return json_response({
            "query": query,
            "results": [
                {"id": h.id, "title": h.title, "url": h.url, "score": h.score,
                 "snippet": h.snippet, "category": h.category, "anchor": h.anchor}
                for h in hits
            ],
        }, 200, _cors(request))

    def _record(self, request: Request, query: str, results: int) -> None:
        help_api = getattr(request.app.state, "help_api", None)
        if help_api is None:
            return
        session = request.query_params.get("session", "")
        if not TOKEN_RE.fullmatch(session):
            session = f"api-{uuid.uuid4().hex[:16]}"
        event = {"id": str(uuid.uuid4()), "type": "search", "ts": format_ts(now_ms()),
                 "session": session, "query": query, "results": results, "source": "api"}
        task = asyncio.ensure_future(self._submit(help_api.writer, event))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    @staticmethod
    async def _submit(writer, event: dict) -> None:
        try:
            await writer.submit([event])
        except Exception as exc:  # a lost search event must never fail the search
            log.warning("search event not recorded: %s", exc)


def _cors(request: Request) -> dict[str, str]:
    """Lets the help center's own pages (the API's allowed origins) read the answer."""
    help_api = getattr(request.app.state, "help_api", None)
    origin = request.headers.get("origin")
    if help_api is None or origin is None or not help_api.origins.allows(origin):
        return {}
    return help_api.origins.headers(origin)


def search_routes(index_dir: Path) -> list[BaseRoute]:
    """The routes to pass as `create_app(..., extra_routes=search_routes(project.index_dir))`."""
    endpoint = SearchEndpoint(index_dir)
    return [Route("/api/search", endpoint.get, methods=["GET"])]
