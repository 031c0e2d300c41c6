"""The dashboard's charts: the geometry here, the markup in templates/svg.html.j2.

No script, no CDN, every label escaped by the template. Colours come from the stylesheet's
classes (light and dark), with SVG presentation attributes as the fallback; no `style=`, so
the page's Content-Security-Policy can forbid inline styles other than its one hashed
stylesheet. Bar lists are HTML (labels wrap and links work on a phone), each bar a one-rect
SVG whose width is a percentage.
"""

from __future__ import annotations

from typing import Any

INK, MUTED, GOOD, BAD, ACCENT = "#1f2937", "#6b7280", "#15803d", "#b91c1c", "#2563eb"


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


def bars(items: list[dict[str, Any]], top: float = 1.0) -> list[dict[str, Any]]:
    """Items with a `value` (0..top) each get `percent`, their bar's share of the width."""
    top = top or 1.0
    return [item | {"percent": f"{max(item['value'], 0) / top * 100:.1f}%"} for item in items]


def columns(labels: list[str], partial: list[bool], series: list[tuple[str, list[int], str]],
            title: str, width: int = 480, height: int = 190) -> dict[str, Any] | None:
    """Grouped weekly columns (e.g. sessions that used help beside those that contacted
    support); `partial` weeks are drawn lighter and labelled so."""
    if not labels:
        return None
    top = max([max(v, default=0) for _, v, _ in series] + [1])
    plot_h, base = height - 58, height - 40
    group_w = (width - 40) / len(labels)
    bar_w = max(group_w / (len(series) + 1), 2)
    groups = []
    for i, label in enumerate(labels):
        x0 = 36 + i * group_w
        col = []
        for j, (name, values, kind) in enumerate(series):
            h = values[i] / top * plot_h
            col.append({"x": f"{x0 + j * bar_w:.1f}", "y": f"{base - h:.1f}",
                        "height": f"{h:.1f}", "kind": kind, "name": name, "value": values[i],
                        "color": BAD if kind == "contact" else ACCENT})
        groups.append({"label": label, "partial": partial[i], "x": f"{x0:.1f}",
                       "mid": f"{x0 + bar_w * len(series) / 2:.1f}", "bars": col})
    return {"width": width, "height": height, "title": title, "top": top, "base": base,
            "top_y": base - plot_h + 4, "bar_w": f"{bar_w:.1f}", "groups": groups,
            "ink": INK, "muted": MUTED}
