"""`analyse(evidence, articles, vectors) -> list[Topic]`: the contact drivers of a window.

1. Every ticket of the window (subject and body, with the searches of its session) is
   compared with every article (`profiles.py`); one that clearly answers it takes it, and so
   does, with a lower bar, an article the session opened or voted on (`grouping.assign`).
2. What no article answers is clustered (`grouping.cluster`); a cluster whose tickets, taken
   together, match an article joins that article.
3. Each topic gets its kind from the majority of its sessions, which is steadier than
   deciding ticket by ticket: `failing` when most sessions opened the article (or said No
   on it) and still contacted support; `unfound` when most never reached it; `gap` when no
   article answers the topic.
4. Labels come from class-based TF-IDF over the topic's texts (`labels.py`); the previous
   window of equal length is matched the same way, for the trend.

Topics are ordered by the contacts they would prevent: tickets in the window, then the
trend. `kbgen suggest` can take the `unfound` topics from here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from kbgen.drivers.evidence import Evidence, Session, Ticket
from kbgen.drivers.grouping import BARS, article_scores, assign, cluster
from kbgen.drivers.labels import label_topics
from kbgen.drivers.profiles import ArticleProfile

KINDS = ("gap", "failing", "unfound")
EXAMPLES = 3


@dataclass
class Topic:
    """One contact driver. The first fields are the report's JSON contract."""

    label: str
    kind: str  # gap | failing | unfound
    article: str | None
    tickets: list[str]
    sessions: int = 0
    searches: int = 0
    comments: int = 0
    previous: int = 0
    examples: list[str] = field(default_factory=list)
    title: str | None = None  # the article's title, url and source file, when there is one
    url: str | None = None
    source: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


STAGES = ("embedding texts", "matching tickets to articles", "grouping tickets",
          "labelling topics")


def analyse(evidence: Evidence, articles: list[ArticleProfile], vectors: Any,
            stage: Callable[[str], None] | None = None) -> list[Topic]:
    """The window's contact drivers, highest priority first; each ticket in one topic.
    `stage(name)` is called as each of STAGES starts (progress)."""
    stage = stage or (lambda name: None)
    bars = BARS[vectors.method]
    current, previous = evidence.tickets, evidence.previous
    if not current:
        return []
    everyone = current + previous
    texts = [_texts(t, evidence.sessions) for t in everyone]
    profile_texts, owners = _profile_texts(articles, evidence.click_queries)
    unique = sorted({s for group in texts for s in group} | set(profile_texts))
    stage(STAGES[0])
    if hasattr(vectors, "fit"):
        vectors.fit(unique)
    matrix = vectors.encode(unique)
    row = {text: n for n, text in enumerate(unique)}
    profile_vectors = matrix[[row[t] for t in profile_texts]] if profile_texts \
        else np.zeros((0, matrix.shape[1]), dtype=np.float32)
    stage(STAGES[1])
    flat = [row[t] for group in texts for t in group]
    per_text = article_scores(matrix[flat], profile_vectors, np.asarray(owners, dtype=int),
                              len(articles))
    scores = _best_per_ticket(per_text, [len(g) for g in texts])
    index = {a.id: n for n, a in enumerate(articles)}
    read = [_opened(t, evidence.sessions, index) for t in everyone]
    chosen = assign(scores, read, bars)
    primary = matrix[[row[g[0]] for g in texts]]

    stage(STAGES[2])
    n_now = len(current)
    groups: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i in range(n_now):
        article = chosen[i]
        if article is not None:
            groups[("article", article)].append(i)
    loose = [i for i in range(n_now) if chosen[i] is None]
    labels = cluster(primary[loose], bars)
    for i, c in zip(loose, labels, strict=True):
        groups[("cluster", int(c))].append(i)
    groups = _join_answered_clusters(groups, scores, bars.answers)
    prev_counts = _previous(groups, chosen, primary, n_now, len(everyone), bars.together)
    stage(STAGES[3])
    return _topics(groups, everyone, texts, evidence, articles, prev_counts)


def _texts(ticket: Ticket, sessions: dict[str, Session]) -> list[str]:
    """The ticket's own words first, then its session's searches."""
    own = ticket.text or ticket.subject or "(no subject)"
    session = sessions.get(ticket.session or "")
    return [own] + ([q for q in session.queries if q != own][:5] if session else [])


