"""The text of every file made for 20 reference seats (and two council decks), as a person
reads it: PDF text, DOCX paragraphs and tables, PPTX shapes and notes, the text letter.

`scripts/update_golden.py` writes it to tests/golden/outputs.json.gz; test_golden.py makes
the same files again and compares them file by file, so a change to the engine that was
not meant to change any document shows up as a named difference. When a change is meant
to alter documents (new evidence, new wording), run the script and say in the commit which
differences were intended.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import subprocess
import tempfile
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden" / "outputs.json.gz"

# England (one council, several, small bases, a source anomaly), Wales, Scotland and
# Northern Ireland, and seats spanning two or three councils.
SEATS = (
    "Sheffield Central", "Aldershot", "Leeds Central and Headingley",
    "Cities of London and Westminster", "Hexham", "Rutland and Stamford", "East Ham",
    "West Ham and Beckton", "Isle of Wight East", "Bristol Central", "Kingston upon Hull East",
    "Harborough, Oadby and Wigston", "Richmond and Northallerton", "Hampstead and Highgate",
    "Ynys Môn", "Cardiff East", "Angus and Perthshire Glens", "Edinburgh South",
    "Belfast South and Mid Down", "Foyle",
)
COUNCILS = ("Hampshire", "Leeds")
MADE_ON = dt.date(2026, 12, 1)
EVENT_DAY, EVENT_TIME = dt.date(2027, 3, 10), dt.time(16, 0)
MEMBER = {"name": "Sam Example", "address": "1 School Lane, Town, AB1 2CD",
          "role": "headteacher", "school": "Example Primary School",
          "story": "We waited 38 weeks for an assessment.\n\nOur budget cannot stretch."}
HOST = {"venue": "Example Primary School", "host_name": "Alex Organiser",
        "host_role": "regional official", "host_email": "alex@example.org",
        "host_phone": "0113 496 0000"}
FORMATS = {"letter": ("pdf", "docx", "txt"), "roundtable": ("pdf", "docx"),
           "deck": ("pptx", "pdf")}


def words(text: str) -> str:
    """Text with every run of white space as one space: reflowed lines read the same."""
    return " ".join(text.split())


def extract(fmt: str, data: bytes) -> str:
    """What a reader sees in one file."""
    import io

    if fmt == "txt":
        return data.decode("utf-8")
    if fmt == "pdf":
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(data)
            handle.flush()
            pages = subprocess.run(["pdftotext", handle.name, "-"], check=True,
                                   capture_output=True, text=True).stdout.split("\f")
        return "\n".join(words(p) for p in pages if p.strip())
    if fmt == "docx":
        from docx import Document

        doc = Document(io.BytesIO(data))
        parts = [p.text for p in doc.paragraphs]
        for table in doc.tables:
            for row in table.rows:
                parts.append(" | ".join(c.text for c in row.cells))
        return "\n".join(parts)
    if fmt == "pptx":
        from pptx import Presentation

        parts = []
        for n, slide in enumerate(Presentation(io.BytesIO(data)).slides, 1):
            parts.append(f"--- slide {n}")
            parts += [s.text_frame.text for s in slide.shapes if s.has_text_frame]
            if slide.has_notes_slide:
                parts.append("notes: " + slide.notes_slide.notes_text_frame.text)
        return "\n".join(parts)
    raise ValueError(fmt)


def differences(old: dict[str, str], new: dict[str, str], context: int = 60) -> list[str]:
    """One line per file that differs: its name and the first place the texts part."""
    out = []
    for name in sorted(set(old) | set(new)):
        a, b = old.get(name), new.get(name)
        if a == b:
            continue
        if a is None or b is None:
            out.append(f"{name}: {'new file' if a is None else 'no longer made'}")
            continue
        at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
                  min(len(a), len(b)))
        out.append(f"{name}: was ...{a[max(0, at - context):at + context]!r}... now "
                   f"...{b[max(0, at - context):at + context]!r}...")
    return out


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def load() -> dict[str, str]:
    return json.loads(gzip.decompress(GOLDEN.read_bytes()))


def save(texts: dict[str, str]) -> None:
    GOLDEN.parent.mkdir(exist_ok=True)
    data = json.dumps(texts, indent=0, sort_keys=True, ensure_ascii=False).encode()
    GOLDEN.write_bytes(gzip.compress(data, mtime=0))


def requests(engine):
    """(name prefix, kind, request) for every reference seat and council."""
    from campaign_kit.engine.requests import Area, Event, Request
    from campaign_kit.engine.rules import member

    person = member(**MEMBER)
    event = Event(EVENT_DAY, EVENT_TIME, HOST["venue"], HOST["host_name"], HOST["host_role"],
                  host_email=HOST["host_email"], host_phone=HOST["host_phone"])
    for name in SEATS:
        seat = engine.places.find(name)
        yield slug(name), "letter", Request(MADE_ON, seat=seat, member=person)
        yield slug(name), "roundtable", Request(EVENT_DAY, seat=seat, event=event,
                                                today=MADE_ON)
        yield slug(name), "deck", Request(MADE_ON, area=Area.of_seat(seat))
    for name in COUNCILS:
        yield f"council-{slug(name)}", "deck", Request(
            MADE_ON, area=Area.of_council(engine.places, engine.places.council(name)))


def make_texts(engine) -> dict[str, str]:
    """Every file's text, by '<seat>/<kind>/<file name>' (folders left out of the name)."""
    texts = {}
    for prefix, kind, request in requests(engine):
        for file in engine.produce(kind, request, FORMATS[kind]).files:
            name = file.name.rsplit("/", 1)[-1]
            texts[f"{prefix}/{kind}/{name}"] = extract(file.format, file.data) \
                if file.format in FORMATS[kind] else file.data.decode("utf-8")
    return texts
