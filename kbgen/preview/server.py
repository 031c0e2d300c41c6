"""The preview's HTTP side: the built site, the live-reload endpoint and the help API.

One ASGI app routes /api/... to the help API, so feedback from the preview lands in the
local database. Pages long-poll /_kbgen/livereload and reload when a new build is ready;
while the last build has failed, they show its error over the page (an overlay, as other
development servers do) until a build succeeds. When even the first build fails, the
preview keeps running: every page shows why, the help API answers 503, and both come to life
with the first build that succeeds.
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
# Added to every page the preview serves (never to a built site). A failed build is shown
# over the page, as text only (textContent: a message quoting the writer's Markdown or HTML
# is never markup), in a shadow root so the theme's styles and the overlay's do not mix.
RELOAD_SCRIPT = """<script>
/* kbgen serve: reload this page when a new build of the preview is ready; while a build
   has failed, show why over the page (the preview keeps the last good build). */
(function () {
  var epoch = __EPOCH__, seen = -1, host = null, hidden = -1;
  var STYLE = ":host{all:initial}" +
    ".backdrop{position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:6vh 1rem;" +
    "background:rgba(0,0,0,.55);font:16px/1.5 system-ui,sans-serif}" +
    ".box{box-sizing:border-box;max-width:52rem;margin:0 auto;padding:1.2rem 1.5rem;" +
    "border-top:6px solid #c62828;border-radius:6px;background:#fff;color:#1f2233}" +
    "h2{margin:0 0 .6rem;font-size:1.3rem;color:#b71c1c}" +
    "pre{margin:0 0 .8rem;padding:.8rem 1rem;border-radius:4px;background:#fdecea;" +
    "color:#1f2233;white-space:pre-wrap;overflow-wrap:anywhere;" +
    "font:14px/1.5 ui-monospace,Menlo,Consolas,monospace}" +
    "p{margin:0 0 .8rem}button{font:inherit;padding:.3rem .9rem;border:1px solid #1f2233;" +
    "border-radius:4px;background:#fff;color:#1f2233;cursor:pointer}" +
    "button:focus-visible{outline:3px solid #3949ab;outline-offset:2px}";
  function overlay() {
    host = document.createElement("kbgen-build-error");
    var root = host.attachShadow({ mode: "open" });
    var style = document.createElement("style");
    style.textContent = STYLE;
    var backdrop = document.createElement("div");
    backdrop.className = "backdrop";
    var box = document.createElement("div");
    box.className = "box";
    box.setAttribute("role", "alert");
    var title = document.createElement("h2");
    title.textContent = epoch ? "The preview could not be rebuilt" :
      "The help center could not be built";
    var message = document.createElement("pre");
    var help = document.createElement("p");
    help.textContent = epoch ? "Fix it and save: this message goes away when the next " +
      "build succeeds. Until then the preview shows the last good build." :
      "Fix it and save: the help center appears here when it builds.";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Hide until the next change";
    close.addEventListener("click", function () { hidden = seen; host.remove(); });
    box.append(title, message, help, close);
    backdrop.appendChild(box);
    root.append(style, backdrop);
  }
  function show(text) {
    if (hidden === seen) return;
    if (!host) overlay();
    host.shadowRoot.querySelector("pre").textContent = text;
    if (!host.isConnected) document.body.appendChild(host);
  }
  function poll() {
    fetch("__PATH__?epoch=" + epoch + "&error=" + seen).then(function (r) {
      return r.json();
    }).then(function (d) {
      if (d.epoch !== epoch) { location.reload(); return; }
      seen = d.error_seq;
      if (d.error) show(String(d.error));
      else if (host) host.remove();
      poll();
    }).catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
</script>"""


# What every address shows until the first build succeeds (the overlay says why).
NOT_BUILT_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kbgen serve: not built yet</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font:16px/1.5 system-ui,sans-serif;margin:3rem auto;max-width:40rem;padding:0 1rem">
<h1>The help center has not been built yet</h1>
<p>kbgen serve is running, but the first build failed: the reason is in your terminal and
over this page. Fix it and save; this page reloads when the build succeeds.</p>
</body></html>"""


def reload_script(epoch: int) -> str:
    return RELOAD_SCRIPT.replace("__PATH__", RELOAD_PATH).replace("__EPOCH__", str(epoch))


class PreviewSite:
    """Serves the preview's current build from its folder."""

    def __init__(self, preview: Preview):
        self.preview = preview

    async def livereload(self, request: Request) -> Response:
        seen = _int_param(request, "epoch")
        seen_error = _int_param(request, "error")
        # Answer within 2 s: the page asks again at once, and a stopping server never waits
        # long for open long-polls.
        preview = self.preview
        for _ in range(8):
            if preview.epoch != seen or preview.error_seq != seen_error:
                break
            await asyncio.sleep(0.25)
        return JSONResponse({"epoch": preview.epoch, "error_seq": preview.error_seq,
                             "error": preview.error})

    async def page(self, request: Request) -> Response:
        path = self._resolve(request.url.path)
        status = 200
        if path is None and not self.preview.epoch:  # no build has succeeded yet
            html = NOT_BUILT_PAGE.replace("</body>", reload_script(0) + "</body>", 1)
            return Response(html, status_code=503, media_type="text/html",
                            headers={"Cache-Control": "no-store"})
        if path is None:
            path, status = self.preview.site_dir / "404.html", 404
            if not path.is_file():
                return Response("Not found", status_code=404, media_type="text/plain")
        if path.suffix == ".html":
            script = reload_script(self.preview.epoch)
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


def _int_param(request: Request, name: str) -> int:
    try:
        return int(request.query_params.get(name, "0"))
    except ValueError:
        return 0


class LazyApi:
    """The help API, made once the preview has built (it reads the manifest and the search
    index the build writes)."""

    def __init__(self, make):
        self._make = make
        self._lock = threading.Lock()
        self.app = None

    def get(self):
        with self._lock:
            if self.app is None:
                self.app = self._make()
            return self.app


NOT_BUILT = {"error": "The help center has not been built yet: fix the problem kbgen serve "
                      "shows, and save."}


def preview_app(preview: Preview, api: LazyApi):
    """One ASGI app: /api/... to the help API, the live-reload endpoint, then the site."""
    served = PreviewSite(preview)
    site = Starlette(routes=[
        Route(RELOAD_PATH, served.livereload),
        Route("/{path:path}", served.page, methods=["GET", "HEAD"]),
    ])
    not_built = JSONResponse(NOT_BUILT, status_code=503, headers={"Retry-After": "2"})

    async def app(scope, receive, send):
        if scope["type"] == "lifespan":
            message = await receive()
            while message["type"] != "lifespan.shutdown":
                await send({"type": message["type"] + ".complete"})
                message = await receive()
            if api.app is not None:
                await api.app.state.help_api.aclose()
            await send({"type": "lifespan.shutdown.complete"})
            return
        if scope["type"] == "http" and scope["path"].startswith("/api/"):
            if api.app is None and not preview.epoch:
                await not_built(scope, receive, send)
                return
            api_app = api.app or await asyncio.to_thread(api.get)
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
    api = LazyApi(lambda: create_api_app(project, db_url=project.db_url(db_url),
                                         extra_routes=search_routes(project.index_dir)))
    if preview.build():
        api.get()  # before the server listens: its first answers are fast
    else:
        log.error("The first build failed: the preview shows why until a build succeeds. "
                  "Fix the problems above and save.")
    stop = threading.Event()
    threading.Thread(target=_rebuild_on_changes, args=(preview, api, stop), daemon=True,
                     name="kbgen-watch").start()
    log.info("Serving the preview and the help API at http://%s:%s/", host, port)
    try:
        serve(preview_app(preview, api), host, int(port))
    finally:
        stop.set()


def _rebuild_on_changes(preview: Preview, api: LazyApi, stop: threading.Event) -> None:
    for changes in watch(preview.project.config_file, preview.project.docs_dir, stop):
        preview.update(changes)
        if preview.epoch and api.app is None:
            try:
                api.get()  # the first good build: the help API can start
            except Exception as exc:  # noqa: BLE001 - keep watching; /api/ tries again
                log.error("The help API cannot start: %s", exc)
