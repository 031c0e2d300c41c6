"""The preview's HTTP side: the built site, the live-reload endpoint and the help API.

One ASGI app routes /api/... to the help API, so feedback from the preview lands in the
local database. Pages long-poll /_kbgen/livereload and reload when a new build is ready.
"""

from __future__ import annotations

import asyncio
import logging
import mimetypes
import threading
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from kbgen.errors import KbgenError
from kbgen.preview.site import Preview
from kbgen.preview.watch import watch
from kbgen.project import Project

log = logging.getLogger("kbgen.serve")

RELOAD_PATH = "/_kbgen/livereload"
RELOAD_SCRIPT = """<script>
/* kbgen serve: reload this page when a new build of the preview is ready. */
(function poll(epoch) {
  fetch("%s?epoch=" + epoch).then(function (r) { return r.json(); }).then(function (d) {
    if (d.epoch !== epoch) { location.reload(); } else { poll(epoch); }
  }).catch(function () { setTimeout(function () { poll(epoch); }, 1000); });
})(%d);
</script>"""


class PreviewSite:
    """Serves the preview's current build from its folder."""

    def __init__(self, preview: Preview):
        self.preview = preview

    async def livereload(self, request: Request) -> Response:
        try:
            seen = int(request.query_params.get("epoch", "0"))
        except ValueError:
            seen = 0
        # Answer within 2 s: the page asks again at once, and a stopping server never waits
        # long for open long-polls.
        for _ in range(8):
            if self.preview.epoch != seen:
                break
            await asyncio.sleep(0.25)
        return JSONResponse({"epoch": self.preview.epoch})

    async def page(self, request: Request) -> Response:
        path = self._resolve(request.url.path)
        status = 200
        if path is None:
            path, status = self.preview.site_dir / "404.html", 404
            if not path.is_file():
                return Response("Not found", status_code=404, media_type="text/plain")
        if path.suffix == ".html":
            script = RELOAD_SCRIPT % (RELOAD_PATH, self.preview.epoch)
            html = path.read_text(encoding="utf-8").replace("</body>", script + "</body>", 1)
            return Response(html, status_code=status, media_type="text/html",
                            headers={"Cache-Control": "no-store"})
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return FileResponse(path, media_type=kind,
                            headers={"Cache-Control": self._cache_control(path)})

    def _cache_control(self, path: Path) -> str:
        """no-store (a preview changes), but the browser index's hashed files never do."""
        from kbgen.search.browser_index import IMMUTABLE, INDEX_DIR, cache_control

        index = self.preview.site_dir.resolve().joinpath(*INDEX_DIR)
        if path.is_relative_to(index):
            if cache_control(path.relative_to(index).as_posix()) == IMMUTABLE:
                return IMMUTABLE
        return "no-store"

    def _resolve(self, url_path: str) -> Path | None:
        root = self.preview.site_dir.resolve()
        candidate = (root / url_path.lstrip("/")).resolve()
        if not candidate.is_relative_to(root):
            return None
        if candidate.is_dir():
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None


def preview_app(preview: Preview, api_app):
    """One ASGI app: /api/... to the help API, the live-reload endpoint, then the site."""
    served = PreviewSite(preview)
    site = Starlette(routes=[
        Route(RELOAD_PATH, served.livereload),
        Route("/{path:path}", served.page, methods=["GET", "HEAD"]),
    ])

    async def app(scope, receive, send):
        if scope["type"] == "lifespan":
            message = await receive()
            while message["type"] != "lifespan.shutdown":
                await send({"type": message["type"] + ".complete"})
                message = await receive()
            await api_app.state.help_api.aclose()
            await send({"type": "lifespan.shutdown.complete"})
            return
        if scope["type"] == "http" and scope["path"].startswith("/api/"):
            await api_app(scope, receive, send)
        else:
            await site(scope, receive, send)

    return app


def serve_preview(project: Project, dev_addr: str, db_url: str | None = None) -> None:
    from kbgen.api.app import create_api_app
    from kbgen.api.search_routes import search_routes
    from kbgen.api.server import serve

    host, _, port = dev_addr.rpartition(":")
    if not host or not port.isdigit():
        raise KbgenError(f"--dev-addr '{dev_addr}' is not HOST:PORT, e.g. 127.0.0.1:8000.")
    preview = Preview(project, f"http://{host}:{port}")
    if not preview.build():
        raise KbgenError("The first build failed; fix the problems above and run kbgen serve "
                         "again.")
    api_app = create_api_app(project, db_url=project.db_url(db_url),
                             extra_routes=search_routes(project.index_dir))
    stop = threading.Event()
    threading.Thread(target=_rebuild_on_changes, args=(preview, stop), daemon=True,
                     name="kbgen-watch").start()
    log.info("Serving the preview and the help API at http://%s:%s/", host, port)
    try:
        serve(preview_app(preview, api_app), host, int(port))
    finally:
        stop.set()


def _rebuild_on_changes(preview: Preview, stop: threading.Event) -> None:
    for changes in watch(preview.project.config_file, preview.project.docs_dir, stop):
        preview.update(changes)
