"""Texts to unit vectors: the semantic model when installed, a lexical method otherwise.

- `semantic`: the sentence-embedding model of search (`kbgen.search.semantic`), its vectors
  kept in the store's `text_embeddings` table keyed by model id and text hash, so a second
  report embeds only texts it has not seen.
- `lexical`: TF-IDF over words (Porter-stemmed, so "refunds" meets "refund") and character
  n-grams (typos), reduced with a truncated SVD (latent semantic analysis) to dense unit
  vectors; fitted on the texts of this report, nothing kept.

Both give L2-normalised rows, so a dot product is the cosine similarity.
"""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path
from typing import Any, cast

import numpy as np

log = logging.getLogger(__name__)

SELECT_VECTORS = "SELECT hash, vector FROM text_embeddings WHERE model = :model"
INSERT_VECTOR = ("INSERT INTO text_embeddings (model, hash, vector) VALUES (:model, :hash, "
                 ":vector) ON CONFLICT (model, hash) DO NOTHING")
LSA_DIMENSIONS = 128
SVD_SAMPLE = 4000  # texts the LSA space is fitted on
CHAR_FEATURES = 20_000  # the commonest character n-grams: bounded SVD cost
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


class SemanticVectors:
    """The sentence-embedding model, with its vectors kept in the store.

    Texts the store does not hold yet go, all at once, through `embed_texts` (which embeds
    each distinct text once, in length-sorted batches, and reuses the embedding cache); the
    model is loaded only then, so a report whose vectors are all kept never loads it.
    """

    method = "semantic"

    def __init__(self, folder: Path, store: Any) -> None:
        from kbgen.search.semantic import model_id

        self.folder = folder
        self.model_id = model_id(folder)
        self.store = store
        self.computed = 0  # texts this report added to the store (the rest were kept there)

    def encode(self, texts: list[str]) -> np.ndarray:
        from kbgen.search.semantic import embed_texts

        hashes = [text_hash(t) for t in texts]
        wanted = set(hashes)
        known: dict[str, np.ndarray] = {}
        for digest, blob in self.store.query(SELECT_VECTORS, {"model": self.model_id}):
            if digest in wanted:
                known[digest] = np.frombuffer(bytes(blob), dtype="<f4")
        missing = sorted({h: t for h, t in zip(hashes, texts, strict=True)
                          if h not in known}.items())
        if missing:
            fresh = embed_texts([t for _, t in missing], self.folder)
            self.computed += len(missing)
            rows = []
            for n, (digest, _) in enumerate(missing):
                known[digest] = fresh[n]
                rows.append({"model": self.model_id, "hash": digest,
                             "vector": fresh[n].astype("<f4").tobytes()})
            if hasattr(self.store, "write_many"):
                self.store.write_many([(INSERT_VECTOR, rows)])
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        return _unit(np.vstack([known[h] for h in hashes]))


class LexicalVectors:
    """TF-IDF (stemmed words + character n-grams) reduced by LSA; fitted per report."""

    method = "lexical"
    computed = 0

    def __init__(self) -> None:
        self._fitted: tuple[Any, Any, Any] | None = None

    def fit(self, texts: list[str]) -> None:
        """Learn the vocabulary and the LSA space from every text of the report."""
        from scipy.sparse import hstack
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        words = TfidfVectorizer(analyzer=_stemmed_words, sublinear_tf=True, min_df=1)
        chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True,
                                lowercase=True, min_df=2, max_features=CHAR_FEATURES)
        corpus = [t.lower() for t in texts] or [""]
        matrix = hstack([words.fit_transform(corpus), chars.fit_transform(corpus)]).tocsr()
        dims = max(1, min(LSA_DIMENSIONS, matrix.shape[0] - 1, SVD_SAMPLE - 1,
                          matrix.shape[1] - 1))
        svd = TruncatedSVD(n_components=dims, random_state=0) if dims > 1 else None
        if svd is not None:  # the space is learnt from a sample: SVD time stays bounded
            rows = np.random.default_rng(0).permutation(matrix.shape[0])[:SVD_SAMPLE]
            svd.fit(matrix[np.sort(rows)])
        self._fitted = (words, chars, svd)

    def encode(self, texts: list[str]) -> np.ndarray:
        from scipy.sparse import hstack

        if self._fitted is None:
            self.fit(texts)
        words, chars, svd = cast(tuple[Any, Any, Any], self._fitted)  # fit() sets it
        corpus = [t.lower() for t in texts]
        if not corpus:
            return np.zeros((0, 1), dtype=np.float32)
        matrix = hstack([words.transform(corpus), chars.transform(corpus)]).tocsr()
        dense = svd.transform(matrix) if svd is not None else matrix.toarray()
        return _unit(np.asarray(dense, dtype=np.float32))


def _stemmed_words(text: str) -> list[str]:
    from kbgen.search.porter import stem

    return [stem(w) for w in _WORD.findall(text.lower()) if len(w) > 1]


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32)


def keep_ticket_vectors(store: Any, tickets: list[dict[str, Any]],
                        setting: str | bool | None, base: Path | None) -> int:
    """At `kbgen tickets import`: embed the imported tickets' own words (subject and start of
    the body, as the analysis reads them: `Ticket.text`) into `text_embeddings`, so the
    first report does not have to. Returns how many texts the model embedded.

    Only with the semantic model installed and chosen (`semantic_search`); anything that
    goes wrong is logged and leaves the work to the report: the tickets are stored already.
    """
    from kbgen.drivers.evidence import Ticket
    from kbgen.search.semantic import SemanticError, model_folder

    try:
        folder = model_folder(setting, base)
    except SemanticError:
        return 0  # the report says why it uses the lexical method
    if folder is None or not tickets:
        return 0
    texts = [Ticket(t["ticket_id"], t["ts"], (t.get("subject") or "").strip(),
                    (t.get("body") or "").strip(), None, None).text for t in tickets]
    texts = [t for t in dict.fromkeys(texts) if t]
    try:
        vectors = SemanticVectors(folder, store)
        vectors.encode(texts)
    except Exception as exc:  # noqa: BLE001 - the import has succeeded; this only saves time
        log.warning("The ticket texts were not embedded now (%s); the next report embeds "
                    "them.", exc)
        return 0
    return vectors.computed


def make_vectors(setting: str | bool | None, base: Path | None, store: Any):
    """SemanticVectors when the model the `semantic_search` setting names is usable,
    LexicalVectors otherwise (`off`, or the model not installed)."""
    from kbgen.search.semantic import SemanticError, model_folder

    try:
        folder = model_folder(setting, base)
    except SemanticError as exc:
        log.warning("Contact drivers use the lexical method: %s", exc)
        folder = None
    if folder is None:
        return LexicalVectors()
    return SemanticVectors(folder, store)
