"""What the store knows about each contact: the tickets of a window and their sessions.

Read with named, parameterised SQL (both backends run it). Only the sessions that produced
a ticket are read event by event; the rest of the help center's traffic reaches the analysis
as one aggregate: which queries led customers to click each article.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

# Tickets created in [since, until), with their session (NULL when not joined).
TICKETS = """
SELECT ticket_id, ts, subject, body, session, article FROM tickets
WHERE ts >= :since AND ts < :until
ORDER BY ts, ticket_id
"""
# The events of the sessions that produced a ticket in [since, until).
SESSION_EVENTS = """
SELECT e.session, e.ts, e.type, e.article, e.query, e.results, e.helpful, e.comment
FROM events AS e
WHERE e.session IN (SELECT t.session FROM tickets AS t
                    WHERE t.ts >= :since AND t.ts < :until AND t.session IS NOT NULL)
  AND e.type IN ('view', 'search', 'search_click', 'vote')
ORDER BY e.session, e.ts
"""
# Queries that led customers to open each article (search_click), up to the window's end.
CLICK_QUERIES = """
SELECT article, lower(trim(query)) AS q, COUNT(*) AS n FROM events
WHERE type = 'search_click' AND ts >= :lookback AND ts < :until
  AND article IS NOT NULL AND query IS NOT NULL
GROUP BY article, lower(trim(query))
"""
# "No" votes with a comment on each article in the window (every session, not only tickets).
NO_COMMENTS = """
SELECT article, COUNT(*) FROM events
WHERE type = 'vote' AND helpful = 0 AND comment IS NOT NULL AND comment <> ''
  AND ts >= :since AND ts < :until AND article IS NOT NULL
GROUP BY article
"""
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])")
# C0/C1 controls, zero-width and bidi formatting characters, the byte-order mark.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u202a-\u202e"
                      "\u2060-\u206f\ufeff\ufff9-\ufffb]")
_TAG = re.compile(r"<[^<>]{0,200}>")
_MD_LINK = re.compile(r"!?\[([^\[\]]{0,200})\]\((?:[^()\s]|\([^()\s]{0,50}\)){0,500}\)")
_URL = re.compile(r"\b(?:https?|javascript|data):\S*", re.I)
CLICK_LOOKBACK_MS = 180 * 86_400_000  # clicks older than this describe an older help center
MAX_QUERIES_PER_ARTICLE = 40


@dataclass
class Session:
    """What one contacting session did before its ticket."""

    viewed: set[str] = field(default_factory=set)
    voted_no: set[str] = field(default_factory=set)
    clicked: set[str] = field(default_factory=set)
    queries: list[str] = field(default_factory=list)
    searches: int = 0
    zero_result_searches: int = 0
    searches_with_results: int = 0
    comments: list[str] = field(default_factory=list)


@dataclass
class Ticket:
    ticket_id: str
    ts: int
    subject: str
    body: str
    session: str | None
    article: str | None  # kb_article: where the customer was when they wrote

    @cached_property
    def text(self) -> str:
        """What the customer wrote, as words to compare: the subject, then the start of the
        body. The report's examples keep the original text; this is for the analysis only."""
        subject, body = words_of(self.subject), words_of(self.body)[:300]
        return f"{subject}. {body}" if body else subject


def words_of(text: str) -> str:
    """Customer text without what is not words: terminal escapes, control and bidi
    characters, markup tags, Markdown link targets and URLs (each linear-time)."""
    text = _ANSI.sub(" ", text)
    text = _CONTROL.sub(" ", text)
    text = _MD_LINK.sub(r"\1", _TAG.sub(" ", text))
    return " ".join(_URL.sub(" ", text).split())


@dataclass
class Evidence:
    tickets: list[Ticket]
    previous: list[Ticket]  # the window of equal length just before
    sessions: dict[str, Session]
    click_queries: dict[str, list[tuple[str, int]]]  # article -> [(query, clicks)], most first
    no_comments: dict[str, int]


def read_evidence(store: Any, since_ms: int, until_ms: int) -> Evidence:
    """Everything the analysis needs for [since, until), read in one snapshot."""
    span = until_ms - since_ms
    with store.snapshot():
        tickets = _tickets(store, since_ms, until_ms)
        previous = _tickets(store, since_ms - span, since_ms)
        sessions = _sessions(store, since_ms, until_ms)
        clicks: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for article, query, n in store.query(CLICK_QUERIES, {
                "lookback": until_ms - CLICK_LOOKBACK_MS, "until": until_ms}):
            text = " ".join(str(query).split())
            if text:
                clicks[str(article)].append((text, int(n)))
        comments = {str(a): int(n) for a, n in store.query(
            NO_COMMENTS, {"since": since_ms, "until": until_ms})}
    for found in clicks.values():
        found.sort(key=lambda item: (-item[1], item[0]))
        del found[MAX_QUERIES_PER_ARTICLE:]
    return Evidence(tickets, previous, sessions, dict(clicks), comments)


def _tickets(store: Any, since_ms: int, until_ms: int) -> list[Ticket]:
    out = []
    for ticket_id, ts, subject, body, session, article in store.query(
            TICKETS, {"since": since_ms, "until": until_ms}):
        out.append(Ticket(str(ticket_id), int(ts), str(subject or "").strip(),
                          str(body or "").strip(), session, article))
    return out


def _sessions(store: Any, since_ms: int, until_ms: int) -> dict[str, Session]:
    sessions: dict[str, Session] = defaultdict(Session)
    rows = store.query(SESSION_EVENTS, {"since": since_ms, "until": until_ms})
    for session, _ts, kind, article, query, results, helpful, comment in rows:
        s = sessions[session]
        if kind == "view" and article:
            s.viewed.add(article)
        elif kind == "search":
            s.searches += 1
            if results:
                s.searches_with_results += 1
            else:
                s.zero_result_searches += 1
            text = words_of(str(query or ""))
            if text and text not in s.queries:
                s.queries.append(text)
        elif kind == "search_click" and article:
            s.clicked.add(article)
        elif kind == "vote" and article and helpful is not None and not int(helpful):
            s.voted_no.add(article)
            if comment and str(comment).strip():
                s.comments.append(str(comment))
    return dict(sessions)
