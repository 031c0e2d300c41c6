"""The dashboard's fixed parts: stylesheet, sorting script, CSP and the escaped data island.

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
from typing import Any

from markupsafe import Markup

STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2937;
margin:0;background:#f9fafb}
header,main{max-width:1180px;margin:0 auto;padding:16px 24px}
header{border-bottom:1px solid #e5e7eb;background:#fff;max-width:none}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px}
h3{font-size:15px;margin:16px 0 6px}
.meta{color:#6b7280}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:12px}
.card{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:12px}
.card .label{color:#6b7280;font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card .value{font-size:26px;font-weight:600}
.card .trend{color:#6b7280;font-size:12px}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:12px}
.panel{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:12px;overflow:auto}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{padding:4px 8px;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
th button{all:unset;cursor:pointer;font-weight:600}
th button:focus-visible{outline:2px solid #2563eb}
th[aria-sort=ascending] button::after{content:" \\25B2"}
th[aria-sort=descending] button::after{content:" \\25BC"}
.bad{color:#b91c1c;font-weight:600}.good{color:#15803d}
.comment{white-space:pre-wrap;overflow-wrap:anywhere}
.na{color:#9ca3af}
details{margin:6px 0}summary{cursor:pointer}
ol.actions>li{margin:0 0 10px}ol.actions ul{margin:4px 0}
"""

SCRIPT = """
(function () {
  "use strict";
  function value(cell, numeric) {
    var raw = cell.getAttribute("data-v");
    if (raw === null) { raw = cell.textContent; }
    if (!numeric) { return raw.toLowerCase(); }
    return raw === "" ? null : Number(raw);
  }
  function compare(a, b, dir) {
    if (a === b) { return 0; }
    if (a === null) { return 1; }
    if (b === null) { return -1; }
    return (a < b ? -1 : 1) * dir;
  }
  document.querySelectorAll("table.sortable th button").forEach(function (button) {
    button.addEventListener("click", function () {
      var th = button.parentNode, table = th.closest("table"), body = table.tBodies[0];
      var col = Array.prototype.indexOf.call(th.parentNode.children, th);
      var numeric = th.classList.contains("n");
      var dir = th.getAttribute("aria-sort") === "descending" ? 1 : -1;
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        return compare(value(a.cells[col], numeric), value(b.cells[col], numeric), dir);
      });
      table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
}());
"""

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
