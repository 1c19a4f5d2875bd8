"""Document -> DOCX over templates/reference.docx (A4, en-GB, real Heading/List/Table styles)."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document as open_docx
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from ..content.brand import font_name
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
    Span,
    Table,
    WriteIn,
    plain,
)
from ..errors import TemplateProblem
from .ooxml import core_text, fix_zip, xml_text

ROLE_STYLES = {"subject": "Subject", "small": "Small Print", "dateline": "Dateline",
               "closing": "Closing", "salutation": "Normal", "lead": "Normal", "": "Normal"}


W_R, W_RPR, W_T, W_BR, W_TAB = (qn(t) for t in ("w:r", "w:rPr", "w:t", "w:br", "w:tab"))
W_B, W_I, XML_SPACE = qn("w:b"), qn("w:i"), qn("xml:space")


def _runs(paragraph, spans: Inline) -> None:
    """One run per span, written as lxml elements: python-docx's add_run costs a schema
    search per child, which was a third of a letter's DOCX time."""
    p = paragraph._p
    for span in spans:
        if span.link and span.link.startswith(("https://", "http://", "mailto:")):
            _hyperlink(paragraph, span.text, span.link)
            continue
        run = p.makeelement(W_R)
        if span.bold or span.italic:
            props = etree.SubElement(run, W_RPR)
            if span.bold:
                etree.SubElement(props, W_B)
            if span.italic:
                etree.SubElement(props, W_I)
        for n, line in enumerate(span.text.split("\n")):
            if n:
                etree.SubElement(run, W_BR)
            for m, piece in enumerate(line.split("\t")):
                if m:
                    etree.SubElement(run, W_TAB)
                piece = xml_text(piece)
                if piece:
                    t = etree.SubElement(run, W_T)
                    t.text = piece
                    if piece != piece.strip():
                        t.set(XML_SPACE, "preserve")
        p.append(run)


def _hyperlink(paragraph, text: str, url: str) -> None:
    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    style = OxmlElement("w:u")
    style.set(qn("w:val"), "single")
    rpr.append(style)
    run.append(rpr)
    t = OxmlElement("w:t")
    t.text = xml_text(text)
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


