"""Accessibility of the sample help center in the system Chromium: axe-core on every page type
in the light and dark schemes and on the feedback widget and contact form in every state;
keyboard-only use (skip link, search, widget, contact form) with visible focus; reduced
motion; reading without JavaScript.

axe-core comes from the npm registry: scripts/test.sh installs it into .cache/npm.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_helpers import (
    EventRecorder,
    build_sample_site,
    free_port,
    new_context,
    recording_api,
    serve_directory,
)
from playwright.sync_api import expect

REPO = Path(__file__).resolve().parent.parent
AXE = REPO / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
ARTICLE = "payments/refunds/"
FAQ = "billing/billing-faq/"
PAGES = {
    "home": "",
    "category": "billing/",
    "article": ARTICLE,
    "faq": FAQ,
    "troubleshooting": "troubleshooting/cant-log-in/",
    "contact": "contact/",
    "404": "404.html",  # what a static host serves for a missing page
    # German: its own sidebar and strings; a stale translation shows a notice
    "german article": "de/payments/refunds/",
    "german stale article": "de/account/reset-password/",
    "german home": "de/",
}
SCHEMES = ("light", "dark")

pytestmark = pytest.mark.browser


def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE} not found: the accessibility tests need axe-core from npm. "
                    "Run scripts/test.sh, or: npm install --prefix .cache/npm axe-core@4")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    port = free_port()
    root = tmp_path_factory.mktemp("a11y")
    with recording_api(EventRecorder()) as api:
        # Every session is asked the NPS question, so its open state can be checked.
        site = build_sample_site(root, f"http://127.0.0.1:{port}/", api.rstrip("/"),
                                 {"nps": {"enabled": True, "sample": 1}})
        with serve_directory(site, port) as url:
            yield url


@pytest.fixture(scope="module")
def axe() -> str:
    return axe_source()


@pytest.fixture(params=SCHEMES)
def page(request, browser):
    """A page in the light or dark scheme, as the visitor's system asks for."""
    context = new_context(browser, "a11y", color_scheme=request.param)
    tab = context.new_page()
    tab.scheme = request.param
    yield tab
    context.close()


def open_page(tab, url: str) -> None:
    tab.goto(url)
    tab.wait_for_load_state("load")
    expected = "slate" if getattr(tab, "scheme", "light") == "dark" else "default"
    assert tab.locator("body").get_attribute("data-md-color-scheme") == expected


def assert_no_violations(tab, axe: str, what: str) -> None:
    tab.add_script_tag(content=axe)
    result = tab.evaluate("axe.run(document, {resultTypes: ['violations']})")
    found = [v for v in result["violations"] if v["impact"] in BLOCKING]
    report = "\n".join(
        f"  {v['impact']} {v['id']}: {v['help']} -> "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        + "\n    " + " ".join(v["nodes"][0]["failureSummary"].split())[:400]
        for v in found)
    assert not found, f"axe-core found serious/critical violations on {what}:\n{report}"


@pytest.mark.parametrize("kind", PAGES)
def test_page_types_have_no_serious_violations(page, site_url, axe, kind):
    open_page(page, site_url + PAGES[kind])
    assert_no_violations(page, axe, f"the {kind} page ({page.scheme})")


def test_search_results_have_no_serious_violations(page, site_url, axe):
    open_page(page, site_url + "search/")
    page.locator("#kb-q").fill("refund a payment")
    page.locator("#kb-q").press("Enter")
    expect(page.locator("[data-kb-results] a").first).to_be_visible()
    assert_no_violations(page, axe, f"search results ({page.scheme})")


