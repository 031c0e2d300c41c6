"""Each index entry's words, analysed once per build.

The engine's index, the browser index and related articles all need the words of the same
texts; analysing them separately was most of a cold build's search work (the engine alone
analysed every body three times: as the body, inside the combined `all` field and as
typo-correction vocabulary). Here each field of each entry is analysed once, with
`kbgen.search.analysis.index_terms` (the same words as `analysis.words`), and every
consumer derives what it needs from that.
"""

from __future__ import annotations

from collections.abc import Iterable

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
