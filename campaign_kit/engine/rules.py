"""The input rules, once: every text a person types (a CLI option, a CSV cell, a web form
field) comes through here, so the CLI, the web, a members' CSV and a kit's events CSV give
the same answer, the same Note code, to the same bad value; the middle trusts its inputs.

What `clean` does, and why:
- text from the command line that is not UTF-8 arrives as lone surrogates (Python's
  surrogateescape); it is decoded if its bytes are UTF-8 after all, otherwise refused (we
  never guess an encoding silently);
- Unicode NFC, so 'é' typed two ways is one letter in files, names and comparisons; a query
  (a postcode, a place, a date) NFKC as well, so a postcode typed in full-width characters
  (ＳＷ１Ａ １ＡＡ, as a Japanese or Chinese keyboard gives it) is SW1A 1AA;
- control characters (NUL, escape sequences, DEL, C1) and non-characters removed from text
  (names, addresses, stories ...): Word's XML cannot hold them, and a terminal would act on
  them; line breaks are kept only where a field allows them (story, address), tabs become
  spaces. In a query (a postcode, a place, an ask id, a date) a control character is refused
  instead: "Kent<NUL>" is a mistake to show, not a council to guess;
- a length limit per field.

Limits chosen (characters after cleaning): a name, role or organiser 100 (a signature line;
DOCX core properties hold at most 255); a school or venue 150-200; an address 400 in at most
8 lines (a UK postal address has at most 7 lines and a postcode: a 10,000-line address once
made a 186-page letter); a story 5,000 (about a page, so the letter gets read); a place
query 200; ask ids 200. A story file is read with a bounded read of 64 KiB (5,000 characters
of UTF-8 are at most 20 KB, the rest is room for blank lines), so a story of /dev/zero stops
at once instead of reading gigabytes.

Events: a date from today on (a past date is refused: an invitation cannot propose a day
that has gone) and within three years (further is a typo of the year); a weekend, or a
start before 07:00 or after 21:00, is a warning worth a second look; a start time the
clocks skip in March is refused.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ..errors import InputProblem
from ..notes import Note
from ..render.formatting import british_date
from .requests import Event, Member


@dataclass(frozen=True)
class Field:
    limit: int  # characters, after cleaning
    multiline: bool = False
    why: str = ""  # said after the limit when it is exceeded
    query: bool = False  # a code or a place to look up: control characters are refused


FIELDS = {
    "name": Field(100),
    "address": Field(400, multiline=True),
    "role": Field(100),
    "school": Field(150),
    "story": Field(5000, multiline=True, why=" (about a page) so the letter gets read"),
    "postcode": Field(16, query=True),
    "constituency": Field(200, query=True),
    "council": Field(200, query=True),
    "place": Field(200, query=True),
    "campaign": Field(100, query=True),
    "region": Field(100, query=True),
    "asks": Field(200, query=True),
    "venue": Field(200),
    "host_name": Field(100),
    "host_role": Field(100),
    "host_email": Field(254, query=True),
    "host_phone": Field(40, query=True),
    "date": Field(40, query=True),
    "dated": Field(40, query=True),
    "time": Field(20, query=True),
    "format": Field(100, query=True),
}
MAX_STORY_CHARS = FIELDS["story"].limit
MAX_ADDRESS_LINES = 8
MAX_STORY_BYTES = 64 * 1024
MAX_LETTER_ASKS = 3
# Dates on documents: letters are dated near today, so anything outside this range is a
# typo; it also keeps date arithmetic (preparation weeks before an event, the day after it)
# and the dates stamped into PDF and DOCX metadata in range.
FIRST_DATE, LAST_DATE = dt.date(2000, 1, 1), dt.date(2099, 12, 31)
EVENT_YEARS_AHEAD = 3
EARLIEST, LATEST = dt.time(7, 0), dt.time(21, 0)  # outside these a start time is warned
DATE_FORMS = "YYYY-MM-DD or DD/MM/YYYY, day first as in the UK, e.g. 2027-02-10 or 10/02/2027"
PHONE_CHARACTERS = re.compile(r"[0-9 ()+\-]+")
MEMBER_FIELDS = ("name", "address", "role", "school", "story")
EVENT_FIELDS = ("date", "time", "venue", "host_name", "host_role", "host_email", "host_phone")

_LINE_BREAKS = re.compile(r"\r\n|[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")
_NONCHARACTERS = re.compile("[\ufdd0-\ufdef\ufffe\uffff]")
# Refused in a query, as the place finder refuses them (localdata.names.clean_query): control
# and invisible format characters (a zero-width space, a bidi control, a soft hyphen), private
# use and unassigned code points. No postcode, code or name holds one.
_NOT_IN_A_QUERY = ("Cc", "Cf", "Co", "Cn")


def problem(code: str, **fields) -> InputProblem:
    return InputProblem(Note(code, "error", fields))


# -- one text -------------------------------------------------------------------------------
def repair_surrogates(text: str, field_name: str) -> str:
    """Undo Python's surrogateescape if the bytes were UTF-8 after all; else refuse."""
    if not any("\ud800" <= c <= "\udfff" for c in text):
        return text
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8")
    except UnicodeError:
        raise problem("not-utf8", field=field_name) from None


