"""The browser search index's files at scale: sizes, and how many names a one-article edit
changes (content-hashed names: unchanged files keep theirs, so browsers and CDNs keep them).

    nice .venv/bin/python benchmarks/index_files.py --count 5000

Generates a help center (benchmarks/generate_articles.py), builds it with `kbgen build`,
edits one article's body, builds again, and prints a Markdown table for
benchmarks/results/index_files.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def build(root: Path) -> float:
    started = time.time()
    result = subprocess.run([sys.executable, "-m", "kbgen", "build"], cwd=root,
                            capture_output=True, text=True, check=False)
    if result.returncode:
        raise SystemExit(f"kbgen build failed:\n{result.stderr[-2000:]}")
    return time.time() - started


def index_files(root: Path) -> dict[str, bytes]:
    index = root / "site" / "search" / "kb"
    return {p.relative_to(index).as_posix(): p.read_bytes()
            for p in index.rglob("*") if p.is_file()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kbgen-index-files-") as tmp:
        root = Path(tmp)
        subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate_articles.py"),
                        str(root), "--count", str(args.count)], check=True, capture_output=True)
        seconds = build(root)
        first = index_files(root)
        entry = first["entry.json"]
        meta = first[json.loads(entry)["meta"]]
        article = sorted((root / "content").rglob("*.md"))[len(first) % 50]
        article.write_text(article.read_text(encoding="utf-8")
                           + "\nA quokka-proof sentence added for the benchmark.\n",
                           encoding="utf-8")
        build(root)
        second = index_files(root)
    renamed = sorted(set(second) - set(first) - {"entry.json"})
    kept = set(first) & set(second) - {"entry.json"}
    print("| articles | files | whole index | entry.json | meta (raw / gzip) | "
          "build (s) | renamed by a one-article edit | kept |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| {args.count:,} | {len(first):,} | {sum(map(len, first.values())) / 1e6:.1f} MB | "
          f"{len(entry)} B | {len(meta) / 1000:.1f} KB / "
          f"{len(gzip.compress(meta)) / 1000:.1f} KB | {seconds:.0f} | "
          f"{len(renamed)} ({by_kind(renamed)}) | {len(kept):,} ({by_kind(kept)}) |")


def by_kind(names) -> str:
    kinds = {"meta": "meta", "t": "term", "v": "vocabulary", "d": "row"}
    counts: dict[str, int] = {}
    for name in names:
        kind = kinds[name.split("/")[0].split(".")[0]]
        counts[kind] = counts.get(kind, 0) + 1
    return ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))


if __name__ == "__main__":
    main()
