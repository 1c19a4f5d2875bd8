"""One normalisation step at the edge for every text a person types: CLI options, CSV cells
and (later) the web form all come through `clean`, so the middle trusts its inputs.

What it does, and why:
- text from the command line that is not UTF-8 arrives as lone surrogates (Python's
  surrogateescape); it is decoded if its bytes are UTF-8 after all, otherwise refused with a
  message saying so (we never guess an encoding silently);
- Unicode NFC, so 'é' typed two ways is one letter in files, names and comparisons; a query
  (a postcode, a place, a date) NFKC as well, so a postcode typed in full-width characters
  (ＳＷ１Ａ １ＡＡ, as a Japanese or Chinese keyboard gives it) is SW1A 1AA;
- control characters (NUL, escape sequences, DEL, C1) and non-characters removed from text
  (names, addresses, stories ...): Word's XML cannot hold them, and a terminal would act on
  them; line breaks are kept only where a field allows them (story, address), tabs become
  spaces. In a query (a postcode, a place, an ask id, a date) a control character is refused
  instead, as `lookup` refuses it: "Kent<NUL>" is a mistake to show, not a council to guess;
- a length limit per field, with a message naming the field.

Limits chosen (characters after cleaning): a name, role or host 100 (a signature line; DOCX
core properties hold at most 255); a school or venue 150-200; an address 400 in at most 8
lines (a UK postal address has at most 7 lines and a postcode: a 10,000-line address once
made a 186-page letter); a story 5,000 (about a page, so the letter gets read); a place
query 200; ask ids 200. A story file is read with a bounded read of 64 KiB (5,000 characters
of UTF-8 are at most 20 KB, the rest is room for blank lines), so `--story /dev/zero` stops
at once instead of reading gigabytes.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..errors import InputProblem


@dataclass(frozen=True)
class Field:
    label: str  # how messages name it
    limit: int  # characters, after cleaning
    multiline: bool = False
    why: str = ""  # said after the limit when it is exceeded
    query: bool = False  # a code or a place to look up: control characters are refused


FIELDS = {
    "name": Field("the name", 100),
    "address": Field("the address", 400, multiline=True),
    "role": Field("the role", 100),
    "school": Field("the school", 150),
    "story": Field("the story", 5000, multiline=True,
                   why=" (about a page) so the letter gets read"),
    "postcode": Field("the postcode", 16, query=True),
    "constituency": Field("the constituency", 200, query=True),
    "council": Field("the council", 200, query=True),
    "place": Field("the place", 200, query=True),
    "campaign": Field("the campaign", 100, query=True),
    "region": Field("the region", 100, query=True),
    "asks": Field("the asks", 200, query=True),
    "venue": Field("the venue", 200),
    "host_name": Field("the host's name", 100),
    "host_role": Field("the host's role", 100),
    "host_email": Field("the host's email", 254, query=True),
    "host_phone": Field("the host's phone number", 40, query=True),
    "date": Field("the date", 40, query=True),
    "time": Field("the time", 20, query=True),
    "format": Field("the formats", 100, query=True),
}
MAX_ADDRESS_LINES = 8
MAX_STORY_BYTES = 64 * 1024
# Dates on documents: letters are dated near today, so anything outside this range is a
# typo; it also keeps date arithmetic (preparation weeks before an event, the day after it)
# and the dates stamped into PDF and DOCX metadata in range.
FIRST_DATE, LAST_DATE = dt.date(2000, 1, 1), dt.date(2099, 12, 31)

_LINE_BREAKS = re.compile(r"\r\n|[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")
_NONCHARACTERS = re.compile("[\ufdd0-\ufdef\ufffe\uffff]")


def repair_surrogates(text: str, label: str) -> str:
    """Undo Python's surrogateescape if the bytes were UTF-8 after all; else refuse."""
    if not any("\ud800" <= c <= "\udfff" for c in text):
        return text
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8")
    except UnicodeError:
        raise InputProblem(f"{label} is not UTF-8 text (it holds bytes from another encoding, "
                           "or broken characters); set your terminal or file to UTF-8") \
            from None


def clean(value: str | None, field: str, label: str | None = None) -> str:
    """The text of one field, normalised and checked (see the module docstring)."""
    spec = FIELDS[field]
    label = label or spec.label
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC" if spec.query else "NFC",
                                 repair_surrogates(str(value), label))
    if spec.multiline:
        text = _LINE_BREAKS.sub("\n", text)
    else:
        text = _LINE_BREAKS.sub(" ", text)
    text = text.replace("\t", " ")
    if spec.query and any(unicodedata.category(c) == "Cc" for c in text):
        bad = next(c for c in text if unicodedata.category(c) == "Cc")
        raise InputProblem(f"{label} holds a control character ({one_line(bad)}); type it "
                           "again")
    text = "".join(c for c in text if c == "\n" or unicodedata.category(c) != "Cc")
    text = _NONCHARACTERS.sub("", text)
    if not spec.multiline:
        text = " ".join(text.split())
    else:
        text = text.strip()
    if len(text) > spec.limit:
        raise InputProblem(f"{label} is {len(text):,} characters; keep it under "
                           f"{spec.limit:,}{spec.why}")
    return text


def address_lines(value: str | None) -> tuple[str, ...]:
    """'1 High St, Farnborough, GU14 6AA' (or one line each) -> its lines, at most 8."""
    text = clean(value, "address")
    lines = tuple(x for x in (" ".join(p.split()) for p in text.replace("\n", ",").split(","))
                  if x)
    if len(lines) > MAX_ADDRESS_LINES:
        raise InputProblem(f"the address has {len(lines)} lines; the limit is "
                           f"{MAX_ADDRESS_LINES} (separate lines with commas)")
    return lines


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
        raise InputProblem(f"cannot read the story file {story}: {exc.strerror or exc}") \
            from None
    if raw is None:
        raise InputProblem(f"the story file {story} is over {MAX_STORY_BYTES // 1024} KB; keep "
                           f"the story under {FIELDS['story'].limit:,} characters (about a "
                           "page) so the letter gets read")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputProblem(f"the story file {story} is not UTF-8 text; save it as UTF-8") \
            from None


def check_date(day: dt.date, option: str = "--date") -> dt.date:
    if not FIRST_DATE <= day <= LAST_DATE:
        raise InputProblem(f"{option} {day.isoformat()} is outside {FIRST_DATE.year} to "
                           f"{LAST_DATE.year}; give a real date near today, e.g. 2027-02-10")
    return day


def one_line(text: str) -> str:
    """A message safe to print: line breaks, escape sequences and other control or bidi
    characters shown as visible escapes (\\n, \\x1b), so user text inside an error can
    neither break the one-line message nor drive the terminal."""
    def shown(c: str) -> str:
        if c == "\n":
            return "\\n"
        if unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp") or "\u202a" <= c <= "\u202e" \
                or "\u2066" <= c <= "\u2069":
            return repr(c)[1:-1] if c.isascii() or "\ud800" <= c <= "\udfff" \
                else f"\\u{ord(c):04x}"
        return c

    return "".join(shown(c) for c in str(text))