def clean(value: str | None, field_name: str) -> str:
    """The text of one field, normalised and checked (see the module docstring)."""
    spec = FIELDS[field_name]
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC" if spec.query else "NFC",
                                 repair_surrogates(str(value), field_name))
    text = _LINE_BREAKS.sub("\n" if spec.multiline else " ", text).replace("\t", " ")
    if spec.query and any(unicodedata.category(c) in _NOT_IN_A_QUERY for c in text):
        bad = next(c for c in text if unicodedata.category(c) in _NOT_IN_A_QUERY)
        raise problem("control-character", field=field_name, shown=one_line(bad))
    text = "".join(c for c in text if c == "\n" or unicodedata.category(c) != "Cc")
    text = _NONCHARACTERS.sub("", text)
    text = text.strip() if spec.multiline else " ".join(text.split())
    if len(text) > spec.limit:
        raise problem("too-long", field=field_name, length=len(text), limit=spec.limit,
                      why=spec.why)
    return text


def address_lines(value: str | None) -> tuple[str, ...]:
    """'1 High St, Farnborough, GU14 6AA' (or one line each) -> its lines, at most 8."""
    text = clean(value, "address")
    lines = tuple(x for x in (" ".join(p.split()) for p in text.replace("\n", ",").split(","))
                  if x)
    if len(lines) > MAX_ADDRESS_LINES:
        raise problem("too-many-lines", field="address", lines=len(lines),
                      limit=MAX_ADDRESS_LINES)
    return lines


def one_line(text: str) -> str:
    """A message safe to print: line breaks, escape sequences, bidi controls and other
    control or invisible format characters, and private-use or unassigned code points (no
    font shows them), as visible escapes (\\n, \\x1b, \\u202e, \\U0010fffd), so user text
    inside an error can neither break the one-line message, hide in it, nor drive the
    terminal."""
    def shown(c: str) -> str:
        if c == "\n":
            return "\\n"
        if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            return repr(c)[1:-1] if c.isascii() or "\ud800" <= c <= "\udfff" \
                else f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}"
        return c

    return "".join(shown(c) for c in str(text))


# -- a story file ----------------------------------------------------------------------------
def read_bounded(handle: BinaryIO, limit: int = MAX_STORY_BYTES) -> bytes | None:
    """At most `limit` bytes from handle; None when there was more (never reads the rest)."""
    data = handle.read(limit + 1)
    return None if len(data) > limit else data


def read_story(story: str | None) -> str:
    """A story from a file or '-' (standard input), UTF-8, read with a bounded read."""
    if not story:
        return ""
    try:
        if story == "-":
            raw = read_bounded(sys.stdin.buffer)
        else:
            with open(Path(story), "rb") as handle:
                raw = read_bounded(handle)
    except OSError as exc:
        raise problem("story-unreadable", field="story", file=story,
                      reason=exc.strerror or str(exc)) \
            from None
    if raw is None:
        raise problem("story-too-big", field="story", file=story, kb=MAX_STORY_BYTES // 1024,
                      limit=MAX_STORY_CHARS)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise problem("story-not-utf8", field="story", file=story) from None


