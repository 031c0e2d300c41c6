"""kbgen at scale, side by side with plain mkdocs-material on the same articles.

    .venv/bin/python benchmarks/scale.py [--sizes 1000,5000,10000] [--out FILE]
        [--workdir /tmp/kbgen-scale] [--build-timeout 3600] [--report-10m]
        [--semantic off|auto]  # the optional semantic re-ranker (default off: the plain
                               # install; auto: on when its model is installed)

For each size it generates a help center (benchmarks/generate_articles.py) and measures:
the build of plain mkdocs-material (theme material, `font: false`, a flat nav listing every
article, no kbgen plugin) and a cold `kbgen build` (no .kbgen/ state) and a warm one (state
kept): wall time, CPU time and peak memory of the child process, site size, largest article
page; `kbgen serve` edit-to-reload latency (an article's body is changed and its page polled
until the change shows); `kbgen search` and `GET /api/search` latency. Then the ingest rate
(benchmarks/ingest.py) and, with --report-10m, benchmarks/report_10m.py. The results, with
the machine's description, are printed and written to --out (Markdown).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_articles import generate  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable
QUERIES = ["export invoice", "refund was declined", "cant log in", "reconcile bank account",
           "recurring invoice", "tax rate wrong total", "delete team member", "api key",
           "payment is stuck as pending", "mileage entry", "import clients csv",
           "customize template", "reminder email", "currency", "timesheet approve"]


@dataclass
class Run:
    wall: float
    cpu: float
    rss_mb: float
    ok: bool


def run(cmd: list[str], cwd: Path, timeout: float) -> Run:
    """Run a child; wall, user+sys CPU and peak RSS of that child only (os.wait4)."""
    started = time.monotonic()
    with open(cwd / "bench.log", "a") as log:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                os.killpg(proc.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(time.monotonic() - started, usage.ru_utime + usage.ru_stime,
               usage.ru_maxrss / 1024, proc.returncode == 0)


def plain_config(root: Path, every_article: bool) -> Path:
    """mkdocs.yml for plain mkdocs-material: same files and extensions, no kbgen plugin.

    every_article: a flat nav listing every article (each page then carries every link:
    ~300 KB pages at 1,000 articles, gigabytes of site at 5,000). Otherwise a flat nav of
    one entry per category, the size of kbgen's own nav (home + categories), so the ratio
    measures what kbgen adds, not navigation markup.
    """
    articles = sorted(p.relative_to(root / "content").as_posix()
                      for p in (root / "content").rglob("*.md"))
    if every_article:
        nav = [f"  - {a}\n" for a in articles]
    else:
        first: dict[str, str] = {}
        for a in articles:
            first.setdefault(a.split("/")[0], a)
        nav = [f"  - {cat}: {a}\n" for cat, a in first.items()]
    name = "site-plain-all" if every_article else "site-plain"
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("  - kbgen\n", "").replace("site_dir: site\n", f"site_dir: {name}\n")
    text += "nav:\n" + "".join(nav)
    path = root / f"mkdocs-{name}.yml"
    path.write_text(text, encoding="utf-8")
    return path


def site_stats(site: Path, articles: list[str]) -> dict:
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    pages = [(site / a[:-3] / "index.html") for a in articles]
    sizes = [p.stat().st_size for p in pages if p.exists()]
    return {"site_mb": total / 1e6, "largest_article_kb": max(sizes, default=0) / 1024,
            "median_article_kb": statistics.median(sizes) / 1024 if sizes else 0,
            "pages": len(sizes)}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(cmd: list[str], cwd: Path) -> subprocess.Popen:
    log = open(cwd / "bench.log", "a")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def wait_until(check, timeout: float, step: float = 0.05) -> float | None:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            if check():
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(step)
    return None


def serve_latency(root: Path, article: str, edits: int, timeout: float) -> dict:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    url = f"{base}/{article[:-3]}/"
    proc = start([PY, "-m", "kbgen", "serve", "--dev-addr", f"127.0.0.1:{port}",
                  "--db", f"sqlite:///{root / 'serve.db'}"], root)
    result: dict = {}
    try:
        first = wait_until(lambda: httpx.get(url, timeout=5).status_code == 200, timeout, 0.5)
        result["first_build_s"] = first
        if first is None:
            return result
        path = root / "content" / article
        original = path.read_text(encoding="utf-8")
        times = []
        for n in range(edits):
            marker = f"Edited for the benchmark, round {n} {time.time_ns()}."
            time.sleep(0.5)  # a distinct modification time
            path.write_text(original + f"\n{marker}\n", encoding="utf-8")
            took = wait_until(lambda m=marker: m in httpx.get(url, timeout=5).text, timeout)
            times.append(took)
        path.write_text(original, encoding="utf-8")
        done = [t for t in times if t is not None]
        result["edit_to_page_s"] = statistics.median(done) if done else None
        result["edits"] = times
    finally:
        stop(proc)
    return result


def search_latency(root: Path) -> dict:
    result: dict = {}
    started = time.monotonic()
    one = subprocess.run([PY, "-m", "kbgen", "search", "--json", QUERIES[0]], cwd=root,
                         capture_output=True, text=True)
    result["cli_one_query_s"] = time.monotonic() - started if one.returncode == 0 else None
    started = time.monotonic()
    many = subprocess.run([PY, "-m", "kbgen", "search", "--json", "-"], cwd=root,
                          input="\n".join(QUERIES * 4) + "\n", capture_output=True, text=True)
    if many.returncode == 0 and result["cli_one_query_s"]:
        batch = time.monotonic() - started
        result["cli_per_query_ms"] = max(0.0, batch - result["cli_one_query_s"]) \
            / (len(QUERIES) * 4 - 1) * 1000
    port = free_port()
    proc = start([PY, "-m", "kbgen", "api", "--port", str(port),
                  "--db", f"sqlite:///{root / 'api.db'}"], root)
    try:
        base = f"http://127.0.0.1:{port}"
        if wait_until(lambda: httpx.get(base + "/api/health").status_code == 200, 60) is None:
            result["api"] = "did not start"
            return result
        with httpx.Client(base_url=base) as client:
            if client.get("/api/search", params={"q": "invoice"}).status_code != 200:
                result["api"] = "no /api/search"
                return result
            times = []
            for query in QUERIES * 4:
                started = time.monotonic()
                client.get("/api/search", params={"q": query}).raise_for_status()
                times.append((time.monotonic() - started) * 1000)
        times.sort()
        result["api_p50_ms"] = statistics.median(times)
        result["api_p95_ms"] = times[int(len(times) * 0.95) - 1]
    finally:
        stop(proc)
    return result


def measure_size(count: int, workdir: Path, args) -> dict:
    root = workdir / f"n{count}"
    root.mkdir(parents=True, exist_ok=True)
    for name in ("site", "site-plain", "site-plain-all", ".kbgen"):
        shutil.rmtree(root / name, ignore_errors=True)
    (root / "bench.log").unlink(missing_ok=True)
    print(f"[{count}] generating", flush=True)
    plans = generate(root, count)
    articles = [p.src for p in plans]
    result: dict = {"count": count}
    print(f"[{count}] plain mkdocs-material build (category-sized nav)", flush=True)
    result["plain"] = run([PY, "-m", "mkdocs", "build", "-q", "-f",
                           str(plain_config(root, False))], root, args.build_timeout)
    result["plain_site"] = site_stats(root / "site-plain", articles)
    shutil.rmtree(root / "site-plain", ignore_errors=True)
    if count <= args.every_article_nav_max:
        print(f"[{count}] plain mkdocs-material build (every article in the nav)", flush=True)
        result["plain_all"] = run([PY, "-m", "mkdocs", "build", "-q", "-f",
                                   str(plain_config(root, True))], root, args.build_timeout)
        result["plain_all_site"] = site_stats(root / "site-plain-all", articles)
        shutil.rmtree(root / "site-plain-all", ignore_errors=True)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - kbgen\n", f"  - kbgen:\n      semantic_search: '{args.semantic}'\n"), "utf-8")
    result["semantic"] = args.semantic
    print(f"[{count}] kbgen build (cold, semantic_search: {args.semantic})", flush=True)
    result["kbgen"] = run([PY, "-m", "kbgen", "build"], root, args.build_timeout)
    result["kbgen_site"] = site_stats(root / "site", articles)
    print(f"[{count}] kbgen build (warm)", flush=True)
    result["kbgen_warm"] = run([PY, "-m", "kbgen", "build"], root, args.build_timeout)
    if count in args.serve_sizes:
        print(f"[{count}] kbgen serve edit-to-reload", flush=True)
        result["serve"] = serve_latency(root, articles[len(articles) // 2], 3,
                                        args.build_timeout)
    print(f"[{count}] search latency", flush=True)
    result["search"] = search_latency(root)
    return result


def ingest_rate() -> str:
    script = REPO / "benchmarks" / "ingest.py"
    if not script.exists():
        return "benchmarks/ingest.py not present"
    out = subprocess.run([PY, str(script), "--seconds", "5"], cwd=REPO, capture_output=True,
                         text=True)
    return out.stdout.strip() or out.stderr.strip()[-500:]


def report_10m(enabled: bool) -> str:
    script = REPO / "benchmarks" / "report_10m.py"
    if not enabled or not script.exists():
        return "not run here (pass --report-10m); see benchmarks/results/report.md"
    out = subprocess.run([PY, str(script), "--runs", "1"], cwd=REPO, capture_output=True,
                         text=True)
    return out.stdout.strip() or out.stderr.strip()[-500:]


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor())
    mem = next((int(line.split()[1]) / 1024 / 1024 for line in
                Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")),
               0)
    from importlib.metadata import version
    load = os.getloadavg()
    return (f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GB RAM; Python "
            f"{platform.python_version()}, mkdocs {version('mkdocs')}, mkdocs-material "
            f"{version('mkdocs-material')}; load average at the end {load[0]:.1f}")


def fmt(value, spec=".1f", none="-") -> str:
    return none if value is None else format(value, spec)


def table(results: list[dict]) -> str:
    rows = ["| articles | plain wall s | kbgen wall s | wall ratio | plain CPU s | kbgen CPU s "
            "| CPU ratio | warm kbgen CPU s | warm ratio | plain / kbgen peak MB "
            "| plain / kbgen site MB | largest article page plain / kbgen KB |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        p, k, w = r["plain"], r["kbgen"], r["kbgen_warm"]
        status = "" if k.ok else " (failed or timed out)"
        rows.append(
            f"| {r['count']:,} | {p.wall:.1f} | {k.wall:.1f}{status} | {k.wall / p.wall:.2f} "
            f"| {p.cpu:.1f} | {k.cpu:.1f} | {k.cpu / p.cpu:.2f} | {w.cpu:.1f} "
            f"| {w.cpu / p.cpu:.2f} | {p.rss_mb:.0f} / {k.rss_mb:.0f} "
            f"| {r['plain_site']['site_mb']:.0f} / {r['kbgen_site']['site_mb']:.0f} "
            f"| {r['plain_site']['largest_article_kb']:.1f} / "
            f"{r['kbgen_site']['largest_article_kb']:.1f} |")
    rows += ["", "Plain mkdocs-material with every article in a flat nav (only small sizes):", "",
             "| articles | wall s | CPU s | kbgen CPU ratio to it | peak MB | site MB "
             "| largest article page KB |", "|---|---|---|---|---|---|---|"]
    for r in results:
        if "plain_all" in r:
            a, site = r["plain_all"], r["plain_all_site"]
            rows.append(f"| {r['count']:,} | {a.wall:.1f} | {a.cpu:.1f} "
                        f"| {r['kbgen'].cpu / a.cpu:.2f} | {a.rss_mb:.0f} "
                        f"| {site['site_mb']:.0f} | {site['largest_article_kb']:.1f} |")
    rows += ["", "| articles | serve first build s | edit to page shown s (median of 3) "
             "| kbgen search one query (process) s | per query in a batch ms "
             "| /api/search p50 / p95 ms |", "|---|---|---|---|---|---|"]
    for r in results:
        s, q = r.get("serve", {}), r["search"]
        api = q.get("api") or f"{fmt(q.get('api_p50_ms'))} / {fmt(q.get('api_p95_ms'))}"
        rows.append(f"| {r['count']:,} | {fmt(s.get('first_build_s'))} "
                    f"| {fmt(s.get('edit_to_page_s'), '.2f')} "
                    f"| {fmt(q.get('cli_one_query_s'), '.2f')} "
                    f"| {fmt(q.get('cli_per_query_ms'))} | {api} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,5000,10000")
    parser.add_argument("--serve-sizes", default=None,
                        help="sizes to measure kbgen serve at (default: all)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/kbgen-scale"))
    parser.add_argument("--build-timeout", type=float, default=3600)
    parser.add_argument("--every-article-nav-max", type=int, default=1000,
                        help="also build plain with every article in the nav up to this size")
    parser.add_argument("--report-10m", action="store_true")
    parser.add_argument("--skip-ingest", action="store_true")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--semantic", choices=("off", "auto"), default="off",
                        help="semantic_search for the kbgen builds (default off)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    args.serve_sizes = ([int(s) for s in args.serve_sizes.split(",")]
                        if args.serve_sizes else sizes)
    results = [measure_size(count, args.workdir, args) for count in sizes]
    ingest = "skipped" if args.skip_ingest else ingest_rate()
    report = report_10m(args.report_10m)
    text = (f"Machine: {machine()}\n\n{table(results)}\n\nIngest (benchmarks/ingest.py "
            f"--seconds 5):\n\n```\n{ingest}\n```\n\nReport on 10 million events: {report}\n")
    print(text)
    (args.workdir / "scale.json").write_text(json.dumps(
        results, default=lambda o: o.__dict__, indent=1), encoding="utf-8")
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
