"""The search index: the one module of kbgen that imports Whoosh.

Everything language-specific (words, stems, stop words, typo correction, snippets) lives in
plain-Python modules next to this one; this module only stores their output in a Whoosh
index and turns a customer's query into a weighted BM25F query:

- each content word of the query is searched in every field (title, keywords, description,
  headings, body) with the field's weight; a word the help center never uses is replaced by
  the vocabulary words within one or two typing mistakes, and two neighbouring words it
  writes as one ("back up") also search for that word;
- (optional, off by default) entries that contain more of the query's words are lifted
  (query-word coverage), and so can be entries with query words next to each other;
- fuzzy junk is not shown (the match floor, `SearchIndex._match_floor`): a query about
  something the help center lacks finds nothing, a content gap in the reports;
- an article is returned once, as its best entry: the article itself or one FAQ question;
- (optional, when the build wrote entry vectors) the query's closeness in meaning to each
  entry's title is mixed into the score, and close entries the words missed are added
  (`kbgen.search.semantic`).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as Q
from whoosh.analysis import Token, Tokenizer
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.scoring import BM25F, BM25FScorer, bm25

from kbgen.errors import KbgenError
from kbgen.search.analysis import INDEX_STOP_WORDS, fold, weighted_query_words, words
from kbgen.search.docs import IndexEntry, SearchDoc, doc_from_article
from kbgen.search.fuzzy import MIN_LENGTH, Speller, joined_pairs
from kbgen.search.porter import stem as porter_stem
from kbgen.search.postings import (
    Postings,
    PostingsCache,
    QueryTerm,
    empty_postings,
    top_entries,
)
from kbgen.search.semantic import Semantic, open_semantic
from kbgen.search.snippet import snippet
from kbgen.search.terms import TEXT_FIELDS, AnalysedEntry, FieldTerms, analysed_entries

log = logging.getLogger(__name__)

# How many times each field's words count in the combined `all` field (BM25F: fields are
# weighted before term-frequency saturation, and a query word reads one posting list).
FIELD_REPEATS = {"title": 3, "keywords": 2, "description": 1, "headings": 1, "body": 1}
# Changes when analysis, schema or repeats change: the next build re-indexes everything.
INDEX_VERSION = "kbgen-search-3:" + ",".join(f"{k}={v}" for k, v in FIELD_REPEATS.items())
_VERSION_FILE = "kbgen-index.json"
_VOCABULARY_FILE = "vocabulary.json"  # word -> entries holding it (typo correction)
WRITER_MEMORY_MB = 1024
MAX_REMEMBERED_WORDS = 50_000  # query words whose corrections are kept while open
QUESTION_SHARE = 0.5  # a question entry this close to its FAQ page's score is shown instead


@dataclass(frozen=True)
class Ranking:
    """The ranking configuration (recorded by the relevance benchmark)."""

    # combined=True: each query word is searched in the `all` field (fields weighted by
    # FIELD_REPEATS, one BM25 saturation) plus the fields in combined_extra at their weight.
    # combined=False: per-field BM25 scores summed with field_weights (slower, measured
    # worse on StackFAQ: MRR@10 0.810 vs 0.839 on the tuning half).
    combined: bool = True
    combined_extra: dict[str, float] = field(default_factory=lambda: {"title": 1.5})
    field_weights: dict[str, float] = field(
        default_factory=lambda: {
            "title": 2.5, "keywords": 2.0, "description": 1.5, "headings": 1.2, "body": 1.0,
        }
    )
    k1: float = 5.0
    b: float = 0.75
    field_b: dict[str, float] = field(default_factory=lambda: {"title": 0.3, "keywords": 0.3})
    coverage: float = 0.0               # score x (share of query words matched) ** coverage
    # Whoosh's Or ignores a coordination scale, so the engine never applied one; kept (off)
    # for the browser index, which mirrors these settings.
    coordination: float | None = None
    phrase_boost: float = 0.0           # adjacent query words close together (hurt on StackFAQ)
    phrase_slop: int = 2
    framing_weight: float = 0.6         # weight of question-framing words ("how", "way")
    typo_weight: float = 0.8            # weight of a correction relative to a typed word
    join_words: float = 1.0             # weight of two query words joined ("back up" ->
                                        # "backup"; 0: never joined)
    match_floor: bool = True            # no results for fuzzy junk (see _match_floor)
    rare_word_df: int = 1               # a known word in at most this many entries is
    rare_word_ratio: float = 5.0        # also corrected to words this many times commoner
    candidates: int = 60                # entries fetched before collapsing to articles
    common_share: float = 0.3           # in indexes of common_min_entries or more, a word
    common_min_entries: int = 2000      # in over this share of entries only adds to the
                                        # score of entries matching a rarer query word
    feedback_docs: int = 0              # pseudo-relevance feedback: expand the query with
    feedback_terms: int = 8             # the commonest title words of the top entries,
    feedback_weight: float = 0.3        # at this weight
    # The optional semantic re-ranker (`kbgen.search.semantic`; used when the build wrote
    # entry vectors): score = weight x cosine(query, entry title) + (1 - weight) x the
    # BM25F score over the best BM25F score; the `semantic_candidates` entries closest in
    # meaning join the candidates if their cosine is at least `semantic_floor`.
    semantic_weight: float = 0.7
    semantic_candidates: int = 20
    semantic_floor: float = 0.45


@dataclass(frozen=True)
class Hit:
    id: str
    title: str
    url: str
    score: float
    snippet: str
    category: str
    anchor: str | None


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
        # The unstemmed words typo correction draws from are in _VOCABULARY_FILE (as a
        # Whoosh field they were a third of the index's postings and of its build time).
    )


def _as_docs(articles: Iterable[object]) -> list[SearchDoc]:
    return [a if isinstance(a, SearchDoc) else doc_from_article(a) for a in articles]


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


def vocabulary(docs: Iterable[SearchDoc],
               analysed: Mapping[str, list[AnalysedEntry]] | None = None) -> dict[str, int]:
    """Every word of the entries (unstemmed) -> how many entries hold it: what typo
    correction draws from (`kbgen.search.fuzzy.Speller`)."""
    counts: Counter[str] = Counter()
    for doc in docs:
        found = analysed.get(doc.id) if analysed is not None else None
        for _, terms in found or analysed_entries(doc):
            counts.update({word for name in TEXT_FIELDS for word, _ in terms[name]})
    return dict(sorted(counts.items()))


def _write_vocabulary(index_dir: Path, words: dict[str, int]) -> None:
    fd, tmp = tempfile.mkstemp(dir=index_dir, prefix=".vocabulary-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(words, handle, ensure_ascii=False, separators=(",", ":"))
    os.replace(tmp, index_dir / _VOCABULARY_FILE)


def _is_current(index_dir: Path) -> bool:
    """True if the index exists and was written by this version of the engine."""
    version_file = index_dir / _VERSION_FILE
    if not (whoosh_index.exists_in(str(index_dir)) and version_file.is_file()
            and (index_dir / _VOCABULARY_FILE).is_file()):
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
    (index_dir / _VERSION_FILE).write_text(json.dumps({"version": INDEX_VERSION}), "utf-8")
    _write_vocabulary(index_dir, {})
    return ix


def build_index(articles: Iterable[object], index_dir: Path,
                analysed: Mapping[str, list[AnalysedEntry]] | None = None) -> None:
    """Bring the index at `index_dir` in line with `articles` (Articles or SearchDocs).

    Incremental: an article whose content hash is unchanged is left alone, changed ones are
    re-indexed, and articles no longer given are removed. `analysed` (doc id -> its entries'
    words, `kbgen.search.terms.analyse`) saves analysing texts a caller already analysed.
    """
    index_dir = Path(index_dir)
    docs = {doc.id: doc for doc in _as_docs(articles)}
    ix = _open_for_writing(index_dir)
    with ix.searcher() as searcher:
        indexed = {f["article"]: f["hash"] for f in searcher.all_stored_fields()}
    hashes = {doc.id: doc.content_hash for doc in docs.values()}
    changed = [doc for doc in docs.values() if indexed.get(doc.id) != hashes[doc.id]]
    removed = [key for key in indexed if key not in docs]
    if not changed and not removed:
        log.debug("search index is up to date (%d articles)", len(docs))
        return
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
    log.info(
        "search index: %d articles re-indexed, %d removed, %d unchanged",
        len(changed), len(removed), len(docs) - len(changed),
    )


def open_index(index_dir: Path, ranking: Ranking | None = None) -> SearchIndex:
    index_dir = Path(index_dir)
    if not whoosh_index.exists_in(str(index_dir)):
        raise KbgenError(f"no search index at {index_dir}; run kbgen build")
    if not _is_current(index_dir):
        raise KbgenError(
            f"the search index at {index_dir} was built by another version of kbgen; "
            "run kbgen build to rebuild it"
        )
    return SearchIndex(whoosh_index.open_dir(str(index_dir)), ranking or Ranking(), index_dir)


class SearchIndex:
    """An open index: load once, search many times."""

    def __init__(self, ix, ranking: Ranking, index_dir: Path | None = None):
        self.ranking = ranking
        self._ix = ix
        self._index_dir = index_dir
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
        self._postings = PostingsCache(self._load_postings)
        self._entries: dict[int, tuple[str, str]] = {}
        self._lengths: dict[str, list[int]] = {}
        self._words: dict[str, list[tuple[str, float]]] = {}
        self._semantic: Semantic | None = None
        self._numbers: dict[str, int | None] = {}  # entry key -> entry number
        if self.ranking.semantic_weight > 0 and self._index_dir is not None:
            self._semantic = open_semantic(self._index_dir)

    @property
    def semantic(self) -> bool:
        """Whether searches use the semantic re-ranker (the build wrote vectors and the
        model that wrote them is installed)."""
        return self._semantic is not None

    def close(self) -> None:
        self._searcher.close()

    def refresh(self) -> bool:
        """Pick up a rebuilt index (e.g. under a running API); True if it changed."""
        fresh = self._searcher.refresh()
        if fresh is self._searcher:
            return False
        self._searcher = fresh
        self._reset()
        return True

    @property
    def _fast(self) -> bool:
        """Whether `kbgen.search.postings` can rank (it sums term scores: no phrases,
        feedback or coverage, which need Whoosh's matchers)."""
        ranking = self.ranking
        return not (ranking.phrase_boost or ranking.feedback_docs or ranking.coverage)

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def speller(self) -> Speller:
        if self._speller is None:
            path = Path(self._ix.storage.folder) / _VOCABULARY_FILE
            try:
                words = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise KbgenError(f"the search index's vocabulary ({path}) cannot be read "
                                 f"({exc}); run kbgen build to rebuild it") from None
            self._speller = Speller(words)
        return self._speller

    def _known(self, surface: str, stem: str) -> bool:
        if surface in self.speller.vocabulary:
            return True
        return any(self._reader.doc_frequency(name, stem) for name in TEXT_FIELDS)

    def _alternatives(self, surface: str, stem: str) -> list[tuple[str, float]]:
        """The stems to search for one query word, with their weights (remembered while the
        index is open: typo correction is the costly part of reading a query)."""
        found = self._words.get(surface)
        if found is None:
            if len(self._words) >= MAX_REMEMBERED_WORDS:
                self._words.clear()
            found = self._words[surface] = self._find_alternatives(surface, stem)
        return found

    def _find_alternatives(self, surface: str, stem: str) -> list[tuple[str, float]]:
        """A word the help center never uses is replaced by its corrections; a word it uses
        only rarely (maybe a typo in an article) also searches for much commoner neighbours.
        """
        ranking = self.ranking
        seen: dict[str, float] = {}
        if self._known(surface, stem):
            seen[stem] = 1.0
            frequency = self.speller.vocabulary.get(surface, 0)
            if (not ranking.rare_word_df or frequency > ranking.rare_word_df
                    or len(surface) < MIN_LENGTH):  # a short word is rare, not mistyped
                return [(stem, 1.0)]
            fixes = [
                (word, distance) for word, distance in self.speller.corrections(surface)
                if self.speller.vocabulary[word] >= ranking.rare_word_ratio * max(1, frequency)
            ]
        else:
            fixes = self.speller.corrections(surface)
        for word, distance in fixes:
            seen.setdefault(porter_stem(word), ranking.typo_weight / distance)
        return list(seen.items())

    def _plan(self, query: str) -> tuple[list[list[tuple[str, float]]], list, list]:
        """The query's words (stems with weights) and its Whoosh terms, as clauses.

        Returns (per_word, clauses, common): each clause is one query word's terms
        (field, stem, boost); `common` holds the clauses of words in so many entries that
        they only add to entries matching a rarer word.
        """
        ranking = self.ranking
        per_word: list[list[tuple[str, float]]] = []
        for word, word_weight in weighted_query_words(query[:1000], ranking.framing_weight)[:32]:
            alternatives = self._alternatives(word.text, word.stem)
            if alternatives:
                per_word.append([(stem, w * word_weight) for stem, w in alternatives])
        stems = {stem for alternatives in per_word for stem, _ in alternatives}
        per_word += [[(joined, ranking.join_words)] for joined in self._joined(query, stems)]
        fields = ({"all": 1.0, **ranking.combined_extra} if ranking.combined
                  else ranking.field_weights)
        entries = self._reader.doc_count()
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
            df = max(self._reader.doc_frequency("all", stem) for stem, _ in alternatives)
            (common if prune and df > common_df else clauses).append(clause)
        return per_word, clauses, common

    def _joined(self, query: str, stems: set[str]) -> list[str]:
        """Stems of neighbouring query words the help center writes as one word ("strike
        through" -> "strikethrough"), leaving out those in `stems` (searched already)."""
        if not self.ranking.join_words:
            return []
        found: list[str] = []
        for left, right in self._joined_pairs(query):
            joined = porter_stem(left + right)
            if joined not in stems and joined not in found:
                found.append(joined)
        return found

    def _joined_pairs(self, query: str) -> list[tuple[str, str]]:
        tokens = [word.text for word in words(query[:1000], frozenset())]
        return joined_pairs(tokens, self.speller.vocabulary, INDEX_STOP_WORDS)

    def _topic(self, query: str) -> tuple[list[set[str]], set[str]] | None:
        """The query's topic words (not its question framing), for the match floor: each
        word's stems (as typed, or its corrections if the help center never uses it; empty
        if neither; a word it was joined with counts for both parts), and all of them.
        None: the query has no topic words."""
        ranking = self.ranking
        groups: dict[str, set[str]] = {}  # topic word -> its stems
        for word, word_weight in weighted_query_words(query[:1000], ranking.framing_weight)[:32]:
            if word_weight >= 1:
                found = {stem for stem, _ in self._alternatives(word.text, word.stem)}
                groups[word.text] = {word.stem} if word.stem in found else found
        if not groups:
            return None
        if ranking.join_words:
            for left, right in self._joined_pairs(query):
                for part in (left, right):
                    if part in groups:
                        groups[part].add(porter_stem(left + right))
        return list(groups.values()), set().union(*groups.values())

    def _match_floor(self, query: str, candidates: list[tuple[float, int]]):
        """The candidates that really match the query: nothing for fuzzy junk.

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

    def _holds(self, docnum: int, stems: set[str], name: str = "all") -> bool:
        """Whether entry `docnum` has one of `stems` in field `name` (`all`: any field)."""
        for stem in stems:
            docs, _ = self._postings.get(name, stem)
            i = bisect_left(docs, docnum)
            if i < len(docs) and docs[i] == docnum:
                return True
        return False

    def _query(self, query: str) -> tuple[Q.Query | None, list[list[tuple[str, float]]]]:
        """The Whoosh query for a customer's query (the reference the fast path matches)."""
        per_word, clauses, common = self._plan(query)
        if not per_word:
            return None, []
        return self._whoosh_query(per_word, clauses, common), per_word

    def _whoosh_query(self, per_word, clauses, common) -> Q.Query:
        ranking = self.ranking

        def terms(clause: list[QueryTerm]) -> Q.Query:
            return Q.Or([Q.Term(name, stem, boost=boost) for name, stem, boost in clause])

        required = [terms(clause) for clause in clauses]
        optional = [terms(clause) for clause in common]
        if ranking.phrase_boost:
            weights = ranking.field_weights
            for left, right in zip(per_word, per_word[1:], strict=False):
                for name in ("title", "body"):
                    required.append(
                        Q.Phrase(
                            name, [left[0][0], right[0][0]], slop=ranking.phrase_slop,
                            boost=ranking.phrase_boost * weights[name],
                        )
                    )
        if required and optional:
            # Words in most articles only add to the score of entries that match a rarer
            # word: the same ranking near the top without scoring every entry.
            whoosh_query = Q.AndMaybe(Q.Or(required), Q.Or(optional))
        else:
            whoosh_query = Q.Or(required or optional)
        if ranking.feedback_docs:
            stems = {stem for alternatives in per_word for stem, _ in alternatives}
            whoosh_query = self._with_feedback(whoosh_query, stems)
        return whoosh_query

    def _with_feedback(self, whoosh_query: Q.Query, stems: set[str]) -> Q.Query:
        """Add the words the best-matching titles share (pseudo-relevance feedback)."""
        ranking = self.ranking
        top = self._searcher.search(whoosh_query, limit=ranking.feedback_docs)
        if not top:
            return whoosh_query
        best = top[0].score or 1.0
        votes: Counter[str] = Counter()
        for result in top:
            for term in {w.stem for w in words(result["title"])} - stems:
                votes[term] += result.score / best
        extra = [
            Q.Term(name, term, boost=ranking.feedback_weight * weight * vote / len(top))
            for term, vote in votes.most_common(ranking.feedback_terms)
            for name, weight in ranking.field_weights.items()
        ]
        return Q.Or([whoosh_query, *extra]) if extra else whoosh_query

    def search(self, query: str, limit: int = 10, *, snippets: bool = True) -> list[Hit]:
        """The best `limit` articles for a customer's query; never raises on odd input.

        `snippets=False` skips building snippets (scripts that only need ids).
        """
        if limit <= 0:
            return []
        per_word, clauses, common = self._plan(str(query))
        if per_word:
            candidates = self._lexical(str(query), per_word, clauses, common, limit)
        elif self._semantic is not None and any(words(str(query)[:1000], INDEX_STOP_WORDS)):
            candidates = []  # no word the help center uses: only meaning can find it
        else:
            return []
        if self._semantic is not None:
            candidates = self._with_semantic(str(query), candidates)
        best: dict[str, list] = {}  # article -> [score, its best entry, its best question]
        for score, docnum in candidates:
            article, anchor = self._entry(docnum)
            slot = best.setdefault(article, [score, docnum, None])
            if slot[2] is None and anchor:
                slot[2] = (score, docnum)
        stems = {stem for alternatives in per_word for stem, _ in alternatives}
        hits: list[Hit] = []
        for score, docnum, question in list(best.values())[:limit]:
            # An FAQ page whose matching question scores nearly as well links to the question.
            if question is not None and question[0] >= QUESTION_SHARE * score:
                docnum = question[1]
            fields = self._searcher.stored_fields(docnum)
            hits.append(self._hit(fields, score, stems if snippets else None))
        return hits

    def _lexical(self, query: str, per_word, clauses, common,
                 limit: int) -> list[tuple[float, int]]:
        """(BM25F score, entry number) best first, the match floor applied."""
        depth = max(self.ranking.candidates, limit * 4)
        if self._fast and all(boost > 0 for clause in clauses + common for *_, boost in clause):
            if not clauses:  # only common words: they are all there is to match
                clauses, common = common, []
            candidates = top_entries(
                self._postings, [t for clause in clauses for t in clause],
                [t for clause in common for t in clause], depth,
                self._searcher.doc_count_all())
        else:
            candidates = self._whoosh_candidates(per_word, clauses, common, depth)
        if self.ranking.match_floor:
            candidates = self._match_floor(query, candidates)
        return candidates

    def _whoosh_candidates(self, per_word, clauses, common, depth) -> list[tuple[float, int]]:
        """(score, entry number) best first, through Whoosh's matchers (any Ranking)."""
        whoosh_query = self._whoosh_query(per_word, clauses, common)
        results = self._searcher.search(
            whoosh_query, limit=depth, terms=bool(self.ranking.coverage))
        scored = sorted(
            ((self._score(result, per_word), n, result.docnum)
             for n, result in enumerate(results)),
            key=lambda item: (-item[0], item[1]),
        )
        return [(score, docnum) for score, _, docnum in scored]

    def _with_semantic(self, query: str,
                       candidates: list[tuple[float, int]]) -> list[tuple[float, int]]:
        """The candidates re-scored with the query's closeness in meaning to each entry's
        title, plus the closest entries the words missed (`Ranking.semantic_weight`)."""
        ranking = self.ranking
        try:
            similarity = self._semantic.similarities(self._meaning_text(query))
        except Exception:  # noqa: BLE001 - never fail a search over the optional extra
            log.exception("semantic scoring failed; searching without it")
            return candidates
        weight = ranking.semantic_weight
        best = candidates[0][0] if candidates and candidates[0][0] > 0 else 1.0
        scores: dict[int, float] = {}
        for score, docnum in candidates:
            n = self._semantic.position.get(self._entry_key(docnum))
            scores[docnum] = (1 - weight) * score / best \
                + weight * (float(similarity[n]) if n is not None else 0.0)
        depth = min(ranking.semantic_candidates, len(similarity))
        if depth:
            for n in similarity.argpartition(-depth)[-depth:]:
                if similarity[n] < ranking.semantic_floor:
                    continue
                docnum = self._entry_number(self._semantic.keys[n])
                if docnum is not None and docnum not in scores:
                    scores[docnum] = weight * float(similarity[n])
        return sorted(((score, docnum) for docnum, score in scores.items()),
                      key=lambda item: (-item[0], item[1]))

    def _entry_key(self, docnum: int) -> str:
        article, anchor = self._entry(docnum)
        return f"{article}#{anchor}" if anchor else article

    def _entry_number(self, key: str) -> int | None:
        """The live entry with this key (article id, or id#anchor), if any."""
        if key not in self._numbers:
            self._numbers[key] = self._searcher.document_number(key=key)
        return self._numbers[key]

    def _meaning_text(self, query: str) -> str:
        """The query as the re-ranker reads it: each word that neither the help center nor
        the model knows replaced by its closest typo correction ("pssword" -> "password");
        words the model knows stay, even if the help center lacks them ("crossed")."""
        text = fold(query[:1000])
        parts, last = [], 0
        for word in words(text, frozenset()):
            if self._known(word.text, word.stem) or self._semantic.knows(word.text):
                continue
            fixes = self.speller.corrections(word.text, limit=1)
            if fixes:
                parts += [text[last:word.start], fixes[0][0]]
                last = word.end
        return "".join(parts) + text[last:] if parts else query

    def _entry(self, docnum: int) -> tuple[str, str]:
        """An entry's (article id, FAQ anchor or ""), remembered while the index is open."""
        entry = self._entries.get(docnum)
        if entry is None:
            fields = self._searcher.stored_fields(docnum)
            entry = self._entries[docnum] = (fields["article"], fields.get("anchor") or "")
        return entry

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

    def _score(self, result, per_word: list[list[tuple[str, float]]]) -> float:
        if not self.ranking.coverage:
            return result.score
        matched = {
            text.decode("utf-8") if isinstance(text, bytes) else text
            for _, text in result.matched_terms()
        }
        covered = sum(1 for alternatives in per_word
                      if any(stem in matched for stem, _ in alternatives))
        return result.score * (covered / len(per_word)) ** self.ranking.coverage

    def _hit(self, fields, score: float, stems: set[str] | None) -> Hit:
        text = fields.get("body", "")
        return Hit(
            id=fields["article"],
            title=fields["title"],
            url=fields["url"],
            score=round(float(score), 4),
            snippet="" if stems is None else snippet(text, stems, fields.get("description", "")),
            category=fields.get("category", ""),
            anchor=fields.get("anchor") or None,
        )
