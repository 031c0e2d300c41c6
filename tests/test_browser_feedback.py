"""The feedback widget, contact page and event sending, driven in the system Chromium.

The sample help center is built once with `api_url` pointing at a recording stand-in for the
help API; the tests click what a customer clicks and check what the API received and what the
page says. One test puts the real `kbgen api` behind the stand-in and finds the vote with
`kbgen events export`.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

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

THANKS_NO = "Thank you for telling us"
FAILED = "We could not record your feedback right now. Please try again."
DNT_SCRIPT = "Object.defineProperty(Navigator.prototype, 'doNotTrack', {get: () => '1'});"

# Stands in for search.js (tested on its own): one result whose text looks like markup. The
# setter ignores search.js's own assignment, so the stand-in stays in place.
FAKE_SEARCH = """(() => {
  const fake = {search: (query, limit) => Promise.resolve([
    {id: "refunds", title: "Refund a payment <b>bold</b>", url: "payments/refunds/",
     snippet: "Give money <img src=x onerror=alert(1)>back.", category: "payments"}])};
  Object.defineProperty(window, "KbgenSearch", {get: () => fake, set: () => {},
                                                configurable: true});
})();"""

pytestmark = pytest.mark.browser


def run_kbgen(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kbgen", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=60)


@pytest.fixture(scope="module")
def recorder() -> EventRecorder:
    return EventRecorder()


@pytest.fixture(scope="module")
def built(tmp_path_factory, recorder):
    """(project root, port to serve on): the sample site built once, api_url the recorder."""
    port = free_port()
    root = tmp_path_factory.mktemp("feedback")
    with recording_api(recorder) as api:
        # One language: instant navigation stays on (several languages turn it off).
        build_sample_site(root, f"http://127.0.0.1:{port}/", api.rstrip("/"),
                          single_language=True)
        yield root, port


@pytest.fixture(scope="module")
def site_url(built):
    root, port = built
    with serve_directory(root / "site", port) as url:
        yield url


@pytest.fixture
def real_api(built, recorder):
    """The real `kbgen api` on a fresh SQLite file behind the recorder; yields the database
    URL. The site keeps its api_url: the recorder passes every request on to the real API."""
    root = built[0]
    port = free_port()
    api = f"http://127.0.0.1:{port}"
    db_url = f"sqlite:///{root / f'events-{port}.db'}"
    server = subprocess.Popen(
        [sys.executable, "-m", "kbgen", "api", "--db", db_url, "--port", str(port)],
        cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_until_healthy(api + "/api/health", server)
        recorder.reset(upstream=api)
        yield db_url
    finally:
        recorder.reset()
        server.terminate()
        server.communicate(timeout=15)


def wait_until_healthy(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"kbgen api exited: {server.communicate()[1]}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"kbgen api did not answer {url} within 20 s")


@pytest.fixture
def page(browser, recorder, request):
    recorder.reset()
    context = new_context(browser, tag=f"test/{request.node.name}")
    yield context.new_page()
    context.close()


def wait_for_events(page, recorder: EventRecorder, kind: str, count: int = 1) -> list[dict]:
    """Events of one type this page's browser sent, waiting up to 5 s for the batch."""
    agent = page.evaluate("navigator.userAgent")
    for _ in range(50):
        found = recorder.of_type(kind, agent)
        if len(found) >= count:
            return found
        page.wait_for_timeout(100)
    raise AssertionError(f"expected {count} {kind!r} event(s); got {recorder.events(agent)}")


def test_no_vote_with_reason_and_comment_is_thanked_and_recorded(page, site_url, recorder):
    page.goto(site_url + "payments/refunds/")
    widget = page.locator("[data-kb-feedback]")
    expect(widget.get_by_role("heading", name="Was this helpful?")).to_be_visible()

    no = widget.get_by_role("button", name="No")
    no.click()
    expect(no).to_have_attribute("aria-pressed", "true")
    first_reason = widget.get_by_label("The article is incomplete")
    expect(first_reason).to_be_focused()
    widget.get_by_label("It is out of date").check()
    comment = "The fee table still shows <b>last year's</b> prices."
    widget.get_by_label("Tell us more (optional)").fill(comment)
    expect(widget.get_by_text(f"{len(comment)} / 1000 characters")).to_be_visible()
    widget.get_by_role("button", name="Send feedback").click()

    status = widget.get_by_role("status")
    expect(status).to_contain_text(THANKS_NO)
    expect(status).to_be_focused()
    expect(widget.get_by_role("link", name="Contact support")).to_be_visible()
    expect(widget.locator("[data-kb-reasons]")).to_be_hidden()

    # The "No" is counted when clicked (batched), and the reasons follow as a second vote of
    # the same session; the metrics keep each session's last vote.
    # If the batch with the bare "No" left before the reasons were sent, it arrived first.
    votes = wait_for_events(page, recorder, "vote")
    assert [v["helpful"] for v in votes] in ([False], [False, False])
    vote = votes[-1]
    assert vote["article"] == "refunds"
    assert vote["helpful"] is False
    assert vote["reason"] == "outdated"
    assert vote["comment"] == comment
    assert vote["session"] and vote["id"]
    views = wait_for_events(page, recorder, "view")
    assert [v["article"] for v in views] == ["refunds"]
    assert views[0]["session"] == vote["session"]
    assert set(vote) == {"id", "type", "session", "article", "helpful", "reason", "comment",
                         "rev"}
    # The revision the page was built from, sent with the view and the vote (docs/loop.md).
    rev = page.locator(".kb-page").get_attribute("data-kb-rev")
    assert len(rev) == 12 and vote["rev"] == views[0]["rev"] == rev


