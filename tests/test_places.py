"""Finding the right MP: every GB postcode, old names, councils, districts, aliases; never a
guess; salutations for all 650 MPs; council display names; portraits; joins that check
themselves. Tests marked needs_shared compare with the raw public files in ../shared/data."""

from __future__ import annotations

import csv
import json
import random
import re
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaign_kit.errors import Ambiguous, CampaignKitError, NotFound
from campaign_kit.localdata.names import council_key, normalise_name
from campaign_kit.localdata.resolve import HOWS, Match, load_aliases
from campaign_kit.localdata.sources import CODEPOINT_ATTRIBUTION, PORTRAIT_CREDIT
from campaign_kit.localdata.store import build_store

from .conftest import SHARED_DATA, needs_shared

TRIBUNAL = "sen2_2025_SEND_Tribunals_and_appeal_rate_2014-2024.csv"


@pytest.fixture(scope="session")
def built_store(tmp_path_factory):
    """The store built once from ../shared/data by the importer, with what it reported."""
    target = tmp_path_factory.mktemp("built") / "places.sqlite"
    found: list[str] = []
    counts = build_store(SHARED_DATA, target, report=found.append)
    return target, counts, found


def one_line(result) -> str:
    assert "Traceback" not in result.output and "unexpected" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    return lines[0]


# -- postcodes: the README's examples work from the bundled store alone ------------------------
@pytest.mark.parametrize("postcode, seat", [
    ("SW1A 1AA", "Cities of London and Westminster"), ("M1 1AE", "Manchester Central"),
    ("ls1 4dy", "Leeds South"), ("B1 1BB", "Birmingham Ladywood"),
    ("CF101EP", "Cardiff South and Penarth"), ("GU14 6AA", "Aldershot"),
])
def test_real_postcodes_give_their_seat(places, postcode, seat):
    match = places.resolve(postcode)
    assert match.how == "postcode" and match.unique
    assert places.constituency(match.seat).name == seat
    assert "Code-Point Open" in match.source


def test_split_ward_postcode_lists_candidates_with_shares(places, runner, cli):
    match = places.resolve("EH1 1YZ")
    assert not match.unique and match.how == "postcode"
    names = [c.name for c in match.candidates]
    assert "Edinburgh North and Leith" in names and len(names) >= 2
    assert abs(sum(c.share for c in match.candidates) - 100) < 0.5
    assert all(c.basis == "postcodes" and c.mp for c in match.candidates)
    with pytest.raises(Ambiguous) as err:
        places.find("EH1 1YZ")
    assert err.value.candidates == match.candidates
    assert "\n" not in str(err.value) and "Edinburgh North and Leith" in str(err.value)
    result = runner.invoke(cli, ["lookup", "EH1 1YZ"])
    assert result.exit_code == 2
    assert "split between" in result.output and "Tracy Gilbert" in result.output
    result = runner.invoke(cli, ["lookup", "EH1 1YZ", "--json"])
    assert result.exit_code == 2
    data = json.loads(result.output)["match"]
    assert data["unique"] is False and data["how"] == "postcode"
    assert {c["name"] for c in data["candidates"]} == set(names)


def test_unknown_postcode_falls_back_to_its_sector(places):
    index = places.codepoint
    known = set(index.iter_postcodes("GU14"))
    sector6 = [p for p in known if p.startswith("GU14 6")]
    missing = next(f"GU14 6{a}{b}" for a in "ABDEFGHJLNPQRSTUWXYZ" for b in "WXYZ"
                   if f"GU14 6{a}{b}" not in known)
    assert sector6
    match = places.resolve(missing)
    assert match.how == "postcode sector" and not match.unique
    assert "not in the postcode list" in match.message and "GU14 6" in match.message
    assert match.candidates[0].name == "Aldershot"
    with pytest.raises(Ambiguous):  # even one candidate is not a certainty: confirm it
        places.find(missing)


