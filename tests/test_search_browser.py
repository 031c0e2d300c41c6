"""Site search in the browser: the index kbgen writes, and search.js driven in Chromium.

The sample help center is built with `api_url` pointing at a recording stand-in for the help
API, served by a plain static file server; the test types what a customer types.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from browser_helpers import (
    EventRecorder,
    build_sample_site,
    free_port,
    new_context,
    recording_api,
    serve_directory,
)
from playwright.sync_api import expect

from kbgen.search import FaqQuestion, SearchDoc
from kbgen.search.analysis import query_words
from kbgen.search.browser_index import (
    build_browser_index,
    publish,
    shard_of,
    write_browser_index,
)
from kbgen.search.engine import Ranking, build_index, open_index

REPO = Path(__file__).resolve().parent.parent


SEARCH_SCRIPTS = ("search-vectors.js", "search-ranking.js", "search-api.js", "search.js")  # in theme/main.html's order


def search_scripts_page(site: Path) -> None:
    """A bare page under `site` that loads the theme's search scripts, as theme/main.html does."""
    (site / "assets" / "kbgen").mkdir(parents=True)
    for name in SEARCH_SCRIPTS:
        shutil.copy(REPO / "theme" / "assets" / "kbgen" / name, site / "assets" / "kbgen")
    tags = "".join(f'<script src="assets/kbgen/{name}"></script>' for name in SEARCH_SCRIPTS)
    (site / "index.html").write_text(f"<!doctype html><title>t</title>{tags}", encoding="utf-8")


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
    faq = doc("billing-faq", "Billing FAQ", "", category="billing",
              faq=[FaqQuestion("Can I pay yearly?", "can-i-pay-yearly", "Yes, save 20%.")])
    write_browser_index([faq], tmp_path, {"billing": "Plans and billing"})
    index = tmp_path / "search" / "kb"
    entry = json.loads((index / "entry.json").read_text("utf-8"))
    meta = json.loads((index / entry["meta"]).read_text("utf-8"))
    rows = json.loads((index / f"d/0.{meta['hashes']['d'][0]}.json").read_text("utf-8"))
    assert meta["faq"] == [[0, 1]]  # article 0 is followed by one question, entry 1
    assert rows[1] == ["billing-faq", "Can I pay yearly?", "billing-faq/#can-i-pay-yearly",
                       "Plans and billing", "Yes, save 20%.", "can-i-pay-yearly"]


# -- in the browser -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def recorder() -> EventRecorder:
    return EventRecorder()


@pytest.fixture(scope="module")
def site_url(tmp_path_factory, recorder):
    port = free_port()
    with recording_api(recorder) as api:
        # One language: some of these tests follow results with instant navigation, which
        # several languages turn off (tests/test_language_search_browser.py searches German).
        site = build_sample_site(tmp_path_factory.mktemp("search"), f"http://127.0.0.1:{port}/",
                                 api.rstrip("/"), single_language=True)
        with serve_directory(site, port) as url:
            yield url


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
    first.click()
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
    assert loaded[0] == "entry.json" and re.fullmatch(r"meta\.[0-9a-f]{8}\.json", loaded[1])
    assert all(re.fullmatch(r"[tvds]/[a-z0-9_-]+\.[0-9a-f]{8}\.(json|bin)", name)
               for name in loaded[2:])
    assert all(re.fullmatch(r"v/[a-z]\.[0-9a-f]{8}\.json", name)
               for name in loaded if name.startswith("v/"))


@pytest.mark.browser
def test_header_search_takes_slash_and_arrow_keys_pick_a_result(page, site_url):
    page.goto(site_url + "payments/refunds/")
    page.keyboard.press("/")
    header = page.get_by_role("search").filter(has=page.locator("#kb-hq"))
    box = header.get_by_role("combobox", name="Search the help center")
    expect(box).to_be_focused()
    box.press_sequentially("change my plan")
    expect(header.get_by_role("option").first).to_contain_text("plan")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", header.get_by_role("option").first
                                  .get_attribute("id"))
    title = header.get_by_role("option").first.locator(".kb-hit__title").inner_text()
    box.press("Enter")
    expect(page.locator("h1")).to_have_text(title)


