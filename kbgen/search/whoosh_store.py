"""The engine's index on disk and its postings: the one module of kbgen that imports Whoosh.

Everything language-specific (words, stems, stop words, typo correction, snippets) and
everything about ranking lives in plain-Python modules next to this one; this module stores
their output in a Whoosh index (one document per entry: an article or an FAQ question,
`kbgen.search.docs.entries`) and reads it back: stored fields, term counts, and each term's
postings with Whoosh's own BM25F scores for the fast scorer (`kbgen.search.postings`).
Typo correction's vocabulary is a JSON file beside the index (`VOCABULARY_FILE`).
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as Q
from whoosh.analysis import Token, Tokenizer
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.scoring import BM25F, BM25FScorer, bm25

from kbgen.errors import KbgenError
from kbgen.files import write_json_atomic
from kbgen.search.analysis import words
from kbgen.search.docs import IndexEntry, SearchDoc
from kbgen.search.fuzzy import Speller
from kbgen.search.postings import Postings, PostingsCache, QueryTerm, empty_postings
from kbgen.search.ranking import FIELD_REPEATS, Ranking
from kbgen.search.terms import TEXT_FIELDS, AnalysedEntry, FieldTerms, analysed_entries, vocabulary

# Changes when analysis, schema or repeats change: the next build re-indexes everything.
INDEX_VERSION = "kbgen-search-3:" + ",".join(f"{k}={v}" for k, v in FIELD_REPEATS.items())
VERSION_FILE = "kbgen-index.json"
VOCABULARY_FILE = "vocabulary.json"  # word -> entries holding it (typo correction)
WRITER_MEMORY_MB = 1024


class KbgenTokenizer(Tokenizer):
    """Whoosh adapter for `kbgen.search.analysis.words`: stems, or surface words."""

    def __init__(self, surface: bool = False):
        self.surface = surface

    def __eq__(self, other: object) -> bool:
        return isinstance(other, KbgenTokenizer) and other.surface == self.surface

    def __hash__(self) -> int:
        return hash(("KbgenTokenizer", self.surface))

    def __call__(  # Whoosh's tokenizer protocol
        self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
        start_pos=0, start_char=0, tokenize=True, mode="", **kwargs,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for word in words(value):
            token.text = word.text if self.surface else word.stem
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = word.text
            if positions:
                token.pos = start_pos + word.pos
            if chars:
                token.startchar = start_char + word.start
                token.endchar = start_char + word.end
            yield token


def _schema() -> Schema:
    stemmed = KbgenTokenizer()
    return Schema(
        key=ID(stored=True, unique=True),
        article=ID(stored=True),
        anchor=STORED,
        url=STORED,
        category=STORED,
        type=STORED,
        hash=STORED,
        title=TEXT(analyzer=stemmed, stored=True),
        keywords=TEXT(analyzer=stemmed),
        description=TEXT(analyzer=stemmed, stored=True),
        headings=TEXT(analyzer=stemmed),
        body=TEXT(analyzer=stemmed, stored=True),
        all=TEXT(analyzer=stemmed, phrase=False),
        # The unstemmed words typo correction draws from are in VOCABULARY_FILE (as a
        # Whoosh field they were a third of the index's postings and of its build time).
    )


def _entry_fields(entry: IndexEntry, content_hash: str, terms: FieldTerms) -> dict:
    """Whoosh field values for one entry, from its words analysed once (`kbgen.search.terms`).

    Whoosh takes a list of words as already analysed (positions numbered from 0, as
    `words` numbers them), so no text is analysed again here: each field gets its stems,
    `all` every field's stems repeated FIELD_REPEATS times. Stored fields keep their text.
    """
    values: dict = asdict(entry)
    values["hash"] = content_hash
    for name in TEXT_FIELDS:
        values[f"_stored_{name}"] = values[name]
        values[name] = [stem for _, stem in terms[name]]
    values["all"] = [
        stem for name, repeats in FIELD_REPEATS.items() for _ in range(repeats)
        for stem in values[name]
    ]
    return values


def _write_vocabulary(index_dir: Path, counts: dict[str, int]) -> None:
    write_json_atomic(index_dir / VOCABULARY_FILE, counts, compact=True)


def _is_current(index_dir: Path) -> bool:
    """True if the index exists and was written by this version of the engine."""
    version_file = index_dir / VERSION_FILE
    if not (whoosh_index.exists_in(str(index_dir)) and version_file.is_file()
            and (index_dir / VOCABULARY_FILE).is_file()):
        return False
    try:
        return json.loads(version_file.read_text("utf-8")).get("version") == INDEX_VERSION
    except (OSError, ValueError, AttributeError):
        return False


def _open_for_writing(index_dir: Path):
    if _is_current(index_dir):
        return whoosh_index.open_dir(str(index_dir))
    index_dir.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(index_dir), _schema())
    (index_dir / VERSION_FILE).write_text(json.dumps({"version": INDEX_VERSION}), "utf-8")
    _write_vocabulary(index_dir, {})
    return ix


def update_index(index_dir: Path, docs: Mapping[str, SearchDoc],
                 analysed: Mapping[str, list[AnalysedEntry]] | None = None,
                 ) -> tuple[int, int]:
    """Bring the index at `index_dir` in line with `docs` (id -> doc); (re-indexed, removed).

    An article whose content hash is unchanged is left alone, changed ones are re-indexed,
    and articles no longer given are removed (an index from another version: all anew).
    """
    ix = _open_for_writing(index_dir)
    with ix.searcher() as searcher:
        indexed = {f["article"]: f["hash"] for f in searcher.all_stored_fields()}
    hashes = {doc.id: doc.content_hash for doc in docs.values()}
    changed = [doc for doc in docs.values() if indexed.get(doc.id) != hashes[doc.id]]
    removed = [key for key in indexed if key not in docs]
    if not changed and not removed:
        return 0, 0
    analysed = dict(analysed) if analysed is not None else {}
    for doc in changed:
        if doc.id not in analysed:
            analysed[doc.id] = analysed_entries(doc)
    # A pool big enough for a large help center's postings: Whoosh otherwise spills sorted
    # runs to disk and merges them back (pickling every posting twice).
    writer = ix.writer(limitmb=WRITER_MEMORY_MB)
    try:
        for article_id in removed:
            writer.delete_by_term("article", article_id)
        for doc in changed:
            if doc.id in indexed:
                writer.delete_by_term("article", doc.id)
            for entry, terms in analysed[doc.id]:
                writer.add_document(**_entry_fields(entry, hashes[doc.id], terms))
        # Before the commit: if the commit fails, the next build finds the same changes.
        _write_vocabulary(index_dir, vocabulary(docs.values(), analysed))
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    return len(changed), len(removed)


def open_store(index_dir: Path, ranking: Ranking) -> WhooshStore:
    if not whoosh_index.exists_in(str(index_dir)):
        raise KbgenError(f"no search index at {index_dir}; run kbgen build")
    if not _is_current(index_dir):
        raise KbgenError(
            f"the search index at {index_dir} was built by another version of kbgen; "
            "run kbgen build to rebuild it"
        )
    return WhooshStore(whoosh_index.open_dir(str(index_dir)), ranking)


class WhooshStore:
    """An open index: stored fields, term counts and scored postings, read through one
    Whoosh searcher and remembered while it is open (`refresh` moves to a rebuilt index)."""

    def __init__(self, ix, ranking: Ranking):
        self._ix = ix
        self._searcher = ix.searcher(
            weighting=BM25F(
                B=ranking.b, K1=ranking.k1,
                **{f"{name}_B": value for name, value in ranking.field_b.items()},
            )
        )
        self._reset()

    def _reset(self) -> None:
        """Forget what was read from the previous searcher (after open or refresh)."""
        self._reader = self._searcher.reader()
        self._speller: Speller | None = None
        self.postings = PostingsCache(self._load_postings)
        self._entries: dict[int, tuple[str, str]] = {}
        self._lengths: dict[str, list[int]] = {}
        self._numbers: dict[str, int | None] = {}  # entry key -> entry number

    def close(self) -> None:
        self._searcher.close()

    def refresh(self) -> bool:
        """Pick up a rebuilt index; True if it changed (and what was read is forgotten)."""
        fresh = self._searcher.refresh()
        if fresh is self._searcher:
            return False
        self._searcher = fresh
        self._reset()
        return True

    @property
    def speller(self) -> Speller:
        """Typo correction over the index's vocabulary (read on first use)."""
        if self._speller is None:
            path = Path(self._ix.storage.folder) / VOCABULARY_FILE
            try:
                counts = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise KbgenError(f"the search index's vocabulary ({path}) cannot be read "
                                 f"({exc}); run kbgen build to rebuild it") from None
            self._speller = Speller(counts)
        return self._speller

    def doc_frequency(self, field: str, stem: str) -> int:
        return self._reader.doc_frequency(field, stem)

    def doc_count(self) -> int:
        """Live entries."""
        return self._reader.doc_count()

    def doc_count_all(self) -> int:
        """Entry numbers in use, deleted entries included."""
        return self._searcher.doc_count_all()

    def stored_fields(self, docnum: int) -> dict:
        return self._searcher.stored_fields(docnum)

    def entry(self, docnum: int) -> tuple[str, str]:
        """An entry's (article id, FAQ anchor or "")."""
        entry = self._entries.get(docnum)
        if entry is None:
            fields = self._searcher.stored_fields(docnum)
            entry = self._entries[docnum] = (fields["article"], fields.get("anchor") or "")
        return entry

    def entry_key(self, docnum: int) -> str:
        """An entry's key: its article id, or id#anchor for an FAQ question."""
        article, anchor = self.entry(docnum)
        return f"{article}#{anchor}" if anchor else article

    def entry_number(self, key: str) -> int | None:
        """The live entry with this key, if any."""
        if key not in self._numbers:
            self._numbers[key] = self._searcher.document_number(key=key)
        return self._numbers[key]

    def ranked(self, required: Sequence[list[QueryTerm]], optional: Sequence[list[QueryTerm]],
               depth: int) -> list[tuple[float, int]]:
        """(score, entry number) best first through Whoosh's own matchers: the reference
        `kbgen.search.postings.top_entries` ranks like (and the path for boosts <= 0)."""

        def terms(clause: list[QueryTerm]) -> Q.Query:
            return Q.Or([Q.Term(name, stem, boost=boost) for name, stem, boost in clause])

        clauses = [terms(clause) for clause in required]
        extra = [terms(clause) for clause in optional]
        if clauses and extra:
            # Words in most articles only add to the score of entries that match a rarer
            # word: the same ranking near the top without scoring every entry.
            whoosh_query = Q.AndMaybe(Q.Or(clauses), Q.Or(extra))
        else:
            whoosh_query = Q.Or(clauses or extra)
        results = self._searcher.search(whoosh_query, limit=depth)
        return [(result.score, result.docnum) for result in results]

    def _load_postings(self, name: str, stem: str) -> Postings:
        """A term's entries and their unboosted BM25F scores, as Whoosh's scorer gives them."""
        matcher = Q.Term(name, stem).matcher(self._searcher)
        docs, weights = array("i"), []
        while matcher.is_active():
            docs.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        if not docs:
            return empty_postings()
        searcher = self._searcher
        scorer = searcher.weighting.scorer(searcher, name, searcher.schema[name].to_bytes(stem))
        if not isinstance(scorer, BM25FScorer):  # an unscored field: Whoosh's own scores
            scores = array("d")
            matcher = Q.Term(name, stem).matcher(searcher)
            while matcher.is_active():
                scores.append(matcher.score())
                matcher.next()
            return docs, scores
        lengths = self._field_lengths(name)
        idf, avgfl, b, k1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
        return docs, array("d", [
            bm25(idf, weight, lengths[doc], avgfl, b, k1)
            for doc, weight in zip(docs, weights, strict=True)
        ])

    def _field_lengths(self, name: str) -> list[int]:
        """Every entry's length of field `name` as BM25F sees it (Whoosh stores it rounded)."""
        lengths = self._lengths.get(name)
        if lengths is None:
            searcher = self._searcher
            lengths = self._lengths[name] = [
                searcher.doc_field_length(doc, name, 1) for doc in range(searcher.doc_count_all())
            ]
        return lengths
