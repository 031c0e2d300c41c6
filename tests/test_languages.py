"""Help centers in several languages: translation files, their checks, the per-language site,
`kbgen translations`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kbgen.content.loader import load_content
from kbgen.content.revisions import article_revision
from tests.conftest import run_kbgen
from tests.language_helpers import make_two_language_center


@pytest.fixture
def center(tmp_path) -> Path:
    return make_two_language_center(tmp_path / "help")


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def test_check_accepts_a_translation_and_names_each_bad_one(center):
    ok = run_kbgen("check", "--strict", cwd=center)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    folder = center / "content" / "getting-started"
    _write(folder / "first-steps.fr.md", "---\nid: first-steps\ntitle: Premiers pas\n"
           "description: Les premiers pas.\n---\nTexte\n")
    _write(folder / "welcome.de.md", "---\nid: welcome\ntitle: Willkommen\n"
           "description: Hallo.\ntranslated_from: \"0123456789ab\"\n---\nText\n")
    _write(folder / "first-steps.de.md", "---\ntitle: Erste Schritte\nid: first-step\n"
           "description: Los geht's.\n---\nText\n")
    _write(folder / "first-steps.en.md", "---\nid: first-steps\ntitle: First steps\n"
           "description: x.\n---\nText\n")
    result = run_kbgen("check", cwd=center)
    assert result.returncode == 1
    out = result.stdout + result.stderr
    assert "content/getting-started/first-steps.fr.md:1: error: unknown language 'fr'" in out
    assert ("content/getting-started/welcome.de.md:2: error: translation without a source: "
            "'content/getting-started/welcome.md' does not exist") in out
    assert ("content/getting-started/first-steps.de.md:3: error: the translation's id "
            "'first-step' is not its source's id 'first-steps'") in out
    assert "first-steps.en.md:1: error: 'en' is the default language" in out
    assert "Traceback" not in out


def test_two_translations_of_one_language_and_a_bad_revision(center):
    folder = center / "content" / "getting-started"
    (folder / "sub").mkdir()
    _write(folder / "sub" / "create-an-account.md", (folder / "create-an-account.md")
           .read_text().replace("id: create-an-account", "id: create-an-account-2"))
    _write(folder / "sub" / "create-an-account.de.md", (folder / "create-an-account.de.md")
           .read_text().replace("translated_from: ", "translated_from: x"))
    result = run_kbgen("check", cwd=center)
    out = result.stdout + result.stderr
    assert ("content/getting-started/sub/create-an-account.de.md:2: error: the translation's "
            "id 'create-an-account' is not its source's id 'create-an-account-2'") in out
    _write(folder / "sub" / "create-an-account.md", (folder / "create-an-account.md")
           .read_text())  # the same id twice: one error for the newer source, as ever
    result = run_kbgen("check", cwd=center)
    out = result.stdout + result.stderr
    assert "a second 'de' translation of 'create-an-account'" in out
    assert "content/getting-started/sub/create-an-account.de.md:2" in out


def test_a_category_file_with_an_undeclared_language(center):
    category = center / "content" / "faq" / "_category.yml"
    _write(category, category.read_text() + "fr:\n  title: Questions\n")
    result = run_kbgen("check", cwd=center)
    out = result.stdout + result.stderr
    assert "content/faq/_category.yml:" in out and "'fr' is not a key of category files" in out
    lines = category.read_text().splitlines()
    assert f"_category.yml:{lines.index('fr:') + 1}:" in out


def test_a_translation_without_languages_declared(tmp_path):
    root = tmp_path / "help"
    run_kbgen("init", str(root), cwd=tmp_path)
    folder = root / "content" / "faq"
    _write(folder / "general-faq.de.md", "---\nid: general-faq\ntitle: FAQ\n"
           "description: Fragen.\n---\nText\n")
    result = run_kbgen("check", cwd=root)
    out = result.stdout + result.stderr
    assert "general-faq.de.md:1: error: 'faq/general-faq.de.md' is a translation into 'de', but " \
           "the help center declares no languages" in out


def _html(center: Path, page: str) -> str:
    return (center / "site" / page / "index.html").read_text(encoding="utf-8")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def test_the_site_in_two_languages(center):
    build = run_kbgen("build", cwd=center)
    assert build.returncode == 0, build.stderr
    german = _html(center, "de/getting-started/create-an-account")
    english = _html(center, "getting-started/create-an-account")
    untranslated = _html(center, "getting-started/first-steps")
    assert '<html lang="de"' in german and '<html lang="en"' in english
    for page in (german, english):  # both versions name each other, and the default
        assert ('<link rel="alternate" hreflang="de" href="https://help.example.com/de/'
                'getting-started/create-an-account/">') in page
        assert ('<link rel="alternate" hreflang="x-default" href="https://help.example.com/'
                'getting-started/create-an-account/">') in page
    assert "hreflang=" not in untranslated.split("</head>")[0]
    # The switcher goes to the same article in the other language ...
    assert ('<a href="../../../getting-started/create-an-account/" hreflang="en" lang="en" '
            'target="_self">English</a>') in german
    assert ('<a href="../../de/getting-started/create-an-account/" hreflang="de" lang="de" '
            'target="_self">Deutsch</a>') in english
    # ... or says, in that language, that it is not translated yet.
    assert 'lang="de">Deutsch: Noch nicht übersetzt</li>' in untranslated
    # The German page is German: kbgen's words, material's, the category's title.
    assert "War das hilfreich?" in german and "Was this helpful?" not in german
    assert '<a href="../">Erste Schritte</a>' in german
    assert "Brauchen Sie weitere Hilfe?" in german
    assert '"lang": "de"' in german  # kb-config: events and search know the language
    # German home, category, search and contact pages, with German links.
    home = _html(center, "de")
    assert "Wie können wir helfen?" in home and 'href="getting-started/create-an-account/"' in home
    assert 'action="search/"' in home
    assert "Erste Schritte" in _html(center, "de/getting-started")
    assert "Support kontaktieren" in _html(center, "de/contact")
    assert '<html lang="de"' in _html(center, "de/search")
    sitemap = (center / "site" / "sitemap.xml").read_text()
    assert 'xmlns:xhtml="http://www.w3.org/1999/xhtml"' in sitemap
    assert ('<xhtml:link rel="alternate" hreflang="de" href="https://help.example.com/de/'
            'getting-started/create-an-account/"/>') in sitemap
    assert "de/search/" not in sitemap


def _sidebar(page: str) -> tuple[str, list[tuple[str, str, bool]]]:
    """The primary sidebar's opening tag and its links: (href, title, marked active)."""
    start = page.index('<div class="md-sidebar md-sidebar--primary"')
    tag = page[start:page.index(">", start) + 1]
    nav = page[start:page.index("</nav>", start)]
    links = re.findall(r'<a href="([^"]*)" class="md-nav__link( md-nav__link--active)?"[^>]*>'
                       r'\s*<span class="md-ellipsis">([^<]*)</span>', nav)
    return tag, [(href, title, bool(active)) for href, active, title in links]


