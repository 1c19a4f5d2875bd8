"""The place step every journey starts with: a box for a postcode or a name, then, when what
was typed is not one seat for certain, the list to choose from, never a guess. The page says
why in plain words (a ward split between seats, by its name and the share of its postcodes
in each; a Northern Ireland postcode; a council), how to find out (named, not linked), and
offers close spellings as links. No code (E05..., E14...) reaches a page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from flask import request

from ..engine.finding import Choice, Found
from . import forms
from .site import page, site

CODES = re.compile(r"\s*\((?:[ENSWK]\d{8}|\d{3})\)")
NI_CHECK = ("Not sure which is yours? The UK Parliament \u201cFind your MP\u201d page "
            "(members.parliament.uk) finds it from a Northern Ireland postcode; then choose "
            "it here.")
NUMBERS = {2: "two", 3: "three", 4: "four", 5: "five"}
DID_YOU_MEAN = re.compile(r";?\s*did you mean [^?]*\?")
HOW_TO_CHECK = ("Not sure which is yours? Look up your home address on your council's "
                "\u201cfind your polling district\u201d page, or on the UK Parliament "
                "\u201cFind your MP\u201d page (members.parliament.uk), then choose it here.")


@dataclass(frozen=True)
class Journey:
    id: str
    template: str
    title: str
    action: str  # where the place box posts
    field: forms.Field
    again: str  # the page to search again from


JOURNEYS = {j.id: j for j in (
    Journey("letter", "home.html", "Write to your MP", "/letter/place", forms.PLACE_FIELD,
            "/"),
    Journey("pack", "pack_start.html", "Make a roundtable pack", "/pack/place",
            forms.PLACE_FIELD, "/pack"),
    Journey("deck", "deck_start.html", "Make a slide deck", "/deck/place", forms.AREA_FIELD,
            "/deck"),
)}


def start_page(journey: Journey, form: forms.Form | None = None, status: int = 200,
               suggestions: tuple[str, ...] = (), scope: str = "seat"):
    return page(journey.template, status, title=journey.title, journey=journey,
                form=form or forms.Form(), field=journey.field, suggestions=suggestions,
                scope=scope)


def without_codes(text: str) -> str:
    """A library message as a page shows it: no ONS or DfE codes, no 'did you mean' (the
    page offers those as links), a capital first letter."""
    text = DID_YOU_MEAN.sub("", CODES.sub("", text)).strip()
    return text[:1].upper() + text[1:]


def percent(share: float | None) -> str:
    if share is None:
        return ""
    if share < 1:
        return "under 1%"
    if share > 99 and share < 100:
        return "over 99%"
    return f"{share:.0f}%"


def share_words(choice: Choice, of: str) -> str:
    return f"{percent(choice.share)} {of}" if choice.share is not None else ""


def why(found: Found, journey: Journey) -> tuple[str, str]:
    """(what the lookup found, in plain words; how to find out, or "")."""
    if found.how == "postcode" and found.ward:
        first, *rest = found.choices
        shares = f"{percent(first.share)} of the ward's postcodes are in {first.name}" + \
            "".join(f", {percent(c.share)} in {c.name}" for c in rest)
        count = NUMBERS.get(len(found.choices), str(len(found.choices)))
        return (f"{found.postcode} is in the {found.ward} ward, which is split between "
                f"{count} constituencies: {shares}. The postcode alone does not say which.",
                HOW_TO_CHECK)
    if found.how == "Northern Ireland postcode":
        return (f"{found.postcode or found.query} is in Northern Ireland. This site's postcode "
                "list covers Great Britain only, so it cannot tell the constituency from a "
                f"Northern Ireland postcode. Choose it from the {len(found.choices)} "
                "Northern Ireland constituencies below, listed A to Z: type your town or "
                "council to narrow the list.", NI_CHECK)
    if found.how in ("council", "district"):
        return (f"{without_codes(found.message)}.", "" if journey.id != "letter" else
                "Choose the one where you live: your MP is the one for your home address. "
                + HOW_TO_CHECK)
    return f"{without_codes(found.message).rstrip('.')}.", \
        HOW_TO_CHECK if journey.id == "letter" else ""


def narrowed(choices: tuple[Choice, ...], words: str) -> tuple[Choice, ...]:
    """The choices whose name or councils hold every word typed in the search box."""
    wanted = words.lower().split()
    return tuple(c for c in choices if all(
        w in " ".join((c.name, *c.councils)).lower() for w in wanted))


def place_step(journey: Journey, next_page: Callable, data=None, council: bool = False):
    """The place box, then the list to choose from when it is not certain, then the next
    page (next_page(seat_or_council_or_area, note))."""
    data = request.form if data is None else data
    form = forms.place_form(data, journey.field)
    scope = "council" if council else "seat"
    if not form.ok:
        return start_page(journey, form, 422, scope=scope)
    found = site().call("find_council" if council else "find_seat", form.values["q"])
    if found.certain:
        return next_page(found.council or found.seat, found.note)
    key = "council" if council else "seat"
    chosen = data.get(key, "")
    if chosen and found.area_code and chosen == f"council:{found.area_code}":
        return next_page(site().call("council_area", site().call("council",
                                                                 found.area_code)), None)
    if chosen in {c.code for c in found.choices}:
        return next_page(site().call("council" if council else "seat", chosen), None)
    if not found.choices:
        form.refuse("q", without_codes(found.message), "not-found")
        return start_page(journey, form, 422, found.suggestions, scope)
    if data.get("step") == "choose":
        form.refuse(key, "Choose a council from the list" if council else
                    "Choose your constituency from the list" if journey.id == "letter"
                    else "Choose a constituency from the list")
    return choose_page(journey, form, found, key, data.get("filter", ""))


def choose_page(journey: Journey, form: forms.Form, found: Found, key: str, search: str):
    said, check = why(found, journey)
    choices = narrowed(found.choices, search) if search else found.choices
    whole = (found.area, found.area_code) if journey.id == "deck" and found.area_code \
        and key == "seat" else None
    searchable = found.how == "Northern Ireland postcode" or len(found.choices) > 8
    title = "Choose a council" if key == "council" else \
        "Choose your constituency" if journey.id == "letter" else "Choose a constituency"
    basis = "of the ward's postcodes" if found.ward else "of its postcodes" \
        if found.how in ("council", "district", "postcode district", "postcode sector") \
        else "of its people"
    return page("choose.html", 422 if form.errors else 200, form=form, choices=choices,
                all_choices=found.choices, journey=journey, key=key, found=said,
                check=check, whole=whole, searchable=searchable, search=search,
                basis=basis, share_words=share_words, title=title,
                council_scope=key == "council")
