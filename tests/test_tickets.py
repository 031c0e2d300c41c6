"""`kbgen tickets import`: helpdesk CSV exports joined to sessions, nothing lost."""

from __future__ import annotations

import json

import pytest
from analytics_helpers import NOVEMBER, contact, new_store, view, write_project
from click.testing import CliRunner

from kbgen.analytics import build_report
from kbgen.cli import cli
from kbgen.errors import UsageError
from kbgen.tickets import column_map, parse_mapping, parse_time

ZENDESK = (
    "Id,Requester,Subject,Created at,kb_session,kb_article\r\n"
    "101,ann@example.com,Refund please,2026-11-02 10:30:00 +0000,s-a,refunds\r\n"
    "102,bo@example.com,\"Hi, again\",2026-11-02T11:00:00Z,s-nobody,\r\n"
    "103,cy@example.com,No session,2026-11-02 12:00,,\r\n"
    ",dee@example.com,No id,2026-11-02 12:00,s-a,\r\n"
    "105,eve@example.com,Bad date,next tuesday,s-a,\r\n"
)


@pytest.fixture
def project(tmp_path):
    config = write_project(tmp_path)
    # s-a viewed refunds at 10:00 and contacted nobody: the ticket at 10:30 is its contact
    new_store(tmp_path / ".kbgen", [view("s-a", 0, "refunds"), view("s-b", 0, "refunds")]).close()
    return config


def test_zendesk_export_joins_counts_and_reports_the_rest(project, tmp_path):
    export = tmp_path / "zendesk.csv"
    export.write_text(ZENDESK, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["tickets", "import", str(export), "-f", str(project),
                                 "--preset", "zendesk"])
    assert result.exit_code == 1  # two rows could not be stored
    assert "zendesk.csv:5: the ticket id is empty" in result.output
    assert "zendesk.csv:6: creation time 'next tuesday' is not a date and time" in result.output
    assert "Imported 3 new tickets" in result.output
    assert "Joined to a help-center session: 1" in result.output
    assert "1 without kb_session, 1 with a session that has no events" in result.output

    again = runner.invoke(cli, ["tickets", "import", str(export), "-f", str(project),
                                "--preset", "zendesk"])
    assert "Imported 0 new tickets" in again.output and "3 already stored" in again.output

    report = json.loads(runner.invoke(cli, [
        "report", "-f", str(project), "--since", "2026-11-01", "--until", "2026-12-01",
        "--format", "json"]).stdout)
    refunds = next(a for a in report["articles"] if a["id"] == "refunds")
    assert refunds["view_sessions"] == 2 and refunds["contact_after_view"] == 0.5
    # contact sessions: s-a (joined) and s-nobody (a ticket-only session); not the sessionless
    assert report["site"]["contact_sessions"] == 2
    assert report["tickets"] == {"in_window": 3, "without_session": 1}


def test_freshdesk_preset_and_map_option(tmp_path):
    store = new_store(tmp_path, [view("s1", 0, "refunds"), contact("s1", 1, stage="open")])
    from kbgen.tickets import import_tickets

    fresh = tmp_path / "freshdesk.csv"
    fresh.write_text("Ticket ID,Subject,Created time,cf_kb_session\n"
                     "9,Help,2026-11-02 10:05:00,s1\n", encoding="utf-8")
    result = import_tickets(store, fresh, "freshdesk")
    assert (result.stored, result.joined) == (1, 1)

    other = tmp_path / "other.csv"
    other.write_text("Number,When,Session\n10,2026-11-02T10:06:00+01:00,s1\n", encoding="utf-8")
    result = import_tickets(store, other, mapping=parse_mapping(
        ["Number=ticket_id", "When=ts", "Session=session"]))
    assert (result.stored, result.joined) == (1, 1)
    report = build_report(store, NOVEMBER)
    store.close()
    assert report["site"]["contact_sessions"] == 1 and report["tickets"]["in_window"] == 2


