"""Small self-drawn SVG charts for the HTML report: no plotting library, no script, no network."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT = 520, 300
MARGIN = {"left": 52, "right": 16, "top": 44, "bottom": 44}
PALETTE = ("#c0392b", "#2471a3", "#229954", "#b7950b", "#7d3c98", "#515a5a")


def _frame(title: str, body: list[str], width: int = WIDTH, height: int = HEIGHT) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        'font-family="sans-serif" font-size="11">'
        f'<rect width="{width}" height="{height}" fill="#fff"/>'
        f'<text x="{width / 2}" y="16" text-anchor="middle" font-size="13" font-weight="bold">{escape(title)}</text>'
        + "".join(body)
        + "</svg>"
    )


def _axes(
    x_label: str,
    y_label: str,
    y_max: float,
    x_ticks: Sequence[tuple[float, str]],
    width: int = WIDTH,
    height: int = HEIGHT,
) -> list[str]:
    """Axes with y gridlines at fifths of y_max; x_ticks are (pixel x, label) pairs."""
    x0, x1 = MARGIN["left"], width - MARGIN["right"]
    y0, y1 = height - MARGIN["bottom"], MARGIN["top"]
    out = [
        f'<line x1="{x0}" y1="{y0}" x2="{x1}" y2="{y0}" stroke="#333"/>',
        f'<line x1="{x0}" y1="{y0}" x2="{x0}" y2="{y1}" stroke="#333"/>',
    ]
    for i in range(6):
        y = y0 - (y0 - y1) * i / 5
        value = y_max * i / 5
        label = f"{value:.1f}" if y_max <= 1 else f"{value:.0f}"
        out.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x1}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{x0 - 6}" y="{y + 4:.1f}" text-anchor="end">{label}</text>')
    for x, label in x_ticks:
        out.append(f'<text x="{x:.1f}" y="{y0 + 14}" text-anchor="middle">{escape(label)}</text>')
    out.append(f'<text x="{(x0 + x1) / 2}" y="{height - 6}" text-anchor="middle">{escape(x_label)}</text>')
    out.append(
        f'<text x="12" y="{(y0 + y1) / 2}" text-anchor="middle" '
        f'transform="rotate(-90 12 {(y0 + y1) / 2})">{escape(y_label)}</text>'
    )
    return out


def line_chart(title: str, series: dict[str, Sequence[Sequence[float]]], x_label: str, y_label: str) -> str:
    """Lines through (x, y) points with x and y in [0, 1] — a precision–recall plot."""
    x0, x1 = MARGIN["left"], WIDTH - MARGIN["right"]
    y0, y1 = HEIGHT - MARGIN["bottom"], MARGIN["top"]
    body = _axes(x_label, y_label, 1.0, [(x0 + (x1 - x0) * i / 5, f"{i / 5:.1f}") for i in range(6)])
    for n, (name, points) in enumerate(series.items()):
        colour = PALETTE[n % len(PALETTE)]
        if points:
            coords = " ".join(f"{x0 + (x1 - x0) * x:.1f},{y0 - (y0 - y1) * y:.1f}" for x, y in points)
            body.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"/>')
        # Bottom left: precision–recall curves rarely pass there, so the legend hides nothing.
        y = y0 - 16 * (len(series) - n) - 4
        body.append(
            f'<rect x="{x0 + 10}" y="{y}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x0 + 25}" y="{y + 9}">{escape(name)}</text>'
        )
    return _frame(title, body)


def bar_chart(title: str, groups: dict[str, dict[str, float | None]], y_label: str = "") -> str:
    """Grouped bars in [0, 1]: groups maps a category (scene) to series name → value (None: n/a)."""
    names = list(dict.fromkeys(s for values in groups.values() for s in values))
    width = max(WIDTH, MARGIN["left"] + MARGIN["right"] + len(groups) * (len(names) * 14 + 18))
    x0, x1 = MARGIN["left"], width - MARGIN["right"]
    y0, y1 = HEIGHT - MARGIN["bottom"], MARGIN["top"]
    slot = (x1 - x0) / max(len(groups), 1)
    bar = min(18.0, (slot - 10) / max(len(names), 1))
    ticks = [(x0 + slot * (i + 0.5), g) for i, g in enumerate(groups)]
    body = _axes("", y_label, 1.0, ticks, width=width)
    for i, values in enumerate(groups.values()):
        left = x0 + slot * (i + 0.5) - bar * len(names) / 2
        for j, name in enumerate(names):
            value = values.get(name)
            if value is None:
                continue
            h = (y0 - y1) * max(0.0, min(1.0, value))
            body.append(
                f'<rect x="{left + j * bar:.1f}" y="{y0 - h:.1f}" width="{bar - 1:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[j % len(PALETTE)]}"><title>{escape(name)}: {value:.3f}</title></rect>'
            )
    for j, name in enumerate(names):
        body.append(
            f'<rect x="{x0 + 8 + 110 * j}" y="{y1 - 20}" width="10" height="10" fill="{PALETTE[j % len(PALETTE)]}"/>'
            f'<text x="{x0 + 22 + 110 * j}" y="{y1 - 11}">{escape(name)}</text>'
        )
    return _frame(title, body, width=width)


def _nice_top(value: float) -> int:
    """The smallest 5 × (1, 2 or 5 × 10^k) ≥ value, so the five gridlines fall on round counts."""
    scale = 1
    while True:
        for m in (1, 2, 5):
            if 5 * m * scale >= value:
                return 5 * m * scale
        scale *= 10


def histogram(title: str, edges: Sequence[float], counts: Sequence[int], x_label: str) -> str:
    """Bars of a histogram given its bin edges (len(counts) + 1) and counts."""
    x0, x1 = MARGIN["left"], WIDTH - MARGIN["right"]
    y0, y1 = HEIGHT - MARGIN["bottom"], MARGIN["top"]
    top = _nice_top(max(counts, default=0))
    if len(edges) < 2:
        return _frame(
            title,
            _axes(x_label, "photos", top, [])
            + [f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle">no timings</text>'],
        )
    lo, hi = edges[0], edges[-1]
    span = (hi - lo) or 1.0

    def px(v: float) -> float:
        return x0 + (x1 - x0) * (v - lo) / span

    ticks = [(px(lo + span * i / 4), f"{lo + span * i / 4:.0f}") for i in range(5)]
    body = _axes(x_label, "photos", top, ticks)
    for left, right, count in zip(edges[:-1], edges[1:], counts, strict=True):
        h = (y0 - y1) * count / top
        body.append(
            f'<rect x="{px(left):.1f}" y="{y0 - h:.1f}" width="{max(px(right) - px(left) - 1, 1):.1f}" '
            f'height="{h:.1f}" fill="{PALETTE[1]}"><title>{left:.0f}–{right:.0f} ms: {count}</title></rect>'
        )
    return _frame(title, body)
