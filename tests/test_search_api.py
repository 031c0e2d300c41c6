"""`GET /api/search`: same ranking as the CLI, server-side search events."""

from __future__ import annotations

import json

import pytest

from kbgen.api.app import create_app
from kbgen.api.search_routes import search_routes
from kbgen.project import load_project
from kbgen.search import build_index, open_index
from kbgen.search.category_titles import write_titles
from kbgen.store import open_store
from tests.api_helpers import BROWSER, ApiClient
from tests.search_helpers import fixture_docs


@pytest.fixture
def project(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: Help\ndocs_dir: content\n", "utf-8")
    project = load_project(tmp_path / "mkdocs.yml")
    project.state_dir.mkdir()
    project.manifest_path.write_text(json.dumps({
        "site_name": "Help", "site_url": None, "built": "2026-11-24T00:00:00Z",
        "articles": [{"id": d.id, "title": d.title, "url": d.url} for d in fixture_docs()],
        "categories": [],
    }), "utf-8")
    return project


class SearchClient:
    def __init__(self, project, *, preview: bool = False):
        app = create_app(project, extra_routes=search_routes(project.index_dir),
                         preview=preview)
        self.client = ApiClient(app)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.client.close()

    def get(self, path, params):
        # A browser's user agent: scripts' searches are answered but not recorded (bots).
        return self.client.request("GET", path, params=params, headers={"user-agent": BROWSER})


def test_search_answers_ranked_results_and_records_an_api_search_event(project):
    build_index(fixture_docs(), project.index_dir)
    with SearchClient(project) as client:
        response = client.get("/api/search", params={"q": "charged twice", "limit": 3})
        assert response.status_code == 200
        data = response.json()
    assert data["query"] == "charged twice"
    first = data["results"][0]
    assert first["id"] == "billing-faq"
    assert first["url"] == "billing/billing-faq/#why-was-i-charged-twice"
    assert first["anchor"] == "why-was-i-charged-twice"
    assert "second charge" in first["snippet"]
    assert len(data["results"]) <= 3
    store = open_store(project.db_url())
    try:
        events = [e for e in store.iter_events() if e["type"] == "search"]
    finally:
        store.close()
    assert [(e["query"], e["results"], e["source"]) for e in events] == [
        ("charged twice", len(data["results"]), "api")]


def test_the_sites_own_searches_are_not_stored_and_only_allowed_pages_may_read_them(project):
    build_index(fixture_docs(), project.index_dir)
    with SearchClient(project, preview=True) as client:
        # The local preview (`kbgen serve` on 127.0.0.1:8000) is an allowed origin there
        # only; a site's origins come from site_url and allowed_origins.
        mine = client.client.request("GET", "/api/search", params={
            "q": "charged twice", "record": "0"}, headers={"Origin": "http://127.0.0.1:8000"})
        other = client.client.request("GET", "/api/search", params={
            "q": "charged twice", "record": "0"}, headers={"Origin": "https://evil.example"})
    assert mine.status_code == other.status_code == 200
    assert mine.json()["results"][0]["id"] == "billing-faq"
    assert mine.headers["access-control-allow-origin"] == "http://127.0.0.1:8000"
    assert "access-control-allow-credentials" not in mine.headers
    assert "access-control-allow-origin" not in other.headers
    store = open_store(project.db_url())
    try:
        assert [e for e in store.iter_events() if e["type"] == "search"] == []
    finally:
        store.close()


@pytest.mark.parametrize("limit", ["0", "51", "ten", "-1"])
def test_bad_limit_is_a_400_naming_the_parameter(project, limit):
    build_index(fixture_docs(), project.index_dir)
    with SearchClient(project) as client:
        response = client.get("/api/search", params={"q": "invoice", "limit": limit})
    assert response.status_code == 400
    assert "limit" in response.json()["error"]


def test_syntax_characters_in_the_query_are_fine(project):
    build_index(fixture_docs(), project.index_dir)
    with SearchClient(project) as client:
        response = client.get("/api/search", params={"q": 'AND OR "( *? title:'})
    assert response.status_code == 200


def test_missing_index_is_a_503_telling_to_build(project):
    with SearchClient(project) as client:
        response = client.get("/api/search", params={"q": "invoice"})
    assert response.status_code == 503
    assert "run kbgen build" in response.json()["error"]


def test_results_name_their_category_by_title_beside_the_folder(project):
    build_index(fixture_docs(), project.index_dir)
    write_titles(project.index_dir, {"billing": "Plans and billing"})
    with SearchClient(project) as client:
        first = client.get("/api/search", params={"q": "charged twice"}).json()["results"][0]
    # `category` keeps its meaning (the folder); `category_title` is what the site shows.
    assert (first["category"], first["category_title"]) == ("billing", "Plans and billing")


def test_an_open_index_picks_up_a_renamed_category_without_reindexing(project):
    build_index(fixture_docs(), project.index_dir)
    with open_index(project.index_dir) as index:
        assert index.search("charged twice", 1)[0].category_title == ""  # no titles written
        write_titles(project.index_dir, {"billing": "Billing and plans"})
        assert index.refresh()
        hit = index.search("charged twice", 1)[0]
        assert (hit.category, hit.category_title) == ("billing", "Billing and plans")
        assert not index.refresh()  # nothing changed since
