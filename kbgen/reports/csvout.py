"""`--format csv`: one row per article, safe to open in a spreadsheet (THREATS.md 25).

When the window has contact drivers, a second table follows after an empty line: one row
per topic (`TOPIC_COLUMNS`), ticket ids separated by spaces, examples by " | ".

A cell that starts with `=`, `+`, `-`, `@`, tab or carriage return would run as a formula
in Excel, LibreOffice or Google Sheets; such text cells get a leading `'`. Quoting follows
RFC 4180: CRLF line ends, quotes doubled, line breaks kept inside quoted cells.
"""

from __future__ import annotations

import csv
import io
from typing import Any

COLUMNS = (
    "id", "title", "category", "journey", "audience", "owner", "url",
    "views", "view_sessions", "helpful", "not_helpful", "csat", "csat_lower",
    "contact_after_view", "deflection_rate", "deflected_sessions",
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


def render_csv(report: dict[str, Any]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    for row in report["articles"]:
        writer.writerow([_cell(row.get(name)) for name in COLUMNS])
    topics = report.get("topics") or []
    if topics:
        writer.writerow([])
        writer.writerow(TOPIC_COLUMNS)
        for t in topics:
            writer.writerow([_cell(v) for v in (
                t["label"], t["kind"], t["article"], len(t["tickets"]), t["previous"],
                t["sessions"], t["searches"], t["comments"], t.get("source"),
                " | ".join(t["examples"]), " ".join(t["tickets"]))])
    return out.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    return neutralise(value)
