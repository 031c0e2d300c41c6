"""Analytics back into the site: `kbgen stats export`, the stats_file plugin option, and
`kbgen check`'s evidence-triggered review warnings."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from kbgen.errors import KbgenError
from kbgen.stats_file import load
from kbgen.store import open_store
from tests.conftest import MINIMAL_CONFIG, article_front, run_kbgen, write_article

HOUR_MS = 3_600_000


def stats_entry(helpful: int, not_helpful: int, csat_lower: float | None, deflected: int,
                sessions: int) -> dict:
    return {"helpful": helpful, "not_helpful": not_helpful, "csat_lower": csat_lower,
            "deflected_sessions": deflected, "view_sessions": sessions}


def write_stats(root: Path, articles: dict) -> Path:
    path = root / "stats.json"
    path.write_text(json.dumps({"kind": "kbgen-stats", "version": 1, "window": {},
                                "generated": "2026-11-24T00:00:00Z", "articles": articles}))
    return path


def site_with_stats(make_site, articles: dict, **options) -> Path:
    extra = "".join(f"      {key}: {value}\n" for key, value in options.items())
    root = make_site(MINIMAL_CONFIG + "      stats_file: stats.json\n" + extra)
    for article_id in ("refunds", "invoices", "exports", "login"):
        write_article(root, f"billing/{article_id}.md", article_front(article_id))
    write_stats(root, articles)
    return root


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_export_counts_votes_and_deflected_sessions_per_article(tmp_path):
    ago = int(time.time() * 1000) - 5 * HOUR_MS

    def ev(n, kind, session, minutes, **fields):
        return {"id": f"e{n}", "type": kind, "ts": ago + minutes * 60_000, "session": session,
                **fields}

    store = open_store(f"sqlite:///{tmp_path / 'kb.db'}")
    store.add_events([
        ev(1, "view", "s1", 0, article="refunds"),
        ev(2, "vote", "s1", 1, article="refunds", helpful=True),
        ev(3, "view", "s2", 0, article="refunds"),
        ev(4, "vote", "s2", 1, article="refunds", helpful=True),
        ev(5, "vote", "s2", 2, article="refunds", helpful=False),  # replaces s2's yes
        ev(6, "contact", "s2", 3, stage="submit"),  # s2 read, then contacted: not deflected
        ev(7, "view", "s3", 0, article="refunds"),
    ])
    store.close()
    out = tmp_path / "stats.json"
    result = run_kbgen("stats", "export", "--db", f"sqlite:///{tmp_path / 'kb.db'}",
                       "--out", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Wrote stats for 1 article(s)" in result.stderr
    refunds = json.loads(out.read_text())["articles"]["refunds"]
    assert {k: refunds[k] for k in ("helpful", "not_helpful", "deflected_sessions",
                                    "view_sessions")} == {
        "helpful": 1, "not_helpful": 1, "deflected_sessions": 2, "view_sessions": 3}
    assert refunds["csat_lower"] == pytest.approx(0.0945, abs=1e-4)  # Wilson 95 %, 1 of 2
    assert load(out)["refunds"].votes == 2


def test_article_pages_show_helpful_votes_above_the_threshold(make_site):
    root = site_with_stats(make_site, {
        "refunds": stats_entry(7, 2, 0.45, 30, 40),
        "invoices": stats_entry(2, 0, 0.34, 5, 9),  # 2 votes: under the threshold
    }, helpful_threshold=5)
    result = run_kbgen("build", cwd=root)
    assert result.returncode == 0, result.stderr
    refunds = text_of((root / "site/billing/refunds/index.html").read_text())
    assert "7 of 9 found this helpful" in refunds
    invoices = text_of((root / "site/billing/invoices/index.html").read_text())
    assert "found this helpful" not in invoices


def test_home_lists_popular_articles_by_deflected_sessions(make_site):
    root = site_with_stats(make_site, {
        "refunds": stats_entry(7, 2, 0.45, 3, 40),
        "invoices": stats_entry(2, 0, 0.34, 12, 20),
        "exports": stats_entry(0, 0, None, 7, 7),
        "login": stats_entry(0, 0, None, 0, 4),  # nothing deflected: not popular
        "gone": stats_entry(0, 0, None, 99, 99),  # no longer published
    })
    assert run_kbgen("build", cwd=root).returncode == 0
    home = (root / "site/index.html").read_text()
    popular = home.split("Popular articles", 1)[1].split("Recently updated", 1)[0]
    assert re.findall(r"Title of (\w+)", popular) == ["invoices", "exports", "refunds"]


def test_category_pages_list_their_popular_articles_by_deflected_sessions(make_site):
    root = site_with_stats(make_site, {
        "refunds": stats_entry(7, 2, 0.45, 3, 40),
        "invoices": stats_entry(2, 0, 0.34, 12, 20),
        "login": stats_entry(0, 0, None, 0, 4),  # nothing deflected: not popular
    })
    write_article(root, "account/password.md", article_front("password"))
    assert run_kbgen("build", cwd=root).returncode == 0
    billing = (root / "site/billing/index.html").read_text()
    popular = billing.split("Popular in", 1)[1].split("</section>", 1)[0]
    assert re.findall(r"Title of (\w+)", popular) == ["invoices", "refunds"]
    # No evidence for the account category: no made-up popular list there.
    assert "Popular in" not in (root / "site/account/index.html").read_text()


def test_check_warns_about_articles_with_a_low_csat_lower_bound(make_site):
    root = site_with_stats(make_site, {
        "refunds": stats_entry(3, 9, 0.09, 10, 50),
        "invoices": stats_entry(1, 2, 0.06, 1, 5),  # 3 votes: too few to judge
        "exports": stats_entry(40, 2, 0.84, 20, 30),
    }, review_csat_below=0.6)
    result = run_kbgen("check", cwd=root)
    assert result.returncode == 0, result.stderr  # a warning, not a failure
    warnings = [line for line in result.stderr.splitlines() if "evidence-triggered" in line]
    assert len(warnings) == 1
    assert warnings[0].startswith("content/billing/refunds.md: evidence-triggered review")
    assert "3 of 12 readers found it helpful (CSAT lower bound 0.09 < 0.60)" in warnings[0]
    assert "review the article and read its feedback" in warnings[0]


def test_a_broken_stats_file_is_named_with_its_field(make_site, tmp_path):
    root = site_with_stats(make_site, {"refunds": stats_entry(-1, 0, None, 0, 0)})
    result = run_kbgen("build", cwd=root)
    assert result.returncode != 0
    assert "stats.json': articles.refunds.helpful must be a whole number >= 0" in result.stderr
    with pytest.raises(KbgenError, match="does not exist. Fix: run `kbgen stats export"):
        load(tmp_path / "missing.json")
