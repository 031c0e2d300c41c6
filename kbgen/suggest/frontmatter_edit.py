"""Add keywords to an article's front matter without touching anything else.

The edit goes through ruamel.yaml's round-trip mode, which keeps comments, key order,
quoting and flow or block style. Before editing, the front matter is loaded and dumped
unchanged: when that does not give back the writer's exact text (an unusual indentation,
say), the file is left alone and the writer gets the keywords to add by hand. The body
after the closing `---` is kept byte for byte, and so are a byte-order mark and CRLF ends.
"""

from __future__ import annotations

import io
import re

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedSeq
from ruamel.yaml.error import YAMLError

BOM = "\ufeff"
_DASH_ITEM = re.compile(r"^( *)- ")
_KEY_LINE = re.compile(r"^( *)[^\s#-][^:]*:\s*(#.*)?$")


class NotEditable(Exception):
    """The front matter cannot be edited without reformatting it (the message says why)."""


def add_keywords(text: str, keywords: list[str]) -> str:
    """`text` (a whole article file) with `keywords` appended to its `keywords` list."""
    bom = text.startswith(BOM)
    body_text = text[1:] if bom else text
    newline = "\r\n" if "\r\n" in body_text.split("\n", 1)[0] + "\n" else "\n"
    lines = body_text.split("\n")
    if not lines or lines[0].rstrip("\r") != "---":
        raise NotEditable("it does not start with a '---' line")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip("\r") in ("---", "...")),
               None)
    if end is None:
        raise NotEditable("its front matter has no closing '---' line")
    front = "\n".join(line.removesuffix("\r") for line in lines[1:end]) + "\n"
    editor = _yaml(front)
    try:
        data = editor.load(front)  # round-trip mode: plain data, never objects
    except YAMLError as exc:
        raise NotEditable(f"its front matter is not valid YAML ({exc})") from None
    if _dump(editor, data) != front:
        raise NotEditable("a round trip through the YAML editor would reformat its front "
                          "matter")
    current = data.get("keywords")
    if current is None:
        seq = CommentedSeq(keywords)
        seq.fa.set_flow_style()
        data["keywords"] = seq
    elif isinstance(current, list):
        current.extend(keywords)
    else:
        raise NotEditable("its 'keywords' is not a list")
    edited = _dump(editor, data).removesuffix("\n").split("\n")
    head = [lines[0], *(line + ("\r" if newline == "\r\n" else "") for line in edited)]
    return (BOM if bom else "") + "\n".join(head + lines[end:])


def _yaml(front: str) -> YAML:
    editor = YAML(typ="rt")
    editor.preserve_quotes = True
    editor.width = 4096  # never re-wrap a writer's long line
    offset = _block_offset(front)
    editor.indent(mapping=2, sequence=offset + 2, offset=offset)
    return editor


def _block_offset(front: str) -> int:
    """How far a block list's dashes sit right of their key (`key:` / `  - x` gives 2)."""
    previous = None
    for line in front.split("\n"):
        dash = _DASH_ITEM.match(line)
        if dash and previous is not None:
            return max(0, len(dash.group(1)) - previous)
        key = _KEY_LINE.match(line)
        previous = len(key.group(1)) if key else None
    return 0


def _dump(editor: YAML, data: object) -> str:
    out = io.StringIO()
    editor.dump(data, out)
    return out.getvalue()