def test_a_no_without_reasons_still_counts_when_the_customer_leaves(page, site_url, recorder):
    page.goto(site_url + "payments/refunds/")
    page.locator("[data-kb-feedback]").get_by_role("button", name="No").click()
    page.goto(site_url)  # leaves without sending reasons: the queued vote goes by beacon
    # A beacon sent while the page unloads carries the browser's own user agent, not the
    # context's override, so look at everything this (freshly reset) recorder received.
    for _ in range(50):
        votes = [e for e in recorder.events() if e["type"] == "vote"]
        if votes:
            break
        page.wait_for_timeout(100)
    assert [(v["article"], v["helpful"]) for v in votes] == [("refunds", False)]
    assert "reason" not in votes[0]


def test_vote_the_api_did_not_store_is_not_thanked_and_can_be_retried(page, site_url, recorder):
    recorder.reset(status=429)
    page.goto(site_url + "payments/refunds/")
    widget = page.locator("[data-kb-feedback]")
    yes = widget.get_by_role("button", name="Yes")
    yes.click()

    status = widget.get_by_role("status")
    expect(status).to_have_text(FAILED)
    expect(status).not_to_contain_text("Thank you")
    expect(yes).to_be_enabled()
    expect(yes).to_have_attribute("aria-pressed", "false")

    first_try = wait_for_events(page, recorder, "vote")[0]

    recorder.reset(status=204)  # the API honoured a DNT/GPC header the script did not see
    yes.click()
    expect(status).to_have_text(re.compile("^Your feedback was not recorded because"))

    recorder.reset(status=200)
    yes.click()
    expect(status).to_have_text("Thank you for your feedback.")
    votes = wait_for_events(page, recorder, "vote")
    assert [v["helpful"] for v in votes] == [True]
    assert votes[0]["id"] == first_try["id"], "a retried vote keeps its id (stored once)"


def test_do_not_track_sends_nothing_and_says_so(browser, site_url, recorder):
    recorder.reset()
    context = new_context(browser, tag="test/dnt")
    context.add_init_script(DNT_SCRIPT)
    page = context.new_page()
    try:
        page.goto(site_url + "payments/refunds/")
        widget = page.locator("[data-kb-feedback]")
        expect(widget).to_contain_text("Feedback is off because your browser asks")
        expect(widget.get_by_role("button", name="Yes")).to_be_hidden()

        page.goto(site_url + "contact/")
        page.get_by_label("What do you need help with?").fill("refund a client")
        handoff = page.get_by_role("link", name="Continue to contact support")
        expect(handoff).not_to_have_attribute("href", "mailto:support@pennant.example")
        href = handoff.get_attribute("href")
        assert "kb_session" not in href and "Ref" not in href
        handoff.click()
        page.evaluate("window.kbgen.flush()")
        page.wait_for_timeout(500)  # a beacon sent by flush() would have arrived by now
        assert recorder.events(page.evaluate("navigator.userAgent")) == []
    finally:
        context.close()


def test_without_a_help_api_votes_are_not_thanked(page, site_url):
    def without_api(route):
        html = route.fetch().text()
        html, replaced = re.subn(r'"api": "[^"]*"', '"api": ""', html)
        assert replaced == 1, "kb-config not found in the page"
        route.fulfill(body=html, content_type="text/html")

    page.route("**/payments/refunds/", without_api)
    page.goto(site_url + "payments/refunds/")
    widget = page.locator("[data-kb-feedback]")
    status = widget.get_by_role("status")
    widget.get_by_role("button", name="Yes").click()
    expect(status).to_have_text(re.compile("your answer was not recorded"))
    expect(widget.get_by_role("button", name="Yes")).to_have_attribute("aria-pressed", "false")

    widget.get_by_role("button", name="No").click()
    expect(status).to_have_text(re.compile("your answer was not recorded"))
    expect(widget.locator("[data-kb-reasons]")).to_be_hidden()
    expect(widget.get_by_role("link", name="Contact support")).to_be_visible()
    assert page.evaluate("window.kbgen.enabled()") is False


