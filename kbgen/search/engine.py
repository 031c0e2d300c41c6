"""The search engine: builds the index and answers queries, by delegating to one module per
step of a search:

1. `kbgen.search.query` reads the query: its words, typo corrections and joined words, as
   weighted terms (`QueryReader.plan`);
2. `kbgen.search.postings` sums the terms' BM25F scores per entry, from postings that
   `kbgen.search.whoosh_store` (the index on disk, the one module importing Whoosh) reads;
3. the match floor (`QueryReader.match_floor`) drops fuzzy junk;
4. (optional, when the build wrote entry vectors) `kbgen.search.semantic_mix` mixes in the
   query's closeness in meaning to each entry's title and adds close entries the words missed;
5. `kbgen.search.hits` returns each article once, as its best entry, with a snippet.

The settings are `kbgen.search.ranking.Ranking`; the browser's search
(theme/assets/kbgen/search-ranking.js) mirrors steps 1, 2, 3 and 5 on the index
`kbgen.search.browser_index` writes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from pathlib import Path

from kbgen.files import write_atomic
from kbgen.search import whoosh_store
from kbgen.search.analysis import current_language, index_stop_words, language, words
from kbgen.search.category_titles import read_titles, titles_stamp
from kbgen.search.docs import SearchDoc, doc_from_article
from kbgen.search.fuzzy import Speller
from kbgen.search.hits import Hit, best_per_article, make_hit
from kbgen.search.postings import top_entries
from kbgen.search.query import MAX_QUERY_CHARS, QueryPlan, QueryReader
from kbgen.search.ranking import Ranking
from kbgen.search.semantic import Semantic, open_semantic
from kbgen.search.semantic_mix import with_meaning
from kbgen.search.static_vectors import StaticSemantic, open_static
from kbgen.search.terms import AnalysedEntry

# Indexes written before the Whoosh storage had a module of its own name the tokenizer here
# in their pickled schema; this name keeps them readable without a rebuild.
from kbgen.search.whoosh_store import KbgenTokenizer  # noqa: F401

__all__ = ["Hit", "Ranking", "SearchIndex", "build_index", "open_index"]

log = logging.getLogger(__name__)


def _as_docs(articles: Iterable[object]) -> list[SearchDoc]:
    return [a if isinstance(a, SearchDoc) else doc_from_article(a) for a in articles]


def build_index(articles: Iterable[object], index_dir: Path,
                analysed: Mapping[str, list[AnalysedEntry]] | None = None) -> None:
    """Bring the index at `index_dir` in line with `articles` (Articles or SearchDocs).

    Incremental: an article whose content hash is unchanged is left alone, changed ones are
    re-indexed, and articles no longer given are removed. `analysed` (doc id -> its entries'
    words, `kbgen.search.terms.analyse`) saves analysing texts a caller already analysed.
    """
    docs = {doc.id: doc for doc in _as_docs(articles)}
    changed, removed = whoosh_store.update_index(Path(index_dir), docs, analysed)
    _write_language(Path(index_dir))
    if not changed and not removed:
        log.debug("search index is up to date (%d articles)", len(docs))
        return
    log.info(
        "search index: %d articles re-indexed, %d removed, %d unchanged",
        changed, removed, len(docs) - changed,
    )


LANGUAGE_FILE = "language"  # in the index folder: the language its words were analysed in


def _write_language(index_dir: Path) -> None:
    path = index_dir / LANGUAGE_FILE
    lang = current_language()
    if not path.is_file() or path.read_text(encoding="utf-8").strip() != lang:
        write_atomic(path, lang + "\n")


def index_language(index_dir: Path) -> str:
    """The language an index was built in (indexes built before languages: English)."""
    try:
        return (Path(index_dir) / LANGUAGE_FILE).read_text(encoding="utf-8").strip() or "en"
    except OSError:
        return "en"


def open_index(index_dir: Path, ranking: Ranking | None = None, *,
               static: bool = False) -> SearchIndex:
    """`static`: rank as the static site's browser search does (`kbgen search --static`):
    the lexical engine mixed with the static vectors (`kbgen.search.static_vectors`) when
    the build fitted them, instead of the semantic re-ranker."""
    ranking = ranking or Ranking()
    index_dir = Path(index_dir)
    return SearchIndex(whoosh_store.open_store(index_dir, ranking), ranking, index_dir,
                       index_language(index_dir), static=static)


class SearchIndex:
    """An open index: load once, search many times."""

    # Whether postings.top_entries ranks (else Whoosh's own matchers, the reference it is
    # tested against: tests/test_search_fast.py turns this off).
    _fast = True

    def __init__(self, store: whoosh_store.WhooshStore, ranking: Ranking,
                 index_dir: Path | None = None, lang: str = "en", *,
                 static: bool = False):
        self.lang = lang  # queries are analysed as the index was (kbgen.search.analysis)
        self.ranking = ranking
        self._static = static
        self._store = store
        self._index_dir = index_dir
        self._titles: dict[str, str] = {}
        self._titles_stamp = (-1, -1, -1)
        self._reset()

    def _reset(self) -> None:
        """Start afresh on the store's current searcher (after open or refresh)."""
        self._query = QueryReader(self.ranking, self._store, self._store.postings)
        self._semantic: Semantic | StaticSemantic | None = None
        if self.ranking.semantic_weight > 0 and self._index_dir is not None:
            self._semantic = (open_static(self._index_dir) if self._static
                              else open_semantic(self._index_dir))
        self._read_titles()

    def _read_titles(self) -> bool:
        """(Re-)read the category titles if their file changed; True if it did."""
        if self._index_dir is None:
            return False
        stamp = titles_stamp(self._index_dir)
        if stamp == self._titles_stamp:
            return False
        self._titles, self._titles_stamp = read_titles(self._index_dir), stamp
        return True

    @property
    def semantic(self) -> bool:
        """Whether searches use the semantic re-ranker (the build wrote vectors and the
        model that wrote them is installed)."""
        return self._semantic is not None

    @property
    def speller(self) -> Speller:
        return self._store.speller

    def close(self) -> None:
        self._store.close()

    def refresh(self) -> bool:
        """Pick up a rebuilt index (e.g. under a running API); True if it changed."""
        if not self._store.refresh():
            return self._read_titles()  # a renamed category alone re-indexes nothing
        self._reset()
        return True

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def search(self, query: str, limit: int = 10, *, snippets: bool = True) -> list[Hit]:
        """The best `limit` articles for a customer's query; never raises on odd input.

        `snippets=False` skips building snippets (scripts that only need ids).
        """
        with language(self.lang):
            return self._search(query, limit, snippets)

    def _search(self, query: str, limit: int, snippets: bool) -> list[Hit]:
        if limit <= 0:
            return []
        query = str(query)
        plan = self._query.plan(query)
        if plan.per_word:
            candidates = self._lexical(query, plan, limit)
        elif self._semantic is not None and any(words(query[:MAX_QUERY_CHARS],
                                                      index_stop_words())):
            candidates = []  # no word the help center uses: only meaning can find it
        else:
            return []
        if self._semantic is not None:
            candidates = with_meaning(self._semantic, self._query, query, candidates,
                                      self._store)
        stems = plan.stems if snippets else None
        return [make_hit(self._store.stored_fields(docnum), score, stems, self._titles)
                for score, docnum in best_per_article(candidates, self._store.entry, limit)]

    def _lexical(self, query: str, plan: QueryPlan, limit: int) -> list[tuple[float, int]]:
        """(BM25F score, entry number) best first, the match floor applied."""
        depth = max(self.ranking.candidates, limit * 4)
        clauses, common = plan.clauses, plan.common
        if self._fast and all(boost > 0 for clause in clauses + common for *_, boost in clause):
            if not clauses:  # only common words: they are all there is to match
                clauses, common = common, []
            candidates = top_entries(
                self._store.postings, [t for clause in clauses for t in clause],
                [t for clause in common for t in clause], depth, self._store.doc_count_all())
        else:
            candidates = self._store.ranked(clauses, common, depth)
        if self.ranking.match_floor:
            candidates = self._query.match_floor(query, candidates)
        return candidates

    def _meaning_text(self, query: str) -> str:
        """The query as the semantic re-ranker reads it (`QueryReader.meaning_text`)."""
        assert self._semantic is not None
        return self._query.meaning_text(query, self._semantic.knows)