def test_missing_columns_and_bad_map_are_usage_errors():
    with pytest.raises(UsageError, match="No column for ticket_id, ts.*--preset"):
        column_map(["Foo", "Bar"], None, {})
    with pytest.raises(UsageError, match="is not COLUMN=FIELD"):
        parse_mapping(["Number=ticket_number"])


@pytest.mark.parametrize("text, iso", [
    ("2026-11-02 10:30:00 +0100", "2026-11-02T09:30:00"),
    ("2026-11-02T10:30:00Z", "2026-11-02T10:30:00"),
    ("2026-11-02 10:30", "2026-11-02T10:30:00"),
])
def test_ticket_times(text, iso):
    from datetime import UTC, datetime

    expected = datetime.fromisoformat(iso).replace(tzinfo=UTC)
    assert parse_time(text) == int(expected.timestamp() * 1000)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_nul_in_a_ticket_row_is_replaced_and_named_on_both_stores(tmp_path, backend):
    from pg_helpers import pg_schema, schema_url

    from kbgen.store import open_store

    export = tmp_path / "nul.csv"
    export.write_text("Id,Subject,Created at,kb_session\n"
                      "201,Card\x00declined,2026-11-02 10:30:00,s-a\n"
                      "202,Fine,2026-11-02 10:31:00,s-a\n", encoding="utf-8")
    with pg_schema() as schema:
        url = f"sqlite:///{tmp_path / 'k.db'}" if backend == "sqlite" else schema_url(schema)
        result = CliRunner().invoke(cli, ["tickets", "import", str(export), "--db", url,
                                          "--preset", "zendesk"])
        assert result.exit_code == 0, result.output
        assert "Replaced NUL characters with U+FFFD in 1 rows of" in result.output
        assert "nul.csv (stores do not keep NUL in text): lines 2." in result.output
        store = open_store(url)
        try:
            subjects = [row[0] for row in store.query(
                "SELECT subject FROM tickets ORDER BY ticket_id", {})]
        finally:
            store.close()
        assert subjects == ["Card\ufffddeclined", "Fine"]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_mailto_reference_joins_its_one_session_by_prefix(tmp_path, backend):
    """The contact page's email ends with "Ref: " and the session id's first 8 hex digits."""
    from pg_helpers import pg_schema, schema_url

    from kbgen.store import open_store

    one = "s-4f2a9c1e-0b6d-4a51-9d2e-7c3b1a2f9e01"
    twins = ["s-77aa0011-0000-4000-8000-000000000001", "s-77aa0011-0000-4000-8000-000000000002"]
    export = tmp_path / "mail.csv"
    export.write_text(
        "Id,Subject,Created at,Description\n"
        "301,Refund,2026-11-02 10:30:00,\"I was charged twice.\n\nRef: 4f2a9c1e\"\n"
        "302,Card,2026-11-02 10:31:00,\"Declined again.\n\nRef: 77aa0011\"\n"
        "303,Card,2026-11-02 10:32:00,\"Nothing read.\n\nRef: 00000000\"\n", encoding="utf-8")
    with pg_schema() as schema:
        url = f"sqlite:///{tmp_path / 'k.db'}" if backend == "sqlite" else schema_url(schema)
        store = open_store(url)
        store.add_events([view(one, 0, "refunds"), view(twins[0], 0, "refunds"),
                          view(twins[1], 0, "refunds")])
        store.close()
        result = CliRunner().invoke(cli, ["tickets", "import", str(export), "--db", url,
                                          "--preset", "zendesk"])
        assert result.exit_code == 0, result.output
        assert "Joined to a help-center session: 1" in result.output
        assert "2 without kb_session" in result.output  # ambiguous and unknown: not guessed
        store = open_store(url)
        try:
            sessions = dict(store.query("SELECT ticket_id, session FROM tickets", {}))
        finally:
            store.close()
    assert sessions == {"301": one, "302": None, "303": None}
