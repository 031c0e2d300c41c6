"""The one way an event reaches the store, whichever route it enters by.

POST /api/events and the `search` event that GET /api/search records both go through
`EventIntake.admit` (then `commit`), so the same checks hold for both (THREATS.md 10, 11, 14,
15): an allowed origin (403), Do Not Track / Global Privacy Control (nothing stored),
the event validator (422), bots dropped, the per-client rate limiter (429), then server times
that keep the client's order (`SessionClock`) and the group commit (503 with Retry-After
when the store cannot write, for any store failure: never a 500).

A refused event is a `Rejected`; its `reason` is counted in the rejection counters.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Container
from dataclasses import dataclass

from starlette.requests import Request

from kbgen.api.clients import ClientKeys, client_address, is_bot
from kbgen.api.group_commit import BatchWriter
from kbgen.api.origins import OriginPolicy
from kbgen.api.ratelimit import RateLimiter
from kbgen.api.settings import ApiSettings
from kbgen.api.stamps import SessionClock
from kbgen.errors import ServiceUnavailable
from kbgen.events import validate_payload

log = logging.getLogger(__name__)

MAX_ERRORS_SHOWN = 20


class Rejected(Exception):
    """An event (or request) not stored: `status` to answer, `reason` to count `n` times.
    Status 204 means dropped on purpose (privacy, bots): nothing to tell the client."""

    def __init__(self, status: int, reason: str, message: str = "", *, n: int = 1,
                 **extra) -> None:
        super().__init__(message)
        self.status, self.reason, self.n, self.extra = status, reason, n, extra


@dataclass
class EventIntake:
    settings: ApiSettings
    writer: BatchWriter
    articles: Container[str] | None  # article ids, or None to accept any well-formed id
    origins: OriginPolicy
    limiter: RateLimiter
    keys: ClientKeys
    clock: SessionClock

    # -- the checks, cheapest first; POST runs the first ones before reading its body -----

    def check_origin(self, request: Request) -> None:
        if not self.origins.allows(request.headers.get("origin")):
            raise Rejected(403, "forbidden_origin", "origin not allowed")

    @staticmethod
    def check_tracking(request: Request) -> None:
        if request.headers.get("dnt") == "1" or request.headers.get("sec-gpc") == "1":
            raise Rejected(204, "do_not_track")

    def client_key(self, request: Request) -> str:
        peer = request.client.host if request.client else None
        address = client_address(peer, request.headers.get("x-forwarded-for"),
                                 self.settings.trusted_proxies)
        day = self.keys.day
        key = self.keys.key(address)
        if day and day != self.keys.day:
            self.limiter.reset()  # new salt: yesterday's buckets can never match again
        return key

    def check_rate(self, key: str, cost: int, *, take: bool) -> None:
        wait = self.limiter.wait_time(key, cost, take=take)
        if wait:
            raise Rejected(429, "rate_limited", "too many events from this client; retry later",
                           retry_after=math.ceil(wait))

    def validate(self, value: object) -> list[dict]:
        events, errors = validate_payload(
            value, articles=self.articles, live=True, max_events=self.settings.max_events
        )
        if errors:
            shown = [{"path": e.path, "message": e.message} for e in errors[:MAX_ERRORS_SHOWN]]
            raise Rejected(422, errors[0].reason, str(errors[0]), errors=shown)
        return events

    def admit(self, request: Request, value: object, key: str | None = None) -> list[dict]:
        """Every check, in order, on a decoded JSON value (one event or an array): the clean
        events with their server times, or `Rejected`. Nothing is queued yet."""
        self.check_origin(request)
        self.check_tracking(request)
        key = key or self.client_key(request)
        events = self.validate(value)
        if self.settings.drop_bots and is_bot(request.headers.get("user-agent")):
            raise Rejected(204, "bot", n=len(events))
        self.check_rate(key, len(events), take=True)
        self.clock.stamp(events)
        return events

    async def commit(self, events: list[dict]) -> int:
        """Store admitted events with the next group commit; how many were new.
        Any store failure is a 503 with Retry-After: the client keeps the events and retries."""
        try:
            return await self.writer.submit(events)
        except ServiceUnavailable as exc:
            raise Rejected(503, "unavailable", str(exc), retry=True) from None
        except Exception as exc:  # a store error the writer could not isolate or retry
            log.error("Events not stored: the store refused them (%s)", type(exc).__name__)
            raise Rejected(503, "store_error", "the events could not be stored right now; "
                           "retry later", retry=True) from None

    def count(self, refused: Rejected) -> None:
        self.writer.count(refused.reason, refused.n)
