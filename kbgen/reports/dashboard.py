"""`--format html`: a self-contained dashboard for support leads (no network, no CDN).

The page is templates/dashboard.html.j2 and the templates it includes, rendered with
autoescape (templating.py): every value from the report is HTML-escaped unless this module
marks it safe, and only page.py's constants are. Customer text sits in `<bdi>` so a bidi
override cannot reorder the page around it; the CSP (see `page.py`) allows only the page's
own stylesheet and sorting script.
"""

from __future__ import annotations

from typing import Any

from kbgen.analytics.articles import by_attention
from kbgen.analytics.stats import MIN_VOTES
from kbgen.reports import numbers as fmt
from kbgen.reports import page, svg
from kbgen.reports.drivers import KIND_TEXT, TOP_TOPICS, safe_link
from kbgen.reports.inbox import feedback_groups
from kbgen.reports.templating import render

TOP_SEARCHES = 25


def render_html(report: dict[str, Any]) -> str:
    searches = report["searches"]
    zero = sorted((r for r in searches if r["zero_results"]),
                  key=lambda r: (-r["zero_results"], r["query"]))
    return render(
        "dashboard.html.j2", r=report, name=report.get("site_name") or "Help center",
        **page.fixed_parts(report),
        cards=_cards(report), charts=_charts(report),
        articles=by_attention(report["articles"]), breakdowns=report.get("breakdowns") or {},
        languages=report.get("languages") or [],
        top_searches=searches[:TOP_SEARCHES], zero_searches=zero[:TOP_SEARCHES],
        feedback_groups=feedback_groups(report.get("feedback") or []),
        rejections=sorted((report.get("rejections") or {}).items()),
        safe_link=safe_link, KIND_TEXT=KIND_TEXT, TOP_TOPICS=TOP_TOPICS,
    )


def _trend(weekly: list[float | None], show) -> str:
    known = [v for v in weekly if v is not None]
    if len(known) < 2:
        return "weekly trend: not enough data"
    return f"last week with data {show(known[-1])}, the week before {show(known[-2])}"


def _cards(r: dict[str, Any]) -> list[dict[str, Any]]:
    s, weeks = r["site"], r.get("trends") or []
    votes = s.get("helpful", 0) + s.get("not_helpful", 0)
    specs = [
        ("Self-service score", fmt.score(s["self_service_score"]), "self_service_score",
         fmt.score),
        ("Deflection (help sessions without contact)", fmt.pct(s["deflection_rate"]),
         "deflection_rate", fmt.pct),
        ("CSAT (lower bound)", f"{fmt.csat({'csat': s.get('csat'), 'votes': votes})} "
         f"({fmt.csat_lower({'csat_lower': s.get('csat_lower'), 'votes': votes})})", "csat",
         fmt.pct),
        ("NPS", fmt.nps(s["nps"]), "nps", fmt.nps),
        ("Zero-result searches", fmt.pct(s.get("zero_result_rate")), "zero_result_rate",
         fmt.pct),
    ]
    cards = []
    for label, value, key, show in specs:
        weekly = [w.get(key) for w in weeks]
        cards.append({"label": label, "value": value, "spark": svg.sparkline(weekly),
                      "trend": _trend(weekly, show)})
    return cards


def _charts(r: dict[str, Any]) -> list[tuple[str, str, dict[str, Any] | None]]:
    """(title, kind of chart: a macro of templates/svg.html.j2, its geometry or None)."""
    weeks = r.get("trends") or []
    rated = [a for a in r["articles"] if a["votes"] >= MIN_VOTES]
    worst = sorted(rated, key=lambda a: (a["csat_lower"], -a["votes"]))[:8]
    best = sorted(r["articles"], key=lambda a: -a["deflected_sessions"])[:8]
    top = max([a["deflected_sessions"] for a in best] + [1])
    return [
        ("Help and contact sessions per week", "columns", svg.columns(
            [w["week"] for w in weeks], [
                ("help sessions", [w["help_sessions"] for w in weeks], svg.ACCENT),
                ("contact sessions", [w["contact_sessions"] for w in weeks], svg.BAD),
            ], "Help and contact sessions per week")),
        (f"Lowest CSAT lower bound (from {MIN_VOTES} votes)", "hbars", svg.hbars(
            [(fmt.title(a), a["csat_lower"], f"{fmt.pct(a['csat_lower'], 0)} of "
              f"{a['votes']} votes") for a in worst], svg.BAD, "Lowest CSAT lower bound")),
        ("Most deflected sessions", "hbars", svg.hbars(
            [(fmt.title(a), a["deflected_sessions"] / top, f"{a['deflected_sessions']:,}")
             for a in best if a["deflected_sessions"]], svg.GOOD, "Most deflected sessions")),
    ]
