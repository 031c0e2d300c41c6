"""Small formulas the metrics share: rates that are None without a denominator, Wilson, NPS."""

from __future__ import annotations

import math

# Normal quantile for a two-sided 95% interval, as in Wilson (1927) and most CSAT tools.
Z_95 = 1.96
# Below this many votes the table and dashboard show "n/a" instead of a percentage.
MIN_VOTES = 5


def ratio(part: float, whole: float) -> float | None:
    """part / whole, or None when there is nothing to divide by (SPEC: `null`)."""
    return part / whole if whole else None


def wilson_lower(positive: int, total: int, z: float = Z_95) -> float | None:
    """Lower bound of the Wilson score interval for positive/total; None with no votes."""
    if total <= 0:
        return None
    p = positive / total
    z2 = z * z
    centre = p + z2 / (2 * total)
    margin = z * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total))
    return max(0.0, (centre - margin) / (1 + z2 / total))


def nps(promoters: int, detractors: int, total: int) -> float | None:
    """% promoters − % detractors, on the −100…100 scale; None with no answers."""
    if total <= 0:
        return None
    return 100.0 * (promoters - detractors) / total


def normalise_query(query: str | None) -> str:
    """A search as reports group it: lower-cased, trimmed, inner whitespace collapsed."""
    return " ".join(without_nul(query or "").split()).lower()


def without_nul(text: str | None) -> str | None:
    """Stored text as every store keeps it now: each NUL (which older SQLite stores kept)
    shown as U+FFFD, as `kbgen events import` stores it, so reports agree across stores."""
    return text.replace("\x00", "\ufffd") if text and "\x00" in text else text
