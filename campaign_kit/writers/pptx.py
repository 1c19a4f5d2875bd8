"""Document (a deck of Slide blocks) -> PPTX over templates/reference.pptx.

Text sizes come from slidefit (measured with Carlito's metrics), charts are native and
editable, every chart has alt text and every slide has speaker notes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from html import escape

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_MARKER_STYLE, XL_TICK_MARK
from pptx.enum.text import MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Pt

from ..content.brand import font_name
from ..document import Chart, Document, Inline, ListBlock, Paragraph, Slide, plain
from ..errors import TemplateProblem
from .chartstyle import Box, ChartLayout, ChartStyle, chart_layout, chart_style, number_format
from .ooxml import core_text, fix_zip
from .slidefit import BODY_BOX, PARA_SPACE, SLIDE_H, SLIDE_W, chart_boxes, fit_deck

LAYOUTS = {"title": "Title Slide", "content": "Title and Content", "chart": "Title Only"}
CHART_TYPES = {"line": XL_CHART_TYPE.LINE_MARKERS, "bar": XL_CHART_TYPE.COLUMN_CLUSTERED}


def _runs(paragraph, spans: Inline, size: float, lang: str) -> None:
    for span in spans:
        run = paragraph.add_run()
        run.text = span.text.replace("\n", " ")
        run.font.size = Pt(size)
        run.font.bold = span.bold or None
        run.font.italic = span.italic or None
        run.font._rPr.set("lang", lang)
        if span.link and span.link.startswith(("https://", "http://", "mailto:")):
            run.hyperlink.address = span.link


def _bullet(paragraph, kind: str) -> None:
    """kind: 'none' for a plain paragraph, 'auto' for a numbered item; bullets are the default."""
    ppr = paragraph._p.get_or_add_pPr()
    if kind == "none":
        ppr.set("marL", "0")
        ppr.set("indent", "0")
        ppr.insert(0, ppr.makeelement(qn("a:buNone"), {}))
    elif kind == "auto":
        ppr.insert(0, ppr.makeelement(qn("a:buAutoNum"), {"type": "arabicPeriod"}))


def _fill(frame, blocks, size: float, lang: str) -> None:
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    units = []
    for block in blocks:
        if isinstance(block, Paragraph):
            units.append((block.spans, "none"))
        elif isinstance(block, ListBlock):
            units.extend((item, "auto" if block.ordered else "bullet") for item in block.items)
    for n, (spans, kind) in enumerate(units):
        p = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        _bullet(p, kind)
        if n:
            p.space_before = Pt(size * PARA_SPACE)
        _runs(p, spans, size, lang)


def _rpr(style: ChartStyle, size: float, colour: str, bold: bool = False) -> str:
    """A DrawingML defRPr: size, colour and the style's font."""
    b = ' b="1"' if bold else ""
    return (f'<a:defRPr sz="{round(size * 100)}"{b}><a:solidFill><a:srgbClr '
            f'val="{colour[1:].upper()}"/></a:solidFill>'
            f'<a:latin typeface="{escape(font_name(style.font_family))}"/></a:defRPr>')


def _tx_pr(style: ChartStyle, size: float, colour: str, lang: str, rotated: bool = False,
           bold: bool = False) -> str:
    rot = ' rot="-5400000" vert="horz"' if rotated else ""
    return (f"<c:txPr><a:bodyPr{rot}/><a:lstStyle/><a:p><a:pPr>{_rpr(style, size, colour, bold)}"
            f'</a:pPr><a:endParaRPr lang="{lang}"/></a:p></c:txPr>')


def _replace(parent, tag: str, xml: str, before: tuple[str, ...]) -> None:
    """Put `xml` as parent's `tag` child, in schema order (before the first of `before`;
    first of all with before=())."""
    for old in parent.findall(qn(tag)):
        parent.remove(old)
    new = parse_xml(xml)
    if not before:
        parent.insert(0, new)
        return
    for name in before:
        anchor = parent.find(qn(name))
        if anchor is not None:
            anchor.addprevious(new)
            return
    parent.append(new)


