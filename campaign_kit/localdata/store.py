"""The place-facts store: a small SQLite file built from the public files, read by lookups.

The bundled store ships inside the package (data/places.sqlite). A full ONS Postcode
Directory, when imported, goes to a separate index in the user's data folder so the
bundled file is never modified.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import DataError
from . import anomalies
from . import importers as imp
from .model import Source
from .names import display_council_name, normalise_name
from .postcodes import ANSWERS_SCHEMA, build_index
from .sources import SOURCES

BUNDLED_STORE = Path(__file__).resolve().parent.parent / "data" / "places.sqlite"

SCHEMA = """
CREATE TABLE sources (id TEXT PRIMARY KEY, title TEXT, publisher TEXT, period TEXT,
                      licence TEXT, url TEXT, files TEXT, rows INTEGER);
CREATE TABLE seats (code TEXT PRIMARY KEY, name TEXT, key TEXT, nation TEXT, region TEXT,
                    mp_name TEXT, mp_title TEXT, party TEXT, email TEXT, gender TEXT,
                    salutation TEXT, member_id TEXT);
CREATE TABLE councils (code TEXT PRIMARY KEY, gss TEXT, name TEXT, key TEXT, nation TEXT,
                       region TEXT, display_name TEXT);
CREATE TABLE seat_councils (seat TEXT, council TEXT, position INTEGER,
                            PRIMARY KEY (seat, council));
CREATE INDEX seat_councils_by_council ON seat_councils (council);
CREATE TABLE districts (code TEXT PRIMARY KEY, name TEXT, key TEXT);
CREATE TABLE seat_districts (seat TEXT, district TEXT, position INTEGER,
                             PRIMARY KEY (seat, district));
CREATE INDEX seat_districts_by_district ON seat_districts (district);
CREATE TABLE old_seats (code TEXT PRIMARY KEY, name TEXT, key TEXT, region TEXT);
CREATE TABLE old_overlaps (old TEXT, seat TEXT, people REAL, old_people REAL,
                           PRIMARY KEY (old, seat));
CREATE TABLE figures (council TEXT, measure TEXT, sort INTEGER, period TEXT, value REAL,
                      PRIMARY KEY (council, measure, sort));
CREATE TABLE results_2024 (seat TEXT PRIMARY KEY, result TEXT, party TEXT, majority INTEGER,
                           majority_pc REAL, valid_votes INTEGER, winner_id TEXT);
CREATE TABLE portraits (seat TEXT PRIMARY KEY, member_id TEXT, mime TEXT, image BLOB);
CREATE TABLE reports (source TEXT, message TEXT);
CREATE TABLE anomalies (council TEXT, measure TEXT, period TEXT, reason TEXT,
                        PRIMARY KEY (council, measure, period));
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE postcodes (postcode TEXT PRIMARY KEY, seat TEXT, live INTEGER) WITHOUT ROWID;
""" + ANSWERS_SCHEMA

POSTCODE_SCHEMA = (
    "CREATE TABLE postcodes (postcode TEXT PRIMARY KEY, seat TEXT, live INTEGER) WITHOUT ROWID;"
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);"
)

# The files `data build --from DIR` needs, by role.
SOURCE_FILES = {
    "mps": "mp_lookup_dfe.csv",
    "mp_gender": "current-MPs_open-innovations.csv",
    "ge2024": "candidate-level-results-general-election-04-07-2024.csv",
    "caseload": "sen2_2025_caseload.csv",
    "requests": "sen2_2025_requests.csv",
    "timeliness": "sen2_2025_timeliness_20_week.csv",
    "tribunal": "sen2_2025_SEND_Tribunals_and_appeal_rate_2014-2024.csv",
    "lait": "lait_sen_indicators_by_la.csv",
    "dsg_deficit": "dsg_deficit_derived.csv",
    "high_needs_block": "dsg_2023-24_high_needs_block.csv",
    "onspd_2024_sample": "onspd_sample_postcodes.io_seed.csv",
    "onspd_2024": "onspd_aug2024_fixture_democracyclub.csv",
    "onspd_2025": "onspd_nov2025_fixture_democracyclub.csv",
    "codepo": "codepo_2023/header.csv",
    "ward_map": "ward_to_constituencies_mapping_12v.csv",
    "old_seats": "constituencies-2010_open-innovations.csv",
    "overlaps": "PARL10_PARL25_combo_overlap_open-innovations.csv",
    "short_codes": "ukparl.2025_open-innovations.csv",
    "portraits": "current-MPs-thumbnails_open-innovations.json",
    "lad_seats": "lookup-LAD24CD-PCON24CD_open-innovations.json",
}
TABLES = ("seats", "councils", "seat_councils", "districts", "seat_districts", "old_seats",
          "old_overlaps", "figures", "results_2024", "portraits", "postcodes", "cpo_answers",
          "cpo_districts", "area_seats", "district_counties", "reports", "anomalies")


def user_data_dir() -> Path:
    """The user's data folder: $CAMPAIGN_KIT_HOME, else $XDG_DATA_HOME/campaign-kit, else
    ~/.local/share/campaign-kit. Imported postcodes and updated data live here, never in
    the package."""
    home = os.environ.get("CAMPAIGN_KIT_HOME")
    if home:
        return Path(home)
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "campaign-kit"


def user_postcode_index() -> Path:
    """Where `data import-postcodes` puts the full directory (override: CAMPAIGN_KIT_HOME)."""
    return user_data_dir() / "postcodes.sqlite"


def user_store() -> Path:
    """The store a data update writes: the bundled store with the updated datasets."""
    return user_data_dir() / "places.sqlite"


def active_store() -> Path:
    """The store that answers: the user's updated one when there is one, else the bundled."""
    own = user_store()
    return own if own.is_file() else BUNDLED_STORE


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside target, renamed over it only when the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        tmp_path.unlink(missing_ok=True)


