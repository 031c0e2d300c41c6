"""Search tests for writers: `search-tests.yml` in the content folder.

```yaml
# query -> the article id that must appear in the top N (default 3)
- query: cant log in
  expect: reset-password
  top: 3
```

`kbgen check` runs them against the built index; each failure names the file and line, the
query, where the article ranked and what outranked it. A help center in several languages
can have `search-tests.<lang>.yml` too, run against that language's index.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import yaml

DEFAULT_TOP = 3
SEARCH_DEPTH = 50     # how far down a failing test looks for the expected article
SHOW_OUTRANKED = 5


@dataclass(frozen=True)
class SearchTest:
    query: str
    expect: str
    top: int
    line: int


@dataclass(frozen=True)
class SearchTestProblem:
    """One failing or malformed search test: `str()` is the message for the writer."""

    file: str
    line: int | None
    message: str
    level: str = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class _Searchable(Protocol):
    def search(self, query: str, limit: int = 10) -> list: ...


def load_search_tests(path: Path) -> tuple[list[SearchTest], list[SearchTestProblem]]:
    """The tests in `path`, and a problem for each entry that is not a valid test."""
    name = Path(path).name
    text = Path(path).read_text(encoding="utf-8-sig")
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        return [], [SearchTestProblem(name, line, f"invalid YAML: {exc}. Fix the syntax.")]
    if root is None:
        return [], []
    if not isinstance(root, yaml.SequenceNode):
        return [], [SearchTestProblem(
            name, root.start_mark.line + 1,
            "must be a list of entries like '- query: cant log in' / 'expect: reset-password'",
        )]
    tests, problems = [], []
    constructor = yaml.SafeLoader("")
    for node in root.value:
        line = node.start_mark.line + 1
        entry = constructor.construct_document(node)
        test_or_problem = _parse_entry(entry, line, name)
        if isinstance(test_or_problem, SearchTest):
            tests.append(test_or_problem)
        else:
            problems.append(test_or_problem)
    return tests, problems


def _parse_entry(entry: object, line: int, name: str) -> SearchTest | SearchTestProblem:
    if not isinstance(entry, dict):
        return SearchTestProblem(name, line, "each entry needs 'query' and 'expect' keys")
    query, expect, top = entry.get("query"), entry.get("expect"), entry.get("top", DEFAULT_TOP)
    unknown = sorted(set(entry) - {"query", "expect", "top"})
    if unknown:
        return SearchTestProblem(
            name, line, f"unknown key(s) {', '.join(map(str, unknown))}; "
            "allowed: query, expect, top")
    if not isinstance(query, str | int | float) or not str(query).strip():
        return SearchTestProblem(name, line, "'query' is missing or empty; add the words "
                                 "a customer would type")
    if not isinstance(expect, str) or not expect.strip():
        return SearchTestProblem(name, line, "'expect' is missing; give the article id "
                                 "that must be found")
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        return SearchTestProblem(name, line, f"'top' must be a positive whole number, "
                                 f"not {top!r}")
    return SearchTest(str(query).strip(), expect.strip(), top, line)


def run_search_tests(
    tests_file: Path, idx: _Searchable, known_ids: Collection[str], lang: str = ""
) -> list[SearchTestProblem]:
    """Run every test in `tests_file` against `idx`; one problem per failure. `lang`: the
    tests of another language than the default (`search-tests.<lang>.yml`), whose known ids
    are the articles translated into it."""
    tests, problems = load_search_tests(tests_file)
    name = Path(tests_file).name
    for test in tests:
        if test.expect not in known_ids and lang:
            problems.append(SearchTestProblem(
                name, test.line,
                f'query "{test.query}" expects "{test.expect}", which is not an article '
                f"translated into '{lang}'; use the id of a translated article"))
            continue
        if test.expect not in known_ids:
            problems.append(SearchTestProblem(
                name, test.line,
                f'query "{test.query}" expects unknown article id "{test.expect}"; '
                "use the id from the article's front matter"))
            continue
        ranked = [hit.id for hit in idx.search(test.query, limit=max(SEARCH_DEPTH, test.top))]
        rank = ranked.index(test.expect) + 1 if test.expect in ranked else None
        if rank is not None and rank <= test.top:
            continue
        above = ranked[: (rank - 1) if rank else test.top]
        shown = ", ".join(above[:SHOW_OUTRANKED]) + (", ..." if len(above) > SHOW_OUTRANKED
                                                    else "")
        found = f"found it at rank {rank}" if rank else f"did not find it in the top {SEARCH_DEPTH}"
        outranked = f"; outranked by: {shown}" if shown else "; no results at all"
        problems.append(SearchTestProblem(
            name, test.line,
            f'query "{test.query}" expected {test.expect} in the top {test.top}, '
            f"{found}{outranked}"))
    return problems
