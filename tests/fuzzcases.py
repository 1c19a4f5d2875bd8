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
import stat
import struct
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
# A loopback server that counts every request (bench/fuzz_cli.py starts one): its URL is in
# every field, story, template and content file, and documents must never fetch it.
CANARY = os.environ.get("CAMPAIGN_KIT_FUZZ_CANARY", "http://127.0.0.1:9/canary")
CANARY_FORMS = (CANARY, f'<img src="{CANARY}/img">', f"![x]({CANARY}/md.png)",
                f"[a link]({CANARY}/link)", f"url({CANARY}/css)", f"@import url({CANARY}/i);",
                f'<link rel="stylesheet" href="{CANARY}/s.css">', f"<iframe src={CANARY}/f>",
                f'<object data="{CANARY}/o"></object>', f"<{CANARY}/autolink>")
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
    "\u200b", "\u061c", "\u200f", "\u0301", "[", "(", '"', "\u201c", "*", "_",
) + CANARY_FORMS


def nasty_text(max_size: int = 80):
    plain = st.text(max_size=max_size)
    wide = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF),
                   max_size=max_size)
    mixed = st.lists(st.sampled_from(NASTY) | plain, min_size=1, max_size=4).map("".join)
    with_canary = st.tuples(plain | wide, st.sampled_from(CANARY_FORMS)).map(" ".join)
    return st.sampled_from(NASTY) | plain | wide | mixed | with_canary


def with_canary(text: str, draw) -> str:
    """A story, template or content text with the canary's URL in it somewhere."""
    return f"{text}\n\n{draw(st.sampled_from(CANARY_FORMS))}"


maybe = lambda s: st.none() | s  # noqa: E731


@dataclass
class Case:
    surface: str
    args: list[str]
    stdin: str | None = None
    files: dict[str, bytes] = field(default_factory=dict)  # relative to the case's in/
    symlink_out: str = ""  # a folder inside --out made a link to ../elsewhere
    good_rows: list[int] = field(default_factory=list)  # CSV rows that must be written
    must_refuse: bool = False  # e.g. a zip whose entry escapes its folder: exit 0 is a bug
    report: bool = False  # `check`: a failure is its report (many lines), not one Error line
    env: dict[str, str] = field(default_factory=dict)  # environment ({in} is the inputs)


def _place_args(draw) -> list[str]:
    kind = draw(st.sampled_from(["constituency", "constituency", "postcode", "nasty"]))
    if kind == "constituency":
        return ["--constituency", draw(st.sampled_from(SEATS))]
    if kind == "postcode":
        return ["--postcode", draw(st.sampled_from(POSTCODES))]
    return [draw(st.sampled_from(["--constituency", "--postcode"])), draw(nasty_text(40))]


VALID = {"--name": ("Jo Bloggs", "Siân Ó Briain", "李伟"), "--address": ("1 High St, GU11 1AA",),
         "--role": ("headteacher", "SENCO"), "--school": ("Hill Primary School",),
         "--asks": ("fair-funding", "fair-funding,cancel-deficits"),
         "--date": ("2027-02-10", "10/02/2027"), "--time": ("16:00",),
         "--venue": ("Hill School, Farnborough",), "--host-name": ("Sam Patel",),
         "--host-role": ("regional official",), "--host-email": ("sam@example.org",),
         "--host-phone": ("0191 498 0123", "+44 191 498 0123")}


def _options(draw, names: list[str]) -> list[str]:
    """Each option left out, valid, or hostile (hostile in about a third of them, so that a
    case with several options still often gets through to its documents)."""
    args = []
    for name in names:
        how = draw(st.integers(0, 5))
        if how in (2, 3) and name in VALID:
            args += [name, draw(st.sampled_from(VALID[name]))]
        elif how >= 4:
            args += [name, draw(nasty_text())]
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
        story = with_canary(story, draw)
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
                             "--host-email", "--host-phone", "--asks"]), "--format", "docx"]
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
    f"![chart]({CANARY}/img.png)", f'<img src="{CANARY}/raw.png">', f"{{{{ '{CANARY}' }}}}",
    f'::: chart {CANARY}/x', f"[link]({CANARY}/l)",
)


