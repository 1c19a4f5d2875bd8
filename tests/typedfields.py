"""Every typed field (engine/rules.py FIELDS) of every kind through every front end, for
the property tests (tests/test_typed_fields.py): the command line (Click's CliRunner), a
members' CSV (`letters`), an events CSV (`kit --events`) and the web app (Flask's test
client, through its real form pages with their forgery token).

The property: a value reaches, as text, every document that shows its field, or it is
refused in one line that names the field (the command line's option, an errors.csv row with
its reason, the web form's error beside the field); never an exception, an "unexpected"
line, a traceback or an HTTP 5xx. Which documents show a field is measured, not listed: each
front end first makes its documents with a marker in every text field (`shown_in`), so a
field that stops reaching a document it reached fails the test.

What must appear is the value as the library's rules clean it (rules.clean and friends):
the property tests what happens after the rules (escaping, Markdown, templates, writers),
and that every front end applies them.
"""

from __future__ import annotations

import csv
import html
import io
import re
import subprocess
import unicodedata
import urllib.parse
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import strategies as st

from campaign_kit.cli.notes import OPTIONS
from campaign_kit.engine.rules import FIELDS, address_lines, clean, parse_email, parse_phone
from campaign_kit.errors import InputProblem

from .extract import pptx_text

# -- values ------------------------------------------------------------------------------
SPECIALS = (
    "", " ", "\x00", "\x07", "\x1b[31m", "\x7f", "\x9f", "\t", "\r\n", "\n\n", "\u2028",
    "\x85", "\ufeff", "\ufffe", "\ufdd0", "\U0010ffff", "\ue000", "\u0378",
    # bidi controls, zero-width and other invisible format characters
    "\u202e", "\u202b", "\u2066", "\u2069", "\u200e", "\u200f", "\u061c", "\u200b",
    "\u200d", "\u00ad", "\U000e0001", "abc\u202edef",
    # combining marks, alone and stacked; emoji with modifiers, joiners and tags
    "\u0301", "e\u0301", "\u0300\u0301\u0302", "Z\u0351\u0352\u0353\u0354", "😀",
    "👩🏽\u200d🏫", "\U0001F3F4\U000E0067\U000E0062\U000E0077\U000E006C\U000E0073\U000E007F",
    "\U0001F3FB",
    # lone punctuation and markup
    "[", "(", '"', "\u201c", "'", "*", "_", "#", "\\", "<", ">", "&", "|", "-", "\u2014",
    ".", "...", ",", ";", ":", ":::", "::: signature", "{{ x }}", "{% raw %}", "%s", "=1+1",
    "+1", "@x", "[x](javascript:y)", "<b>x</b>", "&amp;", "**x**", "> quote", "1. x",
    "- x", "| a | b |", "\\*x\\*", "`x`",
    # scripts and letters that change under case or normalisation
    "שלום", "مرحبا", "李伟", "Ǆ", "ß", "ﬁ", "İ", "\u3000x",
    # lone surrogates: a command line's bytes that are not UTF-8 (surrogateescape) and worse
    "\udce9", "\ud800", "\udfff", "a\udcff",
    # too long, too many lines
    "a" * 300, "x\n" * 20, "y," * 12,
)
EMPTY_ONCE_CLEANED = ("\x00", "\x01", "\x1b", "\x7f", "\x9f", " ", "\t", "\n", "\r",
                      "\u2028", "\u2029", "\x85", "\ufffe", "\uffff", "\ufdd0", "\x0b")


def typed_values(max_size: int = 40):
    """Anything a person could type or paste: the full Unicode range (surrogates too),
    punctuation only, values that are empty once cleaned, and the special cases above."""
    wide = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF,
                                 exclude_categories=()), max_size=max_size)
    punctuation = st.text(st.characters(categories=("P", "S")), min_size=1, max_size=8)
    empty = st.text(st.sampled_from(EMPTY_ONCE_CLEANED), max_size=6)
    special = st.sampled_from(SPECIALS)
    mixed = st.lists(special | punctuation | wide, min_size=1, max_size=4).map("".join)
    return special | wide | punctuation | empty | mixed


def squeeze(text: str) -> str:
    """Text without white space, to find a value however a writer wraps it."""
    return "".join(text.split())