def test_sectors_and_districts_list_their_seats(places):
    sector = places.resolve("BR6 7")
    assert sector.how == "postcode sector" and sector.candidates[0].name == "Orpington"
    district = places.resolve("gu14")
    assert district.how == "postcode district" and district.candidates[0].name == "Aldershot"


@pytest.mark.parametrize("query, words", [
    ("SW1A 0A", "looks like SW1A 1AA"), ("NOT A POSTCODE 1", "looks like"),
    ("ZZ9 9ZZ", "no postcode in Great Britain starts with ZZ9"),
    ("JE2 3AB", "no MP at Westminster"),
])
def test_bad_postcodes_are_one_line(runner, cli, query, words):
    result = runner.invoke(cli, ["lookup", query])
    assert result.exit_code == 1
    assert words in one_line(result)


def test_northern_ireland_postcode_lists_18_seats_and_points_to_onspd(places, runner, cli):
    match = places.resolve("BT7 1NN")
    assert match.how == "Northern Ireland postcode" and len(match.candidates) == 18
    assert "Great Britain only" in match.message and "campaign-kit" not in match.message
    assert "campaign-kit data import-postcodes" in runner.invoke(cli, ["lookup", "BT7 1NN"]).output
    result = runner.invoke(cli, ["letter", "--postcode", "BT7 1NN", "--name", "Jo"])
    assert result.exit_code == 2
    line = one_line(result)
    assert "Northern Ireland" in line and "--constituency" in line


