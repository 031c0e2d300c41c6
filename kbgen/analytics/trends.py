"""Weekly series (Monday to Sunday, UTC) for the dashboard's headline trends and charts.

Each week says how many of its days the window covers (`days`): the first and last weeks of
a window are usually partial, and the dashboard marks them so a short week is not read as a
drop."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from kbgen.analytics.collect import WEEK_MS, Collected, SessionWeek, week_index, week_start_ms
from kbgen.analytics.daily import DAY_MS
from kbgen.analytics.stats import nps, ratio
from kbgen.analytics.window import Window


def weekly(collected: Collected, window: Window) -> list[dict[str, Any]]:
    """One entry per calendar week that overlaps the window, empty weeks included."""
    first, last = week_index(window.since_ms), week_index(window.until_ms - 1)
    return [_week(collected, index) | {"days": _days_in(window, index)}
            for index in range(first, last + 1)]


def _days_in(window: Window, index: int) -> int:
    """How many of the week's 7 days the window covers (a part of a day counts as one):
    under 7 marks a partial week, whose counts are not comparable with a whole one."""
    start = week_start_ms(index)
    covered = min(window.until_ms, start + WEEK_MS) - max(window.since_ms, start)
    return max(0, -(-covered // DAY_MS))


def _week(c: Collected, index: int) -> dict[str, Any]:
    s = c.weeks.get(index, SessionWeek())
    yes, no = c.votes_by_week.get(index, [0, 0])
    promoters, detractors, answers = c.nps_by_week.get(index, [0, 0, 0])
    searches, zero = c.searches_by_week.get(index, [0, 0])
    start = datetime.fromtimestamp(week_start_ms(index) / 1000, UTC)
    return {
        "week": start.date().isoformat(),
        "sessions": s.sessions,
        "events": s.events,
        "help_sessions": s.help_sessions,
        "contact_sessions": s.contact_sessions,
        "self_service_score": ratio(s.help_sessions, s.contact_sessions),
        "deflection_rate": ratio(s.help_without_contact, s.help_sessions),
        "contact_page_sessions": s.contact_page_sessions,
        "contact_page_deflected": s.contact_page_deflected,
        "helpful": yes,
        "not_helpful": no,
        "csat": ratio(yes, yes + no),
        "nps": nps(promoters, detractors, answers),
        "searches": searches,
        "zero_results": zero,
        "zero_result_rate": ratio(zero, searches),
    }
