"""The kinds of output, declared once: which templates (parts) a kind holds, its formats and
file names, and how its context is built from a place, a member or an event.

Every front end reads KINDS and calls Engine.produce; no command grows an
`if kind == ...`. Adding a kind is a declaration here, a context builder and a template.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..document import Chart, Image
from ..notes import Note
from .contexts import (
    deck_context,
    letter_context,
    letter_stem,
    roundtable_context,
    roundtable_files,
)
from .filenames import safe_name
from .requests import Request
from .resources import Resources


@dataclass(frozen=True)
class Part:
    """One document of a kind: its template, the page style writers pick, its file name."""

    name: str
    template: str
    style: str  # letter, guide, briefing, form, deck
    branded: bool = True  # the organisation's letterhead; a member's own letter has none
    max_pages: int = 0  # printed pages at most (the PDF is set tighter to keep to it)


# A kind's context from a request: (template context, charts and images by id, notes).
Build = Callable[[Resources, Request],
                 tuple[dict[str, Any], dict[str, Chart | Image], list[Note]]]
# Files a kind holds besides its documents, from the same context: ([(name, bytes)], notes)
Attach = Callable[[Resources, Request, dict[str, Any]],
                  tuple[list[tuple[str, bytes]], list[Note]]]


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
