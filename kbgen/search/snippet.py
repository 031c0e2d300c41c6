"""Search-result snippets: the passage of an article that holds most of the query's words."""

from __future__ import annotations

import re
from functools import lru_cache

from kbgen.search.analysis import WORD_PATTERN, fold, stem, surface

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
MAX_CHARS = 180
SCAN_CHARS = 20_000  # long articles: look for the passage in their first 20,000 characters


@lru_cache(maxsize=65536)
def _token_stem(token: str) -> str:
    """The stem of a word as WORD_PATTERN finds it in folded text (memoised: snippets
    read every word of ten articles per query)."""
    return stem(surface(token))


def snippet(text: str, query_stems: set[str], fallback: str = "") -> str:
    """The sentence of `text` matching the most distinct query stems, trimmed to ~180 chars.

    Falls back to `fallback` (the description) when no sentence matches.
    """
    best, best_score, best_start = "", 0, 0
    for sentence in _SENTENCE_END.split(text[:SCAN_CHARS]):
        sentence = " ".join(sentence.split())
        if not sentence:
            continue
        folded = fold(sentence)
        score = len(query_stems.intersection(map(_token_stem, WORD_PATTERN.findall(folded))))
        if score > best_score:
            best, best_score = sentence, score
            best_start = next(match.start() for match in WORD_PATTERN.finditer(folded)
                              if _token_stem(match.group()) in query_stems)
    if not best:
        return _trim(fallback or " ".join(text.split()), 0)
    return _trim(best, best_start)


def _trim(sentence: str, focus: int) -> str:
    if len(sentence) <= MAX_CHARS:
        return sentence
    start = max(0, min(focus - 40, len(sentence) - MAX_CHARS))
    if start:
        start = sentence.find(" ", start) + 1 or start
    end = start + MAX_CHARS
    cut = sentence[start:end].rsplit(" ", 1)[0] if end < len(sentence) else sentence[start:]
    return ("…" if start else "") + cut + ("…" if end < len(sentence) else "")
