"""`kbgen demo`: seeded traffic that makes a report with clear winners, losers and gaps."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from analytics_helpers import write_project
from click.testing import CliRunner

from kbgen.analytics import Manifest
from kbgen.cli import cli
from kbgen.demo import demo_events

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def manifest(n: int = 20) -> dict:
    return {"site_name": "Demo", "articles": [
        {"id": f"article-{i:02d}", "title": f"How to do thing number {i}",
         "category": "billing" if i % 2 else "account", "owner": "ana"} for i in range(n)
    ], "categories": []}


def test_same_seed_same_events_other_seed_other_events():
    m = Manifest(articles={a["id"]: a for a in manifest()["articles"]})
    first = demo_events(m, seed=7, days=5, now=NOW)
    assert first == demo_events(m, seed=7, days=5, now=NOW)
    assert first != demo_events(m, seed=8, days=5, now=NOW)
    assert first[0]["ts"] >= "2026-11-19" and first[-1]["ts"] < "2026-11-24"


def test_demo_needs_a_built_manifest(tmp_path):
    config = write_project(tmp_path, manifest=None)
    result = CliRunner().invoke(cli, ["demo", "-f", str(config)])
    assert result.exit_code == 1
    assert "run `kbgen build` first" in result.output and "Traceback" not in result.output


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    config = write_project(root, manifest())
    runner = CliRunner()
    result = runner.invoke(cli, ["demo", "-f", str(config), "--seed", "3"])
    assert result.exit_code == 0, result.output
    again = runner.invoke(cli, ["demo", "-f", str(config), "--seed", "3"])
    report = json.loads(runner.invoke(cli, ["report", "-f", str(config), "--format", "json"])
                        .stdout)
    return result.output, again.output, report


def test_demo_prints_what_it_wrote_and_is_idempotent(demo_report):
    first, again, report = demo_report
    written = int(first.split()[1].replace(",", ""))
    assert written > 5000 and report["events"] == written
    assert "Prepared report rollups for 30 days in" in first  # the first report reads them
    assert again.startswith("Wrote 0 demo events")


def test_demo_report_has_good_and_bad_articles_and_gaps(demo_report):
    _, _, report = demo_report
    rated = [a for a in report["articles"] if a["votes"] >= 20]
    assert any(a["csat_lower"] > 0.75 for a in rated), "no clearly good article"
    assert any(a["csat"] < 0.4 and a["contact_after_view"] > 0.25 for a in rated), \
        "no clearly bad article"
    gaps = [s for s in report["searches"] if s["zero_results"] == s["count"] >= 5]
    assert len(gaps) >= 3
    site = report["site"]
    assert 0 < site["contact_sessions"] < site["help_sessions"]
    assert site["nps"] is not None and report["feedback"]


def test_readers_of_translations_have_their_language():
    articles = {a["id"]: a for a in manifest()["articles"]}
    for article_id in ("article-01", "article-02", "article-03"):
        articles[article_id]["translations"] = {"de": "current"}
    events = demo_events(Manifest(articles=articles, languages=["en", "de"]), seed=2, days=7,
                         now=NOW)
    german = [e for e in events if e.get("lang") == "de"]
    assert 0.05 < len({e["session"] for e in german}) / len({e["session"] for e in events}) < 0.2
    # they read only what is translated, and a German session stays German
    assert {e["article"] for e in german if "article" in e} <= {
        "article-01", "article-02", "article-03"}
    sessions = {e["session"] for e in german}
    assert all(e.get("lang") == "de" for e in events if e["session"] in sessions)
    assert {e["query"] for e in german if e["type"] == "search"} <= {
        "Lohnabrechnung", "Lagerbestand", "Bitcoin"}
    # one language only: no event carries `lang`
    single = demo_events(Manifest(articles={a["id"]: a for a in manifest()["articles"]}),
                         seed=2, days=7, now=NOW)
    assert not any("lang" in e for e in single)