def test_contact_page_sends_open_then_submit_and_hands_off_the_session(page, site_url,
                                                                       recorder):
    page.goto(site_url + "payments/refunds/")
    page.locator(".kb-contact-cta").get_by_role("link", name="Contact support").click()
    expect(page.get_by_role("heading", name="Contact support", level=1)).to_be_visible()

    opened = wait_for_events(page, recorder, "contact")
    assert [(e["stage"], e.get("article")) for e in opened] == [("open", "refunds")]

    # Clicking a mailto: link would open a mail client; the test only needs the click event.
    page.evaluate("document.querySelector('[data-kb-handoff]').addEventListener("
                  "'click', e => e.preventDefault())")
    subject = page.get_by_label("What do you need help with?")
    handoff = page.get_by_role("link", name="Continue to contact support")
    handoff.click()  # no subject yet: articles are suggested first
    expect(subject).to_be_focused()
    expect(page.locator("#kb-suggestions-status")).to_contain_text(
        "Please tell us what you need help with first")

    subject.fill("Refund for a double charge")
    suggestions = page.get_by_role("list", name="Suggested articles")
    expect(suggestions.get_by_role("link", name="Refund a payment")).to_be_visible()
    shown = suggestions.get_by_role("link").count()
    assert 1 <= shown <= 5
    expect(page.locator("#kb-suggestions-status")).to_have_text(re.compile(
        rf"^{shown} articles? may answer this\. If not, continue to contact support below\.$"))
    expect(handoff).to_have_attribute("href", re.compile("Ref%3A%20"))
    href = handoff.get_attribute("href")
    handoff.click()

    contacts = wait_for_events(page, recorder, "contact", count=2)
    assert [e["stage"] for e in contacts] == ["open", "submit"]
    searches = recorder.of_type("search", page.evaluate("navigator.userAgent"))
    assert [(e["query"], e["results"], e["source"]) for e in searches] == [
        ("Refund for a double charge", shown, "contact")]
    submit = contacts[1]
    assert submit["stage"] == "submit"
    assert submit["article"] == "refunds"
    assert submit["channel"] == "email"

    mail = urlsplit(href)
    assert mail.scheme == "mailto" and mail.path == "support@pennant.example"
    fields = {key: values[0] for key, values in parse_qs(mail.query).items()}
    assert fields["subject"] == "Refund for a double charge"
    # A short reference the customer can read, which `kbgen tickets import` joins (by the
    # session id's prefix); the article is not in the email.
    assert unquote(fields["body"]) == f"\n\nRef: {submit['session'][2:10]}"


def test_helpdesk_form_hand_off_gets_session_and_article_parameters(page, built, site_url,
                                                                     recorder):
    # A copy of the contact page whose contact_url is a helpdesk form (here: a 404 on the
    # static server; only its address matters). page.route() would do, but Playwright's
    # interception cancels beacons when the page is left, which is what this test needs.
    form_url = site_url + "helpdesk/new?form=2"
    contact = built[0] / "site" / "contact"
    html = (contact / "index.html").read_text(encoding="utf-8")
    html = html.replace('"contact": "mailto:support@pennant.example"', f'"contact": "{form_url}"')
    # What the plugin writes for a contact_url that is a web form and no `contact` preset.
    html = html.replace('"handoff": {"helpdesk": "email", "url": "mailto:support@pennant.example"}',
                        f'"handoff": {{"helpdesk": "web", "url": "{form_url}"}}')
    (contact.parent / "contact-form").mkdir(exist_ok=True)
    (contact.parent / "contact-form" / "index.html").write_text(html, encoding="utf-8")

    page.goto(site_url + "payments/refunds/")
    page.goto(site_url + "contact-form/")
    page.get_by_label("What do you need help with?").fill("card declined")
    handoff = page.get_by_role("link", name="Continue to contact support")
    expect(handoff).to_have_attribute("href", re.compile(r"kb_article=refunds"))
    handoff.click()
    expect(page).to_have_url(re.compile(r"/helpdesk/new\?"))

    query = parse_qs(urlsplit(page.url).query)
    contacts = wait_for_events(page, recorder, "contact", count=2)
    submit = contacts[-1]
    assert (submit["stage"], submit["channel"], submit["article"]) == ("submit", "web", "refunds")
    assert query == {"form": ["2"], "kb_session": [submit["session"]], "kb_article": ["refunds"]}


