"""Batches: members' CSVs as Excel saves them, bad rows, resuming, interrupting, kits."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaign_kit.authoring.samples import HEADER, excel_csv, member_rows
from campaign_kit.cli.batches import Progress, describe
from campaign_kit.errors import InputProblem
from campaign_kit.runs import jobs, letters
from campaign_kit.runs.records import MANIFEST, load_manifest
from campaign_kit.runs.sources import load_engine

from .extract import pdf_info, pdf_structure, pdf_text

ROOT = Path(__file__).resolve().parent.parent


def errors_of(out: Path) -> list[dict[str, str]]:
    with open(out / "errors.csv", encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_read_members_forgiving_headers_bom_and_quoted_newlines(tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes("\ufeff  NAME ,Post Code,School Name,story\r\n"
                     '"Siân Jones",SE1 9ZZ,Ysgol Gymraeg,"Para one.\r\n\r\nPara two."\r\n'
                     ",,,\r\n".encode())
    rows = letters.read_members(path)
    assert len(rows) == 1  # the empty row is skipped
    assert rows[0].number == 2
    assert rows[0].fields == {"name": "Siân Jones", "postcode": "SE1 9ZZ",
                              "school": "Ysgol Gymraeg", "story": "Para one.\r\n\r\nPara two."}


def test_read_members_windows_1252(tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes("Name,Constituency,School\r\nRenée Dupré,Aldershot,St Mary’s £\r\n"
                     .encode("cp1252"))
    assert letters.read_members(path)[0].fields["school"] == "St Mary’s £"


@pytest.mark.parametrize("header, message", [
    ("Postcode,School", "missing the column 'name'"),
    ("Name,School", "missing a 'postcode' or 'constituency' column")])
def test_missing_column_is_one_line_before_any_work(runner, cli, tmp_path, header, message):
    path = tmp_path / "m.csv"
    path.write_text(header + "\nJo,X\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["letters", str(path), "--out", str(out), "--jobs", "1"])
    assert result.exit_code == 1 and message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not out.exists()


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.text(max_size=30), min_size=3, max_size=3), max_size=8),
       st.sampled_from(["utf-8-sig", "utf-8", "cp1252"]))
def test_any_csv_reads_or_says_why(tmp_path, cells, encoding):
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["Name", "Constituency", "Story"])
    writer.writerows(cells)
    path = tmp_path / "fuzz.csv"
    path.write_bytes(buf.getvalue().encode(encoding, errors="replace"))
    try:
        rows = letters.read_members(path)
    except InputProblem:
        return
    assert all(any(r.fields.values()) for r in rows)
    assert all(r.number >= 2 for r in rows)


@pytest.fixture(scope="module")
def big_batch(tmp_path_factory):
    """120 rows saved from Excel with a BOM, five of them bad, two workers, a print PDF."""
    from click.testing import CliRunner

    from campaign_kit.cli import cli
    from campaign_kit.localdata.lookup import Places

    folder = tmp_path_factory.mktemp("batch")
    rows = member_rows(Places(), 120, bad=5)
    rows.insert(40, [""] * len(HEADER))  # an empty row from Excel
    (folder / "members.csv").write_bytes(excel_csv(rows))
    out = folder / "letters"
    result = CliRunner().invoke(cli, ["letters", str(folder / "members.csv"), "--format", "pdf",
                                      "--out", str(out), "--jobs", "2", "--date", "2026-11-24",
                                      "--print-pdf", str(folder / "print.pdf")])
    return folder, out, result


@pytest.mark.slow
def test_batch_writes_every_good_row(big_batch):
    folder, out, result = big_batch
    assert result.exit_code == 1  # some rows failed
    assert len(list(out.glob("letter-*.pdf"))) == 115
    assert "Made 115 letters, skipped 0 up to date, failed 5" in result.output
    assert "Letters: 120/120" in result.output  # quiet progress lines when not a terminal


@pytest.mark.slow
def test_errors_csv_names_the_bad_rows(big_batch):
    _, out, _ = big_batch
    errors = errors_of(out)
    assert [int(e["row"]) for e in errors] == [118, 119, 120, 121, 122]
    reasons = " ".join(e["reason"] for e in errors)
    for expected in ("no constituency called 'Atlantis North'", "unknown ask id free-money",
                     "keep it under 5,000", "a name is required", "ZZ99 9ZZ"):
        assert expected in reasons


@pytest.mark.slow
def test_print_pdf_has_every_letter_on_its_own_page(big_batch):
    folder, _, result = big_batch
    pages = int(pdf_info(folder / "print.pdf")["Pages"])
    assert pages >= 115
    first = pdf_text(folder / "print.pdf", 1, 1)
    assert "Yours sincerely" in first or "Dear" in first
    assert "Print PDF:" in result.output


@pytest.mark.slow
def test_print_pdf_keeps_each_letters_tags_and_a_bookmark(tmp_path, runner, cli):
    """The print file stays accessible: one Document, a Part per letter, in the right order."""
    from pypdf import PdfReader

    from campaign_kit.localdata.lookup import Places

    rows = member_rows(Places(), 4)
    (tmp_path / "m.csv").write_bytes(excel_csv(rows))
    out, merged = tmp_path / "out", tmp_path / "print.pdf"
    result = runner.invoke(cli, ["letters", str(tmp_path / "m.csv"), "--format", "pdf", "--out",
                                 str(out), "--jobs", "1", "--date", "2026-11-24",
                                 "--print-pdf", str(merged)])
    assert result.exit_code == 0, result.output
    assert pdf_info(merged)["Tagged"] == "yes"
    tree = pdf_structure(merged).splitlines()
    assert tree[0] == "Document"
    starts = [n for n, line in enumerate(tree) if line == "  Part"]
    assert len(starts) == 4
    names = [row[HEADER.index("Name")] for row in rows]
    for start, end, name in zip(starts, starts[1:] + [len(tree)], names, strict=True):
        assert f'"{name}"' in "\n".join(tree[start:end])  # each Part holds its own letter
    reader = PdfReader(str(merged))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en-GB" and catalog["/MarkInfo"]["/Marked"]
    assert b'pdfuaid:part="1"' in catalog["/Metadata"].get_object().get_data()
    titles = [item["/Title"] for item in reader.outline]
    assert [t.rsplit(" (", 1)[-1] for t in titles] == [f"{name})" for name in names]
    assert [page["/StructParents"] for page in reader.pages] == [0, 1, 2, 3]
    second = load_manifest(out / MANIFEST)["row-00003"]["paths"]
    assert pdf_text(merged, 2, 2) == pdf_text(Path(next(p for p in second if p.endswith(".pdf"))))


@pytest.mark.slow
def test_rerun_skips_up_to_date_and_redoes_changed_rows(runner, cli, tmp_path):
    from campaign_kit.localdata.lookup import Places

    rows = member_rows(Places(), 6)
    path = tmp_path / "m.csv"
    path.write_bytes(excel_csv(rows))
    args = ["letters", str(path), "--format", "txt", "--out", str(tmp_path / "o"), "--jobs", "1",
            "--date", "2026-11-24"]
    assert "Made 6 letters" in runner.invoke(cli, args).output
    assert "Made 0 letters, skipped 6 up to date" in runner.invoke(cli, args).output
    rows[2][4] = "SENCO and deputy head"
    path.write_bytes(excel_csv(rows))
    assert "Made 1 letters, skipped 5 up to date" in runner.invoke(cli, args).output
    assert "Made 6 letters" in runner.invoke(cli, args + ["--force"]).output


def test_hostile_names_stay_inside_out(runner, cli, tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("Name,Constituency\n../../etc/x,Aldershot\nCON:<>|?*\",Aldershot\n"
                    "/root/.ssh/id,Aldershot\n", encoding="utf-8")
    out = tmp_path / "o"
    result = runner.invoke(cli, ["letters", str(path), "--format", "txt", "--out", str(out),
                                 "--jobs", "1"])
    assert result.exit_code == 0, result.output
    made = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert made == ["letter-aldershot-con-.txt", "letter-aldershot-etc-x.txt",
                    "letter-aldershot-root-ssh-id.txt", "notes.csv"]
    assert not (tmp_path / "etc").exists()


@pytest.mark.slow
def test_duplicate_names_get_row_numbers(runner, cli, tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("Name,Constituency\nJo,Aldershot\nJo,Aldershot\n", encoding="utf-8")
    out = tmp_path / "o"
    assert runner.invoke(cli, ["letters", str(path), "--format", "txt", "--out", str(out),
                               "--jobs", "1"]).exit_code == 0
    assert sorted(p.name for p in out.glob("*.txt")) == ["letter-aldershot-jo-row3.txt",
                                                         "letter-aldershot-jo.txt"]


def test_interrupt_keeps_finished_work_and_leaves_no_partial_files(tmp_path):
    from campaign_kit.localdata.lookup import Places

    calls = {"n": 0}

    def flaky(engine, job, settings):
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt
        return letters.make_letter(engine, job, settings)

    rows = member_rows(Places(), 8)
    path = tmp_path / "m.csv"
    path.write_bytes(excel_csv(rows))
    job_list = letters.letter_jobs(letters.read_members(path), "x", ["txt"])
    out = tmp_path / "o"
    settings_ = {"formats": ["txt"], "out_dir": str(out), "date": "2026-11-24", "stems": {},
                 "templates_dir": None, "content_dir": None}
    summary = jobs.run_jobs(jobs.Task(load_engine, flaky), job_list, settings_, out, 1, False)
    assert summary.interrupted and summary.made == 3
    assert len(list(out.glob("*.txt"))) == 3
    assert not list(out.glob(".*.part"))
    manifest = load_manifest(out / MANIFEST)
    assert len(manifest) == 3  # the next run picks up from here


@pytest.mark.slow
def test_ctrl_c_on_a_running_pool(tmp_path):
    """SIGINT to the real command: stops, exit 130, every written PDF is whole."""
    from campaign_kit.localdata.lookup import Places

    path = tmp_path / "m.csv"
    path.write_bytes(excel_csv(member_rows(Places(), 300)))
    out = tmp_path / "o"
    proc = subprocess.Popen([sys.executable, "-m", "campaign_kit", "letters", str(path),
                             "--format", "pdf", "--out", str(out), "--jobs", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT,
                            start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline and len(list(out.glob("*.pdf"))) < 10:
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole process group
    output = proc.communicate(timeout=120)[0].decode()
    assert proc.returncode == 130, output
    assert "Interrupted" in output and "Traceback" not in output
    pdfs = list(out.glob("*.pdf"))
    assert 10 <= len(pdfs) < 300
    assert not list(out.glob(".*.part"))
    for pdf in pdfs:
        assert pdf_info(pdf)["Pages"] == "1"


@pytest.mark.slow
def test_kit_for_one_seat_and_resume(runner, cli, tmp_path):
    out = tmp_path / "kit"
    args = ["kit", "--constituency", "Aldershot", "--out", str(out), "--jobs", "1",
            "--date", "2027-11-24"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    seat = out / "aldershot"
    names = sorted(p.relative_to(seat).as_posix() for p in seat.rglob("*") if p.is_file())
    assert "deck-aldershot.pptx" in names and "letter-aldershot-template.docx" in names
    assert "roundtable-aldershot/briefing.pdf" in names and len(names) == 14
    assert "[Your name]" in (seat / "letter-aldershot-template.txt").read_text()
    assert "skipped 1 up to date" in runner.invoke(cli, args).output


def test_kit_region_must_exist(runner, cli, tmp_path):
    result = runner.invoke(cli, ["kit", "--region", "Atlantis", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "regions: East Midlands" in result.output


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_on_a_terminal_and_lines_in_a_log():
    tty, log = _Terminal(), io.StringIO()
    for stream in (tty, log):
        progress = Progress("Letters", stream)
        for done in range(1, 21):
            progress.show(done, 20)
        progress.close()
    assert "\rLetters [" in tty.getvalue() and "20/20" in tty.getvalue()
    assert "/s ETA" in tty.getvalue()
    lines = log.getvalue().splitlines()
    assert len(lines) == 10 and lines[-1].startswith("Letters: 20/20 (")


def no_setup(settings):
    return None


def die(state, job, settings):
    """A worker that dies as one killed for lack of memory would."""
    os._exit(1)


@pytest.mark.slow
def test_a_dying_worker_stops_the_batch_cleanly(tmp_path):
    summary = jobs.run_jobs(jobs.Task(no_setup, die), [jobs.Job("k", "Jo", 2, {})], {},
                            tmp_path, 2, False)
    assert summary.broken and not summary.interrupted
    assert "a worker process died" in describe(summary, "letters", tmp_path)


def test_postcode_wins_over_constituency_in_a_row(runner, cli, tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("Name,Postcode,Constituency\nJo,SE1 9ZZ,Aldershot\n", encoding="utf-8")
    out = tmp_path / "o"
    result = runner.invoke(cli, ["letters", str(path), "--format", "txt", "--out", str(out),
                                 "--jobs", "1"])
    assert result.exit_code == 0, result.output
    made = [p.name for p in out.glob("*.txt")]
    assert made == ["letter-bermondsey-and-old-southwark-jo.txt"]
    assert "Dear Mr Coyle," in (out / made[0]).read_text(encoding="utf-8")


def test_notes_csv_says_what_to_check_in_each_letter(tmp_path, runner, cli):
    """What a row's letter came with (no address, the council its postcode chose, no local
    figure that argues) is in notes.csv, worded by the CSV's columns, for the rows made now
    and those up to date; a failed row has its reason in errors.csv and no notes."""
    members = tmp_path / "m.csv"

    def run(rows: str) -> tuple[str, list[list[str]]]:
        members.write_text("Name,Postcode,Address,Story\n" + rows, "utf-8")
        result = runner.invoke(cli, ["letters", str(members), "--format", "txt", "--jobs", "1",
                                     "--out", str(tmp_path / "out")])
        notes = tmp_path / "out" / "notes.csv"
        return result.output, list(csv.reader(io.StringIO(notes.read_text("utf-8-sig"))))

    rows = ('Al Brent,NW6 6RD,"1 High Rd, London NW6 6RD",We wait a year for plans.\n'
            "Bo West,W9 1AA,,\n"
            '=Cy,GU11 1AA,"2 Rd, Aldershot GU11 1AA",\n'
            "Dee Bad,ZZ99 9ZZ,,\n")
    said, notes = run(rows)
    assert "Notes on 3 rows to check before sending:" in said and "failed 1" in said
    assert notes[0] == ["row", "name", "note"]
    assert [(r, n) for r, n, _ in notes[1:]] == [("2", "Al Brent")] + [("3", "Bo West")] * 4 \
        + [("4", "'=Cy")]  # a cell that starts like a formula is written as text
    text = {r: [note for row, _, note in notes[1:] if row == r] for r in ("2", "3")}
    assert text["2"] == ["NW6 6RD is in Brent, so the letter draws on Brent's figures (Queen's "
                         "Park and Maida Vale also spans Westminster); put another council in "
                         "the council column to draw on its figures instead"]
    assert text["3"][0].startswith("no address: MPs act only for their own constituents, so "
                                   "put the member's address in Queen's Park and Maida Vale "
                                   "in the address column")
    assert text["3"][1].startswith("no story:") and "story column" in text["3"][1]
    assert text["3"][3].startswith("no published figure for Westminster makes the case")
    # up to date on a second run: the notes stay; mended, they go
    again, kept = run(rows)
    assert "skipped 3 up to date" in again and kept == notes
    _, mended = run(rows.replace("Bo West,W9 1AA,,", 'Bo West,W9 1AA,"3 Elgin Av, London",A '
                                                    "story."))
    assert [(r, n[:10]) for r, _, n in mended[1:] if n.startswith(("no address", "no story"))] \
        == [("4", "no story: ")]  # row 3's are gone; row 4 still has no story
