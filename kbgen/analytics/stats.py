"""Small formulas the metrics share: rates that are None without a denominator, Wilson, NPS."""

from __future__ import annotations

import math

# Normal quantile for a two-sided 95% interval, as in Wilson (1927) and most CSAT tools.
Z_95 = 1.96
# Below this many votes the table and dashboard show "n/a" instead of a percentage.
MIN_VOTES = 5
# A CSAT lower bound (Wilson 95%) under this, from MIN_VOTES votes, is low: "What to do next"
# says fix the article, and the dashboard shows its title in red with a "low CSAT" tag.
LOW_CSAT = 0.5


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


def wilson_interval(positive: int, total: int, z: float = Z_95) -> tuple[float, float] | None:
    """(lower, upper) of the Wilson score interval; None with no observations."""
    if total <= 0:
        return None
    p = positive / total
    z2 = z * z
    centre = p + z2 / (2 * total)
    margin = z * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total))
    scale = 1 + z2 / total
    return max(0.0, (centre - margin) / scale), min(1.0, (centre + margin) / scale)


def difference_interval(
    pos_after: int, n_after: int, pos_before: int, n_before: int, z: float = Z_95
) -> tuple[float, float] | None:
    """95 % interval of p_after − p_before for two independent proportions: Newcombe's
    hybrid score method (1998, method 10), built from the two Wilson intervals; it keeps its
    coverage with small counts and rates near 0 or 1, where the Wald interval does not."""
    after, before = wilson_interval(pos_after, n_after, z), wilson_interval(pos_before, n_before, z)
    if after is None or before is None:
        return None
    p2, p1 = pos_after / n_after, pos_before / n_before
    (l2, u2), (l1, u1) = after, before
    delta = p2 - p1
    return (delta - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2),
            delta + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2))


def nps(promoters: int, detractors: int, total: int) -> float | None:
    """% promoters − % detractors, on the −100…100 scale; None with no answers."""
    if total <= 0:
        return None
    return 100.0 * (promoters - detractors) / total


def normalise_query(query: str | None) -> str:
    """A search as reports group it: lower-cased, trimmed, inner whitespace collapsed."""
    return " ".join((without_nul(query) or "").split()).lower()


def without_nul(text: str | None) -> str | None:
    """Stored text as every store keeps it now: each NUL (which older SQLite stores kept)
    shown as U+FFFD, as `kbgen events import` stores it, so reports agree across stores."""
    return text.replace("\x00", "\ufffd") if text and "\x00" in text else text
