"""Site search in the browser: the index kbgen writes, and search.js driven in Chromium.

The sample help center is built with `api_url` pointing at a recording stand-in for the help
API, served by a plain static file server; the test types what a customer types.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from browser_helpers import (
    EventRecorder,
    free_port,
    launch_chromium,
    new_context,
    recording_api,
    serve_directory,
)
from playwright.sync_api import expect, sync_playwright

from kbgen.search import SearchDoc
from kbgen.search.analysis import query_words
from kbgen.search.browser_index import build_browser_index, shard_of, write_browser_index

REPO = Path(__file__).resolve().parent.parent


def doc(id: str, title: str, body: str, **extra) -> SearchDoc:
    return SearchDoc(id=id, title=title, url=f"{id}/", body=body, **extra)


DOCS = [
    doc("refunds", "Refund a payment", "Open the payment and choose Refund. Refunds take "
        "five days.", description="Give money back to a client.", category="payments",
        keywords=["chargeback"]),
    doc("invoice", "Create an invoice", "Click New invoice, add lines and send it.",
        category="invoices"),
    doc("password", "Reset your password", "Use the forgot password link on the sign-in "
        "page.", category="account"),
]


def shard_file(stem: str, files: dict) -> str:
    return f"t/{shard_of(stem, files['meta.json']['terms']) or '_'}.json"


def test_every_stem_is_in_the_shard_of_its_longest_listed_prefix():
    files = build_browser_index(DOCS, {"payments": "Payments"})
    shards = {name: value for name, value in files.items() if name.startswith("t/")}
    assert len(files["meta.json"]["terms"]) == len(shards)
    for name, shard in shards.items():
        for stem in shard:
            assert shard_file(stem, files) == name
    needed = {shard_file(w.stem, files) for w in query_words("How do I refund a payment?")}
    assert any("refund" in files[name] for name in needed)
    assert any("payment" in files[name] for name in needed)


def test_a_large_help_center_is_split_so_a_query_needs_few_bytes():
    many = [doc(f"a{i}", f"Article {i} about topic{i} and payments", f"Body {i} words{i} "
                f"about refunds and invoices {'filler ' * 40}") for i in range(1500)]
    files = build_browser_index(many)
    sizes = {name: len(json.dumps(value)) for name, value in files.items()}
    total = sum(size for name, size in sizes.items() if name.startswith("t/"))
    needed = {shard_file(w.stem, files) for w in query_words("topic17 refunds")}
    assert len(files["meta.json"]["terms"]) > 4
    # a word being typed stays in one shard: "refu", "refun", "refund"
    assert len({shard_file(stem, files) for stem in ("refu", "refun", "refund")}) == 1
    assert sum(sizes[name] for name in needed) < total / 2
    rows = files[f"d/{17 // files['meta.json']['chunk']}.json"]
    assert rows[17 % files["meta.json"]["chunk"]][:3] == ["a17", "Article 17 about topic17 and "
                                                          "payments", "a17/"]


def test_faq_questions_are_rows_of_their_own_linking_to_their_anchor(tmp_path):
    from kbgen.search import FaqQuestion

    faq = doc("billing-faq", "Billing FAQ", "", category="billing",
              faq=[FaqQuestion("Can I pay yearly?", "can-i-pay-yearly", "Yes, save 20%.")])
    write_browser_index([faq], tmp_path, {"billing": "Plans and billing"})
    index = tmp_path / "search" / "kb"
    meta = json.loads((index / "meta.json").read_text("utf-8"))
    rows = json.loads((index / "d" / "0.json").read_text("utf-8"))
    assert meta["faq"] == [[0, 1]]  # article 0 is followed by one question, entry 1
    assert rows[1] == ["billing-faq", "Can I pay yearly?", "billing-faq/#can-i-pay-yearly",
                       "Plans and billing", "Yes, save 20%.", "can-i-pay-yearly"]


# -- in the browser -------------------------------------------------------------------------


def build_site(root: Path, site_url: str, api_url: str) -> Path:
    shutil.copytree(REPO / "content", root / "content")
    # The writers' search tests gate `kbgen build` on the engine's ranking; that is the
    # engine's own test. Here the browser is under test.
    (root / "content" / "search-tests.yml").unlink(missing_ok=True)
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["site_url"] = site_url
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "kbgen" in plugin:
            plugin["kbgen"] = {**(plugin["kbgen"] or {}), "api_url": api_url}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "kbgen", "build"], cwd=root,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def recorder() -> EventRecorder:
    return EventRecorder()


@pytest.fixture(scope="module")
def site_url(tmp_path_factory, recorder):
    port = free_port()
    with recording_api(recorder) as api:
        site = build_site(tmp_path_factory.mktemp("search"), f"http://127.0.0.1:{port}/",
                          api.rstrip("/"))
        with serve_directory(site, port) as url:
            yield url


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, request):
    context = new_context(browser, tag=f"test/{request.node.name}")
    yield context.new_page()
    context.close()


def wait_for_events(page, recorder: EventRecorder, kind: str) -> list[dict]:
    agent = page.evaluate("navigator.userAgent")
    for _ in range(60):
        found = recorder.of_type(kind, agent)
        if found:
            return found
        page.wait_for_timeout(100)
    raise AssertionError(f"no {kind!r} event arrived; got {recorder.events(agent)}")


@pytest.mark.browser
def test_type_a_query_open_the_first_result_and_both_events_arrive(page, site_url, recorder):
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(site_url)
    assert not [url for url in fetched if "/search/kb/" in url]  # nothing before searching

    page.locator("#kb-q").press_sequentially("how do i refnd a paymnt")
    first = page.locator("[role=listbox] [role=option]").first
    expect(first).to_contain_text("Refund a payment")
    expect(first).to_contain_text("Payments")  # the category
    first.locator("a").click()
    expect(page).to_have_url(site_url + "payments/refunds/")
    expect(page.locator("h1")).to_have_text("Refund a payment")
    expect(page.locator(".md-content mark").first).to_be_visible()  # words highlighted

    search = wait_for_events(page, recorder, "search")[-1]
    assert search["query"] == "how do i refnd a paymnt"
    assert search["source"] == "site" and search["results"] >= 1
    click = wait_for_events(page, recorder, "search_click")[-1]
    assert click == {**click, "query": "how do i refnd a paymnt", "article": "refunds",
                     "rank": 1}
    loaded = [url.split("/search/kb/")[1] for url in fetched if "/search/kb/" in url]
    assert loaded[0] == "meta.json" and all(not name.startswith("v/") or len(name) == 8
                                            for name in loaded)


@pytest.mark.browser
def test_header_search_opens_with_slash_and_arrow_keys_pick_a_result(page, site_url):
    page.goto(site_url + "payments/refunds/")
    page.keyboard.press("/")
    dialog = page.get_by_role("dialog", name="Search the help center")
    expect(dialog).to_be_visible()
    box = dialog.get_by_role("combobox")
    box.press_sequentially("change my plan")
    expect(dialog.get_by_role("option").first).to_contain_text("plan")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", dialog.get_by_role("option").first
                                  .get_attribute("id"))
    title = dialog.get_by_role("option").first.locator(".kb-hit__title").inner_text()
    box.press("Enter")
    expect(page.locator("h1")).to_have_text(title)


@pytest.mark.browser
def test_search_page_lists_results_for_the_address_query(page, site_url):
    page.goto(site_url + "search/?q=reset+password")
    results = page.locator("[data-kb-results] li")
    expect(results.first).to_contain_text("password")
    expect(page.locator("[data-kb-search-status]")).to_contain_text("found")
    expect(page.locator("#kb-q")).to_have_value("reset password")