@st.composite
def template_case(draw) -> Case:
    parts = draw(st.lists(st.sampled_from(SNIPPETS) | nasty_text(40), min_size=1, max_size=6))
    source = with_canary("\n\n".join(parts), draw)
    case = Case("templates", ["letter", "--constituency", "Aldershot", "--name", "Jo",
                              "--story", "-", "--templates", "{in}/tpl", "--format",
                              draw(st.sampled_from(["txt", "docx", "pdf", "pdf"]))],
                stdin=draw(nasty_text(100)))
    case.files["tpl/letter/letter.md.j2"] = source.encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 2)) == 0:  # a stylesheet: what a PDF would fetch, if anything
        case.files["tpl/styles/print.css"] = draw(st.sampled_from(
            [b"body { color: red }", b"@import url(file:///etc/passwd);", b"\x89PNG\x00\xff",
             b"@font-face { src: url(/etc/passwd) }",
             f"@import url({CANARY}/print.css); body {{ background: url({CANARY}/bg) }}"
             f"@font-face {{ font-family: X; src: url({CANARY}/font.woff) }}".encode(),
             f"p::after {{ content: url('{CANARY}/after.png') }} img {{ list-style: "
             f"url({CANARY}/li.png) }}".encode(),
             f"@import '{CANARY.replace('http:', '')}/scheme-relative.css';".encode()]))
    if draw(st.integers(0, 9)) == 0:
        case.files["tpl/reference.docx"] = b"not a zip"
    return case


YAML_SNIPPETS = (
    "a: [1, 2\n", "- just\n- a list\n", "key: value\n", "&a [*a]\n", "!!python/object:os.system\n",
    "'unterminated\n", "date: 2025-13-45\n", "\t- tab\n", "? [a]\n: b\n", "x: *undefined\n",
    "- id: new\n  title: T\n  case: C\n  letter: L\n  mp_action: M\n", "null\n", "42\n",
    f"logo: {CANARY}/logo.png\n", f"name: '![x]({CANARY}/n.png)'\n",
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
    text = "".join(lines) + f"# {CANARY}/comment\n"
    return Case("content", ["letter", "--constituency", "Aldershot", "--name", "Jo",
                            "--content", "{in}/content", "--format", "txt"],
                files={f"content/{name}": text.encode("utf-8", "surrogatepass")})


# -- data files and zips given to `data update` ---------------------------------------------
ESCAPES = ("../escaped.csv", "../../escaped.csv", "/tmp/escaped.csv", "a/../../escaped.csv",
           "..\\escaped.csv", "C:/escaped.csv", "C:\\escaped.csv", "a/b/../../../escaped.csv")
CELLS = ("2024", "202324", "2023/24", "Local authority", "National", "Regional", "850", "Total",
         "Hampshire", "x", "c", "z", "", "-1", "0", "1e309", "NaN", "inf", "12,345", "99.5",
         "E10000014", "1" * 400)


def shaped_csv(draw, shape=None) -> tuple[bytes, str]:
    """A CSV the kit recognises by its columns (a release's own, or near it), with rows of
    plausible and hostile cells; (bytes, a file name)."""
    from campaign_kit.localdata.recognise import SHAPES

    shapes = [s for s in SHAPES if s.columns]
    shape = shape or draw(st.sampled_from(shapes))
    header = list(shape.columns)
    if draw(st.integers(0, 4)) == 0:
        header.insert(draw(st.integers(0, len(header))), draw(nasty_text(12)))
    rows = draw(st.lists(st.lists(st.sampled_from(CELLS) | nasty_text(20),
                                  min_size=len(header) - 1, max_size=len(header) + 1),
                         max_size=25))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-8"]))
    return buf.getvalue().encode(encoding, "replace") if encoding == "cp1252" else \
        buf.getvalue().encode(encoding, "surrogatepass"), f"{shape.part}.csv"


def zip_of(entries: list[tuple[zipfile.ZipInfo | str, bytes]], method=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as archive:
        for info, data in entries:
            archive.writestr(info, data)
    return buf.getvalue()


def link_entry(name: str, target: str) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name)
    info.create_system = 3  # Unix: its mode holds the file type
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target.encode()


def patched_size(data: bytes, size: int) -> bytes:
    """A zip whose headers claim another expanded size for its first entry (a header that
    lies)."""
    out = bytearray(data)
    central = out.rfind(b"PK\x01\x02")
    struct.pack_into("<I", out, central + 24, size)
    struct.pack_into("<I", out, 22, size)
    return bytes(out)


def damaged(draw, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(out) - 1))
        out[at] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        out = out[:draw(st.integers(0, len(out)))]
    return bytes(out)


