"""Issue 14: kits for many seats with their own events (kit --events, or the event options
once), bad rows to errors.csv, and the index of a run (index.csv, a one-page index.pdf)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from campaign_kit.runs import kits as regional

from .extract import page_fills, pdf_info, pdf_text, squash

TODAY = dt.date(2026, 11, 24)


def read_csv(path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


EVENTS = (  # as Excel saves "CSV" in a locale with a decimal comma: ; and Windows-1252
    "Seat;Postcode;Date;Time;Venue;Host name;Role;Email;Phone;Asks\r\n"
    "Hexham;;10/02/2027;16:00;Hexham Middle School;Sam Patel;Regional official;"
    "sam.patel@example.org;0191 498 0000;long-term-funding\r\n"
    ";SO14 0GE;2027-03-03;16:00;A school;Jo Bloggs;;;;\r\n"
    "Nowhere Special;;2027-03-03;16:00;;;;;;\r\n"
    "Blyth and Ashington;;30/02/2027;16:00;;;;;;\r\n"
    "Tynemouth;;2027-03-04;16:00;;Ann;;ann@;;\r\n"
    "hexham;;2027-03-05;16:00;;;;;;\r\n"
    "\r\n"
    "Ynys Môn;;;;Ysgol y Graig, Llangefni;;;;;\r\n"
    "Stockton North;;;;;;;;;no-such-ask\r\n")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    from click.testing import CliRunner

    from campaign_kit.cli import cli

    folder = tmp_path_factory.mktemp("events")
    events = folder / "events.csv"
    events.write_bytes(EVENTS.encode("cp1252"))
    out = folder / "out"
    result = CliRunner().invoke(cli, ["kit", "--events", str(events), "--host-role",
                                      "Regional official", "--dated", "2026-11-24",
                                      "--jobs", "1", "--out", str(out)])
    return result, out


@pytest.mark.slow
def test_good_rows_are_made_with_their_own_events(run):
    result, out = run
    assert result.exit_code == 1, result.output  # some rows failed; the good ones are made
    assert "Made 2 kits" in result.output and "failed 6" in result.output
    pack = out / "hexham" / "roundtable-hexham"
    invitation = squash(pdf_text(pack / "invitation.pdf"))
    assert "Wednesday 10 February 2027 from 16:00 to 17:30 at Hexham Middle School" in invitation
    assert "Sam Patel Regional official, NAHT Email: sam.patel@example.org" in invitation
    assert "1. A long-term high-needs funding strategy" in invitation
    assert "Cancelling councils' high-needs deficits" not in invitation  # the row's asks only
    assert (pack / "invitation.ics").is_file()
    # the template letter keeps its own date and the campaign's asks
    letter = (out / "hexham" / "letter-hexham-template.txt").read_text(encoding="utf-8")
    assert "24 November 2026" in letter
    # a seat with no date or organiser: marked spaces, the option's role, no .ics
    wales = out / "ynys-mon" / "roundtable-ynys-mon"
    text = squash(pdf_text(wales / "invitation.pdf"))
    assert "at Ysgol y Graig, Llangefni" in text and "Ynys Môn" in text
    assert "[Organiser's name] Regional official, NAHT Email: [Email address]" in text
    assert not (wales / "invitation.ics").exists()


@pytest.mark.slow
def test_bad_rows_go_to_errors_csv_with_their_row_and_reason(run):
    _, out = run
    errors = {int(r["row"]): r for r in read_csv(out / "errors.csv")}
    assert sorted(errors) == [3, 4, 5, 6, 7, 10]
    assert "split between Southampton Test (60%" in errors[3]["reason"]
    assert "Southampton Itchen" in errors[3]["reason"]
    assert "put one of them in the seat column" in errors[3]["reason"]
    assert errors[4]["reason"].startswith("no constituency called 'Nowhere Special'")
    assert errors[5]["reason"].startswith("the date 30/02/2027 is not a real date")
    assert errors[5]["name"] == "Blyth and Ashington"
    assert "the email 'ann@' does not look like an email address" in errors[6]["reason"]
    assert errors[7]["reason"] == "Hexham already has its event on row 2 (one event per " \
        "seat: one folder per seat)"
    assert errors[10]["reason"].startswith("unknown ask id no-such-ask; valid ids:")


@pytest.mark.slow
def test_notes_csv_lists_what_to_check_in_each_pack(run):
    """Ynys Môn's row has no date: its pack has no calendar invitation, and in Wales the
    pack and deck make no asks and leave out England's figures, which notes.csv says;
    Hexham's pack needs nothing."""
    result, out = run
    assert "Notes on 1 row to check before sending" in result.output
    notes = read_csv(out / "notes.csv")
    assert {r["row"] for r in notes} == {"9"} and {r["name"] for r in notes} == {"Ynys Môn"}
    said = " ".join(r["note"] for r in notes)
    assert "no calendar invitation (invitation.ics)" in said
    assert "The pack makes no asks." in said and "The deck makes no asks." in said
    assert "Education is devolved in Wales" in said


