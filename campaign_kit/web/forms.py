"""The web forms: each field's label, hint and input type (the presentation), and what was
typed, checked by the library's input rules (engine/rules.py: check_member, check_event,
check_ask_ids and the FIELDS limits), so a value the command line or a CSV refuses is refused
here with the same Note code, worded by web/notes.py beside its field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..engine.requests import Event, Member
from ..engine.rules import (
    FIELDS,
    MAX_LETTER_ASKS,
    check_ask_ids,
    check_event,
    check_member,
    clean,
)
from ..errors import InputProblem
from ..notes import Note, capfirst
from .notes import TEXTS, Said, said


@dataclass(frozen=True)
class Field:
    """One input as the page shows it; its limit is the library's (rules.FIELDS)."""

    name: str
    label: str
    hint: str = ""
    required: bool = False  # shown as required; otherwise "(optional)"
    multiline: bool = False
    type: str = "text"  # the input's type: text, date, time, email, tel
    autocomplete: str = "off"
    width: str = ""  # a CSS class for short inputs: "short"
    rules_name: str = ""  # the library's name for it, when it differs (q -> place)

    @property
    def limit(self) -> int:
        return FIELDS[self.rules_name or self.name].limit


def letter_fields(stories_prompt: str, one_page_story: int) -> tuple[Field, ...]:
    story = FIELDS["story"].limit
    return (
        Field("name", "Your name", "As you sign the letter.", required=True,
              autocomplete="name"),
        Field("address", "Your address", "With your postcode. Your MP acts only for people "
              "who live in their constituency, so they need it.", multiline=True,
              autocomplete="street-address"),
        Field("role", "Your role", "For example, headteacher or SENCO.",
              autocomplete="organization-title"),
        Field("school", "Your school", autocomplete="organization"),
        Field("story", "Your school's story",
              f"{stories_prompt} Your own words make the letter count: MPs' offices answer "
              f"identical letters with identical replies. Up to {story:,} characters; "
              f"about {one_page_story:,} keep the letter to one printed page.",
              multiline=True),
    )


EVENT_FIELDS = (
    Field("date", "Date of the roundtable", "Leave it empty and the invitation proposes to "
          "agree one.", type="date", width="short"),
    Field("time", "Start time", "24-hour clock, for example 16:00.", type="time",
          width="short"),
    Field("venue", "Venue", "For example, the school's name and town."),
    Field("host_name", "Organiser's name", "Who signs the invitation and the follow-up "
          "letter.", autocomplete="name"),
    Field("host_role", "Organiser's role", "For example, regional official.",
          autocomplete="organization-title"),
    Field("host_email", "Organiser's email address", "The invitation asks the MP's office "
          "to reply to it.", type="email", autocomplete="email"),
    Field("host_phone", "Organiser's phone number", "A UK number, for example 0191 498 "
          "0000.", type="tel", autocomplete="tel", width="short"),
)
AREA_FIELD = Field("q", "Constituency or council", "A postcode or constituency name (for "
                   "example, GU11 1AA or Aldershot), or a council's name (for example, "
                   "Hampshire).", required=True, rules_name="place")
PLACE_FIELD = Field("q", "Postcode or constituency", "For example, GU11 1AA or Aldershot.",
                    required=True, autocomplete="postal-code", rules_name="place")
PLACE_MISSING = {"q": "Enter a postcode or the name of a constituency"}
AREA_MISSING = {"q": "Enter a postcode, a constituency or a council"}


@dataclass
class Form:
    """What a form posted (as typed, to show again), the asks ticked, and what is wrong:
    errors by field (the first for each), their Note codes, and warnings to confirm."""

    values: dict[str, str] = field(default_factory=dict)
    asks: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)
    warnings: list[Said] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, note: Note) -> None:
        shown = said(note)
        if not note.is_error:
            self.warnings.append(shown)
        elif shown.field not in self.errors:
            self.errors[shown.field or "form"] = shown.message
            self.codes[shown.field or "form"] = shown.code

    def refuse(self, name: str, message: str, code: str = "") -> None:
        """A mistake only this form can make (a box left empty, nothing chosen)."""
        self.errors.setdefault(name, message)
        self.codes.setdefault(name, code)

    @property
    def warning_key(self) -> str:
        """The warnings as one value: a form confirmed with this key goes ahead."""
        return ",".join(sorted({w.code for w in self.warnings}))


def typed(data, names) -> dict[str, str]:
    """What was typed in each field, line ends as browsers send them (CRLF) counted once."""
    return {n: str(data.get(n) or "").replace("\r\n", "\n").replace("\r", "\n").strip()
            for n in names}


def check_asks(data, valid: list[str], most: int | None, form: Form) -> Form:
    """The asks ticked, in the campaign's order, by the library's rule; at least one (the
    boxes start ticked, so none is a choice to ask about)."""
    chosen = [a for a in data.getlist("ask") if isinstance(a, str)]
    form.asks = [a for a in valid if a in chosen]
    for note in check_ask_ids(chosen, valid, most):
        form.add(note)
    if not chosen and valid:
        form.refuse("ask", "Choose at least one ask", "no-ask-chosen")
    return form


def member_form(data, valid_asks: list[str], fields: tuple[Field, ...]) -> tuple[Form,
                                                                                  Member | None]:
    """A Member from the letter form, or the form with its errors."""
    form = Form(values=typed(data, [f.name for f in fields]))
    checked = check_member(form.values)
    for note in checked.notes:
        form.add(note)
    check_asks(data, valid_asks, MAX_LETTER_ASKS, form)
    return form, (checked.value if form.ok else None)


def event_form(data, valid_asks: list[str], today: dt.date) -> tuple[Form, Event | None]:
    """An Event from the pack form, with the same rules as the command line (a past date
    refused, a weekend or a start outside 07:00-21:00 warned), or the form with errors."""
    form = Form(values=typed(data, [f.name for f in EVENT_FIELDS]))
    checked = check_event(form.values, today)
    for note in checked.notes:
        form.add(note)
    check_asks(data, valid_asks, None, form)
    return form, (checked.value if form.ok else None)


def place_form(data, place: Field) -> Form:
    """The place box: something typed, within the library's limit for a place."""
    form = Form(values=typed(data, ["q"]))
    if not form.values["q"]:
        form.refuse("q", (AREA_MISSING if place is AREA_FIELD else PLACE_MISSING)["q"])
        return form
    try:
        clean(form.values["q"], "place")
    except InputProblem as exc:
        form.errors["q"] = capfirst(exc.note.words(lambda _name: place.label, TEXTS))
        form.codes["q"] = exc.note.code
    return form
