"""Search outcomes per query and `kbgen suggest`, as a support lead and a writer use them.

A help center made by `kbgen init` and built for real; events written here, imported with
`kbgen events import`; every command run as a `kbgen` process. Times are minutes after
T0 = Monday 2026-11-02 10:00 UTC.

    s1  "sign in" (2 results), "create account", clicks create-an-account (rank 2)
    s2  "Sign  In", "register" (0 results), "new account", clicks create-an-account (rank 1)
    s3  "sign in", contacts support 5 minutes later
    s4  "sign in", clicks first-steps from it (rank 3); "team", clicks first-steps (rank 1)
    s5  "sign in", contacts support 25 hours later (not "then contacted": over 24 hours)
    s6  next day: "sign in", "log in", clicks first-steps (rank 1)
    s7  "REGISTER " (0 results), "sign up", clicks create-an-account (rank 1)
    s8, s9    "refund: bank #2 & fees", "create account", click create-an-account (rank 1)
    s10, s11  "<script>alert(1)</script>", "new account", click create-an-account (rank 1)
    s12, s13  a phone number with an ANSI escape, "sign up", click create-an-account
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from backend_helpers import BACKENDS, Backend

from tests.conftest import run_kbgen

T0 = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
WINDOW = ("--since", "2026-11-01", "--until", "2026-12-01")
SCRIPT = "<script>alert(1)</script>"
PHONE = "call me 0612345678\x1b[31m"
SPECIAL = "refund: bank #2 & fees"

# The writer's own formatting: a comment line, a trailing comment, odd quoting, flow lists.
ACCOUNT_FRONT = """---
# Writers: keep the title short.
id: create-an-account
title: 'Create an account'   # shown in search results
description: "Sign up in two minutes with your work email address."
keywords: [sign up, "register", 'new account']
journey: purchase
owner: support-team
reviewed: {reviewed}
review_every: 180d
related: [first-steps]
---
"""


def events() -> list[dict]:
    log, n = [], 0

    def add(kind, session, minutes, **fields):
        nonlocal n
        n += 1
        ts = (T0 + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        log.append({"id": f"e{n:04d}", "type": kind, "ts": ts, "session": session, **fields})

    def search(session, minutes, query, results):
        add("search", session, minutes, query=query, results=results, source="site")

    def click(session, minutes, query, article, rank):
        add("search_click", session, minutes, query=query, article=article, rank=rank)

    search("s1", 0, "sign in", 2)
    search("s1", 1, "create account", 3)
    click("s1", 2, "create account", "create-an-account", 2)
    search("s2", 0, "Sign  In", 2)
    search("s2", 1, "register", 0)
    search("s2", 2, "new account", 3)
    click("s2", 3, "new account", "create-an-account", 1)
    search("s3", 0, "sign in", 2)
    add("contact", "s3", 5, stage="submit")
    search("s4", 0, "sign in", 2)
    click("s4", 1, "sign in", "first-steps", 3)
    search("s4", 2, "team", 1)
    click("s4", 3, "team", "first-steps", 1)
    search("s5", 0, "sign in", 2)
    add("contact", "s5", 25 * 60, stage="submit")
    search("s6", 1440, "sign in", 2)
    search("s6", 1441, "log in", 1)
    click("s6", 1442, "log in", "first-steps", 1)
    search("s7", 0, "REGISTER ", 0)
    search("s7", 1, "sign up", 3)
    click("s7", 2, "sign up", "create-an-account", 1)
    for session, text, then in (("s8", SPECIAL, "create account"),
                                ("s9", SPECIAL, "create account"),
                                ("s10", SCRIPT, "new account"), ("s11", SCRIPT, "new account"),
                                ("s12", PHONE, "sign up"), ("s13", PHONE, "sign up")):
        search(session, 0, text, 1)
        search(session, 1, then, 3)
        click(session, 2, then, "create-an-account", 1)
    return log


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """`kbgen init`, the writer's formatting on two articles, `kbgen build`."""
    root = tmp_path_factory.mktemp("suggest") / "help"
    assert run_kbgen("init", str(root), cwd=root.parent).returncode == 0
    account = root / "content/getting-started/create-an-account.md"
    text = account.read_text()
    reviewed = next(line for line in text.split("\n") if line.startswith("reviewed:"))[10:]
    body = text.split("\n---\n", 1)[1]
    account.write_text(ACCOUNT_FRONT.format(reviewed=reviewed) + body)
    steps = root / "content/getting-started/first-steps.md"
    steps.write_text(steps.read_text().replace(
        "journey: use\n", "journey: use\nkeywords:\n  - getting going   # old wording\n"))
    result = run_kbgen("build", cwd=root)
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture
def center(built, tmp_path) -> Path:
    """A fresh copy of the built help center, with the events imported into SQLite."""
    root = tmp_path / "help"
    shutil.copytree(built, root)
    log = tmp_path / "events.jsonl"
    log.write_text("".join(json.dumps(e) + "\n" for e in events()))
    result = run_kbgen("events", "import", str(log), cwd=root)
    assert result.returncode == 0, result.stderr
    return root