def must_show(field_name: str, value: str) -> list[str]:
    """What a document showing this field must hold for `value`, as the rules clean it
    ([] for a field shown in other words, or empty once cleaned). Raises InputProblem when
    the rules refuse the value."""
    if field_name == "address":
        return list(address_lines(value))
    if field_name == "host_email":
        return [x for x in [parse_email(value)] if x]
    if field_name == "host_phone":
        return [x for x in [parse_phone(value)] if x]
    if field_name in TEXT_FIELDS:
        return [x for x in [clean(value, field_name)] if x]
    return []


TEXT_FIELDS = ("name", "address", "role", "school", "story", "venue", "host_name",
               "host_role", "host_email", "host_phone")
MARKERS = {"name": "Qxname Marker", "address": "Qxaddrone, Qxaddrtwo", "role": "Qxrole",
           "school": "Qxschool", "story": "Qxstory one.\n\nQxstory two.",
           "venue": "Qxvenue Hall", "host_name": "Qxhost Name", "host_role": "Qxhostrole",
           "host_email": "qxmail@example.org", "host_phone": "0191 498 0123"}

_SHOWN_AS_RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                           "\u2066-\u2069]")


@dataclass
class Verdict:
    """What a front end did with one value: made documents (their text by file name), or
    refused it (the words that said so); `problems` lists every break of the property."""

    made: dict[str, str] = field(default_factory=dict)
    refused: str = ""
    problems: list[str] = field(default_factory=list)

    def fail(self, why: str) -> None:
        self.problems.append(why)


def check_shown(verdict: Verdict, field_name: str, value: str, shown: dict[str, set[str]],
                loose: bool = False) -> None:
    """The documents made hold the cleaned value wherever the marker was shown."""
    try:
        wanted = must_show(field_name, value)
    except InputProblem as exc:
        verdict.fail(f"made documents from a value the rules refuse ({exc})")
        return
    formats = {Path(doc).suffix for doc in verdict.made}
    for doc in sorted(shown.get(field_name, set())):
        if doc not in verdict.made:
            if Path(doc).suffix in formats:
                verdict.fail(f"{doc} was not made")
            continue
        for part in wanted:
            if not contains(verdict.made[doc], part, loose or doc.endswith(".pdf")):
                verdict.fail(f"{doc} does not show {part!r}")


def contains(text: str, part: str, loose: bool) -> bool:
    """Whether `text` holds `part`, white space aside. Loose (text out of a PDF, where a
    renderer reorders right-to-left runs and has no glyph for some characters): every
    printable ASCII character of the part, in order, or, with right-to-left or bidi
    characters about, at least as often."""
    if not loose:
        return squeeze(part) in squeeze(text)
    ascii_part = "".join(c for c in squeeze(part) if " " < c < "\x7f")
    ascii_text = "".join(c for c in squeeze(text) if " " < c < "\x7f")
    if any(unicodedata.bidirectional(c) in ("R", "AL", "RLE", "RLO", "LRE", "LRO", "RLI",
                                            "LRI", "FSI", "PDF", "PDI") for c in part):
        return not Counter(ascii_part) - Counter(ascii_text)
    return ascii_part in ascii_text


def clean_output(verdict: Verdict, output: str) -> None:
    if "Traceback" in output:
        verdict.fail("a traceback")
    if "Error: unexpected" in output or "internal error" in output:
        verdict.fail("an unexpected error")
    if _SHOWN_AS_RAW.search(output):
        verdict.fail("a control or bidi character printed raw")


def docx_text(data: bytes | Path) -> str:
    """Every paragraph and table cell of a DOCX, as Word shows them."""
    from docx import Document

    doc = Document(io.BytesIO(data) if isinstance(data, bytes) else str(data))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def doc_key(path: Path) -> str:
    """A document by what it is: 'letter.txt' (whoever it is from), 'invitation.docx'."""
    return f"letter{path.suffix}" if path.name.startswith("letter-") else path.name


