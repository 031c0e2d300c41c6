"""Internal links and snippet includes in article bodies, and where they point."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from kbgen.content.text import iter_prose_lines

_INLINE = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^)]*[\"'])?\s*\)")
_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")
_HTML = re.compile(r"""<(?:a|img)\b[^>]*?\b(?:href|src)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_SNIPPET = re.compile(r"""^\s*-{1,}8<-{1,}\s+["']?([^"'\s]+)""")
_CODE_SPAN = re.compile(r"`+[^`]*`+")


@dataclass(frozen=True)
class Link:
    target: str  # as written
    line: int  # 1-based line in the file
    kind: str = "link"  # "link" or "snippet"


def links_in(body: str, body_line: int) -> list[Link]:
    found = []
    for index, line in iter_prose_lines(body):
        snippet = _SNIPPET.match(line)
        if snippet:
            found.append(Link(snippet.group(1), body_line + index, "snippet"))
            continue
        prose = _CODE_SPAN.sub("", line)
        for pattern in (_INLINE, _HTML):
            for match in pattern.finditer(prose):
                found.append(Link(match.group(1), body_line + index))
        reference = _REFERENCE.match(prose)
        if reference:
            found.append(Link(reference.group(1), body_line + index))
    return found


def is_internal(target: str) -> bool:
    parts = urlsplit(target)
    return not (parts.scheme or parts.netloc or target.startswith("//"))


def resolve(source: str, target: str) -> tuple[str | None, str]:
    """(path relative to the content folder or None if it leaves it, anchor) of a link.

    `source` is the linking file's path relative to the content folder.
    """
    parts = urlsplit(target)
    path = unquote(parts.path)
    if not path:
        return source, parts.fragment
    if path.startswith("/"):
        joined = posixpath.normpath(path.lstrip("/"))
    else:
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
    if joined == ".." or joined.startswith("../") or joined.startswith("/"):
        return None, parts.fragment
    return ("" if joined == "." else joined), parts.fragment