def test_imported_onspd_answers_first(tmp_path, runner, cli):
    onspd = tmp_path / "ONSPD_NOV_2025_UK.csv"
    onspd.write_text("pcds,doterm,pcon24cd\nEH1 1YZ,,S14000079\nBT7 1NN,,N05000003\n",
                     encoding="utf-8")
    assert runner.invoke(cli, ["data", "import-postcodes", str(onspd)]).exit_code == 0
    result = runner.invoke(cli, ["lookup", "EH1 1YZ", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["name"] == "Edinburgh North and Leith"
    assert data["match"]["source"] == "ONS Postcode Directory, November 2025 (imported)"
    assert json.loads(runner.invoke(cli, ["lookup", "BT7 1NN", "--json"]).output)["name"] \
        == "Belfast South and Mid Down"
    status = runner.invoke(cli, ["data", "status"]).output
    assert "1. ONS Postcode Directory, November 2025 (imported)" in status


def test_data_status_names_postcode_sources_in_order_with_attribution(runner, cli):
    result = runner.invoke(cli, ["data", "status"])
    assert result.exit_code == 0
    out = result.output
    assert "not imported" in out
    assert out.index("1. ONS Postcode Directory") < out.index("3. Ordnance Survey Code-Point")
    assert CODEPOINT_ATTRIBUTION in out
    assert "2023 edition" in out
    assert "the row for 'Nottingham' carries code 891" in out  # the build's findings
    assert PORTRAIT_CREDIT in out


@pytest.mark.slow
@needs_shared
def test_thousands_of_codepoint_postcodes_give_a_seat_or_a_list(places):
    """Sampled across Great Britain: one seat, or an explicit list, and every seat given
    spans the postcode's own district (Code-Point Open's Admin_district_code)."""
    rnd = random.Random(2023)
    files = sorted((SHARED_DATA / "codepo_2023" / "csv").glob("*.csv"))
    rows = []
    for path in rnd.sample(files, 30):
        with open(path, encoding="utf-8", newline="") as handle:
            area = [r for r in csv.reader(handle) if r[9]]
        rows += rnd.sample(area, min(120, len(area)))
    assert len(rows) > 3000
    districts: dict[str, set[str]] = {}
    for seat, district in places.db.execute("SELECT seat, district FROM seat_districts"):
        districts.setdefault(seat, set()).add(district)
    wards = {r["wardId"]: r for r in csv.DictReader(
        open(SHARED_DATA / "ward_to_constituencies_mapping_12v.csv", encoding="utf-8-sig"))}
    hows = Counter()
    for postcode, *_, district, ward in rows:
        match = places.resolve(postcode)
        hows[match.how] += 1
        assert match.seat or match.candidates, postcode
        seats = [match.seat] if match.seat else [c.code for c in match.candidates]
        if match.how == "postcode":
            for seat in seats:
                assert district in districts[seat], (postcode, seat)
            # the ward file, read here independently, names the same seats
            named = {places.resolver.seat_by_key[normalise_name(wards[ward][f"constituency{i}"])]
                     for i in range(1, 5) if wards[ward][f"constituency{i}"]}
            assert set(seats) <= named
            for left_out in named - set(seats):  # only boundary noise outside the district
                assert district not in districts[left_out], (postcode, left_out)
    assert hows["postcode"] > 0.99 * len(rows)


@pytest.mark.slow
@needs_shared
def test_ward_names_all_join_to_seats(built_store):
    _, _, found = built_store
    assert not [m for m in found if "matches no 2024 seat" in m]


# -- names people use -------------------------------------------------------------------------
def test_bristol_west_was_abolished_and_lists_its_successors(places, runner, cli):
    match = places.resolve("Bristol West")
    assert match.how == "old name" and not match.unique
    assert match.message.startswith("Bristol West was abolished at the 2024 election; its area "
                                    "is now in Bristol Central (68% of its people)")
    assert [c.name for c in match.candidates][0] == "Bristol Central"
    result = runner.invoke(cli, ["letter", "--constituency", "Bristol West", "--name", "Jo"])
    assert result.exit_code == 2
    line = one_line(result)
    assert "Bristol Central" in line and '--constituency "NAME"' in line


def test_every_old_name_resolves_to_its_namesake_or_an_explicit_list(places):
    old = places.db.execute("SELECT code, name FROM old_seats").fetchall()
    assert len(old) == 650
    namesakes = lists = 0
    for code, name in old:
        match = places.resolve(name)
        if match.how in ("exact name", "normalised name"):
            assert normalise_name(places.constituency(match.seat).name) == normalise_name(name)
            namesakes += 1
            continue
        assert match.how == "old name", name
        assert match.candidates, name
        assert name in match.message
        if match.unique:  # only when all of the old seat's people are in one new seat
            assert len(match.candidates) == 1 and match.candidates[0].share >= 99.9
        lists += 1
        by_code = places.resolve(code)
        assert by_code.candidates == match.candidates
    assert namesakes > 400 and lists > 150


@pytest.mark.parametrize("query, how, seats", [
    ("Kirklees", "council", {"Huddersfield", "Spen Valley", "Colne Valley",
                             "Dewsbury and Batley", "Ossett and Denby Dale"}),
    ("Rushmoor", "district", {"Aldershot"}),
    ("Anglesey", "alias", {"Ynys Môn"}),
    ("Farnborough", "alias", {"Aldershot", "Orpington"}),
    ("Hull", "council", {"Kingston upon Hull East", "Kingston upon Hull North and Cottingham",
                         "Kingston upon Hull West and Haltemprice"}),
    ("Isle of Anglesey", "council", {"Ynys Môn"}),
    ("Hodge Hill", "partial name", {"Birmingham Hodge Hill and Solihull North"}),
])
def test_councils_districts_and_aliases(places, query, how, seats):
    match = places.resolve(query)
    assert match.how == how
    assert {c.name for c in match.candidates} == seats
    assert match.unique == (len(seats) == 1)


@pytest.mark.parametrize("query, how, seats", [
    ("Queens Park and Maida Vale", "normalised name", {"Queen's Park and Maida Vale"}),
    ("queens park", "partial name", {"Queen's Park and Maida Vale"}),
    ("Queen's Park and Maida Vale", "exact name", {"Queen's Park and Maida Vale"}),
    ("Kings Lynn and West Norfolk", "district", {"North West Norfolk", "South West Norfolk"}),
    ("King’s Lynn and West Norfolk", "district", {"North West Norfolk", "South West Norfolk"}),
])
def test_names_typed_without_their_apostrophe(places, query, how, seats):
    """Members type "Queens Park" for Queen's Park (a key of its own once punctuation goes)."""
    match = places.resolve(query)
    assert (match.how, {c.name for c in match.candidates}) == (how, seats)
    assert match.unique == (len(seats) == 1)


@pytest.mark.parametrize("query", ["s", "'s", "%s", "S"])
def test_a_lone_letter_is_no_part_of_a_name(places, query):
    """The 's' left of "Queen's" once punctuation goes is not a word a query can match."""
    match = places.resolve(query)
    assert not match.candidates and match.seat is None


def test_a_place_typed_without_its_apostrophe_is_offered_not_chosen(places):
    match = places.resolve("kings lynn")
    assert match.how == "suggestion" and not match.candidates
    assert match.suggestions == ("King's Lynn and West Norfolk",)


@pytest.mark.parametrize("query", ["Aldershott", "Farnboro", "Gainsboro", "Sheffeld Centrl"])
def test_fuzzy_matches_are_suggestions_never_choices(places, query):
    match = places.resolve(query)
    assert match.how == "suggestion" and not match.unique and not match.candidates
    assert match.suggestions and "did you mean" in match.message
    with pytest.raises(NotFound) as err:
        places.find(query)
    assert not isinstance(err.value, Ambiguous)


def test_alias_file_has_a_source_for_each_and_its_evidence_holds(places):
    from campaign_kit.localdata.resolve import ALIASES

    aliases = load_aliases(ALIASES, places.resolver.seat_by_key)
    assert len(aliases) >= 4
    rows = list(csv.DictReader(open(ALIASES, encoding="utf-8")))
    assert all(len(r["source"]) > 30 for r in rows)
    # Farnborough's source names its postcodes: check them against the index
    assert places.resolve("GU14").candidates[0].name == "Aldershot"
    assert places.resolve("BR6 7").candidates[0].name == "Orpington"


def test_a_row_with_a_split_postcode_goes_to_errors_with_its_candidates(runner, cli, tmp_path):
    members = tmp_path / "m.csv"
    members.write_text("Name,Postcode,Constituency\nAmy,EH1 1YZ,\nBen,GU14 6AA,\n"
                       "Cat,EH1 1YZ,Edinburgh West\n", encoding="utf-8")
    out = tmp_path / "o"
    result = runner.invoke(cli, ["letters", str(members), "--format", "txt", "--out", str(out),
                                 "--jobs", "1"])
    assert result.exit_code == 1
    assert sorted(p.name for p in out.glob("*.txt")) == ["letter-aldershot-ben.txt",
                                                         "letter-edinburgh-west-cat.txt"]
    errors = list(csv.DictReader(open(out / "errors.csv", encoding="utf-8-sig")))
    assert [e["name"] for e in errors] == ["Amy"]
    assert "Edinburgh North and Leith" in errors[0]["reason"]
    assert "split between" in errors[0]["reason"]


def test_locate_takes_the_constituency_only_from_the_postcodes_candidates(places):
    seat, _ = places.locate("Edinburgh West", "EH1 1YZ")
    assert seat.name == "Edinburgh West"
    with pytest.raises(NotFound, match="not one of them"):
        places.locate("Aldershot", "EH1 1YZ")


@pytest.mark.parametrize("args", [
    ["roundtable", "--postcode", "EH1 1YZ"],
    ["deck", "--postcode", "EH1 1YZ"],
    ["deck", "--constituency", "Kirklees"],
])
def test_documents_stop_with_the_candidates_and_the_option(runner, cli, tmp_path, args):
    result = runner.invoke(cli, [*args, "--out", str(tmp_path)])
    assert result.exit_code == 2
    line = one_line(result)
    assert "--constituency" in line and ("Edinburgh" in line or "Huddersfield" in line)


@pytest.mark.slow
def test_ambiguous_council_names_the_option(runner, cli, tmp_path):
    result = runner.invoke(cli, ["deck", "--council", "Yorkshire", "--out", str(tmp_path)])
    assert result.exit_code == 2
    line = one_line(result)
    assert "North Yorkshire" in line and "--council" in line
    result = runner.invoke(cli, ["deck", "--council", "Rushmoor", "--out", str(tmp_path)])
    assert result.exit_code == 1 and "try Hampshire" in one_line(result)


ODD = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(categories=["Cc", "Zs", "Po", "Sm"]), max_size=20),
    st.sampled_from(["", " ", "\x00", "'", "%", "_", "E14", "E1400", "000", "SW1A", "SW1A 1",
                     "SW1A 1A", "BT", "City of", "of", "and", "the", "--", "x" * 10_000,
                     "Hampshire\nKent", "Kent\x07", "‮Kent", "Bristol, City of"]),
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ODD)
def test_resolve_and_council_never_crash(places, text):
    for call in (places.resolve, places.council, places.find):
        try:
            result = call(text)
        except CampaignKitError as exc:
            assert "\n" not in str(exc)
        else:
            if isinstance(result, Match):
                assert result.how in HOWS
                assert "\n" not in result.message


