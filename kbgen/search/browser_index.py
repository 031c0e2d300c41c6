"""The browser's search index: what theme/assets/kbgen/search-ranking.js ranks with.

Written by `kbgen build` into the site (`search/kb/`), so search works on any static host.
Nothing is downloaded until a customer starts searching, and then only what the query needs:

- `entry.json`: the only file with a fixed name, a few bytes: the format and the name of
  this build's meta file. The browser revalidates it once per page load;
- `meta.<hash>.json`: ranking parameters, stop words, shard lists, which entries are FAQ
  questions, and the content hash of every other file (`hashes`);
- `t/<prefix>.<hash>.json`: term shards. A stem lives in the shard of its longest prefix that
  `meta.terms` lists (`_` is the empty prefix), so the words a customer is still typing
  ("expo", "export") keep hitting the same shard; big prefixes are split a letter further.
  A stem's postings give its entry count, its common surface words (the engine's rare-word
  typo rule) and, per scored field (the combined `all` field and the title), the entries
  holding it with their BM25F score (idf, term frequency and field length folded in at build
  time, exactly as Whoosh computes them);
- `v/<letter>.<hash>.json`: the vocabulary typo correction draws from (word -> entries
  holding it), by first letter;
- `d/<n>.<hash>.json`: the result rows (title, url, category, snippet, anchor) in chunks of
  entries;
- `s/<key>.<hash>.json` (only when the build fitted static vectors: search by meaning on a
  static host, `kbgen.search.static_vectors`): WordPiece vocabulary pieces, token vectors
  and entry vectors; `meta.vectors` holds their settings, `meta.hashes.s` their hashes.

Deploys are atomic for readers (as with Pagefind's entry file): every file but entry.json is
named by its content (8 hex digits of its SHA-256), so a file name never changes meaning, a
host may cache those files for good, and a reader who has one build's entry and meta only
ever fetches that build's shards. A rebuild that changes nothing keeps every name; a content
change renames only the files whose bytes changed, and meta (which lists their hashes). A
build writes only its own files (the site folder is built afresh and swapped in), so stale
hashed files never pile up in site/; if a reader's build is gone from the host, search-ranking.js
reads entry.json again and repeats the search on the new build, never mixing the two.

Analysis is `kbgen.search.analysis` and the entries are `kbgen.search.docs.entries`, so an
entry here is the same entry the engine scores. Shard layout in `KbIndex.files()`, file
names in `publish()`.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import logging
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

from kbgen.files import replace_dir, write_atomic
from kbgen.search.analysis import current_language, index_stop_words, query_stop_words
from kbgen.search.analysis import stem as analysis_stem
from kbgen.search.docs import IndexEntry, SearchDoc, doc_from_article
from kbgen.search.fuzzy import LONG_WORD, MIN_LENGTH, SHORT_WORD
from kbgen.search.ranking import FIELD_REPEATS, QUESTION_SHARE, Ranking
from kbgen.search.snippet import MAX_CHARS
from kbgen.search.terms import TEXT_FIELDS, AnalysedEntry, FieldTerms, analysed_entries

if TYPE_CHECKING:
    from kbgen.search.static_vectors import StaticVectors

log = logging.getLogger(__name__)

FORMAT = 3
INDEX_DIR = ("search", "kb")          # site_dir/search/kb/
ENTRY = "entry.json"                  # the one fixed name: names this build's meta file
HASH_CHARS = 8                        # hex digits of SHA-256 in a file's name
SHARD_BYTES = 24_000                  # a term shard above this is split by the next letter
MAX_PREFIX = 8                        # ...unless its prefix is this long already
DOC_CHUNK = 16                        # result rows per d/<n>.json (a hit fetches its chunk)
SCORE_SCALE = 1000                    # scores are stored as integers in thousandths

# Whoosh stores a field length as one byte: the smallest of these >= the true length
# (whoosh.util.numeric: lengths (1.033**i - 1) * 27, rounded). BM25 sees that length.
_STORED_LENGTHS = [round((1.033**i - 1) * 27) for i in range(256)]


def stored_length(length: int) -> int:
    """The field length Whoosh's BM25F uses for a field of `length` words."""
    i = bisect.bisect_left(_STORED_LENGTHS, length)
    return _STORED_LENGTHS[min(i, 255)]


