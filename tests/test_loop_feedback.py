"""Revisions and the feedback inbox through real builds, `kbgen events import`, `kbgen
feedback` and `kbgen report`, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime, timedelta

import pytest
from backend_helpers import BACKENDS, Backend
from conftest import article_front, run_kbgen, write_article
from loop_helpers import import_events, make_help_center, manifest_rev, vote

COMMENT = "<b>Menu</b> is called *Preferences* now =1+1"


@pytest.fixture(params=[pytest.param(name, marks=[pytest.mark.postgres] if name != "sqlite"
                                      else []) for name in BACKENDS])
def backend(request, tmp_path):
    found = Backend(request.param, tmp_path)
    yield found
    found.close()


def days_ago(n: float) -> str:
    return (datetime.now(UTC) - timedelta(days=n)).strftime("%Y-%m-%dT%H:%M:%SZ")


def feedback(root, db, *args) -> dict:
    result = run_kbgen("feedback", "list", "--format", "json", "--db", db, *args, cwd=root)
    assert result.returncode == 0, result.stderr
    return {item["id"]: item for item in json.loads(result.stdout)["items"]}


def report(root, db) -> dict:
    result = run_kbgen("report", "--format", "json", "--db", db, cwd=root)
    assert result.returncode == 0, result.stderr
    return {a["id"]: a for a in json.loads(result.stdout)["articles"]}


def test_feedback_is_listed_resolved_and_dismissed_without_touching_the_events(
        backend, tmp_path):
    root = make_help_center(tmp_path)
    db = backend.url()
    rev = manifest_rev(root, "reset-password")
    complaint = vote("reset-password", False, days_ago(2), rev=rev, reason="outdated",
                     comment=COMMENT)
    other = vote("refunds", False, days_ago(1), comment="Which form?")
    bare_no = vote("refunds", False, days_ago(1))
    import_events(root, db, [complaint, other, bare_no])

    items = feedback(root, db)
    assert set(items) == {complaint["id"], other["id"]}
    first = items[complaint["id"]]
    assert (first["state"], first["owner"], first["reason_label"], first["comment"],
            first["rev"]) == ("open", "maria.lopez", "It is out of date", COMMENT, rev)
    assert set(feedback(root, db, "--owner", "tom")) == {other["id"]}

    table = run_kbgen("feedback", "list", "--db", db, cwd=root)
    assert "It is out of date" in table.stdout and complaint["id"][:8] in table.stdout

    done = run_kbgen("feedback", "resolve", complaint["id"][:8], "--note", "Renamed the menu",
                     "--db", db, cwd=root)
    assert done.returncode == 0, done.stderr
    assert "Marked 1 item(s) resolved." in done.stdout
    dismissed = run_kbgen("feedback", "dismiss", other["id"], "--db", db, cwd=root)
    assert dismissed.returncode == 0, dismissed.stderr

    items = feedback(root, db)
    assert (items[complaint["id"]]["state"], items[complaint["id"]]["note"]) == (
        "resolved", "Renamed the menu")
    assert items[other["id"]]["state"] == "dismissed"
    assert feedback(root, db, "--state", "open") == {}
    exported = run_kbgen("events", "export", "--db", db, cwd=root).stdout
    assert {json.loads(line)["id"] for line in exported.splitlines()} == {
        complaint["id"], other["id"], bare_no["id"]}

    html = run_kbgen("report", "--format", "html", "--db", db, cwd=root).stdout
    assert "It is out of date" in html and ">resolved<" in html and ">dismissed<" in html
    assert "&lt;b&gt;Menu&lt;/b&gt;" in html and "<b>Menu" not in html

    unknown = run_kbgen("feedback", "resolve", "zzzzzzzz", "--db", db, cwd=root)
    assert unknown.returncode == 2 and "matches no feedback item" in unknown.stderr


def test_an_edit_makes_a_new_revision_and_resolves_older_feedback_in_one_step(
        backend, tmp_path):
    root = make_help_center(tmp_path)
    db = backend.url()
    first = manifest_rev(root, "reset-password")
    old = [vote("reset-password", False, days_ago(3 - i), rev=first, reason="unclear",
                comment=f"Step {i} is unclear") for i in range(2)]
    import_events(root, db, old)

    # Re-wrapping and trailing spaces change nothing the customer reads.
    write_article(root, "account/reset-password.md",
                  article_front("reset-password", owner="maria.lopez"),
                  "## Steps\n\nOpen Settings   and\nchoose Reset.   \n")
    assert run_kbgen("build", cwd=root).returncode == 0
    assert manifest_rev(root, "reset-password") == first

    write_article(root, "account/reset-password.md",
                  article_front("reset-password", owner="maria.lopez"),
                  "## Steps\n\nOpen Preferences and choose Reset password.\n")
    assert run_kbgen("build", cwd=root).returncode == 0
    second = manifest_rev(root, "reset-password")
    assert second != first
    history = json.loads((root / ".kbgen" / "revisions.json").read_text())["articles"]
    assert [r["rev"] for r in history["reset-password"]] == [second, first]

    result = run_kbgen("feedback", "resolve", "--rev", second, "--note", "rewritten",
                       "--db", db, cwd=root)
    assert result.returncode == 0, result.stderr
    assert "2 open item(s) of 'reset-password' older than" in result.stdout
    assert {i["state"] for i in feedback(root, db).values()} == {"resolved"}


def test_report_gives_numbers_per_revision_and_says_whether_the_edit_helped(
        backend, tmp_path):
    root = make_help_center(tmp_path)
    db = backend.url()
    first = manifest_rev(root, "refunds")
    write_article(root, "billing/refunds.md", article_front("refunds", owner="tom"),
                  "## Steps\n\nOpen Orders, pick the order and press Refund.\n")
    assert run_kbgen("build", cwd=root).returncode == 0
    second = manifest_rev(root, "refunds")
    events = [vote("refunds", i < 8, days_ago(5), rev=first) for i in range(20)]
    events += [vote("refunds", i < 19, days_ago(1), rev=second) for i in range(20)]
    events.append(vote("refunds", False, days_ago(1)))  # no rev: an old page
    import_events(root, db, events)

    row = report(root, db)["refunds"]
    assert [(r["rev"], r["helpful"], r["not_helpful"]) for r in row["revisions"]] == [
        (second, 19, 1), (first, 8, 12)]
    assert row["helpful"] == 27 and row["not_helpful"] == 14
    change = row["last_change"]
    assert change["rev"] == second and change["previous_rev"] == first
    assert change["csat_delta"] == pytest.approx(0.95 - 0.4)
    lo, hi = change["csat_delta_ci"]
    assert 0 < lo < 0.55 < hi <= 1
    assert change["verdict"] == "helped"
    assert change["contact_after_view_delta"] is None  # no views sent: no rate to compare

    few = report_with_few_votes(root, backend)
    assert few["csat_delta"] is None and few["csat_delta_ci"] is None
    assert few["verdict"] == "not enough votes yet"


def report_with_few_votes(root, backend) -> dict:
    db = backend.url()
    revs = json.loads((root / ".kbgen" / "revisions.json").read_text())["articles"]["refunds"]
    import_events(root, db, [vote("refunds", True, days_ago(1), rev=revs[0]["rev"])
                             for _ in range(3)]
                  + [vote("refunds", False, days_ago(4), rev=revs[1]["rev"])
                     for _ in range(3)])
    return report(root, db)["refunds"]["last_change"]


def test_a_bad_rev_is_refused_with_the_field_named(tmp_path):
    root = make_help_center(tmp_path)
    bad = vote("refunds", True, days_ago(1), rev="NOT-A-HASH")
    path = root / "bad.jsonl"
    path.write_text(json.dumps(bad) + "\n", encoding="utf-8")
    result = run_kbgen("events", "import", str(path), cwd=root)
    assert result.returncode == 1
    assert "rev" in result.stderr and "12 lower-case hex digits" in result.stderr


def test_revisions_name_the_git_commit_that_introduced_them(tmp_path):
    root = make_help_center(tmp_path)
    git = ["git", "-c", "user.name=Writer", "-c", "user.email=w@example.com"]
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "content", "mkdocs.yml"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "First"], cwd=root, check=True)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                          text=True, check=True).stdout.strip()
    write_article(root, "billing/refunds.md", article_front("refunds", owner="tom"),
                  "## Steps\n\nA new text.\n")
    subprocess.run([*git, "commit", "-qam", "Rewrite refunds"], cwd=root, check=True)
    second = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                            text=True, check=True).stdout.strip()
    assert run_kbgen("build", cwd=root).returncode == 0
    history = json.loads((root / ".kbgen" / "revisions.json").read_text())["articles"]
    assert history["refunds"][0]["commit"] == second
    assert history["refunds"][0]["since"] == history["refunds"][0]["commit_date"]
    # Seen by a build before the checkout existed: a known revision keeps its first entry.
    assert [r["commit"] for r in history["reset-password"]] == [None]
    (root / ".kbgen" / "revisions.json").unlink()
    assert run_kbgen("build", cwd=root).returncode == 0
    history = json.loads((root / ".kbgen" / "revisions.json").read_text())["articles"]
    assert history["reset-password"][0]["commit"] == head


def test_two_builds_in_one_second_keep_the_newest_revision_first():
    from kbgen.analytics.revisions import revision_rows

    # Both revisions recorded within one second: the history's order (newest first) decides,
    # whatever their hashes sort as.
    for newer, older in (("aaaaaaaaaaaa", "ffffffffffff"), ("ffffffffffff", "aaaaaaaaaaaa")):
        history = [{"rev": newer, "since": "2026-12-07T18:00:00Z"},
                   {"rev": older, "since": "2026-12-07T18:00:00Z"}]
        counts = {rev: {"views": 0, "view_sessions": 0, "contacted": 0, "helpful": 1,
                        "not_helpful": 0, "first": None} for rev in (newer, older)}
        assert [row["rev"] for row in revision_rows(counts, history)] == [newer, older]
