"""Contact drivers measured on StackFAQ scenarios, through the real CLI.

    nice python benchmarks/drivers_eval.py --seeds 1 2 3 [--method semantic|lexical]
        [--queries ../shared/bench/stackfaq/queries_dev.jsonl]

For each seed: `make_scenario.py` builds a help center (content/), a Zendesk-style
tickets.csv, events.jsonl and truth.json in a temporary folder; this script writes a
minimal mkdocs.yml around the content (as `kbgen init` lays it out; `semantic_search: off`
for the lexical method), then runs `kbgen build`, `kbgen events import`, `kbgen tickets
import --preset zendesk` and `kbgen report --format json` for the scenario's window (with an
empty embedding cache, `KBGEN_CACHE_DIR` in the scenario folder), and scores the report's
`topics` against the truth, per kind:

- recall: share of the scenario's topics of that kind reported with that kind and the right
  article (for gaps: article null, and the reported topic's majority question is that gap);
- purity: ticket-weighted share of a reported topic's tickets about its majority question;
- placed: share of all tickets that are in some topic.

The scenario data stays in the temporary folder (it is evaluation data, never test data).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent.parent / "shared" / "bench"
if not BENCH.is_dir():
    BENCH = Path("/work/shared/bench")
KINDS = ("gap", "failing", "unfound")
MKDOCS = """site_name: Scenario Help
docs_dir: content
theme:
  name: material
  font: false
plugins:
  - kbgen:
      contact_url: mailto:support@example.com
      semantic_search: {semantic}
"""


def kbgen(folder: Path, *args: str) -> subprocess.CompletedProcess:
    # A fresh embedding cache per scenario: the first report embeds what it must.
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KBGEN_CACHE_DIR": str(folder / ".cache")}
    result = subprocess.run([sys.executable, "-m", "kbgen", *args], cwd=folder, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"kbgen {' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return result


def score(report: dict, truth: dict) -> dict:
    roles, about = truth["roles"], truth["tickets"]
    topics = report["topics"]
    out: dict = {"method": report.get("drivers_method"), "topics": len(topics),
                 "tickets": len(about)}
    placed = {t for topic in topics for t in topic["tickets"]}
    out["placed"] = len(placed & set(about)) / max(len(about), 1)
    for kind in KINDS:
        wanted = [t for t, r in roles.items() if r == kind]
        hits = set()
        pure = total = 0
        for topic in topics:
            majority, count = Counter(about.get(t) for t in topic["tickets"]).most_common(1)[0] \
                if topic["tickets"] else (None, 0)
            if topic["kind"] == kind:
                pure += count
                total += len(topic["tickets"])
                if kind == "gap" and topic["article"] is None and roles.get(majority) == "gap":
                    hits.add(majority)
                elif kind != "gap" and topic["article"] in wanted:
                    hits.add(topic["article"])
        out[f"{kind}_recall"] = len(hits) / max(len(wanted), 1)
        out[f"{kind}_purity"] = pure / total if total else None
    pure = sum(Counter(about.get(t) for t in tp["tickets"]).most_common(1)[0][1]
               for tp in topics if tp["tickets"])
    out["purity"] = pure / max(sum(len(tp["tickets"]) for tp in topics), 1)
    return out


def run_seed(seed: int, method: str, queries: Path, keep: Path | None) -> dict:
    with tempfile.TemporaryDirectory(prefix="drivers-") as tmp:
        folder = keep / f"seed{seed}-{method}" if keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(BENCH / "drivers" / "make_scenario.py"),
                        str(queries), str(folder), "--seed", str(seed)], check=True,
                       capture_output=True)
        (folder / "mkdocs.yml").write_text(
            MKDOCS.format(semantic="auto" if method == "semantic" else "off"), encoding="utf-8")
        kbgen(folder, "build")
        kbgen(folder, "events", "import", "events.jsonl")
        kbgen(folder, "tickets", "import", "tickets.csv", "--preset", "zendesk")
        truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
        window = truth["window"]
        args = ("report", "--format", "json", "--since", window["since"],
                "--until", window["until"])
        load = os.getloadavg()[0]
        started = time.perf_counter()
        report = json.loads(kbgen(folder, *args).stdout)
        first = time.perf_counter() - started
        started = time.perf_counter()
        kbgen(folder, *args)
        second = time.perf_counter() - started
        result = score(report, truth)
        result.update(seed=seed, first_s=round(first, 1), second_s=round(second, 1),
                      load=round(load, 1))
        return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--method", choices=("semantic", "lexical"), default="semantic")
    ap.add_argument("--queries", type=Path, default=BENCH / "stackfaq" / "queries_dev.jsonl")
    ap.add_argument("--keep", type=Path, help="keep each scenario's folder under this one")
    a = ap.parse_args()
    rows = [run_seed(seed, a.method, a.queries, a.keep) for seed in a.seeds]
    keys = ["seed", "method", "tickets", "topics", "placed", "purity",
            *[f"{k}_{m}" for k in KINDS for m in ("recall", "purity")], "first_s", "second_s",
            "load"]
    print("| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for row in rows:
        print("| " + " | ".join(_fmt(row.get(k)) for k in keys) + " |")
    means = {k: sum(r[k] for r in rows if r.get(k) is not None)
             / max(sum(1 for r in rows if r.get(k) is not None), 1)
             for k in keys if isinstance(rows[0].get(k), float)}
    print("| mean | | | | " + " | ".join(_fmt(means.get(k)) for k in keys[4:]) + " |")


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.3f}" if value <= 1 else f"{value:.1f}"
    return "" if value is None else str(value)


if __name__ == "__main__":
    main()
