"""Cold `kbgen build` with the semantic re-ranker against plain mkdocs-material, alternated.

    nice .venv/bin/python benchmarks/build_ab.py [--articles 2000] [--rounds 2]
        [--workdir /tmp/kbgen-build-ab] [--out FILE]

Generates a help center (benchmarks/generate_articles.py), then each round builds, one after
the other: plain mkdocs-material (scale.py's category-sized nav, no kbgen plugin); kbgen cold
with an empty embedding cache (`site/`, `.kbgen/` and KBGEN_CACHE_DIR removed, except the
encoder's ONNX file, written once per machine); kbgen cold with the embedding cache kept
(`site/` and `.kbgen/` removed: a CI job that restores the cache, or a rebuild from scratch).
Wall time, CPU time (user+sys of the build and its children) and peak RSS of the largest
process (os.wait4), medians over the rounds. Records the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_articles import generate  # noqa: E402
from scale import PY, plain_config, run  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/kbgen-build-ab"))
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    root = args.workdir / f"kb-{args.articles}"
    shutil.rmtree(args.workdir, ignore_errors=True)
    root.mkdir(parents=True)
    generate(root, args.articles)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace(
        "  - kbgen\n", "  - kbgen:\n      semantic_search: 'on'\n"), "utf-8")
    cache = args.workdir / "cache"
    os.environ["KBGEN_CACHE_DIR"] = str(cache)
    # The encoder's ONNX file, written once as on any machine; in a child, so this process
    # stays small (a child's peak RSS counts the parent's pages until it execs).
    subprocess.run([PY, "-c", "from kbgen.search import semantic; "
                    "semantic.load_model(semantic.model_folder('on'))"], check=True)
    plain = plain_config(root, False)
    load_before = os.getloadavg()
    runs: dict[str, list] = {"plain": [], "kbgen, empty cache": [], "kbgen, cache kept": []}
    for round_ in range(args.rounds):
        for name in runs:
            for stale in ("site", "site-plain", ".kbgen"):
                shutil.rmtree(root / stale, ignore_errors=True)
            if name == "kbgen, empty cache":
                (cache / "embeddings.sqlite3").unlink(missing_ok=True)
            cmd = ([PY, "-m", "mkdocs", "build", "-q", "-f", str(plain)] if name == "plain"
                   else [PY, "-m", "kbgen", "build"])
            result = run(cmd, root, 3600)
            if not result.ok:
                sys.exit(f"{name} build failed")
            runs[name].append(result)
            print(f"round {round_ + 1} {name}: wall {result.wall:.1f} s, CPU {result.cpu:.1f} "
                  f"s, peak {result.rss_mb:.0f} MB", flush=True)
    load_after = os.getloadavg()
    base = statistics.median(r.wall for r in runs["plain"])
    base_cpu = statistics.median(r.cpu for r in runs["plain"])
    lines = [f"{args.articles:,} articles, {args.rounds} alternated rounds, medians; load "
             f"average {load_before[0]:.1f} before, {load_after[0]:.1f} after (2 cores, "
             "shared; builds run under `nice`).", "",
             "| build | wall s | wall ratio | CPU s | CPU ratio | peak MB |",
             "|---|---|---|---|---|---|"]
    for name, results in runs.items():
        wall = statistics.median(r.wall for r in results)
        cpu = statistics.median(r.cpu for r in results)
        peak = max(r.rss_mb for r in results)
        lines.append(f"| {name} | {wall:.1f} | {wall / base:.2f} | {cpu:.1f} | "
                     f"{cpu / base_cpu:.2f} | {peak:.0f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, "utf-8")


if __name__ == "__main__":
    main()
