"""Ranking settings: what the engine scores with, and the browser index (search-ranking.js) too.

`Ranking` is the one set of knobs (the relevance benchmark records its defaults);
`FIELD_REPEATS` and `QUESTION_SHARE` are fixed by the index format and the hit rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# How many times each field's words count in the combined `all` field (BM25F: fields are
# weighted before term-frequency saturation, and a query word reads one posting list).
FIELD_REPEATS = {"title": 3, "keywords": 2, "description": 1, "headings": 1, "body": 1}
QUESTION_SHARE = 0.5  # a question entry this close to its FAQ page's score is shown instead


@dataclass(frozen=True)
class Ranking:
    """The ranking configuration (recorded by the relevance benchmark)."""

    # Each query word is searched in the `all` field (fields weighted by FIELD_REPEATS, one
    # BM25 saturation) plus these fields at their weight. (Per-field BM25 scores summed with
    # field weights were slower and measured worse on StackFAQ: MRR@10 0.810 vs 0.839 on the
    # tuning half; so were phrase boosts, query-word coverage and pseudo-relevance feedback,
    # see benchmarks/results/relevance.md.)
    combined_extra: dict[str, float] = field(default_factory=lambda: {"title": 1.5})
    k1: float = 5.0
    b: float = 0.75
    field_b: dict[str, float] = field(default_factory=lambda: {"title": 0.3, "keywords": 0.3})
    framing_weight: float = 0.6         # weight of question-framing words ("how", "way")
    typo_weight: float = 0.8            # weight of a correction relative to a typed word
    join_words: float = 1.0             # weight of two query words joined ("back up" ->
                                        # "backup"; 0: never joined)
    match_floor: bool = True            # no results for fuzzy junk (`kbgen.search.query`)
    rare_word_df: int = 1               # a known word in at most this many entries is
    rare_word_ratio: float = 5.0        # also corrected to words this many times commoner
    candidates: int = 60                # entries fetched before collapsing to articles
    common_share: float = 0.3           # in indexes of common_min_entries or more, a word
    common_min_entries: int = 2000      # in over this share of entries only adds to the
                                        # score of entries matching a rarer query word
    # The optional semantic re-ranker (`kbgen.search.semantic_mix`; used when the build
    # wrote entry vectors): score = weight x cosine(query, entry title) + (1 - weight) x the
    # BM25F score over the best BM25F score; the `semantic_candidates` entries closest in
    # meaning join the candidates if their cosine is at least `semantic_floor`.
    semantic_weight: float = 0.7
    semantic_candidates: int = 20
    semantic_floor: float = 0.45

    @property
    def fields(self) -> dict[str, float]:
        """The fields a query word is searched in, with their weights."""
        return {"all": 1.0, **self.combined_extra}
