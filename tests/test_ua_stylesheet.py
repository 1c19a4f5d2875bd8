"""The trimmed user-agent stylesheet (writers/ua.css) gives the same PDFs as WeasyPrint's own.

ua.css keeps only the rules for the elements our HTML writer emits; if a WeasyPrint release
changes its defaults, or the HTML writer starts emitting a new element, these comparisons
fail and ua.css needs updating.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from campaign_kit.document import (
    AddressBlock,
    Chart,
    ChartSeries,
    Document,
    Heading,
    Image,
    ListBlock,
    Meta,
    PageBreak,
    Paragraph,
    Signature,
    Span,
    Table,
    WriteIn,
)
from campaign_kit.engine.engine import Engine
from campaign_kit.engine.requests import Event
from campaign_kit.engine.rules import member as make_member
from campaign_kit.writers import html as html_writer
from campaign_kit.writers import pdf as pdf_writer

from .documents import deck_doc, letter_doc, pack_docs

TODAY = dt.date(2026, 11, 24)


def documents(engine):
    england = engine.places.find("Sheffield Central")
    wales = engine.places.find("Ynys Môn")
    member = make_member("Siân O'Neill-Ďurić", "1 High St\nSheffield S1 2AB",
                                "Headteacher", "Park <School> & Nursery",
                                "Our **waiting list** grew.\n\n- one\n- two\n\n<b>raw</b> "
                                "https://example.org/x")
    yield letter_doc(engine, england, member, TODAY)
    yield letter_doc(engine, wales, member, TODAY)
    event = Event(dt.date(2026, 12, 10), dt.time(16, 0), "Park School, Sheffield", "", "")
    yield from (d for d, _ in pack_docs(engine, england, event, TODAY))
    yield deck_doc(engine, england, TODAY)
    yield every_block()


def every_block() -> Document:
    """Each block type and heading level once, as campaign content could produce them."""
    text = (Span("Plain, "), Span("bold", bold=True), Span(" and "),
            Span("italic", italic=True), Span(" with a "),
            Span("link", link="https://example.org"), Span("\nand a second line."))
    blocks = [Heading(n, (Span(f"Heading level {n}"),)) for n in range(1, 7)]
    blocks += [
        Paragraph(text), Paragraph(text, "subject"), Paragraph(text, "small"),
        ListBlock((text, text)), ListBlock((text, text), ordered=True),
        Table(((Span("Measure"),), (Span("Value"),)), (((Span("EHC plans"),), (Span("1"),)),)),
        Table(((Span("Name"),), (Span("School"),)), (((), ()), ((), ())), role="form"),
        AddressBlock(((Span("A Person"),), (Span("A Street"),)), role="sender"),
        AddressBlock(((Span("An MP"),), (Span("House of Commons"),))),
        PageBreak(),
        Chart("bar", "A chart", ("2023", "2024"), (ChartSeries("Here", (1.0, 2.0)),),
              "Bar chart: 1 then 2"),
        WriteIn((Span("Write here"),), 2),
        Image(Engine.load().assets.brand.logo, "image/png", "A picture", "(c) Its maker",
              "portrait"),
        Signature((Span("Yours sincerely"),), ((Span("A Person"),),)),
    ]
    return Document(Meta("Every block", "campaign-kit", kind="guide", date="2026-11-24"),
                    tuple(blocks))


@pytest.mark.slow
def test_same_pdf_bytes_with_the_trimmed_stylesheet(engine):
    if pdf_writer.html_class(True) is pdf_writer.html_class(False):
        pytest.skip("this WeasyPrint has no _ua_stylesheets hook; the full stylesheet is used")
    compared = 0
    for doc in documents(engine):
        trimmed = pdf_writer.write_pdf(doc, engine.assets, trimmed_ua=True)
        full = pdf_writer.write_pdf(doc, engine.assets, trimmed_ua=False)
        assert trimmed == full, f"{doc.meta.kind} '{doc.meta.title}' differs with ua.css"
        compared += 1
    assert compared == 9


def test_ua_css_covers_every_element_the_html_writer_emits():
    """An element outside ua.css would silently lose its browser defaults."""
    ua = Path(pdf_writer.__file__).with_name("ua.css").read_text(encoding="utf-8")
    header = ua.split("*/", 1)[0]
    listed = set(header.split("emit only", 1)[1].split(".", 1)[0].split())
    listed = listed - {"h1-h6"} | {f"h{n}" for n in range(1, 7)}
    sources = Path(html_writer.__file__).read_text() + Path(
        html_writer.__file__).with_name("svgchart.py").read_text()
    emitted = set(re.findall(r"<([a-z][a-z0-9]*)(?=[\s>{])", sources))
    assert '<{tag}' in sources and 'tag = "ol" if block.ordered else "ul"' in sources
    emitted |= {"ol", "ul"}
    assert "<h{block.level}>" in sources  # any heading level: ua.css has h1-h6
    emitted = emitted - {"h"} | {f"h{n}" for n in range(1, 7)}
    assert {"table", "section", "html", "a"} <= emitted  # the pattern still finds tags
    svg_inner = {"circle", "line", "polyline", "rect", "text", "title"}  # SVG, not HTML boxes
    assert emitted - svg_inner - listed == set()
