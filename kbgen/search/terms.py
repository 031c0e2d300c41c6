"""Each index entry's words, analysed once per build.

The engine's index, the browser index and related articles all need the words of the same
texts; analysing them separately was most of a cold build's search work (the engine alone
analysed every body three times: as the body, inside the combined `all` field and as
typo-correction vocabulary). Here each field of each entry is analysed once, with
`kbgen.search.analysis.index_terms` (the same words as `analysis.words`), and every
consumer derives what it needs from that.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from kbgen.search.analysis import index_terms
from kbgen.search.docs import IndexEntry, SearchDoc, entries

TEXT_FIELDS = ("title", "keywords", "description", "headings", "body")

# field name -> its words as (surface, stem), in order (a word's position is its index).
FieldTerms = dict[str, list[tuple[str, str]]]
AnalysedEntry = tuple[IndexEntry, FieldTerms]


def field_terms(entry: IndexEntry) -> FieldTerms:
    return {name: index_terms(getattr(entry, name)) for name in TEXT_FIELDS}


def analysed_entries(doc: SearchDoc) -> list[AnalysedEntry]:
    """The doc's index entries (article first, then FAQ questions) with their words."""
    return [(entry, field_terms(entry)) for entry in entries(doc)]


def analyse(docs: Iterable[SearchDoc]) -> dict[str, list[AnalysedEntry]]:
    """doc id -> its analysed entries."""
    return {doc.id: analysed_entries(doc) for doc in docs}


def vocabulary(docs: Iterable[SearchDoc],
               analysed: Mapping[str, list[AnalysedEntry]] | None = None) -> dict[str, int]:
    """Every word of the docs' entries (unstemmed) -> how many entries hold it: what typo
    correction draws from (`kbgen.search.fuzzy.Speller`)."""
    counts: Counter[str] = Counter()
    for doc in docs:
        found = analysed.get(doc.id) if analysed is not None else None
        for _, terms in found or analysed_entries(doc):
            counts.update({word for name in TEXT_FIELDS for word, _ in terms[name]})
    return dict(sorted(counts.items()))
