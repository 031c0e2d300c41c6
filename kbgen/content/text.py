"""Plain text and anchors from Markdown, without rendering it."""

from __future__ import annotations

import re

from markdown.extensions.toc import slugify as _toc_slugify

_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_REF_LINK = re.compile(r"\[([^\]]*)\]\[[^\]]*\]")
_TAG = re.compile(r"<[^>]+>")
_ATTR_LIST = re.compile(r"\s*\{[:#.][^}]*\}\s*$")
_ADMONITION = re.compile(r'^\s*(!!!|\?\?\?\+?)\s*\w+(\s+"([^"]*)")?\s*$')
_MARKUP = re.compile(r"[*_`~]+|^\s{0,3}(#{1,6}|>|[-+*]|\d+\.)\s+", re.MULTILINE)
_SPACE = re.compile(r"[ \t]+")


def slugify(text: str) -> str:
    """The anchor Python-Markdown's toc extension gives a heading (its default slugify)."""
    return _toc_slugify(inline_text(text), "-")


def inline_text(text: str) -> str:
    """Heading or inline Markdown reduced to the text a reader sees."""
    text = _ATTR_LIST.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _REF_LINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    return re.sub(r"[*_`]+", "", text).strip()


def iter_prose_lines(markdown: str):
    """(line index, line) for lines outside fenced code blocks."""
    fence = None
    for index, line in enumerate(markdown.splitlines()):
        match = _FENCE.match(line)
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
        if _FENCE.match(line):
            continue
        admonition = _ADMONITION.match(line)
        if admonition:
            line = admonition.group(3) or ""
        line = _LINK.sub(r"\1", line)
        line = _REF_LINK.sub(r"\1", line)
        line = _TAG.sub(" ", line)
        line = _ATTR_LIST.sub("", line)
        line = line.replace("|", " ")
        out.append(line)
    text = _MARKUP.sub("", "\n".join(out))
    text = re.sub(r"^\s*:?-{3,}:?\s*$", "", text, flags=re.MULTILINE)
    return "\n".join(_SPACE.sub(" ", line).strip() for line in text.splitlines() if line.strip())
