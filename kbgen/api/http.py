"""Small HTTP helpers: bounded body reading, JSON answers, log-safe request paths."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response


class BodyTooLarge(Exception):
    pass


async def read_body(request: Request, limit: int) -> bytes:
    """The body, refusing (before buffering it) one declared or streamed beyond `limit`."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.strip().isdigit() and int(declared) > limit:
        raise BodyTooLarge
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def json_response(data: object, status: int = 200, headers: dict | None = None) -> Response:
    """JSON with every non-ASCII character escaped, so any echoed text is safe to encode."""
    body = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    return Response(body, status, headers=headers, media_type="application/json")


def media_type(content_type: str | None) -> tuple[str, str | None]:
    """'text/plain; charset=UTF-8' -> ('text/plain', 'utf-8')."""
    if not content_type:
        return "", None
    kind, *params = content_type.split(";")
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return kind.strip().lower(), charset


def log_quote(raw: bytes | str) -> str:
    """A request path for a log line: quoted, control and non-ASCII bytes as \\xNN."""
    text = raw.decode("latin-1") if isinstance(raw, bytes) else raw
    shown = "".join(
        ch if " " <= ch < "\x7f" and ch not in '"\\' else f"\\x{ord(ch):02x}"
        for ch in text[:300]
    )
    return f'"{shown}"'
