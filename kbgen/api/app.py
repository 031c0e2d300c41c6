"""The help API as a Starlette app: routes under /api/, built from a list so other parts of
kbgen (search) can add theirs with `extra_routes`."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from kbgen.api.accesslog import AccessLog
from kbgen.api.clients import ClientKeys
from kbgen.api.group_commit import BatchWriter
from kbgen.api.http import json_response
from kbgen.api.ingest import EventsEndpoint
from kbgen.api.intake import EventIntake
from kbgen.api.manifest import ArticleIds
from kbgen.api.openapi import openapi_document
from kbgen.api.origins import OriginPolicy
from kbgen.api.ratelimit import RateLimiter
from kbgen.api.settings import ApiSettings
from kbgen.api.stamps import SessionClock
from kbgen.errors import KbgenError
from kbgen.project import Project
from kbgen.store import Store, open_store

log = logging.getLogger(__name__)


class HelpApi:
    """What one running API holds; reachable as `app.state.help_api`."""

    def __init__(self, settings: ApiSettings, store: Store, articles, *, owns_store: bool):
        self.settings = settings
        self.store = store
        self.articles = articles
        self.owns_store = owns_store
        self.origins = OriginPolicy(settings)
        self.writer = BatchWriter(store, max_pending=settings.max_pending_events)
        # The one ingestion path: POST /api/events and the search route's events share it.
        self.intake = EventIntake(
            settings, self.writer, articles, self.origins,
            RateLimiter(settings.rate_per_minute, settings.burst), ClientKeys(), SessionClock(),
        )
        self.events = EventsEndpoint(self.intake)

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/api/events", self.events.post, methods=["POST"]),
            Route("/api/events", self.events.options, methods=["OPTIONS"]),
            Route("/api/health", self.health, methods=["GET"]),
            Route("/api/openapi.json", self.openapi, methods=["GET"]),
        ]

    async def health(self, request: Request) -> Response:
        store = await run_in_threadpool(self.store.health)
        try:
            counts = await run_in_threadpool(self.store.rejections)
        except KbgenError:
            counts = {}
        for reason, n in self.writer.unwritten_rejections().items():
            counts[reason] = counts.get(reason, 0) + n
        body = {"ok": store["ok"], "store": store, "rejections": counts,
                "pending_events": self.writer.pending,
                "articles": len(self.articles) if self.articles is not None else None}
        return json_response(body, 200 if store["ok"] else 503)

    async def openapi(self, request: Request) -> Response:
        paths = [route.path for route in request.app.routes if isinstance(route, Route)]
        return json_response(openapi_document(self.settings.max_events, paths))

    async def aclose(self) -> None:
        """Commit queued events and stop the writer; close the store if this API opened it."""
        await self.writer.aclose()
        if self.owns_store:
            self.store.close()


def create_app(
    project_or_settings: Project | ApiSettings,
    store: Store | None = None,
    extra_routes: Sequence[BaseRoute] = (),
    *,
    db_url: str | None = None,
    manifest_path: str | Path | None = None,
    preview: bool = False,
    articles=None,
) -> Starlette:
    """The help API. From a Project: settings from its plugin options, the store from
    `db_url` (or the project's default) and article ids from its manifest. From ApiSettings:
    `store` is required and article ids come from `settings.manifest_path` or `articles`."""
    owns_store = store is None
    if isinstance(project_or_settings, Project):
        project = project_or_settings
        settings = ApiSettings.from_options(project.options, project.site_url, preview=preview,
                                            drop_bots=not preview)
        manifest_path = manifest_path or project.manifest_path
        store = store or open_store(project.db_url(db_url))
    else:
        settings = project_or_settings
        manifest_path = manifest_path or settings.manifest_path
        if store is None:
            store = open_store(db_url) if db_url else None
        if store is None:
            raise KbgenError("create_app(settings) needs a store or db_url.")
    if articles is None and manifest_path is not None:
        articles = ArticleIds(manifest_path)
    api = HelpApi(settings, store, articles, owns_store=owns_store)

    @asynccontextmanager
    async def lifespan(app: Starlette):
        yield
        await api.aclose()

    app = Starlette(routes=[*api.routes(), *extra_routes], lifespan=lifespan)
    app.state.help_api = api
    app.add_middleware(AccessLog)
    return app


def create_api_app(
    project: Project,
    db_url: str | None = None,
    manifest_path: str | Path | None = None,
    *,
    preview: bool = True,
    extra_routes: Sequence[BaseRoute] = (),
) -> Starlette:
    """The API for `kbgen serve` to mount on the preview's own origin (routes at /api/...).

    `preview=True` suits a writer's local preview: any loopback origin is allowed and
    headless or scripted browsers are not filtered as bots. Starlette does not run a mounted
    app's lifespan: call `await app.state.help_api.aclose()` when the server stops.
    `extra_routes` are added as in `create_app` (e.g. `search_routes(project.index_dir)`).
    """
    return create_app(project, extra_routes=extra_routes, db_url=db_url,
                      manifest_path=manifest_path, preview=preview)
