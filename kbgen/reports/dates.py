"""How the human-facing reports write dates and times: "1–31 Oct 2026", "6 Dec 2026 06:19".

The report's JSON keeps ISO 8601 (SPEC.md); people read day month year, in UTC like every
bound of the report, always to the minute, so one table never mixes precisions. A value that
is not a date (a report edited by hand) is shown as it is: the templates escape it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from kbgen.isotime import IsoTimeError, parse_iso

DASH = "\u2013"  # en dash, for ranges
# English month abbreviations, not the process locale's: the report reads the same anywhere.
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _moment(text: str) -> datetime:
    return parse_iso(text).astimezone(UTC)


def _mon(d: date) -> str:
    return MONTHS[d.month - 1]


def day(d: date) -> str:
    """`7 Nov 2026`."""
    return f"{d.day} {_mon(d)} {d.year}"


def moment(text: str | None) -> str:
    """An ISO time as `6 Dec 2026 06:19` (UTC, to the minute); "" for none."""
    if not text:
        return ""
    try:
        t = _moment(text)
    except (IsoTimeError, ValueError, OverflowError):
        return text
    return f"{day(t.date())} {t:%H:%M}"


def days(first: date, last: date, year: bool = True) -> str:
    """An inclusive range of days: `1–31 Oct 2026`, `7 Nov – 7 Dec 2026`, `7 Dec 2026`."""
    tail = f" {last.year}" if year else ""
    if first == last:
        return f"{first.day} {_mon(first)}{tail}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}{DASH}{last.day} {_mon(last)}{tail}"
    if first.year == last.year:
        return f"{first.day} {_mon(first)} {DASH} {last.day} {_mon(last)}{tail}"
    return f"{day(first)} {DASH} {day(last)}"


def window(since: str, until: str) -> str:
    """The report window (`until` excluded) in words: whole UTC days as a range of days,
    anything else to the minute."""
    try:
        start, end = _moment(since), _moment(until)
    except (IsoTimeError, ValueError, OverflowError):
        return f"{since} to {until}"
    if _is_midnight(start) and _is_midnight(end):
        return days(start.date(), (end - timedelta(days=1)).date())
    return f"{moment(since)} {DASH} {moment(until)} UTC (end excluded)"


def week(start: str, in_window: int) -> str:
    """A Monday-to-Sunday week, `2–8 Nov 2026`, marked when the window holds only part of it."""
    try:
        first = date.fromisoformat(start)
    except ValueError:
        return start
    text = days(first, first + timedelta(days=6))
    return text if in_window >= 7 else f"{text} (partial: {in_window} of 7 days)"


def short_week(start: str) -> str:
    """The week's Monday for a chart axis: `2 Nov`."""
    try:
        first = date.fromisoformat(start)
    except ValueError:
        return start
    return f"{first.day} {_mon(first)}"


def _is_midnight(t: datetime) -> bool:
    return (t.hour, t.minute, t.second, t.microsecond) == (0, 0, 0, 0)


def date_text(text: str | None) -> str:
    """A `YYYY-MM-DD` date as `25 Nov 2026`; anything else as it is."""
    try:
        return day(date.fromisoformat(text)) if text else ""
    except ValueError:
        return text or ""


def previous_window(since: str, until: str) -> str:
    """The window of equal length just before this one (the contact drivers' "Previous")."""
    try:
        start, end = _moment(since), _moment(until)
    except (IsoTimeError, ValueError, OverflowError):
        return "the window of equal length before this one"
    before = start - (end - start)
    return window(before.isoformat(), start.isoformat())
