"""Evidence into suggestions: which keywords to add to which article, which search tests.

One suggestion per article and customer phrase, with all the evidence behind it. It is left
out when fewer than `min_sessions` distinct sessions back it, when the phrase fails the
customer-words rule (words.py), when the article is not a published article of the help
center, or when the article already has it (as a keyword, its title, or a search test;
compared case-, accent- and punctuation-blind).

Findability evidence (searches with results but no click) names no article: the engine's
best match for the query is taken, and only when it holds fewer than COVERED of the query's
words (the engine found it through a typo, a synonym or the semantic model: the text does
not use the customers' words).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kbgen.search.analysis import index_terms, query_words
from kbgen.suggest import words as customer
from kbgen.suggest.evidence import NO_CLICK, Evidence

DEFAULT_MIN_SESSIONS = 3
COVERED = 0.5


@dataclass
class Suggestion:
    article: str
    src: str  # the article's file, relative to the content folder
    words: str
    evidence: list[Evidence] = field(default_factory=list)
    keyword: bool = True  # add `words` to the article's keywords
    test: bool = True  # add a search test `words` -> article
    note: str = ""  # why the search test was left out

    @property
    def sessions(self) -> int:
        return max(e.sessions for e in self.evidence)


@dataclass
class Plan:
    suggestions: list[Suggestion]
    skipped_texts: int  # distinct customer texts refused by the customer-words rule
    below_threshold: int  # suggestions backed by fewer than min_sessions sessions


def make_plan(evidence: Iterable[Evidence], site: Any, existing_tests: set[tuple[str, str]],
              idx: Any, min_sessions: int) -> Plan:
    """`site` is the loaded help center (kbgen.content), `existing_tests` the (query,
    article) pairs already in search-tests.yml, `idx` the built search index."""
    by_id = {a.id: a for a in site.published()}
    found: dict[tuple[str, str], Suggestion] = {}
    skipped: set[str] = set()
    below = 0
    for item in evidence:
        phrase = customer.customer_words(item.words)
        if phrase is None:
            skipped.add(item.words)
            continue
        if item.sessions < min_sessions:
            below += 1
            continue
        article_id = item.article if item.kind != NO_CLICK else _poorly_covered(idx, by_id,
                                                                               phrase)
        article = by_id.get(article_id or "")
        if article is None:
            continue
        key = (article.id, customer.same(phrase))
        suggestion = found.setdefault(key, Suggestion(article.id, article.src, phrase))
        suggestion.evidence.append(item)
    kept = []
    for (article_id, same), suggestion in found.items():
        article = by_id[article_id]
        has = {customer.same(k) for k in article.keywords} | {customer.same(article.title)}
        suggestion.keyword = same not in has
        suggestion.test = (same, article_id) not in existing_tests
        if suggestion.keyword or suggestion.test:
            kept.append(suggestion)
    kept.sort(key=lambda s: (-s.sessions, s.article, s.words))
    return Plan(kept, len(skipped), below)


def _poorly_covered(idx: Any, by_id: dict[str, Any], phrase: str) -> str | None:
    """The best match for `phrase` when it holds fewer than COVERED of its words."""
    hits = idx.search(phrase, 1, snippets=False)
    if not hits or hits[0].id not in by_id:
        return None
    article = by_id[hits[0].id]
    wanted = {w.stem for w in query_words(phrase)}
    if not wanted:
        return None
    text = " ".join([article.title, article.description, *article.keywords, article.body])
    held = wanted & {stem for _, stem in index_terms(text)}
    return article.id if len(held) < COVERED * len(wanted) else None
