"""Issue 15's reproductions, each a regression test: no lost letters, no writes or reads
outside their folders, bounded work, clear one-line errors, the same bytes every time."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from campaign_kit.engine.filenames import safe_name
from campaign_kit.engine.rules import member as make_member
from campaign_kit.errors import InputProblem, OutputProblem, TemplateProblem
from campaign_kit.runs import letters as letter_runs
from campaign_kit.runs import outputs
from campaign_kit.runs.records import JOURNAL, MANIFEST, load_manifest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
CONTENT = ROOT / "content" / "send"


def letters(runner, cli, csv_text: str | bytes, out: Path, *extra: str, fmt: str = "txt"):
    path = out.parent / f"{out.name}.csv"
    if isinstance(csv_text, str):
        path.write_text(csv_text, encoding="utf-8")
    else:
        path.write_bytes(csv_text)
    return runner.invoke(cli, ["letters", str(path), "--format", fmt, "--out", str(out),
                               "--jobs", "1", "--date", "2026-11-24", *extra])


def errors_of(out: Path) -> list[dict[str, str]]:
    with open(out / "errors.csv", encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def made(out: Path) -> list[str]:
    """The files a run made, beside its records (hidden files and notes.csv)."""
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*")
                  if p.is_file() and not p.name.startswith(".") and p.name != "notes.csv")


def one_error_line(output: str) -> str:
    lines = [ln for ln in output.splitlines() if ln.startswith("Error")]
    assert len(lines) == 1, output
    assert "unexpected" not in output and "Traceback" not in output, output
    return lines[0]


# -- a batch never overwrites one member's letter with another's --------------------------------
@pytest.mark.slow
def test_three_rows_three_files_and_no_path_listed_twice(runner, cli, tmp_path):
    out = tmp_path / "o"
    result = letters(runner, cli, "Name,Constituency\nJo Bloggs,Aldershot\nJo Bloggs,Aldershot\n"
                     "Jo Bloggs row3,Aldershot\n", out)
    assert result.exit_code == 0, result.output
    assert "Made 3 letters" in result.output
    assert made(out) == ["letter-aldershot-jo-bloggs-row3-2.txt",
                         "letter-aldershot-jo-bloggs-row3.txt", "letter-aldershot-jo-bloggs.txt"]
    holding = [p.name for p in out.glob("*.txt") if "Jo Bloggs row3" in p.read_text("utf-8")]
    assert holding == ["letter-aldershot-jo-bloggs-row3.txt"]  # row 4's own, not row 3's
    paths = [p for entry in load_manifest(out / MANIFEST).values() for p in entry["paths"]]
    assert len(paths) == len(set(paths)) == 3


@pytest.mark.slow
def test_a_later_run_takes_a_path_from_the_row_that_held_it(runner, cli, tmp_path):
    out = tmp_path / "o"
    letters(runner, cli, "Name,Constituency\nAmy,Aldershot\nJo,Aldershot\n", out)
    letters(runner, cli, "Name,Constituency\nJo,Aldershot\n", out)  # Jo moved up a row
    manifest = load_manifest(out / MANIFEST)
    paths = [p for entry in manifest.values() for p in entry["paths"]]
    assert len(paths) == len(set(paths))
    assert manifest["row-00002"]["paths"][0].endswith("letter-aldershot-jo.txt")


# -- no writes outside --out, no reads outside the template folder --------------------------
def test_symlinked_pack_folder_is_refused(runner, cli, tmp_path):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "roundtable-aldershot").symlink_to(elsewhere)
    result = runner.invoke(cli, ["roundtable", "--constituency", "Aldershot", "--out", str(out),
                                 "--date", "2027-02-10"])
    assert result.exit_code == 1
    assert "outside the output folder" in one_error_line(result.output)
    assert list(elsewhere.iterdir()) == []


@pytest.mark.slow
def test_symlinked_kit_seat_folder_is_refused(runner, cli, tmp_path):
    out, elsewhere = tmp_path / "kit", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "aldershot").symlink_to(elsewhere)
    result = runner.invoke(cli, ["kit", "--constituency", "Aldershot", "--out", str(out),
                                 "--jobs", "1", "--date", "2027-11-24"])
    assert result.exit_code == 1 and "failed 1" in result.output
    assert "outside the output folder" in errors_of(out)[0]["reason"]
    assert list(elsewhere.iterdir()) == []


def test_symlinked_letter_file_is_refused(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "letter.pdf").symlink_to(tmp_path / "victim.pdf")
    with pytest.raises(OutputProblem, match="outside the output folder"):
        outputs.target_path(tmp_path / "out", "letter.pdf")


def _override_with_link(tmp_path: Path, name: str, target: Path) -> Path:
    override = tmp_path / "templates"
    (override / name).parent.mkdir(parents=True)
    (override / name).symlink_to(target)
    return override


def test_symlinked_template_cannot_read_other_files(runner, cli, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("THE-SECRET", encoding="utf-8")
    override = _override_with_link(tmp_path, "letter/letter.md.j2", secret)
    out = tmp_path / "out"
    result = runner.invoke(cli, ["letter", "--constituency", "Aldershot", "--name", "Jo",
                                 "--templates", str(override), "--out", str(out),
                                 "--format", "txt"])
    assert result.exit_code == 3
    assert "outside the template folder" in one_error_line(result.output)
    assert "THE-SECRET" not in result.output and not out.exists()


def test_symlinked_stylesheet_cannot_read_other_files(runner, cli, tmp_path):
    secret = tmp_path / "secret.css"
    secret.write_text("body::after { content: 'THE-SECRET' }", encoding="utf-8")
    override = _override_with_link(tmp_path, "styles/print.css", secret)
    result = runner.invoke(cli, ["letter", "--constituency", "Aldershot", "--name", "Jo",
                                 "--templates", str(override), "--out", str(tmp_path / "out"),
                                 "--format", "pdf"])
    assert result.exit_code == 3
    assert "outside the template folder" in one_error_line(result.output)


# -- bounded work ---------------------------------------------------------------------------
@pytest.mark.parametrize("source, message", [
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
     "more than 1,000,000 steps"),
    ("{% set r = range(10000)|list %}{% for i in r %}{% for j in r %}{% endfor %}{% endfor %}",
     "more than 1,000,000 steps"),
    ("{{ 'a' * 4000000000 }}", "4,000,000,000 characters or items"),
    ("{{ ([0] * 100000000)|length }}", "100,000,000 characters or items"),
    ("{{ 'a'|center(4000000000) }}", "4,000,000,000"),
    ("{{ 'a'.ljust(4000000000) }}", "4,000,000,000"),
    ("{{ '{:>999999999}'.format(1) }}", "format width or precision"),
    ("{{ '%999999999d' % 1 }}", "format width or precision"),
    ("{{ ('a' * 100000)|replace('a', 'a' * 100000) }}", "10,000,000,000"),
    ("{{ 10 ** 100000000 }}", "bits"),
    ("{% set ns = namespace(x='a' * 900000) %}{% for i in range(30) %}"
     "{% set ns.x = ns.x ~ ns.x %}{% endfor %}", "1,800,000"),
    ("{% for i in range(100000) %}{{ 'a' * 100000 }}{% endfor %}", "2,000,000 characters"),
    ("{% macro m() %}{% for i in range(99999) %}" + "x" * 1000 + "{% endfor %}{% endmacro %}"
     "{{ m() }}", "2,000,000 characters"),
    ("{{ [1]|slice(1000000000)|list }}", "1,000,000,000"),
    ("{% include 'letter/letter.md.j2' %}", "without end"),
    ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "without end"),
    ("{{ 1 / 0 }}", "ZeroDivisionError"),
    ("{% set x = [] %}{{ x.append(1) }}", "unsafe"),
])
@pytest.mark.slow
def test_template_overrides_cannot_ask_for_unbounded_work(tmp_path, source, message):
    from campaign_kit.render.templating import Templates

    (tmp_path / "letter").mkdir()
    (tmp_path / "letter" / "letter.md.j2").write_text(source, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(TemplateProblem, match=message.replace("(", r"\(")) as err:
        Templates(tmp_path).render("letter/letter.md.j2", {})
    assert time.perf_counter() - started < 10
    assert "\n" not in str(err.value)


def test_binary_and_oversized_templates_are_refused(tmp_path):
    from campaign_kit.render.templating import Templates

    (tmp_path / "letter").mkdir()
    (tmp_path / "letter" / "letter.md.j2").write_bytes(b"ok\n\x89PNG\r\n\x1a\n\xff\xfe")
    with pytest.raises(TemplateProblem, match=r"line 2: not UTF-8 text"):
        Templates(tmp_path).render("letter/letter.md.j2", {})
    (tmp_path / "letter" / "letter.md.j2").write_text("x" * 600_000, encoding="utf-8")
    with pytest.raises(TemplateProblem, match="over 512 KiB"):
        Templates(tmp_path).render("letter/letter.md.j2", {})


BOMB = "".join(f"{a}: &{a} [{', '.join([f'*{b}'] * 9)}]\n"
               for b, a in zip("abcdefgh", "bcdefghi", strict=True))


@pytest.mark.parametrize("text, message", [
    ("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + BOMB, "alias bomb"),
    ("a: &a [*a]\n", "refers to the list or mapping that contains it"),
    ("title: [1, 2\nunion: x\n", "line 1: a list in [ ] opened on this line is not closed"),
    ("- " * 70 + "x\n", "nested more than 64"),
])
def test_campaign_yaml_is_bounded(runner, cli, tmp_path, text, message):
    content = tmp_path / "content"
    content.mkdir()
    (content / "campaign.yaml").write_text(text, encoding="utf-8")
    started = time.perf_counter()
    result = runner.invoke(cli, ["letter", "--constituency", "Aldershot", "--name", "Jo",
                                 "--content", str(content), "--out", str(tmp_path / "o")])
    assert result.exit_code == 3
    line = one_error_line(result.output)
    assert message in line and "campaign.yaml" in line
    assert time.perf_counter() - started < 10


def test_campaign_yaml_not_utf8_names_the_line(tmp_path):
    from campaign_kit.content.safeyaml import load_yaml

    path = tmp_path / "asks.yaml"
    path.write_bytes(b"- id: a\n  title: caf\xe9\n")
    with pytest.raises(TemplateProblem, match=r"asks.yaml, line 2: not UTF-8"):
        load_yaml(path, "content file")


@pytest.mark.slow
def test_docx_table_is_linear():
    """2,000 rows took 282 s before (python-docx rebuilds the grid for each cell); now ~0.1 s.
    The bound is loose on purpose: it catches the quadratic writer, not a slow machine."""
    from campaign_kit.document import Document, Meta, Span, Table
    from campaign_kit.engine.engine import Engine
    from campaign_kit.writers.docx import write_docx

    rows = tuple(((Span(f"row {i}"),), (Span("x"),), (Span("y"),)) for i in range(2000))
    doc = Document(Meta("t", "a"), (Table(((Span("A"),), (Span("B"),), (Span("C"),)), rows),))
    started = time.perf_counter()
    data = write_docx(doc, Engine.load().assets)
    assert time.perf_counter() - started < 10
    body = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert body.count("<w:tr>") + body.count("<w:tr ") == 2001 and "row 1999" in body


def test_story_from_dev_zero_stops_at_the_limit(runner, cli, tmp_path):
    started = time.perf_counter()
    result = runner.invoke(cli, ["letter", "--constituency", "Aldershot", "--name", "Jo",
                                 "--story", "/dev/zero", "--out", str(tmp_path)])
    assert result.exit_code == 1 and "is over 64 KB" in one_error_line(result.output)
    assert time.perf_counter() - started < 10


def test_story_from_an_endless_stdin_stops_at_the_limit():
    from campaign_kit.engine.rules import MAX_STORY_BYTES, read_bounded

    class Endless(io.RawIOBase):
        served = 0

        def readinto(self, buffer):
            buffer[:] = b"a" * len(buffer)
            self.served += len(buffer)
            return len(buffer)

    Endless.readable = lambda self: True
    endless = Endless()
    assert read_bounded(io.BufferedReader(endless)) is None
    assert endless.served < 2 * MAX_STORY_BYTES + 65536


def test_ten_thousand_line_address_is_refused(runner, cli, tmp_path):
    result = runner.invoke(cli, ["letter", "--constituency", "Aldershot", "--name", "Jo",
                                 "--address", "\n".join(["1 High St"] * 10000), "--out",
                                 str(tmp_path)])
    assert result.exit_code == 1
    assert "--address is 99,999 characters" in one_error_line(result.output)
    result = runner.invoke(cli, ["letter", "--constituency", "Aldershot", "--name", "Jo",
                                 "--address", ", ".join(["1 High St"] * 9), "--out",
                                 str(tmp_path)])
    assert "--address has 9 lines; the limit is 8" in one_error_line(result.output)


# -- spreadsheets -----------------------------------------------------------------------------
@pytest.mark.slow
def test_formula_in_a_name_is_text_in_errors_csv(runner, cli, tmp_path):
    out = tmp_path / "o"
    letters(runner, cli, 'Name,Constituency\n"=HYPERLINK(""http://x"",""y"")",Atlantis\n'
            "+SUM(A1),Atlantis\n@cmd,Atlantis\n", out)
    names = [e["name"] for e in errors_of(out)]
    assert names == ["'=HYPERLINK(\"http://x\",\"y\")", "'+SUM(A1)", "'@cmd"]


@pytest.mark.slow
def test_one_oversized_cell_fails_only_its_row(runner, cli, tmp_path):
    out = tmp_path / "o"
    text = ("Name,Constituency,Story\nAmy,Aldershot,Short.\n"
            f"Ben,Aldershot,\"{'x' * 140_000}\"\nCat,Aldershot,Short.\n")
    result = letters(runner, cli, text, out)
    assert result.exit_code == 1, result.output
    assert "Made 2 letters" in result.output
    assert [(e["row"], e["name"]) for e in errors_of(out)] == [("3", "Ben")]
    assert "keep it under 5,000" in errors_of(out)[0]["reason"]


@pytest.mark.slow
def test_utf8_file_with_one_windows_1252_row(runner, cli, tmp_path):
    raw = ("Name,Constituency,School\nSiân Jones,Aldershot,Ysgol\n".encode()
           + "Renée Dupré,Aldershot,St Mary’s\n".encode("cp1252")
           + "Zoë Brown,Aldershot,Café\n".encode())
    (tmp_path / "m.csv").write_bytes(raw)
    rows = letter_runs.read_members(tmp_path / "m.csv")
    assert [r.fields["name"] for r in rows] == ["Siân Jones", "Renée Dupré", "Zoë Brown"]
    assert rows[1].fields["school"] == "St Mary’s"
    assert [r.note.text for r in rows if r.note] == [
        "row 3 is not UTF-8 like the rest of the file: read as Windows-1252; check its "
        "accented letters"]
    result = letters(runner, cli, raw, tmp_path / "o")
    assert result.exit_code == 0 and "row 3 is not UTF-8" in result.output


def test_a_row_neither_utf8_nor_windows_1252_fails_alone(tmp_path):
    raw = "Name,Constituency\nSiân,Aldershot\n".encode() + b"Bad \x81 name,Aldershot\n"
    (tmp_path / "m.csv").write_bytes(raw)
    rows = letter_runs.read_members(tmp_path / "m.csv")
    assert rows[0].problem is None
    assert "row 3 is neither UTF-8 nor Windows-1252" in rows[1].problem.text


@pytest.mark.parametrize("encoding, delimiter", [
    ("utf-16", "\t"),  # Excel's "Unicode Text"
    ("utf-16", ","),
    ("utf-8-sig", ";"),  # Excel in France, Germany, Spain ...
    ("cp1252", ";"),
    ("utf-16-le", ","),  # no byte-order mark
])
def test_utf16_and_semicolon_csvs_are_read(tmp_path, encoding, delimiter):
    text = delimiter.join(["Name", "Constituency", "School"]) + "\r\n" + delimiter.join(
        ["Renée Dupré", "Aldershot", "St Mary's; Farnborough" if delimiter != ";" else "X"]) \
        + "\r\n"
    (tmp_path / "m.csv").write_bytes(text.encode(encoding))
    rows = letter_runs.read_members(tmp_path / "m.csv")
    assert rows[0].fields["name"] == "Renée Dupré"
    assert rows[0].fields["constituency"] == "Aldershot"


def test_a_header_with_a_bare_carriage_return(tmp_path):
    """Found by bench/fuzz_cli.py: sniffing the delimiter met a CR inside the first line."""
    (tmp_path / "m.csv").write_bytes(b'Name,Constituency\rJo,Aldershot\r"x\ry"\n')
    rows = letter_runs.read_members(tmp_path / "m.csv")
    assert rows[0].fields == {"name": "Jo", "constituency": "Aldershot"}
    (tmp_path / "m.csv").write_bytes('Ú\t"::: sig\rc\n\n"\n'.encode())
    with pytest.raises(InputProblem, match="missing the column 'name'"):
        letter_runs.read_members(tmp_path / "m.csv")


def test_a_workbook_is_refused_with_what_to_do(runner, cli, tmp_path):
    out = tmp_path / "o"
    result = letters(runner, cli, b"PK\x03\x04rest-of-an-xlsx", out)
    assert result.exit_code == 1
    assert "is an Excel workbook, not CSV" in one_error_line(result.output)


# -- --print-pdf ------------------------------------------------------------------------------
def test_print_pdf_never_overwrites_without_force(runner, cli, tmp_path):
    keep = tmp_path / "mine.pdf"
    keep.write_bytes(b"my file")
    result = letters(runner, cli, "Name,Constituency\nJo,Aldershot\n", tmp_path / "o",
                     "--print-pdf", str(keep), fmt="pdf")
    assert result.exit_code == 1 and "already exists; use --force" in one_error_line(
        result.output)
    assert keep.read_bytes() == b"my file" and not (tmp_path / "o").exists() or \
        not made(tmp_path / "o")


@pytest.mark.slow
@pytest.mark.parametrize("target", [MANIFEST, "errors.csv", "notes.csv",
                                    "letter-aldershot-jo.pdf", "letter-aldershot-amy.pdf",
                                    "../o.csv"])
def test_print_pdf_never_overwrites_the_batch_even_with_force(runner, cli, tmp_path, target):
    out = tmp_path / "o"
    assert letters(runner, cli, "Name,Constituency\nAmy,Aldershot\n", out, fmt="pdf") \
        .exit_code == 0
    before = {p: p.read_bytes() for p in out.iterdir() if p.is_file()}
    result = letters(runner, cli, "Name,Constituency\nJo,Aldershot\n", out, "--print-pdf",
                     str(out / target), "--force", fmt="pdf")
    assert result.exit_code == 1
    assert "--print-pdf" in one_error_line(result.output)
    assert {p: p.read_bytes() for p in before} == before


# -- one-line errors, never "unexpected" ------------------------------------------------------
@pytest.mark.parametrize("args, message", [
    (["--name", "Ren\udce9e"], "--name is not UTF-8 text"),
    (["--name", "Jo\ud800"], "--name is not UTF-8 text"),
    (["--name", "J" * 300], "--name is 300 characters; keep it under 100"),
    (["--name", "Jo", "--date", "0001-01-01"], "outside 2000 to 2099"),
    (["--name", "Jo", "--date", "9999-12-31"], "outside 2000 to 2099"),
    (["--name", "Jo", "--story", "/no/such\n\x1b[2Jfile"], "/no/such\\n\\x1b[2Jfile"),
])
def test_letter_inputs_give_one_clean_line(runner, cli, tmp_path, args, message):
    result = runner.invoke(cli, ["letter", "--constituency", "Aldershot", *args,
                                 "--out", str(tmp_path / "o")])
    assert result.exit_code != 0
    line = one_error_line(result.output)
    assert message in line and "\x1b" not in result.output


@pytest.mark.parametrize("command", [
    ["roundtable", "--constituency", "Aldershot"],
    ["deck", "--constituency", "Aldershot"],
    ["kit", "--constituency", "Aldershot"],
])
@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_extreme_dates_are_one_line_errors(runner, cli, tmp_path, command, day):
    result = runner.invoke(cli, [*command, "--date", day, "--out", str(tmp_path / "o")])
    assert result.exit_code == 1 and "outside 2000 to 2099" in one_error_line(result.output)


def test_click_errors_do_not_echo_escape_sequences(runner, cli, tmp_path):
    result = runner.invoke(cli, ["letters", str(tmp_path / "x.csv"), "--jobs",
                                 "2\n\x1b[2J"])
    assert result.exit_code == 2
    assert "\x1b" not in result.output and "\\x1b[2J" in result.output


def test_lookup_takes_the_same_edge_check(runner, cli):
    """lookup's query is typed text like any option: one line of error, never a traceback
    or a 5,000-character echo."""
    for query, says in (("a" * 5000, "keep it under 200"), ("Hex\x01ham", "control character")):
        result = runner.invoke(cli, ["lookup", query])
        assert result.exit_code == 1 and says in result.output, result.output
        assert result.output.count("\n") == 1 and len(result.output) < 300
    wide = runner.invoke(cli, ["lookup", "ＳＷ１Ａ　１ＡＡ", "--json"])  # full-width, as typed
    assert wide.exit_code == 0 and json.loads(wide.output)["name"] == \
        "Cities of London and Westminster", wide.output


def test_control_characters_and_nul_never_reach_the_docx(runner, cli, tmp_path):
    from docx import Document as open_docx

    result = runner.invoke(cli, ["letter", "--constituency", "Aldershot", "--name",
                                 "Jo\x00\x07 Blo\x1bggs", "--role", "head\x0bteacher",
                                 "--format", "docx", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    doc = open_docx(str(next(tmp_path.glob("*.docx"))))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Jo Bloggs" in text and "head teacher" in text
    assert doc.core_properties.author == "Jo Bloggs"


def test_docx_writer_survives_what_a_template_prints():
    """Template and content overrides bypass inputs.clean: the writer drops what XML cannot
    hold and keeps core properties within Word's 255 characters."""
    from campaign_kit.document import Document, Meta, Paragraph, Span
    from campaign_kit.engine.engine import Engine
    from campaign_kit.writers.docx import write_docx

    doc = Document(Meta("T\x00" * 200, "A" * 300),
                   (Paragraph((Span("bell\x07 nul\x00 \ufffe done"),)),))
    data = write_docx(doc, Engine.load().assets)
    body = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "bell nul  done" in body
    core = zipfile.ZipFile(io.BytesIO(data)).read("docProps/core.xml").decode()
    assert "A" * 254 + "…" in core


