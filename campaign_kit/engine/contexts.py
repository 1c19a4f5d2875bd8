"""What each kind's templates read: the context built from a request, with the charts and
images it draws and the notes to give the person.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from ..content import nations
from ..document import Chart, Image
from ..errors import InputProblem
from ..localdata.model import Constituency
from ..localdata.names import normalise_postcode
from ..localdata.pictures import seat_picture
from ..notes import Note
from ..render import statements, words
from ..render.formatting import british_date
from . import evidence
from .charts import area_chart, chart_source, declared
from .filenames import safe_name
from .requests import Member, Request
from .resources import Resources
from .roundtable import agenda, plan_from, preparation
from .rules import MAX_LETTER_ASKS, check_ask_ids


def _place_context(engine: Resources, seat: Constituency,
                   on: dt.date) -> evidence.SeatFigures:
    """The seat's picture (localdata/pictures.py) with its councils' figures judged at `on`
    (engine/evidence.py) and, outside England, the campaign's note why there are none."""
    note = None if seat.in_england else _devolved_note(engine, seat.nation)
    return evidence.seat_figures(engine, seat_picture(engine.places, seat), on, note)


def _charts(engine: Resources, councils) -> dict[str, Chart]:
    """The deck's charts of each council, by the ids its figures name."""
    charts: dict[str, Chart] = {}
    for c in councils:
        for spec in declared(engine):
            chart_id = f"{spec.id}-{c.code}"
            if chart_id in c.charts and (chart := area_chart(spec, [c.picture])) is not None:
                charts[chart_id] = chart
    return charts


def _with_shares(councils) -> str:
    """'Rutland (about 43% of the seat), Lincolnshire (about 42%) and ...' for a letter's
    line on a seat that spans councils; the names alone when the shares are not known."""
    said = []
    for c in councils:
        share = c.share_text
        if share and said:
            share = share.removesuffix(" of the seat")
        said.append(f"{c.display_name} ({share})" if share else c.display_name)
    return words.join_list(said)


def _devolved_note(engine: Resources, nation: str) -> str:
    """The campaign's words for a seat outside England, in the nation's terms."""
    text = nations.fill(str(engine.campaign.info["devolved_note"]),
                        nations.terms(engine.campaign, nation), "devolved_note")
    return text.rstrip(".") + "."


def _devolved(engine: Resources, nation: str, document: str) -> Note:
    """The note that a document for a seat outside England leaves out England's figures."""
    return Note("devolved", "warning", {"nation": nation, "document": document,
                                        "text": _devolved_note(engine, nation)})


def _asks(engine: Resources, req: Request, nation: str, document: str) -> tuple[list, list[str]]:
    """The asks a document in `nation` makes, and what to tell the member about the rest."""
    for note in check_ask_ids(req.ask_ids, engine.campaign.ask_ids):
        raise InputProblem(note)
    chosen = engine.campaign.choose_asks(req.ask_ids)
    kept, dropped = nations.asks_in(chosen, nation)
    if not kept and not req.ask_ids:
        kept = nations.asks_in(list(engine.campaign.asks), nation)[0][:3]
    notes = []
    if kept and dropped and req.ask_ids:
        ids = [a.id for a in dropped]
        notes.append(Note("asks-left-out", "warning", {
            "asks": ids, "nation": nation,
            "asks_text": f"{'ask' if len(ids) == 1 else 'asks'} {', '.join(ids)}"}))
    if not kept:
        notes.append(Note("no-asks", "warning", {"document": document, "nation": nation,
                                                 "text": nations.fill(
            " ".join(str(engine.campaign.info["no_asks_note"]).split()),
            nations.terms(engine.campaign, nation), "no_asks_note")}))
    return kept, notes


