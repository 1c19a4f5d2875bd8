"""Document -> HTML for the PDF writer. Every piece of text is HTML-escaped here."""

from __future__ import annotations

from html import escape

from ..document import (
    AddressBlock,
    Chart,
    Div,
    Document,
    Heading,
    Image,
    Inline,
    ListBlock,
    PageBreak,
    Paragraph,
    Signature,
    Slide,
    Table,
    WriteIn,
)
from .chartstyle import DEFAULT_STYLE, ChartStyle, chart_style
from .slidefit import chart_boxes
from .svgchart import chart_svg

SAFE_LINK_SCHEMES = ("https://", "http://", "mailto:")
PRINT_CHART = (482, 215)  # points: print.css's 170 mm text column, and a third of its height


def print_style(style: ChartStyle) -> ChartStyle:
    """The chart style for a printed page, read at arm's length rather than across a room:
    the deck's colours and layout rules, with text of 9 to 11 points."""
    import dataclasses

    return dataclasses.replace(style, title_size=11, text_size=9, label_size=9, min_size=8,
                               line_width=2, marker_radius=3)


def inline_html(spans: Inline) -> str:
    out = []
    for s in spans:
        text = escape(s.text).replace("\n", "<br>")
        if s.bold:
            text = f"<strong>{text}</strong>"
        if s.italic:
            text = f"<em>{text}</em>"
        if s.link and s.link.startswith(SAFE_LINK_SCHEMES):
            text = f'<a href="{escape(s.link)}">{text}</a>'
        out.append(text)
    return "".join(out)


def block_html(block, size: tuple[float, float] = (640, 300),
               style: ChartStyle = DEFAULT_STYLE) -> str:
    """HTML for one block; `size` is the drawing size of a chart, in points."""
    if isinstance(block, Heading):
        return f"<h{block.level}>{inline_html(block.spans)}</h{block.level}>"
    if isinstance(block, Paragraph):
        cls = f' class="{block.role}"' if block.role else ""
        return f"<p{cls}>{inline_html(block.spans)}</p>"
    if isinstance(block, ListBlock):
        tag = "ol" if block.ordered else "ul"
        items = "".join(f"<li>{inline_html(i)}</li>" for i in block.items)
        return f"<{tag}>{items}</{tag}>"
    if isinstance(block, Table):
        head = "".join(f'<th scope="col">{inline_html(c)}</th>' for c in block.header)
        rows = "".join("<tr>" + "".join(f"<td>{inline_html(c)}</td>" for c in row) + "</tr>"
                       for row in block.rows)
        cls = f' class="{block.role}"' if block.role else ""
        return f"<table{cls}><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    if isinstance(block, AddressBlock):
        lines = "<br>".join(inline_html(line) for line in block.lines)
        return f'<address class="{block.role}">{lines}</address>'
    if isinstance(block, Signature):
        lines = "".join(f"<p>{inline_html(line)}</p>" for line in block.lines)
        return (f'<div class="signature"><p class="closing">{inline_html(block.closing)}</p>'
                f'<div class="sign-space"></div>{lines}</div>')
    if isinstance(block, WriteIn):
        rules = '<div class="rule"></div>' * block.lines
        return f'<div class="writein"><p>{inline_html(block.label)}</p>{rules}</div>'
    if isinstance(block, PageBreak):
        return '<div class="pagebreak"></div>'
    if isinstance(block, Div):  # a kind without a meaning here: its contents, classed
        inner = "".join(block_html(b, size, style) for b in block.blocks)
        return f'<div class="{escape(block.kind)}">{inner}</div>'
    if isinstance(block, Chart):
        return f'<figure class="chart">{chart_svg(block, *size, style=style)}</figure>'
    if isinstance(block, Image):
        return image_html(block)
    if isinstance(block, Slide):
        charts = [b for b in block.blocks if isinstance(b, Chart)]
        text = "".join(block_html(b) for b in block.blocks if not isinstance(b, Chart))
        boxes = chart_boxes(block)
        figures = "".join(block_html(c, (w, h), style)
                          for c, (_, _, w, h) in zip(charts, boxes, strict=True))
        kind = "charts" if charts else block.layout
        size = f' style="font-size: {block.text_size:g}pt"' if block.text_size else ""
        title_size = f' style="font-size: {block.title_size:g}pt"' if block.title_size else ""
        figures_html = (f'<div class="chart-row" style="height: {boxes[0][3]:g}pt">{figures}</div>'
                        if charts else "")
        return (f'<section class="slide {kind}"><h1{title_size}>{inline_html(block.title)}</h1>'
                f'{figures_html}<div class="slide-body"{size}>{text}</div></section>')
    raise TypeError(f"HTML writer cannot write {type(block).__name__}")


def image_html(image: Image) -> str:
    """A picture as a data: URL (the PDF writer's fetcher takes nothing else), its alt text
    and its credit."""
    import base64

    url = f"data:{image.mime};base64,{base64.b64encode(image.data).decode('ascii')}"
    credit = f'<p class="credit">{escape(image.credit)}</p>' if image.credit else ""
    cls = f"image {escape(image.role)}".strip()
    return (f'<figure class="{cls}"><img src="{url}" alt="{escape(image.alt)}" '
            f'style="width: {image.width_mm:g}mm">{credit}</figure>')


def letterhead_html(brand) -> str:
    """The organisation's name, logo and contact at the top of a branded document."""
    logo = (f'<img class="logo" src="{brand.logo_data_url()}" alt="{escape(brand.logo_alt)}">'
            if brand.logo else "")
    contact = f'<p class="contact">{escape(brand.contact)}</p>' if brand.contact else ""
    return (f'<div class="letterhead">{logo}<p class="organisation">'
            f"{escape(brand.full_name)}</p>{contact}</div>")


def document_html(document: Document, brand=None, fit: str = "") -> str:
    """The whole document as HTML; `brand` adds the letterhead to branded print documents.
    `fit` is a class the print stylesheet sets tighter or looser (writers/pdf.py)."""
    m = document.meta
    metas = [f'<meta name="author" content="{escape(m.author)}">']
    if m.subject:
        metas.append(f'<meta name="description" content="{escape(m.subject)}">')
    if m.keywords:
        metas.append(f'<meta name="keywords" content="{escape(", ".join(m.keywords))}">')
    if m.date:
        metas.append(f'<meta name="dcterms.created" content="{escape(m.date)}">')
        metas.append(f'<meta name="dcterms.modified" content="{escape(m.date)}">')
    style = chart_style(brand)
    if m.kind == "deck":
        body = "\n".join(block_html(b, style=style) for b in document.blocks)
    else:  # a chart on an A4 page: the text column's width, with print-sized text
        body = "\n".join(block_html(b, PRINT_CHART, print_style(style))
                         for b in document.blocks)
    if brand is not None and m.branded and m.kind != "deck":
        body = letterhead_html(brand) + "\n" + body
    return (f'<!DOCTYPE html>\n<html lang="{escape(m.lang)}"><head><meta charset="utf-8">'
            f"<title>{escape(m.title)}</title>{''.join(metas)}</head>"
            f'<body class="{escape(" ".join(filter(None, (m.kind, fit))))}">\n{body}\n'
            "</body></html>")


def write_html(document: Document, assets) -> bytes:
    """The HTML the PDF is set from (the web app shows a letter's preview with it)."""
    return document_html(document, assets.brand).encode("utf-8")
