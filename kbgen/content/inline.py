"""Linear scans of inline Markdown written by writers: links, code spans, tags, attribute lists.

Writers' text is untrusted input for the checker. A regular expression like
`!?\\[[^\\]]*\\]\\([^)]*\\)` retried at every `[` of a line of 99,000 `[` rescans the rest of
the line each time: quadratic, a build that never finishes. Everything here walks a line once
(or looks positions up in sorted lists), so the time grows with the length of the text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

# Single characters and plain runs only: no nesting, nothing to backtrack into.
_SPECIAL = re.compile(r"[\\\[\]]")
_WORD_CHAR = re.compile(r"\w")
_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_SPACE = " \t\f\v\r"


@dataclass(frozen=True)
class InlineLink:
    start: int  # of the "[" (or of the "!" of an image)
    end: int  # after the ")"
    label_start: int
    label_end: int  # of the "]"
    target: str  # as written, without <...>


class _Positions:
    """Sorted positions of some characters in a line, looked up by bisection."""

    def __init__(self, line: str, chars: str):
        self._at = [m.start() for m in re.finditer(f"[{re.escape(chars)}]", line)]

    def next(self, start: int, limit: int) -> int:
        """The first position >= start, or `limit` if there is none."""
        index = bisect_left(self._at, start)
        return self._at[index] if index < len(self._at) else limit


class _Tail:
    """`(destination "title")` after a `]`, parsed with position look-ups (no rescans)."""

    def __init__(self, line: str):
        self.line = line
        self.space = _Positions(line, _SPACE)
        self.close = _Positions(line, ")")
        self.gt = _Positions(line, ">")
        self.quotes = {q: _Positions(line, q) for q in "\"'"}
        self._after_space: dict[int, int] = {}

    def _skip_space(self, i: int) -> int:
        """The first non-space position from i; each run of spaces is walked once."""
        if i not in self._after_space:
            line, j = self.line, i
            while j < len(line) and line[j] in _SPACE:
                j += 1
            self._after_space[i] = j
        return self._after_space[i]

    def parse(self, j: int, loose: bool) -> tuple[str, int] | None:
        """(target, end) of the tail whose "(" is at j, or None if it is not one. `loose`
        takes everything up to the next ")" (for link text, where the target is dropped)."""
        line, size = self.line, len(self.line)
        if loose:
            close = self.close.next(j + 1, size)
            return None if close == size else (line[j + 1 : close], close + 1)
        i = self._skip_space(j + 1)
        if i < size and line[i] == "<":
            close = self.gt.next(i + 1, size)
            if close == size:
                return None
            start, stop, i = i + 1, close, close + 1
        else:
            stop = min(self.space.next(i, size), self.close.next(i, size))
            start, i = i, stop
        if stop == start:
            return None
        after = self._skip_space(i)
        if after < size and line[after] in "\"'" and after > i:
            closing = self.quotes[line[after]].next(after + 1, size)
            if closing == size:
                return None
            after = self._skip_space(closing + 1)
        if after < size and line[after] == ")":
            return line[start:stop], after + 1
        return None


def inline_links(line: str, loose: bool = False) -> list[InlineLink]:
    """Inline links and images `[label](target "title")` of one line, ordered by start.

    Brackets are matched with a stack, as CommonMark does: `[![icon](a.png)](b.md)` is an
    image inside a link, and both targets are found. A backslash escapes the next character.
    """
    if "](" not in line:
        return []
    found: list[InlineLink] = []
    tail: _Tail | None = None
    openers: list[int] = []
    resume = escaped = -1
    for match in _SPECIAL.finditer(line):
        at = match.start()
        if at < resume or at == escaped:
            continue
        char = line[at]
        if char == "\\":
            if at + 1 < len(line) and line[at + 1] in _PUNCTUATION:
                escaped = at + 1
        elif char == "[":
            openers.append(at)
        elif openers:
            opener = openers.pop()
            if at + 1 < len(line) and line[at + 1] == "(":
                tail = tail or _Tail(line)
                parsed = tail.parse(at + 1, loose)
                if parsed is not None:
                    image = opener > 0 and line[opener - 1] == "!"
                    found.append(InlineLink(opener - 1 if image else opener, parsed[1],
                                            opener + 1, at, parsed[0]))
                    resume = parsed[1]
                    if not image:
                        openers.clear()  # links do not contain links
    found.sort(key=lambda link: link.start)
    return found


def code_spans(line: str) -> list[tuple[int, int]]:
    """(start, end) of each code span: a run of N backticks up to the next run of exactly N."""
    runs: list[tuple[int, int]] = []  # (start, length)
    i = line.find("`")
    while i != -1:
        j = i
        while j < len(line) and line[j] == "`":
            j += 1
        runs.append((i, j - i))
        i = line.find("`", j)
    later: dict[int, list[int]] = {}  # run length -> indexes of runs, in order
    for index, (_, length) in enumerate(runs):
        later.setdefault(length, []).append(index)
    cursor = dict.fromkeys(later, 0)
    spans, index = [], 0
    while index < len(runs):
        start, length = runs[index]
        same = later[length]
        while cursor[length] < len(same) and same[cursor[length]] <= index:
            cursor[length] += 1
        if cursor[length] == len(same):
            index += 1  # no closing run: the backticks are literal
            continue
        closing = same[cursor[length]]
        spans.append((start, runs[closing][0] + length))
        index = closing + 1
    return spans


def without_code_spans(line: str) -> str:
    if "`" not in line:
        return line
    out, last = [], 0
    for start, end in code_spans(line):
        out.append(line[last:start])
        last = end
    out.append(line[last:])
    return "".join(out)


def link_texts(text: str) -> str:
    """Inline links, images and `[text][ref]` links replaced by their text (line by line)."""
    if "[" not in text:
        return text
    return "\n".join(_link_texts_of_line(line) for line in text.split("\n"))


def _link_texts_of_line(line: str) -> str:
    # Each link's "[" or "![" and its "](target)" go; an image inside a link's label lies
    # between the two, so the cut ranges never overlap.
    cuts = []
    for link in inline_links(line, loose=True):
        cuts += [(link.start, link.label_start), (link.label_end, link.end)]
    cuts.sort()
    out, last = [], 0
    for start, end in cuts:
        out.append(line[last:start])
        last = end
    out.append(line[last:])
    return _reference_link_texts("".join(out))


def _reference_link_texts(line: str) -> str:
    """`[text][ref]` -> `text`: each "][" joins the bracket pair around it, found once."""
    if "][" not in line:
        return line
    out, last = [], 0
    i = line.find("][")
    while i != -1:
        opener = line.rfind("[", last, i)
        closer = line.find("]", i + 2)
        if opener == -1 or closer == -1 or "]" in line[opener + 1 : i]:
            i = line.find("][", i + 1)
            continue
        ref = line[i + 2 : closer]
        if "[" in ref:
            i = line.find("][", i + 1)
            continue
        out.append(line[last:opener])
        out.append(line[opener + 1 : i])
        last = closer + 1
        i = line.find("][", last)
    out.append(line[last:])
    return "".join(out)


def strip_tags(text: str, replacement: str = "") -> str:
    """`<...>` spans replaced, as `<[^>]+>` would, in one pass: after the last ">" there is
    nothing to remove, so an unclosed "<" never makes the scan look ahead twice."""
    if "<" not in text:
        return text
    out, last = [], 0
    i = text.find("<")
    while i != -1:
        close = text.find(">", i + 1)
        if close == -1:
            break
        if close == i + 1:
            i = text.find("<", i + 1)
            continue
        out.append(text[last:i])
        out.append(replacement)
        last = close + 1
        i = text.find("<", last)
    out.append(text[last:])
    return "".join(out)


def split_attr_list(text: str) -> tuple[str, str | None]:
    """(text, attributes) of a heading ending in `{#id .class}`; attributes None if absent."""
    stripped = text.rstrip()
    if not stripped.endswith("}"):
        return text, None
    close = len(stripped) - 1
    previous = stripped.rfind("}", 0, close)
    opener = stripped.find("{", previous + 1, close)
    while opener != -1 and (opener + 1 >= close or stripped[opener + 1] not in ":#."):
        opener = stripped.find("{", opener + 1, close)
    if opener == -1:
        return text, None
    return stripped[:opener].rstrip(), stripped[opener + 1 : close]


def custom_id(attributes: str) -> str | None:
    """The `#id` of an attribute list; with several, the last one wins, as in attr_list."""
    found = None
    i = attributes.find("#")
    while i != -1:
        j = i + 1
        while j < len(attributes) and (_WORD_CHAR.match(attributes[j]) or attributes[j] == "-"):
            j += 1
        if j > i + 1:
            found = attributes[i + 1 : j]
        i = attributes.find("#", j)
    return found


def html_link_targets(line: str) -> list[str]:
    """href/src values of `<a ...>` and `<img ...>` tags in one line of prose."""
    if "<" not in line:
        return []
    lower = line.lower()
    gts = _Positions(lower, ">")
    found = []
    i = lower.find("<")
    while i != -1:
        name_end = i + 1
        while name_end < len(lower) and lower[name_end].isalnum():
            name_end += 1
        if lower[i + 1 : name_end] not in ("a", "img"):
            i = lower.find("<", i + 1)
            continue
        tag_end = gts.next(name_end, len(lower))
        value = _attribute(line, lower, name_end, tag_end)
        if value is None:
            i = lower.find("<", tag_end)  # later tags up to ">" share this tag's text
            continue
        found.append(value[0])
        i = lower.find("<", value[1])
    return found


def _attribute(line: str, lower: str, start: int, end: int) -> tuple[str, int] | None:
    """(value, end) of the first quoted href= or src= between start and end."""
    names = {"href": lower.find("href", start, end), "src": lower.find("src", start, end)}
    while True:
        present = [(at, name) for name, at in names.items() if at != -1]
        if not present:
            return None
        at, name = min(present)
        names[name] = lower.find(name, at + len(name), end)
        if _WORD_CHAR.match(lower[at - 1]):
            continue
        j = _skip_space(lower, at + len(name), end)
        if j >= end or lower[j] != "=":
            continue
        j = _skip_space(lower, j + 1, end)
        if j >= end or lower[j] not in "\"'":
            continue
        close = j + 1
        while close < len(line) and line[close] not in "\"'":
            close += 1
        if close == len(line):
            return None  # no closing quote: no later attribute has one either
        if close > j + 1:
            return line[j + 1 : close], close + 1
        for other, position in names.items():  # `href=""`: look past the empty value
            if position != -1 and position < close:
                names[other] = lower.find(other, close, end)


def _skip_space(text: str, i: int, end: int) -> int:
    while i < end and text[i].isspace():
        i += 1
    return i