def _own_council(councils, query: str | None, seat: Constituency):
    """The member's council among the seat's: the only one, or the one the member names."""
    from ..localdata.names import normalise_name

    if not query:
        return councils[0] if len(councils) == 1 else None
    key = normalise_name(query)
    names = {c.code: {normalise_name(getattr(c, k)) for k in ("name", "display_name", "code",
                                                               "gss")}
             for c in councils}
    # every word typed, in one of a council's names ('[' has none: it names no council)
    found = [c for c in councils if key in names[c.code]] or [
        c for c in councils if key and any(set(key.split()) <= set(n.split())
                                           for n in names[c.code])]
    if len(found) != 1:
        names = [c.display_name for c in councils]
        raise InputProblem("council-not-in-seat", field="council", query=query,
                           seat=seat.name, councils=names,
                           what="matches several" if found else "is not one",
                           choices=words.join_list(names, "or"))
    return found[0]


def _member_council(engine: Resources, req: Request, councils):
    """(the member's council among the seat's figures, or None; whether it was taken from
    their postcode, because they named none)."""
    own = _own_council(councils, req.council, req.seat)
    if own is not None or len(councils) < 2 or not req.postcode:
        return own, False
    council = engine.places.council_of_postcode(req.seat, req.postcode)
    own = next((c for c in councils if council is not None and c.code == council.code), None)
    return own, own is not None


def _council_notes(req: Request, councils, own, from_postcode: bool,
                   quoted: bool) -> list[Note]:
    """What a member is told about the councils behind their letter: which one their
    postcode chose, that the seat spans several, or that none of the figures argues."""
    seat, notes = req.seat, []
    names = words.join_list([c.display_name for c in ([own] if own else councils)])
    if from_postcode:
        notes.append(Note("council-from-postcode", "tip", {
            "field": "council", "postcode": normalise_postcode(req.postcode),
            "council": own.display_name,
            "seat": seat.name, "others": words.join_list(
                [c.display_name for c in councils if c is not own])}))
    if len(councils) > 1 and own is None and seat.in_england:
        notes.append(Note("seat-spans-councils", "tip", {
            "field": "council", "seat": seat.name, "councils": names}))
    if not quoted and not req.brief and seat.in_england and \
            any(c.has_send_figures for c in councils):
        notes.append(Note("no-local-figures", "tip", {"councils": names}))
    return notes


def letter_context(engine: Resources, req: Request):
    seat, member = req.seat, req.member
    assert seat is not None and member is not None
    info = nations.campaign_in(engine.campaign, seat.nation)
    asks, notes = _asks(engine, req, seat.nation, "letter")
    if len(asks) > MAX_LETTER_ASKS:
        raise InputProblem("too-many-asks", field="asks", count=len(asks),
                           most=MAX_LETTER_ASKS)
    seed = f"{member.name}|{seat.code}"
    if not req.ask_ids:  # the campaign's defaults: their order varies from letter to letter
        asks.sort(key=lambda a: statements.rank(seed, "ask", a.id))
    picture = _place_context(engine, seat, req.date)
    councils = [c for c in picture.councils if c.has_send_figures] or list(picture.councils)
    own, from_postcode = _member_council(engine, req, councils)
    chosen = [] if req.brief else evidence.for_letter([own] if own else councils, seed,
                                                      member.story, engine.evidence)
    figures = [s.sentence(engine.campaign.figure_wordings,
                          statements.rank(seed, "say", s.measure)) for s in chosen]
    others = [c for c in councils if own is not None and c is not own]
    extras = {"role_a": words.article(words.role_in_sentence(member.role)),
              "school": member.school,
              "seat": seat.name, "others": _with_shares(others),
              "councils": _with_shares(councils),
              "these": "these figures" if figures else "these concerns"}
    phrase = nations.phrases(engine.campaign, info, seed, extras)
    phrase["introduction"] = phrase["introductions" if member.role and member.school else
                                    "introductions_school" if member.school else
                                    "introductions_role"] if member.role or member.school else ""
    letter = {"figures": figures, "statements": chosen,
              "sources": statements.sources_of(chosen),
              # the seat's other councils, in one line at most: before the figures when
              # they come from each council, after them when they are the member's own
              "lead_in": phrase["all_councils"] if own is None and len(councils) > 1
              and figures else "",
              "after": phrase["other_councils"] if others and figures else "",
              "asks_as_list": statements.rank(seed, "asks as a list") % 3 != 0,
              "ask_texts": [a.letters[statements.rank(seed, "ask", a.id, "words")
                                      % len(a.letters)] for a in asks],
              "template": member.template,
              "variant": statements.rank(seed, "sources line")}
    if not member.address_lines:
        notes.append(Note("no-address", "warning", {"field": "address", "seat": seat.name}))
    if not member.story and not member.template:
        notes.append(Note("no-story", "tip", {"field": "story"}))
    notes += _council_notes(req, councils, own, from_postcode, bool(chosen))
    if not seat.in_england:
        notes.insert(0, _devolved(engine, seat.nation, "letter"))
    context = {"member": member, "seat": picture, "asks": asks, "campaign": info,
               "nation": info["nation"], "brand": engine.campaign.brand, "phrase": phrase,
               "letter": letter, "today": british_date(req.date)}
    return context, {}, notes


