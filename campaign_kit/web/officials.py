"""Officials: a roundtable pack for one MP (one zip of its documents) and a slide deck for a
constituency or a whole council. The event is checked by the same rules as the command line
(a past date refused; a weekend, or a start before 07:00 or after 21:00, warned): a warning
is shown with the form, and the official downloads anyway with one more press.
"""

from __future__ import annotations

from flask import Blueprint, request

from ..engine.kinds import KINDS
from ..engine.requests import Area, Request
from . import forms
from .placestep import JOURNEYS, place_step, start_page
from .site import FORMAT_NAMES, attachment, page, site, today, zip_bytes

officials = Blueprint("officials", __name__)


@officials.get("/officials")
def start():
    return page("officials.html", title="Roundtable packs and slide decks")


# -- a roundtable pack ------------------------------------------------------------------------
def pack_details(seat, form: forms.Form | None = None, note: str | None = None,
                 status: int = 200):
    applying, left_out = site().call("asks_in", seat.nation)
    form = form or forms.Form(asks=site().default_asks(seat.nation))
    return page("pack_details.html", status, seat=seat, form=form, note=note,
                fields=forms.EVENT_FIELDS, asks=applying, left_out=left_out,
                terms=site().call("nation_terms", seat.nation),
                title=f"A roundtable with {seat.mp.full_title}")


@officials.get("/pack")
def pack_start():
    return start_page(JOURNEYS["pack"])


@officials.route("/pack/place", methods=["GET", "POST"])
def pack_place():
    data = request.args if request.method == "GET" else None
    return place_step(JOURNEYS["pack"], lambda seat, note: pack_details(seat, note=note),
                      data)


@officials.post("/pack/download")
def pack_download():
    seat = site().posted("seat", "seat")
    day = today()
    applying = [a.id for a in site().call("asks_in", seat.nation)[0]]
    form, event = forms.event_form(request.form, applying, day)
    if event is None:
        return pack_details(seat, form, status=422)
    if form.warnings and request.form.get("confirmed") != form.warning_key:
        return pack_details(seat, form)  # shown: the official may go on
    req = Request(event.date or day, seat=seat, event=event, ask_ids=tuple(form.asks) or None,
                  today=day)
    made, problem = site().produce("roundtable", req, KINDS["roundtable"].default_formats)
    if made is None:
        form.add(problem)
        return pack_details(seat, form, status=422)
    files = [(f.name, f.data) for f in made.files]
    return attachment(zip_bytes(files, day), f"{made.folder}.zip", "zip")


# -- a slide deck -----------------------------------------------------------------------------
def deck_details(area: Area, form: forms.Form | None = None, status: int = 200,
                 scope: str = "seat"):
    applying, _ = site().call("asks_in", area.nation)
    form = form or forms.Form(asks=site().default_asks(area.nation),
                              values={"format": "pptx"})
    return page("deck_details.html", status, area=area, form=form, scope=scope,
                asks=applying, formats=KINDS["deck"].formats, format_names=FORMAT_NAMES,
                title=f"A slide deck for {area.name}")


@officials.get("/deck")
def deck_start():
    return start_page(JOURNEYS["deck"])


def deck_next(thing, _note):
    """A council chosen, a seat chosen, or a whole council chosen from a seat list."""
    if isinstance(thing, Area):
        return deck_details(thing, scope="council")
    if hasattr(thing, "mp"):
        return deck_details(Area.of_seat(thing))
    return deck_details(site().call("council_area", thing), scope="council")


@officials.route("/deck/place", methods=["GET", "POST"])
def deck_place():
    data = request.args if request.method == "GET" else request.form
    return place_step(JOURNEYS["deck"], deck_next, data,
                      council=data.get("scope") == "council")


@officials.post("/deck/download")
def deck_download():
    scope = "council" if request.form.get("scope") == "council" else "seat"
    if scope == "council":
        area = site().call("council_area", site().posted("council", "council"))
    else:
        area = Area.of_seat(site().posted("seat", "seat"))
    applying = [a.id for a in site().call("asks_in", area.nation)[0]]
    form = forms.check_asks(request.form, applying, None, forms.Form())
    fmt = request.form.get("format", "")
    form.values["format"] = fmt
    if fmt not in KINDS["deck"].formats:
        form.refuse("format", "Choose PowerPoint or PDF")
    if not form.ok:
        return deck_details(area, form, 422, scope)
    made, problem = site().produce("deck", Request(today(), area=area,
                                                   ask_ids=tuple(form.asks) or None), (fmt,))
    if made is None:
        form.add(problem)
        return deck_details(area, form, 422, scope)
    return attachment(made.file(fmt).data, made.file(fmt).name, fmt)

