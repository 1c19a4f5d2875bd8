"""Charts: one style and one layout for the PPTX and the PDF, labels that never overlap, and
deck text never under 14 pt."""

from __future__ import annotations

import datetime as dt
import math
import re
import sqlite3
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pptx import Presentation

from campaign_kit.document import Chart, ChartSeries, Paragraph, Slide, Span
from campaign_kit.errors import TemplateProblem
from campaign_kit.writers import chartstyle as cs
from campaign_kit.writers import slidefit
from campaign_kit.writers.chartstyle import (
    DEFAULT_STYLE,
    WHITE,
    ChartStyle,
    chart_layout,
    contrast,
    format_value,
    value_axis,
)

from .extract import libreoffice_to_pdf, pdf_text_sizes

SVG = "{http://www.w3.org/2000/svg}"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def deck_chart_size(n: int = 2) -> tuple[float, float]:
    """The size each chart is drawn at on a deck slide with n charts and a caption."""
    slide = Slide((Span("t"),), (*[Chart("bar", "c", (), (), "a")] * n,
                                 Paragraph((Span("Sources"),))))
    _, _, w, h = slidefit.chart_boxes(slide)[0]
    return w, h


# -- style ------------------------------------------------------------------------------------
def test_default_style_has_readable_colours():
    assert contrast("#000000", WHITE) == pytest.approx(21)
    assert contrast(DEFAULT_STYLE.text_colour, WHITE) >= 4.5
    for colour in DEFAULT_STYLE.series_colours:
        assert contrast(colour, WHITE) >= 3, colour
    assert DEFAULT_STYLE.min_size >= slidefit.MIN_SIZE
    assert min(DEFAULT_STYLE.text_size, DEFAULT_STYLE.label_size) >= DEFAULT_STYLE.min_size


def test_style_from_brand_colours():
    style = ChartStyle.from_colours(["005EB8", "#E03C31", "#070"], "#222", " Arial ")
    assert style.series_colours == ("#005eb8", "#e03c31", "#007700")
    assert (style.text_colour, style.font_family) == ("#222222", "Arial")
    assert style.font_stack.startswith('"Arial", "Liberation Sans"')  # brand.font_stack
    with pytest.raises(ValueError, match=r"#ffdd00 has 1\.\d:1 .* at least 3:1"):
        ChartStyle.from_colours(["#005eb8", "#ffdd00"], "#222222", "Arial")
    with pytest.raises(ValueError, match="text needs at least 4.5:1"):
        ChartStyle.from_colours(["#005eb8"], "#999999", "Arial")
    with pytest.raises(ValueError, match="not a colour"):
        ChartStyle.from_colours(["navy"], "#222222", "Arial")


def test_chart_style_comes_from_the_brand():
    from campaign_kit.engine.engine import Engine

    assert cs.chart_style(None) is DEFAULT_STYLE
    brand = Engine.load().campaign.brand
    style = cs.chart_style(brand)
    assert style.series_colours == tuple(brand.chart) and style.text_colour == brand.text
    assert (style.font_family, style.background) == (brand.body_font, brand.background)
    assert cs.chart_style(brand) is style, "made once per brand"


# -- numbers ----------------------------------------------------------------------------------
@pytest.mark.parametrize("values, unit, headroom, expected", [
    ([5.8, 75.4, 41.0], "%", 0, (0, 100, 20)),
    ([17784, 9094], "", 0, (0, 20000, 5000)),
    ([17784, 9094], "", 0.13, (0, 25000, 5000)),
    ([11, 18, 17], "", 0, (0, 20, 5)),
    ([4432], "", 0.13, (0, 6000, 1000)),
    ([0, 0], "", 0, (0, 1, 0.2)),
    ([-3.5, 2.0], "", 0, (-4, 2, 1)),
    ([120.0, 40.0], "%", 0, (0, 120, 20)),  # a percentage over 100 gets a counted axis
])
def test_value_axis(values, unit, headroom, expected):
    axis = value_axis(values, unit, headroom)
    assert (axis.minimum, axis.maximum, axis.major_unit) == pytest.approx(expected)


@given(st.lists(st.floats(0, 1e7, allow_nan=False), min_size=1, max_size=12),
       st.sampled_from([0.0, 0.1, 0.25]))
