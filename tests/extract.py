"""Read outputs as a person would: text out of PDF, DOCX and PPTX; LibreOffice to open them."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


def squash(text: str) -> str:
    """Text with every run of white space as one space, to find a sentence however it wraps."""
    return " ".join(text.split())


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


PAGE_NUMBER = r"\d+ of \d+"  # the running footer of print.css


def pdf_lines(path: Path) -> list[dict]:
    """Per page: its width and height in points and its text lines as (text, box), where box
    is (x0, y0, x1, y1) from the page's top-left, as `pdftotext -bbox-layout` reads them."""
    import xml.etree.ElementTree as ET

    out = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    pages = []
    for page in ET.fromstring(out).iterfind(".//h:page", ns):
        lines = []
        for line in page.iterfind(".//h:line", ns):
            text = " ".join(w.text or "" for w in line.iterfind("h:word", ns))
            box = tuple(float(line.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))
            lines.append((text, box))
        pages.append({"width": float(page.get("width")), "height": float(page.get("height")),
                      "lines": lines})
    return pages


def _gray_pages(path: Path, dpi: int) -> list[tuple[int, int, bytes]]:
    """Each page rendered in grey at `dpi` (pdftoppm): (width, height, pixels, row by row)."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), str(path), f"{folder}/p"],
                       check=True, capture_output=True)
        pages = []
        for pgm in sorted(Path(folder).glob("p-*.pgm"), key=lambda p: int(p.stem[2:])):
            data = pgm.read_bytes()
            magic, width, height, _maxval, pixels = data.split(maxsplit=4)
            assert magic == b"P5"
            pages.append((int(width), int(height), pixels))
        return pages


def page_fills(path: Path, ignore: str = PAGE_NUMBER, dpi: int = 24) -> list[float]:
    """How far down each page its content reaches, as a fraction of the page height (0 for a
    blank page): the lowest text line or drawn mark (rules, table borders, charts, found by
    rendering the page), leaving out text lines that fully match `ignore` (the page-number
    footer). A last page at 0.2 holds a few lines under its top margin."""
    import re

    fills = []
    for page, (w, h, pixels) in zip(pdf_lines(path), _gray_pages(path, dpi), strict=True):
        scale = h / page["height"]
        masked = [tuple(round(v * scale) for v in box) for text, box in page["lines"]
                  if re.fullmatch(ignore, text)]
        bottom = max((box[3] for text, box in page["lines"] if not re.fullmatch(ignore, text)),
                     default=0.0)
        for row in range(h - 1, -1, -1):
            dark = [x for x in range(w) if pixels[row * w + x] < 160]
            dark = [x for x in dark if not any(x0 - 1 <= x <= x1 + 1 and y0 - 1 <= row <= y1 + 1
                                               for x0, y0, x1, y1 in masked)]
            if dark:
                bottom = max(bottom, (row + 1) / scale)
                break
        fills.append(bottom / page["height"])
    return fills


def pdf_text_sizes(path: Path) -> list[list[tuple[float, str]]]:
    """Per page, (size in points, text) of every piece of text as drawn: the font size times
    the scale of the text and transformation matrices, so rotated text counts its size, not
    its length (pdftotext's boxes give a rotated word's length as its height)."""
    import math

    from pypdf import PdfReader

    pages = []
    for page in PdfReader(str(path)).pages:
        found: list[tuple[float, str]] = []

        def visit(text, cm, tm, _font, size, found=found):
            if text.strip():
                a, b, c, d = (tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3],
                              tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3])
                found.append((round(size * math.sqrt(abs(a * d - b * c)), 2), text.strip()))

        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages


def merge_to(paths: list[Path], target: Path, title: str) -> int:
    """The print merge written to `target`, as `letters --print-pdf` writes it; its pages."""
    from campaign_kit.writers.pdfmerge import merge_tagged_pdfs

    data, pages = merge_tagged_pdfs(paths, title)
    target.write_bytes(data)
    return pages
