"""The kinds of output, declared once: which templates (parts) a kind holds, its formats and
file names, and how its context is built from a place, a member or an event.

The CLI, batches and anything later (a web app) read KINDS and call `make` and `write`;
no command grows an `if kind == ...`. Adding a kind is a declaration here and a template.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..document import Chart, Document, Image
from ..runs.outputs import safe_name
from .contexts import (
    deck_context,
    letter_context,
    letter_stem,
    roundtable_context,
    roundtable_files,
)
from .engine import Engine, render_formats
from .requests import Request


@dataclass(frozen=True)
class Part:
    """One document of a kind: its template, the page style writers pick, its file name."""

    name: str
    template: str
    style: str  # letter, guide, briefing, form, deck
    branded: bool = True  # the organisation's letterhead; a member's own letter has none
    max_pages: int = 0  # printed pages at most (the PDF is set tighter to keep to it)

@dataclass(frozen=True)
class Made:
    """A kind's documents, rendered, ready to write: each with its file stem."""

    kind: Kind
    documents: tuple[tuple[Document, str], ...]
    folder: str  # a subfolder of the output folder, or ""
    notes: tuple[str, ...] = ()
    headline: str = ""  # what the CLI says it made
    files: tuple[tuple[str, bytes], ...] = ()  # other files it holds: (name, bytes), e.g. .ics

Build = Callable[[Engine, Request], tuple[dict[str, Any], dict[str, Chart | Image], list[str]]]

# Files a kind holds besides its documents, from the same context: ([(name, bytes)], notes)
Attach = Callable[[Engine, Request, dict[str, Any]], tuple[list[tuple[str, bytes]], list[str]]]

@dataclass(frozen=True)
class Kind:
    id: str
    summary: str
    parts: tuple[Part, ...]
    formats: tuple[str, ...]
    default_formats: tuple[str, ...]
    needs: str  # "seat" or "area"
    build: Build = field(repr=False)
    stem: Callable[[Request, Part], str] = field(repr=False)
    folder: Callable[[Request], str] = field(repr=False, default=lambda r: "")
    deck: bool = False
    attach: Attach | None = field(repr=False, default=None)

KINDS: dict[str, Kind] = {k.id: k for k in (
    Kind("letter", "A letter to the member's MP",
         (Part("letter", "letter/letter.md.j2", "letter", branded=False),),
         ("pdf", "docx", "txt"), ("pdf", "docx"), "seat", letter_context,
         stem=lambda r, p: letter_stem(r.seat, r.member)),
    Kind("roundtable", "A roundtable pack for a meeting with an MP",
         (Part("guide", "roundtable/guide.md.j2", "guide"),
          Part("briefing", "roundtable/briefing.md.j2", "briefing", max_pages=2),
          Part("invitation", "roundtable/invitation.md.j2", "letter"),
          Part("follow-up", "roundtable/follow-up.md.j2", "letter"),
          Part("sign-in-and-notes", "roundtable/sign-in.md.j2", "form")),
         ("pdf", "docx"), ("pdf", "docx"), "seat", roundtable_context,
         stem=lambda r, p: p.name,
         folder=lambda r: f"roundtable-{safe_name(r.seat.name, 'seat')}",
         attach=roundtable_files),
    Kind("deck", "A slide deck to brief colleagues",
         (Part("deck", "deck/deck.md.j2", "deck"),),
         ("pptx", "pdf"), ("pptx", "pdf"), "area", deck_context,
         stem=lambda r, p: f"deck-{safe_name(r.area.name)}", deck=True),
)}

def make(engine: Engine, kind_id: str, req: Request) -> Made:
    """Render every part of a kind for one request."""
    kind = KINDS[kind_id]
    context, charts, notes = kind.build(engine, req)
    files: list[tuple[str, bytes]] = []
    if kind.attach is not None:
        files, more = kind.attach(engine, req, context)
        notes = [*notes, *more]
    author = (req.member.name if req.member else
              (req.event.host_name if req.event and req.event.host_name else
               engine.campaign.brand.organisation))
    docs = tuple((engine.render(part.template, context, part.style, author,
                             (req.event.date if req.event and req.event.date else req.date),
                             charts, kind.deck, part.branded, part.max_pages),
                   kind.stem(req, part))
                 for part in kind.parts)
    return Made(kind, docs, kind.folder(req), tuple(notes), files=tuple(files))

def write(engine: Engine, made: Made, formats: list[str], out_dir: Path, force: bool,
          under: str = "") -> tuple[list[Path], dict[str, float]]:
    """Every format of every document of `made`, and its other files (a pack's .ics), in its
    folder (below `under`, a seat's folder in a engine) under out_dir. The folders ride on the
    stems, so out_dir stays the root that no write may leave: a symlinked pack or seat
    folder is refused, not followed."""
    prefix = "/".join(p for p in (under, made.folder) if p)
    docs = [(doc, f"{prefix}/{stem}" if prefix else stem) for doc, stem in made.documents]
    files = [(f"{prefix}/{name}" if prefix else name, data) for name, data in made.files]
    return render_formats(engine, docs, formats, out_dir, force, files)
