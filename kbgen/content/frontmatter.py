"""Split an article into YAML front matter and Markdown body, safely.

MkDocs silently turns front matter it cannot parse into body text; kbgen reports it instead.
Only plain YAML is accepted: no custom tags (`!!python/...`), no aliases (the "billion
laughs" fan-out needs them), no duplicate keys, and sizes are bounded so a hostile file
fails fast instead of hanging the build.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

MAX_FILE_BYTES = 2_000_000
MAX_LINE_CHARS = 100_000
MAX_FRONT_MATTER_CHARS = 20_000


class FrontMatterError(Exception):
    def __init__(self, message: str, fix: str, line: int | None = None):
        super().__init__(message)
        self.message, self.fix, self.line = message, fix, line


@dataclass
class Parsed:
    meta: dict[str, Any]
    body: str
    body_line: int  # 1-based line of the file where the body starts
    key_lines: dict[str, int] = field(default_factory=dict)  # 1-based line of each key


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases, so anchor fan-out cannot expand."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases (*name) are not allowed in front matter",
                event.start_mark,
            )
        return super().compose_node(parent, index)


def decode(data: bytes) -> str:
    """UTF-8 text of a file (a byte-order mark is accepted), or a FrontMatterError."""
    if len(data) > MAX_FILE_BYTES:
        raise FrontMatterError(
            f"file is {len(data):,} bytes, over the {MAX_FILE_BYTES:,}-byte limit",
            "split the article into smaller ones or move large data out of content/",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FrontMatterError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            "save the file as UTF-8 in your editor",
            line,
        ) from None
    for number, line_text in enumerate(text.split("\n"), 1):
        if len(line_text) > MAX_LINE_CHARS:
            raise FrontMatterError(
                f"line is {len(line_text):,} characters, over the {MAX_LINE_CHARS:,} limit",
                "break the line up; embedded data does not belong in an article",
                number,
            )
    return text


def parse(text: str) -> Parsed:
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise FrontMatterError(
            "no front matter: the file must start with a line '---'",
            "add front matter with at least id, title and description between '---' lines",
            1,
        )
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        raise FrontMatterError(
            "front matter is not closed", "add a line '---' after the last front matter key", 1
        )
    source = "\n".join(lines[1:end])
    if len(source) > MAX_FRONT_MATTER_CHARS:
        raise FrontMatterError(
            f"front matter is over {MAX_FRONT_MATTER_CHARS:,} characters",
            "keep front matter to the documented keys",
            2,
        )
    meta, key_lines = _load_yaml(source)
    return Parsed(meta, "\n".join(lines[end + 1 :]), end + 2, key_lines)


# libyaml's parser (when PyYAML has it) is ~10x faster than the pure-Python one, which
# dominated loading a 5,000-article help center. Its composer is C code and cannot refuse
# aliases itself, so a first pass over the parse events does that.
_FAST = getattr(yaml, "CSafeLoader", None)


def _refuse_aliases(source: str) -> None:
    for event in yaml.parse(source, Loader=_FAST):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases (*name) are not allowed in front matter",
                event.start_mark,
            )


def _load_yaml(source: str) -> tuple[dict[str, Any], dict[str, int]]:
    try:
        if _FAST is not None:
            _refuse_aliases(source)
    except yaml.MarkedYAMLError as exc:
        raise FrontMatterError(*_describe(exc, source)) from None
    except yaml.YAMLError as exc:
        raise FrontMatterError(f"invalid YAML: {exc}", "fix the YAML syntax", 2) from None
    loader = _FAST(source) if _FAST is not None else _StrictLoader(source)
    try:
        node = loader.get_single_node()
        if node is None:
            raise FrontMatterError(
                "front matter is empty", "add id, title and description keys", 2
            )
        if not isinstance(node, yaml.MappingNode):
            kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
            raise FrontMatterError(
                f"front matter is {kind}, not a mapping of keys",
                "write front matter as 'key: value' lines",
                node.start_mark.line + 2,
            )
        key_lines: dict[str, int] = {}
        for key_node, _ in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 2
            if key in key_lines:
                raise FrontMatterError(
                    f"key '{key}' appears twice (also on line {key_lines[key]})",
                    "keep one of them",
                    line,
                )
            key_lines[key] = line
        return loader.construct_document(node), key_lines
    except yaml.MarkedYAMLError as exc:
        raise FrontMatterError(*_describe(exc, source)) from None
    except yaml.YAMLError as exc:
        raise FrontMatterError(f"invalid YAML: {exc}", "fix the YAML syntax", 2) from None
    finally:
        loader.dispose()


def _describe(exc: yaml.MarkedYAMLError, source: str) -> tuple[str, str, int | None]:
    mark = exc.problem_mark or exc.context_mark
    if mark and "cannot start any token" in (exc.problem or ""):
        lines = source.split("\n")
        if mark.line < len(lines) and lines[mark.line][mark.column:mark.column + 1] == "\t":
            return ("tab character in YAML indentation", "indent with spaces, not tabs",
                    mark.line + 2)
    if exc.context_mark and "quoted scalar" in (exc.context or ""):
        mark = exc.context_mark  # where the quote was opened, not the end of the file
    line = mark.line + 2 if mark else None
    problem = exc.problem or str(exc)
    if "could not determine a constructor for the tag" in problem:
        return (
            f"unsupported YAML tag: {problem.split('tag', 1)[1].strip()}",
            "remove the tag; front matter takes plain values only",
            line,
        )
    if "'\\t'" in problem or "\\t" in problem:
        return ("tab character in YAML indentation", "indent with spaces, not tabs", line)
    if "aliases" in problem:
        return (problem, "write the value out in full instead of using &anchor/*alias", line)
    context = f"{exc.context}: " if exc.context else ""
    return (
        f"invalid YAML: {context}{problem}",
        "check quotes, colons and indentation on that line",
        line,
    )