@st.composite
def data_case(draw) -> Case:
    """Files for `data update` (with CAMPAIGN_KIT_HOME a folder of the case's own): shaped
    CSVs, arbitrary bytes, and zips that escape their folder, hold links, expand without
    bound or are damaged. A zip that must be refused must be refused, in one line, with
    nothing changed."""
    kind = draw(st.sampled_from(["csv", "csv", "sen2", "bytes", "escape", "link", "bomb",
                                 "lie", "many", "damaged", "damaged", "mixed", "real", "real",
                                 "real"]))
    csv_data, name = shaped_csv(draw)
    if kind == "real" and (SHARED_DATA / REAL_FILES[0]).is_file():
        return real_data_case(draw)
    files, refuse = {}, kind in ("escape", "link", "bomb", "lie", "many")
    if kind == "csv":
        files[draw(st.sampled_from([name, "download.csv", "x.txt"]))] = csv_data
    elif kind == "sen2":
        from campaign_kit.localdata.recognise import SHAPE

        for part in ("caseload", "requests", "timeliness"):
            data, part_name = shaped_csv(draw, SHAPE[("sen2", part)])
            files[part_name] = data
    elif kind == "bytes":
        files[draw(st.sampled_from(["a.csv", "a.zip"]))] = draw(st.binary(max_size=3000))
    elif kind == "escape":
        files["release.zip"] = zip_of([(draw(st.sampled_from(ESCAPES)), csv_data)])
    elif kind == "link":
        files["release.zip"] = zip_of([link_entry(name, draw(st.sampled_from(
            ["/etc/passwd", "../../outside", CANARY])))])
    elif kind == "bomb":  # zeros compress a thousandfold
        zeros = b"\0" * (draw(st.integers(2, 4)) << 20)
        files["release.zip"] = zip_of([(name, csv_data + zeros)])
    elif kind == "lie":  # a header claiming more than the limit
        files["release.zip"] = patched_size(zip_of([(name, csv_data)]), (1 << 30) + 1)
    elif kind == "many":
        files["release.zip"] = zip_of([(f"f{n}.txt", b"") for n in range(5001)],
                                      zipfile.ZIP_STORED)
    elif kind == "damaged":
        files["release.zip"] = damaged(draw, zip_of([(f"data/{name}", csv_data)]))
    else:
        entries = [(f"data/{name}", csv_data), ("data/", b""), ("readme.txt", b"hello"),
                   ("nested.zip", zip_of([(name, csv_data)])), (f"{CANARY}.csv", csv_data)]
        files["release.zip"] = zip_of(draw(st.permutations(entries)))
    args = ["data", "update", *[f"{{in}}/{n}" for n in files]]
    if draw(st.integers(0, 3)):
        args.append("--dry-run")
    return Case("data", args, files=files, must_refuse=refuse)


