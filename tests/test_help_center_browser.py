"""The customer's paths through the help center in the system Chromium, at 1366x900 and
390x844: search from the home page, open a FAQ answer, search without JavaScript, hand off to
each helpdesk preset, answer the NPS question (stored by a real `kbgen api`), and screenshots
of each page type in light and dark (saved as PNGs; key elements asserted in the viewport).

The sample help center is built once with `nps: {enabled: true, sample: 1}` (every session is
in the sample, so the question's timing can be tested) and api_url a recording stand-in.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import test_browser_feedback as feedback
from browser_helpers import (
    EventRecorder,
    build_sample_site,
    free_port,
    new_context,
    recording_api,
    serve_directory,
)
from playwright.sync_api import expect
from test_browser_feedback import run_kbgen, wait_for_events

VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
ARTICLE = "payments/refunds/"
FAQ = "billing/billing-faq/"
GPC_SCRIPT = "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', " \
             "{get: () => true});"
DNT_SCRIPT = "Object.defineProperty(Navigator.prototype, 'doNotTrack', {get: () => '1'});"
NPS_QUESTION = "How likely are you to recommend us to a friend or colleague?"

pytestmark = pytest.mark.browser
real_api = feedback.real_api  # the real `kbgen api` behind the recorder (same fixtures here)


@pytest.fixture(scope="module")
def recorder() -> EventRecorder:
    return EventRecorder()


@pytest.fixture(scope="module")
def built(tmp_path_factory, recorder):
    port = free_port()
    root = tmp_path_factory.mktemp("helpcenter")
    with recording_api(recorder) as api:
        build_sample_site(root, f"http://127.0.0.1:{port}/", api.rstrip("/"),
                          {"nps": {"enabled": True, "sample": 1}})
        yield root, port


@pytest.fixture(scope="module")
def site_url(built):
    root, port = built
    with serve_directory(root / "site", port) as url:
        yield url


@pytest.fixture(params=list(VIEWPORTS))
def page(request, browser, recorder):
    recorder.reset()
    context = new_context(browser, tag=f"test/{request.node.name}",
                          viewport=VIEWPORTS[request.param])
    yield context.new_page()
    context.close()


# ----------------------------------------------------------------------- home and FAQ

def test_hero_search_submits_to_the_search_page_with_the_query(page, site_url):
    page.goto(site_url)
    hero = page.locator(".kb-hero")
    expect(hero.get_by_role("heading", level=1)).to_have_text("How can we help?")
    box = hero.get_by_label("Search the help center")
    expect(box).to_be_in_viewport()
    box.fill("refund a payment")
    hero.get_by_role("button", name="Search").click()
    expect(page).to_have_url(site_url + "search/?q=refund+a+payment")
    expect(page.locator("#kb-q")).to_have_value("refund a payment")
    expect(page.locator("[data-kb-results] a").first).to_be_visible()


def test_faq_questions_show_a_marker_are_bold_and_open_from_the_keyboard(page, site_url):
    page.goto(site_url + FAQ)
    summary = page.locator("details.kb-faq > summary").first
    marker = summary.evaluate("""s => {
        const m = getComputedStyle(s, '::before'), h = getComputedStyle(s.querySelector('h2'));
        return {content: m.content, display: m.display, width: parseFloat(m.width),
                border: parseFloat(m.borderRightWidth), transform: m.transform,
                weight: Number(h.fontWeight), cursor: getComputedStyle(s).cursor};
    }""")
    assert marker["content"] == '""' and marker["display"] == "block"
    assert marker["width"] >= 6 and marker["border"] >= 2, marker  # a visible chevron
    assert marker["weight"] >= 700 and marker["cursor"] == "pointer", marker
    closed = marker["transform"]

    summary.focus()
    page.keyboard.press("Enter")
    details = page.locator("details.kb-faq").first
    expect(details).to_have_attribute("open", "")
    expect(details.locator(".kb-faq__answer")).to_be_visible()
    # The chevron turns (a .15 s transition): wait for it rather than read it mid-way.
    page.wait_for_function(
        "([s, closed]) => getComputedStyle(s, '::before').transform !== closed",
        arg=[summary.element_handle(), closed], timeout=5000)
    outline = summary.evaluate("s => getComputedStyle(s).outlineStyle")
    assert outline != "none", "the focused question shows a focus ring"
    page.keyboard.press("Space")
    expect(details).not_to_have_attribute("open", "")


# ------------------------------------------------------------------------- without JS

@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_search_without_javascript_offers_topics_and_contact(browser, site_url, size):
    context = new_context(browser, java_script_enabled=False, viewport=VIEWPORTS[size])
    try:
        tab = context.new_page()
        tab.goto(site_url)
        tab.locator("#kb-q").fill("payroll")
        tab.locator("#kb-q").press("Enter")
        expect(tab).to_have_url(site_url + "search/?q=payroll")
        # Playwright's text and role engines skip <noscript>; CSS selectors reach into it.
        notice = tab.locator("noscript .kb-nojs > p.kb-lead")
        expect(notice).to_be_visible()
        expect(notice).to_contain_text("Your browser is not running JavaScript")
        assert "Search needs JavaScript" not in tab.content()
        topics = tab.locator("noscript .kb-nojs li > a")
        expect(topics).to_have_count(9)
        expect(topics.filter(has_text="Plans and billing")).to_be_visible()
        tab.locator("noscript .kb-nojs a", has_text="Contact support").click()
        expect(tab.get_by_role("heading", name="Contact support", level=1)).to_be_visible()
        expect(tab.get_by_role("link", name="Continue to contact support")).to_have_attribute(
            "href", "mailto:support@pennant.example")
    finally:
        context.close()


# ------------------------------------------------------------------- contact hand-off

PRESETS = {
    "zendesk": {"helpdesk": "zendesk", "url": "{site}hc/requests/new", "ticket_form_id": "3601",
                "session_field": "3602", "article_field": "3603"},
    "freshdesk": {"helpdesk": "freshdesk", "url": "{site}support/tickets/new",
                  "session_field": "cf_kb_session", "article_field": "cf_kb_article"},
    "helpscout": {"helpdesk": "helpscout", "url": "{site}helpscout/"},
}
# What a site's own copy of the helpdesk's widget script would define; records the calls.
WIDGETS = """window.__calls = [];
window.FreshworksWidget = function () { window.__calls.push([].slice.call(arguments)); };
window.Beacon = function () { window.__calls.push([].slice.call(arguments)); };"""


def contact_page_with(built, site_url: str, name: str) -> str:
    """A copy of the built contact page whose kb-config names the preset; returns its path.
    (Each preset's options are checked on a real build in test_help_center_pages.py.)"""
    preset = {key: value.replace("{site}", site_url) for key, value in PRESETS[name].items()}
    contact = built[0] / "site" / "contact"
    html = (contact / "index.html").read_text(encoding="utf-8")
    old = '"handoff": {"helpdesk": "email", "url": "mailto:support@pennant.example"}'
    assert old in html
    html = html.replace(old, '"handoff": ' + json.dumps(preset))
    target = contact.parent / f"contact-{name}"
    target.mkdir(exist_ok=True)
    (target / "index.html").write_text(html, encoding="utf-8")
    return f"contact-{name}/"


def hand_off(page, site_url: str, path: str) -> None:
    page.goto(site_url + ARTICLE)  # the article the customer read last
    page.goto(site_url + path)
    page.get_by_label("What do you need help with?").fill("Refund for a double charge")
    expect(page.get_by_role("list", name="Suggested articles").get_by_role("link").first) \
        .to_be_visible()
    page.get_by_role("link", name="Continue to contact support").click()


def test_zendesk_request_form_gets_session_and_article_in_its_fields(page, built, site_url,
                                                                    recorder):
    hand_off(page, site_url, contact_page_with(built, site_url, "zendesk"))
    expect(page).to_have_url(re.compile(r"/hc/requests/new\?"))
    submit = wait_for_events(page, recorder, "contact", count=2)[-1]
    assert (submit["stage"], submit["channel"], submit["article"]) == ("submit", "web", "refunds")
    assert parse_qs(urlsplit(page.url).query) == {
        "ticket_form_id": ["3601"], "tf_subject": ["Refund for a double charge"],
        "tf_3602": [submit["session"]], "tf_3603": ["refunds"]}


@pytest.mark.parametrize("name, expected_calls", [
    ("freshdesk", lambda s: [
        ["prefill", "ticketForm", {"subject": "Refund for a double charge", "custom_fields": {
            "cf_kb_session": s, "cf_kb_article": "refunds"}}],
        ["hide", "ticketForm", ["custom_fields.cf_kb_session", "custom_fields.cf_kb_article"]],
        ["open", "ticketForm"]]),
    ("helpscout", lambda s: [
        ["session-data", {"kb_session": s, "kb_article": "refunds"}],
        ["prefill", {"subject": "Refund for a double charge"}],
        ["open"], ["navigate", "/ask/message/"]]),
])
def test_helpdesk_widget_gets_session_and_article_in_its_fields(page, built, site_url, recorder,
                                                               name, expected_calls):
    path = contact_page_with(built, site_url, name)
    page.add_init_script(WIDGETS)
    hand_off(page, site_url, path)
    expect(page).to_have_url(site_url + path)  # the widget took over: the page stays
    submit = wait_for_events(page, recorder, "contact", count=2)[-1]
    assert (submit["stage"], submit["channel"], submit["article"]) == (
        "submit", "widget", "refunds")
    assert page.evaluate("window.__calls") == expected_calls(submit["session"])


def test_mailto_body_carries_a_short_reference_not_a_technical_line(page, site_url, recorder):
    page.goto(site_url + ARTICLE)
    page.goto(site_url + "contact/")
    page.evaluate("document.querySelector('[data-kb-handoff]').addEventListener("
                  "'click', e => e.preventDefault())")  # no mail client in a test
    page.get_by_label("What do you need help with?").fill("Refund for a double charge")
    page.get_by_role("link", name="Continue to contact support").click()
    submit = wait_for_events(page, recorder, "contact", count=2)[-1]
    href = page.get_by_role("link", name="Continue to contact support").get_attribute("href")
    fields = {key: value[0] for key, value in parse_qs(urlsplit(href).query).items()}
    body = unquote(fields["body"])
    assert body == "\n\nRef: " + submit["session"][2:10]
    assert "=" not in body and "kb_" not in body


# ----------------------------------------------------------------------------- NPS

def vote_yes(page, site_url: str, path: str = ARTICLE) -> None:
    page.goto(site_url + path)
    widget = page.locator("[data-kb-feedback]")
    widget.get_by_role("button", name="Yes").click()
    expect(widget.get_by_role("status")).to_have_text("Thank you for your feedback.")


def test_nps_is_asked_after_a_helpful_vote_once_per_session(browser, built, site_url,
                                                            real_api):
    context = new_context(browser, tag="test/nps")
    page = context.new_page()
    try:
        page.goto(site_url + FAQ)
        page.locator("[data-kb-feedback]").get_by_role("button", name="No").click()
        expect(page.locator("[data-kb-reasons]")).to_be_visible()
        expect(page.locator("[data-kb-nps]")).to_have_count(0)  # not after reading, not on No

        vote_yes(page, site_url)
        nps = page.get_by_role("group", name=NPS_QUESTION)
        expect(nps).to_be_visible()
        radios = nps.get_by_role("radio")
        expect(radios).to_have_count(11)
        assert radios.first.evaluate("r => r.labels[0].textContent") == "0 Not at all likely"
        assert radios.last.evaluate("r => r.labels[0].textContent") == "10 Extremely likely"
        page.get_by_role("button", name="Send").click()  # no score yet: asked for one
        expect(page.locator(".kb-nps__status")).to_have_text(re.compile("choose a score"))
        page.get_by_role("radio", name="9", exact=True).check()
        page.get_by_label("What is the main reason for your score? (optional)").fill(
            "Found it <fast>")
        page.get_by_role("button", name="Send").click()
        expect(page.locator(".kb-nps__done")).to_have_text("Thank you for your answer.")
        expect(page.locator(".kb-nps__done")).to_be_focused()

        vote_yes(page, site_url, "troubleshooting/payment-declined/")  # same session
        page.wait_for_timeout(300)
        expect(page.locator("[data-kb-nps]")).to_have_count(0)
        page.close()  # pagehide sends the queued views
    finally:
        context.close()

    deadline = time.monotonic() + 5
    while True:
        result = run_kbgen("events", "export", "--db", real_api, cwd=built[0])
        assert result.returncode == 0, result.stderr
        events = [json.loads(line) for line in result.stdout.splitlines()]
        if len([e for e in events if e["type"] == "view"]) >= 3 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    answers = [e for e in events if e["type"] == "nps"]
    assert [(e["score"], e.get("comment")) for e in answers] == [(9, "Found it <fast>")]
    votes = [e for e in events if e["type"] == "vote"]
    assert {e["session"] for e in votes} == {answers[0]["session"]}


def test_nps_no_thanks_dismisses_it_for_the_session(browser, site_url, recorder):
    recorder.reset()
    context = new_context(browser, tag="test/nps-dismiss")
    page = context.new_page()
    try:
        vote_yes(page, site_url)
        expect(page.locator("[data-kb-nps]")).to_be_visible()
        page.get_by_role("radio", name="3", exact=True).focus()
        page.keyboard.press("Escape")
        expect(page.locator("[data-kb-nps]")).to_have_count(0)
        expect(page.locator("[data-kb-status]")).to_be_focused()
        vote_yes(page, site_url, FAQ)
        page.wait_for_timeout(300)
        expect(page.locator("[data-kb-nps]")).to_have_count(0)
        page.evaluate("window.kbgen.flush()")
        page.wait_for_timeout(300)
        assert recorder.of_type("nps", page.evaluate("navigator.userAgent")) == []
    finally:
        context.close()


@pytest.mark.parametrize("script", [DNT_SCRIPT, GPC_SCRIPT], ids=["dnt", "gpc"])
def test_nps_is_never_asked_under_dnt_or_gpc(browser, site_url, recorder, script):
    recorder.reset()
    context = new_context(browser, tag="test/nps-privacy")
    context.add_init_script(script)
    page = context.new_page()
    try:
        page.goto(site_url + ARTICLE)
        expect(page.locator("[data-kb-feedback]")).to_contain_text("Feedback is off")
        page.wait_for_timeout(300)
        expect(page.locator("[data-kb-nps]")).to_have_count(0)
        assert recorder.events(page.evaluate("navigator.userAgent")) == []
    finally:
        context.close()


# ---------------------------------------------------------------------- screenshots

SHOTS = {
    "home": ("", [".kb-hero h1", "#kb-q", ".kb-hero button[type=submit]"]),
    "article": (ARTICLE, [".kb-page h1", ".kb-breadcrumbs", ".kb-page .kb-meta"]),
    "faq": (FAQ, [".kb-page h1", "details.kb-faq > summary >> nth=0"]),
    "category": ("billing/", ["h1", ".md-content a >> nth=1"]),
    "contact": ("contact/", ["h1", "#kb-subject", "[data-kb-handoff]"]),
    "search": ("search/?q=refund", ["h1", "#kb-q", "[data-kb-results] .kb-hit >> nth=0"]),
    "404": ("404.html", ["h1", "#kb-q"]),
    # The header's search field open, with results (from an article page).
    "header-search": (ARTICLE, ["#kb-hq", "[data-kb-hsearch] [role=option] >> nth=0"]),
}
# Where each page's search field is: in the header bar on a wide screen, behind a button
# on a phone.
HEADER_SEARCH = {"desktop": "#kb-hq", "phone": "[data-kb-hsearch] [data-kb-hsearch-open]"}


@pytest.fixture(scope="module")
def shots_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", list(VIEWPORTS))
@pytest.mark.parametrize("kind", list(SHOTS))
def test_screenshot_shows_the_key_elements(browser, site_url, shots_dir, kind, size, scheme):
    context = new_context(browser, color_scheme=scheme, viewport=VIEWPORTS[size],
                          reduced_motion="reduce")
    try:
        tab = context.new_page()
        path, selectors = SHOTS[kind]
        tab.goto(site_url + path)
        tab.wait_for_load_state("load")
        expected = "slate" if scheme == "dark" else "default"
        expect(tab.locator("body")).to_have_attribute("data-md-color-scheme", expected)
        expect(tab.locator(HEADER_SEARCH[size])).to_be_in_viewport()
        if kind == "faq":
            tab.locator("details.kb-faq > summary").first.click()
            expect(tab.locator(".kb-faq__answer").first).to_be_in_viewport()
        if kind == "header-search":
            tab.locator(HEADER_SEARCH[size]).click()
            expect(tab.locator("#kb-hq")).to_be_focused()
            tab.keyboard.type("refund a payment")
        for selector in selectors:
            expect(tab.locator(selector)).to_be_in_viewport()
        png = shots_dir / f"{kind}-{scheme}-{size}.png"
        tab.screenshot(path=str(png))
        assert png.stat().st_size > 5_000  # a real picture, not a blank page
    finally:
        context.close()
