"""The browser's search index: what `theme/assets/kbgen/search.js` loads to rank like the engine.

Written by `kbgen build` into the site (`search/kb/`), so search works on any static host.
Nothing is downloaded until a customer starts searching, and then only what the query needs:

- `meta.json`: ranking parameters, stop words, shard counts, the FAQ-question -> article map;
- `t/<prefix>.json`: term shards. A stem lives in the shard of its longest prefix that
  `meta.terms` lists (`_` is the empty prefix), so the words a customer is still typing
  ("expo", "export") keep hitting the same shard; big prefixes are split a letter further.
  A stem's postings give, per field, the entries holding it with their BM25F score for that
  field (idf, term frequency and field length folded in at build time, exactly as Whoosh
  computes them) and, for title and body, the word positions the phrase boost needs;
- `v/<letter>.json`: the vocabulary typo correction draws from (word -> entries holding it),
  by first letter;
- `d/<n>.json`: the result rows (title, url, category, snippet, anchor) in chunks of entries.

Analysis is `kbgen.search.analysis` and the entries are `kbgen.search.docs.entries`, so an
entry here is the same entry the engine scores. Shard layout in `KbIndex.files()`.
"""

from __future__ import annotations

import bisect
import json
import logging
import math
import os
import shutil
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kbgen.search.analysis import INDEX_STOP_WORDS, QUERY_STOP_WORDS, words
from kbgen.search.docs import IndexEntry, SearchDoc, doc_from_article, entries
from kbgen.search.engine import TEXT_FIELDS, Ranking
from kbgen.search.fuzzy import LONG_WORD, MIN_LENGTH
from kbgen.search.snippet import MAX_CHARS

log = logging.getLogger(__name__)

FORMAT = 1
INDEX_DIR = ("search", "kb")          # site_dir/search/kb/
POSITION_FIELDS = ("title", "body")   # the fields the engine's phrase boost looks at
SHARD_BYTES = 24_000                  # a term shard above this is split by the next letter
MAX_PREFIX = 8                        # ...unless its prefix is this long already
DOC_CHUNK = 48                        # result rows per d/<n>.json
SCORE_SCALE = 1000                    # scores are stored as integers in thousandths

# Whoosh stores a field length as one byte: the smallest of these >= the true length
# (whoosh.util.numeric: lengths (1.033**i - 1) * 27, rounded). BM25 sees that length.
_STORED_LENGTHS = [round((1.033**i - 1) * 27) for i in range(256)]


def stored_length(length: int) -> int:
    """The field length Whoosh's BM25F uses for a field of `length` words."""
    i = bisect.bisect_left(_STORED_LENGTHS, length)
    return _STORED_LENGTHS[min(i, 255)]


def shard_of(stem: str, prefixes: Iterable[str]) -> str:
    """The shard holding `stem`: its longest prefix among `prefixes` (search.js does the same)."""
    known = set(prefixes)
    return next(stem[:k] for k in range(len(stem), -1, -1) if stem[:k] in known)


def plan_shards(sizes: Mapping[str, int], prefix: str = "") -> dict[str, list[str]]:
    """Prefix -> stems: split a prefix by its next letter while it holds over SHARD_BYTES;
    letters too small to stand alone stay with the prefix (so does a stem equal to it)."""
    if sum(sizes.values()) <= SHARD_BYTES or len(prefix) >= MAX_PREFIX:
        return {prefix: sorted(sizes)}
    groups: dict[str, dict[str, int]] = defaultdict(dict)
    own = [stem for stem in sizes if len(stem) == len(prefix)]
    for stem, size in sizes.items():
        if len(stem) > len(prefix):
            groups[stem[: len(prefix) + 1]][stem] = size
    plan: dict[str, list[str]] = {}
    for child, members in sorted(groups.items()):
        if sum(members.values()) < SHARD_BYTES // 4:
            own += members
        else:
            plan.update(plan_shards(members, child))
    if own or not prefix:
        plan[prefix] = sorted(own)
    return plan


