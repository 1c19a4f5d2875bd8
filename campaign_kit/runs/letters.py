"""Letters from a members' spreadsheet: one job per row, through the job runner (jobs.py).

The CSV is read as Excel saves it (csvread.py) and every cell goes through the input rules
(engine/rules.py), so a bad cell fails its own row, with its reason in errors.csv, and every
good row is still written. A re-run skips letters that are up to date; a print PDF merges
every letter made, each on a new page.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..engine.filenames import safe_name
from ..engine.rules import ask_list, clean, one_line
from ..errors import CampaignKitError, InputProblem, OutputProblem
from ..notes import Note, message
from .csvwords import csv_words
from .jobs import Job, Summary, Task, fingerprint, run_jobs
from .outputs import LOCK_FILE, output_lock, target_path, write_product
from .records import ERRORS, JOURNAL, MANIFEST, NOTES, load_manifest
from .sources import Sources, load_engine

COLUMNS = {  # canonical name: accepted header spellings (after lower-casing, no spaces/_/-)
    "name": ("name", "membername", "fullname"),
    "postcode": ("postcode", "postalcode", "pcd"),
    "constituency": ("constituency", "seat", "pcon"),
    "address": ("address", "homeaddress", "schooladdress"),
    "role": ("role", "jobtitle", "position"),
    "school": ("school", "schoolname", "setting"),
    "story": ("story", "yourstory", "schoolstory"),
    "asks": ("asks", "askids", "ask"),
    "council": ("council", "localauthority", "la"),  # the member's own, where a seat spans several
}


@dataclass(frozen=True)
class Row:
    number: int  # the spreadsheet's row number (header is row 1)
    fields: dict[str, str]
    problem: Note | None = None  # why this row alone cannot be used (it goes to errors.csv)
    note: Note | None = None  # a caveat to show the person (the row is still used)


def read_members(path: Path) -> list[Row]:
    """Rows of a members' CSV; a missing required column is an error before any work.

    Every cell goes through rules.clean; a cell that cannot be used fails its own row, with
    the reason, and never the batch.
    """
    from .csvread import read_columns

    table = read_columns(path, COLUMNS)
    if "name" not in table.found:
        raise InputProblem(f"{path.name}: missing the column 'name' (found: {table.shown()})")
    if not table.found & {"postcode", "constituency"}:
        raise InputProblem(f"{path.name}: missing a 'postcode' or 'constituency' column")
    rows = []
    for raw, cells in table.rows:
        fields: dict[str, str] = {}
        problem = message(raw.problem, "error") if raw.problem else None
        for name, cell in cells.items():
            try:
                fields[name] = clean(cell, name)
            except InputProblem as exc:
                problem = problem or exc.note
                fields[name] = one_line(cell.strip())[:100]  # for errors.csv only
        if problem is None and not any(fields.values()):
            continue  # empty once cleaned (only control characters): skipped like empty rows
        if "story" in fields and problem is None:  # checked; kept as typed, the rules clean it
            fields["story"] = cells["story"].strip()
        rows.append(Row(raw.number, fields, problem, message(raw.note) if raw.note else None))
    if not rows:
        raise InputProblem(f"{path.name}: no member rows (only a header, or rows with nothing "
                           "in them): one member a row, under the header")
    return rows


# -- one letter a job ------------------------------------------------------------------------
def letter_jobs(rows: list[Row], inputs_fingerprint: str, formats: list[str]) -> list[Job]:
    return [Job(f"row-{row.number:05d}", row.fields.get("name", ""), row.number, row.fields,
                fingerprint(row.fields, formats, inputs_fingerprint), row.problem)
            for row in rows]


def make_letter(engine, job: Job, settings: dict[str, Any]
                ) -> tuple[list[str], dict[str, float], list[Note]]:
    """One row's letter, written under the run's folder with the row's own file stem."""
    from ..engine.requests import Request
    from ..engine.rules import member

    f = job.payload
    person = member(f.get("name"), f.get("address"), f.get("role"), f.get("school"),
                    f.get("story"))
    seat, _ = engine.places.locate(f.get("constituency"), f.get("postcode"))
    request = Request(dt.date.fromisoformat(settings["date"]), seat=seat, member=person,
                      ask_ids=ask_list(f.get("asks")), council=f.get("council") or None,
                      postcode=f.get("postcode") or None,
                      stem=settings["stems"].get(job.key, ""))
    product = engine.produce("letter", request, settings["formats"])
    started = time.perf_counter()
    paths = write_product(product, Path(settings["out_dir"]), force=True)
    return ([str(p) for p in paths],
            {**product.seconds, "write": time.perf_counter() - started}, list(product.notes))


LETTER = Task(load_engine, make_letter)


