"""The dashboard's "What to do next" and "Contact drivers" sections (templates/
next_actions.html.j2 and drivers.html.j2).

Labels, examples and evidence are built from customers' words: the templates escape every
value and put customer text in `<bdi>` (THREATS.md 24). Links go only to http(s) or local
file pages the report itself built (the article's page under `site_url`, or the built site
on disk, as a path relative to the dashboard: links.py).
"""

from __future__ import annotations

from urllib.parse import urlsplit

KIND_TEXT = {
    "gap": "Gap: no article answers it",
    "failing": "Failing: read, then contacted",
    "unfound": "Unfound: never reached the article",
}
TOP_TOPICS = 50


def safe_link(url: str | None) -> str | None:
    """Only web pages, local files and relative paths (the built site beside the dashboard);
    anything else (`javascript:`, `//host`) is dropped."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme.lower() in ("http", "https", "file"):
        return url
    return url if not parts.scheme and not parts.netloc and not url.startswith("/") else None
