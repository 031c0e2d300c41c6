"""`kbgen serve` as a writer runs it: a real process, spoken to over HTTP."""

from __future__ import annotations

import json
import uuid

import httpx
import pytest

from tests.conftest import run_kbgen
from tests.serve_helpers import serving, wait_for


@pytest.fixture
def served(tmp_path):
    assert run_kbgen("init", cwd=tmp_path).returncode == 0
    db = tmp_path / "events.db"
    with serving(tmp_path, db) as base:
        yield tmp_path, base, db


def test_preview_serves_pages_api_and_reloads_after_an_edit(served):
    root, base, db = served
    page = httpx.get(base + "/getting-started/first-steps/")
    assert page.status_code == 200 and "Your first steps" in page.text
    assert "/_kbgen/livereload" in page.text
    assert httpx.get(base + "/no/such/page/").status_code == 404

    event_id = str(uuid.uuid4())
    vote = {"id": event_id, "type": "vote", "session": "s-test", "article": "first-steps",
            "helpful": False, "reason": "unclear", "comment": "Which settings page?"}
    posted = httpx.post(base + "/api/events", content=json.dumps([vote]),
                        headers={"Content-Type": "text/plain", "Origin": base})
    assert posted.status_code == 200 and posted.json()["stored"] == 1

    article = root / "content/getting-started/first-steps.md"
    article.write_text(article.read_text().replace("Your first steps", "Your very first steps"))
    wait_for(lambda: "Your very first steps" in httpx.get(base + "/getting-started/first-steps/").text)

    exported = run_kbgen("events", "export", "--db", f"sqlite:///{db}", cwd=root)
    events = [json.loads(line) for line in exported.stdout.splitlines()]
    assert [(e["id"], e["comment"]) for e in events] == [(event_id, "Which settings page?")]


def test_a_broken_edit_keeps_the_last_good_preview(served):
    root, base, _ = served
    article = root / "content/getting-started/first-steps.md"
    good = article.read_text()
    article.write_text(good.replace("title: Your first steps", 'title: "broken'))
    log = root / "serve.log"
    # The watcher saw the edit and tried: the failure is in the writer's terminal ...
    wait_for(lambda: "Build failed; still serving the last good build." in log.read_text())
    assert "first-steps.md" in log.read_text()
    # ... and customers of the preview still get the last good page.
    page = httpx.get(base + "/getting-started/first-steps/")
    assert page.status_code == 200 and "Your first steps" in page.text
    # Fixing the file brings the preview back to life.
    article.write_text(good.replace("title: Your first steps", "title: Your fixed steps"))
    wait_for(lambda: "Your fixed steps" in httpx.get(base + "/getting-started/first-steps/").text)


def test_a_failed_first_build_keeps_serving_until_it_is_fixed(tmp_path):
    assert run_kbgen("init", cwd=tmp_path).returncode == 0
    article = tmp_path / "content/getting-started/first-steps.md"
    good = article.read_text()
    article.write_text(good.replace("title: Your first steps", 'title: "broken'))
    with serving(tmp_path, tmp_path / "events.db", ready="/", status=503) as base:
        # Every page says the help center has not been built, and the overlay says why.
        page = httpx.get(base + "/getting-started/first-steps/")
        assert page.status_code == 503 and "has not been built yet" in page.text
        assert "/_kbgen/livereload" in page.text
        why = httpx.get(base + "/_kbgen/livereload?epoch=0&error=0").json()
        assert "first-steps.md" in why["error"] and why["epoch"] == 0
        api = httpx.get(base + "/api/health")
        assert api.status_code == 503 and "not been built yet" in api.json()["error"]
        assert "Traceback" not in (tmp_path / "serve.log").read_text()
        # Fixing the file builds the help center: pages, then the help API, come to life.
        article.write_text(good)
        wait_for(lambda: "Your first steps" in
                 httpx.get(base + "/getting-started/first-steps/").text, timeout=60)
        wait_for(lambda: httpx.get(base + "/api/health").status_code == 200, timeout=60)
        vote = {"id": str(uuid.uuid4()), "type": "vote", "session": "s-test",
                "article": "first-steps", "helpful": True}
        posted = httpx.post(base + "/api/events", content=json.dumps([vote]),
                            headers={"Content-Type": "text/plain", "Origin": base})
        assert posted.status_code == 200 and posted.json()["stored"] == 1
