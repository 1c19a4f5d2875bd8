"""Every Great Britain postcode's constituency, offline, in a few hundred kilobytes.

Built from OS Code-Point Open (each postcode's May 2023 ward) and a ward -> 2024
constituency mapping (12v/boundary-mapper: each ward's constituencies with postcode counts).
94% of postcodes sit in a ward wholly inside one seat; the rest are in split wards and get
every seat of their ward as a candidate, with its share of the ward's postcodes.

The compact form, one row per postcode district (outward code, "SW1A") in the store:
    blob = zlib(for each sector present, in order:
                sector digit (1 byte)
                bitmap of the 400 possible units "AA".."ZZ" present (50 bytes; inward
                    letters never use C, I, K, M, O, V)
                number of runs (varint), then each run: length (varint), answer id (2 bytes)
                    over the present units in order)
An answer id points at `cpo_answers`: one seat (all unsplit wards of a seat in one council
area share it), a split ward with its seats and postcode counts, or "known postcode, no
ward"; each with the council area it is in (district and, in two-tier England, county), so
a postcode says which of a seat's councils is the member's own.
A lookup reads one row, inflates a few hundred bytes and counts bits; decoded districts
are kept in a small cache.
"""

from __future__ import annotations

import csv
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import DataError
from .names import normalise_name, normalise_postcode, postcode_parts

UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
TIDY_POSTCODE = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?) ([0-9])([A-Z])([A-Z])")
UNIT_INDEX = {c: i for i, c in enumerate(UNIT_LETTERS)}
UNITS = len(UNIT_LETTERS) ** 2  # 400
BITMAP_BYTES = UNITS // 8
NO_WARD = 0  # in Code-Point Open without a ward (no coordinates)
UNMAPPED_WARD = 1  # a ward the mapping does not have

ANSWERS_SCHEMA = """
CREATE TABLE cpo_answers (id INTEGER PRIMARY KEY, ward TEXT, ward_name TEXT, seats TEXT,
                          district TEXT, county TEXT);
CREATE TABLE cpo_districts (outward TEXT PRIMARY KEY, blob BLOB) WITHOUT ROWID;
CREATE TABLE area_seats (area TEXT, seat TEXT, postcodes REAL, PRIMARY KEY (area, seat));
CREATE TABLE district_counties (district TEXT PRIMARY KEY, county TEXT);
"""


@dataclass(frozen=True)
class Answer:
    """What a postcode's ward says: one seat, or the seats of a split ward with counts."""

    id: int
    ward: str
    ward_name: str
    seats: tuple[tuple[str, int], ...]  # (seat code, postcodes of the ward in that seat)
    # the council area the postcodes are in: ONS codes of the district and (two-tier
    # England) the county; "" when not known (no ward, or a store built before they were)
    district: str = ""
    county: str = ""

    @property
    def unique(self) -> bool:
        return len(self.seats) == 1


@dataclass(frozen=True)
class PostcodeAnswer:
    postcode: str
    answer: Answer


# -- building --------------------------------------------------------------------------------
def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def encode_district(sectors: dict[int, list[tuple[int, int]]]) -> bytes:
    """{sector digit: [(unit index, answer id), ...]} -> the compressed blob."""
    payload = bytearray()
    for digit in sorted(sectors):
        units = sorted(sectors[digit])
        bitmap = 0
        runs: list[list[int]] = []
        for unit, answer in units:
            bitmap |= 1 << unit
            if runs and runs[-1][1] == answer:
                runs[-1][0] += 1
            else:
                runs.append([1, answer])
        payload.append(digit)
        payload += bitmap.to_bytes(BITMAP_BYTES, "little")
        payload += _varint(len(runs))
        for length, answer in runs:
            payload += _varint(length) + answer.to_bytes(2, "little")
    return zlib.compress(bytes(payload), 9)


def read_ward_mapping(path: Path, seat_by_key: dict[str, str],
                      report: Callable[[str], None]) -> dict[str, tuple[str, tuple]]:
    """ward code -> (ward name, ((seat code, postcodes), ...)); constituencies are given by
    NAME in this file, so each is joined to a seat by its normalised name and any name that
    does not match is reported (its postcodes then fall back to their sector)."""
    from .importers import read_csv

    wards: dict[str, tuple[str, tuple]] = {}
    unmatched: Counter = Counter()
    for row in read_csv(path, ["wardId", "ward", "constituency1", "#postcodes1"]):
        seats = []
        for i in range(1, 5):
            name = (row.get(f"constituency{i}") or "").strip()
            if not name:
                continue
            code = seat_by_key.get(normalise_name(name))
            if code is None:
                unmatched[name] += 1
                continue
            count = int(float(row.get(f"#postcodes{i}") or 0))
            seats.append((code, count))
        if seats:
            wards[row["wardId"].strip()] = (row["ward"].strip(), tuple(seats))
    for name, n in sorted(unmatched.items()):
        report(f"{path.name}: constituency name '{name}' ({n} wards) matches no 2024 seat; "
               "those wards' postcodes fall back to their sector")
    return wards


