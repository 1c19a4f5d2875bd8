"""Readers of the public files (Parliament, DfE, ESFA, MoJ, ONS) into store rows.

Each reader validates its file's columns and says which are missing; values such as
"x", "z", "~", "-" and "NA" are missing values, never zeros.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError
from .names import (
    council_key,
    display_council_name,
    normalise_name,
    normalise_postcode,
    plain_name,
    salutation,
)

MISSING = {"", "x", "z", "c", "u", "~", "-", "na", "n/a", ".."}
ENGLAND = "england"


def number(text: str | None) -> float | None:
    """'2,533' -> 2533.0; '3.50%' -> 3.5; 'x', '~', ' - ' -> None; so are 'inf', 'nan' and
    '1e309' (no publisher's figure: they would print as 'inf' or stop a sum)."""
    if text is None:
        return None
    cleaned = text.strip().replace(",", "").rstrip("%").strip()
    if cleaned.lower() in MISSING:
        return None
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


# The forms a period takes in the publishers' files: the pattern, what to add to the year it
# captures, and an example for the message when a cell is not one
PERIODS = {"year": (re.compile(r"(20[0-9][0-9])"), 0, "2024"),  # calendar year
           "academic": (re.compile(r"20[0-9][0-9]([0-9][0-9])"), 2000, "202425"),  # Jan 2025
           "financial": (re.compile(r"(20[0-9][0-9])-[0-9][0-9]"), 0, "2021-22")}


def year_of(cell: str, form: str, path: Path, column: str) -> int:
    """The year a period cell names, in one of PERIODS' forms; a cell that is not one is the
    file's mistake, named with its file and column (never an exception from int())."""
    pattern, base, example = PERIODS[form]
    found = pattern.fullmatch(cell.strip())
    if found is None:
        shown = cell if len(cell) <= 40 else cell[:40] + "..."
        raise DataError(f"{path.name}: '{shown}' in the {column} column is not a period "
                        f"of the form {example}")
    return base + int(found.group(1))


def read_csv(path: Path, required: Iterable[str]) -> Iterator[dict[str, str]]:
    """Rows of a CSV (BOM tolerated) after checking that the required columns are there."""
    try:
        handle = open(path, encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror}") from None
    with handle:
        reader = csv.DictReader(handle)
        try:
            header = reader.fieldnames or []
            missing = [c for c in required if c not in header]
            if missing:
                raise DataError(f"{path.name}: missing column(s) {', '.join(missing)}")
            yield from reader
        except UnicodeDecodeError:
            raise not_utf8(path) from None


def read_rows(path: Path) -> list[list[str]]:
    """Every row of a sheet saved as CSV (BOM tolerated), for the readers that find their
    header row themselves."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            try:
                return list(reader)
            except UnicodeDecodeError:
                raise not_utf8(path) from None
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror}") from None


def not_utf8(path: Path) -> DataError:
    """Bytes that are not UTF-8 past the part of the file its shape was recognised from,
    with the line they are on (the text reader stops a block early, so it is found here)."""
    data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")  # the BOM: offsets count without it
    try:
        data.decode("utf-8")
        where = "part of it"
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        where = f"line {line:,}"
    return DataError(f"{path.name}: {where} is not UTF-8 text (save the sheet as CSV UTF-8)")


@dataclass(frozen=True)
class FigureRow:
    council: str  # 3-digit DfE code, or "england"
    measure: str
    order: int  # sorts periods; the latest is the largest
    period: str
    value: float | None
    name: str = ""  # the council's name as the row gives it, checked against the code


def _council_code(level: str, old_la_code: str) -> str | None:
    if level == "National":
        return ENGLAND
    if level == "Local authority" and old_la_code.strip().isdigit():
        return old_la_code.strip()
    return None


def read_councils(path: Path) -> list[tuple[str, str, str, str]]:
    """English upper-tier councils (code, gss, name, region) in the latest SEN2 caseload year."""
    rows = [r for r in read_csv(path, ["time_period", "geographic_level", "old_la_code",
                                       "new_la_code", "la_name", "region_name"])
            if r["geographic_level"] == "Local authority"]
    if not rows:
        raise DataError(f"{path.name}: no local authority rows")
    latest = max(r["time_period"] for r in rows)
    return sorted({(r["old_la_code"].strip(), r["new_la_code"], r["la_name"], r["region_name"])
                   for r in rows if r["time_period"] == latest})


def read_council_history(path: Path) -> dict[str, set[str]]:
    """Every (code, name) pair in the SEN2 caseload file, all years: 928 was Northamptonshire,
    835 the Dorset county council before 2019. Tells a wrong code from a former one."""
    history: dict[str, set[str]] = {}
    for r in read_csv(path, ["geographic_level", "old_la_code", "la_name"]):
        if r["geographic_level"] == "Local authority" and r["old_la_code"].strip().isdigit():
            history.setdefault(r["old_la_code"].strip(), set()).add(r["la_name"].strip())
    return history


def read_caseload(path: Path) -> Iterator[FigureRow]:
    """EHC plans in force each January (time_period 202425 is January 2025)."""
    for row in read_csv(path, ["time_period", "geographic_level", "old_la_code",
                               "breakdown_topic", "ehcplans"]):
        code = _council_code(row["geographic_level"], row["old_la_code"])
        if code is None or row["breakdown_topic"] != "All EHC plans":
            continue
        year = year_of(row["time_period"], "academic", path, "time_period")
        yield FigureRow(code, "ehcp_plans", year, f"January {year}", number(row["ehcplans"]),
                        row.get("la_name", ""))


def read_requests(path: Path) -> Iterator[FigureRow]:
    for row in read_csv(path, ["time_period", "geographic_level", "old_la_code",
                               "breakdown_topic", "requests_received_in_year"]):
        code = _council_code(row["geographic_level"], row["old_la_code"])
        if code is None or not row["breakdown_topic"].startswith("All requests"):
            continue
        year = year_of(row["time_period"], "year", path, "time_period")
        yield FigureRow(code, "ehcp_requests", year, f"calendar year {year}",
                        number(row["requests_received_in_year"]), row.get("la_name", ""))


def read_timeliness(path: Path) -> Iterator[FigureRow]:
    for row in read_csv(path, ["time_period", "geographic_level", "old_la_code",
                               "breakdown_topic", "pc_plans_issued_within_20_weeks"]):
        code = _council_code(row["geographic_level"], row["old_la_code"])
        if code is None or row["breakdown_topic"] != "All EHC plans issued":
            continue
        year = year_of(row["time_period"], "year", path, "time_period")
        yield FigureRow(code, "timely_20wk_pc", year, f"calendar year {year}",
                        number(row["pc_plans_issued_within_20_weeks"]), row.get("la_name", ""))
        # the counts behind the percentage, so a small base prints as "4 of 5 new plans"
        for measure, column in (("timely_20wk_n", "plans_issued_within_20_weeks"),
                                ("new_plans_issued", "plans_issued_den")):
            yield FigureRow(code, measure, year, f"calendar year {year}", number(row.get(column)),
                            row.get("la_name", ""))


LAIT_MEASURES = {"SEN_TotSENSuP": "sen_support_pc", "SEN_TotStat": "ehcp_pupils_pc"}


def read_lait(path: Path) -> Iterator[FigureRow]:
    """Census shares of pupils on SEN support / with an EHC plan (LA Number 970 is England)."""
    for row in read_csv(path, ["Short Desc", "Years", "Values", "LA Number"]):
        measure = LAIT_MEASURES.get(row["Short Desc"])
        if measure is None or not re.fullmatch(r"[0-9]+", row["Years"]):
            continue
        la_number = number(row["LA Number"])
        if la_number is None or not la_number.is_integer() or not 0 < la_number < 1000:
            raise DataError(f"{path.name}: '{row['LA Number'][:40]}' in the LA Number column "
                            "is not a council's number")
        code = ENGLAND if la_number == 970 else f"{int(la_number):03d}"
        year = year_of(row["Years"], "year", path, "Years")
        value = number(row["Values"])
        yield FigureRow(code, measure, year, f"January {year}",
                        None if value is None else round(value, 2),
                        row.get("LA and Regions", ""))


def read_sen_phase_type(path: Path) -> Iterator[FigureRow]:
    """Shares of pupils on SEN support / with an EHC plan, all schools (the 'Total' rows), from
    the 'Special educational needs in England' file sen_phase_type.csv."""
    for row in read_csv(path, ["time_period", "geographic_level", "old_la_code", "la_name",
                               "phase_type_grouping", "sen_support_percent",
                               "ehc_plan_percent"]):
        if any(row.get(c, "Total").strip() != "Total" for c in
               ("phase_type_grouping", "type_of_establishment", "hospital_school")):
            continue
        code = _council_code(row["geographic_level"], row["old_la_code"])
        period = row["time_period"].strip()
        if code is None or not re.fullmatch(r"[0-9]+", period):
            continue
        year = year_of(period, "academic", path, "time_period")
        for measure, column in (("sen_support_pc", "sen_support_percent"),
                                ("ehcp_pupils_pc", "ehc_plan_percent")):
            value = number(row[column])
            yield FigureRow(code, measure, year, f"January {year}",
                            None if value is None else round(value, 2), row["la_name"])


def read_dsg_deficit(path: Path) -> Iterator[FigureRow]:
    """Cumulative DSG deficit as % of income. This file names councils without codes: the
    code is left empty and found from the name (CouncilCheck)."""
    for row in read_csv(path, ["geographic_level", "la_name", "deficit", "financial_year"]):
        if row["geographic_level"] == "National":
            code = ENGLAND
        elif row["geographic_level"] == "Local authority":
            code = ""
        else:
            continue
        year = row["financial_year"].strip()
        yield FigureRow(code, "dsg_deficit_pc", year_of(year, "financial", path,
                                                        "financial_year"),
                        year, number(row["deficit"]), row["la_name"])


def read_high_needs_block(path: Path) -> Iterator[FigureRow]:
    """Last column of the ESFA sheet: the high needs block after the funding floor (£)."""
    lines = read_rows(path)
    if not lines or "high needs" not in lines[0][0].lower():
        raise DataError(f"{path.name}: not the DSG high needs block sheet (title row missing)")
    for cells in lines:
        if len(cells) < 3:
            continue
        first = cells[0].strip()
        if first == "ENGLAND":
            code = ENGLAND
        elif first.isdigit() and len(first) == 3:
            code = first
        else:
            continue
        yield FigureRow(code, "high_needs_block", 2023, "2023-24", number(cells[-1]),
                        cells[1].strip())


def read_tribunal(path: Path) -> Iterator[FigureRow]:
    """The MoJ/DfE appeal-rate table: a spreadsheet with a year header row over groups of three."""
    lines = read_rows(path)
    header_index = next((i for i, r in enumerate(lines) if r and r[0] == "Local Authority"), None)
    if header_index is None:
        raise DataError(f"{path.name}: no 'Local Authority' header row")
    years = {int(c): i for i, c in enumerate(lines[header_index]) if re.fullmatch(r"20\d\d", c)}
    for cells in lines[header_index + 2:]:
        if not cells:
            continue
        if cells[0].startswith("England Total"):
            code = ENGLAND
        elif len(cells) > 1 and cells[1].strip().isdigit():
            code = cells[1].strip()
        else:
            continue
        for year, col in years.items():
            # columns: appeals registered, appealable decisions, appeal rate; the counts are
            # kept so a small base prints as "0 of 26" rather than a bare 0.0%
            if col + 2 < len(cells):
                period, name = f"calendar year {year}", cells[0].strip()
                yield FigureRow(code, "tribunal_rate_pc", year, period, number(cells[col + 2]),
                                name)
                for measure, cell in (("tribunal_appeals_n", cells[col]),
                                      ("tribunal_decisions_n", cells[col + 1])):
                    # the table writes a zero as " - " (and "~" when suppressed)
                    yield FigureRow(code, measure, year, period,
                                    0.0 if cell.strip() == "-" else number(cell), name)


@dataclass(frozen=True)
class SeatRow:
    code: str
    name: str
    nation: str
    region: str
    mp_name: str
    mp_title: str
    party: str
    email: str
    gender: str  # the member's own (matched by member id), "" when the source does not know
    salutation: str
    member_id: str
    councils: tuple[tuple[str, str, str], ...]  # (code, gss, name)
    districts: tuple[tuple[str, str], ...] = ()  # lower-tier (code, name)
    district_codes_now: tuple[str, ...] = ()  # the same districts' current codes (lad_codes)


@dataclass(frozen=True)
class MemberRow:
    """A current MP in the Open Innovations list: gender and start date, by member id."""

    member_id: str
    seat: str
    name: str
    gender: str
    start: str  # YYYY-MM-DD


def _split(value: str) -> list[str]:
    return [] if value.strip() in ("", "z") else [v.strip() for v in value.split(" / ")]


def read_members(path: Path) -> dict[str, MemberRow]:
    """Members by Parliament id (the `ID` column), so gender follows the person, not the seat."""
    members = {}
    for r in read_csv(path, ["PCON24CD", "MP", "Gender", "ID", "Start date"]):
        member_id = r["ID"].strip()
        if member_id:
            members[member_id] = MemberRow(member_id, r["PCON24CD"].strip(), r["MP"].strip(),
                                           r["Gender"].strip().upper()[:1],
                                           r["Start date"].strip()[:10])
    return members


def read_seats(mp_path: Path, members: dict[str, MemberRow],
               family_names: dict[str, str]) -> list[SeatRow]:
    """All 650 seats with their MP, salutation, upper-tier councils and districts.

    family_names maps a member id to the family name on the 2024 ballot paper (only the
    same member's: a by-election winner has none, and the name then comes from display_as).
    """
    seats = []
    required = ["pcon_name", "pcon_code", "member_id", "full_title", "display_as", "party_text",
                "member_email", "la_names", "new_la_codes_2024", "old_la_codes_2024",
                "lad_names", "lad_codes", "lad_codes_2024", "region_name", "country_name"]
    for row in read_csv(mp_path, required):
        names, gss = _split(row["la_names"]), _split(row["new_la_codes_2024"])
        old = _split(row["old_la_codes_2024"])
        if row["country_name"] == "England":
            councils = tuple(zip(old, gss, names, strict=False))
        else:
            councils = tuple(zip(gss, gss, names, strict=False))
        districts = tuple(zip(_split(row["lad_codes_2024"]), _split(row["lad_names"]),
                              strict=False))
        member = members.get(row["member_id"].strip())
        sex = member.gender if member and member.gender in ("M", "F") else ""
        seats.append(SeatRow(
            code=row["pcon_code"], name=row["pcon_name"], nation=row["country_name"],
            region=row["region_name"] if row["country_name"] == "England" else row["country_name"],
            mp_name=plain_name(row["display_as"]), mp_title=row["full_title"],
            party=row["party_text"], gender=sex,
            email=row["member_email"].strip() if "@" in row["member_email"] else "",
            salutation=salutation(row["full_title"], row["display_as"], sex,
                                  family_names.get(row["member_id"], "")),
            member_id=row["member_id"], councils=councils, districts=districts,
            district_codes_now=tuple(_split(row["lad_codes"])),
        ))
    return seats


def read_lad_seats(path: Path, seats: list[SeatRow]) -> set[tuple[str, str]]:
    """(district, seat) pairs from the Open Innovations LAD24CD -> PCON24CD lookup, in the
    district codes Code-Point Open and lad_codes_2024 use (Barnsley and Sheffield changed
    codes in 2024). It lists parts that mp_lookup's best-fit district list leaves out (the
    Mansfield wards that are in Ashfield since 2024)."""
    try:
        lookup = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"cannot read {path.name}: {exc}") from None
    if not isinstance(lookup, dict):
        raise DataError(f"{path.name}: not a LAD -> constituency lookup")
    older = {}
    for seat in seats:
        for then, now in zip((c for c, _ in seat.districts), seat.district_codes_now,
                             strict=False):
            if then != now:
                older[now] = then
    known = {s.code for s in seats}
    pairs = set()
    for lad, parts in lookup.items():
        for seat in parts if isinstance(parts, dict) else ():
            if seat not in known:
                raise DataError(f"{path.name}: {seat} is not a 2024 constituency")
            pairs.add((older.get(lad, lad), seat))
    return pairs


@dataclass(frozen=True)
class ResultRow:
    code: str
    result: str
    party: str
    majority: int
    majority_pc: float
    valid_votes: int
    member_id: str
    family_name: str


def read_results(path: Path) -> list[ResultRow]:
    """Winners of the 4 July 2024 general election, with majority."""
    required = ["Constituency geographic code", "Election result summary", "Candidate family name",
                "Candidate MNIS ID", "Main party name", "Majority", "Election valid vote count",
                "Candidate result position"]
    winners = []
    for row in read_csv(path, required):
        if row["Candidate result position"] != "1":
            continue
        majority = int(number(row["Majority"]) or 0)
        valid = int(number(row["Election valid vote count"]) or 0)
        winners.append(ResultRow(
            code=row["Constituency geographic code"], result=row["Election result summary"],
            party=row["Main party name"], majority=majority,
            majority_pc=round(100 * majority / valid, 1) if valid else 0.0, valid_votes=valid,
            member_id=row["Candidate MNIS ID"], family_name=row["Candidate family name"],
        ))
    return winners


# ONS Postcode Directory: the 2024 and the 2025 layouts name the same things differently.
ONSPD_POSTCODE = ("pcds", "pcd", "pcd7", "pcd2", "pcd8")
ONSPD_CONSTITUENCY = ("pcon24cd", "pcon")
ONSPD_TERMINATED = ("doterm",)


def onspd_columns(header: list[str], source: str) -> tuple[int, int, int | None]:
    """Indexes of postcode, seat and termination date; a DataError names what is missing."""
    lowered = [h.strip().lower() for h in header]

    def find(names: tuple[str, ...]) -> int | None:
        return next((lowered.index(n) for n in names if n in lowered), None)

    postcode, seat, term = find(ONSPD_POSTCODE), find(ONSPD_CONSTITUENCY), find(ONSPD_TERMINATED)
    missing = []
    if postcode is None:
        missing.append("pcds (or pcd/pcd7)")
    if seat is None:
        missing.append("pcon24cd (or pcon)")
    if missing:
        raise DataError(f"{source}: not an ONS Postcode Directory file, missing column(s) "
                        f"{', '.join(missing)}")
    return postcode, seat, term  # type: ignore[return-value]


def read_onspd(handle, source: str) -> Iterator[tuple[str, str, int]]:
    """Stream (postcode, constituency code, live) from an ONSPD CSV, one row at a time."""
    reader = csv.reader(handle)
    try:
        header = next(reader)
    except StopIteration:
        raise DataError(f"{source}: the file is empty") from None
    if header and header[0].startswith("\ufeff"):
        header[0] = header[0][1:]
    pc_i, seat_i, term_i = onspd_columns(header, source)
    for cells in reader:
        if len(cells) <= max(pc_i, seat_i):
            continue
        postcode = normalise_postcode(cells[pc_i])
        seat = cells[seat_i].strip()
        if postcode is None or not seat:
            continue
        live = 0 if term_i is not None and cells[term_i].strip() else 1
        yield postcode, seat, live


# -- council joins that check themselves ----------------------------------------------------
class CouncilCheck:
    """Joins a council-level row on its code AND its name.

    A public file can give a row another council's code (the SEND Tribunal table gives five
    rows the wrong one). A row whose name agrees with its code's council is used as it is; one
    whose name is another council's is used for the council it names, when that name is
    unambiguous; anything else is left out. Every disagreement is reported, once per row.
    """

    def __init__(self, councils: list[tuple[str, str, str, str]],
                 history: dict[str, set[str]] | None = None,
                 known: dict[tuple[str, str], str] | None = None):
        """known: (council_key(name), code) -> the council such a row belongs to ("" for
        none): errors in a publisher's file that have been checked (content/datasets.yaml)."""
        self.names = {code: name for code, _, name, _ in councils}
        self.known = known or {}
        self.wrong: list[tuple[str, str, str]] = []  # (source, code, name): unknown errors
        keys: dict[str, set[str]] = {}
        for code, _, name, _ in councils:
            for variant in (name, display_council_name(name)):
                keys.setdefault(council_key(variant), set()).add(code)
        self.by_key = {k: next(iter(v)) for k, v in keys.items() if len(v) == 1}
        # codes councils have had (SEN2, every year): a code of a former council
        self.former = {code: names for code, names in (history or {}).items()
                       if code not in self.names}
        self.reports: list[tuple[str, str]] = []
        self._seen: set[tuple[str, str, str]] = set()
        self._gone: dict[str, set[str]] = {}

    def _report(self, source: str, code: str, name: str, message: str) -> None:
        if (source, code, name) not in self._seen:
            self._seen.add((source, code, name))
            self.reports.append((source, message))

    def resolve(self, source: str, code: str, name: str) -> str | None:
        """The council code a row's figures belong to, or None when they belong to none."""
        if code == ENGLAND:
            return code
        canonical = self.names.get(code)
        if not name.strip():
            return code if canonical else None
        key = council_key(name)
        named = self.by_key.get(key)
        if canonical is not None and named == code:
            return code
        shown = re.sub(r"[0-9]+$", "", name.strip())  # footnote marks: 'Northamptonshire7'
        if named is not None and code == "":
            return named  # a file that names councils without codes
        if (key, code) in self.known:
            target = self.known[(key, code)]
            self._report(source, code, name,
                         f"{source}: the row for '{shown}' carries code {code}, a known error "
                         "in the publisher's file; " + (
                             f"its figures are used for {self.names[target]} ({target})"
                             if target in self.names else "the row is not used"))
            return target if target in self.names else None
        if canonical is not None or (named is not None and self.former.get(code)
                                     and key not in {council_key(n) for n in self.former[code]}):
            if (source, code, shown) not in self.wrong:
                self.wrong.append((source, code, shown))
        if named is not None and canonical is not None:
            self._report(source, code, name,
                         f"{source}: the row for '{shown}' carries code {code}, which is "
                         f"{canonical}'s; its figures are used for {self.names[named]} "
                         f"({named}), the council it names")
            return named
        former = self.former.get(code)
        if named is not None and former and key not in {council_key(n) for n in former}:
            self._report(source, code, name,
                         f"{source}: the row for '{shown}' carries code {code}, which was "
                         f"{'/'.join(sorted(former))}'s; its figures are used for "
                         f"{self.names[named]} ({named}), the council it names")
            return named
        if named is not None:
            self._report(source, code, name,
                         f"{source}: rows for '{shown}' under code {code} are a former "
                         f"council of that name, not today's {self.names[named]} ({named}); "
                         "not used")
            return None
        if canonical is not None:
            self._report(source, code, name,
                         f"{source}: the row for '{shown}' carries code {code}, which is "
                         f"{canonical}'s, and no council is called '{shown}' today; "
                         "the row is not used")
            return None
        self._gone.setdefault(source, set()).add(shown)
        return None

    def summary(self) -> list[tuple[str, str]]:
        """Disagreements, then one line per source for councils that no longer exist."""
        gone = [(source, f"{source}: rows for areas that are not councils today (regions, "
                 f"councils since reorganised) are left out: {', '.join(sorted(names))}")
                for source, names in sorted(self._gone.items())]
        return self.reports + gone


