"""Semantic mixing: the lexical candidates re-scored with the query's meaning.

When the build wrote entry vectors (`kbgen.search.semantic`), each candidate's score becomes
`semantic_weight` x the cosine of the query and the entry's title + (1 - weight) x its BM25F
score over the best one, and the entries closest in meaning that the words missed join the
candidates (`Ranking.semantic_candidates`, `Ranking.semantic_floor`). On a static host the
browser does the same with the static vectors (`kbgen.search.static_vectors.StaticSemantic`
here; twin: search-vectors.js `withMeaning`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

from kbgen.search.query import QueryReader
from kbgen.search.semantic import Semantic

if TYPE_CHECKING:
    from kbgen.search.static_vectors import StaticSemantic

log = logging.getLogger(__name__)


class EntryKeys(Protocol):
    """Between the index's entry numbers and the vectors' keys (article id or id#anchor)."""

    def entry_key(self, docnum: int) -> str: ...

    def entry_number(self, key: str) -> int | None: ...


def with_meaning(semantic: Semantic | StaticSemantic, reader: QueryReader, query: str,
                 candidates: list[tuple[float, int]],
                 entries: EntryKeys) -> list[tuple[float, int]]:
    """`candidates` (score, entry number; best first) mixed with the closeness in meaning of
    the query (as `QueryReader.meaning_text` reads it), best first."""
    ranking = reader.ranking
    try:
        similarity = semantic.similarities(reader.meaning_text(query, semantic.knows))
    except Exception:  # noqa: BLE001 - never fail a search over the optional extra
        log.exception("semantic scoring failed; searching without it")
        return candidates
    weight = ranking.semantic_weight
    # static vectors bring their own floor (`static_vectors.calibrated_floor`)
    floor = getattr(semantic, "floor", None) or ranking.semantic_floor
    best = candidates[0][0] if candidates and candidates[0][0] > 0 else 1.0
    scores: dict[int, float] = {}
    for score, docnum in candidates:
        n = semantic.position.get(entries.entry_key(docnum))
        scores[docnum] = (1 - weight) * score / best \
            + weight * (float(similarity[n]) if n is not None else 0.0)
    depth = min(ranking.semantic_candidates, len(similarity))
    if depth:
        for n in similarity.argpartition(-depth)[-depth:]:
            if similarity[n] < floor:
                continue
            close = entries.entry_number(semantic.keys[n])
            if close is not None and close not in scores:
                scores[close] = weight * float(similarity[n])
    return sorted(((score, docnum) for docnum, score in scores.items()),
                  key=lambda item: (-item[0], item[1]))
