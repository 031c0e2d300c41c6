"""The dashboard's fixed parts: stylesheet, sorting script, CSP and the escaped data island.

The stylesheet and the script are templates/dashboard.css and dashboard.js, read once.

These are the only parts of the page the templates do not escape (`fixed_parts` marks them
safe): none holds a report value except the data island, which escapes itself for the one
place it goes.

The stylesheet and the script are constants with no report data in them, so their SHA-256
hashes in the Content-Security-Policy allow exactly them and nothing a customer typed
(THREATS.md 24). The report itself sits in a `type="application/json"` block, which no
browser executes, with `<`, `>`, `&`, U+2028 and U+2029 escaped so it cannot end its element.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from importlib import resources
from typing import Any

from markupsafe import Markup

_FILES = resources.files("kbgen.reports") / "templates"
STYLE = (_FILES / "dashboard.css").read_text(encoding="utf-8")
SCRIPT = (_FILES / "dashboard.js").read_text(encoding="utf-8")

_JSON_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                               "\u2028": "\\u2028", "\u2029": "\\u2029"})


def csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy() -> str:
    """Nothing loads from anywhere; only the two hashed inline blocks run or apply."""
    return (
        "default-src 'none'; "
        f"style-src {csp_hash(STYLE)}; "
        f"script-src {csp_hash(SCRIPT)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def json_island(data: Any) -> str:
    """JSON safe inside `<script type="application/json">`: it cannot close the element."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    return text.translate(_JSON_ESCAPES)


def fixed_parts(report: dict[str, Any]) -> dict[str, Markup]:
    """The template's `style`, `script`, `csp` (for a double-quoted attribute) and `data`."""
    return {
        "style": Markup(STYLE),
        "script": Markup(SCRIPT),
        # A constant; written as html.escape writes it (`'` as `&#x27;`), as it always was.
        "csp": Markup(html.escape(content_security_policy(), quote=True)),
        "data": Markup(json_island(report)),
    }
