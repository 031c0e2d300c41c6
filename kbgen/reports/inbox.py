"""The dashboard's feedback inbox: negative votes with reasons and comments.

Grouped by owner, then by article, newest first at every level, so each owner sees what to
fix in their articles. Comments are customer text: escaped, isolated in `<bdi>`, and shown
with their line breaks but never as markup.
"""

from __future__ import annotations

from collections import defaultdict
from html import escape
from typing import Any


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def group_feedback(items: list[dict[str, Any]]) -> list[tuple[str, list[tuple[str, list]]]]:
    """[(owner, [(article, [items newest first])])], owners and articles by newest item."""
    owners: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for item in sorted(items, key=lambda i: i["ts"], reverse=True):
        owners[item.get("owner") or "(no owner)"][item["article"]].append(item)
    return [(owner, list(articles.items())) for owner, articles in owners.items()]


def feedback_section(items: list[dict[str, Any]]) -> str:
    if not items:
        return ("<section><h2>Feedback inbox</h2><p class=na>No negative votes with a reason "
                "or comment in this window.</p></section>")
    parts = []
    for owner, articles in group_feedback(items):
        total = sum(len(entries) for _, entries in articles)
        parts.append(f'<details open><summary><strong>{_e(owner)}</strong> · {total} '
                     "negative</summary>")
        for article, entries in articles:
            title = entries[0].get("title") or article
            parts.append(f"<h3><bdi>{_e(title)}</bdi> <span class=meta>{_e(article)}</span></h3>"
                         "<table><tbody>")
            parts += [
                f"<tr><td>{_e(i['ts'])}</td><td>{_e(i.get('reason') or '')}</td>"
                f'<td><bdi class="comment">{_e(i.get("comment") or "")}</bdi></td></tr>'
                for i in entries
            ]
            parts.append("</tbody></table>")
        parts.append("</details>")
    return ('<section><h2>Feedback inbox</h2><p class=meta>Negative votes with a reason or '
            "comment, by owner and article, newest first.</p><div class=panel>"
            + "".join(parts) + "</div></section>")