SIGN_IN = {
    "query": "sign in", "count": 6, "zero_results": 0, "clicks": 1, "ctr": pytest.approx(1 / 6),
    "contacted": 1, "contact_rate": pytest.approx(1 / 6), "no_click": 5,
    "avg_click_rank": 3.0, "reformulated": 3,
    "reformulations": [{"article": "create-an-account", "sessions": 2},
                       {"article": "first-steps", "sessions": 1}],
}
CREATE_ACCOUNT = {
    "query": "create account", "count": 3, "zero_results": 0, "clicks": 3, "ctr": 1.0,
    "contacted": 0, "contact_rate": 0.0, "no_click": 0,
    "avg_click_rank": pytest.approx(4 / 3), "reformulated": 0, "reformulations": [],
}
REGISTER = {
    "query": "register", "count": 2, "zero_results": 2, "clicks": 0, "ctr": 0.0,
    "contacted": 0, "contact_rate": 0.0, "no_click": 0, "avg_click_rank": None,
    "reformulated": 2, "reformulations": [{"article": "create-an-account", "sessions": 2}],
}


@pytest.mark.parametrize("backend", BACKENDS)
def test_report_json_and_csv_give_search_outcomes_per_query(backend, tmp_path, built):
    db = Backend(backend, tmp_path)
    try:
        url = db.url()
        log = tmp_path / "events.jsonl"
        log.write_text("".join(json.dumps(e) + "\n" for e in events()))
        imported = run_kbgen("events", "import", str(log), "--db", url, cwd=built)
        assert imported.returncode == 0, imported.stderr
        for _ in range(2):  # the first report computes the day rollups, the second reads them
            result = run_kbgen("report", "--db", url, "--format", "json", *WINDOW, cwd=built)
            assert result.returncode == 0, result.stderr
            rows = {r["query"]: r for r in json.loads(result.stdout)["searches"]}
            assert rows["sign in"] == SIGN_IN
            assert rows["create account"] == CREATE_ACCOUNT
            assert rows["register"] == REGISTER
            assert rows["log in"]["avg_click_rank"] == 1.0 and rows["log in"]["no_click"] == 0
        table = run_kbgen("report", "--db", url, "--format", "csv", "--rows", "searches",
                          *WINDOW, cwd=built)
        assert table.returncode == 0, table.stderr
        parsed = {r["query"]: r for r in csv.DictReader(io.StringIO(table.stdout))}
        assert parsed["sign in"] == {
            "query": "sign in", "count": "6", "zero_results": "0", "clicks": "1",
            "ctr": "0.166667", "contacted": "1", "contact_rate": "0.166667", "no_click": "5",
            "avg_click_rank": "3", "reformulated": "3",
            "reformulated_to": "create-an-account:2 first-steps:1"}
        assert parsed[SCRIPT.lower()]["avg_click_rank"] == ""
    finally:
        db.close()


def test_report_table_and_html_show_the_outcomes(center):
    result = run_kbgen("report", *WINDOW, cwd=center)
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.split("\n") if line.startswith("  sign in "))
    assert line.split()[2:] == ["6", "0", "1", "17%", "1", "5", "3.0", "3"]
    assert "Searches  Zero Clicks   CTR Contact No click  Rank Reform" in result.stdout
    assert "  sign in → create-an-account (2), first-steps (1)" in result.stdout
    assert "\x1b" not in result.stdout
    html = run_kbgen("report", "--format", "html", *WINDOW, cwd=center).stdout
    assert "<button type=\"button\">Results, no click</button></th>" in html
    assert SCRIPT not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    wrong = run_kbgen("report", "--format", "json", "--rows", "searches", *WINDOW, cwd=center)
    assert wrong.returncode == 2 and "--rows only applies to --format csv" in wrong.stderr


def test_suggest_lists_keywords_and_tests_with_their_evidence(center):
    result = run_kbgen("suggest", "--min-sessions", "2", *WINDOW, cwd=center)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "at least 2 sessions each" in out
    block = out.split("create-an-account  (content/getting-started/create-an-account.md)")
    assert len(block) == 2
    assert '  + keyword "sign in"\n  + search test "sign in" -> create-an-account\n' \
           '    evidence: 2 session(s) searched "sign in", opened none of its results, then ' \
           "clicked this article from another search\n" in out
    # "register" is already a keyword: only the search test is proposed.
    assert '+ keyword "register"' not in out
    assert '  + search test "register" -> create-an-account' in out
    assert f'  + keyword "{SPECIAL}"' in out
    # first-steps has one reformulating session only; scripts and phone numbers never show.
    assert "first-steps  (" not in out
    assert "script" not in out and "0612345678" not in out and "\x1b" not in out
    assert "Left out: 1 with fewer than 2 sessions, 2 customer text(s)" in out
    assert out.count('  + ') == 5  # sign in, register (test only), the special phrase
    default = run_kbgen("suggest", *WINDOW, cwd=center)
    assert default.returncode == 0 and "at least 3 sessions each:\n  none." in default.stdout