def build_store(source_dir: Path, target: Path = BUNDLED_STORE,
                report=None) -> dict[str, int]:
    """Rebuild the store from a folder of the public files; returns row counts per table.

    report(message) hears every join problem as it is found (they are also kept in the
    store's `reports` table, which `data status` shows)."""
    paths = {role: source_dir / name for role, name in SOURCE_FILES.items()}
    absent = [p.name for p in paths.values() if not p.is_file()]
    if absent:
        raise DataError(f"{source_dir}: missing file(s) {', '.join(absent)}")
    reports: list[tuple[str, str]] = []
    note = _noter(reports, report)

    councils = imp.read_councils(paths["caseload"])
    check = imp.CouncilCheck(councils, imp.read_council_history(paths["caseload"]))
    results = imp.read_results(paths["ge2024"])
    members = imp.read_members(paths["mp_gender"])
    # a ballot-paper family name only for the same member (a by-election changes the MP)
    family_names = {r.member_id: r.family_name for r in results}
    seats = imp.read_seats(paths["mps"], members, family_names)
    seat_names = {s.code: s.name for s in seats}
    seat_by_key = {normalise_name(s.name): s.code for s in seats}
    old_seats = imp.read_old_seats(paths["old_seats"])
    overlaps = imp.read_overlaps(paths["overlaps"], paths["short_codes"], seat_names,
                                 note("pcon2010"))
    portraits = imp.read_portraits(paths["portraits"], seats, members, note("portraits"))
    # a seat's districts: mp_lookup's list and every part the LAD -> PCON lookup knows
    seat_districts = {s.code: {code for code, _ in s.districts} for s in seats}
    for district, seat in imp.read_lad_seats(paths["lad_seats"], seats):
        seat_districts[seat].add(district)
    postcode_index = build_index(paths["codepo"].parent, paths["ward_map"], seat_by_key,
                                 note("codepo"), seat_districts)

    with atomic_path(target) as tmp:
        tmp.unlink()
        db = sqlite3.connect(tmp)
        try:
            db.executescript(SCHEMA)
            _write(db, paths, seats, councils, check, results, note)
            _write_places(db, seats, seat_districts, old_seats, overlaps, portraits,
                          postcode_index)
            reports.extend(check.summary())
            for _, message in check.summary() if report else ():
                report(message)
            _flag_anomalies(db, report)
            db.executemany("INSERT INTO reports VALUES (?,?)", reports)
            _count_rows(db, {"codepo": postcode_index.postcodes, "ward_map":
                             postcode_index.unique + postcode_index.split,
                             "pcon2010": len(old_seats), "portraits": len(portraits)})
            db.commit()
            counts = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
            db.execute("VACUUM")
        finally:
            db.close()
    return counts


def _noter(reports: list[tuple[str, str]], report):
    """note(source)(message): a join problem kept for the store's reports and heard now."""
    def note(source: str):
        def add(message: str) -> None:
            reports.append((source, message))
            if report:
                report(message)
        return add
    return note


def _count_rows(db, rows: dict[str, int]) -> None:
    for source_id, n in rows.items():
        db.execute("UPDATE sources SET rows = ? WHERE id = ?", (n, source_id))


def _flag_anomalies(db: sqlite3.Connection, report=None) -> None:
    """The anomaly guard's figures in doubt, kept in their own table (`data status` lists
    them, documents read them) and heard by `report`."""
    flagged = anomalies.find(db)
    anomalies.save(db, flagged)
    names = dict(db.execute("SELECT code, display_name FROM councils"))
    for a in flagged if report else ():
        report("figure in doubt: " + anomalies.words(a, names))