@pytest.mark.slow
@pytest.mark.parametrize("text", ["", "   ", "x" * 10_000, "Kent\x00", "Ham\x1bpshire",
                                  "SW1A\x001AA"])
def test_bad_text_is_one_line_everywhere(runner, cli, tmp_path, text):
    for args in (["lookup", text], ["lookup", text, "--json"],
                 ["deck", "--council", text, "--out", str(tmp_path)],
                 ["letter", "--constituency", text, "--name", "Jo", "--out", str(tmp_path)],
                 ["letter", "--postcode", text, "--name", "Jo", "--out", str(tmp_path)]):
        result = runner.invoke(cli, args)
        assert result.exit_code in (1, 2), (args, result.output)
        if "--json" not in args:
            one_line(result)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(ODD)
def test_lookup_command_never_shows_a_traceback(runner, cli, text):
    result = runner.invoke(cli, ["lookup", text])
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output and "unexpected" not in result.output
    if result.exit_code == 1:
        assert len(result.output.strip().splitlines()) == 1


# -- salutations: all 650 against the source names --------------------------------------------
@needs_shared
def test_salutations_for_all_650_follow_the_members_own_names(places):
    mps = {r["pcon_code"]: r for r in csv.DictReader(
        open(SHARED_DATA / "mp_lookup_dfe.csv", encoding="utf-8-sig"))}
    gender = {r["ID"]: r["Gender"] for r in csv.DictReader(
        open(SHARED_DATA / "current-MPs_open-innovations.csv", encoding="utf-8-sig"))}
    assert len(mps) == 650
    for code, row in mps.items():
        seat = places.constituency(code)
        words = row["display_as"].split()
        own = words[0] if words[0] in ("Mr", "Mrs", "Ms", "Miss", "Dr", "Sir", "Dame") else ""
        names = words[1:] if own else words
        for w in row["full_title"].split():
            if w in ("Sir", "Dame", "Dr"):
                own = w
                break
        greeting = seat.mp.salutation.removeprefix("Dear ")
        if own in ("Sir", "Dame"):
            assert greeting == f"{own} {names[0]}", row["display_as"]
            continue
        title, _, rest = greeting.partition(" ")
        sex = gender.get(row["member_id"])  # by member id: never the seat's previous MP
        if own:
            assert title == own, row["display_as"]
        elif sex == "M":
            assert title == "Mr", row["display_as"]
        elif sex == "F":
            assert title == "Ms", row["display_as"]
        else:  # unknown: no guess, the member's name as they give it
            assert greeting == " ".join(names), row["display_as"]
            continue
        # the surname is whole trailing words of the member's own name, never part of a word
        assert " ".join(names).endswith(" " + rest) and rest != " ".join(names), greeting
    expected = {"Henley and Thame": "Dear Mr van Mierlo", "Salford": "Dear Ms Long Bailey",
                "North East Derbyshire": "Dear Ms Sandher-Jones",
                "South Shields": "Dear Ms Lewell", "Arbroath and Broughty Ferry": "Dear Lara Bird",
                "Battersea": "Dear Ms De Cordova", "North West Essex": "Dear Mrs Badenoch",
                "Chingford and Woodford Green": "Dear Sir Iain", "Slough": "Dear Mr Dhesi"}
    for name, greeting in expected.items():
        assert places.find(name).mp.salutation == greeting


