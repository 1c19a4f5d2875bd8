"""What the library tells a person, as data: a Note has a code (what happened), a severity
and the facts it rests on. The library never words a message for one front end: the CLI
names its options (cli/notes.py), the web its form fields (web/notes.py), `check` the file
and line. `Note.text` is the plain default any front end may use: no option names, no form
fields, no shell commands.

A note about one typed value names it in `fields["field"]` (a key of FIELD_LABELS); a front
end's `name_of` turns that into its own name for it ("--host-email", "the email column",
"Organiser's email address"), and the same wording serves every front end.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "tip")

# How the library names each typed value when no front end names it.
FIELD_LABELS = {
    "name": "the name", "address": "the address", "role": "the role", "school": "the school",
    "story": "the story", "postcode": "the postcode", "constituency": "the constituency",
    "council": "the council", "place": "the place", "campaign": "the campaign",
    "region": "the region", "asks": "the asks", "venue": "the venue",
    "host_name": "the organiser's name", "host_role": "the organiser's role",
    "host_email": "the organiser's email", "host_phone": "the organiser's phone number",
    "date": "the date", "time": "the time", "format": "the formats", "dated": "the date",
}

# Default wordings, by code: str.format templates over the note's fields, with {name}
# the front end's name for fields["field"] (see Note.words).
TEXTS: dict[str, str] = {
    "message": "{text}",
    # typed values (engine/rules.py)
    "too-long": "{name} is {length:,} characters; keep it under {limit:,}{why}",
    "too-many-lines": "{name} has {lines} lines; the limit is {limit} (separate lines with "
                      "commas)",
    "control-character": "{name} holds a control character ({shown}); type it again",
    "not-utf8": "{name} is not UTF-8 text (it holds bytes from another encoding, or broken "
                "characters); set your terminal or file to UTF-8",
    "name-required": "a name is required (the letter is signed with it)",
    "not-a-date": "{name} {value} is not a real date (use {forms})",
    "date-out-of-range": "{name} {value} is outside {first} to {last}; give a real date "
                         "near today, e.g. 2027-02-10",
    "not-a-time": "{name} {value} is not a time of day (use the 24-hour clock, HH:MM, "
                  "e.g. 16:30)",
    "not-an-email": "{name} '{value}' does not look like an email address (e.g. "
                    "sam.patel@example.org)",
    "not-a-phone": "{name} '{value}' is not a UK phone number (digits and spaces, e.g. "
                   "0191 498 0000 or +44 191 498 0000)",
    "past-date": "{name} {date} is in the past: choose a day from today on",
    "weekend": "{date} is a {weekday}: schools and MPs' offices are mostly closed at "
               "weekends; check the date (day first: {day_first})",
    "early-or-late": "the start time {time} is outside {earliest}-{latest}; check it "
                     "(24-hour clock: 4 pm is 16:00)",
    "clocks-skip": "{time} does not exist on {date} in the UK: the clocks go forward that "
                   "night",
    "no-organiser": "no organiser's name: the invitation and follow-up letters leave a "
                    "marked space, [Organiser's name], to fill in before sending",
    "no-reply-route": "no organiser's email or phone: the invitation leaves marked spaces "
                      "for how the MP's office replies to the organiser",
    "story-too-big": "the story file {file} is over {kb} KB; keep the story under "
                     "{limit:,} characters (about a page) so the letter gets read",
    "story-unreadable": "cannot read the story file {file}: {reason}",
    "story-not-utf8": "the story file {file} is not UTF-8 text; save it as UTF-8",
    # asks
    "unknown-ask": "unknown ask id {asks}; valid ids: {valid}",
    "too-many-asks": "a letter makes at most {most} asks ({count} given): pick the ones "
                     "that matter most locally",
    "asks-left-out": "{asks_text} do not apply in {nation}: left out",
    "no-asks": "The {document} makes no asks. {text}",
    # a document's notes (engine/contexts.py)
    "devolved": "{text} The {document} leaves out England's figures.",
    "no-address": "no address given: MPs act only for their own constituents, so add your "
                  "address in {seat} before sending",
    "no-story": "tip: add your school's own story; MPs' offices answer identical letters "
                "with identical replies",
    "council-from-postcode": "{postcode} is in {council}, so the letter draws on {council}'s "
                             "figures ({seat} also spans {others}); name another council to "
                             "draw on its figures instead",
    "no-local-figures": "no published figure for {councils} makes the case (a letter quotes "
                        "a figure only when it is worse than England's or rising faster, "
                        "recent and sound), so the letter makes the asks without local "
                        "figures",
    "seat-spans-councils": "{seat} spans {councils}: the letter cites figures from each; "
                           "name your own council to cite its figures",
    "council-not-in-seat": "the council '{query}' {what} of the councils {seat} spans: "
                           "choose {choices}",
    "no-calendar": "no calendar invitation (invitation.ics): it needs the event's date and "
                   "start time",
    "internal-error": "an internal error ({kind}) stopped this one; the rest went on. Please "
                      "report it to the campaigns team",
    # places
    "ambiguous": "{summary}; give one of them by name to choose",
    # output
    "unknown-format": "unknown format {formats}; choose from {allowed}",
    "exists": "{names} already exist{s} in {folder}; choose to overwrite them, or another "
              "folder",
    "locked": "another run (process {pid}) is writing to {folder}; wait for it to finish or "
              "choose another folder",
    "print-pdf-needs-pdf": "a print PDF needs letters made as PDF",
    "print-pdf-folder": "the print PDF {path} is a folder; give a file name",
    "print-pdf-input": "the print PDF {path} is one of the inputs; choose another name",
    "print-pdf-batch-file": "the print PDF {path} would overwrite a file of the batch in "
                            "{folder}; choose another name",
    "print-pdf-exists": "the print PDF {path} already exists; choose to overwrite it, or "
                        "another name",
    # data and content
    "store-missing": "the place store {path} is missing: rebuild it from the public data "
                     "files",
    "store-without-postcodes": "the place store {path} has no postcode index: rebuild it from "
                               "the public data files",
    "campaign-problems": "{first} (and {more} more: check the campaign to see them all)",
    "unknown-campaign": "there is no campaign '{value}' (campaigns: {campaigns})",
    "no-default-campaign": "no default campaign: set `default: ID` in content/campaigns.yaml "
                           "or choose a campaign ({campaigns})",
}


@dataclass(frozen=True)
class Note:
    code: str
    severity: str = "warning"  # one of SEVERITIES
    fields: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=True)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity {self.severity!r}: one of {SEVERITIES}")
        if self.code not in TEXTS:
            raise ValueError(f"note code {self.code!r} has no wording in notes.TEXTS")

    @property
    def field(self) -> str:
        """The typed value the note is about ('host_email'), or ''."""
        return str(self.fields.get("field", ""))

    def words(self, name_of: Callable[[str], str] | None = None,
              texts: Mapping[str, str] | None = None) -> str:
        """The note in words: `texts` (a front end's own wordings, by code) over TEXTS, with
        {name} its `name_of` the field (default: the library's label)."""
        template = (texts or {}).get(self.code) or TEXTS[self.code]
        name = (name_of or label)(self.field) if self.field else ""
        return template.format(**{"why": "", **self.fields, "name": name})

    @property
    def text(self) -> str:
        return self.words()

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def label(field_name: str) -> str:
    return FIELD_LABELS.get(field_name, field_name.replace("_", " "))


def capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def message(text: str, severity: str = "warning") -> Note:
    """A note whose words are already neutral (a campaign's own text, a file's problem)."""
    return Note("message", severity, {"text": text})