@pytest.mark.slow
def test_non_latin_names_get_meaningful_file_names(runner, cli, tmp_path):
    out = tmp_path / "o"
    result = letters(runner, cli, "Name,Constituency\nИван Петров,Aldershot\n李伟,Aldershot\n"
                     "محمد علي,Aldershot\n★★★,Aldershot\n☆☆☆,Aldershot\n", out)
    assert result.exit_code == 0, result.output
    names = made(out)
    assert "letter-aldershot-ivan-petrov.txt" in names
    assert "letter-aldershot-liwei.txt" in names
    assert "letter-aldershot-mhmd-ly.txt" in names
    hashed = [n for n in names if n.startswith("letter-aldershot-member-")]
    assert len(hashed) == 2 and len(set(hashed)) == 2  # a stable hash each, never 'member'
    assert safe_name("★★★", "member") == safe_name("★★★", "member")


def test_an_apostrophe_inside_a_word_joins_it_in_file_names():
    assert safe_name("Queen's Park and Maida Vale") == "queens-park-and-maida-vale"
    assert safe_name("Siân O’Brien") == "sian-obrien"
    assert safe_name("'Quoted' name") == "quoted-name"


@pytest.mark.slow
def test_paths_with_hash_question_mark_and_percent(runner, cli, tmp_path):
    odd = tmp_path / "a#b?c%20d"
    templates = odd / "templates"
    shutil.copytree(TEMPLATES / "styles", templates / "styles")
    story = odd / "story #1?.txt"
    story.write_text("Our story.", encoding="utf-8")
    result = runner.invoke(cli, ["letter", "--constituency", "Aldershot", "--name", "Jo",
                                 "--templates", str(templates), "--story", str(story),
                                 "--format", "pdf", "--out", str(odd / "out%41#")])
    assert result.exit_code == 0, result.output
    assert (odd / "out%41#" / "letter-aldershot-jo.pdf").stat().st_size > 1000


