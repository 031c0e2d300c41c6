"""How the human-facing reports write numbers: percentages, n/a, thousands separators."""

from __future__ import annotations

from typing import Any

from kbgen.analytics.stats import MIN_VOTES

NA = "n/a"


def pct(value: float | None, digits: int = 1) -> str:
    return NA if value is None else f"{value * 100:.{digits}f}%"


def count(value: int | None) -> str:
    return NA if value is None else f"{value:,}"


def score(value: float | None) -> str:
    """Self-service score: help sessions per contact session."""
    return NA if value is None else f"{value:.2f}"


def nps(value: float | None) -> str:
    return NA if value is None else f"{value:+.0f}"


def csat(row: dict[str, Any]) -> str:
    """CSAT as a percentage from MIN_VOTES votes on, "n/a" below (SPEC: no misleading %)."""
    return pct(row["csat"], 0) if row["votes"] >= MIN_VOTES else NA


def csat_lower(row: dict[str, Any]) -> str:
    return pct(row["csat_lower"], 0) if row["votes"] >= MIN_VOTES else NA


def title(row: dict[str, Any]) -> str:
    return row.get("title") or row.get("id") or ""
