"""Document (a deck of Slide blocks) -> PPTX over templates/reference.pptx.

Text sizes come from slidefit (measured with Carlito's metrics), charts are native and
editable, every chart has alt text and every slide has speaker notes.
"""

from __future__ import annotations

import datetime as dt
import io
import re

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.text import MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Pt

from ..document import Chart, Document, Inline, ListBlock, Paragraph, Slide, plain
from ..errors import TemplateProblem
from .ooxml import fix_zip
from .slidefit import BODY_BOX, CHART_CAPTION_H, PARA_SPACE, SLIDE_H, SLIDE_W, fit_deck

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


def _chart(slide, chart: Chart, box: tuple[float, float, float, float]) -> None:
    data = CategoryChartData(number_format='0"%"' if chart.unit == "%" else "#,##0")
    data.categories = list(chart.categories)
    for series in chart.series:
        data.add_series(series.name, list(series.values))
    left, top, width, height = box
    frame = slide.shapes.add_chart(CHART_TYPES[chart.kind], Pt(left), Pt(top), Pt(width),
                                   Pt(height), data)
    frame.name = chart.title
    c_nv_pr = frame._element.nvGraphicFramePr.cNvPr
    c_nv_pr.set("descr", chart.alt)
    c_nv_pr.set("title", chart.title)
    ch = frame.chart
    ch.has_title = True
    ch.chart_title.text_frame.text = chart.title
    ch.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(16)
    ch.has_legend = True
    ch.legend.position = XL_LEGEND_POSITION.BOTTOM
    ch.legend.include_in_layout = False
    ch.legend.font.size = Pt(12)
    plot = ch.plots[0]
    plot.has_data_labels = True
    plot.data_labels.font.size = Pt(11)
    plot.data_labels.number_format = '0"%"' if chart.unit == "%" else "#,##0"
    plot.data_labels.number_format_is_linked = False
    plot.data_labels.position = (XL_LABEL_POSITION.ABOVE if chart.kind == "line"
                                 else XL_LABEL_POSITION.OUTSIDE_END)
    ch.value_axis.tick_labels.font.size = Pt(11)
    ch.value_axis.tick_labels.number_format = '0"%"' if chart.unit == "%" else "#,##0"
    ch.value_axis.tick_labels.number_format_is_linked = False
    ch.category_axis.tick_labels.font.size = Pt(11)
    ch.value_axis.has_major_gridlines = True
    if chart.unit == "%":
        ch.value_axis.maximum_scale = 100
        ch.value_axis.minimum_scale = 0


def _slide(prs, slide: Slide, lang: str, brand) -> None:
    charts = [b for b in slide.blocks if isinstance(b, Chart)]
    layout_name = LAYOUTS["chart" if charts else slide.layout]
    layout = next(lay for lay in prs.slide_layouts if lay.name == layout_name)
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
        left, top, width, height = BODY_BOX
        chart_h = height - (CHART_CAPTION_H if text_blocks else 0)
        gap = 18.0
        each = (width - gap * (len(charts) - 1)) / len(charts)
        for n, chart in enumerate(charts):
            _chart(s, chart, (left + n * (each + gap), top, each, chart_h))
        if text_blocks:
            box = s.shapes.add_textbox(Pt(left), Pt(top + chart_h), Pt(width),
                                       Pt(CHART_CAPTION_H))
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
    prs = Presentation(str(assets.file("reference.pptx")))
    _check_shape(prs, "reference.pptx")
    apply_brand(prs, assets.brand)
    for block in deck.blocks:
        if isinstance(block, Slide):
            _slide(prs, block, deck.meta.lang, assets.brand)
    m = deck.meta
    core = prs.core_properties
    core.title, core.author, core.last_modified_by = m.title, m.author, m.author
    core.subject, core.keywords, core.language = m.subject, ", ".join(m.keywords), m.lang
    core.revision = 1
    core.created = core.modified = (dt.datetime.fromisoformat(m.date) if m.date
                                    else dt.datetime(2024, 1, 1))
    buf = io.BytesIO()
    prs.save(buf)
    return fix_zip(buf.getvalue())
