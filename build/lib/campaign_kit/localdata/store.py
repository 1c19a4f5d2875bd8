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
from . import importers as imp
from .model import Source
from .names import normalise_name
from .sources import SOURCES

BUNDLED_STORE = Path(__file__).resolve().parent.parent / "data" / "places.sqlite"

SCHEMA = """
CREATE TABLE sources (id TEXT PRIMARY KEY, title TEXT, publisher TEXT, period TEXT,
                      licence TEXT, url TEXT, files TEXT, rows INTEGER);
CREATE TABLE seats (code TEXT PRIMARY KEY, name TEXT, key TEXT, nation TEXT, region TEXT,
                    mp_name TEXT, mp_title TEXT, party TEXT, email TEXT, gender TEXT,
                    salutation TEXT, member_id TEXT);
CREATE TABLE councils (code TEXT PRIMARY KEY, gss TEXT, name TEXT, key TEXT, nation TEXT,
                       region TEXT);
CREATE TABLE seat_councils (seat TEXT, council TEXT, position INTEGER,
                            PRIMARY KEY (seat, council));
CREATE INDEX seat_councils_by_council ON seat_councils (council);
CREATE TABLE figures (council TEXT, measure TEXT, sort INTEGER, period TEXT, value REAL,
                      PRIMARY KEY (council, measure, sort));
CREATE TABLE results_2024 (seat TEXT PRIMARY KEY, result TEXT, party TEXT, majority INTEGER,
                           majority_pc REAL, valid_votes INTEGER, winner_id TEXT);
""" + "CREATE TABLE postcodes (postcode TEXT PRIMARY KEY, seat TEXT, live INTEGER) WITHOUT ROWID;"

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
}


def user_postcode_index() -> Path:
    """Where `data import-postcodes` puts the full directory (override: CAMPAIGN_KIT_HOME)."""
    home = os.environ.get("CAMPAIGN_KIT_HOME")
    if home:
        return Path(home) / "postcodes.sqlite"
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "campaign-kit" / "postcodes.sqlite"


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


def build_store(source_dir: Path, target: Path = BUNDLED_STORE) -> dict[str, int]:
    """Rebuild the store from a folder of the public files; returns row counts per table."""
    paths = {role: source_dir / name for role, name in SOURCE_FILES.items()}
    absent = [p.name for p in paths.values() if not p.is_file()]
    if absent:
        raise DataError(f"{source_dir}: missing file(s) {', '.join(absent)}")

    councils = imp.read_councils(paths["caseload"])
    code_by_name = {normalise_name(name): code for code, _, name, _ in councils}
    results = imp.read_results(paths["ge2024"])
    family_names = {r.member_id: r.family_name for r in results}
    seats = imp.read_seats(paths["mps"], paths["mp_gender"], family_names)

    with atomic_path(target) as tmp:
        tmp.unlink()
        db = sqlite3.connect(tmp)
        try:
            db.executescript(SCHEMA)
            _write(db, source_dir, paths, seats, councils, code_by_name, results)
            db.commit()
            counts = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                      for t in ("seats", "councils", "seat_councils", "figures", "postcodes",
                                "results_2024")}
            db.execute("VACUUM")
        finally:
            db.close()
    return counts


def _write(db, source_dir, paths, seats, councils, code_by_name, results) -> None:
    db.executemany(
        "INSERT INTO seats VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        [(s.code, s.name, normalise_name(s.name), s.nation, s.region, s.mp_name, s.mp_title,
          s.party, s.email, s.gender, s.salutation, s.member_id) for s in seats])
    db.executemany(
        "INSERT INTO councils VALUES (?,?,?,?,?,?)",
        [(code, gss, name, normalise_name(name), "England", region)
         for code, gss, name, region in councils])
    english = {c[0] for c in councils}
    for seat in seats:
        for position, (code, gss, name) in enumerate(seat.councils):
            if seat.nation == "England" and code not in english:
                raise DataError(f"{paths['mps'].name}: {seat.name} names council {code} "
                                f"({name}) which is not in the SEN2 statistics")
            if seat.nation != "England":
                db.execute("INSERT OR IGNORE INTO councils VALUES (?,?,?,?,?,?)",
                           (code, gss, name, normalise_name(name), seat.nation, seat.nation))
            db.execute("INSERT INTO seat_councils VALUES (?,?,?)", (seat.code, code, position))
    db.executemany(
        "INSERT INTO results_2024 VALUES (?,?,?,?,?,?,?)",
        [(r.code, r.result, r.party, r.majority, r.majority_pc, r.valid_votes, r.member_id)
         for r in results])

    streams = {
        "sen2": [imp.read_caseload(paths["caseload"]), imp.read_requests(paths["requests"]),
                 imp.read_timeliness(paths["timeliness"])],
        "sen_census": [imp.read_lait(paths["lait"])],
        "tribunal": [imp.read_tribunal(paths["tribunal"])],
        "dsg_deficit": [imp.read_dsg_deficit(paths["dsg_deficit"], code_by_name)],
        "high_needs_block": [imp.read_high_needs_block(paths["high_needs_block"])],
    }
    known = english | {imp.ENGLAND}
    rows_by_source = {"mps": len(seats), "mp_gender": len(seats), "ge2024": len(results)}
    for source_id, readers in streams.items():
        count = 0
        for reader in readers:
            for f in reader:
                if f.council in known:
                    db.execute("INSERT OR REPLACE INTO figures VALUES (?,?,?,?,?)",
                               (f.council, f.measure, f.order, f.period, f.value))
                    count += 1
        rows_by_source[source_id] = count

    postcodes = 0
    for role in ("onspd_2024_sample", "onspd_2024", "onspd_2025"):
        with open(paths[role], encoding="utf-8-sig", newline="") as handle:
            for postcode, seat, live in imp.read_onspd(handle, paths[role].name):
                db.execute("INSERT OR REPLACE INTO postcodes VALUES (?,?,?)",
                           (postcode, seat, live))
                postcodes += 1
    rows_by_source["onspd"] = postcodes
    for s in SOURCES.values():
        db.execute("INSERT INTO sources VALUES (?,?,?,?,?,?,?,?)",
                   (s.id, s.title, s.publisher, s.period, s.licence, s.url, s.files,
                    rows_by_source.get(s.id, 0)))


def import_postcodes(csv_path: Path, target: Path | None = None,
                     batch_size: int = 50_000, progress=None) -> int:
    """Stream a full ONSPD CSV into a postcode index; memory stays flat whatever the size."""
    target = target or user_postcode_index()
    try:
        handle = open(csv_path, encoding="utf-8-sig", newline="")
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
            for row in imp.read_onspd(handle, csv_path.name):
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
            db.execute("INSERT INTO meta VALUES ('rows', ?)", (str(count),))
            db.commit()
        finally:
            db.close()
    return count


def load_sources(db: sqlite3.Connection) -> dict[str, Source]:
    return {row[0]: Source(*row) for row in db.execute("SELECT * FROM sources")}
