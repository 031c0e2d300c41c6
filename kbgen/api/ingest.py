"""POST /api/events: the checks run cheapest first, and only a commit earns a 2xx.

Order: origin (403), media type (415), Do Not Track (204, nothing read), rate (429), size
(413), JSON (400), fields (422), bots (204, dropped), rate by event count (429), commit
(200, or 503 with Retry-After when the store cannot write).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from kbgen.api.clients import ClientKeys, client_address, is_bot
from kbgen.api.http import BodyTooLarge, json_response, media_type, read_body
from kbgen.api.origins import OriginPolicy
from kbgen.api.ratelimit import RateLimiter
from kbgen.api.settings import ApiSettings
from kbgen.api.writer import BatchWriter
from kbgen.errors import ServiceUnavailable
from kbgen.events import BodyError, decode_json, now_ms, validate_payload

log = logging.getLogger(__name__)

JSON_TYPES = ("", "application/json", "text/plain")
MAX_ERRORS_SHOWN = 20


class Rejected(Exception):
    def __init__(self, status: int, reason: str, message: str, **extra) -> None:
        super().__init__(message)
        self.status, self.reason, self.extra = status, reason, extra


@dataclass
class EventsEndpoint:
    settings: ApiSettings
    writer: BatchWriter
    articles: object  # a container of article ids, or None to accept any well-formed id
    origins: OriginPolicy
    limiter: RateLimiter
    keys: ClientKeys

    async def post(self, request: Request) -> Response:
        origin = request.headers.get("origin")
        if not self.origins.allows(origin):
            self.writer.count("forbidden_origin")
            return json_response({"error": "origin not allowed"}, 403)
        cors = self.origins.headers(origin)
        try:
            return await self._accept(request, cors)
        except Rejected as exc:
            self.writer.count(exc.reason)
            headers = self._headers(exc, cors)
            return json_response({"error": str(exc), **exc.extra}, exc.status, headers)

    def options(self, request: Request) -> Response:
        """CORS preflight (fetch with application/json); text/plain beacons need none."""
        origin = request.headers.get("origin")
        if not self.origins.allows(origin):
            self.writer.count("forbidden_origin")
            return Response(status_code=403)
        headers = {**self.origins.headers(origin), "Access-Control-Allow-Methods": "POST",
                   "Access-Control-Allow-Headers": "Content-Type", "Access-Control-Max-Age": "600"}
        return Response(status_code=204, headers=headers)

    async def _accept(self, request: Request, cors: dict) -> Response:
        kind, charset = media_type(request.headers.get("content-type"))
        if kind not in JSON_TYPES:
            raise Rejected(415, "unsupported_media_type",
                           f"content type {kind[:60]!r} is not accepted; send JSON as "
                           "application/json or text/plain")
        if charset not in (None, "utf-8", "utf8"):
            raise Rejected(415, "unsupported_media_type", "charset must be UTF-8")
        if request.headers.get("dnt") == "1" or request.headers.get("sec-gpc") == "1":
            self.writer.count("do_not_track")
            return Response(status_code=204, headers=cors)
        key = self._client_key(request)
        self._check_rate(key, 1, take=False)
        try:
            raw = await read_body(request, self.settings.max_body)
        except BodyTooLarge:
            raise Rejected(413, "too_large",
                           f"body is larger than {self.settings.max_body} bytes; send fewer "
                           "events per request") from None
        events = self._parse(raw)
        if self.settings.drop_bots and is_bot(request.headers.get("user-agent")):
            self.writer.count("bot", len(events))
            return Response(status_code=204, headers=cors)
        self._check_rate(key, len(events), take=True)
        received = now_ms()
        for event in events:
            event["ts"] = received  # live events: the server's clock, not the client's
        try:
            stored = await self.writer.submit(events)
        except ServiceUnavailable as exc:
            raise Rejected(503, "unavailable", str(exc), retry=True) from None
        return json_response({"stored": stored, "duplicates": len(events) - stored}, 200, cors)

    def _parse(self, raw: bytes) -> list[dict]:
        try:
            value = decode_json(raw)
        except BodyError as exc:
            raise Rejected(400, exc.reason, str(exc)) from None
        events, errors = validate_payload(
            value, articles=self.articles, live=True, max_events=self.settings.max_events
        )
        if errors:
            shown = [{"path": e.path, "message": e.message} for e in errors[:MAX_ERRORS_SHOWN]]
            raise Rejected(422, errors[0].reason, str(errors[0]), errors=shown)
        return events

    def _client_key(self, request: Request) -> str:
        peer = request.client.host if request.client else None
        address = client_address(peer, request.headers.get("x-forwarded-for"),
                                 self.settings.trusted_proxies)
        day = self.keys.day
        key = self.keys.key(address)
        if day and day != self.keys.day:
            self.limiter.reset()  # new salt: yesterday's buckets can never match again
        return key

    def _check_rate(self, key: str, cost: int, *, take: bool) -> None:
        wait = self.limiter.wait_time(key, cost, take=take)
        if wait:
            raise Rejected(429, "rate_limited", "too many events from this client; retry later",
                           retry_after=math.ceil(wait))

    def _headers(self, exc: Rejected, cors: dict) -> dict:
        headers = dict(cors)
        if "retry_after" in exc.extra:
            headers["Retry-After"] = str(exc.extra.pop("retry_after"))
        if exc.extra.pop("retry", False):
            headers["Retry-After"] = str(self.settings.retry_after_s)
        return headers