def texts_in(folder: Path, skip: str = "") -> dict[str, str]:
    """The text of every document under `folder` (but those whose name holds `skip`), by
    what it is (doc_key)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        name = doc_key(path)
        if skip and skip in path.name:
            continue
        if path.suffix == ".txt":
            out[name] = path.read_text(encoding="utf-8")
        elif path.suffix == ".docx":
            out[name] = docx_text(path)
        elif path.suffix == ".pptx":
            out[name] = pptx_text(path)
        elif path.suffix == ".pdf":
            out[name] = subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                       text=True, check=True).stdout
    return out


# -- the command line -------------------------------------------------------------------
CLI_FIELDS = {
    "letter": ("name", "address", "role", "school", "story", "postcode", "constituency",
               "council", "asks", "date", "format", "campaign"),
    "roundtable": ("postcode", "constituency", "date", "time", "venue", "host_name",
                   "host_role", "host_email", "host_phone", "asks", "format", "campaign"),
    "deck": ("postcode", "constituency", "council", "asks", "date", "format", "campaign"),
    "kit": ("region", "dated", "constituency"),
    "lookup": ("place",),
}
CLI_FORMATS = {"letter": "txt,docx", "roundtable": "docx", "deck": "pptx"}
SLOW_FORMATS = {"letter": "txt,docx,pdf", "roundtable": "docx,pdf", "deck": "pptx,pdf"}


@dataclass(frozen=True)
class CliCase:
    command: str  # letter, roundtable, deck, kit, lookup
    field: str
    value: str
    story_by: str = "stdin"  # a story from standard input, or from a file
    formats: str = ""


def cli_args(case: CliCase, work: Path, values: dict[str, str] | None = None):
    """The command line for a case (one field fuzzed, the others valid), and its stdin."""
    command, name, value = case.command, case.field, case.value
    if command == "lookup":  # '--' as a person would type it before a value like '-x'
        return ["lookup", "--", value], None
    if command == "kit":
        place = ["--constituency", value if name == "constituency" else "Aldershot"]
        if name == "region":
            place = ["--region", value]
        extra = ["--dated", value] if name == "dated" else []
        return ["kit", *place, *extra, "--jobs", "1", "--out", str(work / "out")], None
    seat = "Barrow and Furness" if name == "council" and command == "letter" else "Aldershot"
    args = [command]
    if name in ("postcode", "constituency"):
        args += [OPTIONS[name], value]
    elif name == "council" and command == "deck":
        args += ["--council", value]
    else:
        args += ["--constituency", seat]
    given = dict(values or {})
    if command == "letter":
        given.setdefault("name", "Jo Bloggs")
    if name not in ("postcode", "constituency", "council") or command == "letter":
        given[name] = value
    stdin = None
    if "story" in given:
        story = given.pop("story").encode("utf-8", "surrogatepass")
        if case.story_by == "file":
            (work / "story.txt").write_bytes(story)
            args += ["--story", str(work / "story.txt")]
        else:
            args += ["--story", "-"]
            stdin = story
    formats = given.pop("format", case.formats or CLI_FORMATS[command])
    for key, text in given.items():
        args += [OPTIONS[key], text]
    return [*args, "--format", formats, "--out", str(work / "out")], stdin


def run_cli(case: CliCase, work: Path, values: dict[str, str] | None = None) -> Verdict:
    from click.testing import CliRunner

    from campaign_kit.cli import cli

    args, stdin = cli_args(case, work, values)
    result = CliRunner().invoke(cli, args, input=stdin)
    verdict = Verdict()
    output = result.output
    clean_output(verdict, output)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        verdict.fail(f"raised {type(result.exception).__name__}: {result.exception}")
    errors = [line for line in output.splitlines() if line.startswith("Error")]
    if result.exit_code == 0:
        if errors:
            verdict.fail("an error line on success")
        verdict.made = texts_in(work / "out") if (work / "out").is_dir() else {}
        return verdict
    verdict.refused = errors[0] if errors else ""
    if case.command == "lookup" and result.exit_code == 2 and not errors \
            and "Candidate" in output:
        verdict.refused = output.splitlines()[0]  # a choice between places, listed
        return verdict
    if result.exit_code not in (1, 2) or len(errors) != 1:
        verdict.fail(f"exit {result.exit_code} with {len(errors)} error lines")
    named = "QUERY" if case.command == "lookup" else OPTIONS[case.field]
    if case.command == "lookup":
        if re.match(r"Error: --[a-z]", verdict.refused):
            verdict.fail("lookup's error names an option it does not have")
    elif named not in verdict.refused:
        verdict.fail(f"the error does not name {named}")
    return verdict


# -- a members' CSV and an events CSV ---------------------------------------------------
MEMBER_COLUMNS = ("name", "constituency", "postcode", "address", "role", "school", "story",
                  "asks", "council")
EVENT_COLUMNS = ("seat", "postcode", "date", "time", "venue", "host name", "host role",
                 "email", "phone", "asks")
EVENT_CELL = {"constituency": "seat", "host_name": "host name", "host_role": "host role",
              "host_email": "email", "host_phone": "phone"}
MEMBER_FIELDS = ("name", "address", "role", "school", "story", "postcode", "constituency",
                 "asks", "council")
EVENT_FIELDS = ("constituency", "postcode", "date", "time", "venue", "host_name",
                "host_role", "host_email", "host_phone", "asks")
CONTROL = {"name": "Control Member", "constituency": "Sheffield Central"}


def csv_bytes(header: tuple[str, ...], rows: list[dict[str, str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header])
    return buf.getvalue().encode("utf-8", "surrogatepass")


def errors_by_row(out: Path) -> dict[str, str]:
    path = out / "errors.csv"
    if not path.is_file():
        return {}
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    return {r.get("row", ""): r.get("reason", "") for r in rows}


def judge_batch(verdict: Verdict, result, out: Path) -> dict[str, str]:
    """A batch's run: exit 0 or 1, no traceback, no unexpected line; its errors.csv, where
    no row may have failed on an internal error (a bug, worded for the campaigns team)."""
    clean_output(verdict, result.output)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        verdict.fail(f"raised {type(result.exception).__name__}: {result.exception}")
    if result.exit_code not in (0, 1):
        verdict.fail(f"exit {result.exit_code}: {result.output[-300:]}")
    errors = errors_by_row(out)
    for row, reason in errors.items():
        if "internal error" in reason or "unexpected" in reason:
            verdict.fail(f"row {row} failed on a bug: {reason}")
    return errors


def names_the_column(verdict: Verdict, field_name: str) -> None:
    """A row refused for a value of a text field says which (the rules' refusals of text
    are about that one field: too long, too many lines)."""
    from campaign_kit.notes import label
    from campaign_kit.runs.csvwords import COLUMNS

    if field_name in TEXT_FIELDS and verdict.refused:
        named = (COLUMNS.get(field_name) or label(field_name)).removeprefix("the ")
        if named.lower() not in verdict.refused.lower():
            verdict.fail(f"the reason does not name the {named}: {verdict.refused}")


def member_row(field_name: str, value: str) -> dict[str, str]:
    """A member's row with one field given (a spreadsheet holds no lone surrogates)."""
    row = {"name": "Jo Bloggs", "constituency": "Barrow and Furness" if
           field_name == "council" else "Aldershot"}
    if field_name == "postcode":
        row["constituency"] = ""
    row[field_name] = as_saved(value)
    return row