@pytest.mark.browser
def test_search_page_lists_results_for_the_address_query(page, site_url):
    page.goto(site_url + "search/?q=reset+password")
    results = page.locator("[data-kb-results] li")
    expect(results.first).to_contain_text("password")
    expect(page.locator("[data-kb-search-status]")).to_contain_text("found")
    expect(page.locator("#kb-q")).to_have_value("reset password")


# -- ranking: search.js against the engine on the same documents ----------------------------

RANKED_DOCS = [
    doc("refunds", "Refund a payment", "Open the payment and choose Refund. Refunds take five "
        "days to reach the client's account.", description="Give money back to a client.",
        keywords=["chargeback", "money back"]),
    doc("partial", "Partial refunds", "Refund part of a payment, for example one line of "
        "the invoice. The client sees the refund on their statement.", keywords=["refund"]),
    doc("invoice", "Create an invoice", "Click New invoice, add lines for the client and "
        "send it. Each invoice gets a number."),
    doc("recurring", "Recurring invoices", "Send the same invoice to a client every month. "
        "Recurring invoices are sent at 9:00 in your time zone."),
    doc("export", "Export invoices to PDF", "Choose Export, then PDF. The client's address "
        "is printed on every page of the invoice export."),
    doc("password", "Reset your password", "Use the forgot password link on the sign-in "
        "page. The link works for one hour for your account."),
    doc("two-factor", "Two-step sign-in", "Protect your account with a code from an "
        "authenticator app when you sign in."),
    doc("tax", "Tax rates", "Add a tax rate to invoice lines. A client can be exempt from "
        "tax; the invoice shows the tax number."),
    doc("payments-faq", "Payments FAQ", "How long does a refund take? Refunds reach the "
        "client's bank in five to ten days. Which cards can clients pay with? Visa, "
        "Mastercard and American Express.", type="faq",
        headings=["How long does a refund take?", "Which cards can clients pay with?"], faq=[
        FaqQuestion("How long does a refund take?", "refund-time",
                    "Refunds reach the client's bank in five to ten days."),
        FaqQuestion("Which cards can clients pay with?", "cards",
                    "Visa, Mastercard and American Express, on any invoice."),
    ]),
    doc("team", "Invite your team", "Add a team member to your account from Settings. Each "
        "member gets an email with an invitation link."),
    doc("bank", "Connect a bank account", "Bank feeds import transactions from your bank "
        "account every night so payments match invoices."),
    doc("delete", "Delete your account", "Deleting the account removes every invoice, "
        "client and payment. Export what you need first, every invoce."),
]
RANKED_QUERIES = [
    "refund", "how do i refund a client", "refnd paymnt", "invoice", "client invoice pdf",
    "recurring invoices not sent", "how long does a refund take", "reset password link",
    "delete my acount", "tax number on invoice", "which cards can i pay with", "the",
    "connect bank", "invite team member to account", "money back", "invoce", "cards", "payments faq",
    "pass word", "re fund time", "bak feeds", "the pdf", "inv oice",
    "how do i kubernetes", "statement hour", "dark mode", "pass word statement",
    "authemticattor app", "reinvoice a client", "nvoice",
]


@pytest.mark.browser
def test_search_js_ranks_like_the_engine(tmp_path, browser):
    # A word in over a third of these entries counts as common, as at 2,000+ entries.
    ranking = Ranking(common_min_entries=10, common_share=0.3)
    build_index(RANKED_DOCS, tmp_path / "ix")
    with open_index(tmp_path / "ix", ranking) as engine:
        expected = [[(h.id, h.anchor, h.score) for h in engine.search(q)]
                    for q in RANKED_QUERIES]
    site = tmp_path / "site"
    search_scripts_page(site)
    for name, text in publish(build_browser_index(RANKED_DOCS, {}, ranking)).items():
        path = site / "search" / "kb" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    context = new_context(browser, tag="test/ranks_like_the_engine")
    page = context.new_page()
    with serve_directory(site) as url:
        page.goto(url)
        got = page.evaluate("""async (queries) => {
          const out = [];
          for (const q of queries) {
            out.push((await KbgenSearch.search(q, 10)).map((h) => [h.id, h.anchor, h.score]));
          }
          return out;
        }""", RANKED_QUERIES)
    context.close()
    # an FAQ page shown as its question and as itself
    assert {hits[0][:2] for hits in expected if hits} >= {("payments-faq", "cards"),
                                                  ("payments-faq", None)}
    assert [[hit[:2] for hit in hits] for hits in expected] == [
        [tuple(hit[:2]) for hit in hits] for hits in got]
    # the same scores, up to the index's rounding to thousandths
    assert [[hit[2] for hit in hits] for hits in got] == [
        pytest.approx([hit[2] for hit in hits], rel=1e-3, abs=5e-3) for hits in expected]


