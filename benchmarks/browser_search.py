"""Browser search benchmark: relevance and speed of the site's own search box in Chromium.

    .venv/bin/python benchmarks/browser_search.py              # both parts, writes results/
    .venv/bin/python benchmarks/browser_search.py --part relevance --no-write

1. Relevance: the StackFAQ articles (read in place from ../shared/bench/stackfaq) become a
   help center in a temporary folder (the converter of benchmarks/relevance.py), built with
   `kbgen build` and served by a plain static file server. Every dev query is typed into the
   home page's search box; the ranked result links are scored (MRR@10, Hit@1/3/10) and
   compared with `kbgen search --json -` on the same build.
2. Scale: 5,000 synthetic articles (benchmarks/generate_articles.py), built with `kbgen build`.
   On a freshly loaded article page (cold cache) the customer presses "/" and types a query:
   the time from the first key to the results for the whole query, and every byte fetched
   until then (page, CSS, JS, search data); the first result is compared with
   `kbgen search`'s; machine load (`os.getloadavg`) is recorded with the timings. Also: an
   article page where nobody searches fetches no search data.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "results" / "browser_search.md"
sys.path.insert(0, str(REPO / "benchmarks"))

import relevance  # noqa: E402  (the StackFAQ converter and the metrics)

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SCALE_QUERIES = ["export invoice pdf", "recurring invoice not sent", "bank feed not syncing",
                 "add a team member", "delete my acount", "change tax rate", "refund payment",
                 "mobile app receipt scan"]

CONFIG = """site_name: {name}
site_url: {url}
docs_dir: content
site_dir: site
theme:
  name: material
  font: false
  features: [navigation.instant]
plugins:
  # The browser's search is lexical: compare it with the engine's lexical ranking.
  - kbgen:
      semantic_search: 'off'
markdown_extensions: [toc, admonition, attr_list, md_in_html, tables, pymdownx.details,
  pymdownx.superfences]
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def kbgen_build(root: Path) -> float:
    started = time.time()
    result = relevance.kbgen("build", cwd=root)
    if result.returncode:
        raise SystemExit(f"kbgen build failed in {root}:\n{result.stderr[-2000:]}")
    return time.time() - started


def chromium(playwright):
    return playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)


# -- 1. relevance ---------------------------------------------------------------------------

TYPE_AND_READ = """async (query) => {
  const input = document.querySelector('#kb-q');
  const list = document.getElementById(input.getAttribute('aria-controls'));  // #kb-q's own
  const settled = (want) => new Promise((resolve) => {
    const check = () => (list.hidden === want ? resolve() : setTimeout(check, 5));
    check();
  });
  input.value = ''; input.dispatchEvent(new Event('input')); await settled(true);
  input.value = query; input.dispatchEvent(new Event('input')); await settled(false);
  return Array.from(list.querySelectorAll('[data-kb-result]'), (a) => a.dataset.kbResult);
}"""


def relevance_part(playwright) -> dict:
    articles = relevance.read_jsonl(relevance.BENCH / "articles.jsonl")
    queries = relevance.read_jsonl(relevance.BENCH / "queries_dev.jsonl")
    texts = [q["query"] for q in queries]
    wanted = [set(q["relevant"]) for q in queries]
    with tempfile.TemporaryDirectory(prefix="kbgen-browser-stackfaq-") as tmp:
        root = Path(tmp)
        relevance.write_help_center(root, articles)
        server, url = serve(root / "site")
        (root / "mkdocs.yml").write_text(CONFIG.format(name="StackFAQ help", url=url), "utf-8")
        build_seconds = kbgen_build(root)
        engine = relevance.search_batch(root, texts)
        browser = chromium(playwright)
        page = browser.new_page()
        page.goto(url)
        page.locator("#kb-q").press_sequentially("a")  # mount the listbox
        page.wait_for_selector("[role=listbox]", state="attached")
        started = time.time()
        ranked = [page.evaluate(TYPE_AND_READ, text.replace("\n", " ")) for text in texts]
        seconds = time.time() - started
        browser.close()
        server.shutdown()
    same = sum(a[:10] == b[:10] for a, b in zip(ranked, engine, strict=True)) / len(texts)
    first = sum(a[:1] == b[:1] for a, b in zip(ranked, engine, strict=True)) / len(texts)
    return {
        "browser": relevance.metrics(ranked, wanted),
        "engine": relevance.metrics(engine, wanted),
        "identical": same, "first": first, "n": len(texts), "seconds": seconds,
        "build": build_seconds,
    }