def run_members(row: dict[str, str], work: Path) -> Verdict:
    """A member's row, and a good row after it that must be made."""
    from click.testing import CliRunner

    from campaign_kit.cli import cli

    (work / "members.csv").write_bytes(csv_bytes(MEMBER_COLUMNS, [row, CONTROL]))
    out = work / "out"
    result = CliRunner().invoke(cli, ["letters", str(work / "members.csv"), "--format",
                                      "txt,docx", "--jobs", "1", "--out", str(out)])
    verdict = Verdict()
    errors = judge_batch(verdict, result, out)
    made = texts_in(out, skip="control-member") if out.is_dir() else {}
    if len(list(out.glob("*control-member*"))) != 2:
        verdict.fail("the good row after it was not made")
    if "3" in errors:
        verdict.fail(f"the good row failed: {errors['3']}")
    if "2" in errors:
        verdict.refused = errors["2"]
        if not verdict.refused.strip():
            verdict.fail("errors.csv gives no reason")
    else:
        verdict.made = made
        if not verdict.made:
            verdict.fail("neither a letter nor an errors.csv row")
    return verdict


def event_row(values: dict[str, str]) -> dict[str, str]:
    """An events CSV row for Aldershot (organiser given) with these fields given."""
    row = {"seat": "Aldershot", "host name": "Sam Patel", "email": "sam@example.org"}
    if "postcode" in values:
        row["seat"] = ""
    for name, value in values.items():
        row[EVENT_CELL.get(name, name)] = as_saved(value)
    return row


