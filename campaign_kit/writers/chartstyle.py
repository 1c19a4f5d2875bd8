"""One chart style and one chart layout, shared by the PPTX chart and the PDF's SVG chart.

The style holds what a brand can change (series colours, text colour, font, sizes). The
layout is computed once from the chart's numbers and its size: where the plot area sits,
the value axis (minimum, maximum, major unit), the bars and points, and every data label's
box, measured with Carlito's metrics (slidefit.Metrics). The PPTX writer pins its plot area,
axis and label positions to this layout and the SVG writer draws it, so both show the same
chart, and a test can check from the same geometry that no two labels overlap.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from ..document import Chart
from ..errors import TemplateProblem

LINE_HEIGHT = 1.22  # Carlito: ascent + descent + line gap, per point of size
ASCENT_AT = 0.86  # baseline below a line box's top, per point of size (gap/2 + ascent)
WHITE = "#ffffff"


def _luminance(colour: str) -> float:
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _hex(colour: str) -> str:
    colour = colour.strip().lower()
    if not colour.startswith("#"):
        colour = "#" + colour
    if re.fullmatch(r"#[0-9a-f]{3}", colour):
        colour = "#" + "".join(c * 2 for c in colour[1:])
    if not re.fullmatch(r"#[0-9a-f]{6}", colour):
        raise ValueError(f"'{colour}' is not a colour: use six hex digits, e.g. #1b4f72")
    return colour


@dataclass(frozen=True)
class ChartStyle:
    """How every chart looks, in the PPTX and in the PDF alike. Sizes are in points."""

    series_colours: tuple[str, ...] = ("#1b4f72", "#c0392b", "#117a65", "#7d3c98")
    text_colour: str = "#333333"
    background: str = WHITE  # what the chart is drawn on (the page or slide)
    font_family: str = "Carlito"
    fallback_fonts: tuple[str, ...] = ("Liberation Sans", "DejaVu Sans", "sans-serif")
    grid_colour: str = "#c8c8c8"
    title_size: float = 16
    text_size: float = 14  # axis labels, axis titles, legend
    label_size: float = 14  # data labels, before any fitting
    min_size: float = 14  # no chart text smaller (the deck's floor, slidefit.MIN_SIZE)
    gap_width: int = 50  # space between bar groups, % of one bar's width (OOXML gapWidth)
    line_width: float = 2.5
    marker_radius: float = 4.0

    @classmethod
    def from_colours(cls, colours, text_colour: str, font_family: str,
                     background: str = WHITE) -> ChartStyle:
        """A style from a brand: series colours (>= 3:1 against the background, as chart
        marks must be), a text colour (>= 4.5:1) and a font family. Raises ValueError naming
        the colour that fails."""
        series = tuple(_hex(c) for c in colours)
        if not series:
            raise ValueError("a chart style needs at least one series colour")
        text, ground = _hex(text_colour), _hex(background)
        if contrast(text, ground) < 4.5:
            raise ValueError(f"chart text colour {text} has {contrast(text, ground):.1f}:1 "
                             f"contrast with the background {ground}; text needs at least 4.5:1")
        for c in series:
            if contrast(c, ground) < 3:
                raise ValueError(f"chart colour {c} has {contrast(c, ground):.1f}:1 contrast "
                                 f"with the background {ground}; chart marks need at least 3:1")
        font = " ".join(font_family.split()) or cls.font_family
        return cls(series_colours=series, text_colour=text, font_family=font, background=ground)

    def colour(self, series: int) -> str:
        return self.series_colours[series % len(self.series_colours)]

    @property
    def font_stack(self) -> str:
        """CSS/SVG font-family list: the style's font, then fallbacks."""
        from ..content.brand import font_stack

        return font_stack(self.font_family, *(f for f in self.fallback_fonts
                                              if f not in ("sans-serif", self.font_family)))


DEFAULT_STYLE = ChartStyle()