def test_value_axis_is_round_and_tight(values, headroom):
    axis = value_axis(values, "", headroom)
    step = axis.major_unit
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert round(mantissa, 6) in (1, 2, 2.5, 5)
    assert len(axis.ticks) - 1 <= cs.MAX_INTERVALS
    top = max(values)
    assert axis.minimum == 0 and top <= axis.maximum * (1 - headroom) + 1e-6 * axis.maximum
    if top >= 1e-6:  # and no more than a step too tall
        assert axis.maximum - step < top + (top * headroom / (1 - headroom)) + 1e-6 * step


@pytest.mark.parametrize("value, unit, text", [
    (45.5, "%", "46%"), (44.5, "%", "45%"), (0.4, "%", "0%"), (100.0, "%", "100%"),
    (17784.0, "", "17,784"), (2.5, "", "3"), (17784.5, "", "17,785")])
def test_format_value_rounds_like_powerpoint(value, unit, text):
    """PowerPoint rounds halves away from zero; Python's round() would give 44% for 44.5."""
    assert format_value(value, unit) == text
    assert cs.number_format(unit) == ('0"%"' if unit == "%" else "#,##0")


# -- label geometry ---------------------------------------------------------------------------
def assert_labels_clear(chart: Chart, lay: cs.ChartLayout, style: ChartStyle = DEFAULT_STYLE):
    """No label over another, over a bar not its own or a marker not its own; all inside
    the plot, readable against what is behind them, and at least the floor size."""
    assert lay.label_size >= style.min_size
    labels = lay.labels
    for n, a in enumerate(labels):
        assert a.box.inside(lay.plot), (chart.title, a)
        for b in labels[n + 1:]:
            assert not a.box.overlaps(b.box), (chart.title, a, b)
        for s, i, bar in lay.bars:
            if (s, i) != (a.series, a.index):
                assert not a.box.overlaps(bar), (chart.title, a, bar)
            elif a.position == "inEnd":
                assert a.box.inside(bar) and contrast(a.colour, style.colour(s)) >= 4.5
            else:
                assert not a.box.overlaps(bar) and a.colour == style.text_colour
        r = style.marker_radius
        for s, i, x, y in lay.points:
            marker = cs.Box(x - r, y - r, 2 * r, 2 * r)
            assert not a.box.overlaps(marker), (chart.title, a, (s, i))
        if a.rotated:
            assert a.box.w <= lay.bar_width
    labelled = {(x.series, x.index) for x in labels} | set(lay.omitted)
    values = {(s, i) for s, ser in enumerate(chart.series) for i, v in enumerate(ser.values)
              if v is not None}
    assert labelled == values, "every value is labelled or listed as omitted"


def every_council_chart(engine):
    """Every chart the campaign declares, for every English council that has its points:
    which a deck or briefing draws depends on the council's evidence, so all are checked."""
    from campaign_kit.engine.charts import area_chart
    from campaign_kit.localdata.pictures import council_picture
    from campaign_kit.localdata.store import BUNDLED_STORE

    with sqlite3.connect(BUNDLED_STORE) as db:
        names = [r[0] for r in db.execute("SELECT name FROM councils WHERE nation = 'England' "
                                          "ORDER BY name")]
    for name in names:
        picture = council_picture(engine.places, engine.places.council(name))
        for spec in engine.campaign.charts:
            chart = area_chart(spec, [picture])
            if chart is not None:
                yield name, chart


@pytest.mark.slow
def test_labels_never_overlap_on_any_councils_charts(engine):
    """Every English council's charts (Hampshire, Kent, Lancashire, Birmingham and the
    rest), at the size the deck draws them: every value labelled, nothing overlapping."""
    size = deck_chart_size()
    style = cs.chart_style(engine.campaign.brand)
    seen = {}
    for name, chart in every_council_chart(engine):
        lay = chart_layout(chart, *size, style)
        assert_labels_clear(chart, lay, style)
        assert not lay.omitted, (name, chart.title, lay.omitted)
        seen[name] = seen.get(name, 0) + 1
    assert len(seen) > 140 and {"Hampshire", "Kent", "Lancashire", "Birmingham",
                                "Isles of Scilly"} <= set(seen)
    # one chart where the timeliness percentage rests on under 50 plans in a plotted year
    # (no bar of 80% for 4 plans of 5): the Isles of Scilly, the City of London, Rutland ...
    small = sorted(name for name, count in seen.items() if count == 2)
    assert set(seen.values()) <= {2, 3} and seen["Hampshire"] == 3
    assert {"Isles of Scilly", "City of London"} <= set(small) and len(small) < 15, small