# -- deploys: a reader keeps one build's index ----------------------------------------------

WORDS = ["apple", "banana", "cherry", "delta", "ember", "falcon", "garnet", "harbor", "igloo",
         "jasper", "kettle", "lantern", "mango", "nectar", "orchid", "pepper", "quartz",
         "radish", "saffron", "tundra", "umber", "violet", "walnut", "xenon", "yonder", "zebra"]


def deploy_docs(version: str) -> list[SearchDoc]:
    """Every article edited between versions, so every term file changes too."""
    more = " Updated for the new release." if version == "v2" else ""
    return [doc(f"a{i}", f"{word.title()} guide {version}", f"All about the {word} setting.{more}")
            for i, word in enumerate(WORDS)]


def term_file(files: dict[str, str], word: str) -> str:
    """The published term file search.js fetches for `word` (a stem of its own here)."""
    meta = json.loads(files[json.loads(files["entry.json"])["meta"]])
    prefix = shard_of(word, meta["terms"])
    return f"t/{prefix or '_'}.{meta['hashes']['t'][meta['terms'].index(prefix)]}.json"


def deploy(index: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = index / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.mark.browser
def test_a_reader_mid_visit_never_mixes_two_deploys_of_the_index(tmp_path, browser,
                                                                  monkeypatch):
    from kbgen.search import browser_index

    monkeypatch.setattr(browser_index, "SHARD_BYTES", 300)  # many small shards, as at scale
    old, new = (publish(build_browser_index(deploy_docs(v))) for v in ("v1", "v2"))
    # words whose files the page has not fetched yet: `kept`'s term file is the same in v2
    # (its result row is not: a second chunk), `gone`'s term file was changed by v2
    kept = next(w for w in WORDS[16:] if term_file(old, w) in new)
    gone = next(w for w in WORDS if term_file(old, w) not in new
                and term_file(old, w) not in {term_file(old, "apple"), term_file(old, kept)})
    assert len([n for n in old if n.startswith("t/")]) > 5 and len(
        [n for n in old if n.startswith("d/")]) == 2
    site = tmp_path / "site"
    search_scripts_page(site)
    index = site / "search" / "kb"
    deploy(index, old)
    context = new_context(browser, tag="test/two_deploys")
    page = context.new_page()
    top = "async (q) => (await KbgenSearch.search(q, 3)).map((h) => h.title)[0]"
    with serve_directory(site) as url:
        page.goto(url)
        assert page.evaluate(top, "apple") == "Apple guide v1"
        # The next deploy lands (entry.json now names v2) while v1's files are still there:
        # this page goes on with v1's meta and so with v1's shards and rows only.
        deploy(index, new)
        assert page.evaluate(top, kept) == f"{kept.title()} guide v1"
        # v1's files are deleted: the page's next search finds its build gone, reads
        # entry.json again and searches v2 whole (no error shown, nothing mixed).
        for name in set(old) - set(new):
            (index / name).unlink()
        assert page.evaluate(top, gone) == f"{gone.title()} guide v2"
        assert page.evaluate(top, "apple") == "Apple guide v2"
        # a fresh visit reads v2 from the start
        page.goto(url)
        assert page.evaluate(top, "zebra") == "Zebra guide v2"
    context.close()


# -- zero results ---------------------------------------------------------------------------


@pytest.mark.browser
def test_a_search_that_finds_nothing_offers_support_popular_articles_and_topics(page, site_url):
    page.goto(site_url + "search/?q=payroll")
    expect(page.locator("[data-kb-search-status]")).to_contain_text("No articles match")
    help = page.get_by_role("region", name="Still need help?")
    expect(help).to_be_visible()
    popular = help.get_by_role("list", name="Popular articles").get_by_role("link")
    topics = help.get_by_role("list", name="Browse by topic").get_by_role("link")
    expect(popular.first).to_be_visible()
    expect(topics.first).to_be_visible()
    assert "Payments" in topics.all_inner_texts()  # category titles, not folder names
    # A search that finds something hides it again.
    page.locator("#kb-q").fill("reset password")
    expect(page.locator("[data-kb-results] li").first).to_contain_text("password")
    expect(help).to_be_hidden()
    # Reaching a human from the dead end is one click.
    page.locator("#kb-q").fill("payroll")
    help.get_by_role("link", name="Contact support").click()
    expect(page).to_have_url(site_url + "contact/")


@pytest.mark.browser
def test_the_header_search_finding_nothing_links_to_support(page, site_url):
    page.goto(site_url + "payments/refunds/")
    page.keyboard.press("/")
    header = page.locator("[data-kb-hsearch]")
    header.get_by_role("combobox").press_sequentially("payroll")
    expect(header).to_contain_text("No articles match")
    header.get_by_role("link", name="Contact support").click()
    expect(page).to_have_url(site_url + "contact/")


# -- the header's search field on every page ------------------------------------------------

PAGE_TYPES = {"article": "payments/refunds/", "faq": "billing/billing-faq/",
              "category": "billing/", "contact": "contact/", "search": "search/?q=refund",
              "404": "404.html", "home": ""}
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, request):
    context = new_context(browser, tag=f"test/{request.node.name}", viewport=PHONE,
                          has_touch=True, is_mobile=True)
    yield context.new_page()
    context.close()