# -- 2. scale -------------------------------------------------------------------------------

MEASURE = """(query) => { window.kbMeasured = new Promise((resolve) => {
  let first = null;
  document.addEventListener('keydown', () => { if (first === null) first = performance.now(); },
                            {capture: true});
  const done = () => {
    const shown = performance.now();
    const entries = [...performance.getEntriesByType('navigation'),
                     ...performance.getEntriesByType('resource')];
    resolve({ms: shown - first,
             bytes: entries.reduce((sum, e) => sum + (e.transferSize || e.encodedBodySize), 0),
             search: entries.filter((e) => e.name.includes('/search/kb/'))
                            .reduce((sum, e) => sum + (e.transferSize || 0), 0),
             files: entries.filter((e) => e.name.includes('/search/kb/')).map((e) => e.name),
             first: answered().querySelector('[data-kb-result]').dataset.kbResult});
  };
  const answered = () => Array.from(document.querySelectorAll('[data-kb-hsearch] [role=listbox]'))
    .find((list) => list.dataset.kbQuery === query && list.querySelector('[role=option]'));
  new MutationObserver((changes, observer) => {
    if (answered()) { observer.disconnect(); done(); }
  }).observe(document.body, {childList: true, subtree: true, attributes: true});
}); }"""


def scale_part(playwright, count: int, built: Path | None = None, rounds: int = 3) -> dict:
    with tempfile.TemporaryDirectory(prefix="kbgen-browser-scale-") as tmp:
        root = built or Path(tmp)
        if built is None:
            subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate_articles.py"),
                            str(root), "--count", str(count)], check=True, capture_output=True)
        server, url = serve(root / "site")
        if built is None:
            (root / "mkdocs.yml").write_text(CONFIG.format(name="Scale help", url=url), "utf-8")
        build_seconds = kbgen_build(root) if built is None else float("nan")
        index = root / "site" / "search" / "kb"
        index_bytes = sum(p.stat().st_size for p in index.rglob("*") if p.is_file())
        index_files = sum(1 for p in index.rglob("*") if p.is_file())
        article = next(p for p in sorted((root / "site").glob("invoices/*/index.html")))
        article_url = url + article.parent.relative_to(root / "site").as_posix() + "/"
        engine = dict(zip(SCALE_QUERIES, relevance.search_batch(root, SCALE_QUERIES),
                          strict=True))
        load_before = os.getloadavg()
        browser = chromium(playwright)
        runs = []
        idle_search_files = None
        for query in SCALE_QUERIES * rounds:
            context = browser.new_context()  # cold cache, like a customer's first visit
            page = context.new_page()
            page.goto(article_url, wait_until="networkidle")
            if idle_search_files is None:
                page.wait_for_timeout(1000)
                idle_search_files = page.evaluate(
                    "performance.getEntriesByType('resource')"
                    ".filter((e) => e.name.includes('/search/')).length")
            page.evaluate(MEASURE, query)
            page.keyboard.press("/")
            page.keyboard.type(query)
            measured = page.evaluate("window.kbMeasured")
            runs.append({"query": query, **measured,
                         "engine_first": measured["first"] == engine[query][:1][0]})
            context.close()
        browser.close()
        server.shutdown()
    return {"count": count, "runs": runs, "idle_search_files": idle_search_files,
            "load": (load_before, os.getloadavg()), "cpus": os.cpu_count(), "rounds": rounds,
            "index_bytes": index_bytes, "index_files": index_files, "build": build_seconds,
            "article": article_url.removeprefix(url)}


# -- report ---------------------------------------------------------------------------------

def metrics_row(name: str, m: dict) -> str:
    return (f"| {name} | {m['n']} | {m['mrr10']:.3f} | {m['hit1']:.3f} | {m['hit3']:.3f} "
            f"| {m['hit10']:.3f} |")