def test_contact_suggestions_are_text_and_a_click_is_recorded(page, site_url, recorder):
    page.add_init_script(FAKE_SEARCH)
    page.goto(site_url + "contact/")
    page.get_by_label("What do you need help with?").fill("money back")
    suggestions = page.get_by_role("list", name="Suggested articles")
    link = suggestions.get_by_role("link")
    expect(link).to_have_text(["Refund a payment <b>bold</b>"])
    expect(suggestions).to_contain_text("Give money <img src=x onerror=alert(1)>back.")
    assert suggestions.locator("b, img").count() == 0
    expect(page.locator("#kb-suggestions-status")).to_have_text(
        "1 article may answer this. If not, continue to contact support below.")

    link.click()
    expect(page).to_have_url(site_url + "payments/refunds/")
    clicks = wait_for_events(page, recorder, "search_click")
    assert [(e["query"], e["article"], e["rank"]) for e in clicks] == [
        ("money back", "refunds", 1)]
    searches = recorder.of_type("search", page.evaluate("navigator.userAgent"))
    assert [(e["query"], e["results"], e["source"]) for e in searches] == [
        ("money back", 1, "contact")]


def test_instant_navigation_reinitialises_the_widget(page, site_url, recorder):
    page.goto(site_url + "payments/refunds/")
    wait_for_events(page, recorder, "view")
    page.evaluate("window.__same_document = true")

    related = page.locator(".kb-related a").first
    title = related.inner_text()
    related.click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    assert page.evaluate("window.__same_document") is True, "expected instant navigation"
    second = page.locator(".kb-page").get_attribute("data-kb-article")
    assert second != "refunds"

    views = wait_for_events(page, recorder, "view", count=2)
    assert [v["article"] for v in views] == ["refunds", second]
    assert views[0]["session"] == views[1]["session"]

    widget = page.locator("[data-kb-feedback]")
    widget.get_by_role("button", name="Yes").click()
    expect(widget.get_by_role("status")).to_have_text("Thank you for your feedback.")
    votes = wait_for_events(page, recorder, "vote")
    assert [(v["article"], v["helpful"]) for v in votes] == [(second, True)]


def test_faq_question_named_in_the_address_is_opened(page, site_url):
    page.goto(site_url + "payments/payments-faq/")
    questions = page.locator("details.kb-faq")
    anchors = [h.get_attribute("id") for h in questions.locator("summary h2").all()]
    assert len(anchors) >= 3
    expect(questions.nth(2)).not_to_have_attribute("open", "")

    page.goto("about:blank")  # a fresh page load with the anchor, as from a shared link
    page.goto(site_url + f"payments/payments-faq/#{anchors[2]}")
    expect(questions.nth(2)).to_have_attribute("open", "")
    expect(questions.nth(1)).not_to_have_attribute("open", "")

    page.evaluate(f"location.hash = {anchors[1]!r}")  # a link to another question
    expect(questions.nth(1)).to_have_attribute("open", "")


def test_vote_from_the_browser_is_stored_by_the_real_api(browser, built, site_url, real_api):
    context = new_context(browser)
    page = context.new_page()
    try:
        page.goto(site_url + "troubleshooting/payment-declined/")
        widget = page.locator("[data-kb-feedback]")
        widget.get_by_role("button", name="No").click()
        widget.get_by_label("It is hard to follow").check()
        comment = "Step 3 says <Settings> but the menu is called Preferences =1+1"
        widget.get_by_label("Tell us more (optional)").fill(comment)
        widget.get_by_role("button", name="Send feedback").click()
        expect(widget.get_by_role("status")).to_contain_text(THANKS_NO)
        page.close()  # pagehide sends the queued view with a beacon
    finally:
        context.close()

    deadline = time.monotonic() + 5
    while True:
        result = run_kbgen("events", "export", "--db", real_api, cwd=built[0])
        assert result.returncode == 0, result.stderr
        events = [json.loads(line) for line in result.stdout.splitlines()]
        if any(e["type"] == "view" for e in events) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    votes = [e for e in events if e["type"] == "vote"][-1:]
    assert len(votes) == 1
    assert votes[0]["article"] == "payment-declined"
    assert votes[0]["helpful"] is False
    assert votes[0]["reason"] == "unclear"
    assert votes[0]["comment"] == comment
    views = [e for e in events if e["type"] == "view"]
    assert [(v["article"], v["session"]) for v in views] == [
        ("payment-declined", votes[0]["session"])]
