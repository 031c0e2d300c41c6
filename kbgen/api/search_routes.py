"""`GET /api/search?q=&limit=`: the same engine and ranking as `kbgen search`.

Answers `{"query": ..., "results": [{"id", "title", "url", "score", "snippet", "category",
"category_title", "anchor"}]}` (`category` is the category's folder, `category_title` its
title as the site shows it) and records a server-side `search` event (source "api")
through the API's one ingestion path (`kbgen.api.intake`: origin, Do Not Track / Global
Privacy Control, bots, the per-client rate limit, the event validator) without making the
caller wait for it, unless `record=0`; a refused event is counted, and the answer is served
all the same. Every parameter is checked first: a bad one is a 400 naming it. The help
center's own pages search through it as the customer types and record their `search` event
themselves (once, after the typing pause, and never when the browser asks for privacy).
Pages from the allowed origins may read the answer (CORS, no credentials).
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
from kbgen.api.intake import Rejected
from kbgen.api.search_params import ParamError, search_language, search_params
from kbgen.errors import KbgenError
from kbgen.search import SearchIndex, open_index
from kbgen.search.build import language_index_dir

log = logging.getLogger(__name__)

REFRESH_SECONDS = 5.0


class SearchEndpoint:
    def __init__(self, index_dir: Path):
        self.index_dir = Path(index_dir)
        self._index: SearchIndex | None = None
        self._checked = 0.0
        self._languages: dict[str, SearchIndex] = {}  # the other languages' indexes
        self._lock = threading.Lock()  # one Whoosh searcher, used from the thread pool
        self._pending: set[asyncio.Task] = set()

    def language_dir(self, lang: str) -> Path:
        """The index of language `lang` beside the default one."""
        return language_index_dir(self.index_dir.parent, lang)

    def _search(self, query: str, limit: int, lang: str | None = None) -> list:
        if lang is not None and self.language_dir(lang).is_dir():
            with self._lock:
                index = self._languages.get(lang)
                if index is None:
                    index = self._languages[lang] = open_index(self.language_dir(lang))
                elif time.monotonic() - self._checked > REFRESH_SECONDS:
                    index.refresh()
                return index.search(query, limit)
        with self._lock:
            if self._index is None:
                self._index = open_index(self.index_dir)
                self._checked = time.monotonic()
            elif time.monotonic() - self._checked > REFRESH_SECONDS:
                self._index.refresh()
                self._checked = time.monotonic()
            return self._index.search(query, limit)

    def warm(self) -> None:
        """Open the index and answer one query now, so the first customer does not wait
        for the index and the semantic model to load (seconds on a busy machine, longer
        than the site's search box waits before it falls back to the static index)."""
        started = time.monotonic()
        try:
            self._search("help", 1)
        except KbgenError as exc:  # no index yet: the first search opens it, as before
            log.info("Search index not loaded at start (%s)", exc)
            return
        log.info("Search index and model loaded in %.1f s", time.monotonic() - started)

    async def get(self, request: Request) -> Response:
        try:
            query, limit, session, record = search_params(request.query_params)
            lang = search_language(request.query_params)
            if lang is not None and not self.language_dir(lang).is_dir() and \
                    lang != self._default_language():
                raise ParamError("lang", f"'{lang}' is not a language of this help center")
        except ParamError as exc:
            return json_response({"error": str(exc), "parameter": exc.name}, 400,
                                 _cors(request))
        try:
            hits = await run_in_threadpool(self._search, query, limit, lang)
        except KbgenError as exc:
            return json_response({"error": str(exc)}, 503)
        if query.strip() and record:
            self._record(request, query, len(hits), session, lang)
        return json_response({
            "query": query,
            "results": [
                {"id": h.id, "title": h.title, "url": h.url, "score": h.score,
                 "snippet": h.snippet, "category": h.category,
                 "category_title": h.category_title or h.category, "anchor": h.anchor}
                for h in hits
            ],
        }, 200, _cors(request))

    def _default_language(self) -> str:
        from kbgen.search.engine import index_language

        return index_language(self.index_dir)

    def _record(self, request: Request, query: str, results: int, session: str | None,
                lang: str | None = None) -> None:
        """The `search` event through the API's one ingestion path (origin, Do Not Track,
        bots, rate limit, validation): refused, it is counted, not stored; the search answer
        is served either way and never waits for the commit."""
        help_api = getattr(request.app.state, "help_api", None)
        if help_api is None:
            return
        intake = help_api.intake
        event = {"id": str(uuid.uuid4()), "type": "search",
                 "session": session or f"api-{uuid.uuid4().hex[:16]}",
                 "query": query, "results": results, "source": "api"}
        if lang is not None:
            event["lang"] = lang
        try:
            events = intake.admit(request, event)
        except Rejected as exc:
            intake.count(exc)
            return
        task = asyncio.ensure_future(self._commit(intake, events))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    @staticmethod
    async def _commit(intake, events: list[dict]) -> None:
        try:
            await intake.commit(events)
        except Rejected as exc:  # a lost search event must never fail the search
            intake.count(exc)
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
    endpoint.warm()  # before the server listens: a started API answers its first query fast
    return [Route("/api/search", endpoint.get, methods=["GET"])]
