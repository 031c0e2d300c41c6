"""Lighthouse audit of the sample help center: home, an article and an FAQ page, mobile and
desktop, with the system Chromium.

    .venv/bin/python benchmarks/lighthouse.py                  # build, audit, print a table
    .venv/bin/python benchmarks/lighthouse.py --built site     # audit an already built site
    .venv/bin/python benchmarks/lighthouse.py --json-dir /tmp/lh   # also keep the full reports
    .venv/bin/python benchmarks/lighthouse.py --gzip           # compressed, like a real host
    .venv/bin/python benchmarks/lighthouse.py --runs 3         # median of 3, with the spread

Lighthouse comes from the npm registry into .cache/npm (installed on first use:
`npm install --prefix .cache/npm lighthouse@12`). The repository's content/ and mkdocs.yml are
built with `kbgen build` in a temporary folder and served by a plain static file server
(no compression, no cache headers; --gzip compresses text files as production hosts do).
Targets: accessibility, SEO and best practices 100, performance at least 95. Failing audits
are listed under the table so they can be fixed.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NPM_PREFIX = REPO / ".cache" / "npm"
LIGHTHOUSE = NPM_PREFIX / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME = "/usr/bin/chromium"
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = {"home": "", "article": "payments/refunds/", "faq": "billing/billing-faq/",
         "german article": "de/payments/refunds/"}
PRESETS = ("mobile", "desktop")
COMPRESSED = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt"}
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _Gzip(_Quiet):
    """Compresses text files like any production static host (nginx gzip, Pages, Netlify)."""

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not accepts or path.suffix not in COMPRESSED or not path.is_file():
            return super().do_GET()
        body = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(directory: Path, compress: bool) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_Gzip if compress else _Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def ensure_lighthouse() -> None:
    if LIGHTHOUSE.exists():
        return
    result = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix",
                             str(NPM_PREFIX), "lighthouse@12"], capture_output=True, text=True)
    if result.returncode or not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is not installed and npm could not install it:\n"
                         f"{result.stderr[-2000:]}\nRun: npm install --prefix .cache/npm "
                         "lighthouse@12")


def build(root: Path) -> Path:
    """The repository's help center, built in `root` (search tests are not the point here)."""
    shutil.copytree(REPO / "content", root / "content",
                    ignore=shutil.ignore_patterns("search-tests.yml"))
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    result = subprocess.run([sys.executable, "-m", "kbgen", "build"], cwd=root,
                            capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"kbgen build failed:\n{result.stderr[-2000:]}")
    return root / "site"


def audit(url: str, preset: str) -> dict:
    """One Lighthouse run; returns the JSON report."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        command = ["node", str(LIGHTHOUSE), url, "--output=json", f"--output-path={out}",
                   "--quiet", f"--chrome-flags={CHROME_FLAGS}",
                   f"--only-categories={','.join(CATEGORIES)}"]
        if preset == "desktop":
            command.append("--preset=desktop")
        env = {**os.environ, "CHROME_PATH": CHROME}
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        if result.returncode or not out.exists():
            raise SystemExit(f"Lighthouse failed on {url} ({preset}):\n{result.stderr[-2000:]}")
        return json.loads(out.read_text(encoding="utf-8"))


def scores(report: dict) -> dict[str, int]:
    return {name: round((report["categories"][name]["score"] or 0) * 100) for name in CATEGORIES}


def failing(report: dict) -> list[str]:
    """Audits counted in a category score that did not pass, with their titles."""
    out = []
    for name in CATEGORIES:
        for ref in report["categories"][name]["auditRefs"]:
            result = report["audits"][ref["id"]]
            if ref["weight"] and result["score"] is not None and result["score"] < 1:
                out.append(f"{name}: {ref['id']} ({result['score']:.2f}) {result['title']}")
    return out


def transferred_kb(report: dict) -> float:
    return report["audits"]["total-byte-weight"]["numericValue"] / 1024


def run(site: Path, json_dir: Path | None, compress: bool, runs: int = 1) -> list[str]:
    """Each page and preset `runs` times: the median score (performance: median, range and
    the load average of each run, since a busy machine moves it by a few points)."""
    server, base = serve(site, compress)
    lines = ["| page | preset | performance | accessibility | best practices | SEO | KB |",
             "|---|---|---|---|---|---|---|"]
    problems = []
    try:
        for page, path in PAGES.items():
            for preset in PRESETS:
                got, loads = [], []
                for number in range(runs):
                    loads.append(os.getloadavg()[0])
                    report = audit(base + path, preset)
                    if json_dir:
                        name = f"{page}-{preset}" + (f"-{number + 1}" if runs > 1 else "")
                        (json_dir / f"{name}.json").write_text(json.dumps(report))
                    got.append(scores(report))
                    problems += [f"{page} {preset}: {item}" for item in failing(report)]
                median = {c: round(statistics.median(g[c] for g in got)) for c in CATEGORIES}
                performance = str(median["performance"])
                if runs > 1:
                    values = [g["performance"] for g in got]
                    performance += (f" ({min(values)}-{max(values)}; load "
                                    + "/".join(f"{load:.1f}" for load in loads) + ")")
                lines.append(f"| {page} /{path} | {preset} | {performance} | "
                             + " | ".join(str(median[c]) for c in CATEGORIES[1:])
                             + f" | {transferred_kb(report):.0f} |")
    finally:
        server.shutdown()
    return lines + [""] + (sorted(set(problems)) or ["All weighted audits passed."])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--built", type=Path, help="audit this built site folder instead")
    parser.add_argument("--json-dir", type=Path, help="keep each full Lighthouse report here")
    parser.add_argument("--gzip", action="store_true",
                        help="serve text files gzip-compressed, as a production host does")
    parser.add_argument("--runs", type=int, default=1,
                        help="audit each page this many times; the table shows the median")
    args = parser.parse_args()
    ensure_lighthouse()
    if args.json_dir:
        args.json_dir.mkdir(parents=True, exist_ok=True)
    version = json.loads((LIGHTHOUSE.parent.parent / "package.json").read_text())["version"]
    chrome = subprocess.run([CHROME, "--version"], capture_output=True, text=True).stdout
    print(f"Lighthouse {version}, {chrome.strip()}; targets {TARGETS}")
    if args.built:
        print("\n".join(run(args.built.resolve(), args.json_dir, args.gzip, args.runs)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        print("\n".join(run(build(Path(tmp)), args.json_dir, args.gzip, args.runs)))


if __name__ == "__main__":
    main()