# -- councils: display names and joins that check themselves ----------------------------------
def test_display_names_for_all_153_english_councils(places):
    rows = places.db.execute("SELECT code, name, display_name FROM councils "
                             "WHERE nation = 'England'").fetchall()
    assert len(rows) == 153
    for code, name, display in rows:
        # no index-style comma ("Bristol, City of"); a list keeps its commas
        assert display and ("," not in display or " and " in display.split(",")[-1]), name
        assert not re.search(r"\b(City|County) of$", display), name
        assert council_key(display) == council_key(name) or display == "Hull", name
        assert places.council(display).code == code
    shown = {name: display for _, name, display in rows}
    assert shown["Bristol, City of"] == "Bristol"
    assert shown["Kingston upon Hull, City of"] == "Hull"
    assert shown["Herefordshire, County of"] == "Herefordshire"
    assert shown["St. Helens"] == "St Helens"
    assert shown["City of London"] == "City of London"


def test_display_name_in_pictures(places):
    from campaign_kit.localdata.pictures import council_picture, seat_picture

    council = places.council("Bristol, City of")
    assert council.display_name == "Bristol"
    assert council_picture(places, council).display_name == "Bristol"
    seat = seat_picture(places, places.find("Bristol Central")).as_json()
    assert seat["councils"][0]["display_name"] == "Bristol"
    assert seat["councils"][0]["name"] == "Bristol, City of"  # the key templates used stays