# -- dates, times, emails, phone numbers ------------------------------------------------------
def check_date(day: dt.date, field_name: str = "date") -> dt.date:
    if not FIRST_DATE <= day <= LAST_DATE:
        raise problem("date-out-of-range", field=field_name, value=british_date(day),
                      first=FIRST_DATE.year, last=LAST_DATE.year)
    return day


def parse_date(text: str, field_name: str = "date") -> dt.date:
    """A date as 2027-02-10 or 10/02/2027 (UK order: day, month, year); anything else, or a
    day that does not exist, is an error saying which forms work."""
    text = clean(text, field_name)
    uk = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    try:
        if uk:
            day, month, year = (int(g) for g in uk.groups())
            return check_date(dt.date(year, month, day), field_name)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return check_date(dt.date.fromisoformat(text), field_name)
    except ValueError:
        pass
    raise problem("not-a-date", field=field_name, value=text, forms=DATE_FORMS)


def parse_time(text: str, field_name: str = "time") -> dt.time:
    """A 24-hour time of day, HH:MM (9:30 is read as 09:30)."""
    text = clean(text, field_name)
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text)
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return dt.time(int(match[1]), int(match[2]))
    raise problem("not-a-time", field=field_name, value=text)


def parse_email(text: str | None, field_name: str = "host_email") -> str:
    """An email address's syntax, checked by email-validator (no DNS: nothing leaves the
    machine); '' when none is given. Only a bare address is kept: nothing after it (a
    '?cc=' or ';RSVP=') can reach the calendar invitation or a mailto: link."""
    from email_validator import EmailNotValidError, validate_email

    text = clean(text, field_name)
    if not text:
        return ""
    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        raise problem("not-an-email", field=field_name, value=text) from None
    return checked.normalized


def parse_phone(text: str | None, field_name: str = "host_phone") -> str:
    """A UK phone number as people write one: digits, spaces, brackets, hyphens and a leading
    +44; 10 or 11 digits after the 0 (or +44 and 9 or 10). Spaces are tidied, nothing else
    is changed. '' when none is given."""
    text = clean(text, field_name)
    if not text:
        return ""
    digits = re.sub(r"\D", "", text.replace("(0)", ""))
    national = digits[2:] if text.startswith("+44") else digits[1:] \
        if digits.startswith("0") else ""
    if not PHONE_CHARACTERS.fullmatch(text) or "+" in text[1:] or \
            (text.startswith("+") and not text.startswith("+44")) or not 9 <= len(national) <= 10:
        raise problem("not-a-phone", field=field_name, value=text)
    return text


def ask_list(text: str | None) -> tuple[str, ...] | None:
    """'a; b,,c' -> ('a', 'b', 'c'): asks separated by ';' or ',' wherever they are typed
    (an option, a CSV cell); None when none are given (use the campaign's)."""
    ids = [a.strip() for a in re.split(r"[;,]", clean(text, "asks")) if a.strip()]
    return tuple(dict.fromkeys(ids)) or None


def check_ask_ids(ids, valid, most: int | None = None) -> list[Note]:
    """The asks a person chose, against the campaign's: an unknown id is an error listing
    the valid ones; more than `most` (a letter's three) is one too."""
    chosen = list(ids or ())
    unknown = [i for i in chosen if i not in valid]
    if unknown:
        return [Note("unknown-ask", "error", {"field": "asks", "asks": ", ".join(unknown),
                                              "valid": ", ".join(valid)})]
    if most is not None and len(dict.fromkeys(chosen)) > most:
        return [Note("too-many-asks", "error", {"field": "asks",
                                                "count": len(dict.fromkeys(chosen)),
                                                "most": most})]
    return []


# -- whole requests ---------------------------------------------------------------------------
@dataclass
class Checked:
    """What a set of typed values makes, and every note about them: errors (each naming its
    field where it is about one) and warnings worth a second look."""

    value: object | None = None
    notes: list[Note] = field(default_factory=list)

    @property
    def errors(self) -> list[Note]:
        return [n for n in self.notes if n.is_error]

    @property
    def warnings(self) -> list[Note]:
        return [n for n in self.notes if not n.is_error]

    def result(self):
        """The value, or the first error raised (a command stops at its first mistake)."""
        if self.errors:
            raise InputProblem(self.errors[0])
        return self.value


