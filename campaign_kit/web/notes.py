"""How the web app words the library's notes: each typed value by its form field's label,
beside that field and linked from the error summary, in the GOV.UK pattern ("Enter ...",
"... must be ..."). The rules are the library's (engine/rules.py), so the same bad value
gets the same Note code here as on the command line and in a CSV; only the words differ.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..notes import Note, capfirst

# The library's field names -> this app's form fields (the input's name and id "f-NAME").
FORM_FIELDS = {"asks": "ask", "place": "q", "postcode": "q", "constituency": "q"}
LABELS = {
    "name": "Your name", "address": "Your address", "role": "Your role",
    "school": "Your school", "story": "Your school's story", "council": "Your council",
    "date": "Date of the roundtable", "time": "Start time", "venue": "Venue",
    "host_name": "Organiser's name", "host_role": "Organiser's role",
    "host_email": "Organiser's email address", "host_phone": "Organiser's phone number",
    "place": "Postcode or constituency", "asks": "Asks", "format": "Format",
}

TEXTS = {
    "too-long": "{name} is {length:,} characters; keep it to {limit:,} or fewer",
    "too-many-lines": "{name} has {lines} lines; keep it to {limit}",
    "control-character": "{name} holds a character that cannot be printed ({shown}); type "
                         "that part again",
    "not-utf8": "{name} holds broken characters; type it again",
    "name-required": "Enter your name",
    "not-a-date": "Enter a real date, for example 10 February 2027, or leave it empty",
    "date-out-of-range": "Enter a date between {first} and {last}",
    "past-date": "{name} must be today or in the future: {date} has passed (today is "
                 "{today})",
    "not-a-time": "Enter the time as hours and minutes, for example 16:00",
    "clocks-skip": "{time} does not exist on {date}: the clocks go forward that night. "
                   "Choose another time",
    "not-an-email": "Enter an email address like name@example.org, or leave it empty",
    "not-a-phone": "Enter a UK phone number like 0191 498 0000, or leave it empty",
    "unknown-ask": "Choose the asks from the list",
    "too-many-asks": "Choose up to {most} asks; you chose {count}. A letter that asks for a "
                     "few things gets a clearer answer",
    "council-not-in-seat": "Choose your council from the list",
    # warnings: shown, and the person may go on
    "weekend": "{date} is a {weekday}: schools and MPs' offices are mostly closed at "
               "weekends. Check the date",
    "early-or-late": "The start time {time} is before {earliest} or after {latest}. Check it "
                     "(on the 24-hour clock, 4 pm is 16:00)",
    "no-organiser": "There is no organiser's name: the invitation and follow-up letter will "
                    "have a marked space for it to fill in before sending",
    "no-reply-route": "There is no organiser's email address or phone number: the invitation "
                      "will have marked spaces for how the MP's office replies",
    "no-address": "You have not given your address. MPs act only for people who live in "
                  "their constituency, so add it before you send the letter",
    "no-story": "Your own story makes the letter count: MPs' offices answer identical "
                "letters with identical replies. You can add it on the details page",
    "no-local-figures": "No recent published figure for {councils} is worse than England's or "
                        "rising faster, so the letter makes the asks without local figures: "
                        "your own story counts all the more",
    "seat-spans-councils": "{seat} spans {councils}, so the letter cites figures from each. "
                           "To cite only your council's, choose it on the details page",
    "asks-left-out": "The asks for England are left out: they do not apply in {nation}",
    "no-calendar": "The pack has no calendar invitation: it needs the date and the start "
                   "time",
}


@dataclass(frozen=True)
class Said:
    """A note as a page shows it: the form field it is about ("" for the whole form), the
    words, the note's code (kept in the page, data-note, so a test can read it)."""

    field: str
    message: str
    code: str
    severity: str


def form_field(note: Note) -> str:
    return FORM_FIELDS.get(note.field, note.field)


def label(field_name: str) -> str:
    return LABELS.get(field_name, field_name.replace("_", " ").capitalize())


def said(note: Note) -> Said:
    """A note in this app's words, tied to the form field it is about."""
    return Said(form_field(note), capfirst(note.words(label, TEXTS)), note.code,
                note.severity)