def _manual_layout(box: Box, width: float, height: float, inner: bool = False) -> str:
    target = '<c:layoutTarget val="inner"/>' if inner else ""
    return (f"<c:layout {nsdecls('c')}><c:manualLayout>{target}"
            '<c:xMode val="edge"/><c:yMode val="edge"/>'
            f'<c:x val="{box.x / width:.6f}"/><c:y val="{box.y / height:.6f}"/>'
            f'<c:w val="{box.w / width:.6f}"/><c:h val="{box.h / height:.6f}"/>'
            "</c:manualLayout></c:layout>")


SHOW = ('<c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/>'
        '<c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/>')
NO_FILL = '<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>'


def _data_labels(ser, chart: Chart, lay: ChartLayout, si: int, style: ChartStyle,
                 lang: str) -> None:
    """Every point's label where the layout put it (position, rotation, colour), or none."""
    code = escape(number_format(chart.unit, chart.decimals))
    fmt = f'<c:numFmt formatCode="{code}" sourceLinked="0"/>'
    mine = [lb for lb in lay.labels if lb.series == si]
    positions = [lb.position for lb in mine]
    common = max(set(positions), key=positions.count) if positions else (
        "outEnd" if chart.kind == "bar" else "t")
    points = []
    for label in mine:
        points.append(f'<c:dLbl><c:idx val="{label.index}"/>{fmt}{NO_FILL}'
                      f"{_tx_pr(style, lay.label_size, label.colour, lang, label.rotated)}"
                      f'<c:dLblPos val="{label.position}"/>{SHOW}</c:dLbl>')
    for s, i in lay.omitted:
        if s == si:
            points.append(f'<c:dLbl><c:idx val="{i}"/><c:delete val="1"/></c:dLbl>')
    points.sort(key=lambda x: int(x.split('idx val="')[1].split('"')[0]))
    rotated = any(lb.rotated for lb in mine)
    xml = (f"<c:dLbls {nsdecls('c', 'a')}>{''.join(points)}{fmt}{NO_FILL}"
           f"{_tx_pr(style, lay.label_size, style.text_colour, lang, rotated)}"
           f'<c:dLblPos val="{common}"/>{SHOW}</c:dLbls>')
    _replace(ser, "c:dLbls", xml, ("c:trendline", "c:errBars", "c:cat", "c:val"))


def _axis_title(axis, text: str, box: Box, chart_size: tuple[float, float], style: ChartStyle,
                lang: str, rotated: bool) -> None:
    axis.has_title = True
    rot = ' rot="-5400000" vert="horz"' if rotated else ""
    w, h = chart_size
    where = ('<c:layout><c:manualLayout><c:xMode val="edge"/><c:yMode val="edge"/>'
             f'<c:x val="{box.x / w:.6f}"/><c:y val="{box.y / h:.6f}"/></c:manualLayout>'
             "</c:layout>")
    _replace(axis._element, "c:title",
             f"<c:title {nsdecls('c', 'a')}><c:tx><c:rich><a:bodyPr{rot}/><a:lstStyle/><a:p>"
             f"<a:pPr>{_rpr(style, style.text_size, style.text_colour)}</a:pPr><a:r>"
             f'<a:rPr lang="{lang}" sz="{round(style.text_size * 100)}" b="0"/>'
             f"<a:t>{escape(text)}</a:t></a:r></a:p></c:rich></c:tx>{where}"
             '<c:overlay val="0"/></c:title>',
             ("c:numFmt", "c:majorTickMark", "c:minorTickMark", "c:tickLblPos", "c:spPr",
              "c:txPr", "c:crossAx"))


