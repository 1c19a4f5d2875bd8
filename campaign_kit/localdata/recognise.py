"""Which dataset a downloaded file is, told by its columns and contents, never its name.

Publishers rename their files from one release to the next (SEN2's caseload was
sen2_estab_caseload.csv in 2020, caseload.csv in 2025), so a file is recognised by the
columns its reader needs (a tidy CSV) or by its title and header rows (a spreadsheet saved
as CSV). A zip as "Download all data" gives it is opened safely: no entry may leave its
folder, be a link, or expand without bound; entries the kit does not read are listed, not
refused.
"""

from __future__ import annotations

import csv
import hashlib
import lzma
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import DataError

HEAD_BYTES = 256 * 1024  # enough for the header and title rows of every known file
MAX_ENTRIES = 5000
MAX_ENTRY_BYTES = 1 << 30  # 1 GiB a file once expanded
MAX_TOTAL_BYTES = 2 << 30  # 2 GiB for everything taken from one zip
MAX_RATIO = 200  # expanded / compressed, for entries over 1 MiB ("zip bombs" run to 1000s)
# What reading a damaged archive raises (a flipped byte, a header whose size or checksum
# lies, a compression method Python cannot unpack, a name that is not UTF-8): the archive's
# fault, said in one line.
DAMAGED = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, NotImplementedError,
           ValueError, RuntimeError, OSError)


@dataclass(frozen=True)
class Shape:
    """A file the kit reads: its dataset (a source id), its part, words for messages, and
    the columns its reader needs (empty for a spreadsheet recognised by its rows)."""

    dataset: str
    part: str
    what: str
    columns: tuple[str, ...] = ()
    markers: tuple[str, ...] = ()  # columns that show a file means to be this one


_SEN2 = ("time_period", "geographic_level", "old_la_code", "la_name", "breakdown_topic")
SHAPES: tuple[Shape, ...] = (
    Shape("sen2", "caseload", "SEN2 EHC plans in force each January (caseload.csv)",
          _SEN2 + ("ehcplans",), ("ehcplans",)),
    Shape("sen2", "requests", "SEN2 requests for an EHC needs assessment (requests.csv)",
          _SEN2 + ("requests_received_in_year",), ("requests_received_in_year",)),
    Shape("sen2", "timeliness", "SEN2 new plans issued within 20 weeks "
          "(timeliness_20_week.csv)", _SEN2 + ("plans_issued_den", "plans_issued_within_20_weeks",
                                              "pc_plans_issued_within_20_weeks"),
          ("pc_plans_issued_within_20_weeks",)),
    Shape("sen_census", "phase_type", "Special educational needs in England, pupils by SEN "
          "provision (sen_phase_type.csv)", ("time_period", "geographic_level", "old_la_code",
                                             "la_name", "phase_type_grouping",
                                             "sen_support_percent", "ehc_plan_percent"),
          ("phase_type_grouping",)),
    Shape("sen_census", "lait", "DfE LAIT SEN indicators by local authority",
          ("Short Desc", "Years", "Values", "LA Number", "LA and Regions"),
          ("Short Desc", "LA Number")),
    Shape("dsg_deficit", "deficit", "DSG cumulative deficit by local authority "
          "(dsg_deficit_derived)", ("geographic_level", "la_name", "deficit", "financial_year"),
          ("deficit",)),
    Shape("mps", "mp_lookup", "DfE mp_lookup.csv (MPs by constituency)",
          ("pcon_name", "pcon_code", "member_id", "full_title", "display_as", "party_text",
           "member_email", "la_names", "new_la_codes_2024", "old_la_codes_2024", "lad_names",
           "lad_codes", "lad_codes_2024", "region_name", "country_name"),
          ("pcon_code", "member_id")),
    Shape("mps", "members", "Open Innovations current MPs (gender by member id)",
          ("PCON24CD", "MP", "Gender", "ID", "Start date"), ("PCON24CD", "Gender")),
    Shape("tribunal", "tribunal", "SEND Tribunal appeal rate table (title row, then "
          "'Local Authority, LA code' over years)"),
    Shape("high_needs_block", "high_needs_block", "DSG allocations, High_needs_block sheet "
          "saved as CSV (title row naming the high needs block)"),
)
SHAPE = {(s.dataset, s.part): s for s in SHAPES}


