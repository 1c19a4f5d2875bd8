"""The place store: importers against the real public files, lookups, and bad input."""

from __future__ import annotations

import json
import sqlite3

import pytest

from campaign_kit.errors import DataError, NotFound
from campaign_kit.localdata import importers
from campaign_kit.localdata.names import normalise_name, normalise_postcode, salutation
from campaign_kit.localdata.store import build_store, import_postcodes

from .conftest import SHARED_DATA, needs_shared


# -- names ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "title, display, gender, family, expected",
    [
        ("Rt Hon Sir Keir Starmer MP", "Sir Keir Starmer", "M", "Starmer", "Dear Sir Keir"),
        ("Dr Kieran Mullan MP", "Dr Kieran Mullan", "M", "Mullan", "Dear Dr Mullan"),
        ("Dame Meg Hillier MP", "Dame Meg Hillier", "F", "Hillier", "Dear Dame Meg"),
        ("Rt Hon Wendy Morton MP", "Wendy Morton", "F", "Morton", "Dear Ms Morton"),
        ("Rt Hon Kemi Badenoch MP", "Mrs Kemi Badenoch", "F", "Badenoch", "Dear Mrs Badenoch"),
        ("Rt Hon Sir Iain Duncan Smith MP", "Sir Iain Duncan Smith", "M", "Duncan Smith",
         "Dear Sir Iain"),
        ("Liz Saville Roberts MP", "Liz Saville Roberts", "F", "Saville Roberts",
         "Dear Ms Saville Roberts"),
        ("Alex Baker MP", "Alex Baker", "", "", "Dear Alex Baker"),
        ("Rt Hon Dr Andrew Murrison MP", "Dr Andrew Murrison", "M", "", "Dear Dr Murrison"),
    ],
)
def test_salutation_follows_uk_convention(title, display, gender, family, expected):
    assert salutation(title, display, gender, family) == expected


def test_normalise_name_is_forgiving():
    assert normalise_name("Ynys Môn") == "ynys mon"
    assert normalise_name("Holborn & St. Pancras") == "holborn and st pancras"


@pytest.mark.parametrize("raw, expected", [("sw1a0aa", "SW1A 0AA"), (" M1  1AD ", "M1 1AD"),
                                           ("SW1A 0A", None), ("hello", None)])
def test_normalise_postcode(raw, expected):
    assert normalise_postcode(raw) == expected


@pytest.mark.parametrize("raw, expected", [("2,533", 2533.0), ("3.50%", 3.5), (" - ", None),
                                           ("x", None), ("~", None), ("z", None), ("", None)])
def test_number_treats_markers_as_missing(raw, expected):
    assert importers.number(raw) == expected


# -- the bundled store -------------------------------------------------------------------------
def test_every_seat_has_an_mp_and_every_english_seat_council_figures(places):
    seats = places.all_constituencies()
    assert len(seats) == 650
    assert {s.nation for s in seats} == {"England", "Scotland", "Wales", "Northern Ireland"}
    assert sum(s.in_england for s in seats) == 543
    assert sum(not s.mp.email for s in seats) < 10
    for seat in seats:
        assert seat.mp.name, seat.name
        # the Members API has no address for a few MPs ("No email found"): kept empty, not faked
        assert seat.mp.email == "" or "@" in seat.mp.email, seat.name
        assert seat.mp.salutation.startswith("Dear ") and len(seat.mp.salutation) > 6
        if seat.in_england:
            assert seat.councils, seat.name
            for council in seat.councils:
                assert places.figures(council.code).latest("ehcp_plans").value > 0


def test_153_english_councils_with_figures(places):
    codes = [c for (c,) in places.db.execute("SELECT code FROM councils WHERE nation='England'")]
    assert len(codes) == 153


@pytest.mark.parametrize("query", ["Aldershot", "aldershot", "E14001063", "e14001063"])
def test_aldershot_is_alex_baker_with_hampshire(places, query):
    seat = places.find(query)
    assert seat.name == "Aldershot"
    assert seat.mp.full_title == "Alex Baker MP"
    assert seat.mp.salutation == "Dear Ms Baker"
    assert [c.name for c in seat.councils] == ["Hampshire"]
    hants = places.figures(seat.councils[0].code)
    assert hants.latest("ehcp_plans").value == 17784
    assert hants.latest("ehcp_plans").period == "January 2025"
    assert hants.latest("timely_20wk_pc").value == 41.0
    assert hants.latest("ehcp_plans").source.licence.startswith("Open Government Licence")


def test_england_totals(places):
    england = places.england()
    assert england.latest("ehcp_plans").value == 638745
    assert england.latest("timely_20wk_pc").value == 45.9
    assert england.latest("tribunal_rate_pc").value == 3.2


@pytest.mark.parametrize(
    "query, name",
    [("holborn & st pancras", "Holborn and St Pancras"), ("Ynys Mon", "Ynys Môn"),
     ("sheffield central", "Sheffield Central"), ("Hodge Hill",
      "Birmingham Hodge Hill and Solihull North"), ("SE1 9ZZ", "Bermondsey and Old Southwark"),
     ("m111aa", "Manchester Central"), ("AL1 1AA", "St Albans")],
)
def test_forgiving_lookups(places, query, name):
    assert places.find(query).name == name


