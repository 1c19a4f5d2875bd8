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

from ..content import nations
from ..document import Chart, Document, Image
from ..localdata.facts import seat_picture, used_sources
from ..localdata.model import Constituency, Council
from ..render import statements, words
from ..render.formatting import british_date
from ..runs.outputs import safe_name
from .engine import (
    Kit,
    Member,
    area_chart,
    campaign_figures,
    chart_source,
    council_charts,
    deck_charts,
    render_formats,
)
from .roundtable import Event, agenda, plan_from, preparation


@dataclass(frozen=True)
class Part:
    """One document of a kind: its template, the page style writers pick, its file name."""

    name: str
    template: str
    style: str  # letter, guide, briefing, form, deck
    branded: bool = True  # the organisation's letterhead; a member's own letter has none
    max_pages: int = 0  # printed pages at most (the PDF is set tighter to keep to it)


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
        return cls(council.display_name, council.nation, (council,), seats)


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
    council: str | None = None  # the member's own council, where the seat spans several


@dataclass(frozen=True)
class Made:
    """A kind's documents, rendered, ready to write: each with its file stem."""

    kind: Kind
    documents: tuple[tuple[Document, str], ...]
    folder: str  # a subfolder of the output folder, or ""
    notes: tuple[str, ...] = ()
    headline: str = ""  # what the CLI says it made
    files: tuple[tuple[str, bytes], ...] = ()  # other files it holds: (name, bytes), e.g. .ics


Build = Callable[[Kit, Request], tuple[dict[str, Any], dict[str, Chart | Image], list[str]]]
# Files a kind holds besides its documents, from the same context: ([(name, bytes)], notes)
Attach = Callable[[Kit, Request, dict[str, Any]], tuple[list[tuple[str, bytes]], list[str]]]


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


# -- contexts ------------------------------------------------------------------------------
def _place_context(kit: Kit, seat: Constituency, on: dt.date) -> dict[str, Any]:
    picture = seat_picture(kit.places, seat)
    picture["councils"] = [_with_statements(kit, campaign_figures(kit, c), on)
                           for c in picture["councils"]]
    picture["sources"] = used_sources(kit.places, picture["councils"])
    picture["note"] = None if seat.in_england else _devolved_note(kit, seat.nation)
    return picture


def _with_statements(kit: Kit, council: dict[str, Any], on: dt.date) -> dict[str, Any]:
    """A council's picture with its figure statements (statements.py) and groups, and the
    name people say (`display_name`, from the store)."""
    council.setdefault("display_name", council["name"])
    years = float(kit.campaign.info["freshness"]["years"])
    council["statements"] = statements.council_statements(kit.places, council, on, years)
    council["groups"] = statements.grouped(council["statements"])
    return council


def _charts(kit: Kit, councils: list[dict[str, Any]]) -> dict[str, Chart]:
    charts: dict[str, Chart] = {}
    for c in councils:
        if c.get("has_send_figures"):
            charts.update(council_charts(kit, c))
    return charts


def _devolved_note(kit: Kit, nation: str) -> str:
    """The campaign's words for a seat outside England, in the nation's terms."""
    text = nations.fill(str(kit.campaign.info["devolved_note"]),
                        nations.terms(kit.campaign, nation), "devolved_note")
    return text.rstrip(".") + "."


def _asks(kit: Kit, req: Request, nation: str, document: str) -> tuple[list, list[str]]:
    """The asks a document in `nation` makes, and what to tell the member about the rest."""
    chosen = kit.campaign.choose_asks(req.ask_ids)
    kept, dropped = nations.asks_in(chosen, nation)
    if not kept and not req.ask_ids:
        kept = nations.asks_in(list(kit.campaign.asks), nation)[0][:3]
    notes = []
    if kept and dropped and req.ask_ids:
        notes.append(f"{'ask' if len(dropped) == 1 else 'asks'} "
                     f"{', '.join(a.id for a in dropped)} do not apply in {nation}: left out")
    if not kept:
        notes.append(f"The {document} makes no asks. " + nations.fill(
            " ".join(str(kit.campaign.info["no_asks_note"]).split()),
            nations.terms(kit.campaign, nation), "no_asks_note"))
    return kept, notes


