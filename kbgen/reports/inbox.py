"""The dashboard's feedback inbox: negative votes with reasons and comments.

Grouped by owner, then by article, newest first at every level, so each owner sees what to
fix in their articles. Each item shows its state (open, resolved, dismissed: `kbgen
feedback`), the reason in the words the customer picked, and its id for `kbgen feedback
resolve`. Comments are customer text: escaped, isolated in `<bdi>`, and shown with their
line breaks but never as markup.
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
        still_open = sum(i.get("state", "open") == "open" for _, es in articles for i in es)
        parts.append(f'<details open><summary>Owner <strong>{_e(owner)}</strong> · {total} '
                     f"negative, {still_open} open</summary>")
        for article, entries in articles:
            title = entries[0].get("title") or article
            parts.append(f"<h3><bdi>{_e(title)}</bdi> <span class=meta>{_e(article)}</span></h3>"
                         "<table><thead><tr><th>Sent</th><th>State</th><th>What went wrong"
                         "</th><th>Comment</th><th>Item</th></tr></thead><tbody>")
            parts += [_item_row(i) for i in entries]
            parts.append("</tbody></table>")
        parts.append("</details>")
    return ('<section><h2>Feedback inbox</h2><p class=meta>Negative votes with a reason or '
            "comment, by owner and article, newest first. Mark them done with "
            "<code>kbgen feedback resolve ID</code> or <code>dismiss ID</code>.</p>"
            "<div class=panel>"
            + "".join(parts) + "</div></section>")


def _item_row(item: dict[str, Any]) -> str:
    state = item.get("state") or "open"
    note = f'<br><span class=meta>{_e(item["note"])}</span>' if item.get("note") else ""
    label = item.get("reason_label") or item.get("reason") or ""
    return (f"<tr><td>{_e(item['ts'])}</td>"
            f'<td><span class="state state-{_e(state)}">{_e(state)}</span>{note}</td>'
            f"<td>{_e(label)}</td>"
            f'<td><bdi class="comment">{_e(item.get("comment") or "")}</bdi></td>'
            f'<td class=meta>{_e(str(item.get("id") or "")[:8])}</td></tr>')
