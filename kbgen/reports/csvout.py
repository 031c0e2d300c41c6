"""`--format csv`: one row per article, safe to open in a spreadsheet (THREATS.md 25).

Articles come most contacts not prevented first, as in the dashboard (`contacts_not_prevented`
= `contacted_sessions` + `not_helpful`; `src` is the Markdown file in the content folder).

`--rows searches` gives one row per query instead, and `--rows topics` one row per contact
driver topic (`TOPIC_COLUMNS`: ticket ids separated by spaces, examples by " | "). Each CSV
holds one table, so spreadsheets and `csv` readers take it as it is.

A cell that starts with `=`, `+`, `-`, `@`, tab or carriage return would run as a formula
in Excel, LibreOffice or Google Sheets; such text cells get a leading `'`. Quoting follows
RFC 4180: CRLF line ends, quotes doubled, line breaks kept inside quoted cells.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from kbgen.analytics.articles import by_attention

COLUMNS = (
    "id", "title", "category", "journey", "audience", "owner", "url",
    "views", "view_sessions", "helpful", "not_helpful", "csat", "csat_lower",
    "contact_after_view", "deflection_rate", "deflected_sessions", "contacted_sessions",
    "contacts_not_prevented", "src",
)
TOPIC_COLUMNS = (
    "topic", "kind", "article", "tickets", "previous", "sessions", "searches", "comments",
    "source", "examples", "ticket_ids",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would treat as a formula, prefixed with `'`."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


# `--rows searches`: one row per normalised query. `reformulated_to` lists the articles
# clicked after reformulating the query as `article:sessions`, separated by spaces.
SEARCH_COLUMNS = (
    "query", "count", "zero_results", "clicks", "ctr", "contacted", "contact_rate",
    "no_click", "avg_click_rank", "reformulated", "reformulated_to",
)
ROWS = ("articles", "searches", "topics")


def render_csv(report: dict[str, Any], rows: str = "articles") -> str:
    """The articles (default), the per-query search outcomes or the contact-driver topics."""
    columns, items = {
        "articles": lambda: (COLUMNS, by_attention(report["articles"])),
        "searches": lambda: (SEARCH_COLUMNS, [_search_row(r) for r in report["searches"]]),
        "topics": lambda: (TOPIC_COLUMNS, [_topic_row(t) for t in report.get("topics") or []]),
    }[rows]()
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    for row in items:
        writer.writerow([_cell(row.get(name)) for name in columns])
    return out.getvalue()


def _search_row(row: dict[str, Any]) -> dict[str, Any]:
    to = " ".join(f"{r['article']}:{r['sessions']}" for r in row.get("reformulations") or [])
    return {**row, "reformulated_to": to}


def _topic_row(topic: dict[str, Any]) -> dict[str, Any]:
    return {**topic, "topic": topic["label"], "tickets": len(topic["tickets"]),
            "examples": " | ".join(topic["examples"]), "ticket_ids": " ".join(topic["tickets"])}


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    return neutralise(value)