def test_search_with_no_results_has_no_serious_violations(page, site_url, axe):
    open_page(page, site_url + "search/?q=payroll")
    expect(page.get_by_role("region", name="Still need help?")).to_be_visible()
    assert_no_violations(page, axe, f"the search page finding nothing ({page.scheme})")
    page.keyboard.press("/")
    header = page.locator("[data-kb-hsearch]")
    header.get_by_role("combobox").fill("payroll")
    expect(header.get_by_role("link", name="Contact support")).to_be_visible()
    assert_no_violations(page, axe, f"the header search finding nothing ({page.scheme})")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_header_search_open_and_with_results_has_no_serious_violations(browser, axe, site_url,
                                                                       size):
    viewport = {"desktop": {"width": 1366, "height": 900},
                "phone": {"width": 390, "height": 844}}[size]
    for scheme in SCHEMES:
        context = new_context(browser, "a11y", color_scheme=scheme, viewport=viewport)
        try:
            tab = context.new_page()
            tab.scheme = scheme
            open_page(tab, site_url + ARTICLE)
            header = tab.locator("[data-kb-hsearch]")
            if size == "phone":
                header.get_by_role("button", name="Search").click()
            else:
                header.get_by_role("combobox").click()
            expect(header.get_by_role("combobox")).to_be_focused()
            assert_no_violations(tab, axe, f"the header search open ({size}, {scheme})")
            tab.keyboard.type("refund a payment")
            expect(header.get_by_role("option").first).to_contain_text("Refund a payment")
            assert_no_violations(tab, axe, f"the header search with results ({size}, {scheme})")
        finally:
            context.close()


def test_feedback_widget_states_have_no_serious_violations(page, site_url, axe):
    open_page(page, site_url + ARTICLE)
    widget = page.locator("[data-kb-feedback]")
    widget.get_by_role("button", name="Yes").click()
    expect(widget.locator("[data-kb-status]")).to_have_text("Thank you for your feedback.")
    assert_no_violations(page, axe, f"the widget after Yes ({page.scheme})")

    open_page(page, site_url + FAQ)
    widget.get_by_role("button", name="No").click()
    expect(widget.get_by_role("group", name="What went wrong?")).to_be_visible()
    assert_no_violations(page, axe, f"the widget with reasons open ({page.scheme})")

    widget.get_by_label("It is out of date").check()
    widget.get_by_label("Tell us more (optional)").fill("The screenshots are old.")
    widget.get_by_role("button", name="Send feedback").click()
    expect(widget.locator("[data-kb-status]")).to_contain_text("Thank you for telling us")
    assert_no_violations(page, axe, f"the widget after sending ({page.scheme})")


def test_nps_question_states_have_no_serious_violations(page, site_url, axe):
    open_page(page, site_url + ARTICLE)
    page.locator("[data-kb-feedback]").get_by_role("button", name="Yes").click()
    nps = page.locator("[data-kb-nps]")
    expect(nps).to_be_visible()
    assert_no_violations(page, axe, f"the NPS question open ({page.scheme})")
    page.get_by_role("button", name="Send").click()  # no score chosen: asked for one
    expect(nps.locator(".kb-nps__status")).to_contain_text("choose a score")
    page.get_by_role("radio", name="10 Extremely likely").check()
    assert_no_violations(page, axe, f"the NPS question answered ({page.scheme})")
    page.get_by_role("button", name="Send").click()
    expect(nps.locator(".kb-nps__done")).to_have_text("Thank you for your answer.")
    assert_no_violations(page, axe, f"the NPS question sent ({page.scheme})")


def test_open_faq_answers_have_no_serious_violations(page, site_url, axe):
    open_page(page, site_url + FAQ)
    for summary in page.locator("details.kb-faq > summary").all()[:3]:
        summary.click()
    expect(page.locator(".kb-faq__answer").first).to_be_visible()
    assert_no_violations(page, axe, f"FAQ answers open ({page.scheme})")


def test_search_page_without_javascript_has_no_serious_violations(page, site_url, axe):
    """What a browser without JavaScript shows: the <noscript> part, no script run. (axe
    itself needs JavaScript, so the site's scripts are blocked and <noscript> unwrapped.)"""
    def as_without_javascript(route):
        html = route.fetch().text()
        route.fulfill(body=html.replace("<noscript>", "").replace("</noscript>", ""),
                      content_type="text/html")

    page.route("**/search/?q=*", as_without_javascript)
    page.route("**/*.js", lambda route: route.abort())
    page.goto(site_url + "search/?q=payroll")  # material's script sets the dark scheme
    expect(page.locator(".kb-nojs")).to_be_visible()
    expect(page.locator(".kb-nojs li a")).to_have_count(9)
    assert_no_violations(page, axe, "the search page without JavaScript")