def _write(db, paths, seats, councils, check, results, note) -> None:
    """Seats, councils, the 2024 results, every figure and the sample postcodes."""
    _write_seats(db, paths, seats, councils, check, results)
    rows_by_source = {"mps": len(seats), "mp_gender": len(seats), "ge2024": len(results),
                      **_write_figures(db, paths, check, note)}
    rows_by_source["onspd"] = _write_postcodes(db, paths)
    for s in SOURCES.values():
        db.execute("INSERT INTO sources VALUES (?,?,?,?,?,?,?,?)",
                   (s.id, s.title, s.publisher, s.period, s.licence, s.url, s.files,
                    rows_by_source.get(s.id, 0)))


def _write_seats(db, paths, seats, councils, check, results) -> None:
    """Seats with their MPs, councils (a seat's English council checked against SEN2's by
    code and name), which councils each seat spans, and the 2024 results."""
    db.executemany(
        "INSERT INTO seats VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        [(s.code, s.name, normalise_name(s.name), s.nation, s.region, s.mp_name, s.mp_title,
          s.party, s.email, s.gender, s.salutation, s.member_id) for s in seats])
    db.executemany(
        "INSERT INTO councils VALUES (?,?,?,?,?,?,?)",
        [(code, gss, name, normalise_name(name), "England", region, display_council_name(name))
         for code, gss, name, region in councils])
    english = {c[0] for c in councils}
    for seat in seats:
        for position, (code, gss, name) in enumerate(seat.councils):
            if seat.nation == "England":
                if code not in english:
                    raise DataError(f"{paths['mps'].name}: {seat.name} names council {code} "
                                    f"({name}) which is not in the SEN2 statistics")
                if check.resolve(paths["mps"].name, code, name) != code:
                    raise DataError(f"{paths['mps'].name}: {seat.name} gives council {name} "
                                    f"the code {code}, which is {check.names[code]}'s")
            else:
                db.execute("INSERT OR IGNORE INTO councils VALUES (?,?,?,?,?,?,?)",
                           (code, gss, name, normalise_name(name), seat.nation, seat.nation,
                            display_council_name(name)))
            db.execute("INSERT INTO seat_councils VALUES (?,?,?)", (seat.code, code, position))
    db.executemany(
        "INSERT INTO results_2024 VALUES (?,?,?,?,?,?,?)",
        [(r.code, r.result, r.party, r.majority, r.majority_pc, r.valid_votes, r.member_id)
         for r in results])


def _write_figures(db, paths, check, note) -> dict[str, int]:
    """Every council's figures, each row's council resolved by code and name; rows read by
    source id."""
    streams = {
        "sen2": [("caseload", imp.read_caseload(paths["caseload"])),
                 ("requests", imp.read_requests(paths["requests"])),
                 ("timeliness", imp.read_timeliness(paths["timeliness"]))],
        "sen_census": [("lait", imp.read_lait(paths["lait"]))],
        "tribunal": [("tribunal", imp.read_tribunal(paths["tribunal"]))],
        "dsg_deficit": [("dsg_deficit", imp.read_dsg_deficit(paths["dsg_deficit"]))],
        "high_needs_block": [("high_needs_block",
                              imp.read_high_needs_block(paths["high_needs_block"]))],
    }
    rows_by_source: dict[str, int] = {}
    for source_id, readers in streams.items():
        count = 0
        for role, reader in readers:
            taken: dict[tuple[str, str, int], str] = {}
            for f in reader:
                code = check.resolve(paths[role].name, f.council, f.name)
                if code is None:
                    continue
                key = (code, f.measure, f.order)
                if key in taken:
                    note(source_id)(f"{paths[role].name}: two rows give {f.measure} for "
                                    f"{check.names.get(code, code)} in {f.period} ('{taken[key]}'"
                                    f" and '{f.name}'); the first is kept")
                    continue
                taken[key] = f.name
                db.execute("INSERT INTO figures VALUES (?,?,?,?,?)",
                           (code, f.measure, f.order, f.period, f.value))
                count += 1
        rows_by_source[source_id] = count
    return rows_by_source


def _write_postcodes(db, paths) -> int:
    """The ONS Postcode Directory sample postcodes bundled for exact answers."""
    postcodes = 0
    for role in ("onspd_2024_sample", "onspd_2024", "onspd_2025"):
        with open(paths[role], encoding="utf-8-sig", newline="") as handle:
            for postcode, seat, live in imp.read_onspd(handle, paths[role].name):
                db.execute("INSERT OR REPLACE INTO postcodes VALUES (?,?,?)",
                           (postcode, seat, live))
                postcodes += 1
    return postcodes