def chart_style(brand=None) -> ChartStyle:
    """The style for charts in a brand's documents (brand.yaml's chart colours, text and
    background colours and body font; brand.py has checked their contrast), or the default."""
    if brand is None:
        return DEFAULT_STYLE
    return _brand_style(tuple(brand.chart), brand.text, brand.background, brand.body_font)


@lru_cache(maxsize=8)
def _brand_style(colours: tuple[str, ...], text: str, background: str, font: str) -> ChartStyle:
    return ChartStyle.from_colours(colours, text, font, background)


# -- numbers ------------------------------------------------------------------------------------
def number_format(unit: str, decimals: int = 0) -> str:
    """The OOXML number format of values, data labels and axis labels."""
    digits = "0" + ("." + "0" * decimals if decimals else "")
    return f'{digits}"%"' if unit == "%" else "#,##" + digits


def format_value(value: float, unit: str, decimals: int = 0) -> str:
    """The text number_format(unit, decimals) gives in PowerPoint: halves rounded up
    (Excel's rounding, not Python's round-half-even)."""
    step = Decimal(1).scaleb(-decimals)
    rounded = Decimal(repr(float(value))).quantize(step, rounding=ROUND_HALF_UP)
    return f"{rounded:.{decimals}f}%" if unit == "%" else f"{rounded:,.{decimals}f}"


@dataclass(frozen=True)
class ValueAxis:
    minimum: float
    maximum: float
    major_unit: float

    @property
    def decimals(self) -> int:
        """Tick labels need a decimal only when the step is not a whole number."""
        return 0 if float(self.major_unit).is_integer() else 1

    @property
    def ticks(self) -> tuple[float, ...]:
        n = round((self.maximum - self.minimum) / self.major_unit)
        return tuple(self.minimum + k * self.major_unit for k in range(n + 1))


MAX_INTERVALS = 6


def value_axis(values, unit: str, headroom: float = 0.0) -> ValueAxis:
    """The value axis for these values: 0 to 100 by 20 for shares that reach past a third,
    else a round maximum from zero with at most six intervals of 1, 2, 2.5 or 5 times a
    power of ten (a 2-5% appeal rate on a 0-100 axis would be a row of slivers). `headroom`
    is the fraction of the axis kept free above the largest value (room for its label)."""
    values = [v for v in values if v is not None]
    low = min([0.0, *values])
    high = max([0.0, *values])
    if unit == "%" and low >= 0 and 100 / 3 < high <= 100 * (1 - headroom):
        return ValueAxis(0.0, 100.0, 20.0)
    if high > 0 and headroom > 0:
        high = high + (high - low) * headroom / (1 - headroom)
    if high - low < 1e-6:  # nothing to show (all zero, or too small to tell apart)
        high = low + 1
    power = 10.0 ** math.floor(math.log10((high - low) / MAX_INTERVALS))
    for step in (m * power * s for s in (1, 10, 100) for m in (1, 2, 2.5, 5)):
        step = float(f"{step:.12g}")
        bottom, top = math.floor(low / step) * step, math.ceil(high / step) * step
        if round((top - bottom) / step) <= MAX_INTERVALS:
            return ValueAxis(float(f"{bottom:.12g}"), float(f"{top:.12g}"), step)
    raise AssertionError("unreachable: a step of 100 powers always fits")


