"""`--format html`: a self-contained dashboard for support leads (no network, no CDN).

Every value from the report is HTML-escaped and customer text sits in `<bdi>` so a bidi
override cannot reorder the page around it; the CSP (see `page.py`) allows only the page's
own stylesheet and sorting script.
"""

from __future__ import annotations

from html import escape
from typing import Any

from kbgen.analytics.articles import by_attention
from kbgen.analytics.stats import MIN_VOTES
from kbgen.reports import numbers as fmt
from kbgen.reports import svg
from kbgen.reports.drivers import drivers_section, next_actions_section
from kbgen.reports.inbox import feedback_section
from kbgen.reports.page import SCRIPT, STYLE, content_security_policy, json_island

TOP_SEARCHES = 25


def e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def render_html(report: dict[str, Any]) -> str:
    name = report.get("site_name") or "Help center"
    w = report["window"]
    body = "".join([
        next_actions_section(report.get("next_actions") or [], report.get("drivers_method")),
        _cards(report),
        drivers_section(report.get("topics") or [], report.get("drivers_method"),
                        report.get("drivers_note")),
        _charts(report),
        _articles(report["articles"]),
        _breakdowns(report.get("breakdowns") or {}),
        _searches(report["searches"]),
        feedback_section(report.get("feedback") or []),
        _stale(report.get("stale")),
        _footer(report),
    ])
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
        f'<meta http-equiv="Content-Security-Policy" content="{e(content_security_policy())}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{e(name)} — self-service report</title>\n<style>{STYLE}</style></head>\n"
        f"<body><header><h1>{e(name)} — self-service report</h1>"
        f'<div class="meta">Window {e(w["since"])} to {e(w["until"])} (until excluded) · '
        f'{report["events"]:,} events read · generated {e(report.get("generated"))}</div>'
        f"</header><main>{body}</main>\n"
        f'<script type="application/json" id="report-data">{json_island(report)}</script>\n'
        f"<script>{SCRIPT}</script></body></html>\n"
    )


def _card(label: str, value: str, weekly: list[float | None], trend: str) -> str:
    return (f'<div class="card"><div class="label">{e(label)}</div>'
            f'<div class="value">{e(value)}</div>{svg.sparkline(weekly)}'
            f'<div class="trend">{e(trend)}</div></div>')


def _trend(weekly: list[float | None], show) -> str:
    known = [v for v in weekly if v is not None]
    if len(known) < 2:
        return "weekly trend: not enough data"
    return f"last week with data {show(known[-1])}, the week before {show(known[-2])}"


def _cards(r: dict[str, Any]) -> str:
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
    cards = "".join(
        _card(label, value, [w.get(key) for w in weeks], _trend([w.get(key) for w in weeks], show))
        for label, value, key, show in specs
    )
    counts = (f'<p class="meta">{s["sessions"]:,} sessions · {s["help_sessions"]:,} help '
              f'sessions · {s["contact_sessions"]:,} contact sessions · contact page opened in '
              f'{s["contact_page_sessions"]:,} sessions, {s["contact_page_deflected"]:,} left '
              "without submitting</p>")
    return f'<section><h2>Headline</h2><div class="cards">{cards}</div>{counts}</section>'


def _charts(r: dict[str, Any]) -> str:
    weeks = r.get("trends") or []
    rated = [a for a in r["articles"] if a["votes"] >= MIN_VOTES]
    worst = sorted(rated, key=lambda a: (a["csat_lower"], -a["votes"]))[:8]
    best = sorted(r["articles"], key=lambda a: -a["deflected_sessions"])[:8]
    top = max([a["deflected_sessions"] for a in best] + [1])
    panels = [
        svg.columns([w["week"] for w in weeks], [
            ("help sessions", [w["help_sessions"] for w in weeks], svg.ACCENT),
            ("contact sessions", [w["contact_sessions"] for w in weeks], svg.BAD),
        ], "Help and contact sessions per week"),
        svg.hbars([(fmt.title(a), a["csat_lower"], f"{fmt.pct(a['csat_lower'], 0)} of "
                    f"{a['votes']} votes") for a in worst], svg.BAD,
                  "Lowest CSAT lower bound"),
        svg.hbars([(fmt.title(a), a["deflected_sessions"] / top,
                    f"{a['deflected_sessions']:,}") for a in best if a["deflected_sessions"]],
                  svg.GOOD, "Most deflected sessions"),
    ]
    titles = ["Help and contact sessions per week",
              f"Lowest CSAT lower bound (from {MIN_VOTES} votes)", "Most deflected sessions"]
    inner = "".join(f'<div class="panel"><h3>{e(t)}</h3>{p or "<p class=na>No data.</p>"}</div>'
                    for t, p in zip(titles, panels, strict=True))
    return f'<section><h2>Charts</h2><div class="charts">{inner}</div></section>'


def _num(value: float | int | None, text: str, cls: str = "n") -> str:
    data = "" if value is None else f"{value:.6g}" if isinstance(value, float) else str(value)
    return f'<td class="{cls}" data-v="{data}">{e(text)}</td>'


def _head(columns: list[tuple[str, bool]]) -> str:
    cells = "".join(f'<th{" class=n" if numeric else ""}><button type="button">{e(name)}'
                    "</button></th>" for name, numeric in columns)
    return f"<thead><tr>{cells}</tr></thead>"


