"""Numbers per article revision, and "did the last edit help?".

Views and votes carry the revision the customer read (`rev`, SPEC "Events"); events sent
before pages carried one are left out of the per-revision numbers (they still count in the
article's totals). Each revision's CSAT and contact-after-view follow SPEC's definitions
within that revision: the last vote of each session on it, and the sessions that contacted
support within 24 hours after their first view of it.

`last_change` compares the newest revision with the one before it. A difference is given
only with at least MIN_CHANGE_VOTES votes (CSAT) or MIN_CHANGE_SESSIONS view sessions
(contact after view) on both sides, with its 95 % interval (Newcombe's hybrid score
method); otherwise the verdict is "not enough votes yet".
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from kbgen.analytics.stats import difference_interval, ratio, wilson_lower
from kbgen.analytics.window import iso

MIN_CHANGE_VOTES = 10
MIN_CHANGE_SESSIONS = 30
NOT_ENOUGH = "not enough votes yet"

_WINDOW = "ts >= :since AND ts < :until"

# Per article and revision: views, view sessions, sessions that contacted support within a
# day after their first view of that revision, and the first view's time.
REVISION_VIEWS = f"""
WITH fv AS (
    SELECT article, rev, session, MIN(ts) AS first_ts, COUNT(*) AS n
    FROM events
    WHERE type = 'view' AND rev IS NOT NULL AND {_WINDOW}
    GROUP BY article, rev, session
)
SELECT fv.article, fv.rev, SUM(fv.n), COUNT(*),
       SUM(CASE WHEN EXISTS (
               SELECT 1 FROM events c
               WHERE c.session = fv.session AND c.type = 'contact' AND c.stage = 'submit'
                 AND c.ts > fv.first_ts AND c.ts <= fv.first_ts + :day
                 AND c.ts >= :since AND c.ts < :until
           ) OR EXISTS (
               SELECT 1 FROM tickets t
               WHERE t.session = fv.session
                 AND t.ts > fv.first_ts AND t.ts <= fv.first_ts + :day
                 AND t.ts >= :since AND t.ts < :until
           ) THEN 1 ELSE 0 END),
       MIN(fv.first_ts)
