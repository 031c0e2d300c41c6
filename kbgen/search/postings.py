"""Fast scoring: each query term's BM25F scores read once, then summed per entry in Python.

Whoosh's matchers re-read, re-decode and re-score a term's postings on every query (and
spend most of the time moving their matcher trees), which made queries of common words take
50-150 ms at 5,000 articles. Here a term's postings are read once through Whoosh, with
Whoosh's own scorer, into two compact arrays (entry numbers, scores) that are kept while the
index is open; a query then only multiplies by its boosts and adds up. The result is the
ranking Whoosh gives for the same query: the same sums, the same order (higher score first,
then lower entry number), the same `candidates` cut. Twin: `score` in
theme/assets/kbgen/search-ranking.js, over the scores the browser index stores.
"""

from __future__ import annotations

import heapq
from array import array
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Sequence

# (field, stem, boost): one Whoosh Term of the query.
QueryTerm = tuple[str, str, float]
Postings = tuple[array, array]  # entry numbers ascending ('i'), unboosted scores ('d')
Loader = Callable[[str, str], Postings]

MAX_POSTINGS = 4_000_000  # ~48 MB of cached postings; the least recently used go first


class PostingsCache:
    """(field, stem) -> postings with scores, loaded on first use, least recently used evicted."""

    def __init__(self, load: Loader, max_postings: int = MAX_POSTINGS):
        self._load = load
        self._max = max_postings
        self._size = 0
        self._cache: OrderedDict[tuple[str, str], Postings] = OrderedDict()

    def get(self, field: str, stem: str) -> Postings:
        key = (field, stem)
        postings = self._cache.get(key)
        if postings is not None:
            self._cache.move_to_end(key)
            return postings
        postings = self._load(field, stem)
        self._cache[key] = postings
        self._size += len(postings[0])
        while self._size > self._max and len(self._cache) > 1:
            _, (docs, _) = self._cache.popitem(last=False)
            self._size -= len(docs)
        return postings


def empty_postings() -> Postings:
    return array("i"), array("d")


def _add(scores: dict[int, float], postings: Postings, boost: float,
         only: dict[int, float] | None = None) -> None:
    docs, values = postings
    get = scores.get
    if only is None:
        for doc, value in zip(docs, values, strict=True):
            scores[doc] = get(doc, 0.0) + value * boost
    else:
        for doc, value in zip(docs, values, strict=True):
            if doc in only:
                scores[doc] = get(doc, 0.0) + value * boost


def _sparse(cache, required, optional) -> dict[int, float]:
    """Scores in a dict: for queries whose terms are in few entries."""
    scores: dict[int, float] = {}
    for field, stem, boost in required:
        _add(scores, cache.get(field, stem), boost)
    if optional and scores:
        extra: dict[int, float] = {}
        for field, stem, boost in optional:
            _add(extra, cache.get(field, stem), boost, only=scores)
        for doc, value in extra.items():
            scores[doc] += value
    return scores


def _dense(cache, required, optional, size: int) -> dict[int, float]:
    """Scores in a list with a slot per entry: faster when the terms are in most entries.
    Relies on every term score being positive (an entry matches iff its sum is not 0)."""
    scores = [0.0] * size
    for field, stem, boost in required:
        docs, values = cache.get(field, stem)
        for doc, value in zip(docs, values, strict=True):
            scores[doc] += value * boost
    matched = [doc for doc, score in enumerate(scores) if score]
    if optional and matched:
        extra = [0.0] * size
        for field, stem, boost in optional:
            docs, values = cache.get(field, stem)
            if len(matched) * 16 < len(docs):  # few matches: look each one up
                for doc in matched:
                    i = bisect_left(docs, doc)
                    if i < len(docs) and docs[i] == doc:
                        extra[doc] += values[i] * boost
            else:
                for doc, value in zip(docs, values, strict=True):
                    if scores[doc]:
                        extra[doc] += value * boost
        return {doc: scores[doc] + extra[doc] for doc in matched}
    return {doc: scores[doc] for doc in matched}


def top_entries(
    cache: PostingsCache,
    required: Sequence[QueryTerm],
    optional: Sequence[QueryTerm],
    depth: int,
    size: int,
) -> list[tuple[float, int]]:
    """The best `depth` (score, entry) pairs, best first, ties to the lower entry number.

    Entries match if they contain any `required` term (scores summed, Whoosh's Or); the
    `optional` terms only add to entries that already match (Whoosh's AndMaybe). `size` is
    the number of entry numbers (Whoosh's doc_count_all); boosts must be positive.
    Per entry the sums are done in the same order either way, so the scores are identical.
    """
    if depth <= 0:
        return []
    postings = sum(len(cache.get(field, stem)[0]) for field, stem, _ in required)
    if postings * 8 < size:
        scores = _sparse(cache, required, optional)
    else:
        scores = _dense(cache, required, optional, size)
    if len(scores) > depth:
        cut = heapq.nlargest(depth, scores.values())[-1]
        pool = [(-score, doc) for doc, score in scores.items() if score >= cut]
    else:
        pool = [(-score, doc) for doc, score in scores.items()]
    pool.sort()
    return [(-negated, doc) for negated, doc in pool[:depth]]
