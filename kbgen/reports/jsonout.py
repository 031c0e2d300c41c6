"""`--format json`: SPEC.md's stable shape, one object, plain ASCII.

`ensure_ascii` keeps the output safe to print in a terminal (ANSI and bidi characters in
customer text become `\\u001b`, `\\u202e`) while any JSON parser reads it back unchanged.
"""

from __future__ import annotations

import json
from typing import Any


def render_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=True, allow_nan=False, indent=2) + "\n"
