"""Readers of the public files (Parliament, DfE, ESFA, MoJ, ONS) into store rows.

Each reader validates its file's columns and says which are missing; values such as
"x", "z", "~", "-" and "NA" are missing values, never zeros.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError
from .names import normalise_name, normalise_postcode, plain_name, salutation

MISSING = {"", "x", "z", "c", "u", "~", "-", "na", "n/a", ".."}
ENGLAND = "england"


def number(text: str | None) -> float | None:
    """'2,533' -> 2533.0; '3.50%' -> 3.5; 'x', '~', ' - ' -> None."""
    if text is None:
        return None
    cleaned = text.strip().replace(",", "").rstrip("%").strip()
    if cleaned.lower() in MISSING:
        return None
    try:
        return float(cleaned)
    except ValueError:
        return None


def read_csv(path: Path, required: Iterable[str]) -> Iterator[dict[str, str]]:
    """Rows of a CSV (BOM tolerated) after checking that the required columns are there."""
    try:
        handle = open(path, encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror}") from None
    with handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [c for c in required if c not in header]
        if missing:
            raise DataError(f"{path.name}: missing column(s) {', '.join(missing)}")
        yield from reader


@dataclass(frozen=True)
class FigureRow:
    council: str  # 3-digit DfE code, or "england"
    measure: str
    order: int  # sorts periods; the latest is the largest
    period: str
    value: float | None


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


def read_caseload(path: Path) -> Iterator[FigureRow]:
    """EHC plans in force each January (time_period 202425 is January 2025)."""
    for row in read_csv(path, ["time_period", "geographic_level", "old_la_code",
                               "breakdown_topic", "ehcplans"]):
        code = _council_code(row["geographic_level"], row["old_la_code"])
        if code is None or row["breakdown_topic"] != "All EHC plans":
            continue
        year = 2000 + int(row["time_period"][-2:])
        yield FigureRow(code, "ehcp_plans", year, f"January {year}", number(row["ehcplans"]))


def read_requests(path: Path) -> Iterator[FigureRow]:
    for row in read_csv(path, ["time_period", "geographic_level", "old_la_code",
                               "breakdown_topic", "requests_received_in_year"]):
        code = _council_code(row["geographic_level"], row["old_la_code"])
        if code is None or not row["breakdown_topic"].startswith("All requests"):
            continue
        year = int(row["time_period"])
        yield FigureRow(code, "ehcp_requests", year, f"calendar year {year}",
                        number(row["requests_received_in_year"]))


def read_timeliness(path: Path) -> Iterator[FigureRow]:
    for row in read_csv(path, ["time_period", "geographic_level", "old_la_code",
                               "breakdown_topic", "pc_plans_issued_within_20_weeks"]):
        code = _council_code(row["geographic_level"], row["old_la_code"])
        if code is None or row["breakdown_topic"] != "All EHC plans issued":
            continue
        year = int(row["time_period"])
        yield FigureRow(code, "timely_20wk_pc", year, f"calendar year {year}",
                        number(row["pc_plans_issued_within_20_weeks"]))
        # the counts behind the percentage, so a small base prints as "4 of 5 new plans"
        for measure, column in (("timely_20wk_n", "plans_issued_within_20_weeks"),
                                ("new_plans_issued", "plans_issued_den")):
            yield FigureRow(code, measure, year, f"calendar year {year}", number(row.get(column)))


LAIT_MEASURES = {"SEN_TotSENSuP": "sen_support_pc", "SEN_TotStat": "ehcp_pupils_pc"}


def read_lait(path: Path) -> Iterator[FigureRow]:
    """Census shares of pupils on SEN support / with an EHC plan (LA Number 970 is England)."""
    for row in read_csv(path, ["Short Desc", "Years", "Values", "LA Number"]):
        measure = LAIT_MEASURES.get(row["Short Desc"])
        if measure is None or not row["Years"].isdigit():
            continue
        la_number = int(float(row["LA Number"]))
        code = ENGLAND if la_number == 970 else f"{la_number:03d}"
        year = int(row["Years"])
        value = number(row["Values"])
        yield FigureRow(code, measure, year, f"January {year}",
                        None if value is None else round(value, 2))


def read_dsg_deficit(path: Path, code_by_name: dict[str, str]) -> Iterator[FigureRow]:
    """Cumulative DSG deficit as % of income; this file names councils, so join on the name."""
    for row in read_csv(path, ["geographic_level", "la_name", "deficit", "financial_year"]):
        if row["geographic_level"] == "National":
            code = ENGLAND
        elif row["geographic_level"] == "Local authority":
            code = code_by_name.get(normalise_name(row["la_name"]))
        else:
            continue
        if code is None:
            continue  # councils since reorganised (Cumbria, Northamptonshire)
        year = row["financial_year"]
        yield FigureRow(code, "dsg_deficit_pc", int(year[:4]), year, number(row["deficit"]))


def read_high_needs_block(path: Path) -> Iterator[FigureRow]:
    """Last column of the ESFA sheet: the high needs block after the funding floor (£)."""
    try:
        lines = list(csv.reader(open(path, encoding="utf-8-sig", newline="")))
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror}") from None
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
        yield FigureRow(code, "high_needs_block", 2023, "2023-24", number(cells[-1]))


def read_tribunal(path: Path) -> Iterator[FigureRow]:
    """The MoJ/DfE appeal-rate table: a spreadsheet with a year header row over groups of three."""
    try:
        lines = list(csv.reader(open(path, encoding="utf-8-sig", newline="")))
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror}") from None
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
            # columns: appeals registered, appealable decisions, appeal rate
            if col + 2 < len(cells):
                yield FigureRow(code, "tribunal_rate_pc", year, f"calendar year {year}",
                                number(cells[col + 2]))


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
    gender: str
    salutation: str
    member_id: str
    councils: tuple[tuple[str, str, str], ...]  # (code, gss, name)


def _split(value: str) -> list[str]:
    return [] if value.strip() in ("", "z") else [v.strip() for v in value.split(" / ")]


def read_seats(mp_path: Path, gender_path: Path, family_names: dict[str, str]) -> list[SeatRow]:
    """All 650 seats with their MP, salutation and upper-tier councils."""
    gender = {r["PCON24CD"]: r["Gender"]
              for r in read_csv(gender_path, ["PCON24CD", "Gender"])}
    seats = []
    required = ["pcon_name", "pcon_code", "member_id", "full_title", "display_as", "party_text",
                "member_email", "la_names", "new_la_codes_2024", "old_la_codes_2024",
                "region_name", "country_name"]
    for row in read_csv(mp_path, required):
        names, gss = _split(row["la_names"]), _split(row["new_la_codes_2024"])
        old = _split(row["old_la_codes_2024"])
        if row["country_name"] == "England":
            councils = tuple(zip(old, gss, names, strict=False))
        else:
            councils = tuple(zip(gss, gss, names, strict=False))
        code = row["pcon_code"]
        sex = gender.get(code, "")
        seats.append(SeatRow(
            code=code, name=row["pcon_name"], nation=row["country_name"],
            region=row["region_name"] if row["country_name"] == "England" else row["country_name"],
            mp_name=plain_name(row["display_as"]), mp_title=row["full_title"],
            party=row["party_text"], gender=sex,
            email=row["member_email"].strip() if "@" in row["member_email"] else "",
            salutation=salutation(row["full_title"], row["display_as"], sex,
                                  family_names.get(row["member_id"], "")),
            member_id=row["member_id"], councils=councils,
        ))
    return seats


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


def read_lad_lookup(path: Path) -> dict[str, dict[str, float]]:
    """LAD24CD -> {PCON24CD: share}; kept to check that every seat is covered."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"cannot read {path.name}: {exc}") from None


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
