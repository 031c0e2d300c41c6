"""Seeded synthetic traffic for a built help center, so a newcomer sees a meaningful report.

Sessions search (some for things the help center does not cover, so the report shows content
gaps), read articles, vote, open the contact page and sometimes submit, and answer NPS. In a
help center with several languages, a share of the sessions reads the translated articles in
their language (events with `lang`), so the report's language breakdown has numbers. A
seeded share of the articles is clearly good (helpful, few contacts) and another clearly bad
(unhelpful, many contacts), chosen among the popular ones so the report leads with them.

Everything follows from the seed and the day: the same seed on the same UTC day writes the
same events (same ids), so running the demo twice adds nothing the second time.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from kbgen.analytics.manifest import Manifest
from kbgen.analytics.window import midnight
from kbgen.errors import KbgenError

SESSIONS_PER_DAY = 120
# Things Pennant's help center has no article about: the sample's search finds nothing for
# them (checked with `kbgen search`), so the report's content gaps are real ones.
GAP_QUERIES = ("payroll", "inventory", "bitcoin", "hipaa", "Payroll ")
REASONS = ("incomplete", "outdated", "unclear", "not_my_problem", "other")
COMMENTS = (
    "The screenshots do not match what I see.",
    "Step 3 is missing: where is the button?",
    "This did not answer my question.",
    "Outdated, the menu moved.",
    "Too long, I just wanted the setting.",
)
# Readers of each other language: this share of the sessions, reading that language's
# translations (the sample's German gap searches find nothing, like the English ones).
OTHER_LANGUAGE_SHARE = 0.12
GAP_QUERIES_BY_LANGUAGE = {"de": ("Lohnabrechnung", "Lagerbestand", "Bitcoin")}
COMMENTS_BY_LANGUAGE = {"de": (
    "Die Bildschirmfotos passen nicht zu dem, was ich sehe.",
    "Das hat meine Frage nicht beantwortet.",
    "Veraltet, das Menü ist umgezogen.",
)}
QUALITY = {  # helpful share, contact-after-view chance
    "good": (0.93, 0.02),
    "average": (0.72, 0.10),
    "bad": (0.25, 0.40),
}


@dataclass(frozen=True)
class DemoArticle:
    id: str
    title: str
    quality: str
    weight: float


def plan_articles(manifest: Manifest, rng: random.Random) -> list[DemoArticle]:
    """Popularity by a Zipf law over a seeded order; the most read include good and bad."""
    if not manifest.articles:
        raise KbgenError(
            "The manifest lists no articles. Fix: run `kbgen build` first, so the demo knows "
            "the help center's articles."
        )
    ids = sorted(manifest.articles)
    rng.shuffle(ids)
    out = []
    for rank, article_id in enumerate(ids):
        quality = "bad" if rank % 5 == 1 else "good" if rank % 5 in (0, 3) else "average"
        title = str(manifest.articles[article_id].get("title") or article_id)
        out.append(DemoArticle(article_id, title, quality, 1 / (rank + 1) ** 0.9))
    return out


def translated(manifest: Manifest, articles: list[DemoArticle]) -> dict[str, list[DemoArticle]]:
    """Each other language's articles that have a translation (current or stale)."""
    out: dict[str, list[DemoArticle]] = {}
    for lang in manifest.languages[1:]:
        found = [a for a in articles
                 if (manifest.articles[a.id].get("translations") or {}).get(lang)]
        if found:
            out[lang] = found
    return out


class _Session:
    def __init__(self, rng: random.Random, start: datetime, lang: str = "") -> None:
        self.rng, self.t, self.id = rng, start, f"demo-{rng.getrandbits(64):016x}"
        self.lang = lang
        self.events: list[dict[str, Any]] = []

    def add(self, kind: str, **fields: Any) -> None:
        self.t += timedelta(seconds=self.rng.randint(4, 180))
        event_id = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        if self.lang:
            fields["lang"] = self.lang
        self.events.append({"id": event_id, "type": kind, "session": self.id,
                            "ts": self.t.strftime("%Y-%m-%dT%H:%M:%SZ"), **fields})