def test_contact_form_with_suggestions_has_no_serious_violations(page, site_url, axe):
    open_page(page, site_url + "contact/")
    page.get_by_label("What do you need help with?").fill("refund a payment")
    expect(page.locator("#kb-suggestions a").first).to_be_visible()
    assert_no_violations(page, axe, f"the contact form with suggestions ({page.scheme})")


# ----------------------------------------------------------------------- keyboard only

FOCUS_STATE = """() => {
  let el = document.activeElement;
  if (!el || el === document.body) return null;
  // material's palette toggle: a zero-size radio button whose label shows the focus.
  if (el.classList.contains("md-option")) el = el.nextElementSibling;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {tag: el.tagName, id: el.id, text: (el.innerText || el.value || "").trim().slice(0, 40),
          label: el.getAttribute("aria-label") || "",
          outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
          shadow: style.boxShadow !== "none",
          inContent: !!el.closest(".md-content"),
          visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight};
}"""


@pytest.fixture
def keyboard_page(browser):
    context = new_context(browser, "a11y-keys")
    tab = context.new_page()
    yield tab
    context.close()


def tab_until(tab, matches, limit: int = 80) -> list[dict]:
    """Press Tab until `matches(focus)`; every element focused on the way must show focus."""
    seen = []
    for _ in range(limit):
        tab.keyboard.press("Tab")
        focus = tab.evaluate(FOCUS_STATE)
        assert focus is not None, f"Tab left the page after {[f['text'] for f in seen]}"
        assert focus["visible"], f"focused element is off screen: {focus}"
        assert focus["outline"] or focus["shadow"], f"focus is not visible on {focus}"
        seen.append(focus)
        if matches(focus):
            return seen
    raise AssertionError(f"Tab never reached the element; went through {seen}")


def test_skip_link_is_first_and_moves_to_the_content(keyboard_page, site_url):
    for path in ("", ARTICLE, "contact/"):
        keyboard_page.goto(site_url + path)
        # Under load the deferred scripts may still be starting; material's start-up moves
        # the sequential focus starting point, which a person would never race against.
        keyboard_page.wait_for_load_state("networkidle")
        keyboard_page.keyboard.press("Tab")
        focus = keyboard_page.evaluate(FOCUS_STATE)
        assert focus["text"] == "Skip to content" and focus["visible"] and focus["outline"]
        keyboard_page.keyboard.press("Enter")
        keyboard_page.wait_for_function("document.activeElement.id === 'kb-main'")
        assert keyboard_page.evaluate("location.hash") == "#kb-main"
        keyboard_page.keyboard.press("Tab")
        focus = keyboard_page.evaluate(FOCUS_STATE)
        assert focus["inContent"], f"after the skip link Tab went to {focus} on /{path}"


def test_keyboard_reaches_search_and_gets_results(keyboard_page, site_url):
    keyboard_page.goto(site_url)
    tab_until(keyboard_page, lambda focus: focus["id"] == "kb-q")
    keyboard_page.keyboard.type("refund")
    keyboard_page.keyboard.press("Enter")
    expect(keyboard_page.locator("[data-kb-results] a").first).to_be_visible()
    tab_until(keyboard_page, lambda focus: focus["inContent"] and focus["tag"] == "A"
              and "search" not in focus["text"].lower())


def test_keyboard_votes_no_with_a_reason(keyboard_page, site_url):
    keyboard_page.goto(site_url + ARTICLE)
    tab_until(keyboard_page, lambda focus: focus["tag"] == "BUTTON" and focus["text"] == "Yes")
    keyboard_page.keyboard.press("Tab")
    assert keyboard_page.evaluate(FOCUS_STATE)["text"] == "No"
    keyboard_page.keyboard.press("Enter")
    first = keyboard_page.evaluate(FOCUS_STATE)
    assert first["tag"] == "INPUT" and first["outline"], "No must move focus to the reasons"
    keyboard_page.keyboard.press("ArrowDown")  # radio buttons: arrows choose
    tab_until(keyboard_page, lambda focus: focus["tag"] == "TEXTAREA")
    keyboard_page.keyboard.type("Missing a step.")
    tab_until(keyboard_page, lambda focus: focus["text"] == "Send feedback")
    keyboard_page.keyboard.press("Enter")
    expect(keyboard_page.locator("[data-kb-status]")).to_contain_text("Thank you for telling us")


