"""Article revisions: a stable short hash of what the customer reads, and its history.

`revision(article)` is the first 12 hex digits of SHA-256 over the title and the body with
every run of whitespace collapsed to one space, so re-wrapping a paragraph or trailing
spaces never make a new revision, while any change of words does. Front matter other than
the title (owner, keywords, review dates) is not what the customer reads and does not count.

Each build records the revisions in `.kbgen/revisions.json` (newest first per article):

    {"version": 1, "articles": {"reset-password": [
        {"rev": "3f9a0c1d2e4b", "since": "2026-11-02T09:14:00Z",
         "commit": "9c1e…", "commit_date": "2026-11-02T09:14:00Z"}, …]}}

`since` is when the revision was introduced: the date of the git commit that introduced it
when the help center is a git checkout and the file is committed unchanged, else the time
of the first build that saw it. A revision already in the history keeps its entry, so a
whitespace-only commit does not move `since`. Reports read this file to say "since"; the
events carry the revision itself (`rev`), so numbers per revision never depend on it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import subprocess
from pathlib import Path
from typing import Any

from kbgen.files import write_json_atomic

log = logging.getLogger(__name__)

REV_LENGTH = 12
FILE_NAME = "revisions.json"
GIT_TIMEOUT_S = 60


def revision(title: str, body: str) -> str:
    """The revision of an article with this title and Markdown body (whitespace-insensitive)."""
    text = " ".join(title.split()) + "\n" + " ".join(body.split())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:REV_LENGTH]


def article_revision(article) -> str:
    return revision(article.title, article.body)


def git_commits(docs_dir: Path) -> dict[str, tuple[str, str]]:
    """src (relative to docs_dir) -> (commit, ISO commit date) of the newest commit that
    touched it, for files committed without local changes. Two git calls for the whole
    folder; {} when it is not a git checkout."""
    try:
        log_out = _git(docs_dir, "log", "--format=%x00%H %cI", "--name-only", "--relative",
                       "--", ".")
        dirty_out = _git(docs_dir, "diff", "HEAD", "--name-only", "-z", "--relative", "--", ".")
    except (OSError, subprocess.SubprocessError) as exc:
        log.debug("No git history for article revisions: %s", exc)
        return {}
    dirty = set(filter(None, dirty_out.split("\x00")))
    found: dict[str, tuple[str, str]] = {}
    for block in log_out.split("\x00")[1:]:
        lines = block.strip().splitlines()
        if not lines:
            continue
        commit, _, when = lines[0].partition(" ")
        for name in lines[1:]:
            name = name.strip()
            if name and name not in dirty:
                found.setdefault(name, (commit, _utc(when)))  # newest commit comes first
    return found


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=GIT_TIMEOUT_S, check=True).stdout


def _utc(iso: str) -> str:
    when = dt.datetime.fromisoformat(iso.strip())
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def load_history(state_dir: Path) -> dict[str, list[dict[str, Any]]]:
    """article id -> its revisions, newest first; {} before the first build that wrote it."""
    path = state_dir / FILE_NAME
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {str(k): [dict(r) for r in v] for k, v in data["articles"].items()}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("Ignoring '%s' (%s): revision dates start again from this build.",
                    path, exc)
        return {}


def record(articles: list, docs_dir: Path, state_dir: Path,
           now: dt.datetime | None = None) -> dict[str, list[dict[str, Any]]]:
    """Add each article's current revision to the history in state_dir and write it back."""
    history = load_history(state_dir)
    built = (now or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    commits = git_commits(docs_dir)
    for article in articles:
        rev = article_revision(article)
        entries = history.setdefault(article.id, [])
        if entries and entries[0].get("rev") == rev:
            continue
        commit, commit_date = commits.get(article.src, (None, None))
        entries.insert(0, {"rev": rev, "since": commit_date or built, "commit": commit,
                           "commit_date": commit_date})
    write_json_atomic(state_dir / FILE_NAME, {"version": 1, "articles": history})
    return history