def _own_council(councils: list[dict[str, Any]], query: str | None,
                 seat: Constituency) -> dict[str, Any] | None:
    """The member's council among the seat's: the only one, or the one --council names."""
    from ..errors import InputProblem
    from ..localdata.names import normalise_name

    if not query:
        return councils[0] if len(councils) == 1 else None
    key = normalise_name(query)
    names = {c["code"]: {normalise_name(c[k]) for k in ("name", "display_name", "code", "gss")}
             for c in councils}
    found = [c for c in councils if key in names[c["code"]]] or [
        c for c in councils if any(set(key.split()) <= set(n.split()) for n in names[c["code"]])]
    if len(found) != 1:
        listed = words.join_list([c["display_name"] for c in councils], "or")
        what = "matches several" if found else "is not one"
        raise InputProblem(f"--council '{query}' {what} of the councils {seat.name} spans: "
                           f"choose {listed}")
    return found[0]


def letter_context(kit: Kit, req: Request):
    seat, member = req.seat, req.member
    assert seat is not None and member is not None
    info = nations.campaign_in(kit.campaign, seat.nation)
    asks, notes = _asks(kit, req, seat.nation, "letter")
    if len(asks) > 3:
        from ..errors import InputProblem

        raise InputProblem(f"a letter makes at most three asks ({len(asks)} given): "
                           "pick the ones that matter most locally")
    seed = f"{member.name}|{seat.code}"
    if not req.ask_ids:  # the campaign's defaults: their order varies from letter to letter
        asks.sort(key=lambda a: statements.rank(seed, "ask", a.id))
    picture = _place_context(kit, seat, req.date)
    councils = picture["councils"]
    own = _own_council(councils, req.council, seat)
    cited = own["statements"] if own else [s for c in councils for s in c["statements"]]
    figures = statements.for_letter(cited, seed, kit.campaign.figure_wordings)
    others = [c["display_name"] for c in councils if own is not None and c is not own]
    extras = {"role_a": words.article(member.role), "school": member.school,
              "seat": seat.name, "others": words.join_list(others),
              "councils": words.join_list([c["display_name"] for c in councils]),
              "these": "these figures" if figures else "these concerns"}
    phrase = nations.phrases(kit.campaign, info, seed, extras)
    phrase["introduction"] = phrase["introductions" if member.role and member.school else
                                    "introductions_school" if member.school else
                                    "introductions_role"] if member.role or member.school else ""
    letter = {"figures": [f["text"] for f in figures],
              "sources": statements.sources_of([f["statement"] for f in figures], kit.places),
              # the seat's other councils, in one line at most: before the figures when
              # they come from each council, after them when they are the member's own
              "lead_in": phrase["all_councils"] if own is None and len(councils) > 1
              and figures else "",
              "after": phrase["other_councils"] if others and figures else "",
              "asks_as_list": statements.rank(seed, "asks as a list") % 3 != 0,
              "ask_texts": [a.letters[statements.rank(seed, "ask", a.id, "words")
                                      % len(a.letters)] for a in asks],
              "template": member.template}
    if not member.address_lines:
        notes.append("no --address given: MPs act only for their own constituents, so add your "
                     f"address in {seat.name} before sending")
    if not member.story and not member.template:
        notes.append("tip: add your school's own story with --story FILE; MPs' offices answer "
                     "identical letters with identical replies")
    if len(councils) > 1 and own is None and seat.in_england:
        notes.append(f"{seat.name} spans {extras['councils']}: the letter cites figures from "
                     "each; pass --council NAME (a 'council' column in a batch) to cite your "
                     "own council's")
    if not seat.in_england:
        notes.insert(0, f"{_devolved_note(kit, seat.nation)} The letter leaves out England's "
                     "figures.")
    context = {"member": member, "seat": picture, "asks": asks, "campaign": info,
               "nation": info["nation"], "brand": kit.campaign.brand, "phrase": phrase,
               "letter": letter, "today": british_date(req.date)}
    return context, {}, notes