def test_crowded_charts_rotate_or_drop_labels_but_never_overlap():
    many = Chart("bar", "Twelve years, three series", tuple(str(2000 + n) for n in range(12)),
                 tuple(ChartSeries(f"S{k}", tuple(100.0 - 7 * n - k for n in range(12)))
                       for k in range(3)), "alt", unit="%")
    lay = chart_layout(many, *deck_chart_size())
    assert_labels_clear(many, lay)
    assert lay.omitted, "no room for every label: some are left out, none squeezed"
    roomy = Chart("bar", "Three years", ("2022", "2023", "2024"),
                  (ChartSeries("A", (45.5, 100.0, 2.0)), ChartSeries("B", (48.0, 49.0, 0.0))),
                  "alt", unit="%")
    lay = chart_layout(roomy, *deck_chart_size(1))
    assert_labels_clear(roomy, lay)
    assert not any(x.rotated for x in lay.labels), "wide bars keep labels horizontal"
    by_value = {x.text: x.position for x in lay.labels}
    assert by_value["100%"] == "inEnd" and by_value["46%"] == "outEnd"
    close = Chart("line", "Two close lines", ("a", "b", "c"),
                  (ChartSeries("A", (50.0, 51.0, 52.0)), ChartSeries("B", (51.0, 52.0, 53.0))),
                  "alt")
    lay = chart_layout(close, *deck_chart_size())
    assert_labels_clear(close, lay)
    assert {x.position for x in lay.labels} == {"t", "b"}, "the second line's labels go below"


def test_long_titles_wrap_and_impossible_ones_are_errors():
    chart = Chart("line", "EHC plans in force each January, Bournemouth, Christchurch and "
                  "Poole", ("2020", "2021"), (ChartSeries("BCP", (1.0, 2.0)),), "alt")
    lay = chart_layout(chart, *deck_chart_size())
    assert len(lay.title_lines) == 2
    with pytest.raises(TemplateProblem, match="title takes more than 2 lines"):
        chart_layout(Chart("line", "A very long title " * 8, ("a",),
                           (ChartSeries("s", (1.0,)),), "alt"), *deck_chart_size())
    with pytest.raises(TemplateProblem, match="category names are too wide"):
        chart_layout(Chart("bar", "t", tuple(f"Category number {n}" for n in range(8)),
                           (ChartSeries("s", (1.0,) * 8),), "alt"), *deck_chart_size())


# -- the same chart in the PPTX and the PDF ---------------------------------------------------
@pytest.fixture(scope="module")
def deck_files(tmp_path_factory):
    from click.testing import CliRunner

    from campaign_kit.cli import cli

    out = tmp_path_factory.mktemp("charts")
    for council in ("Cambridgeshire", "Kent"):
        result = CliRunner().invoke(cli, ["deck", "--council", council, "--date", "2026-11-24",
                                          "--out", str(out)])
        assert result.exit_code == 0, result.output
    return out


def _deck_svgs(engine, council: str) -> list[ET.Element]:
    """The SVG charts of the council's PDF deck, in slide order, as the PDF writer draws them."""
    from campaign_kit.engine.requests import Area, Request
    from campaign_kit.writers.html import document_html
    from campaign_kit.writers.slidefit import fit_deck

    area = Area.of_council(engine.places, engine.places.council(council))
    doc = engine.make("deck", Request(dt.date(2026, 11, 24), area=area)).documents[0][0]
    html = document_html(fit_deck(doc), engine.campaign.brand)
    return [ET.fromstring(svg) for svg in re.findall(r"<svg .*?</svg>", html, re.S)]


def _pptx_charts(path):
    return [sh for s in Presentation(str(path)).slides for sh in s.shapes if sh.has_chart]


def _num(el, path: str) -> float:
    return float(el.find(path).get("val"))


