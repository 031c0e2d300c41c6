"""Hand-made event logs for the analytics and report tests.

Times are minutes after T0 = Monday 2026-11-02 10:00 UTC; the window is November 2026.
"""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kbgen.analytics import Manifest, make_window
from kbgen.analytics.manifest import load_manifest
from kbgen.store import open_store

T0 = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
NOVEMBER = make_window("2026-11-01", "2026-12-01")
_ids = itertools.count(1)

MANIFEST = {
    "site_name": "Pennant Help",
    "built": "2026-11-01T00:00:00Z",
    "site_url": None,
    "articles": [
        {"id": "reset-password", "title": "Reset your password", "url": "account/reset/",
         "category": "account", "type": "article", "journey": "use", "audience": "end-user",
         "owner": "ana", "description": "d"},
        {"id": "refunds", "title": "Refunds", "url": "billing/refunds/",
         "category": "billing", "type": "article", "journey": "purchase", "audience": "admin",
         "owner": "ben", "description": "d"},
        {"id": "never-read", "title": "Never read", "url": "billing/never/",
         "category": "billing", "type": "faq", "journey": None, "audience": None,
         "owner": None, "description": "d"},
    ],
    "categories": [{"slug": "account", "title": "Account"},
                   {"slug": "billing", "title": "Billing & plans"}],
}


def at(minutes: float) -> str:
    return (T0 + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def ev(kind: str, session: str, minutes: float, *, id: str | None = None, **fields) -> dict:
    return {"id": id or f"e{next(_ids):05d}", "type": kind, "ts": at(minutes),
            "session": session, **fields}


def view(session, minutes, article, **kw):
    return ev("view", session, minutes, article=article, **kw)


def vote(session, minutes, article, helpful, **kw):
    return ev("vote", session, minutes, article=article, helpful=helpful, **kw)


def contact(session, minutes, stage="submit", article=None):
    fields = {"stage": stage}
    if article:
        fields["article"] = article
    return ev("contact", session, minutes, **fields)


def search(session, minutes, query, results, source="site"):
    return ev("search", session, minutes, query=query, results=results, source=source)


def click(session, minutes, query, article, rank=1):
    return ev("search_click", session, minutes, query=query, article=article, rank=rank)


def nps(session, minutes, score, **kw):
    return ev("nps", session, minutes, score=score, **kw)


def new_store(tmp_path: Path, events: list[dict] = (), tickets: list[dict] = ()):
    store = open_store(f"sqlite:///{tmp_path / 'kbgen.db'}")
    if events:
        store.add_events(list(events))
    if tickets:
        store.add_tickets(list(tickets))
    return store


def write_project(root: Path, manifest: dict | None = MANIFEST) -> Path:
    """A help center folder with mkdocs.yml and (optionally) a built manifest."""
    (root / "content").mkdir(parents=True, exist_ok=True)
    config = root / "mkdocs.yml"
    config.write_text("site_name: Pennant Help\ndocs_dir: content\nplugins:\n  - kbgen\n")
    if manifest is not None:
        (root / ".kbgen").mkdir(exist_ok=True)
        (root / ".kbgen" / "manifest.json").write_text(json.dumps(manifest))
    return config


def manifest_from(data: dict = MANIFEST, tmp_path: Path | None = None) -> Manifest:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(data))
    return load_manifest(path)