def _codepo_rows(codepo_dir: Path) -> Iterator[tuple[Path, Iterator[list[str]], tuple]]:
    header_file = codepo_dir / "header.csv"
    try:
        header = next(csv.reader(open(header_file, encoding="utf-8-sig")))
    except (OSError, StopIteration):
        raise DataError(f"{header_file}: cannot read the Code-Point Open header") from None
    header = [h.strip() for h in header]
    for column in ("Postcode", "Admin_ward_code", "Admin_district_code", "Admin_county_code"):
        if column not in header:
            raise DataError(f"{header_file.name}: missing column {column}")
    columns = tuple(header.index(c) for c in ("Postcode", "Admin_ward_code",
                                              "Admin_district_code", "Admin_county_code"))
    files = sorted((codepo_dir / "csv").glob("*.csv"))
    if not files:
        raise DataError(f"{codepo_dir}/csv: no Code-Point Open area files")
    for path in files:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            yield path, csv.reader(handle), columns


@dataclass
class BuiltIndex:
    answers: list[tuple[int, str, str, str, str, str]]
    districts: list[tuple[str, bytes]]
    postcodes: int
    unique: int
    split: int
    no_ward: int
    unmapped: int
    skipped: int
    area_seats: list[tuple[str, str, float]]  # (district or county code, seat, postcodes)
    district_counties: list[tuple[str, str]]  # two-tier areas: (district, county)


def build_index(codepo_dir: Path, ward_file: Path, seat_by_key: dict[str, str],
                report: Callable[[str], None],
                seat_districts: dict[str, set[str]] | None = None) -> BuiltIndex:
    """Read Code-Point Open area by area (memory stays small) into district blobs.

    seat_districts (seat -> its lower-tier districts, from ONS via mp_lookup) cross-checks
    the ward file: wards nest in districts, so a ward's part in a seat that does not span
    the ward's district is centroid noise in the ward file (a postcode or two on a
    boundary); it is left out and reported, never offered as a candidate."""
    builder = _IndexBuilder(read_ward_mapping(ward_file, seat_by_key, report), seat_districts)
    districts: list[tuple[str, bytes]] = []
    for path, rows, columns in _codepo_rows(codepo_dir):
        by_outward = builder.read_area(path, rows, columns)
        districts += [(o, encode_district(by_outward[o])) for o in sorted(by_outward)]
    return builder.finish(sorted(districts), ward_file.name, report)