@dataclass
class _Posting:
    tf: int = 0
    positions: list[int] = field(default_factory=list)


def bm25(idf: float, tf: int, length: int, avg: float, b: float, k1: float) -> float:
    return idf * (tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * length / avg))


class KbIndex:
    """The browser index of a list of SearchDocs, as {relative path: JSON value}."""

    def __init__(self, docs: list[SearchDoc], categories: Mapping[str, str] | None = None,
                 ranking: Ranking | None = None):
        self.ranking = ranking or Ranking()
        self.categories = dict(categories or {})
        articles, questions = [], []
        for doc in docs:
            first, *faq = entries(doc)
            articles.append(first)
            questions.extend(faq)
        # Article entries first, so entry i < len(articles) is article i.
        self.entries: list[IndexEntry] = articles + questions
        self.article_index = {entry.article: i for i, entry in enumerate(articles)}
        self.postings: dict[str, dict[str, dict[int, _Posting]]] = defaultdict(
            lambda: defaultdict(dict))
        self.lengths: dict[str, list[int]] = {name: [] for name in TEXT_FIELDS}
        self.vocabulary: Counter[str] = Counter()
        for number, entry in enumerate(self.entries):
            self._add(number, entry)

    def _add(self, number: int, entry: IndexEntry) -> None:
        surfaces: set[str] = set()
        for name in TEXT_FIELDS:
            count = 0
            for word in words(getattr(entry, name)):
                posting = self.postings[word.stem][name].setdefault(number, _Posting())
                posting.tf += 1
                posting.positions.append(word.pos)
                surfaces.add(word.text)
                count += 1
            self.lengths[name].append(count)
        self.vocabulary.update(surfaces)

    # -- shards -------------------------------------------------------------------------

    def _field_scores(self, stem: str) -> list:
        """[f0..f4, p_title, p_body]: per field [entry delta, score, ...]; positions."""
        n = len(self.entries)
        ranking = self.ranking
        result: list = []
        positions: dict[str, list[int]] = {}
        for name in TEXT_FIELDS:
            postings = self.postings[stem].get(name, {})
            total = sum(self.lengths[name])
            avg = total / n if total else 1
            idf = math.log(n / (len(postings) + 1)) + 1
            b = ranking.field_b.get(name, ranking.b)
            flat: list[int] = []
            places: list[int] = []
            previous = 0
            for number in sorted(postings):
                posting = postings[number]
                length = stored_length(self.lengths[name][number])
                score = bm25(idf, posting.tf, length, avg, b, ranking.k1)
                flat += [number - previous, round(score * SCORE_SCALE)]
                previous = number
                if name in POSITION_FIELDS:
                    places += [len(posting.positions), *_deltas(posting.positions)]
            result.append(flat)
            positions[name] = places
        return result + [positions[name] for name in POSITION_FIELDS]

    def term_shards(self) -> dict[str, dict[str, list]]:
        """Prefix -> {stem: postings}."""
        sizes = {stem: self._size_guess(stem) for stem in self.postings}
        return {prefix: {stem: self._field_scores(stem) for stem in stems}
                for prefix, stems in plan_shards(sizes).items()}

    def _size_guess(self, stem: str) -> int:
        return sum(12 + 4 * p.tf for f in self.postings[stem].values() for p in f.values())

    def vocabulary_shards(self) -> dict[str, dict[str, int]]:
        """Words typo correction may suggest (alphabetic, 3+ letters), by first letter."""
        shards: dict[str, dict[str, int]] = defaultdict(dict)
        for word in sorted(self.vocabulary):
            if len(word) >= MIN_LENGTH - 1 and word.isalpha() and word.isascii():
                shards[word[0]][word] = self.vocabulary[word]
        return dict(shards)

    def rows(self) -> list[list]:
        """One result row per entry: [article id, title, url, category, snippet, anchor]."""
        result = []
        for entry in self.entries:
            text = entry.description or entry.body
            result.append([
                entry.article, entry.title, entry.url,
                self.categories.get(entry.category, entry.category),
                _trim(" ".join(text.split())), entry.anchor,
            ])
        return result

    def meta(self, prefixes: Iterable[str], letters: Iterable[str]) -> dict:
        r = self.ranking
        return {
            "format": FORMAT,
            "entries": len(self.entries),
            "articles": len(self.article_index),
            # entry number - articles -> article number, for FAQ questions
            "questions": [self.article_index[e.article]
                          for e in self.entries[len(self.article_index):]],
            "terms": sorted(prefixes),
            "letters": "".join(sorted(letters)),
            "chunk": DOC_CHUNK,
            "scale": SCORE_SCALE,
            "fields": list(TEXT_FIELDS),
            "weights": [r.field_weights[name] for name in TEXT_FIELDS],
            "positions": [TEXT_FIELDS.index(name) for name in POSITION_FIELDS],
            "coordination": r.coordination,
            "phrase_boost": r.phrase_boost,
            "phrase_slop": r.phrase_slop,
            "typo_weight": r.typo_weight,
            "candidates": r.candidates,
            "min_length": MIN_LENGTH,
            "long_word": LONG_WORD,
            "index_stop": sorted(INDEX_STOP_WORDS),
            "query_stop": sorted(QUERY_STOP_WORDS - INDEX_STOP_WORDS),
        }

    def files(self) -> dict[str, object]:
        terms = self.term_shards()
        vocabulary = self.vocabulary_shards()
        rows = self.rows()
        files: dict[str, object] = {"meta.json": self.meta(terms, vocabulary)}
        files.update({f"t/{prefix or '_'}.json": shard for prefix, shard in terms.items()})
        files.update({f"v/{letter}.json": shard for letter, shard in vocabulary.items()})
        for i in range(0, len(rows), DOC_CHUNK):
            files[f"d/{i // DOC_CHUNK}.json"] = rows[i:i + DOC_CHUNK]
        return files