def test_diff_is_a_valid_patch_and_apply_keeps_the_writers_formatting(center):
    account = center / "content/getting-started/create-an-account.md"
    before = account.read_text()
    diff = run_kbgen("suggest", "--min-sessions", "2", "--diff", *WINDOW, cwd=center)
    assert diff.returncode == 0, diff.stderr
    assert diff.stdout.startswith("--- a/content/getting-started/create-an-account.md\n")
    assert "--- /dev/null\n+++ b/content/search-tests.yml\n" in diff.stdout
    assert account.read_text() == before  # --diff writes nothing
    patch = center.parent / "suggest.patch"
    patch.write_text(diff.stdout)
    subprocess.run(["git", "init", "-q"], cwd=center, check=True)
    check = subprocess.run(["git", "apply", "--check", str(patch)], cwd=center,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    dry = subprocess.run(["patch", "-p1", "--dry-run", "-i", str(patch)], cwd=center,
                         capture_output=True, text=True)
    assert dry.returncode == 0, dry.stdout + dry.stderr

    applied = run_kbgen("suggest", "--min-sessions", "2", "--apply", *WINDOW, cwd=center)
    assert applied.returncode == 0, applied.stderr
    after = account.read_text()
    old_front, old_body = before.split("\n---\n", 1)
    new_front, new_body = after.split("\n---\n", 1)
    assert new_body == old_body
    changed = [(a, b) for a, b in zip(old_front.split("\n"), new_front.split("\n"),
                                      strict=True) if a != b]
    assert changed == [(
        "keywords: [sign up, \"register\", 'new account']",
        "keywords: [sign up, \"register\", 'new account', '" + SPECIAL + "', sign in]")]
    meta = yaml.safe_load(new_front.removeprefix("---\n"))
    assert meta["keywords"] == ["sign up", "register", "new account", SPECIAL, "sign in"]
    tests = yaml.safe_load((center / "content/search-tests.yml").read_text())
    assert {(t["query"], t["expect"]) for t in tests} == {
        ("sign in", "create-an-account"), ("register", "create-an-account"),
        (SPECIAL, "create-an-account")}
    # What --diff showed is exactly what --apply wrote.
    subprocess.run(["git", "apply", "-R", "--check", str(patch)], cwd=center, check=True)
    strict = run_kbgen("check", "--strict", cwd=center)
    assert strict.returncode == 0, strict.stderr
    again = run_kbgen("suggest", "--min-sessions", "2", *WINDOW, cwd=center)
    assert "  none." in again.stdout  # everything suggested is in place now


def test_block_lists_and_crlf_files_keep_their_layout(center):
    steps = center / "content/getting-started/first-steps.md"
    steps.write_bytes(steps.read_bytes().replace(b"\n", b"\r\n"))
    extra = center.parent / "more.jsonl"
    more = []
    for i in range(3):
        for j, (kind, fields) in enumerate((
                ("search", {"query": "onboarding", "results": 1, "source": "site"}),
                ("search", {"query": "first steps", "results": 2, "source": "site"}),
                ("search_click", {"query": "first steps", "article": "first-steps",
                                  "rank": 1}))):
            more.append({"id": f"m{i}{j}", "type": kind, "session": f"m{i}",
                         "ts": f"2026-11-10T10:0{j}:00.000Z", **fields})
    extra.write_text("".join(json.dumps(e) + "\n" for e in more))
    assert run_kbgen("events", "import", str(extra), cwd=center).returncode == 0
    applied = run_kbgen("suggest", "--apply", *WINDOW, cwd=center)
    assert applied.returncode == 0, applied.stderr
    data = steps.read_bytes()
    assert b"keywords:\r\n  - getting going   # old wording\r\n  - onboarding\r\n" in data
    assert data.count(b"\n") == data.count(b"\r\n")
    assert run_kbgen("check", "--strict", cwd=center).returncode == 0


def test_usage_errors_exit_2_without_traceback(center):
    both = run_kbgen("suggest", "--diff", "--apply", cwd=center)
    assert both.returncode == 2 and "cannot be combined" in both.stderr
    bad = run_kbgen("suggest", "--min-sessions", "0", cwd=center)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    shutil.rmtree(center / ".kbgen" / "search-index")
    missing = run_kbgen("suggest", cwd=center)
    assert missing.returncode == 2 and "kbgen build" in missing.stderr
