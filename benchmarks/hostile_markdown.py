"""Time `kbgen check`, `kbgen build` and a plain `mkdocs build` on pathological Markdown.

    PYTHONPATH=$PWD nice python benchmarks/hostile_markdown.py [--sizes 10000,20000,40000,99000]
        [--cases "open brackets,unclosed images"] [--timeout 120]

Each run is a fresh help center with one article whose body is the case; the plain MkDocs
site uses the same Markdown extensions without the kbgen plugin. Prints one line per run;
"timeout" means the command was still running after --timeout seconds.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.hostile_markdown import CASES, ISSUE_CASES  # noqa: E402

EXTENSIONS = """markdown_extensions:
  - toc:
      permalink: true
  - admonition
  - attr_list
  - md_in_html
  - tables
  - pymdownx.details
  - pymdownx.superfences
"""
KBGEN = "site_name: Bench\ndocs_dir: content\ntheme:\n  name: material\n  font: false\n" \
        "plugins:\n  - kbgen:\n      contact_url: mailto:help@example.com\n" + EXTENSIONS
PLAIN = "site_name: Bench\ndocs_dir: content\ntheme:\n  name: material\n  font: false\n" \
        "plugins: []\n" + EXTENSIONS


def run(root: Path, command: list[str], timeout: float) -> str:
    started = time.monotonic()
    try:
        result = subprocess.run(command, cwd=root, capture_output=True, text=True,
                                timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"timeout>{timeout:.0f}s"
    seconds = f"{time.monotonic() - started:.2f}s"
    return seconds if result.returncode == 0 else f"{seconds}(exit {result.returncode})"


def site(root: Path, config: str, body: str) -> Path:
    (root / "content" / "bench").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    (root / "content" / "bench" / "case.md").write_text(
        f"---\nid: case\ntitle: Case\ndescription: A hostile body.\n---\n\n{body}\n",
        encoding="utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,20000,40000,99000")
    parser.add_argument("--cases", default=",".join(ISSUE_CASES))
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args()
    python = sys.executable
    print(f"{'case':<26}{'size':>7}  {'kbgen check':>14}  {'kbgen build':>14}  "
          f"{'mkdocs build':>14}")
    for name in args.cases.split(","):
        for size in (int(s) for s in args.sizes.split(",")):
            body = CASES[name](size)
            with tempfile.TemporaryDirectory() as kb, tempfile.TemporaryDirectory() as plain:
                kb_root = site(Path(kb), KBGEN, body)
                check = run(kb_root, [python, "-m", "kbgen", "check"], args.timeout)
                build = run(kb_root, [python, "-m", "kbgen", "build"], args.timeout)
                mkdocs = run(site(Path(plain), PLAIN, body),
                             [python, "-m", "mkdocs", "build", "-q"], args.timeout)
            print(f"{name:<26}{size:>7}  {check:>14}  {build:>14}  {mkdocs:>14}", flush=True)


if __name__ == "__main__":
    main()
