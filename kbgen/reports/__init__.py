"""Renderers of an analytics report: terminal table, JSON, CSV and the HTML dashboard."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kbgen.reports.csvout import render_csv
from kbgen.reports.dashboard import render_html
from kbgen.reports.jsonout import render_json
from kbgen.reports.links import ArticleLinks
from kbgen.reports.table import render_table

RENDERERS: dict[str, Callable[[dict[str, Any]], str]] = {
    "table": render_table,
    "json": render_json,
    "csv": render_csv,
    "html": render_html,
}


def render(report: dict[str, Any], fmt: str, links: ArticleLinks | None = None) -> str:
    """`report` in `fmt`; the dashboard links articles through `links` (default: under the
    report's `site_url` only)."""
    if fmt == "html":
        return render_html(report, links)
    return RENDERERS[fmt](report)


__all__ = ["RENDERERS", "ArticleLinks", "render", "render_csv", "render_html", "render_json",
           "render_table"]
