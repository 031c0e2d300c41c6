"""Assemble the report: SPEC.md's "Machine-readable outputs" shape plus extra keys.

Keys SPEC fixes: window, events, site, articles, searches. Extra keys: tickets, trends,
breakdowns, feedback, stale, rejections, generated, site_name, site_url; per article
`contacts_not_prevented` (the dashboard's ranking), `src`, `revisions` and `last_change`
(analytics/revisions.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from kbgen.analytics.articles import article_rows, breakdowns
from kbgen.analytics.collect import Collected, SessionWeek, collect, params_for
from kbgen.analytics.feedback_items import item_from_row
from kbgen.analytics.languages import language_breakdown
from kbgen.analytics.manifest import Manifest
from kbgen.analytics.revisions import add_revisions, revision_counts
from kbgen.analytics.stale import stale_articles
from kbgen.analytics.stats import nps, ratio, wilson_lower
from kbgen.analytics.trends import weekly
from kbgen.analytics.window import Window, iso

# Per query, the articles clicked after reformulating it: at most this many, most first.
TOP_REFORMULATIONS = 5


def build_report(
    store: Any,
    window: Window,
    manifest: Manifest | None = None,
    now: datetime | None = None,
    *,
    rollups: bool = True,
) -> dict[str, Any]:
    """The report for `window`. `rollups=False` reads every event of the window instead of
    the day rollups (the same numbers; tests and benchmarks compare the two)."""
    manifest = manifest or Manifest()
    collected = collect(store, window, rollups=rollups)
    totals = SessionWeek()
    for week in collected.weeks.values():
        totals.add(week)
    rows = article_rows(collected.articles, manifest)
    add_revisions(rows, revision_counts(store, params_for(window)), manifest.revisions)
    report: dict[str, Any] = {
        "window": window.as_dict(),
        "events": totals.events,
        "site": site_metrics(totals, collected),
        "articles": rows,
        "searches": search_rows(collected),
        "site_name": manifest.site_name,
        "site_url": manifest.site_url,
        "generated": iso((now or datetime.now(UTC)).replace(microsecond=0)),
        "tickets": {
            "in_window": collected.tickets,
            "without_session": collected.tickets_without_session,
        },
        "trends": weekly(collected, window),
        "breakdowns": breakdowns(collected.articles, rows, manifest),
        "feedback": feedback_rows(collected, manifest),
        "rejections": _rejections(store),
    }
    if len(manifest.languages) > 1:
        report["languages"] = language_breakdown(store, params_for(window), manifest)
    stale = stale_articles(manifest, window.until)
    if stale is not None:
        report["stale"] = stale
    return report


def site_metrics(t: SessionWeek, c: Collected) -> dict[str, Any]:
    promoters = sum(w[0] for w in c.nps_by_week.values())
    detractors = sum(w[1] for w in c.nps_by_week.values())
    answers = sum(w[2] for w in c.nps_by_week.values())
    helpful = sum(a.helpful for a in c.articles.values())
    votes = helpful + sum(a.not_helpful for a in c.articles.values())
    searches = sum(s.count for s in c.searches.values())
    zero = sum(s.zero_results for s in c.searches.values())
    return {
        "sessions": t.sessions,
        "help_sessions": t.help_sessions,
        "contact_sessions": t.contact_sessions,
        "self_service_score": ratio(t.help_sessions, t.contact_sessions),
        "deflection_rate": ratio(t.help_without_contact, t.help_sessions),
        "contact_page_sessions": t.contact_page_sessions,
        "contact_page_deflected": t.contact_page_deflected,
        "nps": nps(promoters, detractors, answers),
        "nps_responses": answers,
        "helpful": helpful,
        "not_helpful": votes - helpful,
        "csat": ratio(helpful, votes),
        "csat_lower": wilson_lower(helpful, votes),
        "searches": searches,
        "zero_result_searches": zero,
        "zero_result_rate": ratio(zero, searches),
    }


def search_rows(c: Collected) -> list[dict[str, Any]]:
    """One object per normalised query: SPEC's count / zero_results / clicks / ctr, then the
    search outcomes (docs/search-outcomes.md)."""
    rows: list[dict[str, Any]] = [
        {
            "query": query,
            "count": s.count,
            "zero_results": s.zero_results,
            "clicks": s.clicks,
            "ctr": ratio(s.clicks, s.count),
            "contacted": s.contacted,
            "contact_rate": ratio(s.contacted, s.count),
            "no_click": s.answered - s.answered_clicks,
            "avg_click_rank": ratio(s.rank_sum, s.ranked_clicks),
            "reformulated": s.reformulated,
            "reformulations": reformulation_rows(c.reformulations.get(query, {})),
        }
        for query, s in c.searches.items()
        if s.count  # clicks whose query was never searched in the window make no row
    ]
    rows.sort(key=lambda r: (-r["count"], r["query"]))
    return rows


def reformulation_rows(by_article: dict[str, int]) -> list[dict[str, Any]]:
    """The articles clicked after reformulating one query, most sessions first."""
    return [{"article": article, "sessions": sessions}
            for article, sessions in sorted(by_article.items(), key=lambda a: (-a[1], a[0]))
            if sessions][:TOP_REFORMULATIONS]


def feedback_rows(c: Collected, manifest: Manifest) -> list[dict[str, Any]]:
    """Negative last votes with a reason or comment, newest first, with their inbox state."""
    return [item_from_row(row, manifest) for row in c.feedback]


def _rejections(store: Any) -> dict[str, int]:
    get = getattr(store, "rejections", None)
    return dict(get()) if get else {}