# -- layout -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Box:
    """A rectangle in points from the chart's top-left corner."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def overlaps(self, other: Box) -> bool:
        return (self.x < other.right and other.x < self.right
                and self.y < other.bottom and other.y < self.bottom)

    def inside(self, other: Box) -> bool:
        eps = 1e-6
        return (self.x >= other.x - eps and self.right <= other.right + eps
                and self.y >= other.y - eps and self.bottom <= other.bottom + eps)


@dataclass(frozen=True)
class DataLabel:
    """One value's label: its text, the box it takes, and where it sits.

    `position` is the OOXML dLblPos value ("outEnd"/"inEnd" for bars, "t"/"b" for lines);
    a rotated label reads bottom to top (PowerPoint's "rotate all text 270 degrees")."""

    series: int
    index: int
    text: str
    box: Box
    position: str
    rotated: bool
    colour: str


@dataclass(frozen=True)
class ChartLayout:
    """Where everything goes, in points from the chart's top-left corner. Text boxes are
    one line tall (LINE_HEIGHT x size); a rotated box is as wide as a line."""

    width: float
    height: float
    plot: Box  # the inner plot area: the axes' rectangle
    axis: ValueAxis
    slot: float  # width of one category
    bar_width: float  # 0 for line charts
    bars: tuple[tuple[int, int, Box], ...]  # (series, category, box)
    points: tuple[tuple[int, int, float, float], ...]  # (series, category, x, y)
    labels: tuple[DataLabel, ...]
    omitted: tuple[tuple[int, int], ...]  # values left without a label: no room anywhere
    label_size: float
    title_box: Box
    title_lines: tuple[str, ...]  # the title wrapped (at most two lines)
    tick_label_right: float  # value-axis labels end here (right-aligned)
    category_top: float  # category labels' line box starts here
    x_title_box: Box | None
    y_title_box: Box | None  # rotated: reads bottom to top
    legend: tuple[tuple[int, float], ...]  # (series, key x), on the legend's line
    legend_box: Box

    def y(self, value: float) -> float:
        a = self.axis
        return self.plot.bottom - self.plot.h * (value - a.minimum) / (a.maximum - a.minimum)


PAD = 3.0  # between a bar's end (or a marker) and its label
EDGE = 6.0  # around the chart's edge
LEGEND_KEY = 0.8  # legend key square, per point of text size
LEGEND_GAP = 18.0  # between legend entries


def _line(size: float) -> float:
    return size * LINE_HEIGHT


def _width(text: str, size: float, bold: bool = False) -> float:
    from .slidefit import metrics

    return metrics(bold).width(text, size)


def _tick_width(axis: ValueAxis, unit: str, style: ChartStyle) -> float:
    return max(_width(format_value(t, unit, axis.decimals), style.text_size)
               for t in axis.ticks)


MAX_TITLE_LINES = 2
# Titles are wrapped at this share of the chart's width. PowerPoint and LibreOffice wrap a
# chart title themselves, a little wider (LibreOffice kept 72% on one line): wrapping narrower
# here never gives the title fewer lines than they draw, so it never runs into the plot.
TITLE_SHARE = 0.7


def wrap(text: str, size: float, width: float, bold: bool = False) -> tuple[str, ...]:
    """`text` broken at spaces into lines no wider than `width` (a longer word stays whole)."""
    lines: list[str] = []
    for word in text.split():
        if lines and _width(f"{lines[-1]} {word}", size, bold) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return tuple(lines)


def _frame(chart: Chart, width: float, height: float, style: ChartStyle,
           tick_width: float) -> dict:
    """The plot area and the text around it, top to bottom and left to right."""
    line = _line(style.text_size)
    title_w = width * TITLE_SHARE
    title_lines = wrap(chart.title, style.title_size, title_w, bold=True)
    title = Box((width - title_w) / 2, EDGE, title_w, _line(style.title_size) * len(title_lines))
    legend_y = height - EDGE - line
    x_title_y = legend_y - 4 - line if chart.x_title else None
    category_top = (x_title_y if x_title_y is not None else legend_y) - 4 - line
    top = title.bottom + 8 + line / 2  # room for half the top tick label
    bottom = category_top - 4
    left = EDGE + (line + 6 if chart.y_title else 0)
    tick_right = left + tick_width
    plot = Box(tick_right + 7, top, width - EDGE - 6 - tick_right - 7, bottom - top)
    frame = {"plot": plot, "title": title, "title_lines": title_lines, "tick_right": tick_right,
             "category_top": category_top, "legend_y": legend_y, "x_title": None,
             "y_title": None}
    if chart.x_title:
        w = _width(chart.x_title, style.text_size)
        frame["x_title"] = Box(plot.x + (plot.w - w) / 2, x_title_y, w, line)
    if chart.y_title:
        h = _width(chart.y_title, style.text_size)
        frame["y_title"] = Box(EDGE, plot.y + (plot.h - h) / 2, line, h)
    return frame


def _check_text_fits(chart: Chart, frame: dict, slot: float, style: ChartStyle) -> None:
    """Titles and names that cannot fit are the campaign's to shorten: say which, never
    draw them over each other."""
    def problem(what: str) -> TemplateProblem:
        return TemplateProblem(f"chart '{chart.title}' (campaign.yaml charts): {what}")

    plot = frame["plot"]
    title = frame["title_lines"]
    if len(title) > MAX_TITLE_LINES or any(_width(t, style.title_size, True) > frame["title"].w
                                           for t in title):
        raise problem(f"the title takes more than {MAX_TITLE_LINES} lines in a chart "
                      f"{frame['title'].w / TITLE_SHARE:.0f} pt wide; shorten it")
    if plot.h < 4 * _line(style.text_size):
        raise problem("the chart is too small to leave room for its plot")
    if frame["y_title"] and frame["y_title"].h > plot.h + plot.y - EDGE:
        raise problem(f"the axis title '{chart.y_title}' is longer than the chart is tall; "
                      "shorten it")
    if frame["x_title"] and frame["x_title"].w > plot.w:
        raise problem(f"the axis title '{chart.x_title}' is wider than the plot; shorten it")
    key = style.text_size * LEGEND_KEY + 5
    legend = (sum(key + _width(s.name, style.text_size) for s in chart.series)
              + LEGEND_GAP * (len(chart.series) - 1))
    if legend > frame["title"].w / TITLE_SHARE - 2 * EDGE:
        raise problem("the series names are too long for the legend's one line; shorten them")
    widest = max((_width(c, style.text_size) for c in chart.categories), default=0)
    if widest > slot:
        raise problem(f"category names are too wide for {len(chart.categories)} categories; "
                      "shorten them")


def chart_layout(chart: Chart, width: float, height: float,
                 style: ChartStyle = DEFAULT_STYLE) -> ChartLayout:
    """Where everything of `chart` goes in a width x height point box."""
    values = [v for s in chart.series for v in s.values if v is not None]
    axis = value_axis(values, chart.unit)
    frame = _frame(chart, width, height, style, _tick_width(axis, chart.unit, style))
    if chart.kind == "line":  # keep room above the highest point for its label
        headroom = (style.marker_radius + PAD + _line(style.label_size)) / frame["plot"].h
        roomy = value_axis(values, chart.unit, headroom)
        if roomy != axis:
            axis = roomy
            frame = _frame(chart, width, height, style, _tick_width(axis, chart.unit, style))
    plot = frame["plot"]
    n = max(len(chart.categories), 1)
    slot = plot.w / n
    _check_text_fits(chart, frame, slot, style)
    nseries = max(len(chart.series), 1)
    bar_w = slot / (nseries + style.gap_width / 100) if chart.kind == "bar" else 0.0

    def y(value: float) -> float:
        return plot.bottom - plot.h * (value - axis.minimum) / (axis.maximum - axis.minimum)

    bars, points = [], []
    base = y(min(max(0.0, axis.minimum), axis.maximum))
    for si, series in enumerate(chart.series):
        for i, v in enumerate(series.values):
            if v is None:
                continue
            if chart.kind == "bar":
                x = plot.x + slot * i + (slot - bar_w * nseries) / 2 + bar_w * si
                bars.append((si, i, Box(x, min(y(v), base), bar_w, abs(base - y(v)))))
            else:
                points.append((si, i, plot.x + slot * (i + 0.5), y(v)))
    labels, omitted, size = _place_labels(chart, plot, slot, bar_w, bars, points, style)
    legend, legend_box = _legend(chart, width, frame["legend_y"], style)
    return ChartLayout(width, height, plot, axis, slot, bar_w, tuple(bars), tuple(points),
                       tuple(labels), tuple(omitted), size, frame["title"], frame["title_lines"],
                       frame["tick_right"], frame["category_top"], frame["x_title"],
                       frame["y_title"], legend, legend_box)


def _legend(chart: Chart, width: float, top: float, style: ChartStyle):
    """Entries centred on one line. The box given to PowerPoint is the chart's width, so
    its own (wider) line-and-marker keys still fit on the line."""
    key = style.text_size * LEGEND_KEY
    widths = [key + 5 + _width(s.name, style.text_size) for s in chart.series]
    total = sum(widths) + LEGEND_GAP * (len(widths) - 1)
    x = (width - total) / 2
    entries = []
    for si, w in enumerate(widths):
        entries.append((si, x))
        x += w + LEGEND_GAP
    return tuple(entries), Box(EDGE, top, width - 2 * EDGE, _line(style.text_size))


def _inside_colour(fill: str, style: ChartStyle) -> str | None:
    """Text colour for a label inside a bar of `fill`, or None if none reads (4.5:1)."""
    for colour in dict.fromkeys((style.background, WHITE, style.text_colour)):
        if contrast(colour, fill) >= 4.5:
            return colour
    return None


def _orientation(chart: Chart, texts, slot: float, bar_w: float, style: ChartStyle):
    """(size, rotated) for the data labels: the largest size, horizontal before rotated,
    at which every label fits its own column (bar width, or category slot for lines), so
    labels of neighbouring bars or points cannot meet. None: no size down to the floor fits."""
    column = bar_w if chart.kind == "bar" else slot
    size = style.label_size
    while size >= style.min_size:
        widest = max((_width(t, size) for t in texts), default=0)
        if widest + 2 <= column:
            return size, False
        if chart.kind == "bar" and _line(size) + 2 <= column:
            return size, True
        size -= 1
    return None


def _place_labels(chart: Chart, plot: Box, slot: float, bar_w: float, bars, points,
                  style: ChartStyle):
    """Each label at its preferred place (outside a bar's end, above a point), else the
    alternative (inside the bar's end, below the point), else none: never over another
    label, another bar or marker, or outside the plot area, and inside a bar only when it
    fits within it."""
    texts = {(s, i): format_value(chart.series[s].values[i], chart.unit, chart.decimals)
             for s, i, *_ in (bars or points)}
    choice = _orientation(chart, texts.values(), slot, bar_w, style)
    size, rotated = choice if choice else (style.min_size, False)
    r = style.marker_radius
    obstacles = {(s, i): box for s, i, box in bars}
    obstacles.update({(s, i): Box(x - r, y - r, 2 * r, 2 * r) for s, i, x, y in points})
    placed: list[DataLabel] = []
    omitted = []
    for item in (bars or points):
        s, i = item[0], item[1]
        text = texts[(s, i)]
        length = _width(text, size)
        w, h = (_line(size), length) if rotated else (length, _line(size))
        candidates = []
        if chart.kind == "bar":
            bar = item[2]
            cx = bar.x + bar.w / 2
            up = chart.series[s].values[i] >= 0
            end = bar.y if up else bar.bottom
            out_y = end - PAD - h if up else end + PAD
            in_y = end + PAD if up else end - PAD - h
            candidates.append(("outEnd", Box(cx - w / 2, out_y, w, h), style.text_colour))
            inside = _inside_colour(style.colour(s), style)
            box = Box(cx - w / 2, in_y, w, h)
            if inside and box.inside(bar):
                candidates.append(("inEnd", box, inside))
        else:
            _, _, px, py = item
            candidates.append(("t", Box(px - w / 2, py - r - PAD - h, w, h), style.text_colour))
            candidates.append(("b", Box(px - w / 2, py + r + PAD, w, h), style.text_colour))
        for position, box, colour in candidates:
            if (box.inside(plot) and not any(box.overlaps(p.box) for p in placed)
                    and not any(box.overlaps(o) for key, o in obstacles.items()
                                if key != (s, i))):
                placed.append(DataLabel(s, i, text, box, position, rotated, colour))
                break
        else:
            omitted.append((s, i))
    return placed, omitted, size
