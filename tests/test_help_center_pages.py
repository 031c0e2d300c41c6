"""The help center's own pages built for real and read back from disk: the home page, the
search page without JavaScript, the helpdesk hand-off and NPS settings the pages carry."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_CONFIG, article_front, run_kbgen, write_article


def page(root: Path, url: str) -> str:
    return (root / "site" / url / "index.html").read_text(encoding="utf-8")


def kb_config(html: str) -> dict:
    raw = re.search(r'<script id="kb-config" type="application/json">(.*?)</script>', html)
    return json.loads(raw.group(1))


def with_options(options: str) -> str:
    return MINIMAL_CONFIG + "".join(f"      {line}\n" for line in options.splitlines())


def build(make_site, options: str = "") -> Path:
    root = make_site(with_options(options))
    write_article(root, "billing/refunds.md", article_front("refunds"))
    write_article(root, "account/login.md", article_front("login"))
    result = run_kbgen("build", cwd=root)
    assert result.returncode == 0, result.stderr
    return root


def test_home_puts_a_search_form_first_under_a_strong_heading(sample_site):
    html = page(sample_site, "")
    main = html.split('<div class="kb-home">', 1)[1]
    hero = main.split("</div>", 1)[0]
    assert '<h1 class="kb-hero__title">How can we help?</h1>' in hero
    assert "Pennant Help Center</h1>" not in html  # not a repeat of the site's name
    # The search form comes before the topics and works without JavaScript (GET search/?q=).
    assert main.index('class="kb-searchbox"') < main.index("Browse by topic")
    assert '<form class="kb-searchbox" role="search" action="search/" method="get"' in main
    assert '<input id="kb-q" name="q" type="search"' in main
    order = [main.index(text) for text in ("Browse by topic", "Popular articles",
                                           "Still need help?")]
    assert order == sorted(order)


def test_home_has_no_sidebar_repeating_the_topics(sample_site):
    home, article = page(sample_site, ""), page(sample_site, "payments/refunds")
    sidebar = re.compile(r'<div class="md-sidebar md-sidebar--primary"[^>]*>')
    assert "hidden" in sidebar.search(home).group(0)
    assert "hidden" not in sidebar.search(article).group(0)  # other pages keep it


def test_footer_credit_is_off_by_default_and_an_option(make_site):
    root = build(make_site)
    assert "Made with" not in page(root, "") and "Made with" not in page(root, "billing/refunds")
    root = build(make_site, "footer_credit: true")
    assert "Made with" in page(root, "") and "Material for MkDocs" in page(root, "")


def test_search_page_without_javascript_offers_topics_and_contact(sample_site):
    html = page(sample_site, "search")
    noscript = html.split("<noscript>", 1)[1].split("</noscript>", 1)[0]
    assert "Search needs JavaScript" not in html
    assert "cannot show results for what you searched" in noscript
    topics = re.findall(r'<li><a href="\.\./([a-z-]+)/">([^<]+)</a>', noscript)
    assert ("billing", "Plans and billing") in topics and len(topics) == 9
    assert '<a href="../contact/">Contact support</a>' in noscript


def test_pages_stay_under_40_kb(sample_site):
    for url in ("", "search", "contact", "billing/billing-faq", "payments/refunds"):
        assert len(page(sample_site, url).encode()) <= 40_000, url


def test_mailto_is_the_default_hand_off_and_nps_is_off(make_site):
    config = kb_config(page(build(make_site), "contact"))
    assert config["handoff"] == {"helpdesk": "email", "url": "mailto:help@example.com"}
    assert config["nps"] is None


@pytest.mark.parametrize("options, expected", [
    ("contact: {helpdesk: zendesk, url: 'https://pennant.zendesk.com', ticket_form_id: 3601,"
     " session_field: 3602, article_field: 3603}",
     {"helpdesk": "zendesk", "url": "https://pennant.zendesk.com/hc/requests/new",
      "ticket_form_id": "3601", "session_field": "3602", "article_field": "3603"}),
    ("contact: {helpdesk: freshdesk, url: 'https://pennant.freshdesk.com/support/tickets/new'}",
     {"helpdesk": "freshdesk", "url": "https://pennant.freshdesk.com/support/tickets/new",
      "session_field": "cf_kb_session", "article_field": "cf_kb_article"}),
    ("contact: {helpdesk: helpscout, url: 'https://pennant.example/contact'}",
     {"helpdesk": "helpscout", "url": "https://pennant.example/contact"}),
])
def test_helpdesk_presets_reach_the_contact_page(make_site, options, expected):
    html = page(build(make_site, options), "contact")
    assert kb_config(html)["handoff"] == expected
    # Without JavaScript the link still goes to the helpdesk (without the joining fields).
    assert f'data-kb-handoff href="{expected["url"]}"' in html


def test_nps_option_reaches_every_page(make_site):
    root = build(make_site, "nps: {enabled: true, sample: 0.25, after: vote}")
    assert kb_config(page(root, "billing/refunds"))["nps"] == {
        "sample": 0.25, "after": "vote",
        "question": "How likely are you to recommend us to a friend or colleague?"}


@pytest.mark.parametrize("options, message", [
    ("contact: {helpdesk: kayako}", "plugin option contact.helpdesk is 'kayako'. Fix: use one "
     "of email, zendesk, freshdesk, helpscout."),
    ("contact: {helpdesk: zendesk, url: 'https://x.zendesk.com', session_field: kb_session}",
     "plugin option contact.session_field is 'kb_session'. Fix: give the numeric id"),
    ("contact: {helpdesk: freshdesk, url: 'https://x.freshdesk.com', session_field: 'kb'}",
     "plugin option contact.session_field is 'kb'. Fix: give the field's API name"),
    ("contact: {helpdesk: helpscout}", "plugin option contact.url is 'mailto:help@example.com'"),
    ("contact: {helpdesk: zendesk, widget: 1}", "plugin option contact.widget is not an option"),
    ("nps: {enabled: true, sample: 5}", "plugin option nps.sample is 5. Fix: give the share"),
    ("nps: {enabled: true, after: page_view}", "plugin option nps.after is 'page_view'. Fix:"),
])
def test_bad_contact_and_nps_options_are_named_with_the_fix(make_site, options, message):
    root = make_site(with_options(options))
    write_article(root, "billing/refunds.md", article_front("refunds"))
    result = run_kbgen("build", cwd=root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "mkdocs.yml: " + message in result.stderr
