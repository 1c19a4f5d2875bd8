"""A member's letter to their MP: the place, their details, a preview, then the files or an
email. Every step is a plain form post carrying what was typed so far in the page itself, so
the server keeps nothing between requests and nothing typed reaches a URL or a log.
"""

from __future__ import annotations

import dataclasses
import io

from flask import Blueprint, abort, request
from markupsafe import Markup

from ..engine.kinds import KINDS
from ..engine.requests import Request
from ..localdata.names import normalise_postcode
from . import forms
from .mail import mail_link
from .notes import said
from .placestep import JOURNEYS, place_step, start_page
from .site import FORMAT_NAMES, attachment, page, site, today

letter = Blueprint("letter", __name__)
SAID_BY_THE_PAGE = {"devolved", "no-asks"}  # the details page said these before the preview


def fields() -> tuple[forms.Field, ...]:
    return forms.letter_fields(site().stories_prompt, site().one_page_story)


def nation_view(seat) -> dict:
    """What the details page says about a seat's nation: its terms and which of the
    campaign's asks the letter will and will not make there."""
    applying, left_out = site().call("asks_in", seat.nation)
    return {"name": seat.nation, "terms": site().call("nation_terms", seat.nation),
            "asks": applying, "left_out": left_out, "devolved": not seat.in_england}


def details(seat, form: forms.Form | None = None, note: str | None = None,
            status: int = 200, postcode: str = ""):
    """The member's details. Reached from a postcode in a seat that spans councils, the
    postcode's council is chosen already, and the page says why."""
    nation = nation_view(seat)
    from_postcode = None
    if form is None:
        form = forms.Form(asks=site().default_asks(seat.nation))
        if postcode and seat.in_england:  # the page offers the choice in England only
            from_postcode = site().call("council_of_postcode", seat, postcode)
        if from_postcode is not None:
            form.values["council"] = from_postcode.code
    return page("letter_details.html", status, seat=seat, form=form, note=note,
                fields=fields(), asks=nation["asks"], nation=nation,
                from_postcode=from_postcode, postcode=normalise_postcode(postcode) or "",
                title=f"Your letter to {seat.mp.full_title}")


@letter.get("/")
def home():
    return start_page(JOURNEYS["letter"])


@letter.route("/letter/place", methods=["GET", "POST"])
def place():
    """The place box; a GET is a 'did you mean' link (a name from the list, never what a
    member typed)."""
    data = request.args if request.method == "GET" else None
    typed = (request.form if data is None else data).get("q", "")
    return place_step(JOURNEYS["letter"],
                      lambda seat, note: details(seat, note=note, postcode=typed), data)


@letter.post("/letter/details")
def change():
    seat = site().posted("seat", "seat")
    form, _ = forms.member_form(request.form, site().ask_ids, fields())
    return details(seat, forms.Form(form.values, form.asks))


def own_council(seat, form: forms.Form) -> str | None:
    """The member's council among the seat's (the details page offers them), or None."""
    chosen = request.form.get("council", "")
    form.values["council"] = chosen
    if not chosen:
        return None
    if chosen not in {c.code for c in seat.councils}:
        form.refuse("council", "Choose your council from the list", "council-not-in-seat")
    return chosen


def posted_letter(formats: tuple[str, ...]):
    """The seat, the member's form and the letter it makes (None when the form has errors,
    which are on the form)."""
    seat = site().posted("seat", "seat")
    form, member = forms.member_form(request.form, [a.id for a in nation_view(seat)["asks"]],
                                     fields())
    council = own_council(seat, form)
    if not form.ok:
        return seat, form, None, None
    req = Request(today(), seat=seat, member=member, ask_ids=tuple(form.asks) or None,
                  council=council)
    made, problem = site().produce("letter", req, formats)
    if problem is not None:
        form.add(problem)
    return seat, form, made, req


@letter.post("/letter/preview")
def preview():
    seat, form, made, req = posted_letter(("html", "email", "txt", "pdf"))
    if made is None:
        return details(seat, form, status=422)
    subject = made.file("txt").data.decode("utf-8").partition("\n")[0]
    subject = subject.removeprefix("Subject: ")
    email = made.file("email").data.decode("utf-8")
    link, brief = mail_link(seat.mp.email, subject, email), ""
    if not link:
        link, brief = brief_link(req, seat, subject)
    return page("letter_preview.html", seat=seat, form=form, made=made,
                frame=Markup(preview_frame(made.file("html").data.decode("utf-8"))),
                email=email, subject=subject, mailto=link, brief=brief,
                address_link=mail_link(seat.mp.email, subject), pages=pages(made),
                notes=[said(n) for n in made.notes if n.code not in SAID_BY_THE_PAGE],
                formats=KINDS["letter"].formats, format_names=FORMAT_NAMES,
                title=f"Your letter to {seat.mp.full_title}")


def brief_link(req: Request, seat, subject: str) -> tuple[str, str]:
    """When the whole letter is too long for a link: its brief form (the member's own words
    and their first ask, without the figures), if that fits. (link, the brief text)."""
    first = (req.ask_ids or ())[:1] or None
    made, problem = site().produce("letter", dataclasses.replace(
        req, ask_ids=first, brief=True), ("email",))
    if made is None:
        return "", ""
    text = made.file("email").data.decode("utf-8")
    link = mail_link(seat.mp.email, subject, text)
    return (link, text) if link else ("", "")


def pages(made) -> int:
    """How many pages the letter prints on, read from its PDF (measured, never guessed)."""
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(made.file("pdf").data)).pages)


@letter.post("/letter/download")
def download():
    fmt = request.form.get("format", "")
    if fmt not in KINDS["letter"].formats:
        abort(400)
    seat, form, made, _ = posted_letter((fmt,))
    if made is None:
        return details(seat, form, status=422)
    return attachment(made.file(fmt).data, made.file(fmt).name, fmt)


def preview_frame(html: str) -> str:
    """The letter's HTML (the PDF writer's input) with the print and brand stylesheets, and a
    screen stylesheet that shows it as a sheet of paper, as the srcdoc of an iframe."""
    from html import escape

    links = "".join(f'<link rel="stylesheet" href="{href}">' for href in (
        "/styles/fonts.css", "/styles/print.css", "/styles/brand.css", "/static/paper.css"))
    html = html.replace("</head>", links + "</head>", 1)
    # without the script, the frame scrolls: its body takes focus (and shows it) from the
    # keyboard; the script fits the frame to the letter and takes both out of the tab order
    html = html.replace("<body ", '<body tabindex="0" ', 1)
    return escape(html, quote=True)