def _each(values: Mapping[str, str | None], names: tuple[str, ...], notes: list[Note],
          check) -> dict[str, object]:
    """Every named value through its check; a failing one adds its note and is left out."""
    out = {}
    for name in names:
        try:
            out[name] = check(name, values.get(name))
        except InputProblem as exc:
            notes.append(exc.note)
    return out


def check_member(values: Mapping[str, str | None]) -> Checked:
    """A Member from what was typed: name, address, role, school, story."""
    notes: list[Note] = []
    got = _each(values, MEMBER_FIELDS, notes,
                lambda n, v: address_lines(v) if n == "address" else clean(v, n))
    if "name" in got and not got["name"]:
        notes.append(Note("name-required", "error", {"field": "name"}))
    if notes:
        return Checked(None, notes)
    return Checked(Member(got["name"], got["address"], got["role"], got["school"],
                          got["story"]), [])


def member(name: str | None, address: str | None = None, role: str | None = None,
           school: str | None = None, story: str | None = None) -> Member:
    """check_member, raising its first error."""
    return check_member({"name": name, "address": address, "role": role, "school": school,
                         "story": story}).result()


def _event_value(name: str, value: str | None):
    if name == "date":
        return parse_date(value, "date") if clean(value, "date") else None
    if name == "time":
        return parse_time(value, "time") if clean(value, "time") else None
    if name == "host_email":
        return parse_email(value)
    if name == "host_phone":
        return parse_phone(value)
    return clean(value, name)


def check_event(values: Mapping[str, str | None], today: dt.date) -> Checked:
    """An Event from what was typed (date, time, venue, organiser), with the event rules:
    see the module docstring."""
    notes: list[Note] = []
    got = _each(values, EVENT_FIELDS, notes, _event_value)
    day, clock = got.get("date"), got.get("time")
    if day is not None:
        notes += _date_notes(day, today)
    if clock is not None and not EARLIEST <= clock <= LATEST:
        notes.append(Note("early-or-late", "warning", {
            "field": "time", "time": f"{clock:%H:%M}", "earliest": f"{EARLIEST:%H:%M}",
            "latest": f"{LATEST:%H:%M}"}))
    if day is not None and clock is not None and not _exists(day, clock):
        notes.append(Note("clocks-skip", "error", {"field": "time", "time": f"{clock:%H:%M}",
                                                    "date": british_date(day)}))
    if "host_name" in got and not got["host_name"]:
        notes.append(Note("no-organiser", "warning", {}))
    if not got.get("host_email") and not got.get("host_phone") and \
            not any(n.field in ("host_email", "host_phone") for n in notes):
        notes.append(Note("no-reply-route", "warning", {}))
    if any(n.is_error for n in notes):
        return Checked(None, notes)
    return Checked(Event(day, clock, got["venue"], got["host_name"], got["host_role"],
                         host_email=got["host_email"], host_phone=got["host_phone"]), notes)


def _date_notes(day: dt.date, today: dt.date) -> list[Note]:
    shown = british_date(day)
    if day < today:
        return [Note("past-date", "error", {"field": "date", "date": shown,
                                            "today": british_date(today)})]
    notes = []
    last = today + dt.timedelta(days=round(365.25 * EVENT_YEARS_AHEAD))
    if day > last:
        notes.append(Note("date-out-of-range", "error", {
            "field": "date", "value": shown, "first": british_date(today),
            "last": british_date(last)}))
    if day.weekday() >= 5:
        notes.append(Note("weekend", "warning", {
            "field": "date", "date": shown, "weekday": f"{day:%A}",
            "day_first": day.strftime("%d/%m/%Y")}))
    return notes


def _exists(day: dt.date, clock: dt.time) -> bool:
    """Whether a UK clock ever shows `clock` on `day` (not in the hour skipped in March)."""
    from zoneinfo import ZoneInfo

    london = ZoneInfo("Europe/London")
    local = dt.datetime.combine(day, clock, tzinfo=london)
    return local.astimezone(dt.UTC).astimezone(london).replace(tzinfo=None) == \
        local.replace(tzinfo=None)


def event(values: Mapping[str, str | None], today: dt.date) -> tuple[Event, list[Note]]:
    """check_event, raising its first error; the event and its warnings."""
    checked = check_event(values, today)
    return checked.result(), checked.warnings
