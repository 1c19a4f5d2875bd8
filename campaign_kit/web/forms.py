"""The web forms' fields, their limits and their checks: what a person typed, as the
library's Member and Event, or errors in plain words tied to the field they are about.

Limits are the CLI's where it has one (a story of at most rules.MAX_STORY_CHARS characters,
one to three asks in a letter) and otherwise generous lengths that no real name or address
reaches, so a request is bounded before anything is rendered.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..engine.requests import Event, Member
from ..engine.rules import MAX_STORY_CHARS, event, parse_email, parse_phone
from ..engine.rules import member as checked_member
from ..errors import InputProblem

MAX_LETTER_ASKS = 3
# Control characters (but tab and newline) and the two Unicode non-characters that no
# printed or XML document can hold; a person cannot see them, so they are named.
UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


@dataclass(frozen=True)
class Field:
    """One input: its form name, label, limit in characters and how it is typed."""

    name: str
    label: str
    limit: int
    missing: str = ""  # the message when it is left empty; empty when it is optional
    hint: str = ""
    multiline: bool = False
    type: str = "text"  # the input's type: text, date, time, email, tel
    autocomplete: str = "off"
    width: str = ""  # a CSS class for short inputs: "short"


def letter_fields(stories_prompt: str) -> tuple[Field, ...]:
    return (
        Field("name", "Your name", 100, "Enter your name", "As you sign the letter.",
              autocomplete="name"),
        Field("address", "Your address", 300, "Enter your address",
              "With your postcode. Your MP acts only for people who live in their "
              "constituency, so they need it.", multiline=True, autocomplete="street-address"),
        Field("role", "Your role", 100, hint="For example, headteacher or SENCO.",
              autocomplete="organization-title"),
        Field("school", "Your school", 150, autocomplete="organization"),
        Field("story", "Your school's story", MAX_STORY_CHARS,
              hint=f"{stories_prompt} Your own words make the letter count: MPs' offices "
                   "answer identical letters with identical replies. Up to "
                   f"{MAX_STORY_CHARS:,} characters.", multiline=True),
    )


EVENT_FIELDS = (
    Field("date", "Date of the roundtable", 10, hint="Leave it empty and the invitation "
          "proposes to agree one.", type="date", width="short"),
    Field("time", "Start time", 5, hint="24-hour clock, for example 16:00.", type="time",
          width="short"),
    Field("venue", "Venue", 200, hint="For example, the school's name and town."),
    Field("host_name", "Organiser's name", 100, "Enter the organiser's name",
          "Who signs the invitation and the follow-up letter.", autocomplete="name"),
    Field("host_role", "Organiser's role", 100, hint="For example, regional official.",
          autocomplete="organization-title"),
    Field("host_email", "Organiser's email address", 254, hint="The invitation asks the "
          "MP's office to reply to it.", type="email", autocomplete="email"),
    Field("host_phone", "Organiser's phone number", 30, hint="A UK number, for example "
          "0191 498 0000.", type="tel", autocomplete="tel", width="short"),
)

AREA_FIELD = Field("q", "Constituency or council", 100,
                   "Enter a postcode, a constituency or a council",
                   "A postcode or constituency name (for example, GU11 1AA or Aldershot), "
                   "or a council's name (for example, Hampshire).")
PLACE_FIELD = Field("q", "Postcode or constituency", 100,
                    "Enter a postcode or the name of a constituency",
                    "For example, GU11 1AA or Aldershot.",
                    autocomplete="postal-code")


@dataclass
class Form:
    """What a form posted, cleaned, and what is wrong with it (field name -> message)."""

    values: dict[str, str] = field(default_factory=dict)
    asks: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error_list(self) -> list[tuple[str, str]]:
        return list(self.errors.items())


def clean(text: str | None) -> str:
    """Line ends as browsers send them (CRLF) counted once, like a story file's."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def check_fields(fields: tuple[Field, ...], data, form: Form) -> Form:
    for f in fields:
        value = clean(data.get(f.name))
        form.values[f.name] = value
        count = len(value)
        if f.missing and not value:
            form.errors[f.name] = f.missing
        elif count > f.limit:
            form.errors[f.name] = (f"{f.label} is {count:,} characters; keep it to "
                                   f"{f.limit:,} or fewer")
        elif (bad := UNPRINTABLE.search(value)) is not None:
            form.errors[f.name] = (f"{f.label} holds a character that cannot be printed "
                                   f"(U+{ord(bad.group()):04X}); type that part again")
    return form


def check_asks(data, valid: list[str], most: int | None, form: Form) -> Form:
    """The asks ticked, in the campaign's order: at least one, at most `most`."""
    chosen = [a for a in data.getlist("ask") if isinstance(a, str)]
    unknown = [a for a in chosen if a not in valid]
    form.asks = [a for a in valid if a in chosen]
    if unknown:
        form.errors["ask"] = "Choose the asks from the list"
    elif not form.asks:
        form.errors["ask"] = "Choose at least one ask"
    elif most is not None and len(form.asks) > most:
        form.errors["ask"] = (f"Choose up to {most} asks; you chose {len(form.asks)}. A "
                              "letter that asks for a few things gets a clearer answer")
    return form


def member_form(data, stories_prompt: str, ask_ids: list[str]) -> tuple[Form, Member | None]:
    form = check_fields(letter_fields(stories_prompt), data, Form())
    check_asks(data, ask_ids, MAX_LETTER_ASKS, form)
    if not form.ok:
        return form, None
    v = form.values
    try:
        member = checked_member(v["name"], v["address"].replace("\n", ", "), v["role"],
                                    v["school"], v["story"])
    except InputProblem as exc:  # the library's own checks, should they ever be stricter
        form.errors["name"] = str(exc)
        return form, None
    return form, member


def event_form(data, ask_ids: list[str], today: dt.date) -> tuple[Form, Event | None, list]:
    form = check_fields(EVENT_FIELDS, data, Form())
    check_asks(data, ask_ids, None, form)
    v = form.values
    if v.get("date") and "date" not in form.errors:
        first, last = today - dt.timedelta(days=365), today + dt.timedelta(days=3 * 365)
        try:
            day = dt.date.fromisoformat(v["date"])
        except ValueError:
            form.errors["date"] = ("Enter the date as year-month-day, for example 2027-02-10, "
                                   "or leave it empty")
        else:
            if not first <= day <= last:
                form.errors["date"] = (f"Enter a date between {first.isoformat()} and "
                                       f"{last.isoformat()}")
    if v.get("time") and "time" not in form.errors and not re.fullmatch(
            r"([01][0-9]|2[0-3]):[0-5][0-9]", v["time"]):
        form.errors["time"] = "Enter the time as hours and minutes, for example 16:00"
    for name, check, message in (
            ("host_email", parse_email, "Enter an email address like name@example.org, or "
                                        "leave it empty"),
            ("host_phone", parse_phone, "Enter a UK phone number like 0191 498 0000, or "
                                        "leave it empty")):
        if v.get(name) and name not in form.errors:
            try:
                check(v[name])
            except InputProblem:
                form.errors[name] = message
    if not form.ok:
        return form, None, []
    try:
        made, notes = event({k: v.get(k) for k in ("date", "time", "venue", "host_name",
                                                   "host_role", "host_email", "host_phone")},
                            today)
    except InputProblem as exc:
        form.errors[exc.note.field or "date"] = capital(exc.note.text)
        return form, None, []
    return form, made, notes


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]
