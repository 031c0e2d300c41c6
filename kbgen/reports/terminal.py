"""Customer text made safe for a terminal: control, ANSI and bidi characters shown escaped.

A comment such as "\x1b[2J" would clear the support lead's screen and U+202E would reverse
the rest of the line (THREATS.md 26); both are printed as visible `\\x1b` / `\\u202e`.
"""

from __future__ import annotations

import unicodedata

# Bidirectional formatting characters (Trojan Source, CVE-2021-42574) and their neighbours.
_BIDI = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def visible(text: object) -> str:
    """`text` with every control, format or bidi character replaced by its escape."""
    return "".join(_escape(ch) for ch in str(text))


def _escape(ch: str) -> str:
    code = ord(ch)
    if ch == "\\":
        return "\\\\"
    if code in _BIDI or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs"):
        if code < 0x100:
            return f"\\x{code:02x}"
        return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
    return ch


def clip(text: str, width: int) -> str:
    """Cut to `width` terminal columns with an ellipsis; wide (CJK) characters take two."""
    if cell_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        if used + _width(ch) > width - 1:
            break
        out.append(ch)
        used += _width(ch)
    return "".join(out) + "…"


def pad(text: str, width: int, right: bool = False) -> str:
    """`text` clipped and padded to exactly `width` columns."""
    text = clip(text, width)
    fill = " " * (width - cell_width(text))
    return fill + text if right else text + fill


def cell_width(text: str) -> int:
    return sum(_width(ch) for ch in text)


def _width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
