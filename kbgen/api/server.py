"""Run the help API on uvicorn with the settings the threat model needs."""

from __future__ import annotations

import uvicorn

# uvicorn's access log prints the client's IP and the decoded path: ours (AccessLog) prints
# neither the IP nor raw control characters. Proxy headers are handled by kbgen's own
# trusted-proxy setting, never by uvicorn's default trust in 127.0.0.1.
GRACEFUL_SHUTDOWN_S = 5


def serve(app, host: str, port: int) -> None:
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        access_log=False,
        proxy_headers=False,
        server_header=False,
        date_header=True,
        log_config=None,
        lifespan="on",
        limit_concurrency=2000,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
    )
    uvicorn.Server(config).run()