@dataclass(frozen=True)
class Recognised:
    """A file given to an update: which dataset and part it is, and where it now is on disk
    (a zip's entry is copied out to a private folder)."""

    dataset: str
    part: str
    path: Path
    shown: str  # as the user knows it: 'download.zip: data/caseload.csv'
    digest: str = ""


def expected() -> str:
    return "; ".join(s.what for s in SHAPES)


def _rows(head: bytes, shown: str) -> list[list[str]]:
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if len(head) < HEAD_BYTES or len(head) - exc.start > 4:  # the whole file, or more
            # than a character cut where the head ends
            raise DataError(f"{shown}: not UTF-8 text (a spreadsheet? save the sheet as CSV "
                            "UTF-8)") from None
        text = head[:exc.start].decode("utf-8-sig")
    lines = text.splitlines()[:-1] if len(head) >= HEAD_BYTES else text.splitlines()
    try:
        return list(csv.reader(lines[:20]))
    except csv.Error as exc:
        raise DataError(f"{shown}: not a CSV file ({exc})") from None


def shape_of(head: bytes, shown: str) -> Shape | None:
    """The shape a file's first bytes show; None when nothing fits; DataError when a file is
    plainly meant to be one of them but lacks a column its reader needs."""
    rows = _rows(head, shown)
    if not rows:
        raise DataError(f"{shown}: the file is empty")
    header = [c.strip() for c in rows[0]]
    for shape in SHAPES:
        if shape.columns and all(c in header for c in shape.columns):
            return shape
    for shape in SHAPES:  # meant to be one, but a column is missing
        if shape.columns and shape.markers and all(m in header for m in shape.markers):
            missing = [c for c in shape.columns if c not in header]
            raise DataError(f"{shown}: looks like {shape.what} but lacks column(s) "
                            f"{', '.join(missing)}")
    return _sheet_shape(rows, shown)


def _sheet_shape(rows: list[list[str]], shown: str) -> Shape | None:
    first = (rows[0][0] if rows[0] else "").strip().lower()
    if "high needs" in first:
        return SHAPE[("high_needs_block", "high_needs_block")]
    heads = [r for r in rows if r and r[0].strip().lower() == "local authority"]
    if heads and len(heads[0]) > 1 and heads[0][1].strip().lower() == "la code":
        return SHAPE[("tribunal", "tribunal")]
    if "tribunal" in first:
        raise DataError(f"{shown}: looks like the SEND Tribunal appeal rate table but has no "
                        "'Local Authority, LA code' header row")
    return None


def _head(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(HEAD_BYTES)
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror}") from None


def recognise(paths: Iterable[Path], workdir: Path) -> tuple[list[Recognised], list[str]]:
    """Each file (CSV or zip) as the dataset part it is; zip entries are copied into
    workdir. Returns what was recognised and the zip entries left aside (not read by the
    kit). A file given on its own that is not recognised is a DataError naming what was
    expected; so is a part given twice."""
    found: list[Recognised] = []
    skipped: list[str] = []
    for path in paths:
        head = _head(path)
        if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
            got, left = _from_zip(path, workdir)
            found += got
            skipped += left
            continue
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            raise DataError(f"{path.name}: an Excel 97-2003 workbook; save the sheet as CSV")
        shape = shape_of(head, path.name)
        if shape is None:
            raise DataError(f"{path.name}: not a file the kit can read; expected one of: "
                            f"{expected()}")
        found.append(Recognised(shape.dataset, shape.part, path, path.name, _digest(path)))
    seen: dict[tuple[str, str], str] = {}
    for r in found:
        key = (r.dataset, r.part)
        if key in seen:
            raise DataError(f"two files give {SHAPE[key].what}: {seen[key]} and {r.shown}; "
                            "give one")
        seen[key] = r.shown
    return found, skipped


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def _check_entry(info: zipfile.ZipInfo, shown: str) -> None:
    """Refuse an entry that would leave its folder, is a link, is encrypted or claims to
    expand without bound."""
    name = info.filename
    parts = PurePosixPath(name.replace("\\", "/")).parts
    # entries are copied out under names of the kit's own, never their own; a name that
    # climbs out or starts at a root or a drive ('C:') is still the sign of a hostile zip
    if name.startswith(("/", "\\")) or ".." in parts or re.match(r"[A-Za-z]:", name):
        raise DataError(f"{shown}: refused: the entry '{name}' points outside the archive's "
                        "folder")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise DataError(f"{shown}: refused: the entry '{name}' is a link")
    if info.flag_bits & 0x1:
        raise DataError(f"{shown}: refused: the entry '{name}' is encrypted")
    if info.file_size > MAX_ENTRY_BYTES or (
            info.file_size > (1 << 20) and info.file_size > MAX_RATIO * max(info.compress_size, 1)):
        raise DataError(f"{shown}: refused: the entry '{name}' expands to "
                        f"{info.file_size:,} bytes (limit {MAX_ENTRY_BYTES:,}, or "
                        f"{MAX_RATIO} times its compressed size)")


