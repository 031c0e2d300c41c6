"""POST /api/events: the checks run cheapest first, and only a commit earns a 2xx.

Order: origin (403), media type (415), Do Not Track (204, nothing read), rate (429), size
(413), JSON (400), then `EventIntake.admit` (the checks every route shares: fields 422, bots
204 dropped, rate by event count 429) and the commit (200, or 503 with Retry-After when the
store cannot write).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from kbgen.api.http import BodyTooLarge, json_response, media_type, read_body
from kbgen.api.intake import EventIntake, Rejected
from kbgen.events import BodyError, decode_json

log = logging.getLogger(__name__)

JSON_TYPES = ("", "application/json", "text/plain")

__all__ = ["EventsEndpoint", "Rejected"]


@dataclass
class EventsEndpoint:
    intake: EventIntake

    @property
    def settings(self):
        return self.intake.settings

    async def post(self, request: Request) -> Response:
        origin = request.headers.get("origin")
        cors = self.intake.origins.headers(origin) if self.intake.origins.allows(origin) else {}
        try:
            return await self._accept(request, cors)
        except Rejected as exc:
            self.intake.count(exc)
            if exc.status == 204:
                return Response(status_code=204, headers=cors)
            headers = self._headers(exc, cors)
            return json_response({"error": str(exc), **exc.extra}, exc.status, headers)

    def options(self, request: Request) -> Response:
        """CORS preflight (fetch with application/json); text/plain beacons need none."""
        origin = request.headers.get("origin")
        if not self.intake.origins.allows(origin):
            self.intake.writer.count("forbidden_origin")
            return Response(status_code=403)
        headers = {**self.intake.origins.headers(origin), "Access-Control-Allow-Methods": "POST",
                   "Access-Control-Allow-Headers": "Content-Type", "Access-Control-Max-Age": "600"}
        return Response(status_code=204, headers=headers)

    async def _accept(self, request: Request, cors: dict) -> Response:
        intake = self.intake
        intake.check_origin(request)
        kind, charset = media_type(request.headers.get("content-type"))
        if kind not in JSON_TYPES:
            raise Rejected(415, "unsupported_media_type",
                           f"content type {kind[:60]!r} is not accepted; send JSON as "
                           "application/json or text/plain")
        if charset not in (None, "utf-8", "utf8"):
            raise Rejected(415, "unsupported_media_type", "charset must be UTF-8")
        intake.check_tracking(request)  # before the body is read
        key = intake.client_key(request)
        intake.check_rate(key, 1, take=False)
        try:
            raw = await read_body(request, self.settings.max_body)
        except BodyTooLarge:
            raise Rejected(413, "too_large",
                           f"body is larger than {self.settings.max_body} bytes; send fewer "
                           "events per request") from None
        try:
            value = decode_json(raw)
        except BodyError as exc:
            raise Rejected(400, exc.reason, str(exc)) from None
        events = intake.admit(request, value, key)
        stored = await intake.commit(events)
        return json_response({"stored": stored, "duplicates": len(events) - stored}, 200, cors)

    def _headers(self, exc: Rejected, cors: dict) -> dict:
        headers = dict(cors)
        if "retry_after" in exc.extra:
            headers["Retry-After"] = str(exc.extra.pop("retry_after"))
        if exc.extra.pop("retry", False):
            headers["Retry-After"] = str(self.settings.retry_after_s)
        return headers
