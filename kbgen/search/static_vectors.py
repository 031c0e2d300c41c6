"""Search by meaning without a server: the help center's own token vectors.

The semantic re-ranker (`kbgen.search.semantic`) runs a transformer for every query, which a
static host cannot do. This module gives the browser a cheap stand-in: a vector per
WordPiece token of the model's vocabulary, so a query's vector is the mean of its tokens'
vectors (fetched like postings), compared with a vector per entry. Built at `kbgen build`
time when the model is installed:

1. *distilled* vectors: each token embedded alone by the model (`[CLS] token [SEP]`), once
   per model and machine (kept in kbgen's cache folder, `kbgen.search.embedding_cache`);
2. *fitted* to the help center's own text: the model embeds the help center's sentences
   (titles, FAQ questions, descriptions, headings and body sentences, up to a budget); the
   tokens' vectors are then chosen so that the mean of a sentence's token vectors comes
   closest to the model's embedding of the sentence (least squares), with a ridge towards
   the distilled vectors carried into the sentences' space (`carried_prior`: the one linear
   map that best turns a sentence's mean distilled vector into its embedding). Tokens the
   help center never uses keep their distilled vectors, which is what lets "crossed out"
   find "strikethrough". The problem is sparse (a sentence holds a few tokens) and is
   solved by conjugate gradients on the normal equations, all output dimensions at once;
3. reduced to `DIMS` dimensions (the leading directions of the help center's sentence
   embeddings, uncentred), each direction stretched by `stretch` (a partial whitening:
   the direction every text shares counts less in a cosine, the finer ones more; token
   and entry vectors alike, so a query's cosine is still one dot product) and stored as
   int8 with a scale per token.

Each entry (an article's title and keywords, an FAQ question: `semantic.entry_text`) gets the
model's own embedding, reduced and stretched the same way and stored as int8: the query side
is the approximation, the entry side is exact.

The result (`StaticVectors`) is kept as `static.npz` beside the engine's index, refitted only
when the fitted text or the model changed (`fit_key`), and drives

- the browser index's vector files (`browser_files`: `search-vectors.js` reads them), and
- `kbgen search --static`: the engine's lexical ranking mixed with these vectors exactly as
  the browser mixes them (`StaticSemantic`, used by `kbgen.search.semantic_mix`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kbgen.files import open_atomic
from kbgen.search.docs import IndexEntry, SearchDoc, entries

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

STATIC_FILE = "static.npz"
SWITCH_ENV = "KBGEN_STATIC_FIT"  # `off`: no fit (benchmarks measure the fit's cost with it)
FORMAT = 2
DIMS = 64                  # dimensions shipped (PCA of the help center's sentences)
RIDGE = 1.0                # pull towards the distilled vectors: as much as this many
                           # sentences of average length holding the token
WHITEN = 0.2               # direction d's share in a cosine: (its variance)^-WHITEN
CG_STEPS = 200             # conjugate-gradient iterations at most
TOLERANCE = 1e-3           # ...stopping once the residual is this share of the first
MAX_WORDS = 40_000         # words the fit learns from, the entries' own texts first, then
                           # their sentences: the model's cost grows with the words.
                           # StackFAQ's 125 articles: 1,300 words of titles, 2,100 of their
                           # 2,600 sentences; 5,000 generated articles: 78,500 words of
                           # titles and FAQ questions, no more sentences
SENTENCE_WORDS = (3, 40)   # shorter sentences say little, longer ones are cut
VOCAB_BUCKET = 64          # token vectors per browser file (by token id)
VOCAB_SHARD_BYTES = 6_000  # a vocabulary file above this is split by the second letter
ENTRY_LEVELS = 7           # entry vectors: -7..7 per number (4 bits), scaled per entry


def available() -> bool:
    """Whether the fit can run here (the semantic extra's SciPy is installed)."""
    import importlib.util

    return importlib.util.find_spec("scipy") is not None


# ---------------------------------------------------------------------------- sentences


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def _entry_parts(entry: IndexEntry) -> Iterator[str]:
    """An entry's sentences beyond its title, in the order the fit takes them: its
    description and headings, then its body's sentences of SENTENCE_WORDS words (cut);
    read lazily (a large help center's fit takes only the first few of each)."""
    low, high = SENTENCE_WORDS
    for text in (entry.description, *entry.headings.split("\n")):
        if text.strip():
            yield " ".join(text.split())
    start = 0
    for end in [m.start() for m in _SENTENCE_END.finditer(entry.body)] + [len(entry.body)]:
        tokens = entry.body[start:end].split()
        start = end
        if len(tokens) >= low:
            yield " ".join(tokens[:high])


def training_texts(items: Sequence[IndexEntry]) -> list[str]:
    """The help center's sentences the fit learns from, deterministic: every entry's own
    text (`semantic.entry_text`: what customers' queries are compared with), then one
    sentence of each entry in turn (descriptions first, then headings and body sentences)
    until all of them hold MAX_WORDS words. The fit's cost (the model embedding them, by the
    word) stays bounded in large help centers, whose entries' own texts (embedded anyway, by
    the re-ranker) already hold that much; in small ones every entry contributes its first
    sentences."""
    from kbgen.search.semantic import entry_text

    texts: dict[str, None] = {}
    for entry in items:
        texts.setdefault(" ".join(entry_text(entry).split()), None)
    parts = [_entry_parts(entry) for entry in items]
    words = sum(text.count(" ") + 1 for text in texts)
    while parts and words < MAX_WORDS:
        alive = []
        for sentences in parts:
            if words >= MAX_WORDS:
                break
            sentence = next(sentences, None)
            if sentence is None:
                continue
            alive.append(sentences)
            if sentence not in texts:
                texts[sentence] = None
                words += sentence.count(" ") + 1
        parts = alive
    return list(texts)


def warm(items: Sequence[IndexEntry], folder: Path, index_dir: Path) -> None:
    """Embed the fit's sentences beyond the entries' own texts into the embedding cache,
    and the model's tokens (`distilled_vectors`) into the cache folder if they are not
    there yet, so that `fit` finds them there, unless `index_dir`'s vectors are up to date:
    the build runs this in a thread from the start of its search work (the model runs
    beside the index's Python, and beside MkDocs' pages) rather than at its end, where the
    pages wait for it."""
    from kbgen.search.embedding_cache import cache_dir
    from kbgen.search.semantic import _embed, entry_text, load_model, model_id

    if cache_dir() is None:
        return  # nothing to keep them in: the fit embeds them itself
    found = StaticVectors.load(Path(index_dir) / STATIC_FILE)
    if found is not None and found.key == fit_key(items, model_id(folder)):
        return  # no fit in this build
    own = {" ".join(entry_text(entry).split()) for entry in items}
    extra = [text for text in training_texts(items) if text not in own]
    _embed(extra, folder, cache=True,
           label="Embedding sentences for the static search by meaning")
    distilled_vectors(load_model(folder), model_id(folder))


# ---------------------------------------------------------------------------- the fit


def unreachable(vocab: dict[str, int], unknown: str = "[UNK]") -> list[int]:
    """Ids of the tokens `wordpiece` never gives (their vectors are never read): the
    special and `[unused..]` ones but `unknown`, a word-continuing piece or a longer one
    holding punctuation or a CJK character (those always stand alone), a piece that is
    not its own normalised form."""
    out = []
    for token, n in vocab.items():
        if token == unknown:
            continue
        if token.startswith("[") and token.endswith("]") and len(token) > 2:
            out.append(n)
            continue
        continuing = token.startswith("##") and len(token) > 2
        piece = token[2:] if continuing else token
        if bert_words(piece) != [piece] or (continuing or len(piece) > 1) and any(
                _is_punctuation(ch) or _is_cjk(ord(ch)) for ch in piece):
            out.append(n)
    return sorted(out)


def distilled_vectors(model, ident: str) -> np.ndarray:
    """Every vocabulary token embedded alone (float32, vocab x dims, unit rows; zeros for
    the `unreachable` ones, 4 % of BERT's), from kbgen's cache folder when this model's
    were computed before on this machine."""
    import numpy as np

    from kbgen import progress
    from kbgen.search.embedding_cache import cache_dir

    base = cache_dir()
    path = None
    if base is not None:
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", ident)
        path = base / "static" / f"distilled-{safe}.npy"
        if path.is_file():
            try:
                found = np.load(path, allow_pickle=False)
                if found.shape == (model.tokenizer.get_vocab_size(), model.dims):
                    found[unreachable(model.tokenizer.get_vocab())] = 0
                    return found
            except (OSError, ValueError):
                pass
    tokenizer = model.tokenizer
    size = tokenizer.get_vocab_size()
    start, end = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    out = np.zeros((size, model.dims), dtype=np.float32)
    skip = set(unreachable(tokenizer.get_vocab()))
    wanted = [n for n in range(size) if n not in skip]
    batch = 512
    batches = [wanted[s:s + batch] for s in range(0, len(wanted), batch)]
    with progress.task("Embedding the model's tokens (once per machine)", len(wanted),
                       "tokens") as bar:
        from concurrent.futures import ThreadPoolExecutor

        def run(ids: list[int]):
            return model._run([[start, i, end] for i in ids])

        with ThreadPoolExecutor(max(1, model.threads)) as pool:
            for ids, vectors in zip(batches, pool.map(run, batches), strict=True):
                out[ids] = vectors
                bar.advance(len(ids))
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open_atomic(path, "wb", encoding=None) as handle:
                np.save(handle, out)
        except OSError as exc:
            log.warning("cannot keep the model's token vectors in %s (%s)", path, exc)
    return out


def _sparse_rows(token_lists: Sequence[Sequence[int]]):
    """The sentences x tokens averaging matrix, as (rows, columns, values) of its nonzeros
    (a sentence's repeated token adds up), over the distinct tokens `used`."""
    import numpy as np

    rows, cols, vals = [], [], []
    for n, ids in enumerate(token_lists):
        if not ids:
            continue
        share = 1.0 / len(ids)
        counts: dict[int, int] = {}
        for i in ids:
            counts[i] = counts.get(i, 0) + 1
        for i, c in counts.items():
            rows.append(n)
            cols.append(i)
            vals.append(c * share)
    used, local = np.unique(np.array(cols, dtype=np.int64), return_inverse=True)
    return np.array(rows, dtype=np.int64), local, np.array(vals), used


def fit_tokens(token_lists: Sequence[Sequence[int]], targets: np.ndarray, prior: np.ndarray,
               ridge: float | None = None, steps: int | None = None
               ) -> tuple[np.ndarray, np.ndarray]:
    """Token vectors V minimising |A V - targets|^2 + ridge |V - prior[used]|^2 (A: each
    sentence's token mean), for the tokens the sentences use; returns (used ids, V).

    `ridge` (default: RIDGE times the mean of 1/length^2 over the sentences) makes the
    distilled vector count as much as RIDGE average sentences holding the token, so a
    token the help center uses once moves halfway and a common one follows the text.
    Jacobi-preconditioned conjugate gradients on the normal equations
    (A^T A + ridge I) D = A^T (targets - A prior), V = prior + D, every column at once
    (each with its own step sizes), A a SciPy sparse matrix."""
    import numpy as np
    from scipy import sparse

    steps = CG_STEPS if steps is None else steps
    rows, cols, vals, used = _sparse_rows(token_lists)
    if ridge is None:  # a sentence of n tokens adds (1/n)^2 to its tokens' diagonal
        lengths = np.array([len(ids) for ids in token_lists if ids], dtype=np.float64)
        ridge = RIDGE * float(np.mean(1.0 / lengths**2)) if len(lengths) else RIDGE
    a = sparse.csr_matrix((vals.astype(np.float32), (rows, cols)),
                          shape=(len(token_lists), len(used)))
    at = a.T.tocsr()
    base = prior[used].astype(np.float32)
    residual = targets.astype(np.float32) - a @ base

    def normal(x):
        return at @ (a @ x) + np.float32(ridge) * x

    diagonal = (np.bincount(cols, weights=vals * vals, minlength=len(used))
                + ridge).astype(np.float32)[:, None]
    d = np.zeros_like(base)
    r = at @ residual
    z = r / diagonal
    p = z.copy()
    rz = (r * z).sum(axis=0, dtype=np.float64)
    start = rz.copy()
    for _ in range(steps):
        if (rz <= TOLERANCE**2 * np.maximum(start, 1e-30)).all():
            break
        q = normal(p)
        alpha = rz / np.maximum((p * q).sum(axis=0, dtype=np.float64), 1e-30)
        d += alpha.astype(np.float32) * p
        r -= alpha.astype(np.float32) * q
        z = r / diagonal
        new = (r * z).sum(axis=0, dtype=np.float64)
        p = z + (new / np.maximum(rz, 1e-30)).astype(np.float32) * p
        rz = new
    return used, (base + d).astype(np.float64)


def principal_directions(vectors: np.ndarray, dims: int) -> np.ndarray:
    """The `dims` leading principal directions of `vectors` (uncentred: the eigenvectors
    of their dims x dims Gram matrix), as columns."""
    import numpy as np

    rows = vectors.astype(np.float64)
    values, vecs = np.linalg.eigh(rows.T @ rows)
    basis = vecs[:, np.argsort(-values)[:dims]]
    # a fixed sign per direction, so equal inputs give equal files
    signs = np.sign(basis[np.abs(basis).argmax(axis=0), np.arange(basis.shape[1])])
    return basis * np.where(signs == 0, 1, signs)


def carried_prior(token_lists: Sequence[Sequence[int]], targets: np.ndarray,
                  prior: np.ndarray) -> np.ndarray:
    """`prior` (the distilled vectors, reduced) times the one linear map that best turns the
    mean of a sentence's distilled vectors into its target (least squares, a slight ridge):
    the fit's ridge target. A token embedded alone lands among the other lone tokens, away
    from any sentence; carried into the sentences' space first, the ridge pulls a token the
    help center uses rarely towards a vector that fits its sentences. (Tokens it never uses
    keep their plain distilled vectors: the map, learnt from frequent tokens, blurs rare
    words, which costs the words a help center lacks more than it helps them.)"""
    import numpy as np
    from scipy import sparse

    rows, cols, vals, used = _sparse_rows(token_lists)
    if not len(used):
        return prior
    a = sparse.csr_matrix((vals, (rows, cols)), shape=(len(token_lists), len(used)))
    means = a @ prior[used].astype(np.float64)
    gram = means.T @ means
    ridge = 1e-3 * float(np.trace(gram)) / max(1, gram.shape[0])
    mapping = np.linalg.solve(gram + ridge * np.eye(gram.shape[0]),
                              means.T @ targets.astype(np.float64))
    return prior @ mapping


def stretch(reduced_targets: np.ndarray) -> np.ndarray:
    """A factor per reduced direction, (its variance over the sentences)^-WHITEN, the
    largest 1: every text shares the leading direction, which crowds cosines together;
    shrinking it (partly, so the model's geometry still shows) spreads them apart. A
    direction's variance counts as at least 1/1000 of the leading one's (a help center of
    fewer sentences than DIMS leaves some directions empty: they must not dominate)."""
    import numpy as np

    variance = (reduced_targets.astype(np.float64) ** 2).sum(axis=0)
    ratio = np.maximum(variance / max(float(variance.max()), 1e-30), 1e-3)
    factors = ratio ** -WHITEN
    return factors / factors.max()


def quantise_rows(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 rows and a scale per row (value = int8 x scale; the scale has 4 significant
    digits, so the browser files write it short and read back the very same number)."""
    import numpy as np

    peak = np.abs(vectors).max(axis=1)
    scale = np.array([float(f"{x / 127:.4g}") if x > 0 else 1.0 for x in peak])
    q = np.clip(np.rint(vectors / scale[:, None]), -127, 127).astype(np.int8)
    return q, scale


# ---------------------------------------------------------------------------- the result


@dataclass
class StaticVectors:
    """What the browser and `kbgen search --static` rank with."""

    key: str                 # fit_key of what was fitted
    vocab: list[str]         # the model's WordPiece vocabulary, by token id
    tokens: np.ndarray       # int8 (vocab, DIMS)
    scales: np.ndarray       # float64 (vocab,): token vector = tokens[i] * scales[i]
    keys: list[str]          # entry keys (article id, id#anchor), in the engine's order
    entries: np.ndarray      # int8 (entries, DIMS): each entry's direction, -7..7
    unknown: str = "[UNK]"
    floor: float = 0.45      # the least cosine that adds an entry (`calibrated_floor`)

    def save(self, path: Path) -> None:
        import numpy as np

        meta = json.dumps({"format": FORMAT, "key": self.key, "keys": self.keys,
                           "vocab": self.vocab, "unknown": self.unknown,
                           "floor": self.floor})
        with open_atomic(path, "wb", encoding=None) as handle:
            np.savez(handle, tokens=self.tokens, scales=self.scales, entries=self.entries,
                     meta=np.array(meta))

    @classmethod
    def load(cls, path: Path) -> StaticVectors | None:
        import numpy as np

        if not path.is_file():
            return None
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(str(data["meta"]))
                if meta.get("format") != FORMAT:
                    return None
                return cls(meta["key"], meta["vocab"], data["tokens"], data["scales"],
                           meta["keys"], data["entries"], meta.get("unknown", "[UNK]"),
                           float(meta.get("floor", 0.45)))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("ignoring the static vectors in %s (%s); run kbgen build", path, exc)
            return None


def fit_key(items: Sequence[IndexEntry], ident: str) -> str:
    """Changes when anything the fit reads changes: the model, the settings, the texts."""
    digest = hashlib.sha256(json.dumps(
        [FORMAT, ident, DIMS, RIDGE, CG_STEPS, MAX_WORDS, SENTENCE_WORDS, ENTRY_LEVELS,
     "floor", WHITEN, "carried", "unreachable", "words in all"]).encode())
    from kbgen.search.semantic import entry_text

    for entry in items:
        for text in (entry.key, entry_text(entry), entry.description, entry.headings,
                     entry.body):
            digest.update(text.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()[:24]


def calibrated_floor(token_lists: Sequence[Sequence[int]], targets: np.ndarray,
                     entry_vectors: np.ndarray, tokens: np.ndarray, scales: np.ndarray,
                     entries_q: np.ndarray) -> float:
    """The static cosine that as large a share of (sentence, entry) pairs reaches as reach
    the model's `Ranking.semantic_floor`: the mean of token vectors is smoother than the
    model, so unrelated texts come closer, and the floor that keeps topics the help center
    lacks out of the results must be higher (quantile matching over the fit's sentences)."""
    import numpy as np

    from kbgen.search.ranking import Ranking

    model_floor = Ranking().semantic_floor
    pick = [n for n, ids in enumerate(token_lists) if ids][:: max(1, len(token_lists) // 600)]
    if not pick or not len(entries_q):
        return model_floor
    true = targets[pick] @ entry_vectors.T
    share = float((true >= model_floor).mean())
    rows = np.array([(tokens[token_lists[n]] * scales[token_lists[n], None]).mean(axis=0)
                     for n in pick])
    rows /= np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
    entries = entries_q.astype(np.float64)
    entries /= np.maximum(np.linalg.norm(entries, axis=1, keepdims=True), 1e-12)
    static = rows @ entries.T
    if share <= 0:
        return float(static.max())
    values = static.ravel()
    rank = min(len(values) - 1, int(len(values) * (1 - share)))
    return max(model_floor, float(np.partition(values, rank)[rank]))


def fit(items: Sequence[IndexEntry], folder: Path) -> StaticVectors:
    """Fit the help center's token vectors and embed its entries (see the module's doc)."""
    import numpy as np

    from kbgen.search.semantic import _embed, entry_text, load_model, model_id

    model = load_model(folder)
    ident = model_id(folder)
    prior = distilled_vectors(model, ident)
    texts = training_texts(items)
    targets, _ = _embed(texts, folder, cache=True,
                        label="Embedding sentences for the static search by meaning")
    entry_vectors, _ = _embed([entry_text(e) for e in items], folder, cache=True)
    basis = principal_directions(targets, DIMS)
    token_lists = [ids[1:-1] for ids in model.token_ids(texts)]
    aims = targets @ basis
    reduced = prior @ basis
    used, fitted = fit_tokens(token_lists, aims, carried_prior(token_lists, aims, reduced))
    reduced[used] = fitted
    widths = stretch(aims)
    tokens, scales = quantise_rows(reduced * widths)
    own = entry_vectors @ basis * widths
    own /= np.maximum(np.linalg.norm(own, axis=1, keepdims=True), 1e-12)
    peak = np.maximum(np.abs(own).max(axis=1, keepdims=True), 1e-12)
    entry_q = np.clip(np.rint(own / peak * ENTRY_LEVELS), -ENTRY_LEVELS, ENTRY_LEVELS
                      ).astype(np.int8)
    floor = calibrated_floor(token_lists, targets, entry_vectors, tokens, scales, entry_q)
    vocab = [""] * model.tokenizer.get_vocab_size()
    for token, n in model.tokenizer.get_vocab().items():
        vocab[n] = token
    return StaticVectors(fit_key(items, ident), vocab, tokens, scales,
                         [e.key for e in items], entry_q, floor=floor)


def update(docs: Sequence[SearchDoc], index_dir: Path, folder: Path | None
           ) -> StaticVectors | None:
    """The static vectors of `docs` (fitted again only when their text or the model
    changed), kept in `index_dir/static.npz`; None (and the file removed) without a model."""
    path = Path(index_dir) / STATIC_FILE
    if folder is None:
        path.unlink(missing_ok=True)
        return None
    from kbgen.search.semantic import model_id

    items = [entry for doc in docs for entry in entries(doc)]
    key = fit_key(items, model_id(folder))
    found = StaticVectors.load(path)
    if found is not None and found.key == key:
        return found
    started = time.perf_counter()
    vectors = fit(items, folder)
    vectors.save(path)
    log.info("static search by meaning: token vectors fitted in %.1f s",
             time.perf_counter() - started)
    return vectors


def previous(docs: Sequence[SearchDoc], index_dir: Path) -> StaticVectors | None:
    """The last build's vectors if they still cover exactly `docs`' entries (the live
    preview's quick reindex keeps searching by meaning, with the edited entries' vectors
    as they were, until the next full build refits them)."""
    found = StaticVectors.load(Path(index_dir) / STATIC_FILE)
    if found is None or found.keys != [e.key for doc in docs for e in entries(doc)]:
        return None
    return found


# ---------------------------------------------------------------------------- WordPiece


def _is_punctuation(ch: str) -> bool:
    code = ord(ch)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(code: int) -> bool:
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2A6DF
            or 0x2A700 <= code <= 0x2B73F or 0x2B740 <= code <= 0x2B81F
            or 0x2B820 <= code <= 0x2CEAF or 0xF900 <= code <= 0xFAFF
            or 0x2F800 <= code <= 0x2FA1F)


def bert_words(text: str) -> list[str]:
    """BERT's uncased pre-tokenization (as the `tokenizers` library's BertNormalizer and
    BertPreTokenizer do it): control characters dropped, white space made spaces, CJK
    characters apart, accents stripped, then lower case; split at white space and around
    each punctuation character (twin: search-vectors.js `bertWords`)."""
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        category = unicodedata.category(ch)
        if ch in "\t\n\r":
            out.append(" ")
        elif code == 0 or code == 0xFFFD or category.startswith("C"):
            continue
        elif _is_cjk(code):
            out += [" ", ch, " "]
        elif category in ("Zs", "Zl", "Zp"):
            out.append(" ")
        else:
            out.append(ch)
    cleaned = unicodedata.normalize("NFD", "".join(out))
    # lower case one character at a time, as `tokenizers` does (no final sigma rule)
    cleaned = "".join(ch.lower() for ch in cleaned if unicodedata.category(ch) != "Mn")
    found: list[str] = []
    for piece in cleaned.split(" "):
        current = ""
        for ch in piece:
            if _is_punctuation(ch):
                if current:
                    found.append(current)
                    current = ""
                found.append(ch)
            else:
                current += ch
        if current:
            found.append(current)
    return found


def wordpiece(text: str, vocab: dict[str, int], unknown: str = "[UNK]",
              max_chars: int = 100) -> list[str]:
    """The WordPiece tokens of `text` (greedy longest match first; a word that cannot be
    cut into known pieces is `unknown`) (twin: search-vectors.js `wordPiece`)."""
    tokens: list[str] = []
    for word in bert_words(text):
        if len(word) > max_chars:
            tokens.append(unknown)
            continue
        pieces: list[str] = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in vocab:
                    found = piece
                    break
                end -= 1
            if found is None:
                pieces = [unknown]
                break
            pieces.append(found)
            start = end
        tokens += pieces
    return tokens


# ---------------------------------------------------------------------------- scoring


class StaticSemantic:
    """`kbgen.search.semantic.Semantic`'s interface over static vectors, for
    `kbgen.search.semantic_mix.with_meaning`: what the browser computes (twin:
    search-vectors.js)."""

    def __init__(self, vectors: StaticVectors):
        import numpy as np

        self.static = vectors
        self.floor = vectors.floor
        self.keys = vectors.keys
        self.position = {key: n for n, key in enumerate(vectors.keys)}
        self.vocab = {token: n for n, token in enumerate(vectors.vocab)}
        rows = vectors.entries.astype(np.float64)
        self.vectors = rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)

    def knows(self, word: str) -> bool:
        """Whether `word` is one whole token of the model's vocabulary."""
        pieces = wordpiece(word, self.vocab, self.static.unknown)
        return len(pieces) == 1 and pieces[0] != self.static.unknown

    def query_vector(self, text: str):
        """The mean of the text's token vectors (None if it has no tokens)."""
        import numpy as np

        ids = [self.vocab[t] for t in wordpiece(text, self.vocab, self.static.unknown)]
        if not ids:
            return None
        rows = self.static.tokens[ids].astype(np.float64) * \
            self.static.scales[ids].astype(np.float64)[:, None]
        return rows.sum(axis=0) / len(ids)

    def similarities(self, text: str):
        """Cosine of the query's vector and each entry's (zeros for a query of no tokens)."""
        import numpy as np

        vector = self.query_vector(text)
        norm = float(np.linalg.norm(vector)) if vector is not None else 0.0
        if not norm:
            return np.zeros(len(self.keys))
        return self.vectors @ (vector / norm)


def open_static(index_dir: Path) -> StaticSemantic | None:
    """The index's static vectors ready to score, or None (built without the model)."""
    found = StaticVectors.load(Path(index_dir) / STATIC_FILE)
    return StaticSemantic(found) if found is not None else None


# ---------------------------------------------------------------------------- browser files


def _key_char(ch: str) -> str:
    return ch if ch.isascii() and ch.isalnum() else "_"


def vocab_file(kind: str, piece: str, split: set[str]) -> str:
    """The file holding a vocabulary piece (`w` starts a word, `c` continues one, without
    its `##`): `<kind>-<first character>`, or `<kind>-<first two>` for a piece of two or
    more characters when its first character's file is split (characters other than a-z
    and 0-9 are `_`) (twin: search-vectors.js `vocabFile`)."""
    first = f"{kind}-{_key_char(piece[:1])}"
    if first in split and len(piece) >= 2:
        return first + _key_char(piece[1])
    return first


def browser_files(vectors: StaticVectors, weight: float, candidates: int
                  ) -> tuple[dict[str, object], dict]:
    """({key: JSON value} of the `s` files of the browser index, the meta section naming
    them). Keys: `w-<k>` the vocabulary's word-initial pieces starting with k (piece ->
    token id), `c-<k>` its word-continuing pieces (without `##`) (`vocab_file`: a large
    one split by the second character, `split` in meta), `b-<n>` the vectors of
    tokens n x VOCAB_BUCKET.. (scales and base64 int8 rows), `e` the entries' vectors
    (bytes, not JSON: 4 bits a number, ENTRY_LEVELS, in the engine's entry order)."""
    import base64

    import numpy as np

    pieces: list[tuple[str, str, int]] = []  # (kind, piece, token id)
    for n, token in enumerate(vectors.vocab):
        if token.startswith("##") and len(token) > 2:
            pieces.append(("c", token[2:], n))
        elif token:
            pieces.append(("w", token, n))
    sizes: dict[str, int] = {}
    for kind, piece, n in pieces:
        first = vocab_file(kind, piece, set())
        sizes[first] = sizes.get(first, 0) + len(piece.encode()) + len(str(n)) + 4
    split = {key for key, size in sizes.items() if size > VOCAB_SHARD_BYTES}
    vocab_files: dict[str, dict[str, int]] = {}
    for kind, piece, n in pieces:
        vocab_files.setdefault(vocab_file(kind, piece, split), {})[piece] = n
    files: dict[str, object] = dict(vocab_files)
    count = len(vectors.vocab)
    for b, start in enumerate(range(0, count, VOCAB_BUCKET)):
        end = min(count, start + VOCAB_BUCKET)
        files[f"b-{b}"] = {
            "s": [float(s) for s in vectors.scales[start:end]],
            "v": base64.b64encode(vectors.tokens[start:end].tobytes()).decode("ascii"),
        }
    # two numbers a byte: (first + 8) in the low four bits, (second + 8) in the high
    codes = (vectors.entries.astype(np.int16) + 8).astype(np.uint8).reshape(-1, 2)
    packed = (codes[:, 0] | (codes[:, 1] << 4)).astype(np.uint8)
    files["e"] = packed.tobytes()  # binary: a third smaller than base64
    section = {
        "dims": int(vectors.tokens.shape[1]),
        "bucket": VOCAB_BUCKET,
        "split": sorted(split),
        "unknown": vectors.unknown,
        "unknown_id": vectors.vocab.index(vectors.unknown),
        "weight": weight,
        "candidates": candidates,
        "floor": vectors.floor,
    }
    return files, section
