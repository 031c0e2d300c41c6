"""Search by meaning on a static host: relevance in Chromium and the cost at 5,000 articles.

    .venv/bin/python benchmarks/static_meaning.py                 # both parts, writes results/
    .venv/bin/python benchmarks/static_meaning.py --part relevance --no-write
    .venv/bin/python benchmarks/static_meaning.py --part scale --built DIR --build-log FILE

1. Relevance: the StackFAQ help center (benchmarks/relevance.py's converter, read in place
   from ../shared/bench/stackfaq) built twice with `kbgen build`, with the semantic model
   installed (`semantic_search: auto`: the static index ships the fitted token vectors,
   kbgen/search/static_vectors.py) and without (`off`: the lexical static index), each
   served by a plain static file server. Every dev query, its typo variant and its short
   typo variant is searched on the home page in Chromium (no help API) by the page's own
   search (KbgenSearch.search, what the box calls); the ranked results are scored (MRR@10,
   Hit@1/3/10) and compared with `kbgen search --static`.
2. Scale: a help center of benchmarks/generate_articles.py's 5,000 articles built with the
   model installed: build time and the fit's share (from the build log), then
   benchmarks/browser_search.py's measurement on an article page (cold cache: "/" pressed,
   query typed, time to first results, every byte fetched until then) and the first result
   compared with `kbgen search --static`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "results" / "static_meaning.md"
sys.path.insert(0, str(REPO / "benchmarks"))

import browser_search  # noqa: E402  (serving, Chromium, the box driver, the scale runs)
import relevance  # noqa: E402  (the StackFAQ converter, query variants and metrics)

CONFIG = browser_search.CONFIG.replace(
    "  # The browser's search is lexical: compare it with the engine's lexical ranking.\n", ""
).replace("semantic_search: 'off'", "semantic_search: '{mode}'")


# The page's own search (KbgenSearch.search: what the search box calls and lists), one query
# after another; a query that finds nothing gives [] (the box would show its "nothing found"
# panel instead of a list).
SEARCH_ALL = """async (queries) => {
  const out = [];
  for (const q of queries) out.push((await KbgenSearch.search(q, 10)).map((h) => h.id));
  return out;
}"""


def query_sets() -> tuple[dict[str, list[str]], list[set[str]], list[dict]]:
    queries = relevance.read_jsonl(relevance.BENCH / "queries_dev.jsonl")
    sets = {
        "dev": [q["query"] for q in queries],
        "typo": [relevance.typo_variant(q["qid"], q["query"]) for q in queries],
        "short typo": [relevance.short_typo_variant(q["qid"], q["query"]) for q in queries],
    }
    return sets, [set(q["relevant"]) for q in queries], queries


def static_batch(root: Path, texts: list[str]) -> list[list[str]]:
    result = relevance.kbgen("search", "--static", "--json", "-", cwd=root,
                             stdin="\n".join(texts) + "\n")
    if result.returncode:
        raise SystemExit(f"kbgen search --static failed: {result.stderr}")
    return [[r["id"] for r in json.loads(line)["results"]] for line in result.stdout.splitlines()]


def relevance_part(playwright) -> dict:
    articles = relevance.read_jsonl(relevance.BENCH / "articles.jsonl")
    sets, wanted, queries = query_sets()
    report: dict = {"load": [os.getloadavg()[0]]}
    for mode in ("auto", "off"):
        with tempfile.TemporaryDirectory(prefix="kbgen-static-meaning-") as tmp:
            root = Path(tmp)
            relevance.write_help_center(root, articles)
            server, url = browser_search.serve(root / "site")
            (root / "mkdocs.yml").write_text(
                CONFIG.format(name="StackFAQ help", url=url, mode=mode), "utf-8")
            started = time.time()
            built = relevance.kbgen("build", cwd=root)
            if built.returncode:
                raise SystemExit(built.stderr[-2000:])
            build_seconds = time.time() - started
            browser = browser_search.chromium(playwright)
            page = browser.new_page()
            page.goto(url)
            rows = {}
            for name, texts in sets.items():
                started = time.time()
                ranked = page.evaluate(SEARCH_ALL, [t.replace("\n", " ") for t in texts])
                seconds = time.time() - started
                engine = static_batch(root, texts)
                rows[name] = {
                    "browser": relevance.metrics(ranked, wanted),
                    "engine": relevance.metrics(engine, wanted),
                    "first": sum(a[:1] == b[:1] for a, b in zip(ranked, engine, strict=True)),
                    "same": sum(a[:10] == b[:10] for a, b in zip(ranked, engine, strict=True)),
                    "ms": 1000 * seconds / len(texts),
                }
                if name == "dev":
                    for part in "AB":
                        pick = [i for i, q in enumerate(queries)
                                if relevance.half(q["qid"]) == part]
                        rows[f"dev half {part}"] = {"browser": relevance.metrics(
                            [ranked[i] for i in pick], [wanted[i] for i in pick])}
            browser.close()
            server.shutdown()
            fitted = re.search(r"token vectors fitted in ([\d.]+) s", built.stderr)
            report[mode] = {"rows": rows, "build": build_seconds,
                            "fit": float(fitted.group(1)) if fitted else None}
        report["load"].append(os.getloadavg()[0])
    return report


def build_costs(text: str) -> dict:
    """Wall seconds, the fit's seconds and the load averages from one build's log."""
    fitted = re.search(r"token vectors fitted in ([\d.]+) s", text)
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", text)
    seconds = None
    if wall:
        seconds = (int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60
                   + float(wall.group(3)))
    return {"build": seconds, "fit": float(fitted.group(1)) if fitted else None,
            "load": re.findall(r"load average: ([\d.]+)", text)}


def scale_part(playwright, count: int, built: Path | None, logs: list[Path] | None,
               rounds: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="kbgen-static-scale-") as tmp:
        root = built or Path(tmp)
        costs = [{"log": log.name, **build_costs(log.read_text("utf-8"))}
                 for log in logs or []]
        if built is None:
            subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate_articles.py"),
                            str(root), "--count", str(count)], check=True, capture_output=True)
            (root / "mkdocs.yml").write_text(CONFIG.format(
                name="Scale help", url="http://127.0.0.1:8765/", mode="auto"), "utf-8")
            started = time.time()
            result = relevance.kbgen("build", cwd=root)
            costs = [{"log": "this run", **build_costs(result.stderr),
                      "build": time.time() - started}]
        measured = browser_search.scale_part(playwright, count, root, rounds)
        static_first = dict(zip(browser_search.SCALE_QUERIES, static_batch(
            root, browser_search.SCALE_QUERIES), strict=True))
        for run in measured["runs"]:
            run["static_first"] = run["first"] == static_first[run["query"]][:1][0]
        vectors = root / "site" / "search" / "kb" / "s"
        measured["vector_bytes"] = sum(p.stat().st_size for p in vectors.glob("*.*"))
        measured["entry_bytes"] = sum(p.stat().st_size for p in vectors.glob("e.*"))
        measured["costs"] = costs
    return measured


def metrics_cells(m: dict) -> str:
    return f"{m['mrr10']:.3f} | {m['hit1']:.3f} | {m['hit3']:.3f} | {m['hit10']:.3f}"


def report(rel: dict | None, scale: dict | None) -> str:
    lines = ["# Search by meaning on a static host (issue 21)", "",
             f"Produced by `benchmarks/static_meaning.py` on {time.strftime('%Y-%m-%d %H:%M')}; "
             "Chromium headless, sites served by Python's `http.server` (no compression, no "
             "help API).", ""]
    if rel:
        lines += ["## Relevance: StackFAQ queries searched by the home page's own search "
                  "(KbgenSearch.search, what the search box calls)", "",
                  "| queries | static index | n | MRR@10 | Hit@1 | Hit@3 | Hit@10 |",
                  "|---|---|---|---|---|---|---|"]
        for name in ("dev", "dev half A", "dev half B", "typo", "short typo"):
            for mode, label in (("off", "lexical (no model at build)"),
                                ("auto", "with fitted token vectors")):
                m = rel[mode]["rows"][name]["browser"]
                lines.append(f"| {name} | {label} | {m['n']} | {metrics_cells(m)} |")
        lines += [""]
        for name in ("dev", "typo", "short typo"):
            row = rel["auto"]["rows"][name]
            n = row["browser"]["n"]
            lines.append(
                f"- {name}: the page and `kbgen search --static` on the same build: MRR@10 "
                f"{row['browser']['mrr10']:.3f} / {row['engine']['mrr10']:.3f}; same first "
                f"result {row['first']} of {n}, identical top 10 {row['same']} of {n}; "
                f"{row['ms']:.0f} ms per query (warm page).")
        lines.append(
            f"- Builds: {rel['auto']['build']:.0f} s with the model (fit "
            f"{rel['auto']['fit'] if rel['auto']['fit'] is not None else 'cached'} s), "
            f"{rel['off']['build']:.0f} s without; load average "
            f"{' -> '.join(f'{x:.1f}' for x in rel['load'])} (2 CPUs, shared).")
        lines.append("")
    if scale:
        runs = scale["runs"]
        times = [r["ms"] for r in runs]
        total = [r["bytes"] / 1024 for r in runs]
        search = [r["search"] / 1024 for r in runs]
        lines += [f"## Scale: {scale['count']:,} generated articles", "",
                  f"Article page `{scale['article']}`, fresh browser context per query (cold "
                  "cache), \"/\" pressed, query typed; time from the first key to the first "
                  "results; bytes = everything fetched until then (page included).", "",
                  "| query | first results (ms) | fetched (KB) | search data (KB) | search "
                  "files | first = `kbgen search --static`'s |", "|---|---|---|---|---|---|"]
        for r in runs:
            lines.append(f"| {r['query']} | {r['ms']:.0f} | {r['bytes'] / 1024:.0f} | "
                         f"{r['search'] / 1024:.0f} | {len(r['files'])} | "
                         f"{'yes' if r['static_first'] else 'no'} |")
        lines += ["",
                  f"- Time to first results: median {statistics.median(times):.0f} ms, worst "
                  f"{max(times):.0f} ms (target <= 300 ms); load average "
                  f"{scale['load'][0][0]:.1f} before, {scale['load'][1][0]:.1f} after.",
                  f"- Fetched up to then: median {statistics.median(total):.0f} KB, worst "
                  f"{max(total):.0f} KB (target <= 1 MB); search data median "
                  f"{statistics.median(search):.0f} KB, worst {max(search):.0f} KB.",
                  f"- Article page where nobody searches: {scale['idle_search_files']} search "
                  "files fetched.",
                  f"- Vector files on disk: {scale['vector_bytes'] / 1024:.0f} KB in all "
                  f"(entry vectors {scale['entry_bytes'] / 1024:.0f} KB); whole browser index "
                  f"{scale['index_bytes'] / 1e6:.1f} MB in {scale['index_files']} files."]
        for cost in scale["costs"]:
            if cost["build"] and cost["fit"] is not None:
                lines.append(
                    f"- Build ({cost['log']}): {cost['build']:.0f} s wall, of which the fit "
                    f"{cost['fit']:.1f} s ({100 * cost['fit'] / cost['build']:.1f} %); load "
                    f"average before / after: {' / '.join(cost['load'])}.")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("relevance", "scale", "both"), default="both")
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--built", type=Path, help="scale: a help center built beforehand")
    parser.add_argument("--build-log", type=Path, action="append", help="scale: that "
                        "build's log (stderr, with /usr/bin/time -v and uptime lines) for its "
                        "time and the fit's; repeat for several builds (first, then rebuild)")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--out", type=Path, help="the results file (default: "
                        "results/static_meaning.md; static_meaning_scale.md for --part scale)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        rel = relevance_part(playwright) if args.part in ("relevance", "both") else None
        scale = None
        if args.part in ("scale", "both"):
            scale = scale_part(playwright, args.count, args.built, args.build_log, args.rounds)
    text = report(rel, scale)
    print(text)
    if not args.no_write:
        out = args.out or (RESULTS.with_name("static_meaning_scale.md") if args.part == "scale"
                           else RESULTS)
        earlier = out.read_text("utf-8").split("\n", 1)[1] if out.is_file() else ""
        out.write_text(text + ("\n## Earlier runs\n" + earlier if earlier else ""),
                       encoding="utf-8")  # the runs before stay below, newest first
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