def _articles(rows: list[dict[str, Any]]) -> str:
    head = _head([("Article", False), ("Category", False), ("Owner", False),
                  ("Attention", True), ("Sessions", True), ("Views", True), ("Votes", True),
                  ("CSAT", True), ("CSAT lower", True), ("Contact after view", True),
                  ("Deflected", True)])
    body = []
    for a in by_attention(rows):
        rated = a["votes"] >= MIN_VOTES
        bad = ' class="bad"' if rated and (a["csat_lower"] or 0) < 0.5 else ""
        body.append(
            f'<tr><td><bdi{bad}>{e(fmt.title(a))}</bdi><br><span class="meta">{e(a["id"])}'
            f'</span></td><td>{e(a["category"])}</td><td>{e(a["owner"])}</td>'
            + _num(round(a["attention"], 2), f"{a['attention']:.1f}")
            + _num(a["view_sessions"], f"{a['view_sessions']:,}")
            + _num(a["views"], f"{a['views']:,}")
            + _num(a["votes"], f"{a['votes']:,}")
            + _num(a["csat"] if rated else None, fmt.csat(a))
            + _num(a["csat_lower"] if rated else None, fmt.csat_lower(a))
            + _num(a["contact_after_view"], fmt.pct(a["contact_after_view"]))
            + _num(a["deflected_sessions"], f"{a['deflected_sessions']:,}")
            + "</tr>"
        )
    return ("<section><h2>Articles</h2><p class=meta>Sorted by what needs attention first "
            "(sessions × contact after view and low CSAT lower bound); click a heading to "
            f"sort. CSAT shows n/a below {MIN_VOTES} votes.</p><div class=panel>"
            f'<table class="sortable" id="articles">{head}<tbody>{"".join(body)}</tbody>'
            "</table></div></section>")


def _breakdowns(groups: dict[str, list[dict[str, Any]]]) -> str:
    parts = []
    for dim, rows in groups.items():
        head = _head([(dim.capitalize(), False), ("Articles", True), ("Sessions", True),
                      ("Votes", True), ("CSAT", True), ("Contact after view", True),
                      ("Deflected", True)])
        body = "".join(
            f"<tr><td><bdi>{e(g['label'])}</bdi></td>" + _num(g["articles"], str(g["articles"]))
            + _num(g["view_sessions"], f"{g['view_sessions']:,}")
            + _num(g["votes"], f"{g['votes']:,}") + _num(g["csat"], fmt.csat(g))
            + _num(g["contact_after_view"], fmt.pct(g["contact_after_view"]))
            + _num(g["deflected_sessions"], f"{g['deflected_sessions']:,}") + "</tr>"
            for g in rows
        )
        parts.append(f'<div class="panel"><h3>By {e(dim)}</h3><table class="sortable">'
                     f"{head}<tbody>{body}</tbody></table></div>")
    return f'<section><h2>Breakdowns</h2><div class="charts">{"".join(parts)}</div></section>' \
        if parts else ""


def _search_table(rows: list[dict[str, Any]], table_id: str) -> str:
    if not rows:
        return "<p class=na>None in this window.</p>"
    head = _head([("Query", False), ("Searches", True), ("Zero results", True),
                  ("Clicks", True), ("Click-through", True), ("Then contacted", True),
                  ("Results, no click", True), ("Avg. clicked rank", True),
                  ("Reformulated", True)])
    body = "".join(
        f'<tr><td><bdi>{e(r["query"]) or "(empty)"}</bdi></td>'
        + _num(r["count"], f"{r['count']:,}")
        + _num(r["zero_results"], f"{r['zero_results']:,}")
        + _num(r["clicks"], f"{r['clicks']:,}")
        + _num(r["ctr"], fmt.pct(r["ctr"]))
        + _num(r.get("contacted"), fmt.count(r.get("contacted")))
        + _num(r.get("no_click"), fmt.count(r.get("no_click")))
        + _num(r.get("avg_click_rank"), _rank(r.get("avg_click_rank")))
        + _num(r.get("reformulated"), fmt.count(r.get("reformulated"))) + "</tr>"
        for r in rows
    )
    return f'<table class="sortable" id="{table_id}">{head}<tbody>{body}</tbody></table>'


def _rank(value: float | None) -> str:
    return fmt.NA if value is None else f"{value:.1f}"


def _searches(rows: list[dict[str, Any]]) -> str:
    zero = sorted((r for r in rows if r["zero_results"]),
                  key=lambda r: (-r["zero_results"], r["query"]))
    return ('<section><h2>Searches</h2><div class="charts">'
            f'<div class="panel"><h3>Top searches</h3>{_search_table(rows[:TOP_SEARCHES], "top")}'
            '</div><div class="panel"><h3>Searches that found nothing (content gaps)</h3>'
            f'{_search_table(zero[:TOP_SEARCHES], "zero")}</div></div></section>')


def _stale(rows: list[dict[str, Any]] | None) -> str:
    if rows is None:
        return ""
    if not rows:
        return "<section><h2>Stale articles</h2><p>None: every article is within its review " \
               "interval.</p></section>"
    items = "".join(f"<tr><td><bdi>{e(r['title'] or r['id'])}</bdi></td><td>{e(r['owner'])}</td>"
                    f"<td>{e(r['reviewed'])}</td><td>{e(r['due'])}</td></tr>" for r in rows)
    return ("<section><h2>Stale articles</h2><div class=panel><table><thead><tr><th>Article"
            "</th><th>Owner</th><th>Reviewed</th><th>Review due</th></tr></thead>"
            f"<tbody>{items}</tbody></table></div></section>")


def _footer(r: dict[str, Any]) -> str:
    t = r.get("tickets") or {}
    rejected = ", ".join(f"{e(k)} {v:,}" for k, v in sorted((r.get("rejections") or {}).items()))
    return (f'<footer class="meta"><p>Helpdesk tickets in the window: {t.get("in_window", 0):,}'
            f' ({t.get("without_session", 0):,} without a session, not joined). Rejected '
            f"events since the start: {rejected or 'none'}.</p></footer>")
