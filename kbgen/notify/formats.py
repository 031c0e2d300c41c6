"""A digest as JSON (webhooks), Slack mrkdwn, and e-mail (plain text and HTML).

Customers' words stay inert in every format: JSON strings as they are (a receiver must treat
them as text), Slack mrkdwn with `&`, `<`, `>` escaped as Slack documents (so no link,
@channel or user mention can be made) and the formatting characters `*_~`` ` defused with a
zero-width space, HTML with every value escaped by Jinja2's autoescape.
"""

from __future__ import annotations

import json
from typing import Any

from jinja2 import Environment

_SLACK_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_SLACK_MARKS = "*_~`"
ZWSP = "\u200b"


def as_json(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def slack_text(text: Any) -> str:
    """Any text as inert Slack mrkdwn."""
    out = []
    for ch in "" if text is None else str(text):
        out.append(_SLACK_ESCAPES.get(ch, ch))
        if ch in _SLACK_MARKS:
            out.append(ZWSP)
    return "".join(out)


def summary(body: dict[str, Any]) -> str:
    parts = [f"{len(body['feedback'])} new negative feedback",
             f"{len(body['low_csat'])} article(s) with low CSAT",
             f"{len(body['reviews_due'])} review(s) due",
             f"{len(body.get('gap_topics') or [])} new gap topic(s)"]
    return ", ".join(parts)


def lines(body: dict[str, Any], quote) -> list[str]:
    """The digest as text lines; `quote` makes one piece of text safe for the format."""
    out = [f"{quote(body['site_name'])}: digest for {quote(body['owner'])} "
           f"({summary(body)})", ""]
    if body["feedback"]:
        out.append("Negative feedback:")
        for f in body["feedback"]:
            comment = f' "{quote(f["comment"])}"' if f.get("comment") else ""
            out.append(f"- {quote(f['title'] or f['article'])} ({quote(f['ts'][:10])}): "
                       f"{quote(f['reason_label'])}.{comment}")
    if body["low_csat"]:
        out.append("CSAT lower bound below the review threshold:")
        for a in body["low_csat"]:
            out.append(f"- {quote(a['title'] or a['article'])}: lower bound "
                       f"{a['csat_lower'] * 100:.0f}% of {a['votes']} votes (threshold "
                       f"{a['threshold'] * 100:.0f}%)")
    if body["reviews_due"]:
        out.append("Reviews due:")
        for r in body["reviews_due"]:
            out.append(f"- {quote(r['title'] or r['article'])}: due {quote(r['due'])}")
    if body.get("gap_topics"):
        out.append("New gap topics (no article answers them: write one):")
        for g in body["gap_topics"]:
            where = f" in {quote(g['category_title'])}" if g.get("category_title") else ""
            out.append(f"- {quote(g['label'])}{where}: {len(g['tickets'])} ticket(s)")
            out += [f'  "{quote(example)}"' for example in g["examples"]]
    return out


def as_slack(body: dict[str, Any]) -> bytes:
    return json.dumps({"text": "\n".join(lines(body, slack_text))},
                      ensure_ascii=False).encode("utf-8")


def as_text(body: dict[str, Any]) -> str:
    return "\n".join(lines(body, lambda text: "" if text is None else str(text))) + "\n"


_HTML = Environment(autoescape=True).from_string("""\
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ b.site_name }} digest</title></head>
<body>
<h1>{{ b.site_name }}: digest for {{ b.owner }}</h1>
<p>{{ summary }}</p>
{% if b.feedback %}<h2>Negative feedback</h2><ul>
{% for f in b.feedback %}<li><strong>{{ f.title or f.article }}</strong> ({{ f.ts[:10] }}):
{{ f.reason_label }}.{% if f.comment %}
<blockquote><bdi>{{ f.comment }}</bdi></blockquote>{% endif %}</li>
{% endfor %}</ul>{% endif %}
{% if b.low_csat %}<h2>CSAT lower bound below the review threshold</h2><ul>
{% for a in b.low_csat %}<li>{{ a.title or a.article }}: lower bound
{{ "%.0f" % (a.csat_lower * 100) }}% of {{ a.votes }} votes</li>
{% endfor %}</ul>{% endif %}
{% if b.reviews_due %}<h2>Reviews due</h2><ul>
{% for r in b.reviews_due %}<li>{{ r.title or r.article }}: due {{ r.due }}</li>
{% endfor %}</ul>{% endif %}
{% if b.gap_topics %}<h2>New gap topics (no article answers them: write one)</h2><ul>
{% for g in b.gap_topics %}<li><strong><bdi>{{ g.label }}</bdi></strong>{% if g.category_title
%} in {{ g.category_title }}{% endif %}: {{ g.tickets | length }} ticket(s)
{% for e in g.examples %}<blockquote><bdi>{{ e }}</bdi></blockquote>{% endfor %}</li>
{% endfor %}</ul>{% endif %}
</body></html>
""")


def as_html(body: dict[str, Any]) -> str:
    return _HTML.render(b=body, summary=summary(body))
