"""The same help center built by MkDocs and by ProperDocs (the maintained MkDocs 1.x fork).

mkdocs-material reaches end of life on 2027-05-05 and MkDocs 1.x has had no release since
2024; ProperDocs loads the same plugins and themes. These tests build a help center with
each and compare what customers get: the same pages, the same search index, the feedback
widget on every article. docs/platforms.md says which versions are supported.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, run_kbgen

pytestmark = pytest.mark.slow


def _build(root: Path, tool: str) -> Path:
    """`<tool> build` of the help center in `root` as a real process; returns site/."""
    command = [sys.executable, "-m", tool, "build", "-f", "mkdocs.yml", "-d", "site"]
    result = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1",
                                 "DISABLE_MKDOCS_2_WARNING": "true"})
    assert result.returncode == 0, f"{tool} build failed:\n{result.stderr}"
    return root / "site"


def _files(site: Path) -> dict[str, bytes]:
    """Every file of a built site by relative path; gzip files compared by their content."""
    found = {}
    for path in sorted(site.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            found[path.relative_to(site).as_posix()] = (
                gzip.decompress(data) if path.suffix == ".gz" else data)
    return found


def _both(tmp_path: Path, make) -> tuple[dict[str, bytes], dict[str, bytes], Path, Path]:
    roots = {}
    for tool in ("mkdocs", "properdocs"):
        roots[tool] = tmp_path / tool
        make(roots[tool])
    mk = _files(_build(roots["mkdocs"], "mkdocs"))
    pd = _files(_build(roots["properdocs"], "properdocs"))
    return mk, pd, roots["mkdocs"], roots["properdocs"]


def _copy_sample(root: Path) -> None:
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")


def _init(root: Path) -> None:
    result = run_kbgen("init", str(root), cwd=root.parent)
    assert result.returncode == 0, result.stderr


def _assert_same_help_center(mk: dict, pd: dict, mk_root: Path, pd_root: Path) -> None:
    pages = sorted(name for name in mk if name.endswith(".html"))
    assert pages == sorted(name for name in pd if name.endswith(".html"))
    assert set(mk) == set(pd), f"files only in one build: {sorted(set(mk) ^ set(pd))}"
    different = [name for name in mk if mk[name] != pd[name]]
    assert different == [], f"files that differ between MkDocs and ProperDocs: {different}"
    # kbgen's own outputs are there (not only the theme's pages): the browser index and the
    # engine's manifest, the same from both tools.
    index_files = [name for name in pd if name.startswith("search/kb/")]
    assert index_files, "ProperDocs build has no kbgen search index"
    manifests = [json.loads((root / ".kbgen" / "manifest.json").read_text(encoding="utf-8"))
                 for root in (mk_root, pd_root)]
    assert manifests[0]["articles"] == manifests[1]["articles"]
    assert manifests[1]["articles"]
    for article in manifests[1]["articles"]:
        html = pd[f"{article['url']}index.html"]
        assert b'class="kb-feedback"' in html and b"Was this helpful?" in html, article["url"]


def test_properdocs_builds_the_sample_help_center_like_mkdocs(tmp_path):
    _assert_same_help_center(*_both(tmp_path, _copy_sample))


def test_properdocs_builds_a_fresh_kbgen_init(tmp_path):
    mk, pd, mk_root, pd_root = _both(tmp_path, _init)
    _assert_same_help_center(mk, pd, mk_root, pd_root)
    assert "index.html" in pd and "search/index.html" in pd and "contact/index.html" in pd