def _chart(slide, chart: Chart, box: tuple[float, float, float, float], style: ChartStyle,
           lang: str) -> None:
    """A native chart pinned to the shared layout: plot area, axis, labels and colours."""
    left, top, width, height = box
    lay = chart_layout(chart, width, height, style)
    data = CategoryChartData(number_format=number_format(chart.unit, chart.decimals))
    data.categories = list(chart.categories)
    for series in chart.series:
        data.add_series(series.name, list(series.values))
    frame = slide.shapes.add_chart(CHART_TYPES[chart.kind], Pt(left), Pt(top), Pt(width),
                                   Pt(height), data)
    frame.name = chart.title
    c_nv_pr = frame._element.nvGraphicFramePr.cNvPr
    c_nv_pr.set("descr", chart.alt)
    c_nv_pr.set("title", chart.title)
    ch = frame.chart
    ink = RGBColor.from_string(style.text_colour[1:])
    ch.has_title = True
    # one paragraph that PowerPoint wraps itself; the layout keeps room for as many lines
    ch.chart_title.text_frame.text = chart.title
    font = ch.chart_title.text_frame.paragraphs[0].runs[0].font
    font.size, font.bold, font.color.rgb = Pt(style.title_size), True, ink
    ch.has_legend = True
    ch.legend.position = XL_LEGEND_POSITION.BOTTOM
    ch.legend.include_in_layout = False
    ch.legend.font.size = Pt(style.text_size)
    _series_styles(ch.plots[0], chart, lay, style, lang)
    _axes(ch, chart, lay, (width, height), style, lang)
    _pinned(ch, lay, (width, height), style, lang)


def _series_styles(plot, chart: Chart, lay, style: ChartStyle, lang: str) -> None:
    """Each series in the shared colours, with its own data labels where the layout puts
    them."""
    plot.has_data_labels = False  # each series carries its own, placed by the layout
    if chart.kind == "bar":
        plot.gap_width = style.gap_width
        _replace(plot._element, "c:overlap", f'<c:overlap {nsdecls("c")} val="0"/>',
                 ("c:serLines", "c:axId"))  # side by side, written out (python-pptx omits 0)
    for si, series in enumerate(plot.series):
        colour = RGBColor.from_string(style.colour(si)[1:])
        if chart.kind == "bar":
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = colour
            series.invert_if_negative = False
        else:
            series.smooth = False
            series.format.line.color.rgb = colour
            series.format.line.width = Pt(style.line_width)
            series.marker.style = XL_MARKER_STYLE.CIRCLE
            series.marker.size = round(style.marker_radius * 2)
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = colour
            series.marker.format.line.color.rgb = colour
        _data_labels(series._element, chart, lay, si, style, lang)


def _axes(ch, chart: Chart, lay, size: tuple[float, float], style: ChartStyle,
          lang: str) -> None:
    """The value axis's range, steps and gridlines as the SVG draws them; axis titles."""
    width, height = size
    ink = RGBColor.from_string(style.text_colour[1:])
    value, category = ch.value_axis, ch.category_axis
    value.minimum_scale, value.maximum_scale = lay.axis.minimum, lay.axis.maximum
    value.major_unit = lay.axis.major_unit
    value.has_major_gridlines = True
    grid = value.major_gridlines.format.line
    grid.color.rgb, grid.width = RGBColor.from_string(style.grid_colour[1:]), Pt(0.75)
    value.format.line.fill.background()  # no value-axis line, as in the SVG
    category.format.line.color.rgb, category.format.line.width = ink, Pt(0.75)
    for axis in (value, category):
        axis.major_tick_mark = axis.minor_tick_mark = XL_TICK_MARK.NONE
        axis.tick_labels.font.size = Pt(style.text_size)
        axis.tick_labels.font.color.rgb = ink
    value.tick_labels.number_format = number_format(chart.unit, lay.axis.decimals)
    value.tick_labels.number_format_is_linked = False
    if lay.y_title_box:
        _axis_title(value, chart.y_title, lay.y_title_box, (width, height), style, lang,
                    rotated=True)
    if lay.x_title_box:
        _axis_title(category, chart.x_title, lay.x_title_box, (width, height), style, lang,
                    rotated=False)
    val_ax = value._element
    if val_ax.find(qn("c:crossBetween")) is None:  # categories centred in their slots
        _replace(val_ax, "c:crossBetween", f'<c:crossBetween {nsdecls("c")} val="between"/>',
                 ("c:majorUnit", "c:minorUnit", "c:dispUnits", "c:extLst"))