def test_a_name_of_three_colons_still_signs_the_letter(runner, cli, tmp_path):
    result = runner.invoke(cli, ["letter", "--constituency", "Aldershot", "--name", ":::",
                                 "--role", ":::", "--format", "txt", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    text = next(tmp_path.glob("*.txt")).read_text(encoding="utf-8")
    assert "Yours sincerely\n\n:::\n:::\n" in text


# -- full disk, crashes, concurrent runs, Ctrl-C ------------------------------------------------
@pytest.mark.slow
def test_a_letter_is_never_left_without_its_docx(engine, tmp_path):
    """The second format failing to write (a full disk: here a file-size limit between the
    two files' sizes) leaves neither file."""
    from campaign_kit.engine.requests import Request

    made = engine.produce("letter", Request(dt.date(2026, 11, 24),
                                            seat=engine.places.find("Aldershot"),
                                            member=make_member("Jo")), ["docx", "pdf"])
    docx, pdf = (len(f.data) for f in made.files)
    assert docx < pdf
    proc = subprocess.run(
        [sys.executable, "-m", "campaign_kit", "letter", "--constituency", "Aldershot",
         "--name", "Jo", "--date", "2026-11-24", "--format", "docx,pdf", "--out",
         str(tmp_path)], cwd=ROOT, timeout=120, capture_output=True, text=True,
        preexec_fn=_limited_file_size((docx + pdf) // 2))
    assert proc.returncode == 1, proc.stderr
    assert "File too large" in proc.stderr and "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []


def _limited_file_size(limit: int):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # then a write past the limit fails
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


@pytest.mark.slow
def test_a_full_disk_still_ends_with_a_summary_errors_csv_and_manifest(tmp_path):
    """Files over 12 KB cannot be written (RLIMIT_FSIZE), as on a full disk: each letter's
    PDF (17 KB) fails while its DOCX (10 KB) would fit, and neither is left behind."""
    from campaign_kit.authoring.samples import excel_csv, member_rows
    from campaign_kit.localdata.lookup import Places

    (tmp_path / "m.csv").write_bytes(excel_csv(member_rows(Places(), 3)))
    out = tmp_path / "o"
    proc = subprocess.run([sys.executable, "-m", "campaign_kit", "letters", str(tmp_path / "m.csv"),
                           "--out", str(out), "--jobs", "1", "--format", "pdf,docx"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300,
                          preexec_fn=_limited_file_size(12_000))
    assert proc.returncode == 1, proc.stderr
    assert "Made 0 letters, skipped 0 up to date, failed 3" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr
    assert [e["row"] for e in errors_of(out)] == ["2", "3", "4"]
    assert all("File too large" in e["reason"] for e in errors_of(out))
    assert json.loads((out / MANIFEST).read_text()) == {}
    assert not list(out.glob("letter-*")) and not list(out.glob(".*.part"))


@pytest.mark.slow
def test_sigkill_keeps_a_record_of_every_letter_made(tmp_path):
    from campaign_kit.authoring.samples import excel_csv, member_rows
    from campaign_kit.localdata.lookup import Places

    (tmp_path / "m.csv").write_bytes(excel_csv(member_rows(Places(), 150)))
    out = tmp_path / "o"
    args = [sys.executable, "-m", "campaign_kit", "letters", str(tmp_path / "m.csv"), "--out",
            str(out), "--jobs", "2", "--format", "txt", "--date", "2026-11-24"]
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline and len(list(out.glob("*.txt"))) < 30:
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert (out / JOURNAL).exists()  # killed between manifest rewrites
    manifest = load_manifest(out / MANIFEST)
    recorded = {Path(p).name for entry in manifest.values() for p in entry["paths"]}
    files = {p.name for p in out.glob("*.txt")}
    assert len(recorded) >= 20 and recorded <= files
    assert len(files - recorded) <= 8  # at most the jobs in flight (2 workers x 4)
    rerun = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert f"skipped {len(recorded)} up to date" in rerun.stdout, rerun.stdout
    assert len(list(out.glob("*.txt"))) == 150


@pytest.mark.slow
def test_a_second_run_on_the_same_out_stops_at_once(runner, cli, tmp_path):
    out = tmp_path / "o"
    out.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; "
         "from campaign_kit.runs.outputs import output_lock\n"
         f"with output_lock(Path({str(out)!r})):\n print('held', flush=True); time.sleep(60)"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        result = letters(runner, cli, "Name,Constituency\nJo,Aldershot\n", out)
        assert result.exit_code == 1
        line = one_error_line(result.output)
        assert f"another campaign-kit run (process {holder.pid}) is writing to" in line
        assert made(out) == []
    finally:
        holder.kill()
        holder.wait()
    assert letters(runner, cli, "Name,Constituency\nJo,Aldershot\n", out).exit_code == 0


def test_ctrl_c_before_the_batch_starts_exits_130(runner, cli, tmp_path, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(letter_runs, "read_members", interrupted)
    result = letters(runner, cli, "Name,Constituency\nJo,Aldershot\n", tmp_path / "o")
    assert result.exit_code == 130 and "Interrupted" in result.output


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.3, 1.2, 2.0])
def test_ctrl_c_while_workers_start_exits_130(tmp_path, delay):
    from campaign_kit.authoring.samples import excel_csv, member_rows
    from campaign_kit.localdata.lookup import Places

    (tmp_path / "m.csv").write_bytes(excel_csv(member_rows(Places(), 200)))
    proc = subprocess.Popen([sys.executable, "-m", "campaign_kit", "letters",
                             str(tmp_path / "m.csv"), "--out", str(tmp_path / "o"), "--jobs",
                             "2", "--format", "pdf"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    time.sleep(delay)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole process group
    output = proc.communicate(timeout=120)[0].decode()
    assert proc.returncode == 130, output
    assert "Traceback" not in output and "worker process died" not in output


SWALLOWED = """
import os, signal, sys, time
import campaign_kit.cli as cli

def interrupted_inside_a_library():
    try:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(5)
    except KeyboardInterrupt as exc:
        if sys.argv[1] == "wrapped":  # as Python does in a class's __set_name__
            raise RuntimeError("error calling __set_name__") from exc
        # "swallowed": as a library's bare except does
    print("went on")

cli.main = interrupted_inside_a_library
from campaign_kit.__main__ import main
main()
"""


@pytest.mark.slow
@pytest.mark.parametrize("how", ["swallowed", "wrapped"])
def test_ctrl_c_lost_inside_a_library_still_exits_130(how):
    """Python may wrap a KeyboardInterrupt in another error, a library may drop it: the
    Ctrl-C is remembered, so the command still stops with 130 and no traceback."""
    proc = subprocess.run([sys.executable, "-c", SWALLOWED, how], cwd=ROOT, timeout=60,
                          capture_output=True, text=True)
    assert proc.returncode == 130, proc.stderr
    assert "Traceback" not in proc.stderr


SWALLOWED_BEFORE_A_BATCH = """
import signal, sys
from campaign_kit.runs import interrupt

interrupt.watch()
try:
    signal.raise_signal(signal.SIGINT)
except KeyboardInterrupt:
    pass  # as a library's bare except drops it
sys.argv = ["campaign-kit", "letters", sys.argv[1], "--out", sys.argv[2], "--jobs", "1",
            "--format", "txt"]
from campaign_kit.cli import main
main()
"""


@pytest.mark.slow
def test_a_batch_stops_after_a_ctrl_c_that_was_swallowed(tmp_path):
    members = tmp_path / "m.csv"
    members.write_text("Name,Constituency\nJo,Aldershot\nAl,Hexham\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", SWALLOWED_BEFORE_A_BATCH, str(members),
                           str(tmp_path / "o")], cwd=ROOT, timeout=120, capture_output=True,
                          text=True)
    assert proc.returncode == 130, proc.stderr
    assert "Interrupted. Made 1 letters" in proc.stdout  # the one it was making, no more


# -- the same bytes every time --------------------------------------------------------------
STORY = ("Emoji 😀🎉👩🏽‍🏫. Hebrew: שלום עולם. Arabic: مرحبا بالعالم. "
         "Welsh: Mae'n ddrwg gen i, ŵyr, ŷd, Ysgol Gymraeg.")


def _render_everything(engine, tmp: Path) -> dict[str, bytes]:
    from campaign_kit.engine.requests import Area, Request
    from campaign_kit.writers import write

    seat = engine.places.find("Aldershot")
    member = make_member("Siân Ó Briain", "1 Stryd Fawr, Farnborough", "Pennaeth",
                                     "Ysgol", STORY)
    day = dt.date(2026, 11, 24)
    letter = engine.make("letter", Request(day, seat=seat, member=member))
    deck = engine.make("deck", Request(day, area=Area.of_seat(seat)))
    letter_doc, deck_doc = letter.documents[0][0], deck.documents[0][0]
    out = {f"letter.{f}": write(f, letter_doc, engine.assets) for f in ("pdf", "docx", "txt")}
    out.update({f"deck.{f}": write(f, deck_doc, engine.assets) for f in ("pptx", "pdf")})
    return out


@pytest.mark.slow
def test_same_bytes_seconds_apart_with_fallback_fonts(tmp_path, monkeypatch):
    """An emoji, Hebrew and Arabic need fallback fonts, which fontTools rewrites and stamps
    with the time; renders 1.1 s apart must still be byte-identical in every format."""
    import yaml

    from campaign_kit.engine.engine import Engine

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    content = tmp_path / "content"
    content.mkdir()
    asks = yaml.safe_load((CONTENT / "asks.yaml").read_text(encoding="utf-8"))
    asks[0]["title"] = f"{asks[0]['title']} 😀 שלום مرحبا ŵŷ"
    (content / "asks.yaml").write_text(yaml.safe_dump(asks, allow_unicode=True),
                                       encoding="utf-8")
    engine = Engine.load(None, content)
    first = _render_everything(engine, tmp_path)
    time.sleep(1.1)
    second = _render_everything(engine, tmp_path)
    assert "SOURCE_DATE_EPOCH" not in os.environ
    for name in first:
        assert first[name] == second[name], name
    from .extract import pdf_fonts

    (tmp_path / "letter.pdf").write_bytes(first["letter.pdf"])
    fonts = " ".join(" ".join(row) for row in pdf_fonts(tmp_path / "letter.pdf"))
    assert "Emoji" in fonts and "DejaVu" in fonts, fonts  # fallback fonts really were used
    assert "שלום עולם" in first["letter.txt"].decode()


def test_user_source_date_epoch_is_respected(monkeypatch):
    from campaign_kit.writers.pdf import fixed_font_time

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "123")
    with fixed_font_time():
        assert os.environ["SOURCE_DATE_EPOCH"] == "123"
    assert os.environ["SOURCE_DATE_EPOCH"] == "123"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    with fixed_font_time():
        assert os.environ["SOURCE_DATE_EPOCH"] == "1704067200"
    assert "SOURCE_DATE_EPOCH" not in os.environ


def test_inputs_clean_is_one_step_for_every_field():
    from campaign_kit.engine.rules import FIELDS, clean

    assert clean("Cafe\u0301", "name") == "Café"  # NFC
    assert clean("a\x00b\x1b[2Jc\u2028d", "name") == "ab[2Jc d"
    assert clean("para one\r\n\r\npara two\x07", "story") == "para one\n\npara two"
    with pytest.raises(InputProblem, match="keep it under 150"):
        clean("x" * 151, "school")
    assert set(FIELDS) >= {"name", "address", "role", "school", "story", "postcode",
                           "constituency", "council", "venue", "host_name", "host_role"}


def test_place_store_in_a_folder_named_with_hash_question_and_percent(tmp_path):
    """SQLite URIs quote the path: '#', '?' and '%' in a folder name once cut it short."""
    import shutil

    from campaign_kit.localdata.lookup import Places
    from campaign_kit.localdata.store import BUNDLED_STORE

    folder = tmp_path / "odd #1 ?x 100%"
    folder.mkdir()
    store = folder / "places.sqlite"
    shutil.copy(BUNDLED_STORE, store)
    index = folder / "postcodes.sqlite"
    places = Places(store, postcode_index=index)
    assert places.find("Aldershot").name == "Aldershot"
    shutil.copy(BUNDLED_STORE, index)  # any readable SQLite file opens as the index
    assert Places(store, postcode_index=index).imported_meta  # opened through the odd path