SHARED_DATA = Path(os.environ.get("CAMPAIGN_KIT_SHARED", ROOT.parent / "shared")) / "data"
REAL_FILES = ("dsg_2023-24_high_needs_block.csv", "dsg_2023-24_allocations_summary.csv",
              "dsg_deficit_derived.csv", "sen2_2025_SEND_Tribunals_and_appeal_rate_2014-2024.csv")


def real_data_case(draw) -> Case:
    """A publisher's real file (as `data build` reads it), with a few cells changed or
    not, given as it is or in a zip: updates that go through, and the anomaly guard."""
    name = draw(st.sampled_from(REAL_FILES))
    rows = list(csv.reader(io.StringIO((SHARED_DATA / name).read_text("utf-8-sig"))))
    for _ in range(draw(st.integers(0, 3))):
        row = draw(st.integers(1, len(rows) - 1))
        column = draw(st.integers(0, len(rows[row]) - 1))
        rows[row][column] = draw(st.sampled_from(CELLS) | nasty_text(20))
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    data = buf.getvalue().encode("utf-8", "surrogatepass")
    given = draw(st.sampled_from([name, "download (1).csv", f"{CANARY}.csv".replace("/", "_")]))
    files = {given: data} if draw(st.booleans()) else {"release.zip": zip_of([(given, data)])}
    args = ["data", "update", *[f"{{in}}/{n}" for n in files]]
    if draw(st.booleans()):
        args.append("--dry-run")
    return Case("data", args, files=files)


# -- content files against their schema ---------------------------------------------------
SCHEMA_FILES = {"campaign.yaml": "send/campaign.yaml", "asks.yaml": "send/asks.yaml",
                "phrasing.yaml": "send/phrasing.yaml", "brand.yaml": "brand.yaml",
                "defaults.yaml": "defaults.yaml", "figures.yaml": "figures.yaml",
                "evidence.yaml": "evidence.yaml", "datasets.yaml": "datasets.yaml",
                "campaigns.yaml": "campaigns.yaml"}
BRAND_VALUES = ('Carlito"; } p::after { content: "X" } x {', "#zzz", "#000000", "red",
                "rgb(1,2,3)", f"url({CANARY}/font)", "DejaVu Sans", "", "1e9", "logo.png",
                f"{CANARY}/logo.png", "../../../../etc/passwd", "/dev/zero")


def yaml_values():
    leaf = st.none() | st.booleans() | st.integers() | st.floats() | \
        nasty_text(40).map(lambda t: t.encode("utf-8", "surrogatepass").decode(
            "utf-8", "replace")) | st.sampled_from(BRAND_VALUES)
    return st.recursive(leaf, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.text(max_size=8), inner, max_size=3), max_leaves=6)


def mutate(draw, value):
    """The value with one thing changed, somewhere in it: a value replaced by another of
    any type, a key dropped or added, a list emptied or an item doubled."""
    if isinstance(value, dict) and value and draw(st.integers(0, 2)):
        key = draw(st.sampled_from(sorted(value, key=str)))
        how = draw(st.sampled_from(["into", "into", "drop", "add"]))
        if how == "drop":
            return {k: v for k, v in value.items() if k != key}
        if how == "add":
            return {**value, draw(st.text(max_size=12)): draw(yaml_values())}
        return {**value, key: mutate(draw, value[key])}
    if isinstance(value, list) and value and draw(st.integers(0, 2)):
        at = draw(st.integers(0, len(value) - 1))
        how = draw(st.sampled_from(["into", "into", "double", "empty"]))
        if how == "empty":
            return []
        if how == "double":
            return value + [value[at]]
        return value[:at] + [mutate(draw, value[at])] + value[at + 1:]
    return draw(yaml_values())


def plant_canary(draw, value):
    """The canary's URL appended to one of the value's texts (or the value itself)."""
    if isinstance(value, dict) and value:
        key = draw(st.sampled_from(sorted(value, key=str)))
        return {**value, key: plant_canary(draw, value[key])}
    if isinstance(value, list) and value:
        at = draw(st.integers(0, len(value) - 1))
        return value[:at] + [plant_canary(draw, value[at])] + value[at + 1:]
    if isinstance(value, str):
        return f"{value} {draw(st.sampled_from(CANARY_FORMS))}"
    return value


