"""`kbgen serve` in the system Chromium: a failed rebuild is shown over the page (text only)
until a build succeeds; the header search asks the preview's help API, which names
categories by title."""

from __future__ import annotations

import pytest
from browser_helpers import new_context
from playwright.sync_api import expect

from tests.conftest import run_kbgen
from tests.serve_helpers import serving

pytestmark = pytest.mark.browser

ARTICLE = "content/getting-started/first-steps.md"


@pytest.fixture
def served(tmp_path):
    assert run_kbgen("init", cwd=tmp_path).returncode == 0
    with serving(tmp_path, tmp_path / "events.db") as base:
        yield tmp_path, base


@pytest.fixture
def page(browser):
    context = new_context(browser, tag="test/serve")
    yield context.new_page()
    context.close()


def test_a_failed_rebuild_shows_over_the_page_until_it_is_fixed(served, page):
    root, base = served
    page.goto(base + "/getting-started/first-steps/")
    expect(page.locator("h1")).to_have_text("Your first steps")
    overlay = page.get_by_role("alert").filter(has_text="could not be rebuilt")
    expect(overlay).to_have_count(0)

    article = root / ARTICLE
    good = article.read_text()
    # A broken title that looks like markup: shown as the writer typed it, never run.
    article.write_text(good.replace("title: Your first steps",
                                    'title: "<img src=x onerror=alert(1)>'))
    expect(overlay).to_be_visible(timeout=60_000)
    expect(overlay).to_contain_text("first-steps.md")
    message = overlay.locator("pre").inner_text()
    assert "first-steps.md:" in message  # the file and the line
    expect(page.locator("img[src=x]")).to_have_count(0)
    # The last good build is still under it.
    expect(page.locator("h1")).to_have_text("Your first steps")

    # A page opened while the build is broken says so too.
    page.goto(base + "/")
    expect(overlay).to_be_visible()
    # Hidden by the writer, it stays hidden until something changes.
    overlay.get_by_role("button", name="Hide until the next change").click()
    expect(overlay).to_have_count(0)

    # Fixed: the next build succeeds, the page reloads without the overlay.
    page.goto(base + "/getting-started/first-steps/")
    expect(overlay).to_be_visible()
    article.write_text(good.replace("title: Your first steps", "title: Your fixed steps"))
    expect(page.locator("h1")).to_have_text("Your fixed steps", timeout=60_000)
    expect(overlay).to_have_count(0)


def test_the_header_search_shows_the_help_apis_category_titles(served, browser):
    root, base = served
    for viewport in ({"width": 1366, "height": 900}, {"width": 390, "height": 844}):
        context = new_context(browser, tag="test/serve-search", viewport=viewport)
        try:
            page = context.new_page()
            page.goto(base + "/faq/general-faq/")
            header = page.locator("[data-kb-hsearch]")
            if viewport["width"] < 500:
                header.get_by_role("button", name="Search").click()
            with page.expect_response(lambda r: "/api/search?" in r.url) as answer:
                page.keyboard.type("first steps")
            results = answer.value.json()["results"]
            # The help API (not the static index) answered, naming the category's title.
            assert results[0]["id"] == "first-steps"
            assert (results[0]["category"], results[0]["category_title"]) == (
                "getting-started", "Getting started")
            first = header.get_by_role("option").first
            expect(first).to_contain_text("Your first steps")
            expect(first.locator(".kb-hit__category")).to_have_text("Getting started")
        finally:
            context.close()
