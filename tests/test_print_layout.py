"""Print layout: table rows never split across pages and header rows repeat, in the PDF and
the DOCX; the page-fill helper later tests use to catch near-empty last pages."""

from __future__ import annotations

import re
import zipfile

import pytest

from campaign_kit.document import Document, Heading, Meta, Paragraph, Span, Table
from campaign_kit.engine.engine import Engine
from campaign_kit.writers import write

from .extract import libreoffice_to_pdf, page_fills, pdf_lines

HEADER = ("Council", "Figure", "Period and source")
ROWS = 60


def long_table() -> Document:
    """A table several pages long whose rows are one to five lines tall; each row starts
    with R<n>A and ends with R<n>Z, so a row split across pages shows."""
    rows = []
    for n in range(1, ROWS + 1):
        lines = "\n".join(f"R{n:02d} line {k}" for k in range(n % 5))
        rows.append(((Span(f"R{n:02d}A council"),), (Span("2.6% | 3.2%"),),
                     (Span((lines + "\n" if lines else "") + f"R{n:02d}Z end"),)))
    return Document(Meta("Long table", "Test", kind="briefing", date="2026-11-24"),
                    (Heading(1, (Span("Figures by council"),)),
                     Paragraph((Span("Every council's figure with its period and source."),)),
                     Table(tuple((Span(h),) for h in HEADER), tuple(rows))))


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    out = tmp_path_factory.mktemp("print")
    assets = Engine.load().assets
    doc = long_table()
    for fmt in ("pdf", "docx"):
        (out / f"long.{fmt}").write_bytes(write(fmt, doc, assets))
    return out


def assert_rows_whole_and_headers_repeat(pdf) -> None:
    pages = [" ".join(text for text, _ in page["lines"]) for page in pdf_lines(pdf)]
    assert len(pages) >= 3, "the table spans several pages"
    for n in range(1, ROWS + 1):
        first = [p for p, text in enumerate(pages) if f"R{n:02d}A" in text]
        last = [p for p, text in enumerate(pages) if f"R{n:02d}Z" in text]
        assert first == last and len(first) == 1, f"row {n} split: pages {first} and {last}"
    for number, text in enumerate(pages, 1):
        assert all(h in text for h in HEADER), f"no header row on page {number}"


@pytest.mark.slow
def test_pdf_rows_stay_whole_and_headers_repeat(files):
    assert_rows_whole_and_headers_repeat(files / "long.pdf")


@pytest.mark.slow
def test_docx_rows_cannot_split_and_header_repeats(files, tmp_path):
    with zipfile.ZipFile(files / "long.docx") as z:
        xml = z.read("word/document.xml").decode()
    rows = re.findall(r"<w:tr[ >].*?</w:tr>", xml, re.S)
    assert len(rows) == ROWS + 1
    assert all("<w:cantSplit/>" in row for row in rows)
    assert "<w:tblHeader/>" in rows[0] and not any("<w:tblHeader/>" in r for r in rows[1:])
    # and LibreOffice, laying the DOCX out, keeps rows whole and repeats the header
    assert_rows_whole_and_headers_repeat(libreoffice_to_pdf(files / "long.docx", tmp_path))


@pytest.mark.slow
def test_page_fills_measures_how_far_text_reaches(files, tmp_path):
    fills = page_fills(files / "long.pdf")
    assert all(0.8 < f < 1 for f in fills[:-1]), fills
    short = Document(Meta("Short", "Test", kind="briefing", date="2026-11-24"),
                     (Paragraph((Span("Three bullets' worth of text on a page."),)),))
    path = tmp_path / "short.pdf"
    path.write_bytes(write("pdf", short, Engine.load().assets))
    (fill,) = page_fills(path)
    assert 0.03 < fill < 0.12, "one line under the top margin"
    form = Document(Meta("Form", "Test", kind="form", date="2026-11-24"),
                    (Paragraph((Span("Sign in"),)),
                     Table(((Span("Name"),), (Span("Email"),)), (((), ()),) * 12, role="form")))
    path.write_bytes(write("pdf", form, Engine.load().assets))
    (fill,) = page_fills(path)
    assert 0.4 < fill < 0.9, "a form's empty ruled rows count: they are drawn, not text"