class _IndexBuilder:
    """The answers (a seat, or a split ward's seats and shares) as Code-Point Open's postcodes
    are read, with what was placed where and what could not be."""

    def __init__(self, wards, seat_districts: dict[str, set[str]] | None):
        self.wards, self.seat_districts = wards, seat_districts
        self.answers: list[tuple[int, str, str, str, str, str]] = [
            (NO_WARD, "", "", "", "", ""), (UNMAPPED_WARD, "", "", "", "", "")]
        self.answer_of_seat: dict[tuple[str, str, str], int] = {}
        self.answer_of: dict[tuple[str, str, str], int] = {}
        self.dropped: list[str] = []
        self.stats: Counter = Counter()
        self.unmapped_wards: Counter = Counter()
        self.placed: Counter = Counter()  # (answer, district, county) -> postcodes

    def seats_for(self, ward: str, district: str) -> tuple[tuple[str, int], ...]:
        name, seats = self.wards[ward]
        if not self.seat_districts or not district:
            return seats
        kept = tuple((c, n) for c, n in seats if district in self.seat_districts.get(c, ()))
        if kept and len(kept) < len(seats):
            gone = [f"{c} ({n} postcodes)" for c, n in seats if (c, n) not in kept]
            self.dropped.append(f"{name} ({ward}) -> {', '.join(gone)}")
            return kept
        return seats

    def answer_for(self, ward: str, district: str, county: str) -> int:
        """One answer per seat and council area (per ward, for a split ward)."""
        key = (ward, district, county)
        if key in self.answer_of:
            return self.answer_of[key]
        seats = self.seats_for(ward, district)
        answers = self.answers
        if len(seats) == 1:
            code = seats[0][0]
            if (code, district, county) not in self.answer_of_seat:
                self.answer_of_seat[code, district, county] = len(answers)
                answers.append((len(answers), "", "", f"{code}={seats[0][1]}", district,
                                county))
            self.answer_of[key] = self.answer_of_seat[code, district, county]
        else:
            self.answer_of[key] = len(answers)
            answers.append((len(answers), ward, self.wards[ward][0],
                            ";".join(f"{c}={n}" for c, n in seats), district, county))
        return self.answer_of[key]

    def read_area(self, path: Path, rows, columns) -> dict[str, dict[int, list[tuple[int, int]]]]:
        """One Code-Point Open area file: each postcode's unit and answer, by district and
        sector."""
        pc_i, ward_i, district_i, county_i = columns
        by_outward: dict[str, dict[int, list[tuple[int, int]]]] = {}
        for cells in rows:
            text = cells[pc_i] if len(cells) > pc_i else ""
            match = TIDY_POSTCODE.fullmatch(text)  # Code-Point Open writes "AB10 1AB"
            if match is None:
                postcode = normalise_postcode(text)
                if postcode is None:
                    self.stats["skipped"] += 1  # e.g. 'N20000001' rows that are not postcodes
                    continue
                match = TIDY_POSTCODE.fullmatch(postcode)
            outward, digit, first, second = match.groups()
            try:
                unit_index = UNIT_INDEX[first] * 20 + UNIT_INDEX[second]
            except KeyError:
                raise DataError(f"{path.name}: postcode {text} has a unit letter outside "
                                f"{UNIT_LETTERS}") from None
            answer = self.place(cells, ward_i, district_i, county_i)
            by_outward.setdefault(outward, {}).setdefault(int(digit), []).append(
                (unit_index, answer))
            self.stats["postcodes"] += 1
        return by_outward

    def place(self, cells: list[str], ward_i: int, district_i: int, county_i: int) -> int:
        """The answer for one postcode's row, by its ward (and the ward's district)."""
        ward = cells[ward_i].strip() if len(cells) > ward_i else ""
        if not ward:
            self.stats["no_ward"] += 1
            return NO_WARD
        if ward not in self.wards:
            self.stats["unmapped"] += 1
            self.unmapped_wards[ward] += 1
            return UNMAPPED_WARD
        district = cells[district_i].strip() if len(cells) > district_i else ""
        county = cells[county_i].strip() if len(cells) > county_i else ""
        answer = self.answer_for(ward, district, county)
        self.placed[answer, district, county] += 1
        return answer

    def finish(self, districts: list[tuple[str, bytes]], ward_file: str,
               report: Callable[[str], None]) -> BuiltIndex:
        """The index, with each area's share of each seat, and what was left out, said."""
        stats = self.stats
        area_seats: Counter = Counter()
        district_counties: set[tuple[str, str]] = set()
        for (answer, district, county), count in self.placed.items():
            seats = _seats(self.answers[answer][3])
            stats["split" if len(seats) > 1 else "unique"] += count
            total = sum(n for _, n in seats) or 1
            for area in (district, county):
                for seat, n in seats if area else ():
                    area_seats[area, seat] += count * n / total
            if district and county:
                district_counties.add((district, county))
        if len(self.answers) > 0xFFFF:
            raise DataError("too many distinct answers for the postcode index")
        self.report_gaps(ward_file, report)
        return BuiltIndex(self.answers, districts, stats["postcodes"], stats["unique"],
                          stats["split"], stats["no_ward"], stats["unmapped"],
                          stats["skipped"],
                          sorted((a, s, round(n, 2)) for (a, s), n in area_seats.items()),
                          sorted(district_counties))

    def report_gaps(self, ward_file: str, report: Callable[[str], None]) -> None:
        stats, unmapped = self.stats, self.unmapped_wards
        if self.dropped:
            report(f"{ward_file}: {len(self.dropped)} ward parts are in a seat that, by the "
                   "ONS district lists, does not reach the ward's district; left out as "
                   "boundary noise: " + "; ".join(self.dropped))
        if stats["no_ward"]:
            report(f"Code-Point Open: {stats['no_ward']:,} postcodes have no ward (no "
                   "coordinates); they fall back to their sector's seats")
        if unmapped:
            report(f"Code-Point Open: {stats['unmapped']:,} postcodes in {len(unmapped)} wards "
                   f"that the ward mapping does not list ({', '.join(sorted(unmapped)[:5])}"
                   f"{' ...' if len(unmapped) > 5 else ''}); they fall back to their sector")


