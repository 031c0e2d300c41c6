"""German search in a real browser: the German search box of a two-language help center
made with `kbgen init`, typed into in Chromium, finds German articles from inflected forms;
the browser's Snowball stemmer (WebAssembly) stems exactly as the engine's (Python)."""

from __future__ import annotations

import json

import pytest
from browser_helpers import EventRecorder, new_context, recording_api, serve_directory
from playwright.sync_api import expect

from kbgen.search.analysis import fold, language, stem
from tests.conftest import run_kbgen
from tests.language_helpers import make_two_language_center

# Inflected forms a customer types, and words of the German sample's kinds.
GERMAN_WORDS = """Rechnungen Rechnung Zahlungen bezahlten Passwörter Passworts zurückgesetzt
Konten Kontos erstellen erstellte Einstellungen Kundinnen Rückerstattungen erstattet Gebühren
Straße fließt Häuser Bücher aufeinanderfolgenden Abenddämmerung Benutzerinnen wechseln versendet
Überweisungen Lastschriften abgelehnt Erinnerungen Mahnungen Übersetzungen hilfreich geholfen
Anmeldung abmelden Zwei-Faktor-Authentifizierung Sicherheitsschlüssel Währungen Zeitzonen
heruntergeladen hochgeladen Kündigung verlängerten Vorlagen Angebote Entwürfe""".split()


@pytest.fixture(scope="module")
def recorder():
    return EventRecorder()


@pytest.fixture(scope="module")
def site(tmp_path_factory, recorder):
    root = make_two_language_center(tmp_path_factory.mktemp("lang") / "help")
    with recording_api(recorder) as api:
        config = root / "mkdocs.yml"
        config.write_text(config.read_text().replace(
            "  - kbgen:\n", f"  - kbgen:\n      api_url: {api.rstrip('/')}\n", 1))
        result = run_kbgen("build", cwd=root)
        assert result.returncode == 0, result.stderr
        with serve_directory(root / "site") as url:
            yield root, url


def test_events_carry_the_pages_language(browser, site, recorder):
    root, url = site
    context = new_context(browser, tag="lang-events")
    page = context.new_page()
    agent = page.evaluate("navigator.userAgent")
    page.goto(url + "de/getting-started/create-an-account/")
    for _ in range(50):  # the view is sent after a short pause
        if recorder.of_type("view", agent):
            break
        page.wait_for_timeout(100)
    page.get_by_role("button", name="Ja").click()
    expect(page.locator("[data-kb-status]")).to_have_text("Vielen Dank für Ihr Feedback.")
    page.goto(url + "getting-started/create-an-account/")
    for _ in range(50):
        views = recorder.of_type("view", agent)
        if len(views) >= 2:
            break
        page.wait_for_timeout(100)
    assert [(v["article"], v.get("lang")) for v in views] == [
        ("create-an-account", "de"), ("create-an-account", "en")]
    votes = recorder.of_type("vote", agent)
    assert [(v["helpful"], v["lang"]) for v in votes] == [(True, "de")]
    context.close()


def test_german_inflected_queries_in_the_german_search_box(browser, site):
    root, url = site
    context = new_context(browser, tag="lang")
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(url + "de/")
    box = page.get_by_label("Im Hilfe-Center suchen").first
    for query, expected in [("Zahlungen", "Ein Konto erstellen"),
                            ("rechnung", "Ein Konto erstellen"),
                            ("wie kann ich mich registrieren", "Ein Konto erstellen")]:
        box.fill(query)
        box.press("Enter")
        expect(page).to_have_url(url + "de/search/?q=" + query.replace(" ", "+"))
        first = page.locator("[data-kb-results] a").first
        expect(first).to_contain_text(expected)
        assert "/de/getting-started/create-an-account/" in first.get_attribute("href")
        box = page.locator("#kb-q")
    box.fill("Quarkstrudel")
    box.press("Enter")
    expect(page.locator("[data-kb-search-status]")).to_contain_text(
        "Keine Artikel passen zu \u201eQuarkstrudel\u201c")
    expect(page.locator("[data-kb-no-results] h2")).to_have_text("Brauchen Sie weitere Hilfe?")
    # The German page loaded the German index only, and the Snowball stemmer.
    assert any("/de/search/kb/entry.json" in u for u in requested)
    assert not any(u.startswith(url + "search/kb/") for u in requested)
    assert any(u.endswith("index_bg.wasm") for u in requested)
    # The same words from the engine's stemmer and the browser's, word for word.
    browser_stems = page.evaluate(
        """async (words) => {
          const m = await import("../../assets/kbgen/vendor/multilingual-stemmer/index.browser.js");
          const stem = m.createStemmer("de");
          return words.map((w) => stem(w));
        }""", [fold(w) for w in GERMAN_WORDS])
    with language("de"):
        assert browser_stems == [stem(fold(w)) for w in GERMAN_WORDS]
    context.close()


