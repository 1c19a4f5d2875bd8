"""Make templates/reference.docx: the styles every DOCX we write starts from.

A4 with 20 mm margins, British English, an open font (Carlito: metric-compatible with
Calibri, so a document keeps its layout where Word substitutes Calibri), real Heading,
List and Table styles, and empty core properties (no "python-docx" author).
Run: .venv/bin/python scripts/make_reference_docx.py
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from campaign_kit.writers.ooxml import fix_zip  # noqa: E402

FONT = "Carlito"
BLUE = RGBColor(0x1B, 0x4F, 0x72)


def set_lang(rpr_parent, lang: str = "en-GB") -> None:
    rpr = rpr_parent.get_or_add_rPr()
    el = rpr.find(qn("w:lang"))
    if el is None:
        el = OxmlElement("w:lang")
        rpr.append(el)
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        el.set(qn(attr), lang if attr != "w:bidi" else "ar-SA")


# Word does not have Carlito: altName and Calibri's PANOSE let it substitute Calibri, which
# has the same metrics, so an edited letter keeps its layout. DejaVu Sans covers other scripts.
FONT_TABLE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:font w:name="Carlito"><w:altName w:val="Calibri"/>'
    '<w:panose1 w:val="020F0502020204030204"/><w:charset w:val="00"/>'
    '<w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'
    '<w:font w:name="DejaVu Sans"><w:altName w:val="Verdana"/>'
    '<w:panose1 w:val="020B0603030804020204"/><w:charset w:val="00"/>'
    '<w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'
    "</w:fonts>"
)


def replace_part(data: bytes, name: str, body: bytes) -> bytes:
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, body if info.filename == name else src.read(info))
    return out.getvalue()


KEEP_STYLES = {"Normal", "Heading 1", "Heading 2", "Heading 3", "Title", "List Bullet",
               "List Number", "List Paragraph", "Table Grid", "Normal Table",
               "Default Paragraph Font", "No List", "Hyperlink", "Sender Address",
               "Recipient Address", "Dateline", "Subject", "Small Print", "Closing",
               "Signature", "Write In"}


def trim(doc) -> None:
    """Drop what python-docx's template carries and we never use: ~160 unused styles, the
    Word 2010 stylesWithEffects part, a thumbnail picture and custom XML. Opening and saving
    each document gets several times faster (styles.xml was 351 KB)."""
    styles = doc.styles.element
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    keep = {sid for sid, s in by_id.items()
            if s.find(qn("w:name")) is not None
            and s.find(qn("w:name")).get(qn("w:val")) in {n.lower() for n in KEEP_STYLES}
            | KEEP_STYLES}
    changed = True
    while changed:  # keep what the kept styles are based on, link to or hand over to
        changed = False
        for sid in list(keep):
            for tag in ("w:basedOn", "w:link", "w:next"):
                ref = by_id[sid].find(qn(tag))
                if ref is not None and ref.get(qn("w:val")) in by_id \
                        and ref.get(qn("w:val")) not in keep:
                    keep.add(ref.get(qn("w:val")))
                    changed = True
    for sid, s in by_id.items():
        if sid not in keep:
            styles.remove(s)
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)
    part = doc.part
    for rid, rel in list(part.rels.items()):
        if rel.reltype.endswith(("/stylesWithEffects", "/customXml")):
            part.drop_rel(rid)
    package_rels = part.package.rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            package_rels.pop(rid)


def main() -> None:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(20))
    section.top_margin = section.bottom_margin = Mm(16)

    styles = doc.styles
    # document defaults: font and language
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr_default.find(qn("w:rFonts"))
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    lang = rpr_default.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-GB")

    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1
    set_lang(normal.element)

    for level, size in ((1, 18), (2, 13), (3, 11)):
        h = styles[f"Heading {level}"]
        h.font.name = FONT
        h.font.size = Pt(size)
        h.font.bold = True
        h.font.color.rgb = BLUE
        h.element.rPr.rFonts.set(qn("w:asciiTheme"), "")
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            h.element.rPr.rFonts.attrib.pop(qn(attr), None)
        h.paragraph_format.space_before = Pt(10 if level > 1 else 0)
        h.paragraph_format.space_after = Pt(4)
        h.paragraph_format.keep_with_next = True
    title = styles["Title"]
    title.font.name = FONT
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        title.element.rPr.rFonts.attrib.pop(qn(attr), None)

    def para_style(name, base="Normal", **fmt):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
        style.quick_style = True
        pf = style.paragraph_format
        if "align" in fmt:
            pf.alignment = fmt["align"]
        pf.space_after = Pt(fmt.get("after", 6))
        if "before" in fmt:
            pf.space_before = Pt(fmt["before"])
        if fmt.get("bold"):
            style.font.bold = True
        if "size" in fmt:
            style.font.size = Pt(fmt["size"])
        if fmt.get("keep"):
            pf.keep_with_next = True
        return style

    para_style("Sender Address", align=WD_ALIGN_PARAGRAPH.RIGHT, after=0)
    para_style("Recipient Address", after=0)
    para_style("Dateline", align=WD_ALIGN_PARAGRAPH.RIGHT, after=10)
    para_style("Subject", bold=True, after=8)
    para_style("Small Print", size=8, after=2, before=12)
    para_style("Closing", after=0, keep=True)
    para_style("Signature", after=0, keep=True)
    para_style("Write In", after=2)

    for name in ("List Bullet", "List Number"):
        styles[name].font.name = FONT
    core = doc.core_properties
    core.author = ""
    core.last_modified_by = ""
    core.title = ""
    core.subject = ""
    core.keywords = ""
    core.comments = ""
    core.category = ""
    core.language = "en-GB"
    core.revision = 1
    fixed = dt.datetime(2024, 1, 1)
    core.created = core.modified = fixed
    doc.settings.element.find(qn("w:themeFontLang")).set(qn("w:val"), "en-GB")
    trim(doc)
    # remove the empty first paragraph
    body = doc.element.body
    for p in body.findall(qn("w:p")):
        body.remove(p)

    out = Path(__file__).resolve().parent.parent / "templates" / "reference.docx"

    buf = io.BytesIO()
    doc.save(buf)
    package = replace_part(buf.getvalue(), "word/fontTable.xml", FONT_TABLE.encode())
    out.write_bytes(fix_zip(package, app_properties=True))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
