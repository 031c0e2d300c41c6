"""Query understanding: a customer's words -> the stems to search, and which results count.

Plain Python (no Whoosh), read against one open index through `Lexicon`:

- each content word of the query is searched with its weight (question framing such as
  "how" counts less); a word the help center never uses is replaced by the vocabulary words
  within one or two typing mistakes, and a word it uses only rarely also searches for much
  commoner neighbours (`kbgen.search.fuzzy`);
- two neighbouring words it writes as one ("back up") also search for that word;
- the match floor: fuzzy junk is not shown, so a query about something the help center
  lacks finds nothing, a content gap in the reports.

Twin: theme/assets/kbgen/search-ranking.js (`alternatives`, `joinedWords`, `matchFloor`,
`searchBuild`); each of its functions names the function here it mirrors.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from typing import NamedTuple, Protocol

from kbgen.search.analysis import fold, index_stop_words, weighted_query_words, words
from kbgen.search.analysis import stem as porter_stem  # the current language's stemmer
from kbgen.search.fuzzy import MIN_LENGTH, Speller, joined_pairs
from kbgen.search.postings import PostingsCache, QueryTerm
from kbgen.search.ranking import Ranking
from kbgen.search.terms import TEXT_FIELDS

MAX_REMEMBERED_WORDS = 50_000  # query words whose corrections are kept while open
MAX_QUERY_CHARS = 1000
MAX_QUERY_WORDS = 32

Alternatives = list[tuple[str, float]]  # the stems searched for one query word, weighted


class Lexicon(Protocol):
    """What query understanding reads from an open index."""

    @property
    def speller(self) -> Speller: ...

    def doc_frequency(self, field: str, stem: str) -> int: ...

    def doc_count(self) -> int: ...


class QueryPlan(NamedTuple):
    """The query's words (stems with weights) and its terms, as clauses.

    Each clause is one query word's terms (field, stem, boost); `common` holds the clauses
    of words in so many entries that they only add to entries matching a rarer word.
    """

    per_word: list[Alternatives]
    clauses: list[list[QueryTerm]]
    common: list[list[QueryTerm]]

    @property
    def stems(self) -> set[str]:
        return {stem for alternatives in self.per_word for stem, _ in alternatives}


class QueryReader:
    """Reads customers' queries against one open index (its vocabulary and term counts)."""

    def __init__(self, ranking: Ranking, lexicon: Lexicon, postings: PostingsCache):
        self.ranking = ranking
        self._lexicon = lexicon
        self._postings = postings
        self._words: dict[str, Alternatives] = {}

    def plan(self, query: str) -> QueryPlan:
        """The stems and terms to search for `query` (twin: search-ranking.js `searchBuild`)."""
        ranking = self.ranking
        lexicon = self._lexicon
        per_word: list[Alternatives] = []
        for word, word_weight in self._weighted_words(query):
            alternatives = self.alternatives(word.text, word.stem)
            if alternatives:
                per_word.append([(stem, w * word_weight) for stem, w in alternatives])
        stems = {stem for alternatives in per_word for stem, _ in alternatives}
        per_word += [[(joined, ranking.join_words)] for joined in self._joined(query, stems)]
        fields = ranking.fields
        entries = lexicon.doc_count()
        prune = ranking.common_share and entries >= ranking.common_min_entries
        common_df = ranking.common_share * entries
        clauses: list[list[QueryTerm]] = []
        common: list[list[QueryTerm]] = []
        for alternatives in per_word:
            clause = [
                (name, stem, weight * alt_weight)
                for stem, alt_weight in alternatives
                for name, weight in fields.items()
            ]
            df = max(lexicon.doc_frequency("all", stem) for stem, _ in alternatives)
            (common if prune and df > common_df else clauses).append(clause)
        return QueryPlan(per_word, clauses, common)

    def _weighted_words(self, query: str):
        found = weighted_query_words(query[:MAX_QUERY_CHARS], self.ranking.framing_weight)
        return found[:MAX_QUERY_WORDS]

    # -- typos ---------------------------------------------------------------------------

    def known(self, surface: str, stem: str) -> bool:
        """Whether the help center uses the word (as typed, or another word with its stem)."""
        if surface in self._lexicon.speller.vocabulary:
            return True
        return any(self._lexicon.doc_frequency(name, stem) for name in TEXT_FIELDS)

    def alternatives(self, surface: str, stem: str) -> Alternatives:
        """The stems to search for one query word, with their weights (remembered while the
        index is open: typo correction is the costly part of reading a query)."""
        found = self._words.get(surface)
        if found is None:
            if len(self._words) >= MAX_REMEMBERED_WORDS:
                self._words.clear()
            found = self._words[surface] = self._find_alternatives(surface, stem)
        return found

    def _find_alternatives(self, surface: str, stem: str) -> Alternatives:
        """A word the help center never uses is replaced by its corrections; a word it uses
        only rarely (maybe a typo in an article) also searches for much commoner neighbours
        (twin: search-ranking.js `alternatives`)."""
        ranking = self.ranking
        speller = self._lexicon.speller
        seen: dict[str, float] = {}
        if self.known(surface, stem):
            seen[stem] = 1.0
            frequency = speller.vocabulary.get(surface, 0)
            if (not ranking.rare_word_df or frequency > ranking.rare_word_df
                    or len(surface) < MIN_LENGTH):  # a short word is rare, not mistyped
                return [(stem, 1.0)]
            fixes = [
                (word, distance) for word, distance in speller.corrections(surface)
                if speller.vocabulary[word] >= ranking.rare_word_ratio * max(1, frequency)
            ]
        else:
            fixes = speller.corrections(surface)
        for word, distance in fixes:
            seen.setdefault(porter_stem(word), ranking.typo_weight / distance)
        return list(seen.items())

    def meaning_text(self, query: str, model_knows: Callable[[str], bool]) -> str:
        """The query as the semantic re-ranker reads it: each word that neither the help
        center nor the model knows replaced by its closest typo correction ("pssword" ->
        "password"); words the model knows stay, even if the help center lacks them."""
        text = fold(query[:MAX_QUERY_CHARS])
        parts, last = [], 0
        for word in words(text, frozenset()):
            if self.known(word.text, word.stem) or model_knows(word.text):
                continue
            fixes = self._lexicon.speller.corrections(word.text, limit=1)
            if fixes:
                parts += [text[last:word.start], fixes[0][0]]
                last = word.end
        return "".join(parts) + text[last:] if parts else query

    # -- word joins ----------------------------------------------------------------------

    def _joined(self, query: str, stems: set[str]) -> list[str]:
        """Stems of neighbouring query words the help center writes as one word ("strike
        through" -> "strikethrough"), leaving out those in `stems` (searched already)
        (twin: search-ranking.js `joinedWords`)."""
        if not self.ranking.join_words:
            return []
        found: list[str] = []
        for left, right in self._joined_pairs(query):
            joined = porter_stem(left + right)
            if joined not in stems and joined not in found:
                found.append(joined)
        return found

    def _joined_pairs(self, query: str) -> list[tuple[str, str]]:
        tokens = [word.text for word in words(query[:MAX_QUERY_CHARS], frozenset())]
        return joined_pairs(tokens, self._lexicon.speller.vocabulary, index_stop_words())

    # -- the match floor -----------------------------------------------------------------

    def match_floor(self, query: str,
                    candidates: list[tuple[float, int]]) -> list[tuple[float, int]]:
        """The candidates (score, entry number) that really match the query: nothing for
        fuzzy junk (twin: search-ranking.js `matchFloor`).

        An entry must hold a topic word (entries matching only framing words such as "how",
        or speculative corrections of a rarely used word, are dropped), and the query must
        be answered somewhere: by an entry holding all its topic words or one with a topic
        word in its title. Otherwise the words only occur in passing ("dark mode" against a
        help center that mentions a "dark surface" and a "test mode") and the customer sees
        no results, which the reports list as a content gap.
        """
        topic = self._topic(query)
        if topic is None:
            return candidates
        groups, stems = topic
        kept = [(score, n) for score, n in candidates if self._holds(n, stems)]
        if any(self._holds(n, stems, "title") or all(self._holds(n, g) for g in groups)
               for _, n in kept):
            return kept
        return []

    def _topic(self, query: str) -> tuple[list[set[str]], set[str]] | None:
        """The query's topic words (not its question framing), for the match floor: each
        word's stems (as typed, or its corrections if the help center never uses it; empty
        if neither; a word it was joined with counts for both parts), and all of them.
        None: the query has no topic words."""
        groups: dict[str, set[str]] = {}  # topic word -> its stems
        for word, word_weight in self._weighted_words(query):
            if word_weight >= 1:
                found = {stem for stem, _ in self.alternatives(word.text, word.stem)}
                groups[word.text] = {word.stem} if word.stem in found else found
        if not groups:
            return None
        if self.ranking.join_words:
            for left, right in self._joined_pairs(query):
                for part in (left, right):
                    if part in groups:
                        groups[part].add(porter_stem(left + right))
        return list(groups.values()), set().union(*groups.values())

    def _holds(self, docnum: int, stems: set[str], name: str = "all") -> bool:
        """Whether entry `docnum` has one of `stems` in field `name` (`all`: any field)."""
        for stem in stems:
            docs, _ = self._postings.get(name, stem)
            i = bisect_left(docs, docnum)
            if i < len(docs) and docs[i] == docnum:
                return True
        return False
