"""Append search tests to `search-tests.yml`, keeping the writer's file as it is.

New entries go at the end, after a comment that says where they came from; queries are
written as YAML double-quoted strings with every non-ASCII character escaped, so no
customer text can change the file's structure. The result is read back with the loader
`kbgen check` uses before it is accepted.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from kbgen.search.tests_file import load_search_tests

HEADER = ("# Search tests: the words customers actually type -> the article that must come "
          "up.\n# `kbgen check` runs them against the search index; `top` defaults to 3.\n")


class TestsNotEditable(Exception):
    pass


def append_tests(text: str | None, tests: list[tuple[str, str, str]]) -> str:
    """`text` (None: no file yet) with entries (query, article id, evidence note) added."""
    base = HEADER if text is None else text
    newline = "\r\n" if "\r\n" in base else "\n"
    if base and not base.endswith("\n"):
        base += newline
    lines = []
    for query, article, note in tests:
        lines += [f"# kbgen suggest: {note}",
                  f"- query: {json.dumps(query, ensure_ascii=True)}",
                  f"  expect: {article}"]
    result = base + newline.join(lines) + newline
    _check(text, result, len(tests))
    return result


def _check(before: str | None, after: str, added: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        counts = []
        for text in (before or "", after):
            path = Path(tmp) / "search-tests.yml"
            path.write_text(text, encoding="utf-8", newline="")
            tests, problems = load_search_tests(path)
            if problems:
                raise TestsNotEditable(f"search-tests.yml: {problems[0]}")
            counts.append(len(tests))
    if counts[1] != counts[0] + added:
        raise TestsNotEditable("search-tests.yml is not a block list that entries can be "
                               "appended to (a flow list '[...]'?)")
