"""The terminal report: headline numbers, then the articles that failed the most readers
first (analytics/articles.py: contacts not prevented), in 100 columns.

Every piece of text that came from a customer or a writer goes through `visible()`, so
ANSI and bidi control characters print as escapes (THREATS.md 26).
"""

from __future__ import annotations

from typing import Any

from kbgen.analytics.articles import by_attention
from kbgen.reports import dates
from kbgen.reports import numbers as fmt
from kbgen.reports.terminal import clip, pad, visible

WIDTH = 100
TOP_ARTICLES = 20
TOP_SEARCHES = 10
TOP_FEEDBACK = 5
TOP_TOPICS = 10


def render_table(report: dict[str, Any]) -> str:
    parts = [
        _headline(report),
        _drivers(report),
        _articles(report["articles"]),
        _searches(report["searches"]),
        _categories(report["breakdowns"]["category"]) if "breakdowns" in report else "",
        _languages(report.get("languages") or []),
        _feedback(report.get("feedback") or []),
        _footer(report),
    ]
    return "\n\n".join(p for p in parts if p) + "\n"


def _headline(r: dict[str, Any]) -> str:
    s, w = r["site"], r["window"]
    name = visible(r.get("site_name") or "Help center")
    lines = [
        clip(f"{name} — self-service report", WIDTH),
        f"{dates.window(w['since'], w['until'])} (UTC) · {r['events']:,} events read",
        "",
        f"{s['sessions']:,} sessions: {s['help_sessions']:,} used the help center, "
        f"{s['contact_sessions']:,} contacted support · "
        f"self-service score {fmt.score(s['self_service_score'])}",
        f"Deflection {fmt.pct(s['deflection_rate'])} of help-center users · contact page "
        f"opened in {s['contact_page_sessions']:,}, {s['contact_page_deflected']:,} left "
        "without sending",
    ]
    votes = s.get("helpful", 0) + s.get("not_helpful", 0)
    if "csat" in s:
        lines.append(
            f"CSAT {fmt.csat({'csat': s['csat'], 'votes': votes})} "
            f"(lower bound {fmt.csat_lower({'csat_lower': s['csat_lower'], 'votes': votes})}, "
            f"{votes:,} votes) · NPS {fmt.nps(s['nps'])} · searches "
            f"{s['searches']:,}, {fmt.pct(s['zero_result_rate'])} with no results"
        )
    return "\n".join(lines)


_COLUMNS = (  # header, width, right-aligned
    ("Article", 36, False),
    ("Failed", 6, True),
    ("Sessions", 8, True),
    ("Votes", 6, True),
    ("No", 4, True),
    ("CSAT", 5, True),
    ("Lower", 5, True),
    ("Contact", 7, True),
    ("Deflected", 9, True),
)


def _line(cells: list[str]) -> str:
    return " ".join(pad(c, w, right) for c, (_, w, right) in zip(cells, _COLUMNS, strict=True))