def raw_tribunal_by_name() -> dict[str, dict[int, float | None]]:
    """The tribunal table read here by council NAME, independently of the importer."""
    lines = list(csv.reader(open(SHARED_DATA / TRIBUNAL, encoding="utf-8-sig")))
    head = next(i for i, r in enumerate(lines) if r and r[0] == "Local Authority")
    years = {int(c): i for i, c in enumerate(lines[head]) if re.fullmatch(r"20\d\d", c)}
    table = {}
    for cells in lines[head + 2:]:
        if len(cells) > 1 and cells[1].strip().isdigit():
            rates = {}
            for year, col in years.items():
                text = cells[col + 2].strip().rstrip("%").replace(",", "")
                rates[year] = float(text) if re.fullmatch(r"[0-9]+(\.[0-9]+)?", text) else None
            table[re.sub(r"[0-9]+$", "", cells[0].strip())] = rates
    return table


@pytest.mark.slow
@needs_shared
@pytest.mark.parametrize("code, name", [("892", "Nottingham"), ("891", "Nottinghamshire"),
                                        ("873", "Cambridgeshire"),
                                        ("823", "Central Bedfordshire")])
def test_tribunal_figures_are_the_councils_own(built_store, code, name):
    target, _, found = built_store
    raw = raw_tribunal_by_name()[name]
    db = sqlite3.connect(target)
    stored = dict(db.execute("SELECT sort, value FROM figures WHERE council = ? AND "
                             "measure = 'tribunal_rate_pc'", (code,)).fetchall())
    assert stored == raw
    assert stored[2024] is not None
    assert any(f"'{name}'" in m for m in found)  # the wrong code was reported
    reported = [m for (m,) in db.execute("SELECT message FROM reports")]
    assert any("Northamptonshire" in m and "not used" in m for m in reported)


