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


def index_files(base: str) -> tuple[str, set[str]]:
    """The meta file entry.json names now, and every file of that build."""
    entry = httpx.get(base + "/search/kb/entry.json")
    assert entry.status_code == 200 and entry.headers["cache-control"] == "no-store"
    name = entry.json()["meta"]
    meta = httpx.get(base + "/search/kb/" + name)
    assert meta.headers["cache-control"] == "public, max-age=31536000, immutable"
    meta = meta.json()
    hashes = meta["hashes"]
    files = {name}
    files |= {f"t/{p or '_'}.{h}.json" for p, h in zip(meta["terms"], hashes["t"], strict=True)}
    files |= {f"v/{c}.{h}.json" for c, h in zip(meta["letters"], hashes["v"], strict=True)}
    files |= {f"d/{n}.{h}.json" for n, h in enumerate(hashes["d"])}
    return name, files


def new_index(base: str, *older: str) -> tuple[str, set[str]] | None:
    """The index build entry.json names once it is none of `older`; None while a rebuild is
    still swapping folders (its meta file can be missing for a moment: readers retry)."""
    try:
        found = index_files(base)
    except AssertionError:
        return None
    return found if found[0] not in older else None


def served_text(base: str, files: set[str]) -> str:
    texts = []
    for name in sorted(files):
        response = httpx.get(base + "/search/kb/" + name)
        assert response.status_code == 200, name
        texts.append(response.text)
    return "\n".join(texts)


def test_the_preview_keeps_the_previous_browser_index_until_a_full_rebuild(served):
    root, base = served
    first, first_files = index_files(base)
    assert "zeppelin" not in served_text(base, first_files)

    # A body-only edit (the fast path): the new build's files are added beside the first
    # build's, and entry.json switched last; a page holding the first entry still finds all.
    article = root / "content/getting-started/first-steps.md"
    article.write_text(article.read_text() + "\nThe zeppelin also works.\n")
    second = wait_for(lambda: new_index(base, first), timeout=60)
    assert "zeppelin" in served_text(base, second[1])
    served_text(base, first_files)  # still there

    # A full rebuild writes a fresh site: only its own index files are left.
    article.write_text(article.read_text() + "\n## Parking\n\nPark it first.\n")
    third = wait_for(lambda: new_index(base, first, second[0]), timeout=60)
    assert "parking" in served_text(base, third[1])
    gone = (first_files | second[1]) - third[1]
    assert gone and all(httpx.get(base + "/search/kb/" + name).status_code == 404
                        for name in gone)
