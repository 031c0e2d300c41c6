"""What each event type may carry (SPEC.md, "Events"): field names, kinds and limits."""

from __future__ import annotations

import re
from dataclasses import dataclass

EVENT_TYPES = ("view", "search", "search_click", "vote", "contact", "nps")
REASONS = ("incomplete", "outdated", "unclear", "not_my_problem", "other")
SOURCES = ("site", "contact", "api")
STAGES = ("open", "submit")

MAX_COMMENT = 1000
MAX_QUERY = 500
MAX_CHANNEL = 50

LANG_RE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?")
TOKEN_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")
ARTICLE_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")
CHANNEL_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:+-]{0,49}")
# An article revision (kbgen/content/revisions.py): 12 lower-case hex digits.
REV_RE = re.compile(r"[0-9a-f]{12}")

# What the widget offers for a "No" (theme/partials/kb-feedback.html), in the customer's words;
# the dashboard, `kbgen feedback` and the owners' digests show these labels, never the codes.
REASON_LABELS = {
    "incomplete": "The article is incomplete",
    "outdated": "It is out of date",
    "unclear": "It is hard to follow",
    "not_my_problem": "It is not about my problem",
    "other": "Something else",
}

# Fields every event has; `ts` is required only for imported events (the server sets it live).
COMMON = ("id", "type", "ts", "session")

# type -> (required fields, optional fields); an optional field may also be sent as null.
# Every type may carry `lang`, the language of the page it was sent from (help centers in
# several languages, docs/languages.md); events without it are the default language's.
TYPE_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "view": (("article",), ("rev", "lang")),
    "search": (("query", "results"), ("source", "lang")),
    "search_click": (("query", "article", "rank"), ("lang",)),
    "vote": (("article", "helpful"), ("reason", "comment", "rev", "lang")),
    "contact": (("stage",), ("article", "channel", "lang")),
    "nps": (("score",), ("comment", "lang")),
}

# Every column of the events table that comes from the wire, in export order.
WIRE_FIELDS = (
    "id", "type", "ts", "session", "article", "query", "results", "source", "rank",
    "helpful", "reason", "comment", "channel", "stage", "score", "rev", "lang",
)


@dataclass(frozen=True)
class Rule:
    """What one field's value must be. The validator (kbgen/events/validation.py) checks
    values with it and the OpenAPI document (kbgen/api/openapi.py) is generated from it, so
    the two cannot drift apart.

    kind: "token" (a `pattern`), "choice" (one of `options`), "integer" (`low`..`high`),
    "text" (at most `max_length` characters, no NUL, not blank unless `blank`), "boolean",
    "timestamp" (ISO 8601 with a time zone, or integer ms, 1970..9999).
    """

    kind: str
    what: str = ""
    pattern: re.Pattern | None = None
    options: tuple[str, ...] = ()
    low: int = 0
    high: int = 0
    max_length: int = 0
    blank: bool = True
    description: str = ""


RULES: dict[str, Rule] = {
    "id": Rule("token", "1-64 letters, digits, '-', '_', '.' or ':' (a UUID)", TOKEN_RE,
               description="client-made UUID; a retried event is stored once"),
    "session": Rule("token", "1-64 letters, digits, '-', '_', '.' or ':'", TOKEN_RE),
    "ts": Rule("timestamp", description="event time; ignored for live events (the server "
               "sets it), required by `kbgen events import`"),
    "article": Rule("token", "an article id: lower-case letters, digits and '-'", ARTICLE_RE,
                    description="an article id from the built site's manifest"),
    "query": Rule("text", max_length=MAX_QUERY, blank=False, description="as typed"),
    "results": Rule("integer", low=0, high=100_000),
    "source": Rule("choice", options=SOURCES),
    "rank": Rule("integer", low=1, high=10_000),
    "helpful": Rule("boolean"),
    "reason": Rule("choice", options=REASONS),
    "comment": Rule("text", max_length=MAX_COMMENT, blank=True,
                    description="customer text: stored exactly, never rendered"),
    "channel": Rule("token", "a short channel name such as email or chat", CHANNEL_RE),
    "stage": Rule("choice", options=STAGES),
    "score": Rule("integer", low=0, high=10),
    "rev": Rule("token", "12 lower-case hex digits (the page's data-kb-rev)", REV_RE,
                description="the article's revision the customer read: the first 12 hex "
                "digits of SHA-256 over its title and whitespace-collapsed body"),
    "lang": Rule("token", "a language code such as de or pt-BR", LANG_RE,
                 description="the language of the page the event was sent from (the "
                 "`languages` option); absent: the help center's default language"),
}
