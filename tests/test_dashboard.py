"""What the dashboard tells a support lead first: the ranking by contacts not prevented, the
legend, article links, dates in words and partial weeks (issue 19). Real events in a real
SQLite store, the real report; the browser half is test_dashboard_browser.py."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from analytics_helpers import NOVEMBER, contact, manifest_from, new_store, view, vote

from kbgen.analytics import build_report, make_window
from kbgen.reports import ArticleLinks, dates, render_csv, render_html, render_table

# Two articles as the issue found them: "Delete your account" read by many, 95% CSAT and
# 1.8% contact after view; "Reconcile" read by few, 15% CSAT and 40.5% contact after view.
MANIFEST = {
    "site_name": "Pennant Help", "site_url": None,
    "articles": [
        {"id": "delete-account", "title": "Delete your Pennant account",
         "url": "account/delete/", "src": "account/delete.md", "category": "account"},
        {"id": "reconcile", "title": "Reconcile bank transactions",
         "url": "expenses/reconcile/", "src": "expenses/reconcile.md", "category": "expenses"},
    ],
    "categories": [{"slug": "account", "title": "Account and security"},
                   {"slug": "expenses", "title": "Expenses"}],
}


def sessions(article: str, n: int, contacted: int, yes: int, no: int, start: int) -> list:
    """`n` sessions read `article`; the first `contacted` then contact support; `yes` + `no`
    of them vote."""
    log = []
    for i in range(n):
        s = f"{article}-{i}"
        minutes = start + i * 3
        log.append(view(s, minutes, article))
        if i < yes + no:
            log.append(vote(s, minutes + 1, article, i >= no))
        if i < contacted:
            log.append(contact(s, minutes + 2))
    return log


@pytest.fixture
def report(tmp_path):
    log = sessions("delete-account", 606, 11, 192, 10, 0)
    log += sessions("reconcile", 37, 15, 2, 11, 5000)
    store = new_store(tmp_path, log)
    try:
        yield build_report(store, NOVEMBER, manifest_from(MANIFEST, tmp_path))
    finally:
        store.close()


def test_the_article_that_fails_the_most_readers_ranks_first(report):
    rows = {a["id"]: a for a in report["articles"]}
    delete, reconcile = rows["delete-account"], rows["reconcile"]
    assert round(delete["csat"], 2) == 0.95 and round(delete["contact_after_view"], 3) == 0.018
    assert round(reconcile["csat"], 2) == 0.15 and round(reconcile["contact_after_view"], 3) \
        == 0.405
    # contacts after reading + "No" votes
    assert delete["contacts_not_prevented"] == 11 + 10
    assert reconcile["contacts_not_prevented"] == 15 + 11
    page = render_html(report)
    order = re.findall(r'<table class="sortable" id="articles">.*?</table>', page, re.S)[0]
    assert order.index("Reconcile bank transactions") < order.index("Delete your Pennant")
    table = render_table(report)
    assert table.index("Reconcile bank transactions") < table.index("Delete your Pennant")
    csv_rows = render_csv(report).splitlines()
    assert csv_rows[1].startswith("reconcile,") and csv_rows[2].startswith("delete-account,")
    assert "contacts_not_prevented" in csv_rows[0]


def test_the_legend_explains_the_ranking_and_the_red_titles(report):
    page = render_html(report)
    legend = re.search(r'<div class="legend" id="legend">(.*?)</div>', page, re.S)[1]
    assert "Not prevented" in legend and "“No” votes" in legend
    assert "Red title" in legend and "CSAT lower bound under 50%" in legend
    # the red title carries a word too, not only a colour
    row = re.search(r'<tr class="low-csat">(.*?)</tr>', page, re.S)[1]
    assert "Reconcile bank transactions" in row and "low CSAT" in row
    assert page.count('<tr class="low-csat">') == 1  # Delete your account is not flagged


def test_window_and_weeks_are_in_words_and_partial_weeks_are_marked(report):
    page = render_html(report)
    assert "1–30 Nov 2026" in page and "2026-11-01T00:00:00Z</" not in page
    weeks = report["trends"]
    # November 2026: Sun 1 Nov is the last day of the week of 26 Oct; Mon 30 Nov starts one
    assert weeks[0]["week"] == "2026-10-26" and weeks[0]["days"] == 1
    assert weeks[-1]["week"] == "2026-11-30" and weeks[-1]["days"] == 1
    assert [w["days"] for w in weeks[1:-1]] == [7, 7, 7, 7]
    assert "26 Oct – 1 Nov 2026 (partial: 1 of 7 days)" in page
    assert "2–8 Nov 2026</td>" in page
    assert page.count(">partial</text>") == 2  # the chart marks both partial weeks


@pytest.mark.parametrize("since, until, text", [
    ("2026-10-01", "2026-11-01", "1–31 Oct 2026"),
    ("2026-11-07", "2026-12-08", "7 Nov – 7 Dec 2026"),
    ("2025-12-28", "2026-01-04", "28 Dec 2025 – 3 Jan 2026"),
    ("2026-12-07", "2026-12-08", "7 Dec 2026"),
    ("2026-12-07T10:00:00Z", "2026-12-08", "7 Dec 2026 10:00 – 8 Dec 2026 00:00 UTC"),
])
def test_windows_read_as_dates(since, until, text):
    window = make_window(since, until).as_dict()
    assert dates.window(window["since"], window["until"]).startswith(text)


def test_the_previous_window_reads_as_dates():
    assert dates.previous_window("2026-11-07T00:00:00Z", "2026-12-08T00:00:00Z") \
        == "7 Oct – 6 Nov 2026"


def test_inbox_times_have_one_precision():
    assert dates.moment("2026-12-06T06:19:49.123Z") == "6 Dec 2026 06:19"
    assert dates.moment("2026-12-06T06:19:00Z") == "6 Dec 2026 06:19"


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.hrefs += [value for name, value in attrs if tag == "a" and name == "href"]


def built_site(root: Path) -> Path:
    for url in ("account/delete/", "expenses/reconcile/"):
        page = root / "site" / url / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text("<h1>page</h1>", encoding="utf-8")
    return root / "site"


def test_links_reach_the_built_pages_beside_the_dashboard(report, tmp_path):
    site = built_site(tmp_path)
    out_dir = tmp_path / "reports"
    links = ArticleLinks(site_dir=site, out_dir=out_dir, docs_prefix="content/")
    page = Links()
    page.feed(render_html(report, links))
    assert "../site/expenses/reconcile/index.html" in page.hrefs
    for href in page.hrefs:
        assert (out_dir / href).resolve().is_file(), href
    assert "<code>content/expenses/reconcile.md</code>" in render_html(report, links)


def test_links_use_site_url_and_keep_the_built_copy(report, tmp_path):
    site = built_site(tmp_path)
    links = ArticleLinks(site_url="https://help.example.com/docs/", site_dir=site,
                         out_dir=tmp_path)
    page = Links()
    page.feed(render_html(report, links))
    live = [h for h in page.hrefs if h.startswith("https://")]
    built = [h for h in page.hrefs if not h.startswith("https://")]
    assert "https://help.example.com/docs/expenses/reconcile/" in live
    assert "site/expenses/reconcile/index.html" in built
    for href in live:
        path = href.removeprefix("https://help.example.com/docs/")
        assert (site / path / "index.html").is_file(), href
    assert all((tmp_path / href).is_file() for href in built)


def test_no_link_to_a_page_that_was_not_built(report, tmp_path):
    links = ArticleLinks(site_dir=tmp_path / "site", out_dir=tmp_path)
    page = Links()
    page.feed(render_html(report, links))
    assert page.hrefs == []