@st.composite
def schema_case(draw) -> Case:
    """A content file changed in its structure (against its schema in content/schema/),
    read by `check`, by the documents and (datasets.yaml) by `data status`; the folder is
    also $CAMPAIGN_KIT_CONTENT, where datasets.yaml is read from."""
    import yaml

    name = draw(st.sampled_from(sorted(SCHEMA_FILES)))
    original = yaml.safe_load((ROOT / "content" / SCHEMA_FILES[name]).read_text("utf-8"))
    changed = plant_canary(draw, mutate(draw, original))
    text = yaml.safe_dump(changed, allow_unicode=True, sort_keys=False)
    files = {f"content/{name}": text.encode("utf-8", "surrogatepass")}
    env = {"CAMPAIGN_KIT_CONTENT": "{in}/content"}
    command = draw(st.sampled_from(["check", "check", "letter", "deck", "quick", "status"]))
    if command in ("check", "quick"):
        args = ["check", "--files-only" if command == "check" else "--quick", "--content",
                "{in}/content"]
        return Case("schema", args, files=files, report=True, env=env)
    if command == "status":
        return Case("schema", ["data", "status"], files=files, env=env)
    place = ["--constituency", draw(st.sampled_from(["Aldershot", "Barrow and Furness",
                                                     "Ynys Môn", "Belfast South and Mid Down"]))]
    extra = ["--name", "Jo", "--format", "txt"] if command == "letter" else ["--format", "pptx"]
    return Case("schema", [command, *place, *extra, "--content", "{in}/content"], files=files,
                env=env)


SURFACES = {"letter": letter_case, "roundtable": roundtable_case, "deck": deck_case,
            "letters": letters_case, "templates": template_case, "content": content_case,
            "data": data_case, "schema": schema_case}
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
    """Run a case in-process, with its own user data folder (CAMPAIGN_KIT_HOME) and
    temporary folder inside `work`, and judge it (see the module docstring)."""
    from click.testing import CliRunner

    from campaign_kit.cli import cli

    inputs, out = _prepare(case, work)
    args = [a.replace("{in}", str(inputs)).replace("{out}", str(out)) for a in case.args]
    if args[0] not in ("data", "check"):
        args += ["--out", str(out)]
    before, home_before = _files(work), _files(work / "home")
    cwd, tempdir = os.getcwd(), tempfile.tempdir
    os.chdir(work)
    tempfile.tempdir = str(work / "tmp")
    try:
        result = CliRunner().invoke(cli, args, input=_stdin(case.stdin), env=_env(case, work))
    finally:
        os.chdir(cwd)
        tempfile.tempdir = tempdir
    output = result.output
    outside = _outside(case, args, work, before, result.exit_code)
    if case.surface == "data" and result.exit_code != 0:  # refused: nothing changed but
        outside += sorted(f"home/{p}" for p in _files(work / "home") ^ home_before  # its report
                          if p != ".update.lock" and not p.startswith("updates/"))
    error_lines = [ln for ln in output.splitlines() if ln.startswith("Error")]
    clean = (result.exception is None or isinstance(result.exception, SystemExit)) \
        and result.exit_code in (0, 1, 2, 3, 4, 130) and "Error: unexpected" not in output \
        and "Traceback" not in output and not _CONTROL.search(output) \
        and (len(error_lines) <= 1 or case.report)
    if result.exit_code == 0 and error_lines:
        clean = False
    if result.exit_code not in (0, 130) and not error_lines and case.surface != "letters" \
            and not case.report:
        clean = False  # a failed command says why, in one line
    if case.must_refuse and result.exit_code == 0:
        clean = False
        output += "\n(accepted what must be refused)"
    missing, checked, output = _good_rows(case, out, result.exit_code, error_lines, output)
    kind = "unexpected" if not clean else ("ok" if result.exit_code == 0 else "error")
    origin = ""
    if kind == "unexpected" and "Error: unexpected" in output:
        origin = _origin(cli, ["--debug", *args], case, work)
    return Outcome(kind, outside, missing, output, result.exit_code, origin, checked)