def test_the_english_page_searches_english_with_porter(browser, site):
    root, url = site
    context = new_context(browser, tag="lang-en")
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(url + "search/?q=creating+accounts")
    expect(page.locator("[data-kb-results] a").first).to_contain_text("Create an account")
    assert not any(u.endswith(".wasm") for u in requested)  # English needs no download
    context.close()


def test_kbgen_search_lang_de(site):
    root, _ = site
    for query in ("Zahlungen", "Rechnung", "Passworts"):
        result = run_kbgen("search", "--lang", "de", query, "--json", cwd=root)
        assert result.returncode == 0, result.stderr
        found = json.loads(result.stdout)
        assert found["query"] == query
        assert [r["id"] for r in found["results"]] == ["create-an-account"]
        assert found["results"][0]["url"] == "de/getting-started/create-an-account/"
    english = json.loads(run_kbgen("search", "Zahlungen", "--json", cwd=root).stdout)
    assert english["results"] == []  # the English index holds English words only
    bad = run_kbgen("search", "--lang", "fr", "x", cwd=root)
    assert bad.returncode == 2 and "not a language of this help center" in bad.stderr


def test_a_german_search_and_its_click_are_recorded_in_german(browser, site, recorder):
    """Several languages turn instant navigation off: the result opens as a full page load,
    and the search and its click must arrive all the same."""
    root, url = site
    context = new_context(browser, tag="lang-search-events")
    page = context.new_page()
    agent = page.evaluate("navigator.userAgent")
    page.goto(url + "de/")
    page.locator("#kb-q").press_sequentially("Zahlungen")
    first = page.locator("[role=listbox] [role=option]").first
    expect(first).to_contain_text("Ein Konto erstellen")
    first.click()
    expect(page).to_have_url(url + "de/getting-started/create-an-account/")
    for _ in range(50):
        if recorder.of_type("search_click", agent):
            break
        page.wait_for_timeout(100)
    searches = recorder.of_type("search", agent)
    clicks = recorder.of_type("search_click", agent)
    assert [(s["query"], s["lang"]) for s in searches] == [("Zahlungen", "de")]
    assert [(c["article"], c["rank"], c["lang"]) for c in clicks] == [
        ("create-an-account", 1, "de")]
    context.close()


def test_pages_ask_nothing_beside_their_hreflang_links(browser, site):
    """mkdocs-material fetches sitemap.xml beside every <link rel=alternate> it sees; the
    hreflang links name each page's translations on site_url's host, so those would be
    404s (and, while previewing, requests to another host): kbgen.js hides them from that
    look, and the page keeps them once loaded."""
    root, url = site
    context = new_context(browser, tag="lang-alternates")
    page = context.new_page()
    asked: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    for path in ("getting-started/create-an-account/", "de/getting-started/create-an-account/"):
        page.goto(url + path, wait_until="load")
        page.wait_for_timeout(500)
        links = page.eval_on_selector_all(
            'link[rel="alternate"][hreflang]', "links => links.map(l => l.hreflang)")
        assert links == ["en", "de", "x-default"], path
    assert not [u for u in asked if "sitemap.xml" in u and not u.startswith(url)]
    assert not [u for u in asked if u.endswith("/create-an-account/sitemap.xml")]
    assert errors == []
    context.close()