def _write_places(db, seats, seat_districts, old_seats, overlaps, portraits, index) -> None:
    """Districts, old seats and their overlaps, portraits and the postcode index."""
    for seat in seats:
        for code, name in seat.districts:
            db.execute("INSERT OR IGNORE INTO districts VALUES (?,?,?)",
                       (code, name, normalise_name(name)))
    for seat in seats:
        listed = [code for code, _ in seat.districts]
        extra = sorted(seat_districts[seat.code] - set(listed))
        for position, code in enumerate(listed + extra):
            db.execute("INSERT INTO seat_districts VALUES (?,?,?)", (seat.code, code, position))
    db.executemany("INSERT INTO old_seats VALUES (?,?,?,?)",
                   [(o.code, o.name, normalise_name(o.name), o.region) for o in old_seats])
    db.executemany("INSERT INTO old_overlaps VALUES (?,?,?,?)",
                   [(o.old, o.seat, o.people, o.old_people) for o in overlaps])
    db.executemany("INSERT INTO portraits VALUES (?,?,?,?)",
                   [(seat, member, mime, image)
                    for seat, (member, mime, image) in sorted(portraits.items())])
    db.executemany("INSERT INTO cpo_answers VALUES (?,?,?,?,?,?)", index.answers)
    db.executemany("INSERT INTO cpo_districts VALUES (?,?)", index.districts)
    db.executemany("INSERT INTO area_seats VALUES (?,?,?)", index.area_seats)
    db.executemany("INSERT INTO district_counties VALUES (?,?)", index.district_counties)
    meta = {"codepo_postcodes": index.postcodes, "codepo_unique": index.unique,
            "codepo_split": index.split, "codepo_no_ward": index.no_ward,
            "codepo_unmapped": index.unmapped, "codepo_skipped": index.skipped}
    db.executemany("INSERT INTO meta VALUES (?,?)", [(k, str(v)) for k, v in meta.items()])


def import_postcodes(csv_path: Path, target: Path | None = None,
                     batch_size: int = 50_000, progress=None) -> int:
    """Stream a full ONSPD CSV into a postcode index; memory stays flat whatever the size."""
    target = target or user_postcode_index()
    try:
        handle = open(csv_path, "rb")
    except OSError as exc:
        raise DataError(f"cannot read {csv_path}: {exc.strerror}") from None
    count = 0
    with handle, atomic_path(target) as tmp:
        tmp.unlink()
        db = sqlite3.connect(tmp)
        try:
            db.execute("PRAGMA journal_mode=OFF")
            db.execute("PRAGMA synchronous=OFF")
            db.executescript(POSTCODE_SCHEMA)
            batch: list[tuple[str, str, int]] = []
            for row in imp.read_onspd(utf8_lines(handle, csv_path.name), csv_path.name):
                batch.append(row)
                if len(batch) >= batch_size:
                    db.executemany("INSERT OR REPLACE INTO postcodes VALUES (?,?,?)", batch)
                    count += len(batch)
                    batch.clear()
                    if progress:
                        progress(count)
            db.executemany("INSERT OR REPLACE INTO postcodes VALUES (?,?,?)", batch)
            count += len(batch)
            if count == 0:
                raise DataError(f"{csv_path.name}: no postcode rows found")
            db.execute("INSERT INTO meta VALUES ('source', ?)", (csv_path.name,))
            db.execute("INSERT INTO meta VALUES ('edition', ?)", (onspd_edition(csv_path),))
            db.execute("INSERT INTO meta VALUES ('rows', ?)", (str(count),))
            db.commit()
        finally:
            db.close()
    return count


def utf8_lines(handle, name: str):
    """A binary file's lines as text, each decoded as UTF-8 (a BOM on the first allowed): a
    line in another encoding is a one-line error naming it, never a guess."""
    for number, raw in enumerate(handle, 1):
        try:
            yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            raise DataError(f"{name}: line {number} is not UTF-8 text (byte {raw[exc.start]:#04x}"
                            f" at character {exc.start + 1}); the ONS Postcode Directory is "
                            "UTF-8: use the file as downloaded") from None


MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def onspd_edition(path: Path) -> str:
    """'ONSPD_NOV_2025_UK.csv' -> 'November 2025'; else the file's date, said as such."""
    import calendar
    import datetime as dt
    import re

    match = re.search(r"(?i)(" + "|".join(MONTHS) + r")[_ -]?(20\d\d)", path.name)
    if match:
        month = MONTHS.index(match.group(1).upper()) + 1
        return f"{calendar.month_name[month]} {match.group(2)}"
    stamp = dt.date.fromtimestamp(path.stat().st_mtime)
    return f"file dated {stamp.isoformat()}"


def load_sources(db: sqlite3.Connection) -> dict[str, Source]:
    return {row[0]: Source(*row) for row in db.execute("SELECT * FROM sources")}