def _env(case: Case, work: Path) -> dict[str, str]:
    """The case's environment: its own user data folder, and what the case sets."""
    inputs = str(work / "in")
    return {"CAMPAIGN_KIT_HOME": str(work / "home"),
            **{k: v.replace("{in}", inputs) for k, v in case.env.items()}}


def _prepare(case: Case, work: Path) -> tuple[Path, Path]:
    shutil.rmtree(work, ignore_errors=True)
    inputs, out, elsewhere = work / "in", work / "out", work / "elsewhere"
    for folder in (inputs, out, elsewhere, work / "home", work / "tmp"):
        folder.mkdir(parents=True)
    for name, data in case.files.items():
        (inputs / name).parent.mkdir(parents=True, exist_ok=True)
        (inputs / name).write_bytes(data)
    if case.symlink_out:
        (out / case.symlink_out).symlink_to(elsewhere)
    return inputs, out


def _outside(case: Case, args: list[str], work: Path, before: set[str],
             exit_code: int) -> list[str]:
    """Files the case left outside --out and its inputs: in the working folder, the
    temporary folder, or (but for an update that went through) the user data folder."""
    allowed: tuple[str, ...] = ("out/", "in/", "home/.update.lock", "home/updates/")
    if case.surface == "data" and exit_code == 0:
        allowed += ("home/",)
    if "--print-pdf" in args:  # the print file goes where the user asked, inside or not
        target = Path(args[args.index("--print-pdf") + 1])
        allowed += (str((work / target).resolve().relative_to(work.resolve()))
                    if (work / target).resolve().is_relative_to(work.resolve()) else "/",)
    return sorted(p for p in _files(work) - before if not p.startswith(allowed))


def _good_rows(case: Case, out: Path, exit_code: int, error_lines: list[str],
               output: str) -> tuple[list[int], int, str]:
    """Good rows of a batch that were not written (found by name: a bare CR in a bad row
    moves rows down), how many were checked, and the output with errors.csv if any."""
    from campaign_kit.runs.records import MANIFEST, load_manifest

    if not case.good_rows or exit_code not in (0, 1) or error_lines:
        return [], 0, output
    manifest = load_manifest(out / MANIFEST)
    written = {Path(p).name for entry in manifest.values() for p in entry["paths"]
               if Path(p).is_file()}
    missing = [row for row in case.good_rows
               if not any(f"-member-{row - 2}-name" in name for name in written)]
    if missing and (out / "errors.csv").exists():
        output += "\nerrors.csv:\n" + (out / "errors.csv").read_text("utf-8-sig")
    return missing, len(case.good_rows), output


def _stdin(text: str | None) -> bytes | None:
    """What a pipe would carry: bytes (a lone surrogate as the bytes Python would write)."""
    return None if text is None else text.encode("utf-8", "surrogatepass")


def _origin(cli, args: list[str], case: Case, work: Path) -> str:
    """Where an unexpected error was raised: the innermost campaign_kit module, by rerunning
    the command with --debug (which lets the exception through with its traceback)."""
    from click.testing import CliRunner

    cwd = os.getcwd()
    os.chdir(work)
    try:
        result = CliRunner().invoke(cli, args, input=_stdin(case.stdin), env=_env(case, work))
    finally:
        os.chdir(cwd)
    tb, where = getattr(result.exception, "__traceback__", None), "?"
    while tb is not None:
        code = tb.tb_frame.f_code
        if "/campaign_kit/" in code.co_filename:
            where = f"{code.co_filename.split('/campaign_kit/', 1)[1]}:{code.co_name}"
        tb = tb.tb_next
    return where
