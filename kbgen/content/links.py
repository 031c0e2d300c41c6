"""Internal links and snippet includes in article bodies, and where they point."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from kbgen.content.inline import html_link_targets, inline_links, without_code_spans
from kbgen.content.text import iter_prose_lines


@dataclass(frozen=True)
class Link:
    target: str  # as written
    line: int  # 1-based line in the file
    kind: str = "link"  # "link" or "snippet"


def links_in(body: str, body_line: int) -> list[Link]:
    """Links, images, HTML href/src and snippet includes outside code, line by line. Each
    line is scanned in time linear in its length (kbgen.content.inline)."""
    found = []
    for index, line in iter_prose_lines(body):
        number = body_line + index
        snippet = snippet_target(line)
        if snippet:
            found.append(Link(snippet, number, "snippet"))
            continue
        prose = without_code_spans(line)
        found += [Link(link.target, number) for link in inline_links(prose)]
        found += [Link(target, number) for target in html_link_targets(prose)]
        reference = reference_target(prose)
        if reference:
            found.append(Link(reference, number))
    return found


def snippet_target(line: str) -> str | None:
    """The file of a pymdownx.snippets line `--8<-- "path"`."""
    text = line.lstrip()
    dashes = len(text) - len(text.lstrip("-"))
    if not dashes or not text.startswith("8<", dashes):
        return None
    rest = text[dashes + 2 :]
    after = rest.lstrip("-")
    if len(after) == len(rest) or not after[:1].isspace():
        return None
    after = after.lstrip()
    if after[:1] in ("'", '"'):
        after = after[1:]
    end = 0
    while end < len(after) and not after[end].isspace() and after[end] not in "\"'":
        end += 1
    return after[:end] or None


def reference_target(line: str) -> str | None:
    """The target of a reference definition `[label]: target "title"`."""
    indent = len(line) - len(line.lstrip(" \t"))
    if indent > 3 or not line.startswith("[", indent):
        return None
    close = line.find("]", indent + 1)
    if close <= indent + 1 or not line.startswith(":", close + 1):
        return None
    words = line[close + 2 :].split(None, 1)
    if not words:
        return None
    target = words[0]
    if target.startswith("<") and len(target) > 1:
        target = target[1:]
    if target.endswith(">") and len(target) > 1:
        target = target[:-1]
    return target


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
