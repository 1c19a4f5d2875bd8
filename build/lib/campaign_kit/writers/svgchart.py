"""Charts as SVG for the PDF writer, drawn from the same numbers as the PPTX charts."""

from __future__ import annotations

from html import escape

from ..document import Chart

LEFT, RIGHT, TOP, BOTTOM = 64, 16, 36, 64
COLOURS = ("#1b4f72", "#c0392b", "#117a65", "#7d3c98")


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def _label(value: float, unit: str) -> str:
    return f"{value:.0f}%" if unit == "%" else f"{value:,.0f}"


def chart_svg(chart: Chart, W: float = 640, H: float = 300) -> str:  # noqa: N803
    """The chart drawn W x H points: title on top, legend at the bottom."""
    values = [v for s in chart.series for v in s.values if v is not None]
    top = 100.0 if chart.unit == "%" else _nice_max(max(values, default=1))
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM
    n = max(len(chart.categories), 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}pt" '
             f'height="{H}pt" role="img" aria-label="{escape(chart.alt)}" '
             f'font-family="Carlito, Liberation Sans, DejaVu Sans, sans-serif">'
             f"<title>{escape(chart.alt)}</title>",
             f'<text x="{LEFT}" y="20" font-size="16" font-weight="bold">'
             f"{escape(chart.title)}</text>"]
    for k in range(5):
        y = TOP + plot_h - plot_h * k / 4
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{W - RIGHT}" y2="{y:.1f}" '
                     f'stroke="#ccc" stroke-width="1"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" '
                     f'font-size="12" fill="#333">{_label(top * k / 4, chart.unit)}</text>')
    slot = plot_w / n
    for i, cat in enumerate(chart.categories):
        x = LEFT + slot * (i + 0.5)
        parts.append(f'<text x="{x:.1f}" y="{H - BOTTOM + 18}" text-anchor="middle" '
                     f'font-size="12" fill="#333">{escape(cat)}</text>')
    nseries = len(chart.series)
    for si, series in enumerate(chart.series):
        colour = COLOURS[si % len(COLOURS)]
        if chart.kind == "bar":
            bar_w = slot * 0.8 / nseries
            for i, v in enumerate(series.values):
                if v is None:
                    continue
                h = plot_h * v / top
                x = LEFT + slot * i + slot * 0.1 + bar_w * si
                parts.append(f'<rect x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{bar_w:.1f}" '
                             f'height="{h:.1f}" fill="{colour}"/>')
                parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{TOP + plot_h - h - 4:.1f}" '
                             f'text-anchor="middle" font-size="11">{_label(v, chart.unit)}</text>')
        else:
            points = [(LEFT + slot * (i + 0.5), TOP + plot_h - plot_h * v / top, v)
                      for i, v in enumerate(series.values) if v is not None]
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                         f'stroke-width="3"/>')
            for x, y, v in points:
                parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>')
                parts.append(f'<text x="{x:.1f}" y="{y - 9:.1f}" text-anchor="middle" '
                             f'font-size="11">{_label(v, chart.unit)}</text>')
        lx = LEFT + si * 200
        ly = H - 18
        parts.append(f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{lx + 16}" y="{ly}" font-size="12" fill="#333">'
                     f"{escape(series.name)}</text>")
    parts.append("</svg>")
    return "".join(parts)
