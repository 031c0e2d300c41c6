"""`kbgen serve`: the live preview and the help API on one origin.

The site is built (drafts included) into .kbgen/preview-site/ and served by a small ASGI app
that also routes /api/... to the help API, so feedback from the preview lands in the local
database. A watcher rebuilds when a file under the content folder or mkdocs.yml changes;
pages long-poll /_kbgen/livereload and reload when a new build is ready. A failed rebuild
is reported in the terminal and the last good site stays up.
"""

from __future__ import annotations

import asyncio
import logging
import mimetypes
import os
import shutil
import threading
import time
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.exceptions import Abort, ConfigurationError, PluginError
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response

from kbgen.errors import KbgenError
from kbgen.mkdocs_plugin.incremental import Capture, LastBuild, rerender
from kbgen.mkdocs_plugin.runner import _config
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


class Preview:
    def __init__(self, project: Project, origin: str):
        self.project = project
        self.origin = origin
        self.site_dir = project.state_dir / "preview-site"
        self.epoch = 0
        self.lock = threading.Lock()
        self.last: LastBuild | None = None  # kept for the fast path (incremental.py)

    def build(self) -> bool:
        """Build into a staging folder and swap it in; False (and a log line) on failure."""
        started = time.monotonic()
        staging = self.site_dir.with_name("preview-site.new")
        shutil.rmtree(staging, ignore_errors=True)
        try:
            config, plugin = _config(self.project.config_file, drafts=True, api_url=self.origin)
            config.site_dir = str(staging)
            config.site_url = self.origin + "/"
            capture = Capture()
            config.plugins["kbgen-preview"] = capture
            with self.lock:
                self.last = None
                mkdocs_build(config)
        except (PluginError, Abort, ConfigurationError, KbgenError) as exc:
            log.error("Build failed; still serving the last good build.\n%s", exc)
            shutil.rmtree(staging, ignore_errors=True)
            return False
        old = self.site_dir.with_name("preview-site.old")
        shutil.rmtree(old, ignore_errors=True)
        if self.site_dir.exists():
            os.replace(self.site_dir, old)
        os.replace(staging, self.site_dir)
        shutil.rmtree(old, ignore_errors=True)
        self.last = LastBuild(config, plugin, capture, self.site_dir)
        self.epoch += 1
        log.info("Preview rebuilt in %.1f s", time.monotonic() - started)
        return True

    def watch(self, interval: float = 0.3) -> None:
        """Poll modification times (no extra dependency, works on every file system)."""
        last = self._snapshot()
        while True:
            time.sleep(interval)
            current = self._snapshot()
            if current != last:
                changed = {Path(p) for p in current.keys() | last.keys()
                           if current.get(p) != last.get(p)}
                same_files = current.keys() == last.keys()
                last = current
                if not (same_files and self.refresh(changed)):
                    self.build()

    def refresh(self, changed: set[Path]) -> bool:
        """Re-render just the edited articles; False when a full rebuild is needed."""
        if self.last is None or self.project.config_file in changed:
            return False
        started = time.monotonic()
        try:
            with self.lock:
                done = rerender(self.last, changed, self.project.root)
        except Exception as exc:  # noqa: BLE001 - the full rebuild reports it properly
            log.debug("Fast preview update failed (%s); rebuilding everything.", exc)
            self.last = None
            return False
        if done:
            self.epoch += 1
            log.info("Preview updated %d page(s) in %.2f s", len(changed),
                     time.monotonic() - started)
        return done

    def _snapshot(self) -> dict[str, int]:
        stamps = {}
        try:
            stamps[str(self.project.config_file)] = self.project.config_file.stat().st_mtime_ns
        except OSError:
            pass
        for folder, dirs, files in os.walk(self.project.docs_dir):  # cheap at 10,000 files
            for name in [*dirs, *files]:
                path = os.path.join(folder, name)
                try:
                    stamps[path] = os.stat(path).st_mtime_ns
                except OSError:
                    continue
        return stamps

    async def livereload(self, request: Request) -> Response:
        try:
            seen = int(request.query_params.get("epoch", "0"))
        except ValueError:
            seen = 0
        # Answer within 2 s: the page asks again at once, and a stopping server never waits
        # long for open long-polls.
        for _ in range(8):
            if self.epoch != seen:
                break
            await asyncio.sleep(0.25)
        return JSONResponse({"epoch": self.epoch})

    async def page(self, request: Request) -> Response:
        path = self._resolve(request.url.path)
        status = 200
        if path is None:
            path, status = self.site_dir / "404.html", 404
            if not path.is_file():
                return Response("Not found", status_code=404, media_type="text/plain")
        if path.suffix == ".html":
            script = RELOAD_SCRIPT % (RELOAD_PATH, self.epoch)
            html = path.read_text(encoding="utf-8").replace("</body>", script + "</body>", 1)
            return Response(html, status_code=status, media_type="text/html",
                            headers={"Cache-Control": "no-store"})
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return FileResponse(path, media_type=kind,
                            headers={"Cache-Control": self._cache_control(path)})

    def _cache_control(self, path: Path) -> str:
        """no-store (a preview changes), but the browser index's hashed files never do."""
        from kbgen.search.browser_index import IMMUTABLE, INDEX_DIR, cache_control

        index = self.site_dir.resolve().joinpath(*INDEX_DIR)
        if path.is_relative_to(index):
            if cache_control(path.relative_to(index).as_posix()) == IMMUTABLE:
                return IMMUTABLE
        return "no-store"

    def _resolve(self, url_path: str) -> Path | None:
        root = self.site_dir.resolve()
        candidate = (root / url_path.lstrip("/")).resolve()
        if not candidate.is_relative_to(root):
            return None
        if candidate.is_dir():
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None


def preview_app(preview: Preview, api_app):
    """One ASGI app: /api/... to the help API, the live-reload endpoint, then the site."""
    from starlette.applications import Starlette
    from starlette.routing import Route

    site = Starlette(routes=[
        Route(RELOAD_PATH, preview.livereload),
        Route("/{path:path}", preview.page, methods=["GET", "HEAD"]),
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
    threading.Thread(target=preview.watch, daemon=True, name="kbgen-watch").start()
    log.info("Serving the preview and the help API at http://%s:%s/", host, port)
    serve(preview_app(preview, api_app), host, int(port))