# -- reading ---------------------------------------------------------------------------------
def _read_varint(data: bytes, pos: int) -> tuple[int, int]:
    shift = value = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7


def decode_district(blob: bytes) -> dict[int, tuple[int, tuple[tuple[int, int], ...]]]:
    """The blob -> {sector digit: (unit bitmap, ((run length, answer id), ...))}."""
    data = zlib.decompress(blob)
    sectors = {}
    pos = 0
    while pos < len(data):
        digit = data[pos]
        bitmap = int.from_bytes(data[pos + 1:pos + 1 + BITMAP_BYTES], "little")
        pos += 1 + BITMAP_BYTES
        count, pos = _read_varint(data, pos)
        runs = []
        for _ in range(count):
            length, pos = _read_varint(data, pos)
            runs.append((length, data[pos] | data[pos + 1] << 8))
            pos += 2
        sectors[digit] = (bitmap, tuple(runs))
    return sectors


class CodePointIndex:
    """Read side of the compact index, over an open store connection."""

    def __init__(self, db):
        self.db = db
        columns = {row[1] for row in db.execute("PRAGMA table_info(cpo_answers)")}
        areas = ", district, county" if {"district", "county"} <= columns else ", '', ''"
        self.answers = {row[0]: Answer(row[0], row[1] or "", row[2] or "", _seats(row[3]),
                                       row[4] or "", row[5] or "")
                        for row in db.execute("SELECT id, ward, ward_name, seats" + areas +
                                              " FROM cpo_answers")}
        self.district = lru_cache(maxsize=512)(self._district)

    @property
    def available(self) -> bool:
        return len(self.answers) > 2

    def _district(self, outward: str):
        row = self.db.execute("SELECT blob FROM cpo_districts WHERE outward = ?",
                              (outward,)).fetchone()
        return decode_district(row[0]) if row else None

    def has_district(self, outward: str) -> bool:
        return self.district(outward) is not None

    def find(self, postcode: str) -> PostcodeAnswer | None:
        """The answer for one normalised postcode, or None when it is not in the list."""
        outward, digit, unit = postcode_parts(postcode)
        sectors = self.district(outward)
        if not sectors or digit not in sectors:
            return None
        bitmap, runs = sectors[digit]
        try:
            index = UNIT_INDEX[unit[0]] * 20 + UNIT_INDEX[unit[1]]
        except KeyError:
            return None
        if not bitmap >> index & 1:
            return None
        rank = (bitmap & ((1 << index) - 1)).bit_count()
        for length, answer in runs:
            if rank < length:
                return PostcodeAnswer(postcode, self.answers[answer])
            rank -= length
        raise DataError(f"the postcode index is damaged at {outward} {digit}")

    def seats_in(self, outward: str, digit: int | None = None) -> tuple[Counter, int]:
        """Postcodes per seat in a sector (or a whole district), a split ward's postcodes
        shared out by its counts; and how many postcodes there have no seat at all."""
        sectors = self.district(outward) or {}
        shares: Counter = Counter()
        unknown = 0
        for d, (_, runs) in sectors.items():
            if digit is not None and d != digit:
                continue
            for length, answer_id in runs:
                answer = self.answers[answer_id]
                total = sum(n for _, n in answer.seats)
                if not total:
                    unknown += length
                    continue
                for seat, n in answer.seats:
                    shares[seat] += length * n / total
        return shares, unknown

    def sectors(self, outward: str) -> list[int]:
        return sorted(self.district(outward) or {})

    def iter_postcodes(self, outward: str) -> Iterator[str]:
        """Every postcode of a district (for tests and the benchmark)."""
        for digit, (bitmap, _) in sorted((self.district(outward) or {}).items()):
            for index in range(UNITS):
                if bitmap >> index & 1:
                    yield (f"{outward} {digit}{UNIT_LETTERS[index // 20]}"
                           f"{UNIT_LETTERS[index % 20]}")


def _seats(text: str | None) -> tuple[tuple[str, int], ...]:
    if not text:
        return ()
    return tuple((code, int(n)) for code, n in (part.split("=") for part in text.split(";")))