@pytest.mark.browser
def test_every_page_type_has_a_search_field_in_the_header(browser, site_url):
    context = new_context(browser, tag="test/header-field", viewport=DESKTOP)
    try:
        tab = context.new_page()
        for kind, path in PAGE_TYPES.items():
            tab.goto(site_url + path)
            field = tab.locator(".md-header").get_by_role("searchbox",
                                                          name="Search the help center")
            if not field.count():  # with JavaScript it is a combobox (it suggests)
                field = tab.locator(".md-header").get_by_role("combobox",
                                                              name="Search the help center")
            expect(field, kind).to_be_visible()
            expect(field, kind).to_be_in_viewport()
            assert field.evaluate("el => el.tagName") == "INPUT", kind
            assert field.bounding_box()["width"] >= 180, kind  # a field, not an icon
    finally:
        context.close()


@pytest.mark.browser
def test_on_a_phone_one_tap_opens_a_focused_search_field_on_every_page_type(phone, site_url):
    for kind, path in PAGE_TYPES.items():
        phone.goto(site_url + path)
        header = phone.locator("[data-kb-hsearch]")
        field = header.locator("#kb-hq")
        expect(field, kind).to_be_hidden()  # the bar has room for a button only
        header.get_by_role("button", name="Search").tap()
        expect(field, kind).to_be_focused()
        expect(field, kind).to_be_in_viewport()
        assert field.bounding_box()["width"] >= 250, kind  # the whole bar
    # Typed there, the results fill the screen at readable sizes.
    phone.keyboard.type("refund a payment")
    rows = phone.locator("[data-kb-hsearch] .kb-hit")
    expect(rows.first).to_contain_text("Refund a payment")
    expect(rows.first).to_be_in_viewport()
    assert_readable(rows, "phone header")
    assert rows.first.bounding_box()["width"] >= 350
    # Closing gives the bar back, focus on the button.
    phone.locator("[data-kb-hsearch]").get_by_role("button", name="Close search").tap()
    expect(phone.locator("#kb-hq")).to_be_hidden()
    expect(phone.locator("[data-kb-hsearch]").get_by_role("button", name="Search")).to_be_focused()


@pytest.mark.browser
def test_on_a_phone_a_result_opens_and_the_next_page_searches_again(phone, site_url):
    phone.goto(site_url + "billing/billing-faq/")
    phone.locator("[data-kb-hsearch]").get_by_role("button", name="Search").tap()
    phone.keyboard.type("refund a payment")
    phone.locator("[data-kb-hsearch] [role=option]").first.tap()
    expect(phone.locator("h1")).to_have_text("Refund a payment")
    expect(phone.locator("#kb-hq")).to_be_hidden()  # closed by the navigation
    phone.locator("[data-kb-hsearch]").get_by_role("button", name="Search").tap()
    expect(phone.locator("#kb-hq")).to_be_focused()
    expect(phone.locator("#kb-hq")).to_have_value("")