class _Writer:
    def __init__(self, doc):
        self.doc = doc
        self.numbered_lists = 0
        self.style_ids: dict[str, str] = {}
        self.section = doc.element.body.find(qn("w:sectPr"))  # reference.docx's page setup

    def paragraph(self, style: str):
        """A new paragraph in `style`, by id: python-docx would search every style each time."""
        style_id = self.style_ids.get(style)
        if style_id is None:
            try:
                style_id = self.style_ids[style] = self.doc.styles[style].style_id
            except KeyError:
                raise TemplateProblem(f"reference.docx has no paragraph style '{style}'") \
                    from None
        p = OxmlElement("w:p")
        p.append(OxmlElement("w:pPr"))
        p.pPr.append(OxmlElement("w:pStyle", {qn("w:val"): style_id}))
        self.section.addprevious(p)
        return DocxParagraph(p, self.doc._body)

    def block(self, block) -> None:
        doc = self.doc
        if isinstance(block, Heading):
            _runs(self.paragraph(f"Heading {min(block.level, 3)}"), block.spans)
        elif isinstance(block, Paragraph):
            _runs(self.paragraph(ROLE_STYLES.get(block.role, "Normal")), block.spans)
        elif isinstance(block, ListBlock):
            self.list(block)
        elif isinstance(block, Table):
            self.table([block.header] + list(block.rows), form=block.role == "form")
        elif isinstance(block, AddressBlock):
            style = "Sender Address" if block.role == "sender" else "Recipient Address"
            last = None
            for line in block.lines:
                last = self.paragraph(style)
                _runs(last, line)
            if last is not None:
                last.paragraph_format.space_after = Pt(10)
        elif isinstance(block, Signature):
            closing = self.paragraph("Closing")
            _runs(closing, block.closing)
            closing.paragraph_format.space_after = Pt(36)  # room to sign
            for line in block.lines:
                _runs(self.paragraph("Signature"), line)
        elif isinstance(block, WriteIn):
            _runs(self.paragraph("Write In"), block.label)
            for _ in range(block.lines):
                self.paragraph("Write In").add_run("_" * 80)
        elif isinstance(block, PageBreak):
            doc.add_page_break()
        elif isinstance(block, Chart):
            self.chart(block)
        elif isinstance(block, Image):
            self.image(block)
        elif isinstance(block, Slide):
            _runs(self.paragraph("Heading 1"), block.title)
            for b in block.blocks:
                self.block(b)
        elif isinstance(block, Div):  # a kind without a meaning in Word: its contents
            for b in block.blocks:
                self.block(b)
        else:
            raise TypeError(f"DOCX writer cannot write {type(block).__name__}")

    def list(self, block: ListBlock) -> None:
        style = "List Number" if block.ordered else "List Bullet"
        num_id = self._restart_numbering() if block.ordered else None
        for item in block.items:
            p = self.paragraph(style)
            _runs(p, item)
            if num_id is not None:
                ppr = p._p.get_or_add_pPr()
                numpr = ppr.get_or_add_numPr()
                numpr.get_or_add_ilvl().val = 0
                numpr.get_or_add_numId().val = num_id

    def _restart_numbering(self) -> int | None:
        """Each numbered list after the first starts again at 1 (Word would continue)."""
        self.numbered_lists += 1
        if self.numbered_lists == 1:
            return None
        numbering = self.doc.part.numbering_part.numbering_definitions._numbering
        style = self.doc.styles["List Number"]
        base_num_id = style.element.pPr.numPr.numId.val
        base = numbering.num_having_numId(base_num_id)
        num = numbering.add_num(base.abstractNumId.val)
        override = num.add_lvlOverride(ilvl=0)
        override.add_startOverride(1)
        return num.numId

    def table(self, rows, form: bool = False):
        """A table in one pass over its XML: python-docx's table.cell(r, c) and rows[r]
        rebuild the whole grid on every call, which made 500 rows take 69 s."""
        cols = max(len(r) for r in rows)
        table = self.doc.add_table(rows=len(rows), cols=cols, style="Table Grid")
        for r, (tr, row) in enumerate(zip(table._tbl.tr_lst, rows, strict=True)):
            for tc, cell_spans in zip(tr.tc_lst, row, strict=False):
                if r == 0:  # header cells in bold
                    cell_spans = tuple(Span(s.text, True, s.italic, s.link) for s in cell_spans)
                _runs(DocxParagraph(tc.p_lst[0], self.doc._body), cell_spans)
            if form and r > 0:
                tr.trHeight_val = Pt(24)
        if not form:  # a form's columns stay equal: room to write in each
            self._widths(table, rows)
        # no row split across pages; the header row repeats on each page the table spans
        for r, tr in enumerate(table._tbl.tr_lst):
            props = tr.get_or_add_trPr()
            props.append(OxmlElement("w:cantSplit"))
            if r == 0:
                props.append(OxmlElement("w:tblHeader"))
        self.paragraph("Normal").paragraph_format.space_after = Pt(2)
        return table

    def _widths(self, table, rows) -> None:
        """Columns as wide as their text needs (Word and LibreOffice would otherwise make
        them equal): each at least its longest word, and the rest of the line shared in
        proportion to how much more each column's longest cell would take."""
        from docx.shared import Emu, Pt

        section = self.doc.sections[0]
        total = section.page_width - section.left_margin - section.right_margin
        char = Pt(5.6)  # an average character of 10-11 pt Carlito, bold headers included
        room = total / char
        least, most = [], []
        for c in range(len(table.columns)):
            texts = [plain(row[c]) for row in rows if c < len(row)]
            word = max((len(w) for t in texts for w in t.split()), default=1)
            longest = max((len(t) for t in texts), default=1)
            least.append(max(word, 3) + 2)  # + the cell's padding
            most.append(max(least[-1], min(longest, 60) + 2))
        if sum(least) >= room:
            chars = least
        else:
            spare, wanted = room - sum(least), sum(m - n for m, n in zip(most, least, strict=True))
            share = min(1.0, spare / wanted) if wanted else 0.0
            chars = [n + (m - n) * share for m, n in zip(most, least, strict=True)]
        table.autofit = False
        widths = [Emu(int(total * width / sum(chars))) for width in chars]
        for col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=False):
            col.w = width
        for tr in table._tbl.tr_lst:  # by XML, in one pass (see table())
            for tc, width in zip(tr.tc_lst, widths, strict=False):
                tc.width = width

    def image(self, image: Image) -> None:
        """A picture in its own paragraph (right-aligned for a portrait), with its alt text
        as the picture's description (what Word and screen readers read) and its credit."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm

        p = self.paragraph("Normal")
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.space_after = Pt(0)
        if image.role == "portrait":
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.add_run().add_picture(io.BytesIO(image.data), width=Mm(image.width_mm))
        for pr in p._p.iter(qn("wp:docPr")):
            pr.set("descr", image.alt)
            pr.set("name", image.alt[:60])
        if image.credit:
            credit = self.paragraph("Small Print")
            _runs(credit, (Span(image.credit),))
            if image.role == "portrait":
                credit.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    def chart(self, chart: Chart) -> None:
        """Word has no native chart API in python-docx: give the numbers as a table."""
        _runs(self.paragraph("Heading 3"), ((Span(chart.title)),))
        from .chartstyle import format_value

        header = [(Span(chart.x_title),)] + [(Span(c),) for c in chart.categories]
        rows = [header]
        for s in chart.series:  # the values as the chart's own labels print them
            rows.append([(Span(s.name),)] + [
                (Span("n/a" if v is None else format_value(v, chart.unit, chart.decimals)),)
                for v in s.values])
        table = self.table(rows)
        # the chart's alt text as the table's own (Word: Table Properties > Alt Text)
        props = table._tbl.tblPr
        for tag, text in (("w:tblCaption", chart.title), ("w:tblDescription", chart.alt)):
            props.append(OxmlElement(tag, {qn("w:val"): text}))


def write_docx(document: Document, assets) -> bytes:
    reference = assets.file("reference.docx")
    try:
        doc = open_docx(str(reference))
    except Exception as exc:  # not a zip, not a Word document, broken XML
        raise TemplateProblem(f"{reference} is not a Word document that python-docx can "
                              f"open ({type(exc).__name__})") from None
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    apply_brand(doc, assets.brand)
    if document.meta.branded:
        _letterhead(doc, assets.brand)
    writer = _Writer(doc)
    for block in document.blocks:
        writer.block(block)
    _set_properties(doc, document)
    buf = io.BytesIO()
    doc.save(buf)
    return fix_zip(buf.getvalue())


HEADING_STYLES = ("Heading1", "Heading2", "Heading3", "Title")


def apply_brand(doc, brand) -> None:
    """The brand's fonts and colours on the reference document's styles: headings in the
    heading font and primary colour, everything else in the body font and text colour."""
    styles = doc.styles.element
    for style in styles.iter(qn("w:style")):
        style_id = style.get(qn("w:styleId"))
        heading = style_id in HEADING_STYLES
        for fonts in style.iter(qn("w:rFonts")):
            for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                if fonts.get(qn(attr)) is not None:
                    fonts.set(qn(attr), font_name(brand.heading_font if heading
                                                  else brand.body_font))
        colour = {"SmallPrint": brand.muted}.get(style_id, brand.primary if heading else None)
        if colour:
            rpr = style.find(qn("w:rPr"))
            if rpr is None:
                rpr = etree.SubElement(style, qn("w:rPr"))
            node = rpr.find(qn("w:color"))
            if node is None:
                node = etree.SubElement(rpr, qn("w:color"))
            node.set(qn("w:val"), colour.lstrip("#").upper())
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        for fonts in defaults.iter(qn("w:rFonts")):
            for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                fonts.set(qn(attr), font_name(brand.body_font))
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            node = rpr.find(qn("w:color"))
            if node is None:
                node = etree.SubElement(rpr, qn("w:color"))
            node.set(qn("w:val"), brand.text.lstrip("#").upper())


def _letterhead(doc, brand) -> None:
    """The organisation's logo, name and contact in the page header of a branded document."""
    from docx.shared import Mm

    header = doc.sections[0].header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    if brand.logo:
        p.add_run().add_picture(io.BytesIO(brand.logo), height=Mm(9))
        for pr in p._p.iter(qn("wp:docPr")):
            pr.set("descr", brand.logo_alt)
            pr.set("name", brand.logo_alt)
        p.add_run("  ")
    name = p.add_run(brand.full_name)
    name.bold = True
    if brand.contact:
        line = header.add_paragraph()
        _runs(line, (Span(brand.contact),))
        line.style = doc.styles["Small Print"]


def _set_properties(doc, document: Document) -> None:
    m = document.meta
    core = doc.core_properties
    core.title = core_text(m.title)
    core.author = core_text(m.author)
    core.last_modified_by = core_text(m.author)
    core.subject = core_text(m.subject)
    core.keywords = core_text(", ".join(m.keywords))
    core.language = m.lang
    core.revision = 1
    when = dt.datetime.fromisoformat(m.date) if m.date else dt.datetime(2024, 1, 1)
    core.created = core.modified = when
    # the document language also on every style default, for spell-checking in Word
    for lang in doc.styles.element.iter(qn("w:lang")):
        lang.set(qn("w:val"), m.lang)