@pytest.mark.slow
@needs_shared
def test_every_council_figure_row_is_joined_by_code_and_name(built_store):
    """Every SEN2 row's la_name agrees with the council its figures are stored under."""
    target, _, _ = built_store
    db = sqlite3.connect(target)
    names = dict(db.execute("SELECT code, name FROM councils"))
    raw = {}
    for r in csv.DictReader(open(SHARED_DATA / "sen2_2025_caseload.csv", encoding="utf-8-sig")):
        if r["geographic_level"] == "Local authority" and r["breakdown_topic"] == "All EHC plans":
            raw[(r["old_la_code"], 2000 + int(r["time_period"][-2:]))] = r["la_name"]
    for code, year in db.execute("SELECT council, sort FROM figures WHERE measure = "
                                 "'ehcp_plans' AND council != 'england'"):
        assert council_key(raw[(code, year)]) == council_key(names[code])


@pytest.mark.slow
@needs_shared
def test_build_reproduces_the_committed_store(built_store):
    from campaign_kit.localdata.store import BUNDLED_STORE, TABLES

    target, counts, _ = built_store
    assert counts["seats"] == 650 and counts["old_seats"] == 650
    fresh, bundled = sqlite3.connect(target), sqlite3.connect(BUNDLED_STORE)
    for table in TABLES + ("sources", "meta"):
        query = f"SELECT * FROM {table} ORDER BY 1, 2"
        assert fresh.execute(query).fetchall() == bundled.execute(query).fetchall(), table


# -- portraits ---------------------------------------------------------------------------------
def test_portrait_is_a_small_jpeg_of_the_current_mp(places):
    from io import BytesIO

    from PIL import Image

    image, mime = places.portrait(places.find("Aldershot").code)
    assert mime == "image/jpeg" and image[:2] == b"\xff\xd8"
    assert Image.open(BytesIO(image)).size == (120, 120)
    webp, mime = places.portrait(places.find("Aldershot").code, fmt="webp")
    assert mime == "image/webp" and webp[:4] == b"RIFF"
    for changed in ("Makerfield", "Gorton and Denton", "Arbroath and Broughty Ferry"):
        assert places.portrait(places.find(changed).code) is None  # member not the one shown
    assert places.portrait("E99999999") is None


@needs_shared
def test_portraits_only_where_the_member_matches(places):
    members = {r["PCON24CD"]: r for r in csv.DictReader(
        open(SHARED_DATA / "current-MPs_open-innovations.csv", encoding="utf-8-sig"))}
    mps = {r["pcon_code"]: r["member_id"] for r in csv.DictReader(
        open(SHARED_DATA / "mp_lookup_dfe.csv", encoding="utf-8-sig"))}
    stored = {seat for (seat,) in places.db.execute("SELECT seat FROM portraits")}
    for seat, member_id in mps.items():
        row = members.get(seat)
        ok = bool(row) and row["ID"] == member_id and row["Start date"][:10] < "2025-09-09"
        assert (seat in stored) == ok, seat


def test_store_and_postcode_index_stay_small():
    from campaign_kit.localdata.store import BUNDLED_STORE

    assert BUNDLED_STORE.stat().st_size < 4_000_000
    db = sqlite3.connect(BUNDLED_STORE)
    blobs = db.execute("SELECT sum(length(blob)) FROM cpo_districts").fetchone()[0]
    assert blobs < 800_000
    assert Path(BUNDLED_STORE.parent / "aliases.csv").is_file()


def test_readmes_first_lookup_is_a_postcode_that_works_from_the_bundled_store(runner, cli):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    query = re.search(r'campaign-kit lookup "([^"]+)"', readme).group(1)
    assert re.fullmatch(r"[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}", query)
    result = runner.invoke(cli, ["lookup", query])  # CAMPAIGN_KIT_HOME is empty: no ONSPD
    assert result.exit_code == 0, result.output
    assert "Found by postcode" in result.output and "Code-Point Open" in result.output


