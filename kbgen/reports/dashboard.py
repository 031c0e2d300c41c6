"""`--format html`: a self-contained dashboard for support leads (no network, no CDN).

The page is templates/dashboard.html.j2 and the templates it includes, rendered with
autoescape (templating.py): every value from the report is HTML-escaped unless this module
marks it safe, and only page.py's constants are. Customer text sits in `<bdi>` so a bidi
override cannot reorder the page around it; the CSP (see `page.py`) allows only the page's
own stylesheet and sorting script. Article links come from `links.ArticleLinks` and pass
`safe_link` (web pages and relative paths only).

Each section is a template that dashboard.html.j2 includes in order. A new breakdown (e.g.
by language) is one more entry of the report's `breakdowns`: breakdowns.html.j2 shows every
entry, whatever its name, with the same columns.
"""

from __future__ import annotations

from typing import Any

from kbgen.analytics.articles import by_attention
from kbgen.analytics.stats import LOW_CSAT, MIN_VOTES
from kbgen.reports import dates, page, svg
from kbgen.reports import numbers as fmt
from kbgen.reports.drivers import KIND_TEXT, TOP_TOPICS, safe_link
from kbgen.reports.inbox import feedback_groups
from kbgen.reports.links import ArticleLinks
from kbgen.reports.templating import render

TOP_SEARCHES = 25
TOP_BARS = 8


def render_html(report: dict[str, Any], links: ArticleLinks | None = None) -> str:
    links = links or ArticleLinks(site_url=report.get("site_url"))
    searches = report["searches"]
    zero = sorted((r for r in searches if r["zero_results"]),
                  key=lambda r: (-r["zero_results"], r["query"]))
    weeks = _weeks(report)
    pages = _pages(report, links)
    return render(
        "dashboard.html.j2", r=report, name=report.get("site_name") or "Help center",
        **page.fixed_parts(report),
        window_text=dates.window(report["window"]["since"], report["window"]["until"]),
        generated_text=dates.moment(report.get("generated")),
        cards=_cards(report, weeks), weeks=weeks, chart=_weekly_chart(weeks),
        bar_lists=_bar_lists(report, pages),
        articles=by_attention(report["articles"]), pages=pages,
        categories=_category_titles(report), LOW_CSAT=LOW_CSAT,
        breakdowns=report.get("breakdowns") or {},
        languages=report.get("languages") or [],
        top_searches=searches[:TOP_SEARCHES], zero_searches=zero[:TOP_SEARCHES],
        feedback_groups=feedback_groups(report.get("feedback") or []),
        rejections=sorted((report.get("rejections") or {}).items()),
        safe_link=safe_link, KIND_TEXT=KIND_TEXT, TOP_TOPICS=TOP_TOPICS, dates=dates,
    )


def _pages(report: dict[str, Any], links: ArticleLinks) -> dict[str, dict[str, str | None]]:
    """Per article id: `href` (the page, else the built copy), `built` (the built copy when
    `href` is the live page) and `source` (the Markdown file)."""
    out = {}
    for row in report["articles"]:
        href, built = safe_link(links.href(row.get("url"))), safe_link(links.built(row.get("url")))
        out[row["id"]] = {"href": href, "built": built if built != href else None,
                          "source": links.source(row.get("src"))}
    return out


def _category_titles(report: dict[str, Any]) -> dict[str, str]:
    groups = (report.get("breakdowns") or {}).get("category") or []
    return {g["key"]: g["label"] for g in groups}


def _weeks(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The weekly trends with their labels; `partial` when the window holds part of the week."""
    out = []
    for w in report.get("trends") or []:
        in_window = w.get("days", 7)
        out.append(w | {"partial": in_window < 7, "label": dates.week(w["week"], in_window),
                        "short": dates.short_week(w["week"])})
    return out


def _trend(weeks: list[dict[str, Any]], key: str, show) -> str:
    """The last two whole weeks: a partial week's number is not comparable."""
    known = [w for w in weeks if not w["partial"] and w.get(key) is not None]
    if len(known) < 2:
        return "weekly trend: not enough whole weeks"
    last, before = known[-1], known[-2]
    return f"week of {last['short']}: {show(last[key])}; week before: {show(before[key])}"


def _cards(r: dict[str, Any], weeks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    s = r["site"]
    votes = s.get("helpful", 0) + s.get("not_helpful", 0)
    specs = [
        ("Self-service score", fmt.score(s["self_service_score"]),
         "help-center users per customer who contacted support", "self_service_score",
         fmt.score),
        ("Deflection", fmt.pct(s["deflection_rate"]),
         "of help-center users did not contact support", "deflection_rate", fmt.pct),
        ("CSAT", fmt.csat({"csat": s.get("csat"), "votes": votes}),
         f"\u201cYes\u201d share of {votes:,} votes; lower bound "
         f"{fmt.csat_lower({'csat_lower': s.get('csat_lower'), 'votes': votes})}", "csat",
         fmt.pct),
        ("NPS", fmt.nps(s["nps"]), f"{s.get('nps_responses', 0):,} answers, from -100 to +100",
         "nps", fmt.nps),
        ("Zero-result searches", fmt.pct(s.get("zero_result_rate")),
         f"of {s.get('searches', 0):,} searches found nothing", "zero_result_rate", fmt.pct),
    ]
    cards = []
    for label, value, desc, key, show in specs:
        weekly = [w.get(key) for w in weeks]
        cards.append({"label": label, "value": value, "desc": desc,
                      "spark": svg.sparkline(weekly), "trend": _trend(weeks, key, show)})
    return cards


def _weekly_chart(weeks: list[dict[str, Any]]) -> dict[str, Any] | None:
    return svg.columns(
        [w["short"] for w in weeks], [w["partial"] for w in weeks], [
            ("used the help center", [w["help_sessions"] for w in weeks], "help"),
            ("contacted support", [w["contact_sessions"] for w in weeks], "contact"),
        ], "Sessions per week")


def _bar_lists(r: dict[str, Any], pages: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The two bar lists: the lowest CSAT lower bounds and the most deflected sessions."""
    rated = [a for a in r["articles"] if a["votes"] >= MIN_VOTES]
    worst = sorted(rated, key=lambda a: (a["csat_lower"], -a["votes"]))[:TOP_BARS]
    best = [a for a in sorted(r["articles"], key=lambda a: -a["deflected_sessions"])
            if a["deflected_sessions"] > 0][:TOP_BARS]
    top = max([a["deflected_sessions"] for a in best] + [1])

    def item(a: dict[str, Any], value: float, text: str) -> dict[str, Any]:
        return {"title": fmt.title(a), "href": (pages.get(a["id"]) or {}).get("href"),
                "value": value, "text": text}

    return [
        {"title": f"Lowest CSAT lower bound (from {MIN_VOTES} votes)", "kind": "bad",
         "rows": svg.bars([item(a, a["csat_lower"], f"{fmt.pct(a['csat_lower'], 0)} of "
                                 f"{a['votes']:,} votes") for a in worst])},
        {"title": "Most deflected sessions (read, no contact)", "kind": "good",
         "rows": svg.bars([item(a, a["deflected_sessions"], f"{a['deflected_sessions']:,}")
                            for a in best], top)},
    ]
