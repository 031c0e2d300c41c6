"""Typo tolerance: correct a query word against the words the help center actually uses.

Plain Python so the browser can mirror it (twin: theme/assets/kbgen/search-ranking.js). A
vocabulary (word -> number of documents) is indexed by its one-letter deletions; a query
word's own one-letter deletions then find every word within one edit (insert, delete,
substitute, swap of neighbours) and most within two; for a long word, allowed two edits, its
two-letter deletions also find a letter typed too many plus one mistyped ("callrndar" ->
"calendar"). The true distance decides. Words of three letters are only corrected by the
letter they most often lose (one inserted after the first: "mil" -> "mail"); shorter words
never (too many neighbours).

A space typed inside a word ("strike through", "back up") is the other common slip:
`joined_words` finds the neighbouring query words that the help center writes as one word.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

MIN_LENGTH = 4          # words shorter than this are taken as typed...
SHORT_WORD = 3          # ...except that one this long may have lost a letter after its first
LONG_WORD = 8           # from this length two edits are allowed


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Optimal-string-alignment distance (a swap of neighbours is one edit), capped at limit."""
    if abs(len(a) - len(b)) >= limit:
        return limit
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) >= limit:
            return limit
        prev2, prev = prev, cur
    return min(prev[-1], limit)


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))} | {word}


def max_edits(word: str) -> int:
    if len(word) < MIN_LENGTH:
        return 0
    return 2 if len(word) >= LONG_WORD else 1


def joined_pairs(tokens: Iterable[str], vocabulary: Mapping[str, int],
                 skip: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """Neighbouring query words the vocabulary writes as one word ("back", "up" for
    "backup"), in query order. `tokens` are all the query's words, stop words included (two
    words are only joined if nothing stood between them); words in `skip` (the index's
    function words) are never part of a join, so "to html" does not become "tohtml"."""
    found: list[tuple[str, str]] = []
    previous = ""
    for token in tokens:
        if previous and token not in skip and previous not in skip:
            joined = previous + token
            if (len(joined) >= MIN_LENGTH and joined.isalpha() and joined.isascii()
                    and joined in vocabulary and (previous, token) not in found):
                found.append((previous, token))
        previous = token
    return found


def joined_words(tokens: Iterable[str], vocabulary: Mapping[str, int],
                 skip: frozenset[str] = frozenset()) -> list[str]:
    """The words `joined_pairs` finds ("backup"), each once."""
    pairs = joined_pairs(tokens, vocabulary, skip)
    return list(dict.fromkeys(left + right for left, right in pairs))


class Speller:
    """Finds the vocabulary words a misspelled query word was meant to be."""

    def __init__(self, vocabulary: Mapping[str, int]):
        self.vocabulary = dict(vocabulary)
        self._by_deletion: dict[str, list[str]] | None = None

    def _index(self) -> dict[str, list[str]]:
        if self._by_deletion is None:
            index: dict[str, list[str]] = defaultdict(list)
            for word in self.vocabulary:
                if len(word) >= MIN_LENGTH - 1 and word.isalpha():
                    for key in _deletions(word):
                        index[key].append(word)
            self._by_deletion = dict(index)
        return self._by_deletion

    def corrections(self, word: str, limit: int = 3) -> list[tuple[str, int]]:
        """Up to `limit` (vocabulary word, edits) pairs, closest then most common first."""
        if len(word) == SHORT_WORD and word.isalpha():
            return self._lost_letter(word, limit)
        allowed = max_edits(word)
        if not allowed or not word.isalpha():
            return []
        index = self._index()
        keys = _deletions(word)
        if allowed == 2:
            keys = {fewer for key in keys for fewer in _deletions(key)}
        candidates: set[str] = set()
        for key in keys:
            candidates.update(index.get(key, ()))
        candidates.discard(word)
        # A correction starts with one of the word's first `allowed + 1` letters: typing
        # slips rarely hit the first letter, and the browser then needs only those letters'
        # vocabulary shards ("unreplied" -> "replied" drops two letters before the "r").
        starts = word[: allowed + 1]
        scored = []
        for candidate in candidates:
            if candidate[0] not in starts:
                continue
            distance = edit_distance(word, candidate, allowed + 1)
            if distance <= allowed:
                scored.append((distance, -self.vocabulary[candidate], candidate))
        scored.sort()
        return [(candidate, distance) for distance, _, candidate in scored[:limit]]

    def _lost_letter(self, word: str, limit: int) -> list[tuple[str, int]]:
        """Vocabulary words that are `word` with one letter put back after its first, most
        common first (a three-letter word has too many neighbours for other edits)."""
        found = {
            word[:i] + letter + word[i:]
            for i in range(1, len(word) + 1) for letter in "abcdefghijklmnopqrstuvwxyz"
        }
        scored = sorted((-self.vocabulary[w], w) for w in found if w in self.vocabulary)
        return [(candidate, 1) for _, candidate in scored[:limit]]
