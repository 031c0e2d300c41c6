"""An edit's effect, end to end: a help center built, voted on in Chromium through the real
`kbgen api`, edited, rebuilt and voted on again; the report shows two revisions, each with
its own vote."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
from browser_helpers import free_port, new_context, serve_directory
from conftest import article_front, run_kbgen, write_article
from playwright.sync_api import expect
from test_browser_feedback import wait_until_healthy

pytestmark = pytest.mark.browser

CONFIG = """\
site_name: Loop Help
site_url: http://127.0.0.1:{site_port}/
docs_dir: content
theme:
  name: material
  font: false
plugins:
  - kbgen:
      api_url: http://127.0.0.1:{api_port}
      contact_url: mailto:help@example.com
"""


def write_refunds(root, body: str) -> None:
    write_article(root, "billing/refunds.md", article_front("refunds", owner="tom"), body)


def vote_in_browser(browser, url: str, helpful: bool) -> str:
    """Vote on the page like a customer; returns the page's data-kb-rev."""
    context = new_context(browser)
    page = context.new_page()
    try:
        page.goto(url)
        rev = page.locator(".kb-page").get_attribute("data-kb-rev")
        widget = page.locator("[data-kb-feedback]")
        if helpful:
            widget.get_by_role("button", name="Yes").click()
            expect(widget.get_by_role("status")).to_contain_text("Thank")
        else:
            widget.get_by_role("button", name="No").click()
            widget.get_by_label("It is out of date").check()
            widget.get_by_label("Tell us more (optional)").fill("The button moved")
            widget.get_by_role("button", name="Send feedback").click()
            expect(widget.get_by_role("status")).to_contain_text("Thank you for telling us")
        page.close()  # pagehide sends the queued view
    finally:
        context.close()
    return rev


def stored(root, db: str, kind: str, count: int) -> list[dict]:
    deadline = time.monotonic() + 10
    while True:
        out = run_kbgen("events", "export", "--db", db, cwd=root).stdout
        found = [e for e in map(json.loads, out.splitlines()) if e["type"] == kind]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def test_two_revisions_each_with_its_own_vote(browser, tmp_path):
    root = tmp_path
    site_port, api_port = free_port(), free_port()
    (root / "mkdocs.yml").write_text(CONFIG.format(site_port=site_port, api_port=api_port),
                                     encoding="utf-8")
    write_refunds(root, "## Steps\n\nPress Refund in the Billing menu.\n")
    assert run_kbgen("build", cwd=root).returncode == 0
    db = f"sqlite:///{root / 'events.db'}"
    api = subprocess.Popen([sys.executable, "-m", "kbgen", "api", "--db", db, "--port",
                            str(api_port)], cwd=root, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
    try:
        wait_until_healthy(f"http://127.0.0.1:{api_port}/api/health", api)
        with serve_directory(root / "site", site_port) as site:
            first = vote_in_browser(browser, site + "billing/refunds/", helpful=False)
            assert len(stored(root, db, "view", 1)) == 1

            write_refunds(root, "## Steps\n\nOpen Orders, pick the order, press Refund.\n")
            assert run_kbgen("build", cwd=root).returncode == 0
            second = vote_in_browser(browser, site + "billing/refunds/", helpful=True)
            assert len(stored(root, db, "view", 2)) == 2
    finally:
        api.terminate()
        api.communicate(timeout=15)

    assert first != second and len(first) == len(second) == 12
    votes = stored(root, db, "vote", 2)
    assert {(v["rev"], v["helpful"]) for v in votes} >= {(first, False), (second, True)}
    report = json.loads(run_kbgen("report", "--format", "json", "--db", db, cwd=root).stdout)
    [refunds] = [a for a in report["articles"] if a["id"] == "refunds"]
    assert [(r["rev"], r["views"], r["helpful"], r["not_helpful"])
            for r in refunds["revisions"]] == [(second, 1, 1, 0), (first, 1, 0, 1)]
    assert refunds["last_change"]["verdict"] == "not enough votes yet"
    assert refunds["last_change"]["csat_delta"] is None

    items = json.loads(run_kbgen("feedback", "list", "--format", "json", "--db", db,
                                 cwd=root).stdout)["items"]
    assert [(i["comment"], i["reason_label"], i["rev"]) for i in items] == [
        ("The button moved", "It is out of date", first)]
