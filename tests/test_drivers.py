"""Contact drivers as a support lead gets them: the real CLI on SQLite and PostgreSQL.

A hand-written month (tests/drivers_scenario.py): refund tickets from customers who read
"Get a refund" (failing), export questions from customers who never opened "Export your
data" (unfound), and account-deletion tickets no article answers (gap), whose subjects are
hostile and must stay inert text in every format.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from drivers_scenario import HOSTILE, SINCE, UNTIL, write_contacts, write_help_center
from pg_helpers import pg_schema, schema_url

WINDOW = ("--since", SINCE, "--until", UNTIL)


def kbgen(root, *args, check=True):
    result = subprocess.run([sys.executable, "-m", "kbgen", *args], cwd=root,
                            capture_output=True, text=True, encoding="utf-8")
    if check:
        assert result.returncode == 0, result.stderr
    return result


def load(root, semantic="auto", db=()):
    write_help_center(root, semantic)
    events, tickets = write_contacts(root)
    kbgen(root, "build")
    kbgen(root, "events", "import", str(events), *db)
    out = kbgen(root, "tickets", "import", str(tickets), "--preset", "zendesk", *db)
    assert "19" in out.stdout + out.stderr  # 18 this month, 1 the month before
    return out.stderr


@pytest.fixture(scope="module")
def sqlite_center(tmp_path_factory):
    root = tmp_path_factory.mktemp("drivers")
    load(root)
    return root


def by_kind(topics):
    return {t["kind"]: t for t in topics}


def assert_expected_topics(data, method):
    assert data["drivers_method"] == method
    topics = data["topics"]
    kinds = by_kind(topics)
    assert set(kinds) == {"gap", "failing", "unfound"} and len(topics) == 3
    assert kinds["failing"]["article"] == "refunds"
    assert kinds["failing"]["tickets"] == [f"fail-{i}" for i in range(6)]
    assert kinds["failing"]["previous"] == 1 and kinds["failing"]["comments"] == 6
    assert kinds["unfound"]["article"] == "export-data"
    assert kinds["unfound"]["tickets"] == [f"unfound-{i}" for i in range(6)]
    assert kinds["unfound"]["searches"] == 6
    assert kinds["gap"]["article"] is None
    assert kinds["gap"]["tickets"] == [f"gap-{i}" for i in range(6)]
    assert "delete" in kinds["gap"]["label"] and "account" in kinds["gap"]["label"]
    assert sorted(kinds["gap"]["examples"]) == sorted(HOSTILE)
    every = [t for topic in topics for t in topic["tickets"]]
    assert len(every) == len(set(every)) == 18
    assert set(topics[0]) >= {"label", "kind", "article", "tickets", "sessions", "searches",
                              "comments", "previous", "examples"}


def test_semantic_topics_kinds_and_articles_sqlite(sqlite_center):
    data = json.loads(kbgen(sqlite_center, "report", "--format", "json", *WINDOW).stdout)
    assert_expected_topics(data, "semantic")
    assert data["topics"][0]["sessions"] == 6


def test_second_report_reuses_the_kept_embeddings(sqlite_center):
    import sqlite3

    db = sqlite_center / ".kbgen" / "kbgen.db"
    kbgen(sqlite_center, "report", "--format", "json", *WINDOW)
    before = sqlite3.connect(db).execute("SELECT COUNT(*) FROM text_embeddings").fetchone()[0]
    result = kbgen(sqlite_center, "report", "--format", "json", *WINDOW)
    after = sqlite3.connect(db).execute("SELECT COUNT(*) FROM text_embeddings").fetchone()[0]
    assert before > 18 and after == before
    assert "Contact drivers: embedded" not in result.stderr


def test_tickets_import_embeds_their_texts_so_the_first_report_does_not(tmp_path):
    import re
    import sqlite3

    imported = load(tmp_path)
    db = tmp_path / ".kbgen" / "kbgen.db"
    kept = sqlite3.connect(db).execute("SELECT COUNT(*) FROM text_embeddings").fetchone()[0]
    said = re.search(r"Embedded (\d+) new ticket texts for the contact-drivers report",
                     imported)
    # 19 tickets, 9 distinct subjects: each kept once
    assert said is not None and int(said.group(1)) == kept == 9
    first = kbgen(tmp_path, "report", "--format", "json", *WINDOW)
    assert_expected_topics(json.loads(first.stdout), "semantic")
    # The report embedded only the articles' texts and the sessions' searches.
    embedded = re.search(r"Contact drivers: embedded (\d+) new texts", first.stderr)
    total = sqlite3.connect(db).execute("SELECT COUNT(*) FROM text_embeddings").fetchone()[0]
    assert embedded is not None and int(embedded.group(1)) == total - kept


def test_lexical_method_without_the_model(tmp_path):
    imported = load(tmp_path, semantic="off")
    assert "Embedded" not in imported
    data = json.loads(kbgen(tmp_path, "report", "--format", "json", *WINDOW).stdout)
    assert_expected_topics(data, "lexical")
    import sqlite3

    rows = sqlite3.connect(tmp_path / ".kbgen" / "kbgen.db").execute(
        "SELECT COUNT(*) FROM text_embeddings").fetchone()[0]
    assert rows == 0  # nothing semantic was computed


def test_postgres_gives_the_same_topics(tmp_path):
    with pg_schema() as schema:
        db = ("--db", schema_url(schema))
        load(tmp_path, db=db)
        data = json.loads(kbgen(tmp_path, "report", "--format", "json", *WINDOW, *db).stdout)
        assert_expected_topics(data, "semantic")
        body = kbgen(tmp_path, "report", "--format", "json", *WINDOW, *db).stdout
        assert json.loads(body)["topics"] == data["topics"]


def test_hostile_subjects_are_inert_in_json_table_csv_html(sqlite_center):
    raw = kbgen(sqlite_center, "report", "--format", "json", *WINDOW).stdout
    assert raw.isascii() and "\x1b" not in raw and "\\u001b[2J" in raw

    table = kbgen(sqlite_center, "report", *WINDOW).stdout
    assert "Contact drivers (semantic method)" in table
    assert "\x1b" not in table and "\u202e" not in table
    gap_line = next(line for line in table.splitlines() if line.startswith("gap "))
    assert "(none: write one)" in gap_line and " 6 " in gap_line

    out = sqlite_center / "report.csv"
    kbgen(sqlite_center, "report", "--format", "csv", "--rows", "topics", "--out", str(out),
          *WINDOW)
    topics = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8"), newline="")))
    gap = next(t for t in topics if t["kind"] == "gap")
    assert gap["tickets"] == "6" and gap["ticket_ids"] == " ".join(f"gap-{i}" for i in range(6))
    assert "<script>alert(1)</script>" in gap["examples"]  # as text, for a spreadsheet

    html = kbgen(sqlite_center, "report", "--format", "html", *WINDOW).stdout
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript' not in html
    assert "[delete my account](javascript:alert(2))" in html  # the Markdown stays text
    assert html.index('id="next"') < html.index("<h2>Headline</h2>")


def test_ticket_body_column_is_stored(sqlite_center, tmp_path):
    import sqlite3

    db = tmp_path / "bodies.db"
    tickets = tmp_path / "more.csv"
    tickets.write_text("Id,Created at,Subject,Description,kb_session\n"
                       'x-1,2026-11-20 10:00:00,Refund,"Still waiting, **bold** <b>",\n',
                       encoding="utf-8")
    kbgen(sqlite_center, "tickets", "import", str(tickets), "--preset", "zendesk",
          "--db", f"sqlite:///{db}")
    row = sqlite3.connect(db).execute(
        "SELECT subject, body FROM tickets WHERE ticket_id = 'x-1'").fetchone()
    assert row == ("Refund", "Still waiting, **bold** <b>")


@pytest.mark.browser
def test_dashboard_opens_with_what_to_do_next_and_its_links_work(sqlite_center):
    from playwright.sync_api import sync_playwright

    out = sqlite_center / "report.html"
    kbgen(sqlite_center, "report", "--format", "html", "--out", str(out), *WINDOW)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            dialogs = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(out.as_uri())
            assert page.locator("main h2").first.text_content() == "What to do next"
            actions = page.locator("#next ol.actions > li")
            texts = [actions.nth(i).text_content() for i in range(actions.count())]
            assert any(t.startswith("Write an article:") and "6 contacts" in t for t in texts)
            fix = next(t for t in texts if t.startswith("Fix the article: Get a refund"))
            assert "content/billing/refunds.md" in fix and "6 tickets" in fix
            assert any(t.startswith("Make the article findable") and "Export your data" in t
                       for t in texts)
            assert page.get_by_text(HOSTILE[0]).count() >= 1  # shown as text, not run
            assert page.locator("main script").count() == 0 and page.locator("main a[href^="
                                                                              "'javascript']"
                                                                              ).count() == 0
            page.locator("#next a", has_text="Get a refund").click()
            page.wait_for_load_state()
            assert page.url.endswith("/billing/refunds/index.html")
            assert "Get a refund" in page.title()
            assert dialogs == []
        finally:
            browser.close()