def _pinned(ch, lay, size: tuple[float, float], style: ChartStyle, lang: str) -> None:
    """Plot area and legend where the shared layout puts them; the chart's language and
    text properties."""
    width, height = size
    plot_area = ch._chartSpace.chart.plotArea
    _replace(plot_area, "c:layout", _manual_layout(lay.plot, width, height, inner=True), ())
    legend = ch._chartSpace.chart.find(qn("c:legend"))
    _replace(legend, "c:layout", _manual_layout(lay.legend_box, width, height),
             ("c:overlay", "c:spPr", "c:txPr"))
    space = ch._chartSpace
    _replace(space, "c:lang", f'<c:lang {nsdecls("c")} val="{lang}"/>',
             ("c:roundedCorners", "c:chart"))
    _replace(space, "c:txPr", _tx_pr(style, style.text_size, style.text_colour, lang)
             .replace("<c:txPr>", f"<c:txPr {nsdecls('c', 'a')}>", 1),
             ("c:externalData", "c:printSettings", "c:userShapes", "c:extLst"))


def _slide(prs, slide: Slide, lang: str, style: ChartStyle) -> None:
    charts = [b for b in slide.blocks if isinstance(b, Chart)]
    layout_name = LAYOUTS["chart" if charts else slide.layout]
    layout = next((lay for lay in prs.slide_layouts if lay.name == layout_name), None)
    if layout is None:
        raise TemplateProblem(f"reference.pptx has no slide layout '{layout_name}'")
    s = prs.slides.add_slide(layout)
    title = s.shapes.title
    title.text_frame.word_wrap = True
    title.text_frame.auto_size = MSO_AUTO_SIZE.NONE
    _runs(title.text_frame.paragraphs[0], slide.title, slide.title_size, lang)
    if slide.layout == "title":  # the PDF deck centres the title slide too
        title.text_frame.paragraphs[0].alignment = PP_ALIGN.CENTER
    text_blocks = [b for b in slide.blocks if not isinstance(b, Chart)]
    if slide.layout == "title":
        subtitle = s.placeholders[1]
        _fill(subtitle.text_frame, text_blocks, slide.text_size, lang)
    elif charts:
        boxes = chart_boxes(slide)
        for chart, box in zip(charts, boxes, strict=True):
            _chart(s, chart, box, style, lang)
        if text_blocks:
            left, top, width, height = BODY_BOX
            chart_h = boxes[0][3]
            box = s.shapes.add_textbox(Pt(left), Pt(top + chart_h), Pt(width),
                                       Pt(height - chart_h))
            _fill(box.text_frame, text_blocks, slide.text_size, lang)
    else:
        _fill(s.placeholders[1].text_frame, text_blocks, slide.text_size, lang)
    s.notes_slide.notes_text_frame.text = slide.notes or plain(slide.title)


def _check_shape(prs, source: str) -> None:
    ratio = prs.slide_width / prs.slide_height
    if abs(ratio - 16 / 9) > 0.01:
        raise TemplateProblem(
            f"{source}: slides are {prs.slide_width / 360000:.2f} x "
            f"{prs.slide_height / 360000:.2f} cm ({ratio:.2f}:1); the deck needs a 16:9 "
            "reference.pptx (33.87 x 19.05 cm)")


