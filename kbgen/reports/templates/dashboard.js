/* The dashboard's one script (kbgen/reports/page.py hashes it into the page's CSP): sorts a
   table.sortable by the column whose header button is pressed. Numbers sort by the cell's
   data-v; empty ones ("n/a") always go last. A header's first press sorts in its data-first
   direction: the worst first (lowest CSAT, most contacts), names from A. */
(function () {
  "use strict";
  function value(cell, numeric) {
    var raw = cell.getAttribute("data-v");
    if (raw === null) { raw = cell.textContent; }
    if (!numeric) { return raw.trim().toLowerCase(); }
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
      var now = th.getAttribute("aria-sort");
      var first = th.getAttribute("data-first") === "ascending" ? 1 : -1;
      var dir = now === "ascending" ? -1 : now === "descending" ? 1 : first;
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