def roundtable_context(engine: Resources, req: Request):
    seat, event = req.seat, req.event
    assert seat is not None and event is not None
    info = nations.campaign_in(engine.campaign, seat.nation)
    asks, notes = _asks(engine, req, seat.nation, "pack")
    plan = plan_from(dataclasses.replace(engine.campaign, info=info))  # the nation's agenda
    event = dataclasses.replace(event, minutes=plan.minutes)
    picture = _place_context(engine, seat, req.date)
    if not seat.in_england:
        notes.insert(0, _devolved(engine, seat.nation, "pack"))
    visuals: dict[str, Chart | Image] = {}
    briefing_charts = []
    found = evidence.briefing_chart(engine, picture) if seat.in_england else None
    if found is not None:  # the briefing's one chart: the seat's strongest charted figure
        spec, council, statement = found
        chart = area_chart(spec, [council.picture])
        if chart is not None:
            visuals[spec.id] = chart
            briefing_charts.append({
                "id": spec.id, "source": chart_source(spec, [council.picture]),
                "finding": statement.headline(engine.evidence.headlines.get(spec.measure)),
                # a council covering part of the seat: how much, beside its finding
                "where": f"{council.share_text} is in {council.display_name}"
                if council.share_text else ""})
    portrait = engine.places.portrait(seat.code)
    if portrait is not None:
        from ..localdata.sources import PORTRAIT_CREDIT

        visuals["portrait"] = Image(portrait[0], portrait[1],
                                    f"Official portrait of {seat.mp.full_title}",
                                    PORTRAIT_CREDIT, "portrait", 24)
    context = {"seat": picture, "asks": asks, "campaign": info, "nation": info["nation"],
               "brand": engine.campaign.brand, "event": event, "agenda": agenda(event, asks, plan),
               "preparation": preparation(event, plan),
               "today": british_date(req.today or req.date),
               "briefing_charts": briefing_charts,
               "side_by_side": _side_by_side([c for c in picture.councils if c.figures]),
               "portrait": "portrait" in visuals}
    return context, visuals, notes


