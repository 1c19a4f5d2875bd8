"""Reading a spreadsheet saved as CSV, as the many versions of Excel and LibreOffice save it.

- Encoding: UTF-8 (with or without BOM, Excel's "CSV UTF-8"), UTF-16 with a BOM (Excel's
  "Unicode Text"), or Windows-1252 (Excel's plain "CSV" in Western locales). A file that is
  UTF-8 except for some rows (two exports pasted together) is read as UTF-8 and those rows as
  Windows-1252, with a note naming them; a row that is neither fails on its own. Workbooks
  (.xlsx, .xls) and other binary files are refused with what to do instead.
- Delimiter: comma, semicolon (Excel in locales whose decimal mark is a comma: France,
  Germany, Spain ...) or tab, chosen by which one makes the header's known column names.
- Size: the file at most 256 MiB (a 100,000-member spreadsheet with a full-page story for
  every member is about 500 characters a row on average in practice, 50 MB); a cell may be
  as long as the file, so one oversized cell fails only its own row (field limits are
  checked per field by inputs.clean), never the batch. A row the csv module cannot read
  fails on its own too.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputProblem

MAX_CSV_BYTES = 256 * 1024 * 1024
DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class RawRow:
    number: int  # the spreadsheet's row number (the header is row 1)
    cells: list[str]
    problem: str = ""  # this row alone cannot be used, and why
    note: str = ""  # this row was read, with a caveat the user should see


@dataclass
class Decoded:
    text: str
    encoding: str
    cp1252_lines: set[int]  # physical lines (1-based) read as Windows-1252
    bad_lines: set[int]  # lines that are neither UTF-8 nor Windows-1252


def looks_binary(head: bytes) -> bool:
    """NUL bytes in the header row, or more than a few: not a text file. A NUL in a cell
    further down is a control character like any other, for its own row (the rules drop
    it from text and refuse it in a place or a code), wherever in the file it is."""
    return b"\x00" in head.split(b"\n", 1)[0] or head.count(0) > max(2, len(head) // 100)


def decode(raw: bytes, source: str) -> Decoded:
    if raw.startswith(b"PK\x03\x04") or raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputProblem(f"{source} is an Excel workbook, not CSV: in Excel choose File > "
                           "Save As > 'CSV UTF-8 (Comma delimited)'")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return Decoded(raw.decode("utf-16"), "UTF-16", set(), set())
        except UnicodeDecodeError:
            raise InputProblem(f"{source}: broken UTF-16 text; save it from Excel as "
                               "'CSV UTF-8'") from None
    head = raw[:4096]
    if b"\x00" in head:
        for encoding, zeros in (("utf-16-le", head[1::2]), ("utf-16-be", head[0::2])):
            if zeros.count(0) > len(zeros) * 0.9:
                try:
                    return Decoded(raw.decode(encoding), "UTF-16", set(), set())
                except UnicodeDecodeError:
                    break
        if looks_binary(head):
            raise InputProblem(f"{source} is not a text CSV file (it holds NUL bytes); save "
                               "it from Excel as 'CSV UTF-8'")
    try:
        return Decoded(raw.decode("utf-8-sig"), "UTF-8", set(), set())
    except UnicodeDecodeError:
        pass
    lines = raw.split(b"\n")
    utf8_non_ascii = False
    for line in lines:
        if not line.isascii():
            try:
                line.decode("utf-8")
                utf8_non_ascii = True
                break
            except UnicodeDecodeError:
                continue
    cp1252, bad, parts = set(), set(), []
    for number, line in enumerate(lines, 1):
        text = None
        if utf8_non_ascii:
            try:
                text = line.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                pass
        if text is None:
            try:
                text = line.decode("cp1252")
                if utf8_non_ascii:
                    cp1252.add(number)
            except UnicodeDecodeError:
                text = line.decode("cp1252", "replace")
                bad.add(number)
        parts.append(text)
    return Decoded("\n".join(parts), "UTF-8" if utf8_non_ascii else "Windows-1252", cp1252,
                   bad)


def choose_delimiter(first_line: str, known: Callable[[str], bool]) -> str:
    """The delimiter under which the header has the most known column names."""
    def score(delimiter: str) -> tuple[int, int]:
        try:
            cells = next(csv.reader([first_line], delimiter=delimiter), [])
        except csv.Error:  # e.g. a quote left open: this delimiter reads nothing
            return 0, 0
        return sum(known(c) for c in cells), len(cells)

    return max(DELIMITERS, key=score)


def read_rows(path: Path, known: Callable[[str], bool]) -> tuple[list[str], list[RawRow]]:
    """The header and then every row, each with its spreadsheet row number."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_CSV_BYTES + 1)
    except OSError as exc:
        raise InputProblem(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(raw) > MAX_CSV_BYTES:
        raise InputProblem(f"{path.name} is over {MAX_CSV_BYTES // 1024 // 1024} MiB; split "
                           "it into smaller files")
    decoded = decode(raw, path.name)
    text = decoded.text.lstrip("\ufeff")
    delimiter = choose_delimiter(re.split(r"\r\n|\r|\n", text, maxsplit=1)[0], known)
    previous_limit = csv.field_size_limit()
    csv.field_size_limit(max(previous_limit, len(text) + 1))  # a cell can be the whole file
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            header = next(reader, None)
        except csv.Error as exc:
            raise InputProblem(f"{path.name}: the header row cannot be read as CSV: {exc}") \
                from None
        if not header:
            raise InputProblem(f"{path.name}: the file is empty")
        return header, list(_rows(reader, decoded))
    finally:
        csv.field_size_limit(previous_limit)


def _rows(reader, decoded: Decoded) -> Iterator[RawRow]:
    number, last_line = 1, reader.line_num
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            last_line = reader.line_num
            yield RawRow(number, [], f"row {number} cannot be read as CSV: {exc}")
            continue
        span = set(range(last_line + 1, reader.line_num + 1))
        last_line = reader.line_num
        if span & decoded.bad_lines:
            yield RawRow(number, cells, f"row {number} is neither UTF-8 nor Windows-1252 "
                         "text; save the file from Excel as 'CSV UTF-8'")
        elif span & decoded.cp1252_lines:
            yield RawRow(number, cells, note=f"row {number} is not UTF-8 like the rest of "
                         "the file: read as Windows-1252; check its accented letters")
        else:
            yield RawRow(number, cells)


def column_key(header: str) -> str:
    """'Post code', 'POST_CODE' and 'post-code' are one column: lower case, no spaces, _ or -."""
    return re.sub(r"[\s_\-]+", "", header.strip().lower().lstrip("\ufeff"))


def column_field(header: str, columns: Mapping[str, Collection[str]]) -> str | None:
    """The field a header names, by the spellings `columns` accepts; None for others."""
    key = column_key(header)
    return next((name for name, spellings in columns.items() if key in spellings), None)


@dataclass
class Columns:
    """A CSV read by its known columns: each row's cells under the column's own name."""
    header: list[str]
    found: set[str]
    rows: list[tuple[RawRow, dict[str, str]]]  # empty rows left out

    def shown(self) -> str:
        """The header as an error message quotes it: what the file has instead."""
        return ", ".join(_one_line(h.strip())[:40] for h in self.header[:12] if h.strip()) \
            or "none"


def read_columns(path: Path, columns: Mapping[str, Collection[str]]) -> Columns:
    """`columns` maps each field to the header spellings accepted for it (as column_key
    gives them); the first column spelled as a field is that field, other columns are left
    out. A row whose cells are all empty is skipped unless it already has a problem."""

    header, raw_rows = read_rows(path, lambda h: column_field(h, columns) is not None)
    mapping: dict[int, str] = {}
    for index, name in enumerate(header):
        field = column_field(name, columns)
        if field and field not in mapping.values():
            mapping[index] = field
    rows = []
    for raw in raw_rows:
        cells = {mapping[i]: raw.cells[i] for i in mapping if i < len(raw.cells)}
        if raw.problem or any(c.strip() for c in cells.values()):
            rows.append((raw, cells))
    return Columns(header, set(mapping.values()), rows)


def _one_line(text: str) -> str:
    from ..engine.rules import one_line

    return one_line(text)
