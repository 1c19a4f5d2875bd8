"""Charts as SVG for the PDF writer: the same layout, axis and colours as the PPTX charts.

Everything is placed by chartstyle.chart_layout; this module only draws it. Sizes and the
font are set as attributes, which WeasyPrint's SVG renderer reads.
"""

from __future__ import annotations

from html import escape

from ..document import Chart
from .chartstyle import (
    ASCENT_AT,
    DEFAULT_STYLE,
    LEGEND_KEY,
    LINE_HEIGHT,
    ChartStyle,
    chart_layout,
    format_value,
)


def _f(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _centred(centre: float, size: float) -> float:
    """The baseline that centres a line of `size` on `centre`."""
    return centre + size * (ASCENT_AT - LINE_HEIGHT / 2)


def _text(x: float, y: float, text: str, size: float, colour: str, anchor: str = "middle",
          cls: str = "", transform: str = "", bold: bool = False) -> str:
    where = f'transform="{transform}"' if transform else f'x="{_f(x)}" y="{_f(y)}"'
    extra = (f' class="{cls}"' if cls else "") + (' font-weight="bold"' if bold else "")
    return (f'<text {where} text-anchor="{anchor}" font-size="{_f(size)}" '
            f'fill="{colour}"{extra}>{escape(text)}</text>')


def chart_svg(chart: Chart, W: float = 640, H: float = 300,  # noqa: N803
              style: ChartStyle = DEFAULT_STYLE) -> str:
    """The chart drawn W x H points: title on top, axis titles, legend at the bottom."""
    lay = chart_layout(chart, W, H, style)
    ink = style.text_colour
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_f(W)} {_f(H)}" '
             f'width="{_f(W)}pt" height="{_f(H)}pt" role="img" aria-label="{escape(chart.alt)}" '
             f'font-family="{escape(style.font_stack)}">'
             f"<title>{escape(chart.alt)}</title>"]
    for n, line in enumerate(lay.title_lines):
        parts.append(_text(W / 2, lay.title_box.y + style.title_size * (ASCENT_AT + n
                                                                         * LINE_HEIGHT),
                           line, style.title_size, ink, bold=True, cls="chart-title"))
    parts += _axes(chart, lay, style)
    parts += _marks(chart, lay, style)
    parts += _labels(lay)
    parts += _legend(chart, lay, style)
    parts.append("</svg>")
    return "".join(parts)


def _axes(chart: Chart, lay, style: ChartStyle) -> list[str]:
    """Gridlines with their values, the baseline, the categories and the axis titles."""
    plot, ink, parts = lay.plot, style.text_colour, []
    for tick in lay.axis.ticks:
        y = lay.y(tick)
        parts.append(f'<line x1="{_f(plot.x)}" y1="{_f(y)}" x2="{_f(plot.right)}" '
                     f'y2="{_f(y)}" stroke="{style.grid_colour}" stroke-width="0.75"/>')
        parts.append(_text(lay.tick_label_right, _centred(y, style.text_size),
                           format_value(tick, chart.unit, lay.axis.decimals), style.text_size,
                           ink, "end",
                           "tick"))
    parts.append(f'<line x1="{_f(plot.x)}" y1="{_f(plot.bottom)}" x2="{_f(plot.right)}" '
                 f'y2="{_f(plot.bottom)}" stroke="{ink}" stroke-width="0.75"/>')
    category_baseline = lay.category_top + style.text_size * ASCENT_AT
    for i, cat in enumerate(chart.categories):
        parts.append(_text(plot.x + lay.slot * (i + 0.5), category_baseline, cat,
                           style.text_size, ink, cls="category"))
    if lay.x_title_box:
        b = lay.x_title_box
        parts.append(_text(b.x + b.w / 2, b.y + style.text_size * ASCENT_AT, chart.x_title,
                           style.text_size, ink, cls="axis-title"))
    if lay.y_title_box:  # rotated: the baseline runs up the page
        b = lay.y_title_box
        parts.append(_text(0, 0, chart.y_title, style.text_size, ink, cls="axis-title",
                           transform=f"translate({_f(_centred(b.x + b.w / 2, style.text_size))} "
                                     f"{_f(b.y + b.h / 2)}) rotate(-90)"))
    return parts


def _marks(chart: Chart, lay, style: ChartStyle) -> list[str]:
    """Bars, or lines with their markers, in each series' colour."""
    parts = []
    for si, _, box in lay.bars:
        parts.append(f'<rect class="bar" x="{_f(box.x)}" y="{_f(box.y)}" width="{_f(box.w)}" '
                     f'height="{_f(box.h)}" fill="{style.colour(si)}"/>')
    for si in range(len(chart.series)):
        points = [(x, y) for s, _, x, y in lay.points if s == si]
        if not points:
            continue
        colour = style.colour(si)
        path = " ".join(f"{_f(x)},{_f(y)}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                     f'stroke-width="{_f(style.line_width)}" stroke-linejoin="round"/>')
        parts.extend(f'<circle class="point" cx="{_f(x)}" cy="{_f(y)}" '
                     f'r="{_f(style.marker_radius)}" fill="{colour}"/>' for x, y in points)
    return parts


def _labels(lay) -> list[str]:
    """Each data label where the layout put it (rotated where a bar is narrow)."""
    parts = []
    for label in lay.labels:
        b = label.box
        if label.rotated:
            transform = (f"translate({_f(_centred(b.x + b.w / 2, lay.label_size))} "
                         f"{_f(b.y + b.h / 2)}) rotate(-90)")
            parts.append(_text(0, 0, label.text, lay.label_size, label.colour, cls="data-label",
                               transform=transform))
        else:
            parts.append(_text(b.x + b.w / 2, b.y + lay.label_size * ASCENT_AT, label.text,
                               lay.label_size, label.colour, cls="data-label"))
    return parts


def _legend(chart: Chart, lay, style: ChartStyle) -> list[str]:
    """A key for each series, drawn as its marks are, and the series' name."""
    ink, parts = style.text_colour, []
    key = style.text_size * LEGEND_KEY
    baseline = lay.legend_box.y + style.text_size * ASCENT_AT
    for si, x in lay.legend:
        colour, middle = style.colour(si), baseline - key / 2 + 1
        if chart.kind == "line":  # a stroke with its marker, as the line is drawn
            parts.append(f'<line x1="{_f(x)}" y1="{_f(middle)}" x2="{_f(x + key)}" '
                         f'y2="{_f(middle)}" stroke="{colour}" '
                         f'stroke-width="{_f(style.line_width)}"/><circle cx="{_f(x + key / 2)}"'
                         f' cy="{_f(middle)}" r="{_f(style.marker_radius)}" fill="{colour}"/>')
        else:
            parts.append(f'<rect x="{_f(x)}" y="{_f(baseline - key + 1)}" width="{_f(key)}" '
                         f'height="{_f(key)}" fill="{colour}"/>')
        parts.append(_text(x + key + 5, baseline, chart.series[si].name, style.text_size, ink,
                           "start", "legend"))
    return parts