def test_each_language_has_its_own_sidebar(center):
    build = run_kbgen("build", cwd=center)
    assert build.returncode == 0, build.stderr
    german = _html(center, "de/getting-started/create-an-account")
    tag, links = _sidebar(german)
    assert "hidden" not in tag  # a German reader has a menu too (the phone's drawer)
    assert links == [("../../", "Startseite", False),
                     ("../", "Erste Schritte", True),  # the article's own category
                     ("../../contact/", "Support kontaktieren", False)]
    assert re.search(r'<a href="\.\./\.\./" title="[^"]*" class="md-header__button md-logo"',
                     german)  # the logo goes to the German home page
    tag, links = _sidebar(_html(center, "getting-started/create-an-account"))
    assert "hidden" not in tag
    assert links[0] == ("../..", "Home", False)
    assert ("../", "Getting started", True) in links
    assert links[-1][1:] == ("Contact support", False)
    assert all("/de/" not in href for href, _, _ in links)
    _, links = _sidebar(_html(center, "de/contact"))
    assert links[-1] == ("./", "Support kontaktieren", True)


def test_translations_report_missing_then_stale_then_current(center):
    import json

    def status():
        result = run_kbgen("translations", "--format", "json", cwd=center)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    first = status()
    assert first == {"languages": ["en", "de"], "stale": [], "missing": [
        {"id": "first-steps", "lang": "de"}, {"id": "general-faq", "lang": "de"}]}
    assert run_kbgen("build", cwd=center).returncode == 0  # records the source's revision
    source = center / "content/getting-started/create-an-account.md"
    source.write_text(source.read_text().replace("choose a password", "choose a strong password"))
    stale = status()["stale"]
    assert len(stale) == 1 and stale[0]["id"] == "create-an-account"
    assert stale[0]["lang"] == "de"
    assert stale[0]["file"] == "content/getting-started/create-an-account.de.md"
    assert stale[0]["translated_from"] != stale[0]["current"]
    table = run_kbgen("translations", cwd=center).stdout
    assert "de: 1 of 3 articles translated, 1 stale, 2 missing" in table
    # The stale German page tells customers and links to the current English article.
    assert run_kbgen("build", cwd=center).returncode == 0
    german = _one_line(_html(center, "de/getting-started/create-an-account"))
    assert ('Diese Übersetzung ist älter als das Original: Das Original auf Englisch wurde seit '
            'der Übersetzung geändert. <a href="../../../getting-started/create-an-account/"')\
        in german
    # A typo fix in the source needs no re-translation: one command.
    before = stale[0]["current"]
    source.write_text(source.read_text().replace("a strong password", "a strong pasword"))
    assert status()["stale"][0]["current"] != before
    source.write_text(source.read_text().replace("a strong pasword", "a strong password"))
    # (the typo and its fix: back at the built revision, which the translation lacks)
    assert len(status()["stale"]) == 1
    marked = run_kbgen("translations", "mark-current",
                       "content/getting-started/create-an-account.de.md", cwd=center)
    assert marked.returncode == 0, marked.stderr
    assert status()["stale"] == []
    translation = center / "content/getting-started/create-an-account.de.md"
    assert f'translated_from: "{stale[0]["current"]}"' in translation.read_text()
    assert run_kbgen("build", cwd=center).returncode == 0
    source.write_text(source.read_text().replace("a strong password", "a strong pasword"))
    assert len(status()["stale"]) == 1
    minor = run_kbgen("translations", "minor-edit",
                      "content/getting-started/create-an-account.md", cwd=center)
    assert minor.returncode == 0, minor.stderr
    assert "create-an-account.de.md: translated_from" in minor.stdout
    assert status()["stale"] == []
    bad = run_kbgen("translations", "mark-current", "content/faq/general-faq.md", cwd=center)
    assert bad.returncode == 2 and "is not a translation" in bad.stderr


