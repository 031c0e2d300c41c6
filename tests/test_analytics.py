"""SPEC.md's metrics on a hand-made log, each expected number worked out by hand.

The log (minutes after T0 = Mon 2026-11-02 10:00 UTC, window = November 2026):

A. reset-password, votes          B. refunds, contact after view
s1 view, vote no, vote yes         s10 view (sent twice, same id), contact at +10 min
s2 view, vote no ("outdated")      s11 contact, then view at +5 min (contact BEFORE the view)
s3 view, vote yes                  s12 view, contact at +25 h (outside 24 h)
s4 view, vote yes, vote yes        s13 view, contact page opened at +1 min, never submitted
                                   s14 view, view again at +23.5 h, contact at +24 h 10 min
C. searches                        s15 view, contact at exactly +24 h (inside, inclusive)
s20 "Reset  Password " (3 results),s16 view, helpdesk ticket with kb_session s16 at +60 min
    click "reset password",
    "reset password" again          D. NPS (last answer per session)
s21 "RESET password"               s30 10 then 3 (detractor)   s31 9, s33 10 (promoters)
s22 "refund bitcoin" (0 results)   s32 8, s34 7 (passives)
s23 "  Refund   Bitcoin" (0)
s24 a click, no search             E. contact page: s40 open, submit; s41 open only

Outside the window: s50 views refunds and contacts on 30 October. One ticket has no session.
"""

from __future__ import annotations

import pytest
from analytics_helpers import (
    MANIFEST,
    NOVEMBER,
    T0,
    at,
    click,
    contact,
    manifest_from,
    new_store,
    nps,
    search,
    view,
    vote,
)

from kbgen.analytics import build_report, make_window

RETRIED = view("s10", 0, "refunds", id="retried-view")

LOG = [
    # A: 10 events
    view("s1", 0, "reset-password"), vote("s1", 1, "reset-password", False),
    vote("s1", 5, "reset-password", True),
    view("s2", 0, "reset-password"),
    vote("s2", 1, "reset-password", False, reason="outdated", comment="Steps are wrong"),
    view("s3", 0, "reset-password"), vote("s3", 2, "reset-password", True),
    view("s4", 0, "reset-password"), vote("s4", 1, "reset-password", True),
    vote("s4", 3, "reset-password", True),
    # B: 14 events stored (15 sent: one retry)
    RETRIED, dict(RETRIED), contact("s10", 10),
    contact("s11", 0), view("s11", 5, "refunds"),
    view("s12", 0, "refunds"), contact("s12", 25 * 60),
    view("s13", 0, "refunds"), contact("s13", 1, stage="open"),
    view("s14", 0, "refunds"), view("s14", 23 * 60 + 30, "refunds"),
    contact("s14", 24 * 60 + 10),
    view("s15", 0, "refunds"), contact("s15", 24 * 60),
    view("s16", 0, "refunds"),
    # C: 7 events
    search("s20", 0, "Reset  Password ", 3), click("s20", 1, "reset password", "reset-password"),
    search("s20", 2, "reset password", 3),
    search("s21", 0, "RESET password", 3),
    search("s22", 0, "refund bitcoin", 0),
    search("s23", 0, "  Refund   Bitcoin", 0),
    click("s24", 0, "reset password", "reset-password"),
    # D: 6 events
    nps("s30", 0, 10), nps("s30", 5, 3), nps("s31", 0, 9), nps("s32", 0, 8),
    nps("s33", 0, 10), nps("s34", 0, 7),
    # E: 3 events
    contact("s40", 0, stage="open"), contact("s40", 2), contact("s41", 0, stage="open"),
    # outside the window: 2 events
    view("s50", -3 * 24 * 60, "refunds"), contact("s50", -3 * 24 * 60 + 5),
]
TICKETS = [
    {"ticket_id": "T-1", "session": "s16", "ts": at(60), "subject": "Refund?", "source": "t.csv"},
    {"ticket_id": "T-2", "session": None, "ts": at(90), "subject": "Hi", "source": "t.csv"},
]


@pytest.fixture
def report(tmp_path):
    store = new_store(tmp_path, LOG, TICKETS)
    try:
        return build_report(store, NOVEMBER, manifest_from(MANIFEST, tmp_path))
    finally:
        store.close()


