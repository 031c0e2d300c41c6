"""The file edits of a plan: computed in memory, checked, then shown as a diff or written.

Each search test is proposed only when it passes: the edited articles are indexed into a
scratch copy of the built search index, and a test whose article does not come up in the
top 3 for the customer's words (even with the new keyword) is left out with a note. The
existing search tests must still pass on that scratch index too, so `kbgen check` passes
after `--apply` (which also brings the project's search index up to date).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kbgen.content.article import from_parsed
from kbgen.content.frontmatter import parse
from kbgen.errors import KbgenError
from kbgen.files import write_atomic
from kbgen.search import build_index, open_index
from kbgen.search.tests_file import DEFAULT_TOP, run_search_tests
from kbgen.suggest.frontmatter_edit import NotEditable, add_keywords
from kbgen.suggest.plan import Plan, Suggestion
from kbgen.suggest.tests_edit import TestsNotEditable, append_tests

TESTS_FILE = "search-tests.yml"


@dataclass
class FileChange:
    path: Path
    rel: str  # relative to the project root, POSIX (diff paths)
    before: str | None  # None: a new file
    after: str


@dataclass
class Changes:
    files: list[FileChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what could not be done, and why
    articles: list[Any] = field(default_factory=list)  # every published article, edited


def plan_changes(plan: Plan, project: Any, site: Any) -> Changes:
    changes = Changes()
    by_id = {a.id: a for a in site.published()}
    edited = _edit_articles(plan, project, by_id, changes)
    changes.articles = [edited.get(a.id, a) for a in site.published()]
    tests = [s for s in plan.suggestions if s.test]
    if tests or edited:
        _verify_tests(tests, project, site, changes)
    _tests_file(plan, project, changes)
    return changes


def _edit_articles(plan: Plan, project: Any, by_id: dict[str, Any],
                   changes: Changes) -> dict[str, Any]:
    keywords: dict[str, list[Suggestion]] = {}
    for suggestion in plan.suggestions:
        if suggestion.keyword:
            keywords.setdefault(suggestion.article, []).append(suggestion)
    edited = {}
    for article_id, suggestions in keywords.items():
        article = by_id[article_id]
        before = article.path.read_bytes().decode("utf-8")
        try:
            after = add_keywords(before, [s.words for s in suggestions])
        except NotEditable as exc:
            changes.notes.append(
                f"{rel(article.path, project)}: not edited, {exc}. Fix: add to its keywords "
                "by hand: " + ", ".join(repr(s.words) for s in suggestions))
            for s in suggestions:
                s.keyword = False
            continue
        new_article, problems = from_parsed(parse(after.removeprefix("\ufeff")), article.src,
                                            article.path)
        if new_article is None or problems:
            raise KbgenError(f"{rel(article.path, project)}: the edited front matter does "
                             f"not load ({problems}). Nothing was written.")
        edited[article_id] = new_article
        changes.files.append(FileChange(article.path, rel(article.path, project), before,
                                        after))
    return edited


def _verify_tests(tests: list[Suggestion], project: Any, site: Any, changes: Changes) -> None:
    """Drop the proposed tests that would fail; refuse when an existing test would."""
    tests_file = project.docs_dir / TESTS_FILE
    known = {a.id for a in site.articles}
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp) / "search-index"
        shutil.copytree(project.index_dir, scratch)
        engine_log = logging.getLogger("kbgen.search.engine")
        level = engine_log.level
        engine_log.setLevel(logging.WARNING)  # a scratch copy: its re-indexing is no news
        try:
            build_index(changes.articles, scratch)
        finally:
            engine_log.setLevel(level)
        with open_index(scratch) as idx:
            for suggestion in tests:
                ranked = [hit.id for hit in idx.search(suggestion.words, DEFAULT_TOP,
                                                       snippets=False)]
                if suggestion.article not in ranked:
                    suggestion.test = False
                    suggestion.note = (f"search test left out: \"{suggestion.words}\" does not "
                                       f"bring {suggestion.article} into the top {DEFAULT_TOP}"
                                       " even with the keyword")
            if tests_file.exists():
                with open_index(project.index_dir) as current:
                    was = {str(p) for p in run_search_tests(tests_file, current, known)}
                now = [p for p in run_search_tests(tests_file, idx, known) if str(p) not in was]
                if now:
                    raise KbgenError(
                        "the new keywords would make existing search tests fail: "
                        + "; ".join(str(p) for p in now)
                        + ". Fix: raise --min-sessions, or add these keywords by hand.")


def _tests_file(plan: Plan, project: Any, changes: Changes) -> None:
    entries = [(s.words, s.article, _note(s)) for s in plan.suggestions if s.test]
    if not entries:
        return
    path = project.docs_dir / TESTS_FILE
    before = path.read_bytes().decode("utf-8-sig") if path.exists() else None
    try:
        after = append_tests(before, entries)
    except TestsNotEditable as exc:
        changes.notes.append(f"{rel(path, project)}: not edited, {exc}.")
        for s in plan.suggestions:
            s.test = False
        return
    changes.files.append(FileChange(path, rel(path, project), before, after))


def _note(s: Suggestion) -> str:
    return f"{s.sessions} sessions ({s.evidence[0].kind.replace('_', ' ')})"


def apply_changes(changes: Changes, project: Any) -> None:
    """Write every changed file (each replaced whole, never half-written), then bring the
    project's search index up to date so `kbgen check` sees the new keywords."""
    for change in changes.files:
        try:
            write_atomic(change.path, change.after, newline="")
        except OSError as exc:
            raise KbgenError(f"Cannot write '{change.rel}': {exc}. Fix: make the content "
                             "folder writable.") from None
    if any(change.rel.endswith(".md") for change in changes.files):
        build_index(changes.articles, project.index_dir)


def rel(path: Path, project: Any) -> str:
    path = Path(path).resolve()
    root = Path(project.root).resolve()
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