FROM fv
GROUP BY fv.article, fv.rev
"""

# Per article and revision: the last vote of each session on that revision.
REVISION_VOTES = f"""
WITH v AS (
    SELECT article, rev, helpful, ts,
           ROW_NUMBER() OVER (
               PARTITION BY article, rev, session ORDER BY ts DESC, received DESC, id DESC
           ) AS rn
    FROM events
    WHERE type = 'vote' AND rev IS NOT NULL AND {_WINDOW}
)
SELECT article, rev, SUM(helpful), SUM(1 - helpful), MIN(ts)
FROM v
WHERE rn = 1
GROUP BY article, rev
"""


def revision_counts(store: Any, params: dict[str, Any]) -> dict[str, dict[str, dict]]:
    """article -> rev -> counters, from the events of the window."""
    out: dict[str, dict[str, dict]] = defaultdict(dict)

    def entry(article: str, rev: str) -> dict:
        return out[article].setdefault(rev, {"views": 0, "view_sessions": 0, "contacted": 0,
                                             "helpful": 0, "not_helpful": 0, "first": None})

    for article, rev, views, sessions, contacted, first in store.query(REVISION_VIEWS, params):
        row = entry(article, rev)
        row.update(views=int(views), view_sessions=int(sessions), contacted=int(contacted))
        row["first"] = _earliest(row["first"], int(first))
    for article, rev, yes, no, first in store.query(REVISION_VOTES, params):
        row = entry(article, rev)
        row.update(helpful=int(yes or 0), not_helpful=int(no or 0))
        row["first"] = _earliest(row["first"], int(first))
    return out


def _earliest(a: int | None, b: int) -> int:
    return b if a is None else min(a, b)


def add_revisions(rows: list[dict[str, Any]], counts: dict[str, dict[str, dict]],
                  history: dict[str, list[dict[str, Any]]]) -> None:
    """Give every article row `revisions` (newest first) and `last_change`."""
    for row in rows:
        revisions = revision_rows(counts.get(row["id"], {}), history.get(row["id"], []))
        row["revisions"] = revisions
        row["last_change"] = last_change(revisions[0], revisions[1]) \
            if len(revisions) >= 2 else None


def revision_rows(counts: dict[str, dict], history: list[dict[str, Any]]) -> list[dict]:
    """The current revision, and every revision read in the window, newest first."""
    known: dict[Any, dict[str, Any]] = {}  # by rev (None for an entry without one)
    for entry in history:  # newest first: a revision restored later keeps its newest date
        known.setdefault(entry.get("rev"), entry)
    revs: set[Any] = set(counts)
    if history:
        revs.add(history[0].get("rev"))
    rows = []
    for rev in revs:
        if not rev:
            continue
        c = counts.get(rev) or {"views": 0, "view_sessions": 0, "contacted": 0,
                                "helpful": 0, "not_helpful": 0, "first": None}
        meta = known.get(rev, {})
        since = meta.get("since") or (_iso_ms(c["first"]) if c["first"] is not None else None)
        votes = c["helpful"] + c["not_helpful"]
        rows.append({
            "rev": rev,
            "since": since,
            "commit": meta.get("commit"),
            "views": c["views"],
            "view_sessions": c["view_sessions"],
            "helpful": c["helpful"],
            "not_helpful": c["not_helpful"],
            "votes": votes,
            "csat": ratio(c["helpful"], votes),
            "csat_lower": wilson_lower(c["helpful"], votes),
            "contacted_sessions": c["contacted"],
            "contact_after_view": ratio(c["contacted"], c["view_sessions"]),
        })
    # Newest first by `since`; two builds within one second record the same `since`, so the
    # history's own order (newest first) breaks the tie, then revisions it does not know.
    order = {entry.get("rev"): -n for n, entry in reversed(list(enumerate(history)))}
    rows.sort(key=lambda r: (r["since"] or "", order.get(r["rev"], -len(history) - 1),
                             r["rev"]), reverse=True)
    return rows


def _iso_ms(ms: int) -> str:
    return iso(datetime.fromtimestamp(ms / 1000, UTC).replace(microsecond=0))


def last_change(after: dict[str, Any], before: dict[str, Any]) -> dict[str, Any]:
    """The newest revision against the one before it, with 95 % intervals when both sides
    have enough traffic."""
    change: dict[str, Any] = {
        "rev": after["rev"], "previous_rev": before["rev"], "since": after["since"],
        "votes_before": before["votes"], "votes_after": after["votes"],
        "csat_before": None, "csat_after": None, "csat_delta": None, "csat_delta_ci": None,
        "view_sessions_before": before["view_sessions"],
        "view_sessions_after": after["view_sessions"],
        "contact_after_view_before": None, "contact_after_view_after": None,
        "contact_after_view_delta": None, "contact_after_view_delta_ci": None,
    }
    signals = []
    # The intervals are None only without votes or sessions, which the bounds exclude.
    ci = difference_interval(after["helpful"], after["votes"], before["helpful"], before["votes"])
    if min(before["votes"], after["votes"]) >= MIN_CHANGE_VOTES and ci is not None:
        change.update(csat_before=before["csat"], csat_after=after["csat"],
                      csat_delta=after["csat"] - before["csat"], csat_delta_ci=list(ci))
        signals.append(_direction(ci, better_when_higher=True))
    ci = difference_interval(after["contacted_sessions"], after["view_sessions"],
                             before["contacted_sessions"], before["view_sessions"])
    if min(before["view_sessions"], after["view_sessions"]) >= MIN_CHANGE_SESSIONS \
            and ci is not None:
        change.update(
            contact_after_view_before=before["contact_after_view"],
            contact_after_view_after=after["contact_after_view"],
            contact_after_view_delta=after["contact_after_view"] - before["contact_after_view"],
            contact_after_view_delta_ci=list(ci))
        signals.append(_direction(ci, better_when_higher=False))
    change["verdict"] = _verdict(signals)
    return change


def _direction(ci: tuple[float, float], *, better_when_higher: bool) -> int:
    """+1 better, −1 worse, 0 when the interval includes no change."""
    lo, hi = ci
    if lo > 0:
        return 1 if better_when_higher else -1
    if hi < 0:
        return -1 if better_when_higher else 1
    return 0


def _verdict(signals: list[int]) -> str:
    if not signals:
        return NOT_ENOUGH
    if 1 in signals and -1 in signals:
        return "mixed: one measure better, the other worse"
    if 1 in signals:
        return "helped"
    if -1 in signals:
        return "made it worse"
    return "no clear change"
