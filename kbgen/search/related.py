"""Related articles in (near) linear time, computed at build time.

More-like-this as one Whoosh query per article scores every article that shares any of its
words, so a build grows with the square of the help center (about 20 minutes of CPU at
5,000 articles). Here each article is reduced to its few most distinctive stems (tf-idf over
title x3, keywords x2, headings x2, body x1); words in more than MAX_DF articles say nothing
about similarity and are left out, so every posting list is short and the whole pass is
linear in the number of articles. Plain Python: no Whoosh, no index needed.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from kbgen.search.analysis import index_terms
from kbgen.search.docs import SearchDoc, doc_from_article
from kbgen.search.terms import AnalysedEntry

TERMS_PER_DOC = 20
MAX_DF = 100  # a stem in more articles than this is too common to relate two of them
FIELD_WEIGHTS = (("title", 3), ("keywords", 2), ("headings", 2), ("body", 1))


def related_ids(articles: Sequence[object], per_article: int = 5,
                analysed: Mapping[str, list[AnalysedEntry]] | None = None,
                ) -> dict[str, list[str]]:
    """For each article, the ids of the `per_article` most similar other articles.

    `analysed`: the docs' entries with their words (`kbgen.search.terms.analyse`), if the
    caller has them already.
    """
    docs = [a if isinstance(a, SearchDoc) else doc_from_article(a) for a in articles]
    counts = [_weighted_stems(doc, analysed) for doc in docs]
    df: Counter[str] = Counter()
    for stems in counts:
        df.update(stems.keys())
    total = len(docs)
    vectors = [_top_terms(stems, df, total) for stems in counts]
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for number, vector in enumerate(vectors):
        for stem, weight in vector.items():
            postings[stem].append((number, weight))
    related = {}
    for number, (doc, vector) in enumerate(zip(docs, vectors, strict=True)):
        scores: defaultdict[int, float] = defaultdict(float)
        for stem, weight in vector.items():
            for other, other_weight in postings[stem]:
                if other != number:
                    scores[other] += weight * other_weight
        best = heapq.nlargest(per_article, scores.items(), key=lambda item: (item[1], -item[0]))
        related[doc.id] = [docs[other].id for other, _ in best]
    return related


def _weighted_stems(doc: SearchDoc,
                    analysed: Mapping[str, list[AnalysedEntry]] | None) -> Counter[str]:
    found = analysed.get(doc.id) if analysed is not None else None
    # The article's own entry holds its title, headings and body; its keywords field also
    # holds the tags, which are not compared here.
    terms = found[0][1] if found else {}
    counts: Counter[str] = Counter()
    for field, weight in FIELD_WEIGHTS:
        stems = terms.get(field) if field != "keywords" else None
        if stems is None:
            value = getattr(doc, field)
            stems = index_terms(" ".join(value) if isinstance(value, list) else value)
        for _, stem in stems:
            counts[stem] += weight
    return counts


def _top_terms(stems: Counter[str], df: Counter[str], total: int) -> dict[str, float]:
    """The most distinctive shared stems of one article, as a unit-length tf-idf vector."""
    scored = [
        (math.log1p(tf) * math.log(1 + total / df[stem]), stem)
        for stem, tf in stems.items()
        if 1 < df[stem] <= MAX_DF
    ]
    top = heapq.nlargest(TERMS_PER_DOC, scored)
    norm = math.sqrt(sum(score * score for score, _ in top)) or 1.0
    return {stem: score / norm for score, stem in top}