def roundtable_context(kit: Kit, req: Request):
    seat, event = req.seat, req.event
    assert seat is not None and event is not None
    info = nations.campaign_in(kit.campaign, seat.nation)
    asks, notes = _asks(kit, req, seat.nation, "pack")
    plan = plan_from(dataclasses.replace(kit.campaign, info=info))  # the nation's agenda
    event = dataclasses.replace(event, minutes=plan.minutes)
    picture = _place_context(kit, seat, req.date)
    if not seat.in_england:
        notes.insert(0, f"{_devolved_note(kit, seat.nation)} The pack leaves out England's "
                     "figures.")
    visuals: dict[str, Chart | Image] = {}
    briefing_charts = []
    if seat.in_england:  # the briefing's one chart: the campaign's, for the main council
        main = _main_council(kit, seat, picture["councils"])
        for spec in deck_charts(kit, "briefing")[:1]:
            chart = area_chart(kit, spec, [main]) if main else None
            if chart is not None:
                visuals[spec.id] = chart
                briefing_charts.append({"id": spec.id,
                                        "source": chart_source(kit, spec, [main])})
    portrait = kit.places.portrait(seat.code)
    if portrait is not None:
        from ..localdata.sources import PORTRAIT_CREDIT

        visuals["portrait"] = Image(portrait[0], portrait[1],
                                    f"Official portrait of {seat.mp.full_title}",
                                    PORTRAIT_CREDIT, "portrait", 24)
    context = {"seat": picture, "asks": asks, "campaign": info, "nation": info["nation"],
               "brand": kit.campaign.brand, "event": event, "agenda": agenda(event, asks, plan),
               "preparation": preparation(event, plan),
               "today": british_date(req.today or req.date),
               "briefing_charts": briefing_charts,
               "side_by_side": _side_by_side([c for c in picture["councils"] if c["figures"]]),
               "portrait": "portrait" in visuals}
    return context, visuals, notes


