"""The `kbgen new` scaffold's placeholders, which must never reach customers.

A new article starts as `status: draft` with TODO in its description, owner and body. A
published article that still has one fails `kbgen check` (strict or not): the scaffold's
text is not an answer, and publishing it by accident is exactly what a check is for.
"""

from __future__ import annotations

from kbgen.content.article import Article, atx_heading
from kbgen.content.problems import Problem
from kbgen.content.text import iter_prose_lines

PLACEHOLDER = "TODO"
FIELDS = ("title", "description", "owner", "audience")
_LIST_MARKERS = "-*+>0123456789. \t"


def placeholder_problems(article: Article, file: str) -> list[Problem]:
    """An error per front matter value and per body line that starts with the placeholder."""
    fix = ("write the real text, or keep 'status: draft' until it is ready "
           "(drafts are built only with --drafts)")
    problems = []
    for key in FIELDS:
        value = getattr(article, key) or ""
        if is_placeholder(value):
            message = f"'{key}' is still the scaffold's placeholder: {value[:60]}"
            problems.append(Problem(file, message, fix, article.key_lines.get(key)))
    for index, line in iter_prose_lines(article.body):
        heading = atx_heading(line)
        text = heading[1] if heading else line.lstrip(_LIST_MARKERS)
        if is_placeholder(text):
            message = f"the scaffold's placeholder text is still here: {line.strip()[:60]}"
            problems.append(Problem(file, message, fix, article.body_line + index))
    return problems


def is_placeholder(text: str) -> bool:
    """'TODO', 'TODO: ...' or 'TODO the first step': the marker as a word of its own."""
    if not text.startswith(PLACEHOLDER):
        return False
    rest = text[len(PLACEHOLDER):]
    return not rest or not (rest[0].isalnum() or rest[0] == "_")