def test_keyboard_uses_the_contact_form(keyboard_page, site_url):
    keyboard_page.goto(site_url + "contact/")
    tab_until(keyboard_page, lambda focus: focus["id"] == "kb-subject")
    keyboard_page.keyboard.type("refund a payment")
    expect(keyboard_page.locator("#kb-suggestions a").first).to_be_visible()
    tab_until(keyboard_page, lambda focus: focus["tag"] == "A" and focus["inContent"])
    tab_until(keyboard_page, lambda focus: focus["text"] == "Continue to contact support")


def test_reduced_motion_turns_off_transitions(browser, site_url):
    context = new_context(browser, "a11y-motion", reduced_motion="reduce")
    try:
        tab = context.new_page()
        tab.goto(site_url + FAQ)
        moving = tab.evaluate("""() => [...document.querySelectorAll('*')].filter(el => {
            const s = getComputedStyle(el);
            return parseFloat(s.transitionDuration) > 0 || parseFloat(s.animationDuration) > 0;
        }).map(el => el.className).slice(0, 5)""")
        assert moving == [], f"elements still animate under prefers-reduced-motion: {moving}"
    finally:
        context.close()


# ------------------------------------------------------------------------- without JS

@pytest.fixture
def no_js_page(browser):
    context = new_context(browser, "a11y-nojs", java_script_enabled=False)
    tab = context.new_page()
    yield tab
    context.close()


def test_article_reads_without_javascript(no_js_page, site_url):
    no_js_page.goto(site_url + ARTICLE)
    expect(no_js_page.get_by_role("heading", level=1)).to_have_text("Refund a payment")
    expect(no_js_page.locator(".kb-page p").nth(1)).to_be_visible()
    # No dead buttons: the widget needs JavaScript, so it is not shown at all.
    expect(no_js_page.get_by_role("button", name="Yes")).to_be_hidden()
    expect(no_js_page.get_by_role("link", name="Contact support").last).to_be_visible()


def test_nps_question_is_answered_with_the_keyboard(keyboard_page, site_url):
    keyboard_page.goto(site_url + ARTICLE)
    tab_until(keyboard_page, lambda focus: focus["tag"] == "BUTTON" and focus["text"] == "Yes")
    keyboard_page.keyboard.press("Enter")
    expect(keyboard_page.locator("[data-kb-nps]")).to_be_visible()
    tab_until(keyboard_page, lambda focus: focus["tag"] == "INPUT")  # the first radio, 0
    keyboard_page.keyboard.press("Space")
    for _ in range(8):
        keyboard_page.keyboard.press("ArrowRight")  # radio buttons: arrows choose
    expect(keyboard_page.get_by_role("radio", name="8", exact=True)).to_be_checked()
    tab_until(keyboard_page, lambda focus: focus["tag"] == "TEXTAREA")
    tab_until(keyboard_page, lambda focus: focus["text"] == "Send")
    keyboard_page.keyboard.press("Enter")
    expect(keyboard_page.locator(".kb-nps__done")).to_be_focused()


def test_faq_answers_open_without_javascript(no_js_page, site_url):
    no_js_page.goto(site_url + FAQ)
    no_js_page.keyboard.press("Tab")  # the skip link works without JavaScript too
    assert no_js_page.evaluate(FOCUS_STATE)["text"] == "Skip to content"
    question = no_js_page.locator("details.kb-faq").first
    answer = question.locator(".kb-faq__answer")
    expect(answer).to_be_hidden()
    question.locator("summary").click()
    expect(answer).to_be_visible()
