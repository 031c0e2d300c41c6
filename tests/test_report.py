"""`kbgen report` as a user runs it: formats, window options, hostile text (THREATS 24-27)."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from analytics_helpers import contact, new_store, nps, search, view, vote, write_project
from click.testing import CliRunner

from kbgen.cli import cli
from kbgen.reports.csvout import neutralise
from kbgen.reports.page import SCRIPT, STYLE, csp_hash
from kbgen.reports.terminal import visible

HOSTILE = "<img src=x onerror=alert(1)></script ><script>alert(2)</script>{{7*7}}"
FORMULA = "=HYPERLINK(\"http://evil.example\",\"click\")"
ANSI = "\x1b[2J\x1b[31mred\u202eevil\r\nline"


def hostile_log():
    log = [view(f"v{i}", i, "reset-password") for i in range(6)]
    log += [vote(f"v{i}", i + 1, "reset-password", i < 2) for i in range(6)]
    log += [
        vote("h1", 0, "refunds", False, reason="other", comment=HOSTILE),
        vote("h2", 0, "refunds", False, reason="unclear", comment=ANSI),
        vote("h3", 0, "refunds", False, comment="javascript:alert(3)\u2028x"),
        search("h4", 0, FORMULA, 0), contact("h4", 1), nps("h4", 2, 10),
    ]
    return log


@pytest.fixture
def project(tmp_path):
    config = write_project(tmp_path)
    new_store(tmp_path / ".kbgen", hostile_log()).close()
    return config


def run(config, *args):
    result = CliRunner().invoke(
        cli, ["report", "-f", str(config), "--since", "2026-11-01", "--until", "2026-12-01",
              *args])
    return result


def test_json_has_specs_shape_and_values(project):
    result = run(project, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"window", "events", "site", "articles", "searches"}
    assert data["window"] == {"since": "2026-11-01T00:00:00Z", "until": "2026-12-01T00:00:00Z"}
    assert data["events"] == 18
    assert set(data["site"]) >= {"sessions", "help_sessions", "contact_sessions",
                                 "self_service_score", "deflection_rate",
                                 "contact_page_sessions", "contact_page_deflected", "nps"}
    assert data["site"]["nps"] == 100.0
    reset = next(a for a in data["articles"] if a["id"] == "reset-password")
    assert set(reset) >= {"id", "title", "category", "views", "view_sessions", "helpful",
                          "not_helpful", "csat", "csat_lower", "contact_after_view",
                          "deflection_rate", "deflected_sessions"}
    assert (reset["helpful"], reset["not_helpful"]) == (2, 4)
    assert data["searches"] == [{"query": FORMULA.lower(), "count": 1, "zero_results": 1,
                                 "clicks": 0, "ctr": 0.0, "contacted": 1, "contact_rate": 1.0,
                                 "no_click": 0, "avg_click_rank": None, "reformulated": 0,
                                 "reformulations": []}]
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout


def test_table_escapes_control_and_bidi_characters(project):
    result = run(project)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "\x1b" not in out and "\u202e" not in out and "\r" not in out
    assert "\\x1b[2J\\x1b[31mred\\u202eevil\\x0d\\x0aline" in out
    assert "events read" in out and "1–30 Nov 2026 (UTC)" in out  # the window in words
    assert max(len(line) for line in out.splitlines()) <= 100


def test_table_shows_na_below_five_votes_and_percent_from_five(project):
    out = run(project).stdout
    refunds = next(line for line in out.splitlines() if line.startswith("Refunds"))
    reset = next(line for line in out.splitlines() if line.startswith("Reset your password"))
    # Article, Failed, Sessions, Votes, No, CSAT, Lower, ...
    cells = refunds.split()
    assert [cells[3], *cells[5:7]] == ["3", "n/a", "n/a"]  # 3 votes
    cells = reset.split()[2:]  # "Reset your password"
    assert [cells[3], *cells[5:7]] == ["6", "33%", "10%"]  # 6 votes: 2/6, Wilson 0.0968


def test_csv_is_one_row_per_article_and_formula_safe(project, tmp_path):
    out = tmp_path / "r.csv"
    result = run(project, "--format", "csv", "--out", str(out))
    assert result.exit_code == 0, result.output
    raw = out.read_bytes().decode("utf-8")
    assert raw.startswith("id,title,") and raw.count("\r\n") == 4  # header + 3 articles
    rows = list(csv.DictReader(io.StringIO(raw, newline="")))
    # most contacts not prevented first, as in the dashboard and the table
    assert [r["id"] for r in rows] == ["reset-password", "refunds", "never-read"]
    assert [r["contacts_not_prevented"] for r in rows] == ["4", "3", "0"]  # "No" votes here
    assert rows[0]["csat"] == "0.333333" and rows[1]["csat"] == "0" and rows[2]["csat"] == ""


@pytest.mark.parametrize("text, expected", [
    ("=1+2", "'=1+2"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("plain", "plain"), (" =x", " =x"), (3, 3),
])
def test_csv_neutralises_formula_starts(text, expected):
    assert neutralise(text) == expected


def test_csv_quotes_per_rfc_4180(tmp_path):
    from kbgen.reports.csvout import render_csv

    report = {"articles": [{"id": "a", "title": "=Say \"hi\"\nnext line", "views": 1}]}
    text = render_csv(report)
    assert '"\'=Say ""hi""\nnext line"' in text
    assert list(csv.reader(io.StringIO(text, newline="")))[1][1] == "'=Say \"hi\"\nnext line"


def test_html_is_inert_self_contained_and_has_a_csp(project, tmp_path):
    out = tmp_path / "r.html"
    assert run(project, "--format", "html", "--out", str(out)).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "<img src=x" not in page and "<script>alert" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)[1]
    assert "default-src &#x27;none&#x27;" in policy and "unsafe-inline" not in policy
    assert csp_hash(SCRIPT).replace("'", "&#x27;") in policy
    assert csp_hash(STYLE).replace("'", "&#x27;") in policy
    assert not re.search(r"(src|href)=\"?(https?:)?//", page)  # nothing from a network
    island = re.search(r'<script type="application/json" id="report-data">(.*?)</script>',
                       page, re.S)[1]
    assert "<" not in island and ">" not in island and "&" not in island.replace("\\u0026", "")
    assert "\u2028" not in island and "\\u2028" in island
    assert json.loads(island)["feedback"][0]["comment"] in (HOSTILE, ANSI, "javascript:alert(3)"
                                                            "\u2028x")
    assert page.count("<script") == 2  # the data island and the hashed sorting script


def test_window_options_are_checked(project):
    bad = CliRunner().invoke(cli, ["report", "-f", str(project), "--since", "yesterday"])
    assert bad.exit_code == 2 and "--since 'yesterday' is not a date" in bad.output
    backwards = CliRunner().invoke(
        cli, ["report", "-f", str(project), "--since", "2026-12-01", "--until", "2026-11-01"])
    assert backwards.exit_code == 2 and "is not before --until" in backwards.output
    assert "Traceback" not in bad.output + backwards.output


def test_default_window_is_the_last_30_days_and_today(project):
    data = json.loads(CliRunner().invoke(
        cli, ["report", "-f", str(project), "--format", "json"]).stdout)
    since, until = data["window"]["since"], data["window"]["until"]
    assert since.endswith("T00:00:00Z") and until.endswith("T00:00:00Z")
    from datetime import datetime
    days = (datetime.fromisoformat(until) - datetime.fromisoformat(since)).days
    assert days == 31


def test_empty_database_reports_na_not_errors(tmp_path):
    config = write_project(tmp_path)
    result = CliRunner().invoke(cli, ["report", "-f", str(config)])
    assert result.exit_code == 0, result.output
    assert "0 events read" in result.stdout and "self-service score n/a" in result.stdout
    for fmt in ("json", "csv", "html"):
        assert CliRunner().invoke(cli, ["report", "-f", str(config), "--format", fmt]) \
            .exit_code == 0


def test_visible_escapes():
    assert visible("a\x1b[0mb\u202ec\u2066d\\") == "a\\x1b[0mb\\u202ec\\u2066d\\\\"
    assert visible("café 東京") == "café 東京"


def _every_string(value, text):
    """`value` with every string in it (at any depth, not the keys) replaced by `text`."""
    if isinstance(value, dict):
        return {key: _every_string(item, text) for key, item in value.items()}
    if isinstance(value, list):
        return [_every_string(item, text) for item in value]
    return text if isinstance(value, str) else value


def test_html_keeps_every_report_string_inert_whatever_the_field(project):
    """The dashboard escapes by construction (autoescaped templates): hostile text in any
    field of the report, not only the ones customers fill in today, adds no element."""
    from html.parser import HTMLParser

    from kbgen.reports import render_html

    report = json.loads(run(project, "--format", "json").stdout)
    report["next_actions"] = [{"action": "Fix", "title": "t", "link": "https://x.example/",
                               "article": "a", "source": "a.md", "contacts": 2,
                               "evidence": ["e"], "examples": ["x"]}]
    report["topics"] = [{"kind": "gap", "label": "l", "article": "a", "title": "t",
                         "source": "a.md", "examples": ["x"], "tickets": [1], "previous": 0,
                         "sessions": 1, "searches": 1, "comments": 1}]
    report["stale"] = [{"title": "t", "id": "a", "owner": "o", "reviewed": "r", "due": "d"}]
    report["rejections"] = {"bad_json": 2}
    hostile = _every_string(report, HOSTILE + '" onmouseover="alert(4)')
    hostile["rejections"] = {HOSTILE: 2}
    hostile["next_actions"][0]["link"] = "javascript:alert(5)"

    class Elements(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags, self.attributes, self.links = [], [], []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
            self.attributes += [name for name, _ in attrs]
            self.links += [value for name, value in attrs if name == "href"]

    page = Elements()
    page.feed(render_html(hostile))
    assert "img" not in page.tags and page.tags.count("script") == 2
    assert not {"onerror", "onmouseover"} & set(page.attributes)
    assert not [link for link in page.links if not link.startswith("https://")]
