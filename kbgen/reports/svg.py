"""Inline SVG charts for the dashboard: no script, no CDN, every label escaped.

Only SVG presentation attributes are used (no `style=`), so the page's Content-Security-
Policy can forbid inline styles other than its one hashed stylesheet.
"""

from __future__ import annotations

from html import escape

INK, MUTED, GOOD, BAD, ACCENT = "#1f2937", "#9ca3af", "#15803d", "#b91c1c", "#2563eb"


def sparkline(values: list[float | None], width: int = 120, height: int = 28) -> str:
    """A small line of weekly values; gaps where a week had no data."""
    known = [v for v in values if v is not None]
    if len(known) < 1:
        return ""
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    step = width / max(len(values) - 1, 1)
    segments: list[list[str]] = []
    current: list[str] = []
    for i, v in enumerate(values):
        if v is None:
            if current:
                segments.append(current)
            current = []
            continue
        y = height - 3 - (v - low) / span * (height - 6)
        current.append(f"{i * step:.1f},{y:.1f}")
    if current:
        segments.append(current)
    lines = "".join(
        f'<polyline fill="none" stroke="{ACCENT}" stroke-width="2" points="{" ".join(s)}"/>'
        if len(s) > 1 else
        f'<circle r="2.5" fill="{ACCENT}" cx="{s[0].split(",")[0]}" cy="{s[0].split(",")[1]}"/>'
        for s in segments
    )
    return (f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}"'
            f' role="img" aria-label="weekly trend">{lines}</svg>')


def hbars(items: list[tuple[str, float, str]], color: str, title: str, width: int = 560) -> str:
    """Horizontal bars: (label, value 0..1, text shown at the bar's end)."""
    if not items:
        return ""
    row, label_w = 24, 230
    height = row * len(items) + 8
    parts = [f'<svg class="chart" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">']
    bar_max = width - label_w - 60
    for i, (label, value, text) in enumerate(items):
        y = 4 + i * row
        short = label if len(label) <= 34 else label[:33] + "…"
        parts.append(
            f'<text x="0" y="{y + 16}" font-size="12" fill="{INK}">{escape(short)}'
            f"<title>{escape(label)}</title></text>"
            f'<rect x="{label_w}" y="{y + 4}" height="16" width="{max(value, 0) * bar_max:.1f}"'
            f' fill="{color}"/>'
            f'<text x="{label_w + max(value, 0) * bar_max + 6:.1f}" y="{y + 16}" font-size="12"'
            f' fill="{INK}">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def columns(weeks: list[str], series: list[tuple[str, list[int], str]], title: str,
            width: int = 560, height: int = 180) -> str:
    """Grouped weekly columns, e.g. help sessions beside contact sessions, with a legend."""
    if not weeks:
        return ""
    top = max([max(v, default=0) for _, v, _ in series] + [1])
    plot_h, base = height - 50, height - 30
    group_w = (width - 40) / len(weeks)
    bar_w = max(group_w / (len(series) + 1), 2)
    parts = [f'<svg class="chart" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
             f'<line x1="30" x2="{width}" y1="{base}" y2="{base}" stroke="{MUTED}"/>',
             f'<text x="0" y="{base - plot_h + 4}" font-size="11" fill="{MUTED}">{top:,}</text>']
    for i, week in enumerate(weeks):
        x0 = 34 + i * group_w
        for j, (_, values, color) in enumerate(series):
            h = values[i] / top * plot_h
            parts.append(f'<rect x="{x0 + j * bar_w:.1f}" y="{base - h:.1f}" width="{bar_w:.1f}"'
                         f' height="{h:.1f}" fill="{color}"><title>{escape(week)}: '
                         f"{values[i]:,}</title></rect>")
        parts.append(f'<text x="{x0:.1f}" y="{base + 14}" font-size="10" fill="{INK}">'
                     f"{escape(week[5:])}</text>")
    for j, (name, _, color) in enumerate(series):
        x = 40 + j * 150
        parts.append(f'<rect x="{x}" y="{height - 10}" width="10" height="10" fill="{color}"/>'
                     f'<text x="{x + 14}" y="{height - 1}" font-size="11" fill="{INK}">'
                     f"{escape(name)}</text>")
    parts.append("</svg>")
    return "".join(parts)
