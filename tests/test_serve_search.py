"""`kbgen serve` answers /api/search like `kbgen api`, and finds an edit after the rebuild."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import run_kbgen
from tests.serve_helpers import serving, wait_for


@pytest.fixture
def served(tmp_path):
    assert run_kbgen("init", cwd=tmp_path).returncode == 0
    with serving(tmp_path, tmp_path / "events.db") as base:
        yield tmp_path, base


def search(base: str, query: str) -> list[dict]:
    response = httpx.get(base + "/api/search", params={"q": query, "limit": 5})
    assert response.status_code == 200, response.text
    return response.json()["results"]


def test_serve_searches_the_preview_and_picks_up_an_edit(served):
    root, base = served
    results = search(base, "first steps")
    assert results[0]["id"] == "first-steps"
    assert results[0]["url"] == "getting-started/first-steps/"
    assert search(base, "zeppelin") == []

    article = root / "content/getting-started/first-steps.md"
    # A new section (a full rebuild, which updates the index; the API reopens it within
    # a few seconds).
    article.write_text(article.read_text() + "\n## Parking\n\nPark the zeppelin first.\n")
    found = wait_for(lambda: search(base, "zepelin"), timeout=60)
    assert found[0]["id"] == "first-steps"
    assert "zeppelin" in found[0]["snippet"]

    # A body-only edit takes the fast path (only that page is re-rendered); the search
    # index catches up in the background.
    article.write_text(article.read_text() + "\nA dirigible also works.\n")
    found = wait_for(lambda: search(base, "dirigible"), timeout=60)
    assert found[0]["id"] == "first-steps"
