"""What each event type may carry (SPEC.md, "Events"): field names, kinds and limits."""

from __future__ import annotations

import re

EVENT_TYPES = ("view", "search", "search_click", "vote", "contact", "nps")
REASONS = ("incomplete", "outdated", "unclear", "not_my_problem", "other")
SOURCES = ("site", "contact", "api")
STAGES = ("open", "submit")

MAX_COMMENT = 1000
MAX_QUERY = 500
MAX_CHANNEL = 50

TOKEN_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")
ARTICLE_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")
CHANNEL_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:+-]{0,49}")

# Fields every event has; `ts` is required only for imported events (the server sets it live).
COMMON = ("id", "type", "ts", "session")

# type -> (required fields, optional fields)
TYPE_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "view": (("article",), ()),
    "search": (("query", "results"), ("source",)),
    "search_click": (("query", "article", "rank"), ()),
    "vote": (("article", "helpful"), ("reason", "comment")),
    "contact": (("stage",), ("article", "channel")),
    "nps": (("score",), ("comment",)),
}

# Every column of the events table that comes from the wire, in export order.
WIRE_FIELDS = (
    "id", "type", "ts", "session", "article", "query", "results", "source", "rank",
    "helpful", "reason", "comment", "channel", "stage", "score",
)
