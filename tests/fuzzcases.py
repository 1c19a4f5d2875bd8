"""Fuzz cases over every input surface of the CLI, shared by the test suite (a few hundred
cases, tests/test_fuzz.py) and the long run by hand (bench/fuzz_cli.py, 10,000+).

A case is a command line plus the files it reads (a members' CSV, a story, template and
content overrides, an output folder holding a symbolic link out of it). `run_case` runs it
in-process through Click and judges it:
- "ok" (exit 0) or "error" (exit 1 or 2 with exactly one line starting 'Error', no
  'unexpected', no traceback, no raw control characters);
- "unexpected": anything else (the CLI's catch-all said 'unexpected ...', a traceback, two
  error lines, an escape sequence on the terminal);
- files written outside --out (and outside the inputs) are counted separately, as are good
  rows of a batch (rows made from real seats and plain names) that were not written.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
SEATS = ("Aldershot", "Sheffield Central", "Ynys Môn", "Bermondsey and Old Southwark",
         "E14001063", "Glasgow North", "Belfast South and Mid Down")
COUNCILS = ("Hampshire", "Sheffield", "Isle of Anglesey", "Southwark", "Kent", "Camden")
POSTCODES = ("SE1 9ZZ", "se19zz", "GU14 6AA", "ZZ99 9ZZ", "NOT A POSTCODE")
ASK_IDS = ("long-term-funding", "timely-plans", "free-money", "")

NASTY = (
    "", " ", ":::", "::: sender", "::: signature", "../../etc/passwd", "/root/.ssh/id",
    "CON", "nul", '=HYPERLINK("http://x","y")', "+1", "@SUM(A1)", "-2", "\x00", "\x07",
    "\x1b[2J\x1b[31m", "\r\n", "\r", "\n\n\n", "\t", "\u2028", "\u202e", "\ufeff", "\ufffe",
    "😀🎉👩🏽‍🏫", "שלום עולם", "مرحبا", "李伟", "Иван Петров", "Siân Ó Briain", "**bold**",
    "<script>alert(1)</script>", "![x](file:///etc/passwd)", "[link](javascript:x)",
    "{{ 7*7 }}", "{% raw %}", "%s%n%x", "a#b?c%20d", "\udce9", "\ud800", "a" * 300,
    "line\n" * 20, "x" * 6000, "1 High St, Farnborough, GU14 6AA", "headteacher", "SENCO",
    "2027-02-10", "0001-01-01", "9999-12-31", "2026-02-30", "16:00", "25:61", "Aldershot",
)


def nasty_text(max_size: int = 80):
    plain = st.text(max_size=max_size)
    wide = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF),
                   max_size=max_size)
    mixed = st.lists(st.sampled_from(NASTY) | plain, min_size=1, max_size=4).map("".join)
    return st.sampled_from(NASTY) | plain | wide | mixed


maybe = lambda s: st.none() | s  # noqa: E731


@dataclass
class Case:
    surface: str
    args: list[str]
    stdin: str | None = None
    files: dict[str, bytes] = field(default_factory=dict)  # relative to the case's in/
    symlink_out: str = ""  # a folder inside --out made a link to ../elsewhere
    good_rows: list[int] = field(default_factory=list)  # CSV rows that must be written


def _place_args(draw) -> list[str]:
    kind = draw(st.sampled_from(["constituency", "constituency", "postcode", "nasty"]))
    if kind == "constituency":
        return ["--constituency", draw(st.sampled_from(SEATS))]
    if kind == "postcode":
        return ["--postcode", draw(st.sampled_from(POSTCODES))]
    return [draw(st.sampled_from(["--constituency", "--postcode"])), draw(nasty_text(40))]


def _options(draw, names: list[str]) -> list[str]:
    args = []
    for name in names:
        value = draw(maybe(nasty_text()))
        if value is not None:
            args += [name, value]
    return args


@st.composite
def letter_case(draw) -> Case:
    args = ["letter", *_place_args(draw),
            *_options(draw, ["--name", "--address", "--role", "--school", "--asks", "--date"])]
    if "--name" not in args and draw(st.integers(0, 4)) > 0:
        args += ["--name", draw(st.sampled_from(["Jo Bloggs", "Siân Ó Briain", "李伟"]))]
    case = Case("letter", args)
    story = draw(maybe(nasty_text(200)))
    if story is not None:
        if draw(st.booleans()):
            case.args += ["--story", "-"]
            case.stdin = story
        else:
            case.files["story #1?.txt"] = story.encode("utf-8", "surrogatepass")
            case.args += ["--story", "{in}/story #1?.txt"]
    case.args += ["--format", draw(st.sampled_from(["txt", "txt", "docx", "pdf", "pdf,docx,txt",
                                                     "odt", ""]))]
    return case


@st.composite
def roundtable_case(draw) -> Case:
    args = ["roundtable", *_place_args(draw),
            *_options(draw, ["--date", "--time", "--venue", "--host-name", "--host-role",
                             "--asks"]), "--format", "docx"]
    case = Case("roundtable", args)
    if draw(st.integers(0, 9)) == 0:
        case.symlink_out = "roundtable-aldershot"
    return case


@st.composite
def deck_case(draw) -> Case:
    which = draw(st.sampled_from(["council", "constituency", "nasty"]))
    if which == "council":
        place = ["--council", draw(st.sampled_from(COUNCILS))]
    elif which == "constituency":
        place = ["--constituency", draw(st.sampled_from(SEATS))]
    else:
        place = [draw(st.sampled_from(["--council", "--postcode", "--constituency"])),
                 draw(nasty_text(40))]
    return Case("deck", ["deck", *place, *_options(draw, ["--asks", "--date"]),
                         "--format", "pptx"])


CSV_HEADERS = (["Name", "Constituency", "Story"], ["name", "post code", "Address", "Role"],
               ["Full Name", "Seat", "School", "Asks"], ["NAME", "PCD", "Your Story"])


@st.composite
def letters_case(draw) -> Case:
    from campaign_kit.runs import letters
    from campaign_kit.runs.csvread import column_field

    header = list(draw(st.sampled_from(CSV_HEADERS)))
    if draw(st.integers(0, 9)) == 0:
        header = draw(st.lists(nasty_text(20), min_size=1, max_size=4))
    rows, good = [], []
    count = draw(st.integers(1, 6))
    known = header in [list(h) for h in CSV_HEADERS]
    for n in range(count):
        if known and draw(st.booleans()):  # a good row: a plain name and a real seat
            values = {"name": f"Member {n} Name", "postcode": "SE1 9ZZ",
                      "constituency": draw(st.sampled_from(SEATS[:4]))}
            row = [values.get(column_field(h, letters.COLUMNS), "") for h in header]
            good.append(n + 2)
        else:
            row = draw(st.lists(nasty_text(60), min_size=0, max_size=len(header) + 1))
        rows.append(row)
    buf = io.StringIO()
    delimiter = draw(st.sampled_from([",", ",", ";", "\t"]))
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=draw(
        st.sampled_from(["\r\n", "\n"])))
    writer.writerow(header)
    writer.writerows(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-8"]))
    raw = buf.getvalue().encode(encoding, "replace") if encoding != "utf-8" else \
        buf.getvalue().encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 9)) == 0:  # a stray Windows-1252 row or binary junk
        raw += draw(st.sampled_from(["Renée,Aldershot\r\n".encode("cp1252"),
                                     b"\x81\x8d\xff,\x00\r\n", b"PK\x03\x04junk"]))
    case = Case("letters", ["letters", "{in}/members #1.csv", "--format", "txt", "--jobs", "1",
                            "--date", "2026-11-24"], files={"members #1.csv": raw},
                good_rows=good)
    if draw(st.integers(0, 4)) == 0:
        case.args += ["--print-pdf", draw(st.sampled_from(
            ["{out}/.campaign-kit-manifest.json", "{in}/members #1.csv", "{out}/print.pdf",
             "print.pdf", "{out}/letter-aldershot-member-0-name.txt"]))]
        case.args[case.args.index("txt")] = "pdf"
    return case


SNIPPETS = (
    "{{ member.name }}", "{{ member.story|paragraphs }}", "{{ seat.name }}", "# {{ title }}",
    "{% set title = 'Letter' %}", "{% for a in asks %}- {{ a.title }}\n{% endfor %}",
    "::: signature\nYours\n{{ member.name }}", "::: chart nope", "::: writein x",
    "::: unknown", "{{ undefined_thing }}", "{{ 1/0 }}", "{{ 'a' * 10000000 }}",
    "{% for i in range(100000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}",
    "{{ '%999999d' % 1 }}", "{% include 'letter/letter.md.j2' %}", "{{ ''.__class__ }}",
    "{{ range(10)|list }}", "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    "| a | b |\n|---|---|\n| 1 | 2 |", "{% if %}", "{{ member.story }}", "{{ none }}",
    "{{ [1,2]|sum(start=[]) }}", "{{ 'x'|center(99999999) }}", "{{ lipsum(5) }}",
    "{% extends 'letter/letter.md.j2' %}", "\x00\x01", "{{ 'ünïcödé 😀' }}",
)


@st.composite
def template_case(draw) -> Case:
    parts = draw(st.lists(st.sampled_from(SNIPPETS) | nasty_text(40), min_size=1, max_size=6))
    source = "\n\n".join(parts)
    case = Case("templates", ["letter", "--constituency", "Aldershot", "--name", "Jo",
                              "--story", "-", "--templates", "{in}/tpl", "--format",
                              draw(st.sampled_from(["txt", "txt", "docx", "pdf"]))],
                stdin=draw(nasty_text(100)))
    case.files["tpl/letter/letter.md.j2"] = source.encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 5)) == 0:
        case.files["tpl/styles/print.css"] = draw(st.sampled_from(
            [b"body { color: red }", b"@import url(file:///etc/passwd);", b"\x89PNG\x00\xff",
             b"@font-face { src: url(/etc/passwd) }"]))
    if draw(st.integers(0, 9)) == 0:
        case.files["tpl/reference.docx"] = b"not a zip"
    return case


YAML_SNIPPETS = (
    "a: [1, 2\n", "- just\n- a list\n", "key: value\n", "&a [*a]\n", "!!python/object:os.system\n",
    "'unterminated\n", "date: 2025-13-45\n", "\t- tab\n", "? [a]\n: b\n", "x: *undefined\n",
    "- id: new\n  title: T\n  case: C\n  letter: L\n  mp_action: M\n", "null\n", "42\n",
)


@st.composite
def content_case(draw) -> Case:
    name = draw(st.sampled_from(["campaign.yaml", "asks.yaml", "phrasing.yaml"]))
    original = (ROOT / "content" / "send" / name).read_text(encoding="utf-8").splitlines(True)
    how = draw(st.sampled_from(["drop", "insert", "replace", "truncate"]))
    lines = list(original)
    if how == "drop" and lines:
        del lines[draw(st.integers(0, len(lines) - 1))]
    elif how == "insert":
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(YAML_SNIPPETS)
                                                             | nasty_text(40)))
    elif how == "replace":
        lines = [draw(st.sampled_from(YAML_SNIPPETS) | nasty_text(80))]
    else:
        lines = lines[:draw(st.integers(0, len(lines)))]
    text = "".join(lines)
    return Case("content", ["letter", "--constituency", "Aldershot", "--name", "Jo",
                            "--content", "{in}/content", "--format", "txt"],
                files={f"content/{name}": text.encode("utf-8", "surrogatepass")})


SURFACES = {"letter": letter_case, "roundtable": roundtable_case, "deck": deck_case,
            "letters": letters_case, "templates": template_case, "content": content_case}
any_case = st.one_of(*(s() for s in SURFACES.values()))


# -- running and judging a case ---------------------------------------------------------------
@dataclass
class Outcome:
    kind: str  # ok, error, unexpected
    outside: list[str]
    missing_rows: list[int]
    output: str
    exit_code: int
    origin: str = ""  # for an unexpected error: the campaign_kit module that raised it
    good_rows: int = 0  # good rows of a batch that were checked (all must be written)


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()
            or p.is_symlink()}


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def run_case(case: Case, work: Path) -> Outcome:
    from click.testing import CliRunner

    from campaign_kit.cli import cli
    from campaign_kit.runs.records import MANIFEST, load_manifest

    shutil.rmtree(work, ignore_errors=True)
    inputs, out, elsewhere = work / "in", work / "out", work / "elsewhere"
    for folder in (inputs, out, elsewhere):
        folder.mkdir(parents=True)
    for name, data in case.files.items():
        (inputs / name).parent.mkdir(parents=True, exist_ok=True)
        (inputs / name).write_bytes(data)
    if case.symlink_out:
        (out / case.symlink_out).symlink_to(elsewhere)
    args = [a.replace("{in}", str(inputs)).replace("{out}", str(out)) for a in case.args]
    args += ["--out", str(out)]
    before = _files(work)
    cwd = os.getcwd()
    os.chdir(work)
    try:
        result = CliRunner().invoke(cli, args, input=_stdin(case.stdin))
    finally:
        os.chdir(cwd)
    output = result.output
    after = _files(work)
    allowed = ("out/", "in/")
    if "--print-pdf" in args:  # the print file goes where the user asked, inside or not
        target = Path(args[args.index("--print-pdf") + 1])
        allowed += (str((work / target).resolve().relative_to(work.resolve()))
                    if (work / target).resolve().is_relative_to(work.resolve()) else "/",)
    outside = sorted(p for p in after - before if not p.startswith(allowed))
    error_lines = [ln for ln in output.splitlines() if ln.startswith("Error")]
    clean = (result.exception is None or isinstance(result.exception, SystemExit)) \
        and result.exit_code in (0, 1, 2, 3, 4, 130) and "Error: unexpected" not in output \
        and "Traceback" not in output and not _CONTROL.search(output) \
        and len(error_lines) <= 1
    if result.exit_code == 0 and error_lines:
        clean = False
    if result.exit_code not in (0, 130) and not error_lines and case.surface != "letters":
        clean = False  # a failed command says why, in one line
    missing, checked = [], 0
    if case.good_rows and result.exit_code in (0, 1) and not error_lines:
        checked = len(case.good_rows)
        manifest = load_manifest(out / MANIFEST)
        written = {Path(p).name for entry in manifest.values() for p in entry["paths"]
                   if Path(p).is_file()}
        for row in case.good_rows:  # found by name: a bare CR in a bad row moves rows down
            if not any(f"-member-{row - 2}-name" in name for name in written):
                missing.append(row)
        if missing and (out / "errors.csv").exists():
            output += "\nerrors.csv:\n" + (out / "errors.csv").read_text("utf-8-sig")
    kind = "unexpected" if not clean else ("ok" if result.exit_code == 0 else "error")
    origin = ""
    if kind == "unexpected" and "Error: unexpected" in output:
        origin = _origin(cli, ["--debug", *args], case.stdin, work)
    return Outcome(kind, outside, missing, output, result.exit_code, origin, checked)


def _stdin(text: str | None) -> bytes | None:
    """What a pipe would carry: bytes (a lone surrogate as the bytes Python would write)."""
    return None if text is None else text.encode("utf-8", "surrogatepass")


def _origin(cli, args: list[str], stdin: str | None, work: Path) -> str:
    """Where an unexpected error was raised: the innermost campaign_kit module, by rerunning
    the command with --debug (which lets the exception through with its traceback)."""
    from click.testing import CliRunner

    cwd = os.getcwd()
    os.chdir(work)
    try:
        result = CliRunner().invoke(cli, args, input=_stdin(stdin))
    finally:
        os.chdir(cwd)
    tb, where = getattr(result.exception, "__traceback__", None), "?"
    while tb is not None:
        code = tb.tb_frame.f_code
        if "/campaign_kit/" in code.co_filename:
            where = f"{code.co_filename.split('/campaign_kit/', 1)[1]}:{code.co_name}"
        tb = tb.tb_next
    return where