def _side_by_side(councils: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A seat's councils' figures in one table, a row per measure (the briefing of a seat
    that spans several councils, which has two pages for them all): each council's value,
    marked "(worse)" or "(better)" where statements.py compares it with England, and its
    period where it differs from the row's."""
    if len(councils) < 2:
        return []
    rows = []
    measures = list(dict.fromkeys(s.measure for c in councils for s in c["statements"]))
    for measure in measures:
        found = [next((s for s in c["statements"] if s.measure == measure), None)
                 for c in councils]
        first = next(s for s in found if s is not None)
        named = next((s for s in found if s is not None and not s.count), first)
        cells = []
        for s in found:
            if s is None:
                cells.append("not published")
                continue
            text = s.value_text + (f" ({s.period_text})" if s.period != first.period else "")
            cells.append(text + (f" ({s.compared})" if s.compared in ("worse", "better")
                                 else ""))
        rows.append({"label": named.label, "cells": cells, "england": first.england_text,
                     "period": first.period_text, "cite": first.cite})
    return rows


def _main_council(kit: Kit, seat: Constituency,
                  councils: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The council with SEND figures that holds most of the seat's postcodes (the first
    listed when the store cannot tell): the briefing charts one council, and every council
    has its table."""
    shares = kit.places.council_postcodes(seat.code)
    drawn = [c for c in councils if c.get("has_send_figures")]
    return max(drawn, key=lambda c: shares.get(c.get("gss", ""), 0.0), default=None)


def roundtable_files(kit: Kit, req: Request, context: dict[str, Any]):
    """The calendar invitation (invitation.ics, Europe/London time) for an event with a date
    and a start time; without them, a note saying why there is none."""
    from .calendar import event_ics

    event = context["event"]
    if event.date is None or event.time is None:
        return [], ["no calendar invitation (invitation.ics): it needs the event's date and "
                    "start time"]
    seat, words_ = context["seat"], context["campaign"]["words"]
    brand = kit.campaign.brand
    host = ", ".join(x for x in (event.host_name, event.host_role, brand.organisation) if x)
    reply = "; ".join(x for x in (f"email {event.host_email}" if event.host_email else "",
                                  f"phone {event.host_phone}" if event.host_phone else "") if x)
    description = " ".join(str(context["campaign"]["issue_short"]).split()) + \
        f"\n\nOrganiser: {host}." + (f" To reply: {reply}." if reply else "")
    summary = (f"{words.capfirst(str(words_['event']))} in {seat['name']} with "
               f"{seat['mp']['full_title']}")
    data = event_ics(summary, event.date, event.time, event.minutes,
                     stamp=req.today or req.date, description=description,
                     location=event.venue, organiser_name=event.host_name,
                     organiser_email=event.host_email)
    return [("invitation.ics", data)], []


def deck_context(kit: Kit, req: Request):
    from ..localdata.facts import council_picture

    area = req.area
    assert area is not None
    info = nations.campaign_in(kit.campaign, area.nation)
    asks, notes = _asks(kit, req, area.nation, "deck")
    if len(area.seats) == 1 and area.name == area.seats[0].name:
        councils = _place_context(kit, area.seats[0], req.date)["councils"]
    else:
        councils = [_with_statements(kit, campaign_figures(kit, council_picture(kit.places, c)),
                                     req.date) for c in area.councils]
    if not area.in_england:
        notes.insert(0, f"{_devolved_note(kit, area.nation)} The deck leaves out England's "
                     "figures.")
    context = {"area": {"name": area.name, "nation": area.nation,
                        "in_england": area.in_england,
                        "note": None if area.in_england else _devolved_note(kit, area.nation)},
               "councils": councils, "asks": asks, "nation": info["nation"],
               "seats": [{"name": s.name, "mp": {"full_title": s.mp.full_title,
                                                 "party": s.mp.party, "email": s.mp.email}}
                         for s in area.seats],
               "campaign": info, "brand": kit.campaign.brand,
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


def make(kit: Kit, kind_id: str, req: Request) -> Made:
    """Render every part of a kind for one request."""
    kind = KINDS[kind_id]
    context, charts, notes = kind.build(kit, req)
    files: list[tuple[str, bytes]] = []
    if kind.attach is not None:
        files, more = kind.attach(kit, req, context)
        notes = [*notes, *more]
    author = (req.member.name if req.member else
              (req.event.host_name if req.event and req.event.host_name else
               kit.campaign.brand.organisation))
    docs = tuple((kit.render(part.template, context, part.style, author,
                             (req.event.date if req.event and req.event.date else req.date),
                             charts, kind.deck, part.branded, part.max_pages),
                   kind.stem(req, part))
                 for part in kind.parts)
    return Made(kind, docs, kind.folder(req), tuple(notes), files=tuple(files))


def write(kit: Kit, made: Made, formats: list[str], out_dir: Path, force: bool,
          under: str = "") -> tuple[list[Path], dict[str, float]]:
    """Every format of every document of `made`, and its other files (a pack's .ics), in its
    folder (below `under`, a seat's folder in a kit) under out_dir. The folders ride on the
    stems, so out_dir stays the root that no write may leave: a symlinked pack or seat
    folder is refused, not followed."""
    prefix = "/".join(p for p in (under, made.folder) if p)
    docs = [(doc, f"{prefix}/{stem}" if prefix else stem) for doc, stem in made.documents]
    files = [(f"{prefix}/{name}" if prefix else name, data) for name, data in made.files]
    return render_formats(kit, docs, formats, out_dir, force, files)