_STOP = {"a", "an", "and", "the", "to", "of", "or", "on", "in", "for", "your", "you", "how",
         "what", "when", "with", "from", "is", "do", "i", "my", "can"}


def _query_for(rng: random.Random, article: DemoArticle) -> str:
    """What a customer types for this article: two or three of its title's words."""
    words = [w for w in article.title.lower().replace("?", "").split() if w not in _STOP]
    if not words:
        return article.id.replace("-", " ")
    start = rng.randrange(len(words))
    query = " ".join(words[start:start + rng.randint(2, 3)])
    return query.capitalize() if rng.random() < 0.3 else query


def _gap_search(rng: random.Random, s: _Session, queries: tuple[str, ...]) -> None:
    """A search that finds nothing, then sometimes the contact form."""
    s.add("search", query=rng.choice(queries), results=0, source="site")
    if rng.random() < 0.5:
        s.add("contact", stage="open", channel="form")
        if rng.random() < 0.6:
            s.add("contact", stage="submit", channel="form")


def _visit(rng: random.Random, s: _Session, articles: list[DemoArticle]) -> None:
    article = rng.choices(articles, weights=[a.weight for a in articles])[0]
    helpful_share, contact_chance = QUALITY[article.quality]
    if s.lang:
        # Readers of a translation mostly arrive from a search engine (searching the help
        # center in their language would need the translated titles, which the manifest
        # does not hold); a few search it for what it lacks.
        if rng.random() < 0.07 and s.lang in GAP_QUERIES_BY_LANGUAGE:
            _gap_search(rng, s, GAP_QUERIES_BY_LANGUAGE[s.lang])
            return
    elif rng.random() < 0.55:
        if rng.random() < 0.12:
            _gap_search(rng, s, GAP_QUERIES)
            return
        query = _query_for(rng, article)
        s.add("search", query=query, results=rng.randint(1, 8), source="site")
        if rng.random() < 0.7:
            s.add("search_click", query=query, article=article.id, rank=rng.randint(1, 3))
    for _ in range(rng.choice((1, 1, 1, 2))):
        s.add("view", article=article.id)
    if rng.random() < 0.35:
        helpful = rng.random() < helpful_share
        vote: dict[str, Any] = {"article": article.id, "helpful": helpful}
        if not helpful and rng.random() < 0.6:
            vote["reason"] = rng.choice(REASONS)
            if rng.random() < 0.5:
                vote["comment"] = rng.choice(COMMENTS_BY_LANGUAGE.get(s.lang, COMMENTS))
        s.add("vote", **vote)
    if rng.random() < contact_chance:
        s.add("contact", stage="open", article=article.id, channel="form")
        if rng.random() < 0.75:
            s.add("contact", stage="submit", article=article.id, channel="form")
    if rng.random() < 0.04:
        s.add("nps", score=rng.choice((10, 9, 9, 8, 7, 6, 3) if article.quality != "bad"
                                      else (9, 7, 6, 5, 3, 1, 0)))


def demo_events(manifest: Manifest, seed: int = 1, days: int = 30,
                now: datetime | None = None) -> list[dict[str, Any]]:
    """Events for the `days` whole UTC days before today, oldest first."""
    today = midnight(now or datetime.now(UTC))
    rng = random.Random(f"kbgen-demo:{seed}:{today.date().isoformat()}")
    articles = plan_articles(manifest, rng)
    readers = translated(manifest, articles)
    events: list[dict[str, Any]] = []
    for day in range(days, 0, -1):
        start = today - timedelta(days=day)
        growth = 1 + 0.3 * (days - day) / max(days, 1)  # traffic grows over the month
        weekend = 0.6 if start.weekday() >= 5 else 1.0
        for _ in range(int(SESSIONS_PER_DAY * growth * weekend)):
            begins = start + timedelta(seconds=rng.randint(0, 86_000 - 3_600))
            lang = ""
            if readers and rng.random() < OTHER_LANGUAGE_SHARE * len(readers):
                lang = rng.choice(sorted(readers))
            session = _Session(rng, begins, lang)
            _visit(rng, session, readers[lang] if lang else articles)
            events += session.events
    events.sort(key=lambda e: (e["ts"], e["id"]))
    return events