def run_events(row: dict[str, str], work: Path) -> Verdict:
    """One seat's event row, through `kit --events`."""
    from click.testing import CliRunner

    from campaign_kit.cli import cli

    (work / "events.csv").write_bytes(csv_bytes(EVENT_COLUMNS, [row]))
    out = work / "out"
    result = CliRunner().invoke(cli, ["kit", "--events", str(work / "events.csv"), "--jobs",
                                      "1", "--out", str(out)])
    verdict = Verdict()
    errors = judge_batch(verdict, result, out)
    if "2" in errors:
        verdict.refused = errors["2"]
        if not verdict.refused.strip():
            verdict.fail("errors.csv gives no reason")
        return verdict
    if result.exit_code != 0:
        verdict.fail(f"exit {result.exit_code} with no errors.csv row: {result.output[-300:]}")
    verdict.made = texts_in(out) if out.is_dir() else {}
    if "invitation.docx" not in verdict.made or not list(out.rglob("deck-*.pptx")):
        verdict.fail("no pack or no deck was made")
    return verdict


# -- the web app ------------------------------------------------------------------------
ALDERSHOT, BARROW = "E14001063", "E14001076"
WEB_FIELDS = {
    "letter": ("place", "name", "address", "role", "school", "story", "asks", "council",
               "format"),
    "roundtable": ("place", "date", "time", "venue", "host_name", "host_role", "host_email",
                   "host_phone", "asks"),
    "deck": ("place", "council", "asks", "format"),
}
FORM_FIELD = {"place": "q", "asks": "ask"}
LETTER_FORM = {"seat": ALDERSHOT, "name": "Jo Bloggs", "address": "", "role": "",
               "school": "", "story": "", "ask": "fair-funding"}
PACK_FORM = {"seat": ALDERSHOT, "date": "", "time": "", "venue": "", "host_name": "Sam Patel",
             "host_role": "", "host_email": "sam@example.org", "host_phone": "",
             "ask": "fair-funding"}
DECK_FORM = {"scope": "seat", "seat": ALDERSHOT, "council": "", "format": "pptx",
             "ask": "fair-funding"}
_COPY_BOX = re.compile(r'<textarea id="letter-text"[^>]*>([^<]*)</textarea>')
_FRAME = re.compile(r'srcdoc="([^"]*)"')
_TAG = re.compile(r"<[^>]*>")


def as_saved(value: str) -> str:
    """A value as a spreadsheet saves it: what is not a character (a lone surrogate) as
    U+FFFD."""
    return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def as_sent(value: str) -> str:
    """What the web app reads of a value sent as these bytes: Werkzeug keeps bytes that are
    not UTF-8 (a lone surrogate, here) as their %XX escapes."""
    import werkzeug.urls  # noqa: F401  (registers its decoding error handler)

    body = urllib.parse.urlencode([("v", value.encode("utf-8", "surrogatepass"))])
    return urllib.parse.parse_qsl(body, keep_blank_values=True,
                                  errors="werkzeug.url_quote")[0][1]


def form_body(form: dict[str, str | list[str]]) -> str:
    pairs = []
    for key, value in form.items():
        for one in value if isinstance(value, list) else [value]:
            pairs.append((key, one.encode("utf-8", "surrogatepass")))
    return urllib.parse.urlencode(pairs)


class Web:
    """One visitor of the app in Flask's test client: its cookie and the form token of the
    pages it was given."""

    def __init__(self, app):
        self.client = app.test_client()
        self.token = token_in(self.client.get("/").get_data(as_text=True))

    def post(self, path: str, form: dict):
        response = self.client.post(path, data=form_body({"token": self.token, **form}),
                                    content_type="application/x-www-form-urlencoded")
        if response.mimetype == "text/html":
            self.token = token_in(response.get_data(as_text=True)) or self.token
        return response


def token_in(page: str) -> str:
    found = re.search(r'name="token" value="([0-9a-f]{64})"', page)
    return found.group(1) if found else ""


def page_text(markup: str) -> str:
    return html.unescape(_TAG.sub(" ", markup))


