"""The kinds of output, declared once: which templates (parts) a kind holds, its formats and
file names, and how its context is built from a place, a member or an event.

The CLI, batches and anything later (a web app) read KINDS and call `make` and `write`;
no command grows an `if kind == ...`. Adding a kind is a declaration here and a template.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .document import Chart, Document
from .formatting import british_date
from .kits import Kit, Member, campaign_figures, council_charts, render_formats
from .localdata.facts import seat_picture, used_sources
from .localdata.model import Constituency, Council
from .outputs import safe_name
from .roundtable import Event, agenda, plan_from, preparation


@dataclass(frozen=True)
class Part:
    """One document of a kind: its template, the page style writers pick, its file name."""

    name: str
    template: str
    style: str  # letter, guide, briefing, form, deck
    branded: bool = True  # the organisation's letterhead; a member's own letter has none


@dataclass(frozen=True)
class Area:
    """What a deck covers: one seat, or one council and every seat it spans."""

    name: str
    nation: str
    councils: tuple[Council, ...]
    seats: tuple[Constituency, ...]

    @property
    def in_england(self) -> bool:
        return self.nation == "England"

    @classmethod
    def of_seat(cls, seat: Constituency) -> Area:
        return cls(seat.name, seat.nation, seat.councils, (seat,))

    @classmethod
    def of_council(cls, kit: Kit, council: Council) -> Area:
        seats = tuple(kit.places.seats_for_council(council))
        return cls(council.name, council.nation, (council,), seats)


@dataclass(frozen=True)
class Request:
    """What a person asked for. Which fields a kind needs is its `needs`."""

    date: dt.date
    seat: Constituency | None = None
    area: Area | None = None
    member: Member | None = None
    event: Event | None = None
    ask_ids: list[str] | None = None
    today: dt.date | None = None  # the day it is made (the roundtable dates its invitation)


@dataclass(frozen=True)
class Made:
    """A kind's documents, rendered, ready to write: each with its file stem."""

    kind: Kind
    documents: tuple[tuple[Document, str], ...]
    folder: str  # a subfolder of the output folder, or ""
    notes: tuple[str, ...] = ()
    headline: str = ""  # what the CLI says it made


Build = Callable[[Kit, Request], tuple[dict[str, Any], dict[str, Chart], list[str]]]


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


# -- contexts ------------------------------------------------------------------------------
def _place_context(kit: Kit, seat: Constituency) -> dict[str, Any]:
    picture = seat_picture(kit.places, seat)
    picture["councils"] = [campaign_figures(kit, c) for c in picture["councils"]]
    picture["sources"] = used_sources(kit.places, picture["councils"])
    picture["note"] = None if seat.in_england else _devolved_note(kit, seat.nation)
    return picture


def _charts(kit: Kit, councils: list[dict[str, Any]]) -> dict[str, Chart]:
    charts: dict[str, Chart] = {}
    for c in councils:
        if c.get("has_send_figures"):
            charts.update(council_charts(kit, c))
    return charts


def _devolved_note(kit: Kit, nation: str) -> str:
    """The campaign's words for a seat outside England ({nation} stands for its name)."""
    return str(kit.campaign.info["devolved_note"]).replace("{nation}", nation).rstrip(".") + "."


def letter_context(kit: Kit, req: Request):
    seat, member = req.seat, req.member
    assert seat is not None and member is not None
    notes = []
    asks = kit.campaign.choose_asks(req.ask_ids)
    if len(asks) > 3:
        from .errors import InputProblem

        raise InputProblem(f"a letter makes at most three asks ({len(asks)} given): "
                           "pick the ones that matter most locally")
    seed = f"{member.name}|{seat.code}"
    phrase = {k: kit.campaign.pick(k + "s" if k == "opening" else k, seed)
              for k in ("opening", "figures_intro", "asks_intro", "reply")}
    picture = _place_context(kit, seat)
    if not member.address_lines:
        notes.append("no --address given: MPs act only for their own constituents, so add your "
                     f"address in {seat.name} before sending")
    if not member.story:
        notes.append("tip: add your school's own story with --story FILE; MPs' offices answer "
                     "identical letters with identical replies")
    if not seat.in_england:
        notes.append(f"{_devolved_note(kit, seat.nation)} The letter leaves out England's "
                     "figures.")
    context = {"member": member, "seat": picture, "asks": asks, "campaign": kit.campaign.info,
               "brand": kit.campaign.brand, "phrase": phrase, "today": british_date(req.date)}
    return context, {}, notes