def test_package_data_ships_every_data_file():
    import tomllib

    root = Path(__file__).resolve().parent.parent
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["campaign_kit"]
    shipped = {p for pattern in patterns for p in (root / "campaign_kit").glob(pattern)}
    wanted = {p for p in (root / "campaign_kit" / "data").iterdir() if p.is_file()}
    assert wanted <= shipped, sorted(map(str, wanted - shipped))


# -- the council a postcode is in -------------------------------------------------------------
@pytest.mark.parametrize("postcode, seat, council", [
    ("W9 1AA", "Queen's Park and Maida Vale", "Westminster"),
    ("NW6 6RD", "Queen's Park and Maida Vale", "Brent"),
    # Somerset has been one council since 2023 under a new ONS code; DfE publishes its
    # figures under the county's, so the names are what join the two
    ("BA11 1DA", "Frome and East Somerset", "Somerset"),
    ("BA15 2BB", "Frome and East Somerset", "Bath and North East Somerset"),
])
def test_a_postcode_says_which_of_its_seats_councils_it_is_in(places, postcode, seat, council):
    found = places.find(postcode)
    assert found.name == seat and len(found.councils) > 1
    assert places.council_of_postcode(found, postcode).display_name == council


def test_lookup_says_which_council_a_postcode_is_in(runner, cli):
    said = runner.invoke(cli, ["lookup", "W9 1AA"]).output
    assert "Council for W9 1AA: Westminster (a letter from this postcode draws on its " \
        "figures)" in said
    assert json.loads(runner.invoke(cli, ["lookup", "NW6 6RD", "--json"]).output)[
        "postcode_council"] == "304"  # Brent's DfE code
    assert "Council for" not in runner.invoke(cli, ["lookup", "GU11 1AA"]).output  # one council
    assert json.loads(runner.invoke(cli, ["lookup", "Aldershot", "--json"]).output)[
        "postcode_council"] is None


def test_every_postcode_of_a_seat_with_several_councils_is_in_one_of_them(places):
    """Each answer of the postcode index for one seat that spans councils (294 of them, one
    per seat and council area) names exactly one of that seat's councils."""
    from campaign_kit.localdata.names import council_key

    seats, named = {}, 0
    for answer in places.codepoint.answers.values():
        if len(answer.seats) != 1:
            continue
        code = answer.seats[0][0]
        seat = seats.setdefault(code, places.constituency(code))
        if len(seat.councils) < 2:
            continue
        areas = {answer.district, answer.county} - {""}
        by_code = [c for c in seat.councils if c.gss in areas]
        names = {council_key(n) for (n,) in places.db.execute(
            f"SELECT name FROM districts WHERE code IN ({','.join('?' * len(areas))})",
            sorted(areas))}
        by_name = [c for c in seat.councils if council_key(c.name) in names]
        assert len(by_code or by_name) == 1, (seat.name, areas)
        named += 1
    assert named >= 290


def test_a_store_from_before_council_areas_still_answers_postcodes(tmp_path):
    """A store built before the postcode index held council areas (an older data update)
    answers as it did: the seat, and no council from the postcode."""
    import shutil
    import sqlite3

    from campaign_kit.localdata.lookup import Places
    from campaign_kit.localdata.store import BUNDLED_STORE

    old = tmp_path / "places.sqlite"
    shutil.copy(BUNDLED_STORE, old)
    with sqlite3.connect(old) as db:
        db.execute("ALTER TABLE cpo_answers DROP COLUMN district")
        db.execute("ALTER TABLE cpo_answers DROP COLUMN county")
    places = Places(old)
    seat = places.find("W9 1AA")
    assert seat.name == "Queen's Park and Maida Vale"
    assert places.council_of_postcode(seat, "W9 1AA") is None