def unique_stems(engine, jobs: list[Job]) -> dict[str, str]:
    """File stems for each row, unique by construction: every row first claims its natural
    stem in row order; a row whose stem is taken gets its row number added ('-row3') and, if
    even that is taken (another member is called 'Jo Bloggs row3'), a count after it, so two
    rows can never write one file."""
    from ..engine.contexts import letter_stem
    from ..engine.requests import Member

    natural: dict[str, str] = {}
    for job in jobs:
        f = job.payload
        try:
            seat, _ = engine.places.locate(f.get("constituency"), f.get("postcode"))
            stem = letter_stem(seat, Member(name=f.get("name") or "member"))
        except CampaignKitError:  # the row fails later, with its reason, in errors.csv
            place = f.get("postcode") or f.get("constituency") or ""
            stem = f"letter-{safe_name(place, 'seat')}-{safe_name(f.get('name', ''), 'member')}"
        natural[job.key] = stem
    stems: dict[str, str] = {}
    taken: set[str] = set()
    for job in jobs:  # first come, first served: the first row keeps the plain name
        if natural[job.key] not in taken:
            stems[job.key] = natural[job.key]
            taken.add(natural[job.key])
    wanted = set(natural.values())
    for job in jobs:
        if job.key in stems:
            continue
        stem, n = f"{natural[job.key]}-row{job.row}", 1
        candidate = stem
        while candidate in taken or candidate in wanted:
            n += 1
            candidate = f"{stem}-{n}"
        stems[job.key] = candidate
        taken.add(candidate)
    return stems


# -- the run ----------------------------------------------------------------------------------
@dataclass
class LettersRun:
    summary: Summary
    printed: tuple[Path, int, int] | None = None  # the print PDF, its letters and pages


def check_print_target(target: Path, out_dir: Path, stems: dict[str, str],
                       formats: list[str], inputs: list[Path], force: bool) -> None:
    """A print PDF never overwrites a file unless asked to, and never, even then, an
    input, the manifest, errors.csv, notes.csv or a letter this run writes or an earlier run made (a
    later run would skip that letter as up to date)."""
    real = target.resolve()
    if real.is_dir():
        raise OutputProblem("print-pdf-folder", path=str(target))
    if any(real == p.resolve() for p in inputs if p is not None):
        raise OutputProblem("print-pdf-input", path=str(target))
    root = out_dir.resolve()
    if real.is_relative_to(root):
        ours = {root / n for n in (MANIFEST, JOURNAL, ERRORS, NOTES, LOCK_FILE)}
        ours |= {target_path(out_dir, f"{stem}.{fmt}") for stem in stems.values()
                 for fmt in formats}
        ours |= {Path(p).resolve() for entry in load_manifest(out_dir / MANIFEST).values()
                 for p in entry["paths"]}
        if real in ours:
            raise OutputProblem("print-pdf-batch-file", path=str(target), folder=str(out_dir))
    if target.exists() and not force:
        raise OutputProblem("print-pdf-exists", path=str(target))


def make_letters(engine, sources: Sources, members_csv: Path, rows: list[Row], day: dt.date,
                 formats: list[str], out_dir: Path, workers: int, force: bool,
                 print_pdf: Path | None = None,
                 progress: Callable[[int, int], None] | None = None,
                 merging: Callable[[int], None] | None = None) -> LettersRun:
    """One letter per good row, in worker processes; then, with print_pdf, one PDF of every
    letter made or up to date, for printing (`merging(count)` is told before it starts).
    One run at a time in an output folder."""
    if print_pdf and "pdf" not in formats:
        raise InputProblem("print-pdf-needs-pdf")
    job_list = letter_jobs(rows, sources.fingerprint(day), formats)
    stems = unique_stems(engine, job_list)
    settings = {**sources.settings(out_dir, day), "formats": formats, "stems": stems}
    with output_lock(out_dir):  # the batch and its print merge: one run at a time here
        if print_pdf:
            check_print_target(print_pdf, out_dir, stems, formats, [members_csv], force)
        run = LettersRun(run_jobs(LETTER, job_list, settings, out_dir, workers, force,
                                  csv_words, progress))
        if print_pdf and not run.summary.interrupted:
            manifest = load_manifest(out_dir / MANIFEST)
            pdfs = [Path(p) for job in job_list if job.key in manifest
                    for p in manifest[job.key]["paths"] if p.endswith(".pdf")]
            if pdfs:
                if merging:
                    merging(len(pdfs))
                run.printed = (print_pdf, len(pdfs), merge_pdfs(pdfs, print_pdf))
    return run


def merge_pdfs(paths: list[Path], target: Path) -> int:
    """One tagged PDF for printing a batch: each letter starts on a new page, and keeps its
    structure and a bookmark. Returns the page count."""
    from ..writers.pdfmerge import merge_tagged_pdfs
    from .outputs import write_atomic

    data, pages = merge_tagged_pdfs(paths, "Letters for printing")
    write_atomic(target, data)
    return pages
