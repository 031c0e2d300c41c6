"""Markdown that Python-Markdown (plain MkDocs too) renders in quadratic time, refused before
it is rendered (THREATS 23: never a hang).

Python-Markdown's time grows with the square of the number of bracketed spans and HTML tags
inside one paragraph, and with the square of the nesting depth of lists and blockquotes.
Measured with kbgen's extensions (benchmarks/results/hostile_markdown.txt): one paragraph of
800 images takes 9.6 s, 2,000 links 54 s, 6,666 unclosed `<a ` 7.6 s, 1,000 nested list or
blockquote levels 36 s. The limits below are many times what a real article has and keep a
paragraph at the limit well under a second. This module counts in one pass over the lines.
"""

from __future__ import annotations

import re

from kbgen.content.problems import Problem
from kbgen.content.text import FENCE

MAX_BRACKETS = 200  # "]" in one paragraph: links, images, [bracketed] text
MAX_TAGS = 1_000  # "<tag", "</tag", "<!" openings in one paragraph, closed or not
MAX_DEPTH = 50  # nested list items and blockquotes on one line
# Python-Markdown's work for a file: the sum over its paragraphs of brackets squared (and
# tags squared / 25, a tag costing about a fifth of a link): 20 paragraphs at the limit.
MAX_FILE_WORK = 20 * MAX_BRACKETS**2

_TAG = re.compile(r"<[A-Za-z/!?]")
_TABLE_RULE = re.compile(r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*")
_PREFIX = re.compile(r"[ \t>]|(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$)")


def _prefix(line: str) -> tuple[int, bool, str]:
    """(nesting depth, whether a list marker starts the line, the rest) of one line: each
    '>' and list marker is a level, and so is each 4 columns of indentation."""
    depth, columns, marker, i = 0, 0, False, 0
    while True:
        match = _PREFIX.match(line, i)
        if not match:
            break
        char = match.group()
        if char in " \t":
            columns += 4 if char == "\t" else 1
        else:
            depth += 1 + columns // 4
            columns = 0
            marker = marker or char != ">"
        i = match.end()
    return depth + columns // 4, marker, line[i:]


class _Paragraph:
    def __init__(self, line: int):
        self.line = line
        self.brackets = 0
        self.tags = 0


def render_problems(body: str, body_line: int, file: str) -> list[Problem]:
    """Problems for paragraphs and lines of `body` that Python-Markdown takes minutes to
    render: the first of each kind, at its file line. Fenced code is not rendered as Markdown
    and is not counted; an unclosed fence is (superfences renders it as text)."""
    worst: dict[str, tuple[int, int]] = {}  # kind -> (line, count) of the first over the limit

    def note(kind: str, line: int, count: int, limit: int) -> None:
        if count > limit and kind not in worst:
            worst[kind] = (line, count)

    work = {"total": 0, "line": body_line, "most": -1}

    def close(paragraph: _Paragraph | None) -> None:
        if paragraph is not None:
            note("brackets", paragraph.line, paragraph.brackets, MAX_BRACKETS)
            note("tags", paragraph.line, paragraph.tags, MAX_TAGS)
            cost = paragraph.brackets**2 + paragraph.tags**2 // 25
            work["total"] += cost
            if cost > work["most"]:
                work.update(line=paragraph.line, most=cost)

    paragraph: _Paragraph | None = None
    is_list = is_table = False
    previous = None
    for index, line in _lines(body):
        number = body_line + index
        depth, marker, rest = _prefix(line)
        note("depth", number, depth, MAX_DEPTH)
        if not rest.strip() or previous is None or index != previous + 1:
            close(paragraph)
            paragraph = None
        previous = index
        if not rest.strip():
            continue
        if paragraph is None:
            paragraph, is_list, is_table = _Paragraph(number), marker, False
        elif (is_list and marker) or is_table:
            # Python-Markdown renders list items and table rows one by one; a list line right
            # after a paragraph line continues that paragraph (no blank line, no list).
            close(paragraph)
            paragraph = _Paragraph(number)
        elif "|" in line and _TABLE_RULE.fullmatch(line):
            is_table = True
        paragraph.brackets += line.count("]")
        paragraph.tags += len(_TAG.findall(line))
    close(paragraph)
    if "brackets" not in worst and "tags" not in worst:
        note("file", work["line"], work["total"], MAX_FILE_WORK)
    return [_problem(kind, file, line, count) for kind, (line, count) in worst.items()]


def _lines(body: str):
    """(index, line) of the lines Python-Markdown renders as Markdown: all but fenced code
    (text.iter_prose_lines), with the lines of a fence that is never closed."""
    fence, held = None, []
    for index, line in enumerate(body.splitlines()):
        match = FENCE.match(line)
        if fence:
            held.append((index, line))
            if match and match.group(2)[0] == fence[0] and len(match.group(2)) >= len(fence):
                fence, held = None, []
        elif match:
            fence, held = match.group(2), [(index, line)]
        else:
            yield index, line
    yield from held


def _problem(kind: str, file: str, line: int, count: int) -> Problem:
    if kind == "brackets":
        return Problem(
            file, f"this paragraph has {count:,} closing brackets ']' (links, images or "
            f"[bracketed] text), over the limit of {MAX_BRACKETS:,} per paragraph: Markdown "
            "takes minutes to render that many in one paragraph",
            "close or remove the stray '[', '](' and ']' or split the paragraph with blank "
            "lines (a list needs a blank line before it)", line)
    if kind == "tags":
        return Problem(
            file, f"this paragraph has {count:,} HTML tags ('<' followed by a letter, '/' or "
            f"'!'), over the limit of {MAX_TAGS:,} per paragraph: Markdown takes minutes to "
            "render that many in one paragraph",
            "close or remove the stray '<' (write '&lt;' for a literal '<') or split the "
            "paragraph with blank lines", line)
    if kind == "file":
        return Problem(
            file, "this file has so many paragraphs dense with links, images and HTML tags "
            "that Markdown takes minutes to render it (this paragraph is the densest; the "
            f"limit is about {MAX_FILE_WORK // MAX_BRACKETS**2} paragraphs of "
            f"{MAX_BRACKETS:,} links, or many more smaller ones)",
            "split the article into several, or the dense paragraphs into smaller ones", line)
    return Problem(
        file, f"this line is nested {count:,} levels deep (list items and '>' quotes), over "
        f"the limit of {MAX_DEPTH} levels: Markdown takes minutes to render such nesting",
        "flatten the lists and quotes", line)
