"""The help API in-process: THREATS.md cases 1-18 and 21 against POST /api/events."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3

import pytest
from api_helpers import SITE, ApiClient, make_project, vote

from kbgen.api import create_app
from kbgen.project import load_project
from kbgen.store.sqlite import SQLiteStore


def build(tmp_path, options: str = "", *, preview: bool = False, store=None):
    project = load_project(make_project(tmp_path, options))
    app = create_app(project, store=store, db_url=f"sqlite:///{tmp_path / 'events.db'}",
                     preview=preview)
    return ApiClient(app), app.state.help_api.store


@pytest.fixture
def api(tmp_path):
    client, store = build(tmp_path)
    yield client, store
    client.close()
    store.close()


def stored(store) -> list[dict]:
    return list(store.iter_events())


def counters(client) -> dict:
    return client.request("GET", "/api/health").json()["rejections"]


def test_a_vote_is_stored_with_the_server_time_and_acknowledged(api):
    client, store = api
    event = vote(ts="2001-01-01T00:00:00Z", comment="Step 3 is gone.")
    response = client.post(event)
    assert response.status_code == 200
    assert response.json() == {"stored": 1, "duplicates": 0}
    assert response.headers["access-control-allow-origin"] == SITE
    [saved] = stored(store)
    assert saved["comment"] == "Step 3 is gone." and not saved["ts"].startswith("2001")


def test_arrays_and_concurrent_requests_are_all_committed(api):
    client, store = api
    batch = [vote(session=f"s-{i}") for i in range(100)]
    assert client.post(batch).json() == {"stored": 100, "duplicates": 0}

    async def many():
        return await asyncio.gather(*(client.apost([vote()]) for _ in range(50)))

    answers = client.run(many())
    assert {r.status_code for r in answers} == {200}
    assert len(stored(store)) == 150


@pytest.mark.parametrize(("body", "problem"), [
    (b'{"id": "e1", "type": "vote"', "invalid JSON"),           # truncated
    (b"not json at all", "invalid JSON"),
    (b'\xff\xfe{"id": 1}', "not valid UTF-8"),
    (b"[" * 16_000, "nested too deeply"),
])
def test_case_1_2_bad_json_is_a_400_and_counted(api, body, problem):
    client, _ = api
    response = client.post(body)
    assert response.status_code == 400 and problem in response.json()["error"]
    assert sum(counters(client).values()) == 1


@pytest.mark.parametrize(("number", "problem"), [
    ("NaN", "NaN is not allowed"), ("Infinity", "Infinity is not allowed"),
    ("9" * 4000, "4000 digits"),
])
def test_case_2_nan_infinity_and_huge_integers_name_the_field(api, number, problem):
    client, store = api
    body = json.dumps(vote()).replace('"helpful": false', f'"helpful": {number}')
    response = client.post(body)
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["path"] == "helpful" and problem in error["message"]
    assert stored(store) == []


def test_case_3_lone_surrogate_in_a_comment_is_a_422(api):
    client, store = api
    body = json.dumps(vote(comment="x")).replace('"x"', '"\\ud800 hi"')
    response = client.post(body)
    assert response.status_code == 422 and response.json()["errors"][0]["path"] == "comment"
    assert stored(store) == []


def test_case_4_declared_oversize_body_is_a_413(api):
    client, _ = api
    response = client.post(b"x" * 100, {"content-length": str(17 * 1024)})
    assert response.status_code == 413


def test_case_4_streamed_oversize_body_is_refused_before_it_is_buffered(api):
    client, _ = api
    sent = []

    async def endless():
        for _ in range(10_000):  # 10 MB if the server kept reading
            sent.append(1)
            yield b"[" + b" " * 1023

    response = client.post(endless())
    assert response.status_code == 413
    assert len(sent) < 64  # stopped after ~16 KiB, not 10 MB


def test_case_5_text_plain_and_json_accepted_forms_are_415(api):
    client, store = api
    assert client.post(vote(), {"content-type": "text/plain;charset=UTF-8"}).status_code == 200
    assert client.post(vote(), {"content-type": "application/json"}).status_code == 200
    for kind in ("application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                 "text/plain; charset=latin-1"):
        assert client.post(vote(), {"content-type": kind}).status_code == 415
    assert len(stored(store)) == 2


@pytest.mark.parametrize(("event", "path"), [
    ({"type": "like"}, "type"),
    ({"helpful": "yes"}, "helpful"),
    ({"article": 42}, "article"),
    ({"extra": 1}, "extra"),
    ({"reason": "boring"}, "reason"),
    ({"comment": {"nested": [1, 2]}}, "comment"),
])
def test_case_6_wrong_types_unknown_types_and_fields_are_422_with_the_path(api, event, path):
    client, store = api
    response = client.post([vote(), vote(**event)])
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == f"[1].{path}"
    assert stored(store) == []  # the whole request is refused


def test_case_7_comment_limit_and_nul(api):
    client, _ = api
    long = client.post(vote(comment="é" * 1001))
    assert long.status_code == 422 and "at most 1000" in long.json()["error"]
    assert client.post(vote(comment="é" * 1000)).status_code == 200
    assert client.post(vote(comment="a\x00b")).status_code == 422


@pytest.mark.parametrize("comment", [
    "<script>alert(1)</script>", "</script ><img src=x onerror=alert(1)>",
    '=HYPERLINK("http://evil.example","click")', "\x1b[31mred\x1b[0m", "line1\r\nline2",
    "\u202eevil.exe", "{{7*7}}",
])
def test_case_8_hostile_comments_are_stored_exactly(api, comment):
    client, store = api
    assert client.post(vote(comment=comment)).status_code == 200
    assert stored(store)[0]["comment"] == comment


def test_case_9_unknown_article_is_rejected_and_counted(api):
    client, store = api
    response = client.post(vote(article="no-such-article"))
    assert response.status_code == 422 and "manifest" in response.json()["error"]
    assert stored(store) == [] and counters(client) == {"unknown_article": 1}


@pytest.mark.parametrize("agent", [
    "curl/8.5.0", "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/120.0 Safari/537.36",
    "Googlebot/2.1 (+http://www.google.com/bot.html)", "python-requests/2.32", None,
])
def test_case_10_bots_are_dropped_and_counted(api, agent):
    client, store = api
    response = client.post(vote(), {"user-agent": agent})
    assert response.status_code == 204
    assert stored(store) == [] and counters(client) == {"bot": 1}


def test_case_10_the_local_preview_accepts_headless_browsers(tmp_path):
    client, store = build(tmp_path, preview=True)
    agent = "Mozilla/5.0 HeadlessChrome/120.0"
    assert client.post(vote(), {"user-agent": agent, "origin": "http://127.0.0.1:8123"}
                       ).status_code == 200
    client.close()
    assert len(stored(store)) == 1
    store.close()


def test_case_11_past_the_rate_the_client_gets_429_with_retry_after(tmp_path):
    client, store = build(tmp_path, "      rate_limit: 60\n")  # 1/s, burst 30
    answers = [client.post(vote(id=f"v-{i}")) for i in range(40)]
    codes = [r.status_code for r in answers]
    assert codes[:30] == [200] * 30 and set(codes[30:]) == {429}
    assert int(answers[-1].headers["retry-after"]) >= 1
    assert len(stored(store)) == 30 and counters(client)["rate_limited"] == 10
    client.close()
    store.close()


def test_case_12_rotating_forwarded_for_without_a_trusted_proxy_uses_the_peer(tmp_path):
    client, store = build(tmp_path, "      rate_limit: 60\n")
    codes = {client.post(vote(), {"x-forwarded-for": f"203.0.113.{i}"}).status_code
             for i in range(40)}
    assert codes == {200, 429}
    client.close()
    store.close()


def test_case_12_a_trusted_proxy_forwards_the_client_address(tmp_path):
    client, store = build(tmp_path, "      rate_limit: 60\n      trusted_proxies: [10.0.0.0/8]\n")
    codes = {client.post(vote(), {"x-forwarded-for": f"203.0.113.{i}"}, peer="10.1.2.3"
                         ).status_code for i in range(40)}
    assert codes == {200}
    client.close()
    store.close()


def test_case_13_a_retried_id_is_accepted_and_stored_once(api):
    client, store = api
    event = vote()
    assert client.post(event).json() == {"stored": 1, "duplicates": 0}
    assert client.post([event, event]).json() == {"stored": 0, "duplicates": 2}
    assert len(stored(store)) == 1


@pytest.mark.parametrize("origin", [
    "https://help.example.com.evil.com", "https://evil.com", "null", "http://help.example.com",
    "https://help.example.com:8443", "https://xhelp.example.com",
])
def test_case_14_other_origins_get_403_without_cors_headers(api, origin):
    client, store = api
    response = client.post(vote(), {"origin": origin})
    assert response.status_code == 403
    assert "access-control-allow-origin" not in response.headers
    preflight = client.request("OPTIONS", "/api/events", headers={"origin": origin})
    assert preflight.status_code == 403
    assert stored(store) == []


@pytest.mark.parametrize("origin", [SITE, "https://www.example.com", "https://HELP.example.com:443"])
def test_case_14_allowed_origins_match_exactly_and_never_allow_credentials(api, origin):
    client, _ = api
    response = client.post(vote(), {"origin": origin})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == origin
    assert "access-control-allow-credentials" not in response.headers
    preflight = client.request("OPTIONS", "/api/events", headers={"origin": origin})
    assert preflight.status_code == 204 and "POST" in preflight.headers[
        "access-control-allow-methods"]


@pytest.mark.parametrize("header", [{"dnt": "1"}, {"sec-gpc": "1"}])
def test_case_15_do_not_track_stores_nothing(api, header):
    client, store = api
    assert client.post(vote(), header).status_code == 204
    assert stored(store) == []


def test_case_16_no_raw_ip_or_user_agent_is_stored_or_logged(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    client, store = build(tmp_path)
    agent = "Mozilla/5.0 (UniqueAgent-7f3a) Firefox/130.0"
    for event in (vote(), vote(article="nope"), vote(comment="x" * 2000)):
        client.post(event, {"user-agent": agent}, peer="203.0.113.177")
    client.close()
    store.close()
    blob = b"".join(p.read_bytes() for p in tmp_path.glob("events.db*"))
    for secret in ("203.0.113.177", agent):
        assert secret.encode() not in blob
        assert secret not in caplog.text
    assert b"reset-password" in blob  # the event itself is there


def test_case_17_a_held_write_lock_gives_503_with_retry_after_and_loses_nothing(tmp_path):
    store = SQLiteStore(tmp_path / "events.db", busy_timeout_ms=200)
    client, _ = build(tmp_path, store=store)
    other = sqlite3.connect(tmp_path / "events.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    event = vote()
    response = client.post(event)
    assert response.status_code == 503 and int(response.headers["retry-after"]) > 0
    assert client.request("GET", "/api/health").status_code == 503
    other.execute("ROLLBACK")
    other.close()
    assert client.post(event).json() == {"stored": 1, "duplicates": 0}  # the client retries
    assert client.request("GET", "/api/health").json()["ok"] is True
    client.close()
    assert [e["id"] for e in stored(store)] == [event["id"]]
    store.close()


def test_case_18_full_disk_is_503_and_red_health_then_recovers(tmp_path):
    store = SQLiteStore(tmp_path / "events.db")
    client, _ = build(tmp_path, store=store)
    store.max_page_count = next(store.query("PRAGMA page_count", {}))[0]
    batch = [vote(comment="x" * 900) for _ in range(12)]
    assert client.post(batch).status_code == 503
    health = client.request("GET", "/api/health")
    assert health.status_code == 503 and "full" in health.json()["store"]["detail"]
    assert stored(store) == []  # no partial rows
    store.max_page_count = None  # space freed; no restart
    assert client.post(batch).json()["stored"] == 12
    assert client.request("GET", "/api/health").status_code == 200
    client.close()
    store.close()


def test_case_21_paths_are_quoted_and_comments_never_logged(api, caplog):
    caplog.set_level(logging.DEBUG)
    client, _ = api
    client.post(vote(comment="SECRET-COMMENT-TEXT"))
    client.post(vote(comment="SECRET-COMMENT-TEXT", extra=1))
    client.post(b"{}", path="/api/%1b[31mred%0d%0aFAKE: line")
    assert "SECRET-COMMENT-TEXT" not in caplog.text
    assert "\x1b" not in caplog.text and "\r" not in caplog.text
    assert '"/api/%1b[31mred%0d%0aFAKE:%20line" 404' in caplog.text


def test_health_and_openapi(api):
    client, _ = api
    health = client.request("GET", "/api/health")
    assert health.status_code == 200
    assert health.json()["ok"] is True and health.json()["articles"] == 3
    document = client.request("GET", "/api/openapi.json").json()
    assert set(document["paths"]) >= {"/api/events", "/api/health"}
    assert document["components"]["schemas"]["vote"]["properties"]["comment"]["maxLength"] == 1000


def test_rejection_counters_reach_the_database_without_further_events(api):
    client, store = api
    client.post(b"{")

    async def until_written():  # the writer flushes counters about once a second
        for _ in range(100):
            if store.rejections():
                return
            await asyncio.sleep(0.1)

    client.run(until_written())
    assert store.rejections() == {"invalid_json": 1}
