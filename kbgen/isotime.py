"""ISO 8601 times as kbgen reads them: the one parser behind event times (the help API and
imports), report windows (`--since`/`--until`) and ticket creation times.

One grammar: a date (`2026-11-24`, its midnight) or a date and time with `T` or a space
(`2026-11-24T10:02:03Z`, `2026-11-24 10:02 +0100`), an offset or `Z`/`z` for UTC. What a time
without an offset means is the caller's choice: UTC (windows, tickets) or an error (event
times, which must say their zone).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# `... 10:30 +0100` or `+01:00` after a space, as helpdesk exports write it.
_SPACED_OFFSET = re.compile(r"\s+([+-]\d{2}):?(\d{2})$")


class IsoTimeError(ValueError):
    """Not a usable time; the message says what it must be (without the value)."""


def parse_iso(text: str, *, naive_is_utc: bool = True) -> datetime:
    """The instant `text` names, as an aware datetime in the offset it was written with (not
    converted: years 1 and 9999 stay representable). A time without an offset is UTC when
    `naive_is_utc`, else IsoTimeError."""
    value = _SPACED_OFFSET.sub(r"\1:\2", text.strip())
    if value[-1:] == "z":
        value = value[:-1] + "Z"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise IsoTimeError("must be an ISO 8601 time such as 2026-11-24T10:02:03Z") from None
    if moment.tzinfo is None:
        if not naive_is_utc:
            raise IsoTimeError("needs a time zone, e.g. a trailing Z for UTC")
        moment = moment.replace(tzinfo=UTC)
    return moment


def to_ms(moment: datetime) -> int:
    """Exact integer milliseconds since 1970 (no float rounding) of an aware datetime."""
    delta = moment - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000
