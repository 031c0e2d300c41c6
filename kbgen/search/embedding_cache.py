"""Where sentence embeddings and the encoder's ONNX file are kept between builds.

Embedding a text costs about a millisecond; looking it up costs microseconds. The cache is
kept outside the project (deleting `site/` or `.kbgen/` keeps it), so a cold build of a help
center whose titles were embedded before, a CI job that restores the folder, and the
contact-drivers report all embed only texts the model has not seen.

The folder: `KBGEN_CACHE_DIR` if set (`off` turns the cache off), else
`$XDG_CACHE_HOME/kbgen`, else `~/.cache/kbgen`. It holds

- `embeddings.sqlite3`: one row per (model id, SHA-1 of the text): the unit-length float32
  vector. A model id names the model's files (`kbgen.search.semantic.model_id`), so another
  model never reuses these vectors. SQLite lets builds running at the same time share it.
- `onnx/`: the encoder as an ONNX file, written the first time a model is used
  (`kbgen.search.minilm`).

Deleting the folder is always safe: everything in it is recomputed when needed. A folder
that cannot be written (read-only home, full disk) only costs speed, never a build.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

ENV = "KBGEN_CACHE_DIR"
DATABASE = "embeddings.sqlite3"


def cache_dir() -> Path | None:
    """kbgen's cache folder (not created here), or None when KBGEN_CACHE_DIR is `off`."""
    configured = os.environ.get(ENV, "").strip()
    if configured.lower() == "off":
        return None
    if configured:
        return Path(configured).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(xdg) if xdg else Path.home() / ".cache") / "kbgen"


def text_key(text: str) -> bytes:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).digest()


class EmbeddingCache:
    """Vectors by (model id, text), in SQLite; every failure is logged and treated as a miss."""

    def __init__(self, folder: Path | None, model: str, dims: int):
        self.model, self.dims = model, dims
        self._db: sqlite3.Connection | None = None
        if folder is None:
            return
        try:
            folder.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(folder / DATABASE, timeout=30, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS vectors (model TEXT NOT NULL, "
                       "text BLOB NOT NULL, vector BLOB NOT NULL, PRIMARY KEY (model, text)) "
                       "WITHOUT ROWID")
            self._db = db
        except (OSError, sqlite3.Error) as exc:
            log.warning("the embedding cache %s cannot be used (%s); embedding without it "
                        "(set %s to another folder, or to off)", folder / DATABASE, exc, ENV)

    def get(self, keys: Sequence[bytes]) -> dict[bytes, np.ndarray]:
        """The cached vectors among `keys`."""
        found: dict[bytes, np.ndarray] = {}
        if self._db is None or not keys:
            return found
        size = self.dims * 4
        try:
            for start in range(0, len(keys), 500):
                chunk = list(keys[start : start + 500])
                rows = self._db.execute(
                    "SELECT text, vector FROM vectors WHERE model = ? AND text IN "
                    f"({','.join('?' * len(chunk))})", [self.model, *chunk])
                for key, blob in rows:
                    if len(blob) == size:  # a damaged row is a miss
                        found[key] = np.frombuffer(blob, dtype=np.float32)
        except sqlite3.Error as exc:
            log.warning("the embedding cache cannot be read (%s); embedding without it", exc)
        return found

    def put(self, keys: Sequence[bytes], vectors: np.ndarray) -> None:
        if self._db is None or not len(keys):
            return
        rows = [(self.model, key, np.asarray(vector, dtype=np.float32).tobytes())
                for key, vector in zip(keys, vectors, strict=True)]
        try:
            with self._db:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)", rows)
        except sqlite3.Error as exc:
            log.warning("the embedding cache cannot be written (%s); continuing", exc)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
