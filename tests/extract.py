"""Read outputs as a person would: text out of PDF, DOCX and PPTX; LibreOffice to open them."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


def pdf_text(path: Path, first: int | None = None, last: int | None = None) -> str:
    cmd = ["pdftotext", "-layout"]
    if first:
        cmd += ["-f", str(first)]
    if last:
        cmd += ["-l", str(last)]
    return subprocess.run(cmd + [str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True,
                         text=True).stdout
    return {k.strip(): v.strip() for k, v in (ln.split(":", 1) for ln in out.splitlines()
                                              if ":" in ln)}


def pdf_fonts(path: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True,
                         text=True).stdout
    return [ln.split() for ln in out.splitlines()[2:]]


def docx_text(path: Path) -> str:
    from docx import Document

    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def pptx_text(path: Path) -> str:
    from pptx import Presentation

    parts = []
    for slide in Presentation(str(path)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
    return "\n".join(parts)


def libreoffice_to_pdf(path: Path, out_dir: Path) -> Path:
    """Convert with LibreOffice (its own profile, so parallel runs do not collide)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is not installed: run scripts/setup.sh --dev"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{profile}",
                        "--convert-to", "pdf", "--outdir", str(out_dir), str(path)],
                       check=True, capture_output=True, timeout=180)
    result = out_dir / (path.stem + ".pdf")
    assert result.is_file(), f"LibreOffice did not convert {path.name}"
    return result


def pdf_structure(path: Path) -> str:
    """The tagged structure tree with each element's text, as poppler reads it."""
    return subprocess.run(["pdfinfo", "-struct-text", str(path)], check=True,
                          capture_output=True, text=True).stdout


def pdf_objects(path: Path) -> bytes:
    """The PDF's bytes with every Flate stream inflated, to look for catalog entries."""
    import re
    import zlib

    data = path.read_bytes()
    parts = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            pass
    return b"\n".join(parts)
