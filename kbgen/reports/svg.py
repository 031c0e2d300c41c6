"""Inline SVG charts for the dashboard: the geometry here, the markup in templates/svg.html.j2.

No script, no CDN, every label escaped by the template. Only SVG presentation attributes
are used (no `style=`), so the page's Content-Security-Policy can forbid inline styles other
than its one hashed stylesheet.
"""

from __future__ import annotations

from typing import Any

INK, MUTED, GOOD, BAD, ACCENT = "#1f2937", "#9ca3af", "#15803d", "#b91c1c", "#2563eb"


def sparkline(values: list[float | None], width: int = 120,
              height: int = 28) -> dict[str, Any] | None:
    """A small line of weekly values; gaps where a week had no data. Each segment is a list
    of (x, y) strings: a line, or a dot for a week alone between gaps."""
    known = [v for v in values if v is not None]
    if len(known) < 1:
        return None
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    step = width / max(len(values) - 1, 1)
    segments: list[list[tuple[str, str]]] = []  # (x, y) points
    current: list[tuple[str, str]] = []
    for i, v in enumerate(values):
        if v is None:
            if current:
                segments.append(current)
            current = []
            continue
        y = height - 3 - (v - low) / span * (height - 6)
        current.append((f"{i * step:.1f}", f"{y:.1f}"))
    if current:
        segments.append(current)
    return {"width": width, "height": height, "segments": segments, "color": ACCENT}


def hbars(items: list[tuple[str, float, str]], color: str, title: str,
          width: int = 560) -> dict[str, Any] | None:
    """Horizontal bars: (label, value 0..1, text shown at the bar's end)."""
    if not items:
        return None
    row, label_w = 24, 230
    bar_max = width - label_w - 60
    bars = []
    for i, (label, value, text) in enumerate(items):
        length = max(value, 0) * bar_max
        bars.append({"y": 4 + i * row, "label": label, "text": text,
                     "short": label if len(label) <= 34 else label[:33] + "…",
                     "length": f"{length:.1f}", "text_x": f"{label_w + length + 6:.1f}"})
    return {"width": width, "height": row * len(items) + 8, "title": title, "color": color,
            "ink": INK,
            "label_w": label_w, "bars": bars}


def columns(weeks: list[str], series: list[tuple[str, list[int], str]], title: str,
            width: int = 560, height: int = 180) -> dict[str, Any] | None:
    """Grouped weekly columns, e.g. help sessions beside contact sessions, with a legend."""
    if not weeks:
        return None
    top = max([max(v, default=0) for _, v, _ in series] + [1])
    plot_h, base = height - 50, height - 30
    group_w = (width - 40) / len(weeks)
    bar_w = max(group_w / (len(series) + 1), 2)
    groups = []
    for i, week in enumerate(weeks):
        x0 = 34 + i * group_w
        bars = []
        for j, (_, values, color) in enumerate(series):
            h = values[i] / top * plot_h
            bars.append({"x": f"{x0 + j * bar_w:.1f}", "y": f"{base - h:.1f}",
                         "height": f"{h:.1f}", "color": color, "value": values[i]})
        groups.append({"week": week, "x": f"{x0:.1f}", "bars": bars})
    legend = [{"x": 40 + j * 150, "name": name, "color": color}
              for j, (name, _, color) in enumerate(series)]
    return {"width": width, "height": height, "title": title, "top": top, "base": base,
            "top_y": base - plot_h + 4, "bar_w": f"{bar_w:.1f}", "groups": groups,
            "legend": legend, "ink": INK, "muted": MUTED}