def _svg_label_side(svg, label) -> tuple[tuple[float, float], str, bool]:
    """((x centre, y centre), where the label sits against its bar or point, rotated?)."""
    size = float(label.get("font-size"))
    transform = label.get("transform")
    if transform:
        x, y = map(float, re.match(r"translate\(([-\d.]+) ([-\d.]+)\) rotate\(-90\)",
                                   transform).groups())
        centre = (x + size * (cs.LINE_HEIGHT / 2 - cs.ASCENT_AT), y)
    else:
        x, y = float(label.get("x")), float(label.get("y"))
        centre = (x, y - size * cs.ASCENT_AT + size * cs.LINE_HEIGHT / 2)
    for rect in svg.iter(f"{SVG}rect"):
        rx, ry, rw = (float(rect.get(k)) for k in ("x", "y", "width"))
        if rect.get("class") == "bar" and rx <= centre[0] <= rx + rw:
            return centre, ("inEnd" if centre[1] > ry else "outEnd"), bool(transform)
    for circle in svg.iter(f"{SVG}circle"):
        if circle.get("class") == "point" and abs(float(circle.get("cx")) - centre[0]) < 0.01:
            return centre, ("b" if centre[1] > float(circle.get("cy")) else "t"), False
    raise AssertionError(f"label {label.text} is over no bar and no point")


@pytest.mark.slow
@pytest.mark.parametrize("council, charts", [("Cambridgeshire", 2), ("Kent", 1)])
def test_pptx_chart_carries_the_svgs_axis_labels_and_colours(engine, deck_files, council, charts):
    name = council.lower().replace(" ", "-")
    frames = _pptx_charts(deck_files / f"deck-{name}.pptx")
    svgs = _deck_svgs(engine, council)
    style = cs.chart_style(engine.campaign.brand)
    assert len(frames) == len(svgs) == charts  # Kent: only the chart that argues
    for frame, svg in zip(frames, svgs, strict=True):
        space = frame.chart._chartSpace
        width, height = frame.width.pt, frame.height.pt
        assert svg.get("viewBox") == f"0 0 {width:g} {height:g}"
        # the value axis: same minimum, maximum and major unit as the SVG's gridlines
        val_ax = space.find(f".//{C}valAx")
        low, high = _num(val_ax, f"{C}scaling/{C}min"), _num(val_ax, f"{C}scaling/{C}max")
        unit = _num(val_ax, f"{C}majorUnit")
        percent = val_ax.find(f"{C}numFmt").get("formatCode") == '0"%"'
        ticks = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "tick"]
        steps = round((high - low) / unit)
        assert ticks == [format_value(low + k * unit, "%" if percent else "")
                         for k in range(steps + 1)]
        # the plot area pinned where the SVG draws its gridlines
        grid = [g for g in svg.iter(f"{SVG}line") if g.get("stroke") == style.grid_colour]
        layout = space.find(f".//{C}plotArea/{C}layout/{C}manualLayout")
        assert layout.find(f"{C}layoutTarget").get("val") == "inner"
        x, y = _num(layout, f"{C}x") * width, _num(layout, f"{C}y") * height
        w, h = _num(layout, f"{C}w") * width, _num(layout, f"{C}h") * height
        assert float(grid[0].get("x1")) == pytest.approx(x, abs=0.01)
        assert float(grid[0].get("x2")) == pytest.approx(x + w, abs=0.01)
        assert float(grid[-1].get("y1")) == pytest.approx(y, abs=0.01)
        assert float(grid[0].get("y1")) == pytest.approx(y + h, abs=0.01)
        # series colours
        kind = "bar" if space.find(f".//{C}barChart") is not None else "line"
        for k, ser in enumerate(space.iter(f"{C}ser")):
            fill = ser.find(f"{C}spPr/{A}solidFill/{A}srgbClr" if kind == "bar"
                            else f"{C}spPr/{A}ln/{A}solidFill/{A}srgbClr")
            assert "#" + fill.get("val").lower() == style.colour(k)
            marks = [m.get("fill") or m.get("stroke") for m in svg.iter()
                     if m.get("class") in ("bar", "point")]
            assert style.colour(k) in marks
        if kind == "bar":
            bar = space.find(f".//{C}barChart")
            assert _num(bar, f"{C}gapWidth") == style.gap_width
            assert _num(bar, f"{C}overlap") == 0
        # every data label: the SVG's side of its bar/point and rotation are the PPTX's
        pptx_labels = {}
        for ser in space.iter(f"{C}ser"):
            values = [float(v.text) for v in ser.iterfind(f"{C}val//{C}pt/{C}v")]
            idx = [int(p.get("idx")) for p in ser.iterfind(f"{C}val//{C}pt")]
            for lbl in ser.iterfind(f"{C}dLbls/{C}dLbl"):
                i = int(lbl.find(f"{C}idx").get("val"))
                assert lbl.find(f"{C}delete") is None, "no label dropped on real charts"
                rot = lbl.find(f"{C}txPr/{A}bodyPr").get("rot")
                text = format_value(values[idx.index(i)], "%" if percent else "")
                pptx_labels[(text, lbl.find(f"{C}dLblPos").get("val"), rot == "-5400000")] = (
                    pptx_labels.get((text, lbl.find(f"{C}dLblPos").get("val"),
                                     rot == "-5400000"), 0) + 1)
        svg_labels = {}
        for label in svg.iter(f"{SVG}text"):
            if label.get("class") == "data-label":
                _, side, rotated = _svg_label_side(svg, label)
                svg_labels[(label.text, side, rotated)] = svg_labels.get(
                    (label.text, side, rotated), 0) + 1
        assert svg_labels == pptx_labels and svg_labels
        # and no chart text under the floor
        sizes = [int(el.get("sz")) for el in space.iter() if el.get("sz")]
        assert min(sizes) >= slidefit.MIN_SIZE * 100
        assert all(float(t.get("font-size")) >= slidefit.MIN_SIZE for t in svg.iter(f"{SVG}text"))