def report(rel: dict | None, scale: dict | None) -> str:
    out = ["# Browser search (site search box in Chromium, no server)", "",
           f"Produced by `benchmarks/browser_search.py` on {time.strftime('%Y-%m-%d')}; "
           "Chromium headless, sites served by Python's `http.server` (no compression).", ""]
    if rel:
        gap = rel["browser"]["mrr10"] - rel["engine"]["mrr10"]
        out += [
            "## Relevance: StackFAQ dev queries typed into the home page's search box", "",
            "| ranking | n | MRR@10 | Hit@1 | Hit@3 | Hit@10 |", "|---|---|---|---|---|---|",
            metrics_row("browser (search.js)", rel["browser"]),
            metrics_row("`kbgen search --json -`", rel["engine"]), "",
            f"- Browser minus engine MRR@10: {gap:+.3f} (target: within 0.03; >= 0.85).",
            f"- Same first result as the engine: {rel['first']:.1%} of queries; identical "
            f"top-10 lists: {rel['identical']:.1%} (the browser's scores are sums of "
            "per-field scores rounded to thousandths).",
            f"- {rel['n']} queries in {rel['seconds']:.1f} s in one page "
            f"({1000 * rel['seconds'] / rel['n']:.1f} ms each, warm); build "
            f"{rel['build']:.0f} s.",
            "- Baseline, mkdocs-material's lunr search on the same queries: MRR@10 0.336, "
            "Hit@1 0.194.", ""]
    if scale:
        ms = [r["ms"] for r in scale["runs"]]
        kb = [r["bytes"] / 1024 for r in scale["runs"]]
        search_kb = [r["search"] / 1024 for r in scale["runs"]]
        out += [
            f"## Scale: {scale['count']:,} generated articles", "",
            f"Fresh browser profile per query (cold cache), article page `{scale['article']}`, "
            "\"/\" pressed, query typed; time from the first key to the first results for the "
            "whole query shown; "
            "bytes = everything fetched up to then (page, CSS, JS, search data).", "",
            f"Each query {scale['rounds']} times; the table shows the median and the worst "
            "of its runs. Machine: {cpus} CPUs, load average {a:.1f} before and {b:.1f} after "
            "the runs (`uptime`'s 1-minute figure).".format(
                cpus=scale["cpus"], a=scale["load"][0][0], b=scale["load"][1][0]), "",
            "| query | first results (ms) median / worst | total fetched (KB) worst | "
            "search data (KB) worst | search files | first result = `kbgen search`'s |",
            "|---|---|---|---|---|---|"]
        for query in SCALE_QUERIES:
            mine = [r for r in scale["runs"] if r["query"] == query]
            times = [r["ms"] for r in mine]
            out.append(
                f"| {query} | {statistics.median(times):.0f} / {max(times):.0f} | "
                f"{max(r['bytes'] for r in mine) / 1024:.0f} | "
                f"{max(r['search'] for r in mine) / 1024:.0f} | "
                f"{max(len(r['files']) for r in mine)} | "
                f"{'yes' if all(r['engine_first'] for r in mine) else 'no'} |")
        out += [
            "",
            f"- Median / worst time to first results over all {len(ms)} runs: "
            f"{statistics.median(ms):.0f} / {max(ms):.0f} ms (target <= 300 ms).",
            f"- Median / worst bytes fetched: {statistics.median(kb):.0f} / {max(kb):.0f} KB "
            f"(target <= 1 MB); search data alone: median {statistics.median(search_kb):.0f} KB.",
            f"- Article page loaded without searching: {scale['idle_search_files']} search "
            "files fetched (must be 0).",
            f"- Whole browser index on disk: {scale['index_bytes'] / 1e6:.1f} MB in "
            f"{scale['index_files']} files (material's lunr index at 5,000 articles: 17.7 MB, "
            "fetched on every first page view). " + (
                f"`kbgen build`: {scale['build']:.0f} s." if scale["build"] == scale["build"]
                else "Built beforehand (--built)."), ""]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("relevance", "scale", "both"), default="both")
    parser.add_argument("--count", type=int, default=5000, help="articles for the scale part")
    parser.add_argument("--rounds", type=int, default=3, help="scale part: runs per query")
    parser.add_argument("--no-write", action="store_true", help="do not update results/")
    parser.add_argument("--built", type=Path, help="scale part: a help center already built "
                        "with `kbgen build` (its folder) instead of generating one")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        rel = relevance_part(playwright) if args.part in ("relevance", "both") else None
        scale = None
        if args.part in ("scale", "both"):
            scale = scale_part(playwright, args.count, args.built, args.rounds)
    text = report(rel, scale)
    print(text)
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(text, encoding="utf-8")
        print(f"wrote {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