def test_german_events_show_in_the_reports_language_breakdown(center, tmp_path):
    import json
    import urllib.parse
    import urllib.request
    import uuid

    from api_helpers import BROWSER, free_port, start_api

    assert run_kbgen("build", cwd=center).returncode == 0
    db = tmp_path / "events.db"
    port = free_port()
    api = start_api(center / "mkdocs.yml", db, port, tmp_path / "api.log")
    base = f"http://127.0.0.1:{port}"
    headers = {"user-agent": BROWSER, "origin": "https://help.example.com",
               "content-type": "text/plain;charset=UTF-8"}

    def post(events):
        request = urllib.request.Request(base + "/api/events", json.dumps(events).encode(),
                                         headers)
        with urllib.request.urlopen(request) as response:
            return response.status

    try:
        german, english = "s-de-1", "s-en-1"
        assert post([
            {"id": str(uuid.uuid4()), "type": "view", "session": german,
             "article": "create-an-account", "lang": "de"},
            {"id": str(uuid.uuid4()), "type": "vote", "session": german,
             "article": "create-an-account", "helpful": True, "lang": "de"},
            {"id": str(uuid.uuid4()), "type": "search", "session": german,
             "query": "Kündigung", "results": 0, "source": "site", "lang": "de"},
            {"id": str(uuid.uuid4()), "type": "view", "session": english,
             "article": "first-steps"},
            {"id": str(uuid.uuid4()), "type": "vote", "session": english,
             "article": "first-steps", "helpful": False},
        ]) == 200
        bad = urllib.request.Request(base + "/api/events", json.dumps(
            {"id": str(uuid.uuid4()), "type": "view", "session": german,
             "article": "create-an-account", "lang": "Deutsch!"}).encode(), headers)
        try:
            urllib.request.urlopen(bad)
            raise AssertionError("a bad lang was accepted")
        except urllib.error.HTTPError as exc:
            assert exc.code == 422 and "lang" in exc.read().decode()
        # The help API's search answers in German and records the search as German.
        query = urllib.parse.urlencode({"q": "Zahlungen", "lang": "de", "session": german})
        with urllib.request.urlopen(urllib.request.Request(
                f"{base}/api/search?{query}", headers=headers)) as response:
            found = json.loads(response.read())
        assert [r["url"] for r in found["results"]] == ["de/getting-started/create-an-account/"]
        for _ in range(50):  # the search event is committed beside the answer
            report = run_kbgen("report", "--format", "json", "--db", f"sqlite:///{db}",
                               cwd=center)
            rows = {r["lang"]: r for r in json.loads(report.stdout)["languages"]}
            if rows["de"]["searches"] == 2:
                break
    finally:
        api.terminate()
        api.wait(10)
    de, en = rows["de"], rows["en"]
    assert (de["helpful"], de["not_helpful"], de["csat"]) == (1, 0, 1.0)
    assert (en["helpful"], en["not_helpful"], en["csat"]) == (0, 1, 0.0)
    assert de["searches"] == 2 and de["zero_results"] == 1 and en["searches"] == 0
    assert de["help_sessions"] == 1 and de["deflection_rate"] == 1.0
    # Coverage weighed by traffic: 1 of 3 articles translated, holding 1 of 2 views.
    assert de["coverage"]["translated"] == 1 and de["coverage"]["views_share"] == 0.5
    assert de["coverage"]["top"]["20"] == 1 / 3
    assert en["coverage"] is None
    table = run_kbgen("report", "--db", f"sqlite:///{db}", cwd=center).stdout
    assert "Languages" in table and "de " in table
    page = tmp_path / "report.html"
    html = run_kbgen("report", "--db", f"sqlite:///{db}", "--format", "html", "--out",
                     str(page), cwd=center)
    assert html.returncode == 0, html.stderr
    dashboard = _one_line(page.read_text())
    assert "<h2>Languages</h2>" in dashboard and "1 of 3" in dashboard


