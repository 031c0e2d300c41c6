"""The sample help center built for real with `kbgen build`, read back from disk."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.conftest import MINIMAL_CONFIG, article_front, run_kbgen, write_article


def page(root: Path, url: str) -> str:
    return (root / "site" / url / "index.html").read_text(encoding="utf-8")


def json_ld(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    return [json.loads(block) for block in blocks]


def test_home_lists_categories_with_counts_and_a_search_box(sample_site):
    html = page(sample_site, "")
    assert '<form class="kb-searchbox" role="search" action="search/"' in html
    assert 'href="billing/"><span class="kb-card__title">Plans and billing</span>' in html
    # every category card shows its count, and counts add up to the published articles
    counts = [int(n) for n in re.findall(r'kb-card__count">(\d+) article', html)]
    assert len(counts) == 9
    manifest = json.loads((sample_site / ".kbgen" / "manifest.json").read_text())
    assert sum(counts) == len(manifest["articles"]) == 62
    assert "Popular articles" in html and "Recently updated" in html


def test_category_page_lists_its_articles(sample_site):
    html = page(sample_site, "troubleshooting")
    assert "<h1>Troubleshooting</h1>" in html
    assert 'href="cant-log-in/"' in html
    assert "payment-declined/" in html


def test_article_page_has_breadcrumbs_meta_widget_related_and_contact(sample_site):
    html = page(sample_site, "account/reset-password")
    assert 'aria-label="Breadcrumb"' in html
    assert '<li><a href="../">Account and security</a></li>' in html
    assert '<meta name="description" content="' in html
    assert "Last updated <time datetime=" in html
    assert "Was this helpful?" in html and 'data-kb-vote="no"' in html
    assert "Still need help?" in html and "Contact support</a>" in html
    assert 'id="kb-related-title">Related articles' in html
    assert 'data-kb-article="reset-password"' in html
    assert '<link rel="canonical" href="https://help.pennant.example/account/reset-password/">' in html
    types = [block["@type"] for block in json_ld(html)]
    assert types == ["BreadcrumbList", "Article"]


def test_faq_questions_are_collapsible_with_faqpage_json_ld(sample_site):
    html = page(sample_site, "billing/billing-faq")
    questions = re.findall(r'<details class="kb-faq">\s*<summary><h2 id="([^"]+)"', html)
    assert len(questions) >= 5
    faq = [block for block in json_ld(html) if block["@type"] == "FAQPage"][0]
    assert len(faq["mainEntity"]) == len(questions)
    first = faq["mainEntity"][0]
    assert first["name"].endswith("?") and len(first["acceptedAnswer"]["text"]) > 20
    assert "<" not in first["acceptedAnswer"]["text"]
    assert "Was this helpful?" in html


def test_troubleshooting_page_renders_with_its_badge(sample_site):
    html = page(sample_site, "troubleshooting/cant-log-in")
    assert "kb-badge--troubleshooting" in html and "Was this helpful?" in html


def test_draft_not_built_and_archived_redirects(sample_site):
    assert not (sample_site / "site/invoices/invoice-templates-gallery").exists()
    archived = page(sample_site, "integrations/legacy-csv-import")
    assert 'http-equiv="refresh" content="0; url=../../invoices/import-clients/"' in archived
    moved = page(sample_site, "integrations/csv-import")
    assert "url=../../invoices/import-clients/" in moved


def test_sitemap_404_robots_and_offline(sample_site):
    sitemap = (sample_site / "site/sitemap.xml").read_text()
    assert "https://help.pennant.example/account/reset-password/" in sitemap
    assert "invoice-templates-gallery" not in sitemap
    assert (sample_site / "site/404.html").exists()
    assert "Sitemap: https://help.pennant.example/sitemap.xml" in (
        sample_site / "site/robots.txt").read_text()
    for path in (sample_site / "site").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, path


def test_navigation_does_not_list_every_article(sample_site):
    html = page(sample_site, "account/reset-password")
    nav = html.split('data-md-type="navigation"', 1)[1].split('data-md-type="toc"', 1)[0]
    assert "payment-declined" not in nav and "billing/" in nav
    assert len(html) < 40_000


def test_config_files_are_not_published(sample_site):
    assert not list((sample_site / "site").rglob("_category.yml"))
    assert not list((sample_site / "site").rglob("search-tests.yml"))


def test_drafts_flag_builds_drafts(make_site):
    root = make_site()
    write_article(root, "help/live.md", article_front("live"))
    write_article(root, "help/wip.md", article_front("wip", status="draft"))
    assert run_kbgen("build", cwd=root).returncode == 0
    assert not (root / "site/help/wip").exists()
    assert run_kbgen("build", "--drafts", cwd=root).returncode == 0
    assert "Draft: this article is not published." in page(root, "help/wip")


def test_failed_build_leaves_previous_site_untouched(make_site):
    root = make_site()
    write_article(root, "help/live.md", article_front("live"))
    assert run_kbgen("build", cwd=root).returncode == 0
    before = page(root, "help/live")
    write_article(root, "help/broken.md", "id: live\ntitle: Dup\ndescription: D")
    result = run_kbgen("build", cwd=root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "duplicate id 'live'" in result.stderr
    assert page(root, "help/live") == before
    assert not (root / "site/help/broken").exists()
    assert not [p for p in root.iterdir() if p.name.startswith(".site-")]


def test_plain_mkdocs_build_also_refuses_bad_front_matter(make_site):
    """MkDocs alone would turn bad front matter into body text; the plugin stops it."""
    import subprocess
    import sys

    root = make_site()
    write_article(root, "help/bad.md", 'id: bad\ntitle: "oops\ndescription: D')
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=root,
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "content/help/bad.md:3: error: invalid YAML" in result.stderr


def test_instant_navigation_is_dropped_for_large_help_centers(make_site, monkeypatch):
    """Material's instant navigation downloads the whole sitemap on the first page view."""
    from kbgen.mkdocs_plugin import plugin
    from kbgen.mkdocs_plugin.build import build_site

    root = make_site(MINIMAL_CONFIG.replace("  font: false\n",
                                            "  font: false\n  features: [navigation.instant]\n"))
    write_article(root, "help/one.md", article_front("one"))
    write_article(root, "help/two.md", article_front("two"))
    build_site(root / "mkdocs.yml")
    assert '"navigation.instant"' in page(root, "help/one")
    monkeypatch.setattr(plugin, "INSTANT_NAVIGATION_MAX_ARTICLES", 1)
    build_site(root / "mkdocs.yml")
    assert '"navigation.instant"' not in page(root, "help/one")