@pytest.mark.slow
def test_axis_titles_in_both_charts(engine, deck_files):
    frames = _pptx_charts(deck_files / "deck-cambridgeshire.pptx")
    titles = []
    for frame in frames:
        for axis in ("valAx", "catAx"):
            runs = frame.chart._chartSpace.iterfind(f".//{C}{axis}/{C}title//{A}t")
            titles.append("".join(r.text for r in runs))
    # the strongest first: Cambridgeshire's timeliness, then its rise in plans
    assert titles == ["% issued within 20 weeks", "Calendar year", "EHC plans", "January"]
    svg_titles = [t.text for svg in _deck_svgs(engine, "Cambridgeshire")
                  for t in svg.iter(f"{SVG}text")
                  if t.get("class") == "axis-title"]
    assert sorted(svg_titles) == sorted(titles)


# -- 14 pt everywhere, and the many-MP slide --------------------------------------------------
@pytest.mark.slow
def test_kent_deck_never_below_14pt(deck_files, tmp_path):
    """Kent spans 16 seats: its MPs are carried over to a second slide rather than set small;
    no text in the PPTX, our PDF or LibreOffice's PDF of the PPTX is under 14 pt."""
    pptx = deck_files / "deck-kent.pptx"
    prs = Presentation(str(pptx))
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                for p in shape.text_frame.paragraphs:
                    for run in p.runs:
                        assert run.font.size is not None and run.font.size.pt >= 14, run.text
    mp_slides = [s for s in prs.slides if s.shapes.title.text_frame.text.startswith("Our MPs")]
    assert len(mp_slides) >= 2
    assert mp_slides[1].shapes.title.text_frame.text == "Our MPs (continued)"
    mps = [p for s in mp_slides for p in s.placeholders[1].text_frame.paragraphs]
    assert len(mps) == 16
    assert min(r.font.size.pt for p in mps for r in p.runs) >= slidefit.SPLIT_BELOW
    for pdf in (deck_files / "deck-kent.pdf", libreoffice_to_pdf(pptx, tmp_path)):
        pages = pdf_text_sizes(pdf)
        assert len(pages) == len(prs.slides)
        smallest = min((size, text, n) for n, page in enumerate(pages, 1) for size, text in page)
        assert smallest[0] >= 14 - 0.01, (pdf.name, smallest)


def test_long_lists_split_before_they_get_small():
    items = tuple((Span(f"Member of Parliament number {n} (Party), A Constituency Name: "
                        f"someone.{n}@parliament.uk"),) for n in range(15))
    from campaign_kit.document import ListBlock

    slide = Slide((Span("Our MPs"),), (ListBlock(items),), notes="n")
    one = slidefit.best_size(slidefit.text_units(slide.blocks), *slidefit.body_box(slide))
    assert one is not None and one < slidefit.SPLIT_BELOW, "fits, but only small"
    fitted = slidefit.fit_slide(slide)
    assert len(fitted) == 2 and all(f.text_size >= slidefit.SPLIT_BELOW for f in fitted)
    assert sum(len(b.items) for f in fitted for b in f.blocks) == 15
    caption = Slide((Span("t"),), (Chart("bar", "c", ("a",), (ChartSeries("s", (1.0,)),), "a"),
                                   Paragraph((Span("Sources: " + "x " * 60),))))
    assert len(slidefit.fit_slide(caption)) == 1, "a chart slide is never split for size"