def article(report, article_id):
    return next(a for a in report["articles"] if a["id"] == article_id)


def test_report_states_its_window_and_the_events_it_read(report):
    assert report["window"] == {"since": "2026-11-01T00:00:00Z", "until": "2026-12-01T00:00:00Z"}
    # 10 + 14 + 7 + 6 + 3: the retried view is stored once, October is outside.
    assert report["events"] == 40


def test_site_sessions_self_service_and_deflection(report):
    site = report["site"]
    assert site["sessions"] == 23  # A 4, B 7, C 5, D 5, E 2
    assert site["help_sessions"] == 15  # viewed or searched: A 4, B 7, C s20-s23
    # submit contacts s10 s11 s12 s14 s15 s40, and s16 through its ticket; s13/s41 only opened
    assert site["contact_sessions"] == 7
    assert site["self_service_score"] == pytest.approx(15 / 7)
    # help sessions without any submit: A 4, s13, C 4
    assert site["deflection_rate"] == pytest.approx(9 / 15)
    assert site["contact_page_sessions"] == 3  # s13, s40, s41
    assert site["contact_page_deflected"] == 2  # s13, s41


def test_nps_uses_the_last_answer_of_each_session(report):
    # promoters s31 s33, detractor s30 (its 10 was replaced by 3), passives s32 s34
    assert report["site"]["nps"] == pytest.approx(100 * (2 - 1) / 5)


def test_csat_counts_the_last_vote_of_each_session(report):
    a = article(report, "reset-password")
    assert (a["helpful"], a["not_helpful"]) == (3, 1)  # s1 changed to yes, s4 voted twice
    assert a["csat"] == pytest.approx(0.75)
    # Wilson, z = 1.96, n = 4, p = 0.75:
    # (0.75 + 3.8416/8 − 1.96·√(0.75·0.25/4 + 3.8416/64)) / (1 + 3.8416/4) = 0.30064
    assert a["csat_lower"] == pytest.approx(0.30064, abs=1e-5)
    assert (a["views"], a["view_sessions"]) == (4, 4)
    assert a["contact_after_view"] == 0.0
    assert a["deflection_rate"] == 1.0
    assert a["deflected_sessions"] == 4


def test_contact_after_view_first_view_within_24_hours(report):
    a = article(report, "refunds")
    assert a["views"] == 8  # the retried view once; s14 twice
    assert a["view_sessions"] == 7
    # contacted: s10 (+10 min), s15 (+24 h exactly), s16 (ticket +60 min). Not: s11 (before
    # the view), s12 (+25 h), s13 (open only), s14 (24 h 10 min after its FIRST view).
    assert a["contact_after_view"] == pytest.approx(3 / 7)
    assert a["deflection_rate"] == pytest.approx(4 / 7)
    assert a["deflected_sessions"] == 4


def test_articles_without_votes_or_views_have_nulls_not_errors(report):
    refunds, unread = article(report, "refunds"), article(report, "never-read")
    assert (refunds["helpful"], refunds["not_helpful"]) == (0, 0)
    assert refunds["csat"] is None and refunds["csat_lower"] is None
    assert unread["views"] == unread["view_sessions"] == unread["deflected_sessions"] == 0
    assert unread["contact_after_view"] is None and unread["deflection_rate"] is None
    assert unread["title"] == "Never read" and unread["category"] == "billing"


def test_searches_grouped_by_normalised_query_with_clicks(report):
    searches = {s["query"]: s for s in report["searches"]}
    assert set(searches) == {"reset password", "refund bitcoin"}
    # three searches; only s20's first was followed by a click (its second came after it,
    # s21's click-less search and s24's search-less click do not count)
    # Search outcomes: the two click-less searches had results (no_click 2); both clicks
    # (s20's and s24's) were on rank 1; nobody searching contacted support or reformulated.
    assert searches["reset password"] == {
        "query": "reset password", "count": 3, "zero_results": 0, "clicks": 1,
        "ctr": pytest.approx(1 / 3), "contacted": 0, "contact_rate": 0.0, "no_click": 2,
        "avg_click_rank": 1.0, "reformulated": 0, "reformulations": [],
    }
    assert searches["refund bitcoin"] == {
        "query": "refund bitcoin", "count": 2, "zero_results": 2, "clicks": 0, "ctr": 0.0,
        "contacted": 0, "contact_rate": 0.0, "no_click": 0, "avg_click_rank": None,
        "reformulated": 0, "reformulations": [],
    }
    assert report["site"]["zero_result_searches"] == 2
    assert report["site"]["zero_result_rate"] == pytest.approx(2 / 5)


