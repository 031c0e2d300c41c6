"""`kbgen notify` against a real HTTP receiver and a real SMTP server on 127.0.0.1, with
faults (500s, receiver down, slow answers, refused recipients), on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from backend_helpers import BACKENDS, Backend
from browser_helpers import free_port
from conftest import run_kbgen
from loop_helpers import import_events, make_help_center, vote
from notify_helpers import body_of, http_receiver, smtp_server

SECRET = "s3cret-for-tests"
COMMENT = "<!channel> *Step 2* is _wrong_ <b>now</b> & `rm -rf`"


@pytest.fixture(params=[pytest.param(name, marks=[pytest.mark.postgres] if name != "sqlite"
                                      else []) for name in BACKENDS])
def backend(request, tmp_path):
    found = Backend(request.param, tmp_path)
    yield found
    found.close()


def notify_config(hook_port: int, timeout: float = 5) -> str:
    return f"""\
      notify:
        - owner: maria.lopez
          webhook: http://127.0.0.1:{hook_port}/maria
          secret: !ENV KBGEN_TEST_SECRET
          timeout: {timeout}
        - owner: tom
          webhook: http://127.0.0.1:{hook_port}/tom
          secret: !ENV KBGEN_TEST_SECRET
          timeout: {timeout}
        - owner: "*"
          webhook: http://127.0.0.1:{hook_port}/slack
          format: slack
          timeout: {timeout}
        - owner: "*"
          email: leads@example.com
