"""Pathological Markdown bodies (issue 14, THREATS 23): each must be checked and built in a
bounded time. Sizes stay under the 100,000-character line limit, so nothing here is refused
for its size: it has to be handled."""

from __future__ import annotations

# name -> body of `size` characters or so (one line unless the name says otherwise)
CASES = {
    "open brackets": lambda size: "[" * size,
    "nested brackets": lambda size: "[" * (size // 2) + "]" * (size // 2),
    "unclosed links": lambda size: "[x](" * (size // 4),
    "unclosed images": lambda size: "![x](" * (size // 5),
    "unclosed html links": lambda size: "<a " * (size // 3),
    "unclosed pointy targets": lambda size: "[x](<" * (size // 5),
    "unclosed link titles": lambda size: '[x](y "' * (size // 7),
    "unclosed tags": lambda size: "<" * size,
    "backtick runs": lambda size: "`a``" * (size // 4),
    "heading attribute lists": lambda size: "## x " + "{#" * (size // 2),
    "closing hashes": lambda size: "## x" + " #" * (size // 2) + " y",
    "escaped brackets": lambda size: "\\[" * (size // 2),
    "html attribute names": lambda size: "<a " + "src " * (size // 4),
    "deep blockquote line": lambda size: "> " * (size // 2) + "x",
    "deep list lines": lambda size: "\n".join("  " * i + "- x" for i in range(size // 1000)),
    "long line of words": lambda size: "word " * (size // 5),
}

# The issue's measurements: kbgen check took 1.7 s to "never" on these, plain MkDocs 0.9 s.
ISSUE_CASES = ("open brackets", "unclosed html links", "unclosed images")

# The cases kbgen refuses before Python-Markdown renders them (kbgen/content/render_limits.py):
# plain MkDocs takes minutes on the first five at 99,000 characters, and the limits are far
# above any real article. name -> what the error says. The other cases are built.
REFUSED = {
    "nested brackets": "this paragraph has 49,500 closing brackets ']'",
    "unclosed links": "this paragraph has 24,750 closing brackets ']'",
    "unclosed images": "this paragraph has 19,800 closing brackets ']'",
    "unclosed html links": "this paragraph has 33,000 HTML tags",
    "unclosed pointy targets": "this paragraph has 19,800 closing brackets ']'",
    "unclosed link titles": "this paragraph has 14,142 closing brackets ']'",
    "deep blockquote line": "this line is nested 49,500 levels deep",
}