def test_tickets_are_counted_and_those_without_session_reported(report):
    assert report["tickets"] == {"in_window": 2, "without_session": 1}


def test_feedback_inbox_keeps_negative_last_votes_with_reasons(report):
    # s1's first "no" was replaced by "yes"; s2's "no" with a reason stays
    assert [(f["article"], f["reason"], f["comment"], f["owner"]) for f in report["feedback"]] \
        == [("reset-password", "outdated", "Steps are wrong", "ana")]


def test_breakdowns_sum_the_articles(report):
    billing = next(g for g in report["breakdowns"]["category"] if g["key"] == "billing")
    assert billing["label"] == "Billing & plans"
    assert (billing["articles"], billing["view_sessions"], billing["deflected_sessions"]) \
        == (2, 7, 4)
    owners = {g["key"]: g for g in report["breakdowns"]["owner"]}
    assert owners["ana"]["csat"] == pytest.approx(0.75)
    assert owners["(none)"]["articles"] == 1


def test_weekly_trends_cover_the_window(report):
    weeks = report["trends"]
    # 1 Nov is a Sunday (week of 26 Oct); 30 Nov is a Monday: six weeks
    assert [w["week"] for w in weeks] == [
        "2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23", "2026-11-30",
    ]
    busy = weeks[1]
    assert (busy["sessions"], busy["events"], busy["help_sessions"]) == (23, 40, 15)
    assert busy["nps"] == pytest.approx(20.0)
    assert weeks[0]["sessions"] == 0 and weeks[0]["deflection_rate"] is None


def test_empty_window_gives_zeros_and_nulls(tmp_path):
    store = new_store(tmp_path, LOG, TICKETS)
    december = make_window("2026-12-01", "2027-01-01")
    report = build_report(store, december, manifest_from(MANIFEST, tmp_path))
    store.close()
    assert report["events"] == 0
    assert report["site"] == report["site"] | {
        "sessions": 0, "help_sessions": 0, "contact_sessions": 0, "self_service_score": None,
        "deflection_rate": None, "contact_page_sessions": 0, "contact_page_deflected": 0,
        "nps": None,
    }
    assert report["searches"] == [] and report["feedback"] == []
    assert [a["csat"] for a in report["articles"]] == [None, None, None]


def test_empty_database_without_manifest(tmp_path):
    store = new_store(tmp_path)
    report = build_report(store, NOVEMBER)
    store.close()
    assert report["events"] == 0 and report["articles"] == [] and report["site"]["nps"] is None


def test_window_includes_since_and_excludes_until(tmp_path):
    store = new_store(tmp_path, [
        view("a", 0, "refunds"), view("b", 60, "refunds"), view("c", 120, "refunds"),
    ])
    report = build_report(store, make_window(at(0), at(120)))
    store.close()
    assert report["events"] == 2
    assert report["window"] == {"since": "2026-11-02T10:00:00Z", "until": "2026-11-02T12:00:00Z"}


@pytest.mark.postgres
def test_postgres_gives_the_same_report_as_sqlite(tmp_path):
    from pg_helpers import pg_schema, schema_url

    from kbgen.store import open_store

    manifest = manifest_from(MANIFEST, tmp_path)
    sqlite_store = new_store(tmp_path, LOG, TICKETS)
    expected = build_report(sqlite_store, NOVEMBER, manifest, now=T0)
    sqlite_store.close()
    with pg_schema() as schema:
        store = open_store(schema_url(schema))
        try:
            store.add_events(LOG)
            store.add_tickets(TICKETS)
            assert build_report(store, NOVEMBER, manifest, now=T0) == expected
        finally:
            store.close()