def _profile_texts(articles: list[ArticleProfile],
                   clicks: dict[str, list[tuple[str, int]]]) -> tuple[list[str], list[int]]:
    texts, owners = [], []
    for n, article in enumerate(articles):
        mine = list(dict.fromkeys(article.texts + [q for q, _ in clicks.get(article.id, [])]))
        texts += mine
        owners += [n] * len(mine)
    return texts, owners


def _best_per_ticket(per_text: np.ndarray, sizes: list[int]) -> np.ndarray:
    starts = np.cumsum([0] + sizes[:-1])
    if not per_text.shape[1]:
        return np.full((len(sizes), 0), -1.0, dtype=np.float32)
    return np.maximum.reduceat(per_text, starts, axis=0)


def _opened(ticket: Ticket, sessions: dict[str, Session], index: dict[str, int]) -> set[int]:
    session = sessions.get(ticket.session or "")
    opened = set(session.viewed | session.voted_no | session.clicked) if session else set()
    if ticket.article:
        opened.add(ticket.article)
    return {index[a] for a in opened if a in index}


def _join_answered_clusters(groups, scores, bar: float):
    """A cluster whose tickets on average match one article closely joins that article."""
    out: dict[tuple[str, int], list[int]] = defaultdict(list)
    for key, members in groups.items():
        if key[0] == "cluster" and scores.shape[1]:
            mean = scores[members].mean(axis=0)
            best = int(np.argmax(mean))
            if mean[best] >= bar:
                key = ("article", best)
        out[key] += members
    return out


def _previous(groups, chosen, primary, n_now: int, n_all: int, together: float) -> Counter:
    """Tickets of the previous window per topic: by the article that answers them, else by
    the nearest topic (its tickets' mean) when it is as close as a topic's own tickets."""
    counts: Counter = Counter()
    keys = list(groups)
    centres = np.vstack([primary[groups[k]].mean(axis=0) for k in keys]) if keys else None
    if centres is not None:
        centres /= np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-9)
    for i in range(n_now, n_all):
        if chosen[i] is not None and ("article", chosen[i]) in groups:
            counts[("article", chosen[i])] += 1
        elif centres is not None:
            sims = centres @ primary[i]
            best = int(np.argmax(sims))
            if 1.0 - sims[best] <= together:
                counts[keys[best]] += 1
    return counts


def _topics(groups, everyone, texts, evidence: Evidence, articles, prev_counts) -> list[Topic]:
    keys = list(groups)
    docs = [[texts[i][0] for i in groups[k]] for k in keys]
    labels = label_topics(docs)
    out = []
    for key, label in zip(keys, labels, strict=True):
        members = groups[key]
        tickets = [everyone[i] for i in members]
        sessions = [evidence.sessions[t.session] for t in tickets
                    if t.session in evidence.sessions]
        article = articles[key[1]] if key[0] == "article" else None
        topic = Topic(
            label=label,
            kind=_kind(article, tickets, evidence.sessions),
            article=article.id if article else None,
            tickets=sorted(t.ticket_id for t in tickets),
            sessions=len({t.session for t in tickets if t.session}),
            searches=sum(s.searches for s in sessions),
            comments=sum(len(s.comments) for s in sessions),
            previous=prev_counts.get(key, 0),
            examples=_examples(tickets),
        )
        if article:
            topic.title, topic.url, topic.source = article.title, article.url, article.source
            topic.comments = max(topic.comments, evidence.no_comments.get(article.id, 0))
        out.append(topic)
    out.sort(key=lambda t: (-len(t.tickets), -(len(t.tickets) - t.previous), t.label))
    return out


def _kind(article: ArticleProfile | None, tickets: list[Ticket],
          sessions: dict[str, Session]) -> str:
    if article is None:
        return "gap"
    reached = 0
    for t in tickets:
        s = sessions.get(t.session or "")
        if t.article == article.id or (s and (article.id in s.viewed or article.id in s.voted_no
                                               or article.id in s.clicked)):
            reached += 1
    return "failing" if reached * 2 >= len(tickets) else "unfound"


def _examples(tickets: list[Ticket]) -> list[str]:
    seen: dict[str, str] = {}
    for t in tickets:
        text = " ".join(t.subject.split()) or " ".join(t.body.split())[:120]
        if text and text.lower() not in seen:
            seen[text.lower()] = text
    common = Counter(" ".join(t.subject.split()).lower() for t in tickets)
    ordered = sorted(seen.items(), key=lambda item: (-common[item[0]], len(item[1])))
    return [text for _, text in ordered[:EXAMPLES]]
