"""The dashboard's "What to do next" and "Contact drivers" sections.

Labels, examples and evidence are built from customers' words: every value is escaped and
customer text sits in `<bdi>` (THREATS.md 24). Links go only to http(s) or local file pages
the report itself built (the article's page under `site_url`, or the built site on disk).
"""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import urlsplit

KIND_TEXT = {
    "gap": "Gap: no article answers it",
    "failing": "Failing: read, then contacted",
    "unfound": "Unfound: never reached the article",
}
TOP_TOPICS = 50


def e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def safe_link(url: str | None) -> str | None:
    """Only web and local-file pages; anything else (`javascript:`) is dropped."""
    if not url or urlsplit(url).scheme.lower() not in ("http", "https", "file"):
        return None
    return url


def _title(item: dict[str, Any]) -> str:
    link = safe_link(item.get("link"))
    text = f"<bdi>{e(item.get('title'))}</bdi>"
    return f'<a href="{e(link)}">{text}</a>' if link else text


def next_actions_section(actions: list[dict[str, Any]], method: str | None) -> str:
    if not actions:
        return ('<section id="next"><h2>What to do next</h2><p class=na>Nothing stands out: '
                "no contact drivers, low-CSAT or overdue articles in this window.</p></section>")
    items = []
    for a in actions:
        source = (f'<br><span class="meta">Source: <code>{e(a["source"])}</code></span>'
                  if a.get("source") else "")
        if a.get("article"):
            where = f' <span class="meta">{e(a["article"])}</span>'
        else:
            where = ' <span class="meta">(new article: <code>kbgen new</code>)</span>'
        evidence = "".join(f"<li><bdi>{e(x)}</bdi></li>" for x in a.get("evidence") or [])
        examples = "".join(f'<li><bdi class="comment">{e(x)}</bdi></li>'
                           for x in a.get("examples") or [])
        examples = (f'<details><summary>What customers wrote</summary><ul>{examples}</ul>'
                    "</details>") if examples else ""
        items.append(
            f'<li class="action"><strong>{e(a["action"])}:</strong> {_title(a)}{where} '
            f'<span class="meta">· about {a["contacts"]:,} contacts</span>{source}'
            f"<ul>{evidence}</ul>{examples}</li>")
    how = f" (topics found with the {e(method)} method)" if method else ""
    return ('<section id="next"><h2>What to do next</h2><p class=meta>The edits that would '
            "prevent the most contacts in this window, across content gaps, failing and "
            f"unfound articles, low CSAT and overdue reviews{how}.</p><div class=panel>"
            f'<ol class="actions">{"".join(items)}</ol></div></section>')


def drivers_section(topics: list[dict[str, Any]], method: str | None,
                    note: str | None = None) -> str:
    if not topics:
        why = e(note) if note else "No helpdesk tickets in this window (kbgen tickets import)."
        return f"<section id=drivers><h2>Contact drivers</h2><p class=na>{why}</p></section>"
    rows = []
    for t in topics[:TOP_TOPICS]:
        article = ""
        if t.get("article"):
            article = (f"<bdi>{e(t.get('title') or t['article'])}</bdi><br><span class=meta>"
                       f"{e(t['article'])}</span>")
            if t.get("source"):
                article += f"<br><code>{e(t['source'])}</code>"
        examples = "<br>".join(f'<bdi class="comment">{e(x)}</bdi>' for x in t["examples"])
        rows.append(
            f'<tr data-kind="{e(t["kind"])}"><td>{e(KIND_TEXT.get(t["kind"], t["kind"]))}</td>'
            f"<td><bdi>{e(t['label'])}</bdi></td><td>{article}</td>"
            f'<td class="n">{len(t["tickets"]):,}</td><td class="n">{t["previous"]:,}</td>'
            f'<td class="n">{t["sessions"]:,}</td><td class="n">{t["searches"]:,}</td>'
            f'<td class="n">{t["comments"]:,}</td><td>{examples}</td></tr>')
    more = (f"<p class=meta>… and {len(topics) - TOP_TOPICS} smaller topics: --format json "
            "lists all.</p>") if len(topics) > TOP_TOPICS else ""
    return ('<section id=drivers><h2>Contact drivers</h2><p class=meta>What customers contacted '
            f"support about, most tickets first ({e(method)} method). Previous = tickets on "
            "the same topic in the window of equal length before this one.</p><div class=panel>"
            '<table id="topics"><thead><tr><th>Kind</th><th>Topic (customers\' words)</th>'
            '<th>Article</th><th class="n">Tickets</th><th class="n">Previous</th>'
            '<th class="n">Sessions</th><th class="n">Searches</th><th class="n">Comments</th>'
            f"<th>Examples</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>{more}"
            "</section>")
