"""A small help center with two owners, built for real, and events written for it."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from conftest import article_front, run_kbgen, write_article

NOTIFY_CONFIG = """\
site_name: Loop Help
site_url: https://help.example.com/
docs_dir: content
theme:
  name: material
  font: false
plugins:
  - kbgen:
      contact_url: mailto:help@example.com
{extra}"""


def make_help_center(root: Path, extra: str = "") -> Path:
    """Two articles (owners maria and tom) in `root`, built; returns root."""
    (root / "mkdocs.yml").write_text(NOTIFY_CONFIG.format(extra=extra), encoding="utf-8")
    write_article(root, "account/reset-password.md",
                  article_front("reset-password", owner="maria.lopez"),
                  "## Steps\n\nOpen Settings and choose Reset.\n")
    write_article(root, "billing/refunds.md", article_front("refunds", owner="tom"),
                  "## Steps\n\nAsk for a refund within 30 days.\n")
    built = run_kbgen("build", cwd=root)
    assert built.returncode == 0, built.stderr
    return root


def manifest_rev(root: Path, article: str) -> str:
    data = json.loads((root / ".kbgen" / "manifest.json").read_text(encoding="utf-8"))
    return next(a["rev"] for a in data["articles"] if a["id"] == article)


def vote(article: str, helpful: bool, ts: str, *, rev: str | None = None,
         session: str | None = None, **extra) -> dict:
    event = {"id": str(uuid.uuid4()), "type": "vote", "ts": ts,
             "session": session or f"s-{uuid.uuid4().hex[:12]}", "article": article,
             "helpful": helpful, **extra}
    if rev:
        event["rev"] = rev
    return event


def import_events(root: Path, db_url: str, events: list[dict]) -> None:
    path = root / f"events-{uuid.uuid4().hex[:6]}.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    result = run_kbgen("events", "import", str(path), "--db", db_url, cwd=root)
    assert result.returncode == 0, result.stderr