# -- constituencies before 2024 ----------------------------------------------------------------
@dataclass(frozen=True)
class OldSeatRow:
    code: str
    name: str
    region: str


@dataclass(frozen=True)
class OverlapRow:
    old: str  # PCON10CD
    seat: str  # PCON24CD
    people: float  # of the old seat's people living in this part
    old_people: float  # all of the old seat's people


def read_old_seats(path: Path) -> list[OldSeatRow]:
    """The 650 constituencies used from 2010 to 2024."""
    rows = [OldSeatRow(r["PCON10CD"].strip(), r["Name"].strip(), r["Region"].strip())
            for r in read_csv(path, ["PCON10CD", "Name", "Region"])]
    if not rows:
        raise DataError(f"{path.name}: no constituencies")
    return rows


def read_overlaps(overlap_path: Path, codes_path: Path, seat_names: dict[str, str],
                  report) -> list[OverlapRow]:
    """Old seat -> 2024 seats with the people in each part. The overlap file uses mySociety's
    short codes (UKPARL.2025.AHT), turned into PCON24CD by the ukparl.2025 file, whose names
    are checked against the 2024 seats' own."""
    short = {}
    for r in read_csv(codes_path, ["UKPARL.2025", "PCON24CD", "PCON24NM"]):
        code, name = r["PCON24CD"].strip(), r["PCON24NM"].strip()
        if code not in seat_names:
            raise DataError(f"{codes_path.name}: {code} ({name}) is not a 2024 constituency")
        if normalise_name(name) != normalise_name(seat_names[code]):
            raise DataError(f"{codes_path.name}: {code} is called '{name}' there but "
                            f"'{seat_names[code]}' by Parliament")
        if name != seat_names[code]:
            report(f"{codes_path.name}: '{name}' is written '{seat_names[code]}' by Parliament "
                   "(same seat, matched by code and normalised name)")
        short[r["UKPARL.2025"].strip()] = code
    rows = []
    for r in read_csv(overlap_path, ["PARL10", "PARL25", "overlap_pop", "original_pop"]):
        seat = short.get(r["PARL25"].strip())
        if seat is None:
            raise DataError(f"{overlap_path.name}: unknown 2024 seat code {r['PARL25']}")
        people, total = number(r["overlap_pop"]), number(r["original_pop"])
        if people is None or not total:
            continue
        rows.append(OverlapRow(r["PARL10"].strip(), seat, people, total))
    return rows