@pytest.mark.slow
def test_the_index_lists_what_was_made_and_where(run):
    _, out = run
    rows = read_csv(out / "index.csv")
    assert list(rows[0]) == list(regional.INDEX_COLUMNS)
    by_seat = {r["seat"]: r for r in rows}
    assert by_seat["Hexham"]["folder"] == "hexham/" and by_seat["Hexham"]["status"] == "made"
    assert by_seat["Hexham"]["event_date"] == "2027-02-10"
    assert by_seat["Hexham"]["councils"] == "Northumberland; Newcastle upon Tyne"
    assert by_seat["Ynys Môn"]["mp"] == "Llinos Medi MP"
    # a row that named a seat but failed is in the index, marked; one that named none is not
    assert by_seat["Blyth and Ashington"]["status"].startswith("failed: the date 30/02/2027")
    assert "Nowhere Special" not in by_seat
    assert pdf_info(out / "index.pdf")["Pages"] == "1"
    assert pdf_info(out / "index.pdf")["Tagged"] == "yes"
    text = squash(pdf_text(out / "index.pdf"))
    assert "Kits for the seats in events.csv" in text
    assert "Hexham Joe Morris MP Northumberland; Newcastle upon Tyne 10 Feb 2027, 16:00 " \
        "hexham/" in text


@pytest.mark.slow
@pytest.mark.parametrize("region, layout", [("North East", "table"),
                                            ("South East", "list"), (None, "regions")])
def test_index_is_one_page_at_a_readable_size(engine, tmp_path, region, layout):
    from .extract import pdf_text_sizes

    seats = [s for s in engine.places.all_constituencies() if region in (None, s.region)]
    entries = [regional.SeatEvent(n, s.name, s.code, {"date": "2027-02-10"})
               for n, s in enumerate(seats, 1)]
    rows = regional.index_rows(engine, entries, {seats[1].code: "a failure"}, TODAY)
    assert len(rows) == len(seats)
    paths = regional.write_index(engine, tmp_path, "Kits", rows, TODAY)
    pdf = next(p for p in paths if p.suffix == ".pdf")
    assert len(page_fills(pdf)) == 1
    sizes = [size for size, _ in pdf_text_sizes(pdf)[0]]
    assert min(sizes) >= 7, "readable when printed"
    text = squash(pdf_text(pdf))
    if layout == "table":  # (cells wrap: pdftotext interleaves their lines)
        assert "Seat MP Councils Event Folder" in text and "(not made)" in text
        assert "Hexham Joe Morris MP" in text and "Redcar Rt Hon Anna Turley" in text
    elif layout == "list":
        assert f"{seats[0].name}: {seats[0].mp.full_title}" in text
        assert len(seats) == 91 and all(s.mp.full_title in text for s in seats)
    else:
        assert "Yorkshire and The Humber" in text and "index.csv has each seat" in text
    assert len(read_csv(tmp_path / "index.csv")) == len(seats)


def test_event_options_are_checked_before_any_work(runner, cli, tmp_path):
    result = runner.invoke(cli, ["kit", "--region", "North East", "--host-phone", "123",
                                 "--out", str(tmp_path)])
    assert result.exit_code == 1 and "--host-phone '123' is not a UK phone number" in \
        result.output
    assert not any(tmp_path.iterdir())
    result = runner.invoke(cli, ["kit", "--region", "North East", "--asks", "nope",
                                 "--out", str(tmp_path)])
    assert result.exit_code == 1 and "unknown ask id nope" in result.output
    result = runner.invoke(cli, ["kit", "--all", "--events", "x.csv", "--out", str(tmp_path)])
    assert result.exit_code == 2


def test_an_events_csv_needs_a_place_column(runner, cli, tmp_path):
    events = tmp_path / "events.csv"
    events.write_text("Date,Venue\n2027-02-10,A school\n", encoding="utf-8")
    result = runner.invoke(cli, ["kit", "--events", str(events), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "needs a 'seat' (or 'constituency') or a 'postcode' column (found: Date, Venue)" \
        in result.output


def test_a_row_with_a_postcode_and_its_seat_takes_the_seat(engine, tmp_path):
    events = tmp_path / "events.csv"
    events.write_text("postcode,constituency,date\nSO14 0GE,Southampton Itchen,2027-02-10\n",
                      encoding="utf-8")
    (entry,) = regional.read_events(engine, events, {}, TODAY)
    assert not entry.problem and entry.label == "Southampton Itchen"
    assert entry.details["date"] == "2027-02-10"
