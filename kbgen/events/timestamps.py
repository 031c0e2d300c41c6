"""Event times on the wire (ISO 8601 text) and in the store (integer milliseconds, UTC)."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from kbgen.isotime import IsoTimeError, parse_iso, to_ms

# 1970-01-01 .. 9999-12-31: anything outside is a typo or an attack, not an event time.
MIN_MS = 0
MAX_MS = 253_402_300_799_999


class TimestampError(ValueError):
    """A `ts` value that is not a usable event time; the message says what to send instead."""


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def parse_ts(value: object) -> int:
    """ISO 8601 with a time zone ("2026-11-24T10:02:03Z") or integer milliseconds -> ms UTC."""
    if isinstance(value, bool):
        raise TimestampError("must be an ISO 8601 time such as 2026-11-24T10:02:03Z")
    if isinstance(value, int):
        if not MIN_MS <= value <= MAX_MS:
            raise TimestampError("milliseconds must lie between 1970 and 9999")
        return value
    if not isinstance(value, str) or len(value) > 40:
        raise TimestampError("must be an ISO 8601 time such as 2026-11-24T10:02:03Z")
    try:
        ms = to_ms(parse_iso(value, naive_is_utc=False))
    except IsoTimeError as exc:
        raise TimestampError(str(exc)) from None
    if not MIN_MS <= ms <= MAX_MS:
        raise TimestampError("must lie between 1970 and 9999")
    return ms


def format_ts(ms: int) -> str:
    """Integer milliseconds -> 'YYYY-MM-DDTHH:MM:SS.mmmZ' (the export format)."""
    seconds, millis = divmod(int(ms), 1000)
    moment = datetime.fromtimestamp(seconds, tz=UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{millis:03d}Z"


def utc_day(ms: int | None = None) -> str:
    """The UTC calendar day of `ms` (default: now) as YYYY-MM-DD."""
    seconds = (now_ms() if ms is None else ms) // 1000
    return f"{datetime.fromtimestamp(seconds, tz=UTC):%Y-%m-%d}"