@pytest.mark.browser
def test_the_header_field_keeps_working_after_instant_navigation(page, site_url):
    page.set_viewport_size(DESKTOP)
    page.goto(site_url + "payments/refunds/")
    page.evaluate("window.kbLoaded = true")  # gone if a page is loaded in full
    header = page.locator("[data-kb-hsearch]")
    box = header.get_by_role("combobox")
    box.press_sequentially("reset my password")
    header.get_by_role("option").first.click()
    expect(page.locator("h1")).to_contain_text("password")
    assert page.evaluate("window.kbLoaded") is True  # material's instant navigation
    expect(header.get_by_role("listbox")).to_be_hidden()
    expect(box).to_have_value("")
    box.press_sequentially("refund a payment")
    expect(header.get_by_role("option").first).to_contain_text("Refund a payment")
    expect(header.locator(".kb-hit__category").first).to_have_text("Payments")
    header.get_by_role("option").first.click()
    expect(page.locator("h1")).to_have_text("Refund a payment")
    assert page.evaluate("window.kbLoaded") is True


@pytest.mark.browser
def test_without_javascript_the_header_field_opens_the_search_page(browser, site_url):
    context = new_context(browser, tag="test/header-nojs", viewport=DESKTOP,
                          java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(site_url + "payments/refunds/")
        field = tab.locator(".md-header").get_by_role("searchbox", name="Search the help center")
        field.fill("refund")
        field.press("Enter")
        expect(tab).to_have_url(site_url + "search/?q=refund")  # the query is kept
        expect(tab.locator("noscript .kb-nojs > p.kb-lead")).to_be_visible()  # topics, contact
        # On a phone the header's search button is a link to that page.
        tab.set_viewport_size(PHONE)
        tab.goto(site_url + "payments/refunds/")
        tab.locator("[data-kb-hsearch]").get_by_role("link", name="Search").click()
        expect(tab).to_have_url(site_url + "search/")
    finally:
        context.close()


# -- readable results and a real count ------------------------------------------------------

SIZES = """rows => rows.map(row => [".kb-hit__title", ".kb-hit__snippet", ".kb-hit__category"]
    .map(part => row.querySelector(part))
    .map(el => el ? parseFloat(getComputedStyle(el).fontSize) : null))"""


def assert_readable(rows, where: str) -> None:
    """Titles >= 16 px, snippets >= 14 px, categories >= 13 px (body text is 16 px), and
    only the title is a link's colour and underline: not one big underlined link."""
    sizes = rows.evaluate_all(SIZES)
    for title, snippet, category in sizes:
        assert title >= 16 and (snippet is None or snippet >= 14), (where, sizes)
        assert category is None or category >= 13, (where, sizes)
    assert any(s is not None for _, s, _ in sizes) and any(c for _, _, c in sizes), sizes
    underlined = rows.evaluate_all(
        "rows => rows.map(row => getComputedStyle(row).textDecorationLine)")
    assert set(underlined) == {"none"}, (where, underlined)


@pytest.mark.browser
def test_results_are_readable_in_the_header_and_on_the_search_page(page, site_url):
    page.goto(site_url + "payments/refunds/")
    header = page.locator("[data-kb-hsearch]")
    header.get_by_role("combobox").press_sequentially("refund a payment")
    expect(header.get_by_role("option").first).to_contain_text("Refund a payment")
    expect(header.locator(".kb-hit__category").first).to_have_text("Payments")  # not "payments"
    assert_readable(header.locator(".kb-hit"), "header")
    page.goto(site_url + "search/?q=refund+a+payment")
    rows = page.locator("[data-kb-results] .kb-hit")
    expect(rows.first).to_contain_text("Refund a payment")
    assert_readable(rows, "search page")


@pytest.mark.browser
def test_the_count_is_the_number_found_or_says_there_are_more(page, site_url):
    page.goto(site_url + "search/?q=refund+a+payment")
    rows = page.locator("[data-kb-results] li")
    expect(rows.first).to_contain_text("Refund a payment")
    status = page.locator("[data-kb-search-status]")
    expect(status).to_have_text(re.compile(r"\d+ articles? found"))
    assert status.inner_text().split()[0] == str(rows.count())
    # Suggestions stop at 10: a broad word says "10+", not a false exact count.
    page.goto(site_url)
    page.locator("#kb-q").press_sequentially("account")
    expect(page.locator("[role=listbox] [role=option]")).to_have_count(10)
    expect(page.locator("form[data-kb-searchbox] [role=status]")).to_have_text(
        "10+ articles found")
