"""Fixtures shared by the whole suite: help centers written into tmp_path, and the kbgen CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

MINIMAL_CONFIG = """\
site_name: Test Help
site_url: https://help.example.com/
docs_dir: content
theme:
  name: material
  font: false
plugins:
  - kbgen:
      contact_url: mailto:help@example.com
"""


def write_article(root: Path, rel: str, front: str, body: str = "Some text.\n") -> Path:
    path = root / "content" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{textwrap.dedent(front).strip()}\n---\n\n{textwrap.dedent(body)}",
                    encoding="utf-8")
    return path


def article_front(article_id: str, **extra: str) -> str:
    lines = [f"id: {article_id}", f"title: Title of {article_id}",
             f"description: About {article_id}."]
    lines += [f"{key}: {value}" for key, value in extra.items()]
    return "\n".join(lines)


@pytest.fixture
def make_site(tmp_path: Path):
    """A minimal help center in tmp_path; returns its root. Add articles with write_article."""
    def make(config: str = MINIMAL_CONFIG) -> Path:
        (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
        (tmp_path / "content").mkdir(exist_ok=True)
        return tmp_path
    return make


def run_kbgen(*args: str, cwd: Path, env: dict | None = None, input: str | None = None,
              timeout: float = 120) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "kbgen", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, input=input, timeout=timeout)


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The repository's sample help center, copied and built once for the session."""
    root = tmp_path_factory.mktemp("sample")
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    result = run_kbgen("build", cwd=root)
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="module")
def browser():
    """The system Chromium under Playwright, one per test module."""
    from browser_helpers import launch_chromium
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()