def _side_by_side(councils) -> list[dict[str, Any]]:
    """A seat's councils' figures in one table (the briefing of a seat that spans several
    councils, which has two pages for them all), in sections: the measures where any
    council is worse than England (strongest first), then the rest. A row per measure:
    each council's value, marked "(worse)", "(better)" or "(in doubt)", and its period
    where it differs from the row's."""
    if len(councils) < 2:
        return []
    rows = []
    measures = list(dict.fromkeys(s.measure for c in councils for s in c.statements))
    for measure in measures:
        found = [next((s for s in c.statements if s.measure == measure), None)
                 for c in councils]
        first = next(s for s in found if s is not None)
        named = next((s for s in found if s is not None and not s.count), first)
        cells = []
        for s in found:
            if s is None:
                cells.append("not published")
                continue
            mark = "in doubt" if s.doubt else "worse" if s.argues else \
                "better" if s.group == "better" else ""
            text = s.value_cell + (f" ({s.period_text})" if s.period != first.period else "")
            cells.append(text + (f" ({mark})" if mark else ""))
        rows.append({"label": named.label, "cells": cells, "england": first.england_cell,
                     "period": first.period_text, "cite": first.cite,
                     "strength": max((s.strength * _weight(c, councils)
                                      for s, c in zip(found, councils, strict=True)
                                      if s and s.argues), default=-1.0)})
    worse = sorted((r for r in rows if r["strength"] >= 0), key=lambda r: -r["strength"])
    names = words.join_list([c.display_name for c in councils], "or")
    sections = [(f"Where {names} is worse than England", worse)] if worse else []
    rest = [r for r in rows if r["strength"] < 0]
    if rest:
        sections.append(("The other published figures" if worse else
                         "The published figures", rest))
    return [{"title": title, "rows": part} for title, part in sections]


def _weight(council, councils) -> float:
    """A council's share of the seat against the largest (engine/evidence.py ranks so)."""
    shares = [c.seat_share for c in councils]
    if not all(s is not None for s in shares) or not max(shares):
        return 1.0
    return council.seat_share / max(shares)


def roundtable_files(engine: Resources, req: Request, context: dict[str, Any]):
    """The calendar invitation (invitation.ics, Europe/London time) for an event with a date
    and a start time; without them, a note saying why there is none."""
    from .calendar import event_ics

    event = context["event"]
    if event.date is None or event.time is None:
        return [], [Note("no-calendar", "tip", {})]
    seat, words_ = context["seat"], context["campaign"]["words"]
    brand = engine.campaign.brand
    host = ", ".join(x for x in (event.host_name, event.host_role, brand.organisation) if x)
    reply = "; ".join(x for x in (f"email {event.host_email}" if event.host_email else "",
                                  f"phone {event.host_phone}" if event.host_phone else "") if x)
    description = " ".join(str(context["campaign"]["issue_short"]).split()) + \
        f"\n\nOrganiser: {host}." + (f" To reply: {reply}." if reply else "")
    summary = (f"{words.capfirst(str(words_['event']))} in {seat.name} with "
               f"{seat.mp.full_title}")
    data = event_ics(summary, event.date, event.time, event.minutes,
                     stamp=req.today or req.date, description=description,
                     location=event.venue, organiser_name=event.host_name,
                     organiser_email=event.host_email)
    return [("invitation.ics", data)], []


def deck_context(engine: Resources, req: Request):
    area = req.area
    assert area is not None
    info = nations.campaign_in(engine.campaign, area.nation)
    asks, notes = _asks(engine, req, area.nation, "deck")
    if len(area.seats) == 1 and area.name == area.seats[0].name:
        seat = _place_context(engine, area.seats[0], req.date)
        councils, cited = list(seat.councils), seat.sources
    else:
        councils = [evidence.for_council(engine, c, req.date) for c in area.councils]
        cited = evidence.figure_sources(engine.places, councils)
    if not area.in_england:
        notes.insert(0, _devolved(engine, area.nation, "deck"))
    context = {"area": {"name": area.name, "nation": area.nation,
                        "in_england": area.in_england,
                        "note": None if area.in_england else _devolved_note(engine, area.nation)},
               "councils": councils, "asks": asks, "nation": info["nation"],
               "seats": [{"name": s.name, "mp": {"full_title": s.mp.full_title,
                                                 "party": s.mp.party, "email": s.mp.email}}
                         for s in area.seats],
               "campaign": info, "brand": engine.campaign.brand,
               "today": british_date(req.date), "sources": cited}
    return context, _charts(engine, councils), notes


def letter_stem(seat: Constituency, member: Member) -> str:
    return f"letter-{safe_name(seat.name, 'seat')}-{safe_name(member.name, 'member')}"