def test_the_sample_has_german_translations_one_of_them_stale(sample_site):
    import json

    result = run_kbgen("translations", "--format", "json", cwd=sample_site)
    assert result.returncode == 0, result.stderr
    status = json.loads(result.stdout)
    assert status["languages"] == ["en", "de"]
    assert [(s["id"], s["file"]) for s in status["stale"]] == [
        ("reset-password", "content/account/reset-password.de.md")]
    translated = {p.name for p in (sample_site / "content").glob("*/*.de.md")}
    assert len(translated) >= 12
    types = set()
    for path in (sample_site / "content").glob("*/*.de.md"):
        types.add(next((line.split(":", 1)[1].strip() for line in
                        path.with_name(path.name.replace(".de.md", ".md")).read_text()
                        .splitlines() if line.startswith("type:")), "article"))
    assert types == {"article", "faq", "troubleshooting"}
    stale = _one_line(_html(sample_site, "de/account/reset-password"))
    assert "Diese Übersetzung ist älter als das Original" in stale
    current = _one_line(_html(sample_site, "de/payments/refunds"))
    assert "Diese Übersetzung ist älter" not in current and '<html lang="de"' in current


def test_a_translation_linking_to_an_english_article_that_has_a_translation(center):
    folder = center / "content" / "getting-started"
    assert run_kbgen("check", "--strict", cwd=center).returncode == 0  # first-steps: English only
    site = load_content(center / "content", root=center)
    _write(folder / "first-steps.de.md",
           "---\nid: first-steps\ntitle: Ihre ersten Schritte\ndescription: Los geht's.\n"
           f"translated_from: \"{article_revision(site.by_id['first-steps'])}\"\n---\n\n"
           "## Loslegen\n\nText\n")
    result = run_kbgen("check", cwd=center)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out  # a warning, not an error
    assert ("content/getting-started/create-an-account.de.md:15: warning: link "
            "'first-steps.md' opens the en article, but it has a translation into 'de' Fix: "
            "link 'first-steps.de.md' so readers stay in their language") in out
    assert run_kbgen("check", "--strict", cwd=center).returncode == 1


def test_search_tests_of_a_language_run_against_its_own_index(center):
    assert run_kbgen("build", cwd=center).returncode == 0
    _write(center / "content" / "search-tests.de.yml",
           "- query: die registrierungsseite\n  expect: create-an-account\n"
           "- query: erste schritte\n  expect: first-steps\n"
           "- query: rechnungen\n  expect: create-an-account\n  top: 1\n")
    result = run_kbgen("check", cwd=center)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    # a word only the German article has finds it: the German index answered ...
    assert "search-tests.de.yml:1" not in out and "registrierungsseite" not in out
    # ... an article without a German translation cannot be expected ...
    assert ('search-tests.de.yml:3: query "erste schritte" expects "first-steps", which is '
            "not an article translated into 'de'; use the id of a translated article") in out
    assert "search-tests.de.yml:5" not in out  # "rechnungen" (Rechnungen) finds it first
    assert not (center / "site" / "search-tests.de.yml").exists()
    assert not (center / "site" / "de" / "search-tests.de.yml").exists()