def apply_brand(prs, brand) -> None:
    """The brand in the theme (colours, fonts), the master's title style and its logo."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    theme = prs.slide_master.part.part_related_by(RT.THEME)
    xml = theme.blob.decode("utf-8")
    scheme = {"dk1": brand.text, "lt1": brand.background, "dk2": brand.primary,
              "accent1": brand.chart[0], "accent2": brand.chart[1],
              "accent3": brand.chart[2 % len(brand.chart)],
              "accent4": brand.chart[3 % len(brand.chart)], "hlink": brand.accent}
    for slot, colour in scheme.items():
        xml = re.sub(rf"<a:{slot}>.*?</a:{slot}>",
                     f'<a:{slot}><a:srgbClr val="{colour.lstrip("#").upper()}"/></a:{slot}>',
                     xml, count=1, flags=re.S)
    for which, font in (("majorFont", brand.heading_font), ("minorFont", brand.body_font)):
        font = font_name(font)  # the brand's one check for a value written into a theme
        xml = re.sub(rf'(<a:{which}><a:latin typeface=")[^"]*', rf"\g<1>{_attr(font)}", xml,
                     count=1)
    theme._blob = xml.encode("utf-8")
    master = prs.slide_master
    for level in master.element.xpath("./p:txStyles/p:titleStyle/a:lvl1pPr"):
        level.set("algn", "l")
        rpr = level.find(qn("a:defRPr"))
        if rpr is not None:
            for old in rpr.findall(qn("a:solidFill")):
                rpr.remove(old)
            fill = rpr.makeelement(qn("a:solidFill"), {})
            fill.append(fill.makeelement(qn("a:srgbClr"),
                                         {"val": brand.primary.lstrip("#").upper()}))
            rpr.insert(0, fill)
            rpr.set("b", "1")  # as the PDF's slide titles
    # The template's subtitle, date and footer text is black at a 75% tint, which LibreOffice
    # shows light grey (below 4.5:1): the brand's text colour instead, untinted.
    for part in [master, *prs.slide_layouts]:
        for tint in part.element.xpath(".//a:schemeClr[@val='tx1']/a:tint"):
            tint.getparent().remove(tint)
    if brand.logo:
        _master_logo(master, brand)


def _master_logo(master, brand) -> None:
    """The logo in the master's bottom-right corner, so every slide carries it.

    python-pptx adds pictures to slides only, so the picture element is built here the way
    it builds one for a slide."""
    from pptx.oxml.shapes.picture import CT_Picture

    image_part, rid = master.part.get_or_add_image_part(io.BytesIO(brand.logo))
    width_px, height_px = image_part.image.size
    height = Pt(30)
    width = int(height * width_px / height_px)
    tree = master.shapes._spTree
    shape_id = max((int(x) for x in tree.xpath("//p:cNvPr/@id")), default=1) + 1
    pic = CT_Picture.new_pic(shape_id, brand.logo_alt, brand.logo_alt, rid,
                             Pt(SLIDE_W - 24) - width, Pt(SLIDE_H - 14) - height, width, height)
    tree.append(pic)


def _attr(text: str) -> str:
    from html import escape

    return escape(text, quote=True)


def write_pptx(document: Document, assets) -> bytes:
    deck = fit_deck(document)
    reference = assets.file("reference.pptx")
    try:
        prs = Presentation(str(reference))
    except Exception as exc:  # not a zip, not a presentation, broken XML
        raise TemplateProblem(f"{reference} is not a PowerPoint file that python-pptx can "
                              f"open ({type(exc).__name__})") from None
    _check_shape(prs, "reference.pptx")
    apply_brand(prs, assets.brand)
    style = chart_style(assets.brand)  # the brand's chart colours, text colour and font
    for block in deck.blocks:
        if isinstance(block, Slide):
            _slide(prs, block, deck.meta.lang, style)
    m = deck.meta
    core = prs.core_properties
    core.title, core.author = core_text(m.title), core_text(m.author)
    core.last_modified_by, core.subject = core_text(m.author), core_text(m.subject)
    core.keywords, core.language = core_text(", ".join(m.keywords)), m.lang
    core.revision = 1
    core.created = core.modified = (dt.datetime.fromisoformat(m.date) if m.date
                                    else dt.datetime(2024, 1, 1))
    buf = io.BytesIO()
    prs.save(buf)
    return fix_zip(buf.getvalue())