# -- MP portraits --------------------------------------------------------------------------------
PORTRAITS_AS_OF = "2025-09-09"  # commit date of current-MPs-thumbnails.json


def read_portraits(path: Path, seats: list[SeatRow], members: dict[str, MemberRow],
                   report) -> dict[str, tuple[str, str, bytes]]:
    """seat -> (member id, mime type, image bytes), only where the portrait is the seat's MP.

    The thumbnails are keyed by seat, as of September 2025. A portrait is kept only when the
    seat's MP today (mp_lookup, June 2026) is the member Open Innovations lists for the seat
    (by Parliament id) and that member sat before the thumbnails were taken."""
    import base64
    import binascii

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"cannot read {path.name}: {exc}") from None
    kept: dict[str, tuple[str, str, bytes]] = {}
    left_out = []
    for seat in seats:
        url = data.get(seat.code)
        member = members.get(seat.member_id)
        if not isinstance(url, str) or not url.startswith("data:image/"):
            left_out.append(f"{seat.name} (no portrait)")
            continue
        if member is None or member.seat != seat.code:
            left_out.append(f"{seat.name} (MP not in the member list)")
            continue
        if not member.start or member.start >= PORTRAITS_AS_OF:
            left_out.append(f"{seat.name} (MP since {member.start or 'unknown'})")
            continue
        head, _, payload = url.partition(",")
        mime = head[len("data:"):].split(";")[0]
        try:
            kept[seat.code] = (seat.member_id, mime, base64.b64decode(payload, validate=True))
        except (binascii.Error, ValueError):
            left_out.append(f"{seat.name} (unreadable image)")
    if left_out:
        report(f"{path.name}: no portrait for {len(left_out)} seats: {'; '.join(left_out)}")
    return kept
