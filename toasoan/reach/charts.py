"""Charts drawn on the server as plain SVG (no script, no third-party library): each has a
<title> and a <desc> summing it up for screen readers, and the page shows its numbers in a
table beside it."""

from __future__ import annotations

from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_ids = count(1)
COLOURS = ("#1d4e89", "#c0392b", "#2e8b57")


def _number(n: float) -> str:
    return f"{n:,.0f}".replace(",", ".")


def bars(rows: list[tuple[str, int]], title: str, width: int = 520) -> SafeString:
    """Horizontal bars, one per (label, value), largest first as given."""
    n = next(_ids)
    rows = rows[:15]
    top = max((v for _, v in rows), default=0) or 1
    row_h, label_w = 24, 190
    height = max(1, len(rows)) * row_h + 8
    parts = [
        f'<svg class="reach-chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="c{n}t c{n}d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="c{n}t">{escape(title)}</title>',
        f'<desc id="c{n}d">{escape("; ".join(f"{lab}: {_number(v)}" for lab, v in rows))}</desc>',
    ]
    for i, (lab, value) in enumerate(rows):
        y = 4 + i * row_h
        w = (width - label_w - 70) * value / top
        short = lab if len(lab) <= 28 else lab[:27] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end" font-size="12">'
            f"{escape(short)}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" '
            f'fill="{COLOURS[0]}"></rect>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 16}" font-size="12">{_number(value)}</text>'
        )
    if not rows:
        parts.append('<text x="8" y="20" font-size="12">Chưa có số liệu</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def lines(
    labels: list[str], series: list[tuple[str, list[int]]], title: str, width: int = 640
) -> SafeString:
    """One line per named series over the same x labels; a legend under it."""
    n = next(_ids)
    height, left, bottom, top_pad = 220, 48, 28, 12
    top = max((v for _, values in series for v in values), default=0) or 1
    steps = max(1, len(labels) - 1)
    x = lambda i: left + (width - left - 10) * i / steps  # noqa: E731
    y = lambda v: top_pad + (height - bottom - top_pad) * (1 - v / top)  # noqa: E731
    summary = "; ".join(f"{name}: tổng {_number(sum(values))}" for name, values in series)
    parts = [
        f'<svg class="reach-chart" viewBox="0 0 {width} {height + 22}" width="100%" role="img" '
        f'aria-labelledby="c{n}t c{n}d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="c{n}t">{escape(title)}</title><desc id="c{n}d">{escape(summary)}</desc>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" '
        'stroke="#999"></line>',
        f'<text x="{left - 6}" y="{top_pad + 4}" text-anchor="end" font-size="11">'
        f"{_number(top)}</text>",
        f'<text x="{left - 6}" y="{height - bottom}" text-anchor="end" font-size="11">0</text>',
    ]
    every = max(1, len(labels) // 8)
    for i, lab in enumerate(labels):
        if i % every == 0:
            parts.append(
                f'<text x="{x(i):.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                f'font-size="11">{escape(lab)}</text>'
            )
    for k, (name, values) in enumerate(series):
        colour = COLOURS[k % len(COLOURS)]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        dash = ' stroke-dasharray="5 4"' if k else ""
        if len(values) <= 31:  # a dot per point: a single day still shows
            parts.extend(
                f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}"></circle>'
                for i, v in enumerate(values)
            )
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"{dash}>'
            "</polyline>"
        )
        parts.append(
            f'<rect x="{left + k * 220}" y="{height + 8}" width="14" height="4" '
            f'fill="{colour}"></rect><text x="{left + k * 220 + 20}" y="{height + 14}" '
            f'font-size="12">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