def judge_page(verdict: Verdict, response, form_field: str) -> bool:
    """No 5xx, no traceback; a 422 shows its error beside the field. True when the page
    went on (not refused)."""
    body = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
    if response.status_code >= 500:
        verdict.fail(f"HTTP {response.status_code}")
    if "Traceback" in body:
        verdict.fail("a traceback in the page")
    if response.status_code == 422:
        verdict.refused = form_field
        if f'id="f-{form_field}-error"' not in body:
            found = re.findall(r'id="f-([a-z_]+)-error"', body)
            verdict.fail(f"refused with the error beside {found}, not {form_field}")
        return False
    if response.status_code == 400 and form_field in ("format", "council"):
        verdict.refused = form_field  # a choice only a tampered form can send
        return False
    if response.status_code != 200:
        verdict.fail(f"HTTP {response.status_code}")
        return False
    return True


def run_web(web: Web, kind: str, field_name: str, value: str) -> Verdict:
    """One field of a kind's form given `value`, the others valid."""
    return run_web_values(web, kind, {field_name: value})


def run_web_values(web: Web, kind: str, values: dict[str, str]) -> Verdict:
    """A kind's form with these fields given (the first one judged when refused)."""
    verdict = Verdict()
    field_name = next(iter(values))
    given = {FORM_FIELD.get(k, k): v for k, v in values.items()}
    name = FORM_FIELD.get(field_name, field_name)
    if field_name == "place":
        path = {"letter": "/letter/place", "roundtable": "/pack/place",
                "deck": "/deck/place"}[kind]
        judge_page(verdict, web.post(path, {"q": values["place"]}), "q")
        return verdict
    if kind == "letter":
        form = {**LETTER_FORM, **given}
        if field_name == "council":
            form["seat"] = BARROW
        if field_name == "format":
            response = web.post("/letter/download", form)
            if judge_page(verdict, response, "format") and response.mimetype == "text/html":
                verdict.fail("a page, not a file")
            return verdict
        response = web.post("/letter/preview", form)
        if judge_page(verdict, response, name):
            page = response.get_data(as_text=True)
            verdict.made["email"] = html.unescape(_COPY_BOX.search(page).group(1))
            verdict.made["preview"] = page_text(html.unescape(_FRAME.search(page).group(1)))
            text = web.post("/letter/download", {**form, "format": "txt"})
            if judge_page(verdict, text, "format"):
                verdict.made["txt"] = text.get_data(as_text=True)
        return verdict
    if kind == "roundtable":
        return pack(web, verdict, {**PACK_FORM, **given}, name)
    form = {**DECK_FORM, **given}
    if field_name == "council":
        form.update(scope="council", seat="")
    response = web.post("/deck/download", form)
    if judge_page(verdict, response, name) and response.mimetype == "text/html":
        verdict.fail("a page, not a deck")
    return verdict


def pack(web: Web, verdict: Verdict, form: dict, name: str) -> Verdict:
    """The pack form; a page of warnings is confirmed, as the official would."""
    response = web.post("/pack/download", form)
    if judge_page(verdict, response, name) and response.mimetype == "text/html":
        key = re.search(r'name="confirmed" value="([^"]*)"', response.get_data(as_text=True))
        if not key:
            verdict.fail("a page with neither the pack nor a warning to confirm")
            return verdict
        response = web.post("/pack/download", {**form, "confirmed": html.unescape(key[1])})
        if not judge_page(verdict, response, name) or response.mimetype == "text/html":
            verdict.fail("confirmed, and still no pack")
            return verdict
    if response.status_code == 200 and response.mimetype != "text/html":
        with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
            for entry in archive.namelist():
                if entry.endswith(".docx"):
                    path = Path(entry)
                    verdict.made[path.name] = docx_text(archive.read(entry))
    return verdict


def web_value(field_name: str, value: str) -> str:
    """A value as the web's forms read it: what a browser sends, its line ends and its
    outer white space as `forms.typed` takes them."""
    sent = as_sent(value)
    return sent.replace("\r\n", "\n").replace("\r", "\n").strip()


def covered() -> set[str]:
    """Every field some front end here fuzzes."""
    names = {f for fields in (*CLI_FIELDS.values(), *WEB_FIELDS.values()) for f in fields}
    return names | set(MEMBER_FIELDS) | set(EVENT_FIELDS)


assert covered() == set(FIELDS), sorted(set(FIELDS) ^ covered())
