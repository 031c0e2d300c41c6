"""Text analysis shared by the index and the query: words, stop words, stems.

Plain Python with no dependencies, so the browser search (twin:
theme/assets/kbgen/search-ranking.js) can mirror it exactly:
lower-case, accents folded, possessives and contractions folded ("google's" -> "google",
"i'd" -> "i", "can't" -> "cant"), words are runs of letters and digits, Porter stems.

Two stop lists: `INDEX_STOP_WORDS` (function words dropped everywhere) and
`QUERY_STOP_WORDS` (also the words that frame a question, "how do I", "is there a way to",
which say little about the topic: `query_words` drops them, `weighted_query_words` keeps them
at a lower weight). A query made only of stop words keeps them.

Languages: the analysis above is English's. Inside `with language("de"):` (a context
variable, so each thread and each index has its own) words are stemmed by that language's
Snowball stemmer (the `snowballstemmer` package; the browser runs the same Snowball release
compiled to WebAssembly, theme/assets/kbgen/vendor/multilingual-stemmer) and the stop words
are that language's (`kbgen.search.stopwords`). English keeps the Porter stemmer of
porter.py, whose browser twin is plain JavaScript (no WebAssembly download).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import Enum
from typing import Final

from kbgen.search import stopwords
from kbgen.search.porter import stem as porter_stem

WORD_PATTERN = re.compile(r"[a-z0-9]+(?:'[a-z]+)*")
_CONTRACTION = re.compile(r"'(?:s|d|ll|ve|re|m)$")

INDEX_STOP_WORDS = frozenset(
    """a an and are as at be been but by for from has have he her his i if in into is it
    its me my of on or our she so than that the their them then there these they this
    those to was we were which with you your""".split()
)

# Negations ("cant", "not", "wont") stay: "can't log in" and "won't open" are the topic.
QUERY_STOP_WORDS = INDEX_STOP_WORDS | frozenset(
    """about after again all also am any anybody anyone anything anyway able because
    before being both can could did do does doing done each else ever few get gets getting
    go going had here how however id im ive just know knows let like likes lot many maybe
    might more most much must need needs now off once only other otherwise ought out over
    own please possible possibly same seem seems should some somebody someone something
    somehow still such sure tell thanks thing things think through too trying try us use
    using very want wanted wants way ways well what whats when where whether while who
    whom whose why will wish would yes yet""".split()
)


DEFAULT_LANGUAGE = "en"
_LANGUAGE: ContextVar[str] = ContextVar("kbgen_search_language", default=DEFAULT_LANGUAGE)
_STEMMERS: dict[str, Callable[[str], str]] = {}


def current_language() -> str:
    return _LANGUAGE.get()


@contextmanager
def language(lang: str | None) -> Iterator[None]:
    """Analyse (index and query) in language `lang` inside the block; None: English."""
    token = _LANGUAGE.set(lang or DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _LANGUAGE.reset(token)


def stemmer_for(lang: str) -> Callable[[str], str]:
    """The stem function of `lang`: Porter for English, Snowball for the others (a language
    Snowball has no stemmer for is not stemmed)."""
    found = _STEMMERS.get(lang)
    if found is None:
        algorithm = stopwords.SNOWBALL_NAMES.get(lang.split("-")[0])
        if lang == DEFAULT_LANGUAGE or algorithm is None:
            found = porter_stem if lang == DEFAULT_LANGUAGE else str
        else:
            import snowballstemmer  # type: ignore[import-untyped]

            found = snowballstemmer.stemmer(algorithm).stemWord
        _STEMMERS[lang] = found
    return found


def stem(word: str) -> str:
    """`word`'s stem in the current language."""
    return stemmer_for(_LANGUAGE.get())(word)


def index_stop_words() -> frozenset[str]:
    lang = _LANGUAGE.get()
    return INDEX_STOP_WORDS if lang == DEFAULT_LANGUAGE else stopwords.index_stop_words(lang)


def query_stop_words() -> frozenset[str]:
    lang = _LANGUAGE.get()
    return QUERY_STOP_WORDS if lang == DEFAULT_LANGUAGE else stopwords.query_stop_words(lang)


@dataclass(frozen=True)
class Word:
    """One word of a text: its folded surface form, stem and position."""

    text: str
    stem: str
    pos: int
    start: int
    end: int


def fold(text: str) -> str:
    """Lower-case, strip accents, unify apostrophes."""
    text = text.lower()
    if text.isascii():
        return text.replace("`", "'")
    text = text.replace("ß", "ss")  # German: "Straße" is one word, as "strasse"
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.replace("\u2019", "'").replace("`", "'")


def surface(token: str) -> str:
    token = _CONTRACTION.sub("", token)
    return token.replace("'", "")


def words(text: str, stop_words: frozenset[str] | None = None) -> Iterator[Word]:
    """The words of `text` minus stop words (default: the language's index stop words),
    numbered consecutively (phrases skip stops)."""
    if stop_words is None:
        stop_words = index_stop_words()
    stem = stemmer_for(_LANGUAGE.get())
    pos = 0
    for match in WORD_PATTERN.finditer(fold(text)):
        token = surface(match.group())
        if not token or token in stop_words:
            continue
        yield Word(token, stem(token), pos, match.start(), match.end())
        pos += 1


class _Unset(Enum):
    UNSET = 0  # index_terms: a token not seen yet (None means a stop word)


_UNSET: Final = _Unset.UNSET
# language -> raw token -> (surface, stem), None if stop
_TERMS_BY_LANGUAGE: dict[str, dict[str, tuple[str, str] | None]] = {}
MAX_REMEMBERED_TOKENS = 500_000


def index_terms(text: str) -> list[tuple[str, str]]:
    """(surface, stem) of each word `words(text)` yields, in order, for indexing.

    The same words as `words`, without positions and offsets (a word's position is its
    place in the list), several times faster: a build analyses millions of words, so each
    distinct token is folded, checked against the stop words and stemmed once.
    """
    lang = _LANGUAGE.get()
    known = _TERMS_BY_LANGUAGE.setdefault(lang, {})
    stop_words = index_stop_words()
    stem = stemmer_for(lang)
    terms: list[tuple[str, str]] = []
    append = terms.append
    for token in WORD_PATTERN.findall(fold(text)):
        term = known.get(token, _UNSET)
        if term is _UNSET:
            word = surface(token)
            term = None if not word or word in stop_words else (word, stem(word))
            if len(known) >= MAX_REMEMBERED_TOKENS:
                known.clear()
            known[token] = term
        if term is not None:
            append(term)
    return terms


def weighted_query_words(query: str, framing_weight: float) -> list[tuple[Word, float]]:
    """Every word of the query with its weight: 1 for topic words, `framing_weight` for the
    question-framing words of QUERY_STOP_WORDS (0 drops them, as `query_words` does)."""
    if not framing_weight:
        return [(word, 1.0) for word in query_words(query)]
    seen: set[str] = set()
    weighted = []
    framing = query_stop_words()
    for word in words(query, index_stop_words()):
        if word.text not in seen:
            seen.add(word.text)
            weighted.append((word, framing_weight if word.text in framing else 1.0))
    return weighted or [(word, 1.0) for word in query_words(query)]


def query_words(query: str) -> list[Word]:
    """The words of a customer's query that carry its topic.

    Question framing and function words are dropped unless nothing would remain; repeated
    words are kept once.
    """
    content = list(words(query, query_stop_words()))
    if not content:
        content = list(words(query, frozenset()))
    seen: set[str] = set()
    unique = []
    for word in content:
        if word.text not in seen:
            seen.add(word.text)
            unique.append(word)
    return unique
