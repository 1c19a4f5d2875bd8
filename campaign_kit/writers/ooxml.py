"""Shared by the DOCX and PPTX writers: reproducible zip packages."""

from __future__ import annotations

import io
import re
import zipfile

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
CORE_PROPERTY_CHARS = 255  # python-docx and python-pptx refuse longer core properties
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """text without the characters XML 1.0 cannot hold (NUL, most C0 controls, lone
    surrogates, U+FFFE/FFFF); inputs.clean removes them from what people type, this keeps a
    template or content override that prints one from breaking the file."""
    return _NOT_XML.sub("", text)


def core_text(text: str) -> str:
    """A core property (title, author ...): XML-safe and at most 255 characters."""
    text = xml_text(text)
    return text if len(text) <= CORE_PROPERTY_CHARS else text[:CORE_PROPERTY_CHARS - 1] + "…"


APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns='
    '"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>campaign-kit</Application><DocSecurity>0</DocSecurity></Properties>"
)
CREATED = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def fix_zip(data: bytes, app_properties: bool = False) -> bytes:
    """Rewrite an OOXML package with fixed entry timestamps, so same input -> same bytes.

    Embedded workbooks (python-pptx chart data) are fixed the same way, with their creation
    time pinned; app_properties replaces the template's "Microsoft ... Word" application name.
    """
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if app_properties and info.filename == "docProps/app.xml":
                body = APP_XML.encode()
            elif info.filename.endswith(".xlsx"):
                body = fix_zip(body)
            elif info.filename == "docProps/core.xml" and b"<dcterms:created" in body \
                    and "embeddings" not in info.filename and _is_workbook(src):
                body = CREATED.sub(rb"\g<1>2024-01-01T00:00:00Z\g<2>", body)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, body)
    return out.getvalue()


def _is_workbook(package: zipfile.ZipFile) -> bool:
    return "xl/workbook.xml" in package.namelist()