def _from_zip(path: Path, workdir: Path) -> tuple[list[Recognised], list[str]]:
    try:
        archive = zipfile.ZipFile(path)
    except DAMAGED as exc:
        raise DataError(f"{path.name}: not a readable zip archive ({exc})") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise DataError(f"{path.name}: refused: {len(infos):,} entries (limit "
                            f"{MAX_ENTRIES:,})")
        names = {i.filename for i in infos}
        if "mimetype" in names or "xl/workbook.xml" in names:
            raise DataError(f"{path.name}: a spreadsheet (ODS or XLSX); open it and save the "
                            "sheet the kit reads as CSV")
        for info in infos:
            _check_entry(info, path.name)
        found, skipped, total = [], [], 0
        for info in infos:
            if info.is_dir():
                continue
            shown = f"{path.name}: {info.filename}"
            if not info.filename.lower().endswith(".csv"):
                skipped.append(info.filename)
                continue
            shape = shape_of(_entry_head(archive, info, shown), shown)
            if shape is None:
                skipped.append(info.filename)
                continue
            target = workdir / f"{len(found):02d}-{shape.dataset}-{shape.part}.csv"
            total += _copy_bounded(archive, info, target, shown, MAX_TOTAL_BYTES - total)
            found.append(Recognised(shape.dataset, shape.part, target, shown, _digest(target)))
    if not found:
        which = "its only entry is not" if len(infos) == 1 else \
            f"none of its {len(infos):,} entries is"
        raise DataError(f"{path.name}: {which} a file the kit can read; expected one of: "
                        f"{expected()}")
    return found, skipped


def _copy_bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, shown: str,
                  room: int) -> int:
    """Copy an entry out, stopping at its declared size (a header can lie) and the room
    left of the archive's total."""
    limit = min(info.file_size, room)
    written = 0
    with open(target, "wb") as out:
        for chunk in _entry_chunks(archive, info, shown):
            written += len(chunk)
            if written > limit:
                bound = "its declared size" if limit == info.file_size else \
                    f"{MAX_TOTAL_BYTES:,} bytes for one archive"
                raise DataError(f"{shown}: refused: it expands beyond {bound}")
            out.write(chunk)
    return written


def _entry_head(archive: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str) -> bytes:
    """The first HEAD_BYTES of an entry; a damaged entry is a DataError."""
    try:
        with archive.open(info) as handle:
            return handle.read(HEAD_BYTES)
    except DAMAGED as exc:
        raise damaged(shown, exc) from None


def _entry_chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str):
    """An entry's bytes a MiB at a time; a damaged entry (read to its end, where its
    checksum is checked) is a DataError. Only reading is caught: a full disk while the
    caller writes is its own error."""
    try:
        with archive.open(info) as source:
            while chunk := source.read(1 << 20):
                yield chunk
    except DAMAGED as exc:
        raise damaged(shown, exc) from None


def damaged(shown: str, exc: BaseException) -> DataError:
    return DataError(f"{shown}: refused: the entry cannot be read, the archive is damaged "
                     f"({exc})")


def private_folder() -> Path:
    """A folder for one update's extracted files (removed by the caller)."""
    return Path(tempfile.mkdtemp(prefix="campaign-kit-update-"))


def remove_folder(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
