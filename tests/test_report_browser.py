"""The HTML dashboard in a real browser: hostile comments stay text, sorting works (CSP)."""

from __future__ import annotations

import pytest
from analytics_helpers import NOVEMBER, manifest_from, new_store, view, vote

from kbgen.analytics import build_report
from kbgen.reports import render_html

pytestmark = pytest.mark.browser
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
HOSTILE = '<img src=x onerror=alert(1)><script>alert(2)</script>'


def test_hostile_comment_is_inert_text_and_table_sorts(tmp_path):
    from playwright.sync_api import sync_playwright

    log = [view(f"v{i}", i, "refunds") for i in range(3)] + [view("r1", 0, "reset-password")]
    log += [vote("v0", 1, "refunds", False, reason="other", comment=HOSTILE)]
    store = new_store(tmp_path, log)
    page_file = tmp_path / "report.html"
    page_file.write_text(render_html(build_report(store, NOVEMBER, manifest_from(
        tmp_path=tmp_path))), encoding="utf-8")
    store.close()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            dialogs, violations = [], []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("console", lambda m: violations.append(m.text)
                    if "Content Security Policy" in m.text else None)
            page.goto(page_file.as_uri())
            assert page.get_by_text(HOSTILE, exact=True).count() == 1
            assert page.locator("main img").count() == 0
            first = "#articles tbody tr:first-child td:first-child bdi"
            assert page.text_content(first) == "Refunds"  # most attention first
            sessions = page.locator("#articles th", has_text="Sessions").locator("button")
            sessions.click()
            sessions.click()  # second click: ascending
            assert page.text_content(first) == "Never read"  # 0 sessions
            assert page.get_attribute("#articles th:nth-child(5)", "aria-sort") == "ascending"
            page.wait_for_timeout(200)
            assert dialogs == [] and violations == []
        finally:
            browser.close()
