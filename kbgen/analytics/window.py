"""The time window a report reads: `--since` / `--until`, default the last 30 days and today.

Bounds are instants in UTC. `since` is inclusive and `until` exclusive, so consecutive windows
never count an event twice: `--since 2026-10-25 --until 2026-11-24` reads the 30 whole days
from 25 October up to, not including, 24 November. A date means its midnight UTC; an ISO
time without an offset is read as UTC. Without options the window runs from midnight 30 days
ago to the end of today, so today's events (and `kbgen demo`'s 30 days) are all in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from kbgen.errors import UsageError
from kbgen.isotime import IsoTimeError, parse_iso, to_ms

DEFAULT_DAYS = 30


@dataclass(frozen=True)
class Window:
    since: datetime
    until: datetime

    @property
    def since_ms(self) -> int:
        return to_ms(self.since)

    @property
    def until_ms(self) -> int:
        return to_ms(self.until)

    def as_dict(self) -> dict[str, str]:
        return {"since": iso(self.since), "until": iso(self.until)}


def iso(moment: datetime) -> str:
    """`2026-11-24T00:00:00Z`, or with milliseconds when the instant has them."""
    moment = moment.astimezone(UTC)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond // 1000:03d}"
    return text + "Z"


def parse_when(text: str, option: str) -> datetime:
    """A `YYYY-MM-DD` date (midnight UTC) or an ISO 8601 time; UsageError names the option."""
    try:
        return parse_iso(text).astimezone(UTC)
    except (IsoTimeError, OverflowError) as exc:
        raise UsageError(
            f"{option} '{text}' is not a date. Fix: use YYYY-MM-DD or an ISO 8601 time "
            "such as 2026-11-24T10:00:00Z."
        ) from exc


def midnight(now: datetime | None = None) -> datetime:
    """The start of the current UTC day."""
    today = (now or datetime.now(UTC)).astimezone(UTC).date()
    return datetime(today.year, today.month, today.day, tzinfo=UTC)


def make_window(
    since: str | None = None, until: str | None = None, now: datetime | None = None
) -> Window:
    """The report window; by default the 30 days before today and today itself (UTC)."""
    today = midnight(now)
    end = parse_when(until, "--until") if until else today + timedelta(days=1)
    if since:
        start = parse_when(since, "--since")
    else:
        start = (end if until else today) - timedelta(days=DEFAULT_DAYS)
    if start >= end:
        raise UsageError(
            f"--since {iso(start)} is not before --until {iso(end)}. "
            "Fix: give an earlier --since or a later --until."
        )
    return Window(start, end)
