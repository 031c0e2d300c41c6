"""The report's breakdown by language (help centers in several languages): per language,
CSAT, deflection, searches and zero-result searches, from the events' `lang` (an event
without one is the default language's); and per other language, translation coverage
weighed by traffic (the share of views whose article has a translation, and of the top 20,
50 and 100 articles by views).
"""

from __future__ import annotations

from typing import Any

from kbgen.analytics.manifest import Manifest
from kbgen.analytics.stats import ratio, wilson_lower

_WINDOW = "ts >= :since AND ts < :until"

# The last vote of each session on each article, by the language it was cast in.
VOTES = f"""
WITH v AS (
    SELECT COALESCE(lang, :default) AS lang, helpful,
           ROW_NUMBER() OVER (
               PARTITION BY session, article ORDER BY ts DESC, received DESC, id DESC
           ) AS rn
    FROM events
    WHERE type = 'vote' AND {_WINDOW}
)
SELECT lang, SUM(helpful), SUM(1 - helpful) FROM v WHERE rn = 1 GROUP BY lang
"""

# Help sessions (viewed or searched) per language, and those of them that submitted a
# contact after their first help event in that language.
SESSIONS = f"""
WITH h AS (
    SELECT COALESCE(lang, :default) AS lang, session, MIN(ts) AS first
    FROM events
    WHERE type IN ('view', 'search') AND {_WINDOW}
    GROUP BY COALESCE(lang, :default), session
)
SELECT h.lang, COUNT(*),
       SUM(CASE WHEN EXISTS (
           SELECT 1 FROM events c
           WHERE c.session = h.session AND c.type = 'contact' AND c.stage = 'submit'
             AND c.ts >= h.first AND c.ts < :until
       ) THEN 1 ELSE 0 END)
FROM h GROUP BY h.lang
"""

SEARCHES = f"""
SELECT COALESCE(lang, :default), COUNT(*), SUM(CASE WHEN results = 0 THEN 1 ELSE 0 END)
FROM events WHERE type = 'search' AND {_WINDOW}
GROUP BY COALESCE(lang, :default)
"""

VIEWS = f"""
SELECT article, COUNT(*) FROM events WHERE type = 'view' AND {_WINDOW} GROUP BY article
"""

TOPS = (20, 50, 100)


def language_breakdown(store: Any, params: dict[str, Any], manifest: Manifest
                       ) -> list[dict[str, Any]]:
    """One row per language (the declared ones first, then any other seen in events)."""
    default = manifest.languages[0] if manifest.languages else "en"
    params = {**params, "default": default}
    rows: dict[str, dict[str, Any]] = {}

    def row(lang: str) -> dict[str, Any]:
        return rows.setdefault(lang, {
            "lang": lang, "help_sessions": 0, "contact_sessions": 0, "deflection_rate": None,
            "helpful": 0, "not_helpful": 0, "csat": None, "csat_lower": None,
            "searches": 0, "zero_results": 0, "zero_result_rate": None, "coverage": None})

    for lang in manifest.languages:
        row(lang)
    for lang, yes, no in store.query(VOTES, params):
        entry = row(str(lang))
        entry["helpful"], entry["not_helpful"] = int(yes or 0), int(no or 0)
    for lang, sessions, contacted in store.query(SESSIONS, params):
        entry = row(str(lang))
        entry["help_sessions"], entry["contact_sessions"] = int(sessions), int(contacted or 0)
    for lang, count, zero in store.query(SEARCHES, params):
        entry = row(str(lang))
        entry["searches"], entry["zero_results"] = int(count), int(zero or 0)
    views = {str(a): int(n) for a, n in store.query(VIEWS, params)}
    for entry in rows.values():
        votes = entry["helpful"] + entry["not_helpful"]
        entry["votes"] = votes
        entry["csat"] = ratio(entry["helpful"], votes)
        entry["csat_lower"] = wilson_lower(entry["helpful"], votes) if votes else None
        helped = entry["help_sessions"] - entry["contact_sessions"]
        entry["deflection_rate"] = ratio(helped, entry["help_sessions"])
        entry["zero_result_rate"] = ratio(entry["zero_results"], entry["searches"])
        if entry["lang"] != default and entry["lang"] in manifest.languages:
            entry["coverage"] = coverage(manifest, entry["lang"], views)
    order = {lang: n for n, lang in enumerate(manifest.languages)}
    return sorted(rows.values(), key=lambda r: (order.get(r["lang"], len(order)), r["lang"]))


def coverage(manifest: Manifest, lang: str, views: dict[str, int]) -> dict[str, Any]:
    """How much of what customers read exists in `lang`: by articles, by views, and among
    the most viewed articles (all languages' views of each article id)."""
    ids = sorted(manifest.articles, key=lambda i: (-views.get(i, 0), i))

    def translated(article_id: str, current_only: bool = False) -> bool:
        state = (manifest.articles[article_id].get("translations") or {}).get(lang)
        return state == "current" if current_only else state is not None

    total_views = sum(views.get(i, 0) for i in ids)
    return {
        "articles": len(ids),
        "translated": sum(1 for i in ids if translated(i)),
        "current": sum(1 for i in ids if translated(i, True)),
        "views_share": ratio(sum(views.get(i, 0) for i in ids if translated(i)), total_views),
        "current_views_share": ratio(sum(views.get(i, 0) for i in ids
                                         if translated(i, True)), total_views),
        "top": {str(n): ratio(sum(1 for i in ids[:n] if translated(i)), min(n, len(ids)))
                for n in TOPS},
    }
