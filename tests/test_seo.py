"""What search engines and link previews read in the built sample help center: titles, meta
descriptions from front matter, canonical URLs, lang, Open Graph, JSON-LD, robots meta,
sitemap.xml and robots.txt."""

from __future__ import annotations

import gzip
import html.parser
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kbgen.content import load_content

REPO = Path(__file__).resolve().parent.parent
SITE_URL = "https://help.pennant.example/"


class Head(html.parser.HTMLParser):
    """The parts of a page a crawler reads: <html lang>, title, meta, links, JSON-LD."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.lang = None
        self.titles: list[str] = []
        self.meta: dict[str, list[str]] = {}
        self.canonical: list[str] = []
        self.jsonld: list[dict] = []
        self.summary_links = 0
        self.images_without_alt = 0
        self._in: str | None = None
        self._summary = 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "meta" and (a.get("name") or a.get("property")):
            self.meta.setdefault(a.get("name") or a.get("property"), []).append(a.get("content"))
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonical.append(a["href"])
        elif tag == "img" and not a.get("alt") and a.get("alt") != "":
            self.images_without_alt += 1
        elif tag == "summary":
            self._summary += 1
        elif tag == "a" and self._summary:
            self.summary_links += 1
        if tag == "title" or (tag == "script" and a.get("type") == "application/ld+json"):
            self._in = tag

    def handle_endtag(self, tag):
        if tag == "summary":
            self._summary -= 1
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.titles.append(data.strip())
        elif self._in == "script":
            self.jsonld.append(json.loads(data))

    def one(self, name: str) -> str:
        values = self.meta.get(name, [])
        assert len(values) == 1, f"expected one <meta {name}>, found {values}"
        return values[0]

    def types(self) -> list[str]:
        return [item["@type"] for item in self.jsonld]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("seo")
    shutil.copytree(REPO / "content", root / "content",
                    ignore=shutil.ignore_patterns("search-tests.yml"))
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    result = subprocess.run([sys.executable, "-m", "kbgen", "build"], cwd=root,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="module")
def content(built):
    return load_content(built / "content", root=built)


def head(built: Path, url: str) -> Head:
    return Head((built / "site" / url / "index.html").read_text(encoding="utf-8"))


def test_articles_have_title_description_canonical_and_open_graph(built, content):
    for article in content.published():
        page = head(built, article.url)
        where = f"{article.src} ({article.url})"
        assert page.lang == "en", where
        assert page.titles == [f"{article.title} - Pennant Help Center"], where
        assert page.one("description") == article.description, where
        assert page.canonical == [SITE_URL + article.url], where
        assert page.one("og:url") == SITE_URL + article.url, where
        assert page.one("og:title") == article.title, where
        assert page.one("og:description") == article.description, where
        assert page.one("og:type") == "article", where
        assert "robots" not in page.meta, where
        assert page.images_without_alt == 0, where


def test_articles_carry_breadcrumbs_and_article_or_faq_json_ld(built, content):
    for article in content.published():
        page = head(built, article.url)
        crumbs = next(item for item in page.jsonld if item["@type"] == "BreadcrumbList")
        names = [entry["name"] for entry in crumbs["itemListElement"]]
        assert names[0] == "Help Center" and names[-1] == article.title, article.src
        assert crumbs["itemListElement"][-1]["item"] == SITE_URL + article.url
        if article.type == "faq":
            faq = next(item for item in page.jsonld if item["@type"] == "FAQPage")
            questions = [q["name"] for q in faq["mainEntity"]]
            assert questions == [entry.question for entry in article.faq_entries()]
            assert all(q["acceptedAnswer"]["text"] for q in faq["mainEntity"]), article.src
            assert page.summary_links == 0, f"{article.src}: a link inside a FAQ <summary>"
        else:
            entry = next(item for item in page.jsonld if item["@type"] == "Article")
            assert entry["headline"] == article.title and entry["url"] == SITE_URL + article.url


def test_home_and_category_pages(built, content):
    home = head(built, "")
    assert home.titles == ["Pennant Help Center"]
    assert home.canonical == [SITE_URL] and home.one("og:type") == "website"
    assert home.one("description")
    site = next(item for item in home.jsonld if item["@type"] == "WebSite")
    assert site["potentialAction"]["target"] == SITE_URL + "search/?q={search_term_string}"
    for category in content.used_categories(False):
        page = head(built, f"{category.slug}/")
        assert page.canonical == [f"{SITE_URL}{category.slug}/"], category.slug
        assert page.one("description") and page.titles, category.slug
        assert page.types() == ["BreadcrumbList"], category.slug
        assert "robots" not in page.meta, category.slug


def test_404_search_and_redirects_are_not_indexed(built, content):
    missing = Head((built / "site" / "404.html").read_text(encoding="utf-8"))
    assert missing.one("robots") == "noindex"
    assert missing.canonical == [] and missing.titles == ["Page not found - Pennant Help Center"]
    assert head(built, "search/").one("robots") == "noindex"
    moved = [(old, a) for a in content.published() for old in a.redirect_from]
    assert moved, "the sample content should have at least one redirect_from"
    for old, article in moved:
        page = head(built, old.strip("/"))
        assert page.one("robots") == "noindex" and page.canonical == [SITE_URL + article.url]


def test_sitemap_lists_indexable_pages_and_robots_points_to_it(built, content):
    site = built / "site"
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode() == sitemap
    for article in content.articles:
        listed = f"<loc>{SITE_URL}{article.url}</loc>" in sitemap
        assert listed == (article.status == "published"), article.src
    assert f"<loc>{SITE_URL}</loc>" in sitemap and f"<loc>{SITE_URL}search/</loc>" not in sitemap
    robots = (site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "Allow: /" in robots and f"Sitemap: {SITE_URL}sitemap.xml" in robots
    assert "Disallow: /" not in robots
