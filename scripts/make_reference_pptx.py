"""Make templates/reference.pptx: the 16:9 layouts every deck we write starts from.

From python-pptx's default template: slide size 16:9 (13.333 x 7.5 in), the title, content
and title-only layouts placed on the geometry in campaign_kit/writers/slidefit.py, theme
fonts set to Carlito (open, metric-compatible with Calibri), British English as the text
language, and empty core properties (the default names python-pptx's author).
Run: .venv/bin/python scripts/make_reference_pptx.py
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
from pathlib import Path

from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Pt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from campaign_kit.writers.ooxml import fix_zip  # noqa: E402
from campaign_kit.writers.slidefit import BODY_BOX, SLIDE_H, SLIDE_W, TITLE_BOX

FONT = "Carlito"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def place(shape, box) -> None:
    left, top, width, height = box
    shape.left, shape.top, shape.width, shape.height = (Pt(left), Pt(top), Pt(width),
                                                        Pt(height))


def main() -> None:
    prs = Presentation()
    scale = Pt(SLIDE_W) / prs.slide_width
    prs.slide_width, prs.slide_height = Pt(SLIDE_W), Pt(SLIDE_H)
    master = prs.slide_master
    for shape in list(master.shapes) + [s for lay in prs.slide_layouts for s in lay.shapes]:
        if shape.left is not None:
            shape.left, shape.width = int(shape.left * scale), int(shape.width * scale)
    layouts = {lay.name: lay for lay in prs.slide_layouts}
    for name in ("Title and Content", "Title Only"):
        for ph in layouts[name].placeholders:
            if ph.placeholder_format.idx == 0:
                place(ph, TITLE_BOX)
            elif ph.placeholder_format.idx == 1:
                place(ph, BODY_BOX)
    for ph in layouts["Title Slide"].placeholders:
        if ph.placeholder_format.idx == 0:
            place(ph, (72, 140, SLIDE_W - 144, 130))
        elif ph.placeholder_format.idx == 1:
            place(ph, (120, 290, SLIDE_W - 240, 150))
    for ph in master.placeholders:
        if ph.placeholder_format.idx == 0:
            place(ph, TITLE_BOX)
        elif ph.placeholder_format.idx == 1:
            place(ph, BODY_BOX)

    # British English on every default run property, in the master and the presentation
    for element in (master._element, prs.part._element):
        for rpr in element.iter(f"{A}defRPr"):
            rpr.set("lang", "en-GB")
    # theme fonts: Carlito for headings and body
    theme = master.part.part_related_by(RT.THEME)
    xml = theme.blob.decode("utf-8")
    # PANOSE of Calibri: PowerPoint without Carlito substitutes the metric-compatible Calibri
    xml = re.sub(r'(<a:(?:major|minor)Font>\s*<a:latin) typeface="[^"]*"(?: panose="[^"]*")?',
                 rf'\g<1> typeface="{FONT}" panose="020F0502020204030204"', xml)
    theme._blob = xml.encode("utf-8")

    core = prs.core_properties
    for attr in ("author", "title", "subject", "keywords", "comments", "category",
                 "last_modified_by"):
        setattr(core, attr, "")
    core.language = "en-GB"
    core.revision = 1
    core.created = core.modified = dt.datetime(2024, 1, 1)
    buf = io.BytesIO()
    prs.save(buf)
    out = Path(__file__).resolve().parent.parent / "templates" / "reference.pptx"
    out.write_bytes(fix_zip(buf.getvalue(), app_properties=True))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