"""


def recent(hours: float) -> str:
    return (datetime.now(UTC) - timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


def notify(root, db, smtp_port, *args):
    env = {"KBGEN_TEST_SECRET": SECRET,
           "KBGEN_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}?from=kbgen@example.com"}
    return run_kbgen("notify", "--db", db, *args, cwd=root, env=env)


def signed(headers: dict, raw: bytes) -> bool:
    expected = "sha256=" + hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(headers.get("X-Kbgen-Signature-256", ""), expected)


def test_each_owner_gets_one_signed_digest_after_the_receiver_recovers(backend, tmp_path):
    with http_receiver() as (receiver, port), smtp_server() as (mailbox, smtp_port):
        root = make_help_center(tmp_path, notify_config(port))
        db = backend.url()
        maria = vote("reset-password", False, recent(5), reason="outdated", comment=COMMENT)
        tom = vote("refunds", False, recent(4), reason="incomplete")
        import_events(root, db, [maria, tom])

        receiver.statuses = [500, 500, 500]
        first = notify(root, db, smtp_port)
        assert first.returncode == 1
        assert first.stderr.count("the receiver answered HTTP 500") == 3
        assert "1 sent, 3 failed, 3 waiting for a retry." in first.stdout
        assert receiver.keys("/maria") == []
        assert len(mailbox.messages) == 1  # the e-mail went out meanwhile

        waiting = notify(root, db, smtp_port)  # before the backoff ends: nothing is sent
        assert waiting.returncode == 0, waiting.stderr
        assert "0 sent, 0 failed, 3 waiting" in waiting.stdout

        second = notify(root, db, smtp_port, "--retry-now")
        assert second.returncode == 0, second.stderr
        assert "3 sent, 0 failed, 0 waiting" in second.stdout
        third = notify(root, db, smtp_port, "--retry-now")
        assert "0 sent, 0 failed, 0 waiting" in third.stdout

    [(headers, raw)] = receiver.accepted("/maria")
    assert signed(headers, raw)
    digest = body_of(raw)
    assert [(f["id"], f["comment"], f["reason_label"]) for f in digest["feedback"]] == [
        (maria["id"], COMMENT, "It is out of date")]
    assert [f["id"] for f in body_of(receiver.accepted("/tom")[0][1])["feedback"]] == [tom["id"]]
    assert len(receiver.accepted("/tom")) == 1

    [(_, slack_raw)] = receiver.accepted("/slack")
    text = json.loads(slack_raw)["text"]
    assert "&lt;!channel&gt;" in text and "<!channel>" not in text
    assert "&lt;b&gt;now&lt;/b&gt; &amp;" in text
    assert "*Step 2*" not in text and "*\u200bStep 2*\u200b" in text

    [message] = mailbox.messages
    assert message["To"] == "leads@example.com"
    html = message.get_body(("html",)).get_content()
    assert "&lt;b&gt;now&lt;/b&gt;" in html and "<b>now" not in html
    assert COMMENT in message.get_body(("plain",)).get_content()


def test_only_what_is_new_goes_out_and_a_dry_run_sends_nothing(tmp_path):
    with http_receiver() as (receiver, port), smtp_server() as (mailbox, smtp_port):
        root = make_help_center(tmp_path, notify_config(port))
        db = f"sqlite:///{tmp_path / 'loop.db'}"
        import_events(root, db, [vote("reset-password", False, recent(3), comment="Old")])
        dry = notify(root, db, smtp_port, "--dry-run")
        assert dry.returncode == 0, dry.stderr
        assert "Would send to maria.lopez (webhook 127.0.0.1:" in dry.stdout
        assert receiver.posts == [] and mailbox.messages == []

        assert notify(root, db, smtp_port).returncode == 0
        newer = vote("reset-password", False, recent(1), comment="New one")
        import_events(root, db, [newer])
        assert notify(root, db, smtp_port).returncode == 0
    digests = [body_of(raw) for _, raw in receiver.accepted("/maria")]
    assert [[f["comment"] for f in d["feedback"]] for d in digests] == [["Old"], ["New one"]]
    assert len({d["key"] for d in digests}) == 2


def test_faults_are_reported_with_their_cause_and_nothing_is_lost(backend, tmp_path):
    down = free_port()  # nothing listens here
    with http_receiver() as (receiver, port), smtp_server() as (mailbox, smtp_port):
        config = notify_config(port, timeout=1).replace(
            f"127.0.0.1:{port}/tom", f"127.0.0.1:{down}/tom")
        root = make_help_center(tmp_path, config)
        db = backend.url()
        import_events(root, db, [vote("reset-password", False, recent(2), comment="Slow"),
                                 vote("refunds", False, recent(2), comment="Down")])
        receiver.delay = 2.5
        mailbox.refuse = True
        first = notify(root, db, smtp_port)
        assert first.returncode == 1
        assert "no answer within 1 s" in first.stderr
        assert "cannot reach the receiver" in first.stderr
        assert "the SMTP server refused the recipient (550 5.1.1 Mailbox unavailable)" \
            in first.stderr
        assert "Traceback" not in first.stderr

        receiver.delay = 0
        mailbox.refuse = False
        second = notify(root, db, smtp_port, "--retry-now")
        assert "cannot reach the receiver" in second.stderr  # still down: kept
        assert "3 sent, 1 failed, 1 waiting" in second.stdout  # maria, slack, e-mail
    # The slow receiver got the first try too late for kbgen, then the retry: one key,
    # which is what Idempotency-Key lets it dedupe.
    assert len(set(receiver.keys("/maria"))) == 1
    assert len(mailbox.messages) == 1


def test_two_processes_at_once_send_each_digest_once(backend, tmp_path):
    with http_receiver() as (receiver, port), smtp_server() as (mailbox, smtp_port):
        root = make_help_center(tmp_path, notify_config(port))
        db = backend.url()
        import_events(root, db, [vote("reset-password", False, recent(2), comment="Twice?"),
                                 vote("refunds", False, recent(2), comment="Once")])
        receiver.delay = 0.3
        env = {"KBGEN_TEST_SECRET": SECRET, "KBGEN_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}"}
        runs = [subprocess.Popen([sys.executable, "-m", "kbgen", "notify", "--db", db],
                                 cwd=root, env={**os.environ, **env},
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(2)]
        outputs = [run.communicate(timeout=120) for run in runs]
        assert [run.returncode for run in runs] == [0, 0], outputs
    for path in ("/maria", "/tom", "/slack"):
        assert len(receiver.accepted(path)) == 1, path
    assert len(mailbox.messages) == 1


GAP_SUBJECTS = ["<b>Delete</b> my account *now* <!channel>",
                "Delete my account permanently & forever",
                "How do I delete my account permanently?"]


def write_gap_tickets(root) -> Path:
    """Three tickets about deleting an account, which no article answers; their sessions
    read "Reset your password" (category account, owner maria.lopez) before writing."""
    path = root / "tickets.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Id", "Created at", "Subject", "Description", "kb_session"])
        for i, subject in enumerate(GAP_SUBJECTS):
            created = (datetime.now(UTC) - timedelta(hours=6 - i)).strftime("%Y-%m-%d %H:%M:%S")
            writer.writerow([f"del-{i}", created, subject, "", f"s-del-{i}"])
    return path


def test_a_new_gap_topic_reaches_the_category_owner_once(backend, tmp_path):
    with http_receiver() as (receiver, port), smtp_server() as (mailbox, smtp_port):
        root = make_help_center(tmp_path, notify_config(port))
        db = backend.url()
        views = [{"id": f"view-del-{i}", "type": "view", "ts": recent(7 - i),
                  "session": f"s-del-{i}", "article": "reset-password"}
                 for i in range(len(GAP_SUBJECTS))]
        import_events(root, db, views)
        imported = run_kbgen("tickets", "import", str(write_gap_tickets(root)), "--preset",
                             "zendesk", "--db", db, cwd=root)
        assert imported.returncode == 0, imported.stderr

        first = notify(root, db, smtp_port)
        assert first.returncode == 0, first.stderr
        assert "3 sent, 0 failed, 0 waiting" in first.stdout  # maria, slack, e-mail; not tom
        second = notify(root, db, smtp_port)
        assert second.returncode == 0, second.stderr
        assert "0 sent, 0 failed, 0 waiting" in second.stdout
        assert "Contact drivers: embedded" not in second.stderr  # the cached analysis

    [(headers, raw)] = receiver.accepted("/maria")
    assert signed(headers, raw)
    [gap] = body_of(raw)["gap_topics"]
    assert gap["tickets"] == ["del-0", "del-1", "del-2"]
    assert gap["category"] == "account" and gap["owners"] == ["maria.lopez"]
    assert "delete" in gap["label"] and sorted(gap["examples"]) == sorted(GAP_SUBJECTS)
    assert body_of(raw)["feedback"] == []
    assert receiver.accepted("/tom") == []

    [(_, slack_raw)] = receiver.accepted("/slack")
    text = json.loads(slack_raw)["text"]
    assert "New gap topics" in text and "1 new gap topic(s)" in text
    assert "&lt;b&gt;Delete&lt;/b&gt; my account *\u200bnow*\u200b &lt;!channel&gt;" in text
    assert "<!channel>" not in text and "<b>" not in text

    [message] = mailbox.messages
    html = message.get_body(("html",)).get_content()
    assert "&lt;b&gt;Delete&lt;/b&gt;" in html and "<b>Delete" not in html
    assert "&amp; forever" in html
    assert GAP_SUBJECTS[0] in message.get_body(("plain",)).get_content()
