"""Issue 14, the help API half: what an outside audit broke, against the real `kbgen api`
process over HTTP, on SQLite and PostgreSQL.

- a search with a NUL never fails other clients' events (defect 1);
- /api/search's events go through the same checks as POST /api/events (defect 2);
- every /api/search parameter is a 400 naming it, on a surviving keep-alive connection
  (defect 4);
- events of one request keep the order the client sent them in, in the report and after
  export | import (defect 6);
- local origins only in `kbgen serve`, origins compared exactly.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import subprocess
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from api_helpers import BROWSER, SITE, free_port, kbgen_command, make_project, vote
from backend_helpers import BACKENDS, Backend
from pg_helpers import start_api_on
from search_helpers import fixture_docs

from kbgen.api.group_commit import BatchWriter
from kbgen.events import now_ms
from kbgen.project import load_project
from kbgen.search import build_index
from kbgen.store import open_store

BROWSER_HEADERS = {"user-agent": BROWSER, "origin": SITE,
                   "content-type": "text/plain;charset=UTF-8"}


@pytest.fixture(params=[pytest.param(name, marks=[pytest.mark.postgres] if name != "sqlite"
                                      else []) for name in BACKENDS])
def backend(request, tmp_path):
    found = Backend(request.param, tmp_path)
    yield found
    found.close()


class LiveApi:
    """A help center with a search index, and `kbgen api` on a fresh database."""

    def __init__(self, backend: Backend, root: Path, options: str = "") -> None:
        self.root = root
        self.config = make_project(root, options)
        build_index(fixture_docs(), load_project(self.config).index_dir)
        self.url = backend.url()
        self.log = root / "api.log"
        self.port = free_port()
        self.proc = start_api_on(self.config, self.url, self.port, self.log)
        self.base = f"http://127.0.0.1:{self.port}"

    def client(self, **headers) -> httpx.Client:
        return httpx.Client(base_url=self.base, headers={"user-agent": BROWSER, **headers},
                            timeout=20)

    def stored(self, kind: str | None = None) -> list[dict]:
        store = open_store(self.url)
        try:
            return [e for e in store.iter_events() if kind is None or e["type"] == kind]
        finally:
            store.close()

    def health(self) -> dict:
        with self.client() as client:
            return client.get("/api/health").json()

    def stop(self) -> str:
        self.proc.terminate()
        self.proc.wait(timeout=20)
        return self.log.read_text(errors="replace")


@pytest.fixture
def live(backend, tmp_path):
    started: list[LiveApi] = []

    def start(options: str = "      rate_limit: 0\n") -> LiveApi:
        api = LiveApi(backend, tmp_path / f"site-{len(started)}", options)
        started.append(api)
        return api

    yield start
    for api in started:
        if api.proc.poll() is None:
            api.proc.kill()
            api.proc.wait(timeout=20)


# -- defect 1: a poisoned search never fails other clients' events ---------------------------


def test_nul_searches_during_ingest_never_fail_valid_events(live):
    api = live()
    done = threading.Event()
    search_codes: list[int] = []
    post_codes: list[int] = []
    acked: list[str] = []
    lock = threading.Lock()

    def poison() -> None:
        with api.client() as client:
            while not done.is_set():
                try:
                    response = client.get("/api/search?q=a%00b&limit=1")
                except httpx.HTTPError:
                    with lock:
                        search_codes.append(0)  # a reset connection
                    continue
                with lock:
                    search_codes.append(response.status_code)

    def post() -> None:
        with api.client(**BROWSER_HEADERS) as client:
            for _ in range(25):
                batch = [vote(session=f"p-{uuid.uuid4().hex[:8]}", id=str(uuid.uuid4()))
                         for _ in range(4)]
                try:
                    response = client.post("/api/events", content=json.dumps(batch))
                except httpx.HTTPError:
                    with lock:
                        post_codes.append(0)
                    continue
                with lock:
                    post_codes.append(response.status_code)
                    if response.status_code == 200:
                        acked.extend(e["id"] for e in batch)

    poisoners = [threading.Thread(target=poison) for _ in range(3)]
    posters = [threading.Thread(target=post) for _ in range(6)]
    for thread in poisoners + posters:
        thread.start()
    for thread in posters:
        thread.join(timeout=120)
    done.set()
    for thread in poisoners:
        thread.join(timeout=30)
    assert post_codes == [200] * 150
    assert search_codes and set(search_codes) == {400}
    assert sorted(e["id"] for e in api.stored()) == sorted(acked)
    assert api.stored("search") == []
    assert "Traceback" not in api.stop()


def test_a_group_commit_with_a_bad_request_fails_only_that_request(backend):
    """Past the validator (defence in depth): rows a store refuses must fail only the request
    that brought them; the others in the same group commit are stored and acknowledged."""
    store = backend.open()
    writer = BatchWriter(store)
    good = [[vote(session=f"g-{i}", ts=now_ms())] for i in range(8)]
    bad = [vote(session="bad", ts="not a time")]
    if backend.name == "postgresql":  # SQLite stores a NUL; PostgreSQL refuses it
        bad = [vote(session="bad", ts=now_ms(), comment="NUL \x00 here")]

    async def together():
        tasks = [asyncio.ensure_future(writer.submit(events)) for events in good[:4]]
        tasks.append(asyncio.ensure_future(writer.submit(bad)))
        tasks += [asyncio.ensure_future(writer.submit(events)) for events in good[4:]]
        results = await asyncio.gather(*tasks, return_exceptions=True)
        await writer.aclose()
        return results

    results = asyncio.run(together())
    assert results[:4] + results[5:] == [1] * 8
    assert isinstance(results[4], Exception)
    assert sorted(e["session"] for e in store.iter_events()) == sorted(
        f"g-{i}" for i in range(8))


# -- defect 2: one ingestion path, whichever route ----------------------------------------


def test_search_events_obey_privacy_bots_origins_and_the_shared_rate_limit(live):
    api = live("      rate_limit: 1\n")  # a burst of 10, then one event a minute
    refused = [
        {"dnt": "1"}, {"sec-gpc": "1"}, {"user-agent": "curl/8.5.0"},
        {"user-agent": "python-requests/2.32"}, {"user-agent": ""},
        {"user-agent": "Mozilla/5.0 HeadlessChrome/120.0"}, {"origin": "https://evil.example"},
    ]
    with api.client() as client:
        for headers in refused:
            response = client.get("/api/search", params={"q": "reset password"},
                                  headers=headers)
            assert response.status_code == 200  # the answer is served, just not recorded
            assert response.json()["results"][0]["id"] == "reset-password"
        answers = [client.get("/api/search", params={"q": f"password {i}", "session": "s-1"})
                   for i in range(25)]
        assert {r.status_code for r in answers} == {200}
        deadline = time.monotonic() + 15
        while len(api.stored("search")) < 10 and time.monotonic() < deadline:
            time.sleep(0.1)
        # The same limiter as POST /api/events: this client's burst is spent.
        post = client.post("/api/events", content=json.dumps(vote()), headers=BROWSER_HEADERS)
        assert post.status_code == 429 and int(post.headers["retry-after"]) >= 1
    health = api.health()
    assert health["pending_events"] == 0
    searches = api.stored("search")
    assert [(e["query"], e["source"], e["session"]) for e in searches] == [
        (f"password {i}", "api", "s-1") for i in range(10)]
    assert api.stored() == searches
    counts = health["rejections"]
    assert counts["do_not_track"] == 2 and counts["bot"] == 4
    assert counts["forbidden_origin"] == 1 and counts["rate_limited"] == 15 + 1
    api.stop()


# -- defect 4: every parameter a 4xx naming it --------------------------------------------


BAD_PARAMETERS = [
    ("limit", "limit=%C2%B2"), ("limit", "limit=-1"), ("limit", "limit=1e3"),
    ("limit", "limit=0"), ("limit", "limit=51"), ("limit", "limit=" + "9" * 400),
    ("limit", "limit="), ("limit", "limit=%00"), ("limit", "limit=%EF%BC%95"),
    ("limit", "limit=5&limit=6"), ("q", "q=a%00b"), ("q", "q=" + "x" * 501),
    ("q", "q=a&q=b"), ("session", "q=x&session=%00"), ("session", "q=x&session=a%20b"),
    ("session", "q=x&session=" + "s" * 65), ("session", "q=x&session="),
    ("record", "q=x&record=2"), ("record", "q=x&record=yes"), ("record", "q=x&record=%00"),
]


def test_every_bad_search_parameter_is_a_400_naming_it_and_the_connection_survives(live):
    api = live()
    conn = http.client.HTTPConnection("127.0.0.1", api.port, timeout=20)
    headers = {"User-Agent": BROWSER}
    conn.request("GET", "/api/search?q=invoice", headers=headers)
    first = conn.getresponse()
    assert first.status == 200
    first.read()
    socket_in_use = conn.sock
    for name, query in BAD_PARAMETERS:
        conn.request("GET", f"/api/search?{query}", headers=headers)
        response = conn.getresponse()
        body = json.loads(response.read())
        assert (response.status, body["parameter"]) == (400, name), query
        assert body["error"].startswith(name), query
        assert conn.sock is socket_in_use, f"connection closed after {query}"
    conn.request("GET", "/api/search?" + "q=" + quote("reset password") + "&limit=2",
                 headers=headers)
    last = conn.getresponse()
    assert last.status == 200 and len(json.loads(last.read())["results"]) <= 2
    assert conn.sock is socket_in_use
    conn.close()
    log = api.stop()
    assert "Traceback" not in log and " 500 " not in log
    assert api.stored("search") != []  # the good searches were recorded


# -- defect 6: the order a client sent its events in -----------------------------------------


def view(session: str, article: str) -> dict:
    return {"id": str(uuid.uuid4()), "type": "view", "session": session, "article": article}


def contact(session: str) -> dict:
    return {"id": str(uuid.uuid4()), "type": "contact", "session": session, "stage": "submit"}


def report(config: Path, url: str) -> dict:
    result = subprocess.run(kbgen_command("report", "-f", str(config), "--db", url,
                                          "--format", "json"),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return {row["id"]: row for row in json.loads(result.stdout)["articles"]}


def metrics(row: dict) -> dict:
    names = ("view_sessions", "contact_after_view", "deflection_rate", "deflected_sessions",
             "helpful", "not_helpful")
    return {name: row[name] for name in names}


def test_events_of_one_request_keep_the_clients_order_in_the_report_and_export(live, backend):
    api = live()
    with api.client(**BROWSER_HEADERS) as client:
        for i in range(10):
            # batched: [view, contact submit] and [vote yes, vote no] in one request each
            batch = [view(f"b-{i}", "reset-password"), contact(f"b-{i}")]
            votes = [vote(session=f"bv-{i}", article="refunds", helpful=True, reason=None),
                     vote(session=f"bv-{i}", article="refunds", helpful=False)]
            for body in (batch, votes):
                assert client.post("/api/events", content=json.dumps(body)).status_code == 200
            # one by one: the same, on another article
            for event in (view(f"o-{i}", "billing-faq"), contact(f"o-{i}"),
                          vote(session=f"ov-{i}", article="billing-faq", helpful=True,
                               reason=None),
                          vote(session=f"ov-{i}", article="billing-faq", helpful=False)):
                assert client.post("/api/events", content=json.dumps(event)).status_code == 200
    api.stop()
    rows = report(api.config, api.url)
    batched, one_by_one = rows["reset-password"], rows["billing-faq"]
    assert batched["contact_after_view"] == 1.0 and batched["deflected_sessions"] == 0
    assert rows["refunds"]["helpful"] == 0 and rows["refunds"]["not_helpful"] == 10
    assert metrics(batched) == {**metrics(one_by_one), "helpful": 0, "not_helpful": 0}
    assert (one_by_one["helpful"], one_by_one["not_helpful"]) == (0, 10)

    # The documented move: kbgen events export | kbgen events import, same numbers after.
    moved = backend.url()
    exporter = subprocess.Popen(kbgen_command("events", "export", "--db", api.url),
                                stdout=subprocess.PIPE)
    importer = subprocess.run(kbgen_command("events", "import", "/dev/stdin", "--db", moved),
                              stdin=exporter.stdout, capture_output=True, text=True,
                              timeout=120)
    exporter.stdout.close()
    assert exporter.wait(timeout=60) == 0 and importer.returncode == 0, importer.stderr
    after = report(api.config, moved)
    for article in ("reset-password", "billing-faq", "refunds"):
        assert metrics(after[article]) == metrics(rows[article])


def test_events_of_one_request_get_increasing_times_in_the_order_sent(live):
    api = live()
    batch = [{**view("seq", "refunds"), "id": f"seq-{i:02d}-{uuid.uuid4().hex[:6]}"}
             for i in range(30)]
    batch.reverse()  # ids sort opposite to the order sent
    with api.client(**BROWSER_HEADERS) as client:
        assert client.post("/api/events", content=json.dumps(batch)).status_code == 200
    api.stop()
    exported = api.stored()
    assert [e["id"] for e in exported] == [e["id"] for e in batch]
    assert len({e["ts"] for e in exported}) == 30


# -- origins ------------------------------------------------------------------------------


LOCAL_AND_MALFORMED_ORIGINS = [
    "http://localhost:8000", "http://127.0.0.1:8000", "https://help.example.com#",
    "https://help.example.com/", "https://help.example.com/docs", "https://u@help.example.com",
    "https://help.example.com?", "https://help.example.com.", "https://help.example.com:443/",
    "https://help.example.com:abc",
]


def test_production_api_refuses_local_and_malformed_origins_without_echoing(live):
    api = live()
    with api.client() as client:
        for origin in LOCAL_AND_MALFORMED_ORIGINS:
            response = client.post("/api/events", content=json.dumps(vote()),
                                   headers={**BROWSER_HEADERS, "origin": origin})
            preflight = client.options("/api/events", headers={"origin": origin})
            search = client.get("/api/search", params={"q": "invoice"},
                                headers={"origin": origin})
            assert (response.status_code, preflight.status_code, search.status_code) == (
                403, 403, 200), origin
            for answer in (response, preflight, search):
                assert "access-control-allow-origin" not in answer.headers, origin
        allowed = client.post("/api/events", content=json.dumps(vote()), headers=BROWSER_HEADERS)
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == SITE
    assert len(api.stored()) == 1  # not the refused events, nor the refused origins' searches
    api.stop()


# -- the OpenAPI document says what the server enforces --------------------------------------


def _event(kind: str, **fields) -> dict:
    base = {"view": {"article": "refunds"}, "search": {"query": "refund", "results": 2},
            "search_click": {"query": "refund", "article": "refunds", "rank": 1},
            "vote": {"article": "refunds", "helpful": False},
            "contact": {"stage": "submit"}, "nps": {"score": 7}}[kind]
    return {"id": str(uuid.uuid4()), "type": kind, "session": "doc-1", **base, **fields}


DOCUMENT_CASES = [
    _event("search", query=""), _event("search", query="   "), _event("search", query="a\x00b"),
    _event("search", query="x" * 500), _event("search", query="x" * 501),
    _event("search", source=None), _event("search", source="api"), _event("search", source="x"),
    _event("search", results=100_000), _event("search", results=100_001),
    _event("search_click", rank=0), _event("search_click", rank=10_000),
    _event("vote", comment=None), _event("vote", comment=""), _event("vote", reason=None),
    _event("vote", comment="x" * 1000), _event("vote", comment="x" * 1001),
    _event("vote", comment="NUL \x00"), _event("vote", helpful=None),
    _event("contact", article=None, channel=None), _event("contact", channel="e mail"),
    _event("nps", comment=None), _event("nps", score=11), _event("nps", score=None),
    _event("view", id="!bad"), _event("view", id="x" * 65), _event("view", session=None),
    _event("view", ts="2026-11-24T10:02:03Z"), _event("view", ts=1_700_000_000_000),
    _event("view", ts=None), _event("view", ts=-1), _event("view", extra=1),
]


def test_the_openapi_document_accepts_exactly_what_the_server_accepts(live):
    import jsonschema_rs

    api = live()
    with api.client(**BROWSER_HEADERS) as client:
        document = client.get("/api/openapi.json").json()
        schemas = document["components"]["schemas"]
        disagreements = []
        for event in DOCUMENT_CASES:
            documented = jsonschema_rs.validator_for(schemas[event["type"]]).is_valid(event)
            status = client.post("/api/events", content=json.dumps(event)).status_code
            assert status in (200, 422), event
            if documented != (status == 200):
                disagreements.append((event, documented, status))
    api.stop()
    assert disagreements == []
    search = document["paths"]["/api/search"]["get"]
    assert {p["name"] for p in search["parameters"]} == {"q", "limit", "session", "record",
                                                          "lang"}
    assert schemas["search"]["properties"]["query"]["minLength"] == 1
    assert "null" in schemas["vote"]["properties"]["comment"]["type"]