def roundtable_context(kit: Kit, req: Request):
    seat, event = req.seat, req.event
    assert seat is not None and event is not None
    asks = kit.campaign.choose_asks(req.ask_ids)
    plan = plan_from(kit.campaign)
    event = dataclasses.replace(event, minutes=plan.minutes)
    picture = _place_context(kit, seat)
    notes = [] if seat.in_england else [
        f"{_devolved_note(kit, seat.nation)} The pack leaves out England's figures."]
    context = {"seat": picture, "asks": asks, "campaign": kit.campaign.info,
               "brand": kit.campaign.brand, "event": event, "agenda": agenda(event, asks, plan),
               "preparation": preparation(event, plan),
               "today": british_date(req.today or req.date)}
    return context, {}, notes


def deck_context(kit: Kit, req: Request):
    from .localdata.facts import council_picture

    area = req.area
    assert area is not None
    if len(area.seats) == 1 and area.name == area.seats[0].name:
        councils = _place_context(kit, area.seats[0])["councils"]
    else:
        councils = [campaign_figures(kit, council_picture(kit.places, c)) for c in area.councils]
    notes = [] if area.in_england else [
        f"{_devolved_note(kit, area.nation)} The deck leaves out England's figures."]
    context = {"area": {"name": area.name, "nation": area.nation,
                        "in_england": area.in_england,
                        "note": None if area.in_england else _devolved_note(kit, area.nation)},
               "councils": councils, "asks": kit.campaign.choose_asks(req.ask_ids),
               "seats": [{"name": s.name, "mp": {"full_title": s.mp.full_title,
                                                 "party": s.mp.party, "email": s.mp.email}}
                         for s in area.seats],
               "campaign": kit.campaign.info, "brand": kit.campaign.brand,
               "today": british_date(req.date),
               "sources": used_sources(kit.places, councils)}
    return context, _charts(kit, councils), notes


def letter_stem(seat: Constituency, member: Member) -> str:
    return f"letter-{safe_name(seat.name, 'seat')}-{safe_name(member.name, 'member')}"


KINDS: dict[str, Kind] = {k.id: k for k in (
    Kind("letter", "A letter to the member's MP",
         (Part("letter", "letter/letter.md.j2", "letter", branded=False),),
         ("pdf", "docx", "txt"), ("pdf", "docx"), "seat", letter_context,
         stem=lambda r, p: letter_stem(r.seat, r.member)),
    Kind("roundtable", "A roundtable pack for a meeting with an MP",
         (Part("guide", "roundtable/guide.md.j2", "guide"),
          Part("briefing", "roundtable/briefing.md.j2", "briefing"),
          Part("invitation", "roundtable/invitation.md.j2", "letter"),
          Part("follow-up", "roundtable/follow-up.md.j2", "letter"),
          Part("sign-in-and-notes", "roundtable/sign-in.md.j2", "form")),
         ("pdf", "docx"), ("pdf", "docx"), "seat", roundtable_context,
         stem=lambda r, p: p.name,
         folder=lambda r: f"roundtable-{safe_name(r.seat.name, 'seat')}"),
    Kind("deck", "A slide deck to brief colleagues",
         (Part("deck", "deck/deck.md.j2", "deck"),),
         ("pptx", "pdf"), ("pptx", "pdf"), "area", deck_context,
         stem=lambda r, p: f"deck-{safe_name(r.area.name)}", deck=True),
)}


def make(kit: Kit, kind_id: str, req: Request) -> Made:
    """Render every part of a kind for one request."""
    kind = KINDS[kind_id]
    context, charts, notes = kind.build(kit, req)
    author = (req.member.name if req.member else
              (req.event.host_name if req.event and req.event.host_name else
               kit.campaign.brand.organisation))
    docs = tuple((kit.render(part.template, context, part.style, author,
                             (req.event.date if req.event and req.event.date else req.date),
                             charts, kind.deck, part.branded), kind.stem(req, part))
                 for part in kind.parts)
    return Made(kind, docs, kind.folder(req), tuple(notes))


def write(kit: Kit, made: Made, formats: list[str], out_dir: Path,
          force: bool) -> tuple[list[Path], dict[str, float]]:
    """Every format of every document of `made`, in its folder under out_dir."""
    where = out_dir / made.folder if made.folder else out_dir
    return render_formats(kit, list(made.documents), formats, where, force)
