"""Plain text and anchors from Markdown, without rendering it."""

from __future__ import annotations

import re

from markdown.extensions.toc import slugify as _toc_slugify

from kbgen.content.inline import link_texts, split_attr_list, strip_tags

# The patterns left are anchored at the start of a line or are single runs of characters:
# none can be retried across a line (links, tags and attribute lists: kbgen.content.inline).
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})")
_ADMONITION = re.compile(r'^\s*(!!!|\?\?\?\+?)\s*\w+(\s+"([^"]*)")?\s*$')
_MARKUP = re.compile(r"[*_`~]+|^\s{0,3}(#{1,6}|>|[-+*]|\d+\.)\s+", re.MULTILINE)
_SPACE = re.compile(r"[ \t]+")


def slugify(text: str) -> str:
    """The anchor Python-Markdown's toc extension gives a heading (its default slugify)."""
    return _toc_slugify(inline_text(text), "-")


def inline_text(text: str) -> str:
    """Heading or inline Markdown reduced to the text a reader sees."""
    text = split_attr_list(text)[0]
    text = strip_tags(link_texts(text))
    return re.sub(r"[*_`]+", "", text).strip()


def iter_prose_lines(markdown: str):
    """(line index, line) for lines outside fenced code blocks."""
    fence = None
    for index, line in enumerate(markdown.splitlines()):
        match = FENCE.match(line)
        if fence:
            if match and match.group(2)[0] == fence[0] and len(match.group(2)) >= len(fence):
                fence = None
            continue
        if match:
            fence = match.group(2)
            continue
        yield index, line


def markdown_to_text(markdown: str) -> str:
    """Markdown as plain text for search and descriptions: no markup, link text kept."""
    out = []
    for line in markdown.splitlines():
        if FENCE.match(line):
            continue
        admonition = _ADMONITION.match(line)
        if admonition:
            line = admonition.group(3) or ""
        line = strip_tags(link_texts(line), " ")
        line = split_attr_list(line)[0]
        line = line.replace("|", " ")
        out.append(line)
    text = _MARKUP.sub("", "\n".join(out))
    return "\n".join(_SPACE.sub(" ", line).strip() for line in text.splitlines()
                     if line.strip() and not _is_table_rule(line))


def _is_table_rule(line: str) -> bool:
    """`---`, `:---`, `---:` or `:---:` (a table's alignment row once "|" became spaces)."""
    cells = line.strip()
    cells = cells[1:] if cells.startswith(":") else cells
    cells = cells[:-1] if cells.endswith(":") else cells
    return len(cells) >= 3 and not cells.strip("-")