def shard_of(stem: str, prefixes: Iterable[str]) -> str:
    """The shard holding `stem`: its longest prefix among `prefixes` (twin: search-ranking.js
    `shardOf`)."""
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


def bm25(idf: float, tf: int, length: int, avg: float, b: float, k1: float) -> float:
    return idf * (tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * length / avg))


def _field_counts(terms: FieldTerms) -> tuple[dict[str, Counter[str]], set[str]]:
    """Stem counts per field, `all` included (fields repeated as FIELD_REPEATS says), and
    the entry's surface words, from its analysed words (`kbgen.search.terms`)."""
    counts: dict[str, Counter[str]] = {"all": Counter()}
    surfaces: set[str] = set()
    for name in TEXT_FIELDS:
        found = terms[name]
        counts[name] = Counter(stem_text for _, stem_text in found)
        surfaces.update(word for word, _ in found)
        for _ in range(FIELD_REPEATS.get(name, 0)):
            counts["all"].update(counts[name])
    return counts, surfaces


class KbIndex:
    """The browser index of a list of SearchDocs, as {relative path: JSON value}."""

    def __init__(self, docs: list[SearchDoc], categories: Mapping[str, str] | None = None,
                 ranking: Ranking | None = None,
                 analysed: Mapping[str, list[AnalysedEntry]] | None = None):
        self.ranking = ranking or Ranking()
        self.categories = dict(categories or {})
        self.fields = self.ranking.fields
        # Entries in the engine's order (each article, then its FAQ questions), so ties
        # break the same way; faq = [article number, its questions] for FAQ pages.
        self.entries: list[IndexEntry] = []
        self.faq: list[list[int]] = []
        terms: list[FieldTerms] = []
        for number, doc in enumerate(docs):
            found = analysed.get(doc.id) if analysed is not None else None
            first, *questions = found or analysed_entries(doc)
            for entry, entry_terms in (first, *questions):
                self.entries.append(entry)
                terms.append(entry_terms)
            if questions:
                self.faq.append([number, len(questions)])
        self.articles = len(docs)
        self.tf: dict[str, dict[str, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
        self.lengths: dict[str, list[int]] = {name: [] for name in self.fields}
        self.vocabulary: Counter[str] = Counter()
        self.surfaces: dict[str, set[str]] = defaultdict(set)
        for number, entry_terms in enumerate(terms):
            counts, surfaces = _field_counts(entry_terms)
            for name in self.fields:
                self.lengths[name].append(sum(counts[name].values()))
                for stem_text, tf in counts[name].items():
                    self.tf[stem_text][name][number] = tf
            for stem_text in counts["all"]:
                self.tf[stem_text]["all"].setdefault(number, 0)
            self.vocabulary.update(surfaces)
            for word in surfaces:
                self.surfaces[analysis_stem(word)].add(word)

    # -- shards -------------------------------------------------------------------------

    def postings(self, stem_text: str) -> list:
        """[entries holding the stem, its common surface words, per scored field
        [entry delta, score, entry delta, score, ...]] (scores in 1/SCORE_SCALE)."""
        n = len(self.entries)
        ranking = self.ranking
        by_field = self.tf[stem_text]
        result: list = [len(by_field["all"]), self._common_surfaces(stem_text)]
        for name in self.fields:
            postings = by_field.get(name, {})
            total = sum(self.lengths[name])
            avg = total / n if total else 1
            idf = math.log(n / (len(postings) + 1)) + 1
            b = ranking.field_b.get(name, ranking.b)
            flat: list[int] = []
            previous = 0
            for number in sorted(postings):
                length = stored_length(self.lengths[name][number])
                score = bm25(idf, postings[number], length, avg, b, ranking.k1)
                flat += [number - previous, round(score * SCORE_SCALE)]
                previous = number
            result.append(flat)
        return result

    def _common_surfaces(self, stem_text: str) -> list[str]:
        """The stem's words in more entries than the engine's rare-word typo rule looks at
        (a typed word not listed here is rare or unknown: the browser checks its typo fixes)."""
        limit = self.ranking.rare_word_df
        if not limit:
            return []
        return sorted(w for w in self.surfaces.get(stem_text, ()) if self.vocabulary[w] > limit)

    def term_shards(self) -> dict[str, dict[str, list]]:
        """Prefix -> {stem: postings}."""
        sizes = {s: sum(9 * len(f) for f in self.tf[s].values()) for s in self.tf}
        return {prefix: {s: self.postings(s) for s in stems}
                for prefix, stems in plan_shards(sizes).items()}

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
        count = len(self.entries)
        prune = bool(r.common_share) and count >= r.common_min_entries
        return {
            "format": FORMAT,
            "entries": count,
            "articles": self.articles,
            "faq": self.faq,
            "terms": sorted(prefixes),
            "letters": "".join(sorted(letters)),
            "chunk": DOC_CHUNK,
            "scale": SCORE_SCALE,
            "fields": list(self.fields),
            "weights": list(self.fields.values()),
            "framing_weight": r.framing_weight,
            "typo_weight": r.typo_weight,
            "rare_word_df": r.rare_word_df,
            "rare_word_ratio": r.rare_word_ratio,
            "candidates": r.candidates,
            "common_df": r.common_share * count if prune else None,
            "question_share": QUESTION_SHARE,
            "min_length": MIN_LENGTH,
            "long_word": LONG_WORD,
            "short_word": SHORT_WORD,
            "join_words": r.join_words,
            "match_floor": r.match_floor,
            "index_stop": sorted(index_stop_words()),
            "query_stop": sorted(query_stop_words() - index_stop_words()),
            "lang": current_language(),  # search-ranking.js stems with this language's
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


def _trim(text: str) -> str:
    if len(text) <= MAX_CHARS:
        return text
    return text[:MAX_CHARS].rsplit(" ", 1)[0] + "…"


class Titled(Protocol):
    """A category of the content model (`kbgen.content.Category`), as far as titles go."""

    @property
    def title(self) -> object: ...


def _category_titles(categories: Mapping[str, str | Titled] | None) -> dict[str, str]:
    """slug -> title, from Category objects (the content model) or plain titles."""
    return {slug: c if isinstance(c, str) else str(c.title)
            for slug, c in (categories or {}).items()}


def build_browser_index(articles: Iterable[object],
                        categories: Mapping[str, str | Titled] | None = None,
                        ranking: Ranking | None = None,
                        analysed: Mapping[str, list[AnalysedEntry]] | None = None,
                        vectors: StaticVectors | None = None,
                        ) -> dict[str, object]:
    """{path under search/kb/: JSON value} for Articles or SearchDocs (`analysed`: their
    entries' words if the caller has them already, `kbgen.search.terms.analyse`;
    `vectors`: the static search by meaning's, `kbgen.search.static_vectors`: `s/` files
    and `meta.vectors`)."""
    docs = [a if isinstance(a, SearchDoc) else doc_from_article(a) for a in articles]
    index = KbIndex(docs, _category_titles(categories), ranking, analysed)
    files = index.files()
    if vectors is not None:
        from kbgen.search.static_vectors import browser_files

        r = index.ranking
        parts, section = browser_files(vectors, r.semantic_weight, r.semantic_candidates)
        cast(dict, files["meta.json"])["vectors"] = section
        files.update({f"s/{key}.{'bin' if isinstance(value, bytes) else 'json'}": value
                      for key, value in parts.items()})
    return files


_HASHED = re.compile(rf"(?:[tvds]/[^/]+|meta)\.[0-9a-f]{{{HASH_CHARS}}}\.(?:json|bin)")
IMMUTABLE = "public, max-age=31536000, immutable"


def cache_control(name: str) -> str | None:
    """What a host should send for a file under search/kb/ (its name there): hashed files
    never change (cache them for good), entry.json is revalidated; None for anything else."""
    if name == ENTRY:
        return "no-cache"
    return IMMUTABLE if _HASHED.fullmatch(name) else None


def _text(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _hash(text: str | bytes) -> str:
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:HASH_CHARS]


def publish(files: Mapping[str, object]) -> dict[str, str | bytes]:
    """`KbIndex.files()` ({"meta.json": ..., "t/ab.json": ...}) -> {file name under
    search/kb/: its text}: each part named by its content hash, meta listing those hashes
    (so meta's own hash changes whenever any part does), and entry.json naming meta.
    A part given as bytes (`s/e.bin`: packed entry vectors) is written as they are."""
    meta = dict(cast(Mapping[str, Any], files["meta.json"]))  # KbIndex.meta(): a dict
    # (kind, key) -> (hash, text, suffix)
    named: dict[tuple[str, str], tuple[str, str | bytes, str]] = {}
    for name, value in files.items():
        if name == "meta.json":
            continue
        kind, _, rest = name.partition("/")
        key, _, suffix = rest.rpartition(".")
        text = value if isinstance(value, bytes) else _text(value)
        named[kind, key] = (_hash(text), text, suffix)
    meta["hashes"] = {
        "t": [named["t", prefix or "_"][0] for prefix in meta["terms"]],
        "v": [named["v", letter][0] for letter in meta["letters"]],
        "d": [named["d", str(n)][0] for n in range(sum(1 for kind, _ in named if kind == "d"))],
    }
    if "vectors" in meta:  # static_vectors.browser_files: key -> hash
        meta["hashes"]["s"] = {key: digest for (kind, key), (digest, *_) in named.items()
                               if kind == "s"}
    meta_text = _text(meta)
    meta_name = f"meta.{_hash(meta_text)}.json"
    out: dict[str, str | bytes] = {ENTRY: _text({"format": FORMAT, "meta": meta_name}),
                                   meta_name: meta_text}
    out.update({f"{kind}/{key}.{digest}.{suffix}": text
                for (kind, key), (digest, text, suffix) in named.items()})
    return out


def write_browser_index(articles: Iterable[object], site_dir: Path,
                        categories: Mapping[str, str | Titled] | None = None,
                        analysed: Mapping[str, list[AnalysedEntry]] | None = None,
                        *, keep_previous: bool = False,
                        vectors: StaticVectors | None = None) -> None:
    """Write the browser index under site_dir/search/kb/, replacing the previous one whole
    (builds write into a fresh site folder: no earlier build's hashed files are kept).

    keep_previous (the live preview's fast path, into the site being served): add the new
    files beside the previous ones, then switch entry.json; nothing is removed, so a page
    still reading the previous build finds all of its files."""
    target = Path(site_dir).joinpath(*INDEX_DIR)
    target.parent.mkdir(parents=True, exist_ok=True)
    files = publish(build_browser_index(articles, categories, analysed=analysed,
                                        vectors=vectors))
    if keep_previous and (target / ENTRY).is_file():
        _add_beside(target, files)
        return
    with replace_dir(target) as staging:
        for name, text in files.items():
            path = staging / name
            path.parent.mkdir(exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")
    log.info("browser search index: %d files in %s", len(files), target)


def _add_beside(target: Path, files: Mapping[str, str | bytes]) -> None:
    """Write the files not there yet (each whole, by rename), entry.json last."""
    for name in [*(n for n in files if n != ENTRY), ENTRY]:
        path = target / name
        if name != ENTRY and path.is_file():
            continue  # the same name holds the same bytes
        write_atomic(path, files[name])
    log.info("browser search index: %s now names %s", ENTRY, target)
