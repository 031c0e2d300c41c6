"""`kbgen api`: the help API (events in; health and OpenAPI out) on uvicorn."""

from __future__ import annotations

import logging

import click

from kbgen.cli.options import config_option, db_option
from kbgen.project import load_project

log = logging.getLogger(__name__)


@click.command("api")
@config_option
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (the preview, `kbgen serve`, uses 8000).")
@click.option("--manifest", type=click.Path(dir_okay=False), default=None,
              help="Manifest with the site's article ids (default: .kbgen/manifest.json).")
def api_command(config_file, db_url, host, port, manifest) -> None:
    """Run the help API: POST /api/events, GET /api/health, GET /api/openapi.json."""
    from kbgen.api.app import create_app
    from kbgen.api.server import serve

    project = load_project(config_file)
    from kbgen.api.search_routes import search_routes

    app = create_app(project, db_url=db_url, manifest_path=manifest,
                     extra_routes=search_routes(project.index_dir))
    store = app.state.help_api.store
    log.info("Help API on http://%s:%d/api/ (database: %s)", host, port,
             getattr(store, "path", "configured store"))
    serve(app, host, port)


commands = [api_command]