def _articles(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "No articles: run `kbgen build` to list them, and collect or import events."
    ranked = by_attention(rows)
    lines = [
        "Articles, most contacts not prevented first (Failed = sessions that read the article "
        "and then",
        "contacted support + its No votes); CSAT and Lower (Wilson 95% bound) show n/a below 5 "
        "votes;",
        "Contact = contact after view",
        _line([h for h, _, _ in _COLUMNS]),
    ]
    for row in ranked[:TOP_ARTICLES]:
        lines.append(_line([
            visible(fmt.title(row)),
            fmt.count(row["contacts_not_prevented"]),
            fmt.count(row["view_sessions"]),
            fmt.count(row["votes"]),
            fmt.count(row["not_helpful"]),
            fmt.csat(row),
            fmt.csat_lower(row),
            fmt.pct(row["contact_after_view"], 0),
            fmt.count(row["deflected_sessions"]),
        ]))
    if len(ranked) > TOP_ARTICLES:
        lines.append(f"… and {len(ranked) - TOP_ARTICLES} more: --format csv or html lists all.")
    return "\n".join(lines)


_KIND = {"gap": "gap", "failing": "failing", "unfound": "unfound"}


def _drivers(r: dict[str, Any]) -> str:
    """Contact drivers: what customers contacted support about, most tickets first."""
    topics = r.get("topics") or []
    if not topics:
        note = r.get("drivers_note")
        return f"Contact drivers: {visible(note)}." if note else ""
    lines = [
        f"Contact drivers ({r.get('drivers_method')} method), most tickets first: gap = write "
        "an article, failing = fix it, unfound = make it findable",
        f"{'Kind':<8} {'Tickets':>7} {'Prev':>5}  {'Topic (customers words)':<38} Article",
    ]
    for t in topics[:TOP_TOPICS]:
        article = visible(t.get("title") or t.get("article") or "(none: write one)")
        lines.append(f"{_KIND.get(t['kind'], '?'):<8} {len(t['tickets']):>7,} "
                     f"{t['previous']:>5,}  {pad(visible(t['label']), 38)} {clip(article, 37)}")
    if len(topics) > TOP_TOPICS:
        lines.append(f"… and {len(topics) - TOP_TOPICS} more: --format json or html lists all.")
    return "\n".join(lines)


def _searches(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "Searches: none in this window."
    top = rows[:TOP_SEARCHES]
    zero = sorted((r for r in rows if r["zero_results"]), key=lambda r: -r["zero_results"])
    out = ["Top searches" + " " * 25 + _SEARCH_HEAD,
           "Contact = followed by a contact; No click = had results, none opened; "
           "Rank = average clicked",
           "rank; Reform = sessions that searched again and clicked another query's result"]
    out += [_search_line(r) for r in top]
    if zero:
        out += ["", "Searches that found nothing (content gaps)"]
        out += [_search_line(r) for r in zero[:TOP_SEARCHES]]
    reformulated = sorted((r for r in rows if r["reformulations"]),
                          key=lambda r: (-r["reformulated"], r["query"]))
    if reformulated:
        out += ["", "Reformulated searches: customers' words for an article (kbgen suggest)"]
        for r in reformulated[:TOP_SEARCHES]:
            then = ", ".join(f"{visible(x['article'])} ({x['sessions']:,})"
                             for x in r["reformulations"])
            out.append(clip(f"  {visible(r['query']) or '(empty)'} → {then}", WIDTH))
    return "\n".join(out)


_SEARCH_HEAD = "Searches  Zero Clicks   CTR Contact No click  Rank Reform"


def _search_line(r: dict[str, Any]) -> str:
    rank = "n/a" if r["avg_click_rank"] is None else f"{r['avg_click_rank']:.1f}"
    return (
        f"  {pad(visible(r['query']) or '(empty)', 34)} {r['count']:>8,} "
        f"{r['zero_results']:>5,} {r['clicks']:>6,} {fmt.pct(r['ctr'], 0):>5} "
        f"{r['contacted']:>7,} {r['no_click']:>8,} {rank:>5} {r['reformulated']:>6,}"
    )


def _categories(groups: list[dict[str, Any]]) -> str:
    lines = ["By category" + " " * 29 + "Articles  Sessions  CSAT  Contact  Deflected"]
    for g in groups:
        lines.append(
            f"  {pad(visible(g['label']), 38)} {g['articles']:>8,} {g['view_sessions']:>9,} "
            f"{fmt.csat(g):>5} {fmt.pct(g['contact_after_view'], 0):>8} "
            f"{g['deflected_sessions']:>10,}"
        )
    return "\n".join(lines)


def _languages(rows: list[dict[str, Any]]) -> str:
    """Per language: CSAT, deflection, searches; translation coverage weighed by traffic."""
    if not rows:
        return ""
    lines = ["Languages   Votes  CSAT  Sessions  Deflection  Searches  Zero  Translated  "
             "Views  Top 20"]
    for r in rows:
        cov = r.get("coverage")
        translated = f"{cov['translated']}/{cov['articles']}" if cov else "source"
        lines.append(
            f"  {pad(visible(r['lang']), 8)} {r['helpful'] + r['not_helpful']:>6,} "
            f"{fmt.csat(r):>5} {r['help_sessions']:>9,} {fmt.pct(r['deflection_rate'], 0):>11} "
            f"{r['searches']:>9,} {r['zero_results']:>5,} {translated:>11} "
            f"{fmt.pct(cov['views_share'], 0) if cov else '':>6} "
            f"{fmt.pct(cov['top']['20'], 0) if cov else '':>7}")
    return "\n".join(lines)


def _feedback(items: list[dict[str, Any]]) -> str:
    if not items:
        return ""
    lines = ["Newest negative feedback (all of it in --format html)"]
    for item in items[:TOP_FEEDBACK]:
        where = visible(item.get("title") or item["article"])
        why = visible(item.get("reason_label") or item.get("reason") or "no reason")
        comment = visible(item.get("comment") or "")
        when = dates.moment(item["ts"])
        lines.append(clip(f"  {when}  {where}: {why}. {comment}".rstrip(), WIDTH))
    return "\n".join(lines)


def _footer(r: dict[str, Any]) -> str:
    notes = []
    tickets = r.get("tickets") or {}
    if tickets.get("in_window"):
        notes.append(
            f"Tickets counted as contacts: {tickets['in_window'] - tickets['without_session']:,}"
            f" ({tickets['without_session']:,} without a session could not be joined)."
        )
    if r.get("stale"):
        notes.append(f"Stale articles (past their review date): {len(r['stale'])}.")
    rejected = r.get("rejections") or {}
    if rejected:
        notes.append("Rejected events: " + ", ".join(
            f"{visible(k)} {v:,}" for k, v in sorted(rejected.items())
        ) + ".")
    return "\n".join(notes)