def _deltas(numbers: list[int]) -> list[int]:
    return [b - a for a, b in zip([0, *numbers], numbers, strict=False)]


def _trim(text: str) -> str:
    if len(text) <= MAX_CHARS:
        return text
    return text[:MAX_CHARS].rsplit(" ", 1)[0] + "…"


def _category_titles(categories: Mapping[str, object] | None) -> dict[str, str]:
    """slug -> title, from Category objects (the content model) or plain titles."""
    return {slug: c if isinstance(c, str) else str(c.title)
            for slug, c in (categories or {}).items()}


def build_browser_index(articles: Iterable[object],
                        categories: Mapping[str, object] | None = None,
                        ranking: Ranking | None = None) -> dict[str, object]:
    """{path under search/kb/: JSON value} for Articles or SearchDocs."""
    docs = [a if isinstance(a, SearchDoc) else doc_from_article(a) for a in articles]
    return KbIndex(docs, _category_titles(categories), ranking).files()


def write_browser_index(articles: Iterable[object], site_dir: Path,
                        categories: Mapping[str, object] | None = None) -> None:
    """Write the browser index under site_dir/search/kb/, replacing the previous one whole."""
    target = Path(site_dir).joinpath(*INDEX_DIR)
    target.parent.mkdir(parents=True, exist_ok=True)
    files = build_browser_index(articles, categories)
    staging = Path(tempfile.mkdtemp(prefix=".kb-", dir=target.parent))
    try:
        staging.chmod(0o755)  # mkdtemp makes it private; the web server must read it
        for name, value in files.items():
            path = staging / name
            path.parent.mkdir(exist_ok=True)
            text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            path.write_text(text, encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    log.info("browser search index: %d files in %s", len(files), target)