def test_seat_spanning_two_councils_and_council_spanning_seats(places):
    seat = places.find("Birmingham Hodge Hill and Solihull North")
    assert [c.name for c in seat.councils] == ["Birmingham", "Solihull"]
    hants = places.council("Hampshire")
    seats = [s.name for s in places.seats_for_council(hants)]
    assert "Aldershot" in seats and len(seats) > 5


def test_devolved_seat_resolves_with_note(runner, cli):
    result = runner.invoke(cli, ["lookup", "Ynys Môn"])
    assert result.exit_code == 0
    assert "Llinos Medi" in result.output
    assert "Education is devolved in Wales" in result.output
    assert "EHC plans" not in result.output


def test_lookup_json_matches_text(runner, cli):
    result = runner.invoke(cli, ["lookup", "E14001063", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["mp"]["name"] == "Alex Baker"
    hants = data["councils"][0]
    assert hants["name"] == "Hampshire"
    assert hants["figures"]["ehcp_plans"]["latest"] == {
        "value": 17784.0, "period": "January 2025", "source": "sen2", "cite": "DfE SEN2 2025"}
    assert {s["id"] for s in data["sources"]} >= {"mps", "sen2"}


# -- bad input -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "query, message",
    [("Sheffeld Centrl", "did you mean Sheffield Central"),
     ("SW1A 0A", "not a valid UK postcode"),
     ("ZZ9 9ZZ", "no postcode in Great Britain starts with ZZ9"),
     ("E14999999", "no constituency, council or district has the code")],
)
def test_bad_lookups_are_one_line_errors(runner, cli, query, message):
    result = runner.invoke(cli, ["lookup", query])
    assert result.exit_code == 1
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_closest_matches_are_at_most_three(places):
    with pytest.raises(NotFound) as err:
        places.find("Aldershott")
    assert "Aldershot" in str(err.value)
    assert str(err.value).count(",") <= 2


# -- importers against the real files ------------------------------------------------------------
@needs_shared
def test_tribunal_table_parses_spreadsheet_layout():
    rows = list(importers.read_tribunal(SHARED_DATA /
                                        "sen2_2025_SEND_Tribunals_and_appeal_rate_2014-2024.csv"))
    def figures(code, measure):
        return {r.order: r.value for r in rows if r.council == code and r.measure == measure}

    hants = figures("850", "tribunal_rate_pc")
    assert hants[2014] == 3.2 and hants[2024] == 3.5
    assert figures(importers.ENGLAND, "tribunal_rate_pc")[2024] == 3.2
    # the counts behind the rate: "166,"5,242",3.20%" and " - " (a zero) in the City of London
    assert figures("850", "tribunal_appeals_n")[2014] == 166
    assert figures("850", "tribunal_decisions_n")[2014] == 5242
    assert figures("201", "tribunal_appeals_n")[2024] == 0
    assert figures("201", "tribunal_decisions_n")[2024] == 26


@needs_shared
def test_build_names_missing_files(tmp_path):
    with pytest.raises(DataError, match="mp_lookup_dfe.csv"):
        build_store(tmp_path, tmp_path / "x.sqlite")
    assert not (tmp_path / "x.sqlite").exists()


@needs_shared
@pytest.mark.parametrize("fixture, postcode, seat", [
    ("onspd_aug2024_fixture_democracyclub.csv", "AL1 1AA", "E14001507"),
    ("onspd_nov2025_fixture_democracyclub.csv", "AB1 0AA", "S14000061"),
])
def test_import_postcodes_both_layouts(tmp_path, fixture, postcode, seat):
    target = tmp_path / "pc.sqlite"
    count = import_postcodes(SHARED_DATA / fixture, target)
    assert count >= 3
    db = sqlite3.connect(target)
    assert db.execute("SELECT seat, live FROM postcodes WHERE postcode=?",
                      (postcode,)).fetchone() == (seat, 0)


def test_imported_index_is_used_by_lookup(tmp_path, runner, cli, monkeypatch):
    csv_file = tmp_path / "onspd.csv"
    csv_file.write_text("pcd7,pcds,doterm,pcon24cd\nSW1A0AA,SW1A 0AA,,E14001172\n",
                        encoding="utf-8")
    result = runner.invoke(cli, ["data", "import-postcodes", str(csv_file)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["lookup", "sw1a 0aa"])
    assert result.exit_code == 0, result.output
    assert "Cities of London and Westminster" in result.output


def test_importer_names_file_and_missing_columns(tmp_path, runner, cli):
    bad = tmp_path / "wrong.csv"
    bad.write_text("postcode,constituency\nAL1 1AA,E14001507\n", encoding="utf-8")
    result = runner.invoke(cli, ["data", "import-postcodes", str(bad)])
    assert result.exit_code == 4
    assert "wrong.csv" in result.output and "pcds" in result.output and "pcon24cd" in result.output
    assert "Traceback" not in result.output


def test_data_status_lists_sources_and_licences(runner, cli):
    result = runner.invoke(cli, ["data", "status"])
    assert result.exit_code == 0
    assert "Open Parliament Licence v3.0" in result.output
    assert "Education, health and care plans" in result.output
    assert "rows: 650" in result.output
