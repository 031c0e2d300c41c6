""""What to do next": the few edits that would prevent the most contacts.

Candidates come from the contact drivers (write an article for a gap, fix a failing one,
make an unfound one findable), articles with a low CSAT lower bound, and articles past
their review date. Each is scored by the contacts it stands for in the window — a topic's
tickets, an article's sessions that contacted support after reading it — and actions on
the same article merge, their evidence listed together.
"""

from __future__ import annotations

from typing import Any

from kbgen.analytics.stats import LOW_CSAT, MIN_VOTES
from kbgen.reports import dates

TOP_ACTIONS = 8


def next_actions(report: dict[str, Any], topics: list[dict[str, Any]],
                 sources: dict[str, str], links: dict[str, str]) -> list[dict[str, Any]]:
    """[{action, kind, article, title, link, source, contacts, evidence: [...]}], best first."""
    by_article: dict[str, dict[str, Any]] = {}
    actions: list[dict[str, Any]] = []
    rows = {a["id"]: a for a in report.get("articles") or []}

    def article_action(article: str, verb: str, kind: str) -> dict[str, Any]:
        if article not in by_article:
            row = rows.get(article, {})
            by_article[article] = {
                "action": verb, "kind": kind, "article": article,
                "title": row.get("title") or article, "link": links.get(article),
                "source": sources.get(article), "contacts": 0, "evidence": []}
            actions.append(by_article[article])
        return by_article[article]

    for t in topics:
        n = len(t["tickets"])
        trend = f"{t['previous']:,} in the previous window"
        if t["kind"] == "gap":
            actions.append({
                "action": "Write an article", "kind": "gap", "article": None,
                "title": t["label"], "link": None, "source": None, "contacts": n,
                "evidence": [f"{n:,} tickets no article answers ({trend}); "
                             f"{t['searches']:,} searches in their sessions"],
                "examples": t["examples"]})
            continue
        verb = "Fix the article" if t["kind"] == "failing" else \
            "Make the article findable (title, keywords, related links)"
        act = article_action(t["article"], verb, t["kind"])
        act["contacts"] += n
        what = "read it and still contacted support" if t["kind"] == "failing" else \
            "searched, saw results and never opened it"
        act["evidence"].append(f"{n:,} tickets about \u201c{t['label']}\u201d: customers {what}"
                               f" ({trend}; {t['comments']:,} \u201cNo\u201d comments)")
        act.setdefault("examples", t["examples"])
    for row in rows.values():
        if row.get("votes", 0) >= MIN_VOTES and (row.get("csat_lower") or 0) < LOW_CSAT:
            act = article_action(row["id"], "Fix the article", "low_csat")
            contacted = round((row.get("contact_after_view") or 0) * row.get("view_sessions", 0))
            act["contacts"] = max(act["contacts"], contacted)
            act["evidence"].append(
                f"CSAT lower bound {row['csat_lower']:.0%} over {row['votes']:,} votes; "
                f"{contacted:,} sessions contacted support after reading it")
    for row in report.get("stale") or []:
        act = article_action(row["id"], "Review the article", "overdue")
        if act["kind"] == "overdue":
            reading = rows.get(row["id"], {})
            act["contacts"] = round((reading.get("contact_after_view") or 0)
                                    * reading.get("view_sessions", 0))
        due = dates.date_text(row.get("due")) or "an unknown date"
        act["evidence"].append(f"review overdue since {due}"
                               + (f" (owner {row['owner']})" if row.get("owner") else ""))
    actions.sort(key=lambda a: (-a["contacts"], a["kind"] == "overdue", str(a["title"])))
    return actions[:TOP_ACTIONS]
