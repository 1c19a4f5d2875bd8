"""Many documents at once: a members' CSV into letters, or every seat's kit.

Jobs run in a pool of worker processes (spawned, recycled after a number of tasks because
WeasyPrint does not give memory back). Each job succeeds or fails on its own: a bad row goes
to errors.csv and every good row is still written. A manifest of input fingerprints lets a
re-run skip what is already up to date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from .. import __version__
from ..engine.rules import clean, one_line
from ..errors import CampaignKitError, InputProblem, OutputProblem
from . import interrupt
from .outputs import LOCK_FILE, output_lock, safe_name, target_path
from .records import ERRORS, JOURNAL, MANIFEST, RunRecord, load_manifest

__all__ = ["MANIFEST", "load_manifest"]  # where callers have always found them
# Recycle workers: WeasyPrint does not give memory back. Measured on letters: 82 -> 84 MiB
# over 500 documents, so 500 tasks keeps peak RSS flat while a restart (~1 s: imports, fonts,
# the place store) costs under 1% of a worker's time.
TASKS_PER_WORKER = 500

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


# -- reading the members' spreadsheet -----------------------------------------------------------
@dataclass(frozen=True)
class Row:
    number: int  # the spreadsheet's row number (header is row 1)
    fields: dict[str, str]
    problem: str = ""  # why this row alone cannot be used (it goes to errors.csv)
    note: str = ""  # a caveat to show the user (the row is still used)


def decode_csv(raw: bytes, source: str) -> str:
    """UTF-8 (with or without BOM) as Excel saves 'CSV UTF-8', UTF-16, else Windows-1252."""
    from .csvread import decode

    decoded = decode(raw, source)
    if decoded.bad_lines:
        raise InputProblem(f"{source}: not UTF-8 or Windows-1252 text; save it from Excel "
                           "as 'CSV UTF-8'")
    return decoded.text


def read_members(path: Path) -> list[Row]:
    """Rows of a members' CSV; a missing required column is an error before any work.

    Every cell goes through inputs.clean (the one normalisation step at the edge); a cell
    that cannot be used fails its own row, with the reason, and never the batch.
    """
    from .csvread import read_columns

    table = read_columns(path, COLUMNS)
    if "name" not in table.found:
        raise InputProblem(f"{path.name}: missing the column 'name' (found: {table.shown()})")
    if not table.found & {"postcode", "constituency"}:
        raise InputProblem(f"{path.name}: missing a 'postcode' or 'constituency' column")
    rows = []
    for raw, cells in table.rows:
        fields, problem = {}, raw.problem
        for name, cell in cells.items():
            try:
                fields[name] = clean(cell, name)
            except InputProblem as exc:
                problem = problem or str(exc)
                fields[name] = one_line(cell.strip())[:100]  # for errors.csv only
        if not problem and not any(fields.values()):
            continue  # empty once cleaned (only control characters): skipped like empty rows
        if "story" in fields and not problem:  # checked; kept as typed, Member cleans it
            fields["story"] = cells["story"].strip()
        rows.append(Row(raw.number, fields, problem, raw.note))
    return rows


# -- jobs and results -------------------------------------------------------------------------
@dataclass(frozen=True)
class Job:
    key: str  # unique within the batch; names the outputs
    label: str  # what the summary and errors.csv call it
    row: int
    payload: dict[str, Any]
    fingerprint: str = ""
    problem: str = ""  # known bad before any work: the job fails with this reason


@dataclass
class Result:
    job: Job
    paths: list[str] = field(default_factory=list)
    error: str = ""
    seconds: dict[str, float] = field(default_factory=dict)  # where the time went


@dataclass
class Summary:
    made: int = 0
    skipped: int = 0
    failed: list[Result] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False
    broken: bool = False  # a worker process died; what finished is kept
    problems: list[str] = field(default_factory=list)  # what could not be recorded on disk
    timings: dict[str, float] = field(default_factory=dict)


def fingerprint(*parts: Any) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(json.dumps(part, sort_keys=True, default=str).encode())
    return digest.hexdigest()[:20]


def folder_fingerprint(folders: Iterable[Path | None]) -> str:
    """Changes when any template, content or data file changes: a re-run then redoes all."""
    digest = hashlib.sha256(__version__.encode())
    for folder in folders:
        if folder is None or not folder.exists():
            continue
        files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() \
            else [folder]
        for p in files:
            stat = p.stat()
            digest.update(f"{p}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:20]


# -- worker side ----------------------------------------------------------------------------------
_WORKER: dict[str, Any] = {}


def _init_worker(task: str, settings: dict[str, Any]) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides how to stop
    if hasattr(signal, "pthread_sigmask"):  # started with SIGINT blocked: see _quiet_spawn
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    from ..engine.engine import Engine

    _WORKER["kit"] = Engine.load(settings.get("templates_dir"), settings.get("content_dir"),
                              settings.get("campaign_id"))
    _WORKER["task"] = TASKS[task]
    _WORKER["settings"] = settings


def _run(job: Job) -> Result:
    result = Result(job)
    if job.problem:
        result.error = job.problem
        return result
    try:
        result.paths, result.seconds = _WORKER["task"](_WORKER["kit"], job,
                                                       _WORKER["settings"])
    except CampaignKitError as exc:
        result.error = str(exc)
    except Exception as exc:  # one bad row never stops the batch
        result.error = f"unexpected {type(exc).__name__}: {exc}"
    return result


# -- the tasks: one document set per job --------------------------------------------------------
def letter_task(kit, job: Job, settings: dict[str, Any]) -> tuple[list[str], dict[str, float]]:
    from ..engine import kinds
    from ..engine.requests import Member, Request

    f = job.payload
    member = Member.from_fields(f.get("name"), f.get("address"), f.get("role"),
                                f.get("school"), f.get("story"))
    seat, _ = kit.places.locate(f.get("constituency"), f.get("postcode"))
    asks = [a.strip() for a in re.split(r"[;,]", f.get("asks") or "") if a.strip()] or None
    started = time.perf_counter()
    request = Request(dt.date.fromisoformat(settings["date"]), seat=seat, member=member,
                            ask_ids=asks, council=f.get("council") or None)
    made = kinds.make(kit, "letter", request)
    render = time.perf_counter() - started
    stem = settings["stems"].get(job.key) or made.documents[0][1]
    paths, seconds = kinds.write(kit, replace(made, documents=((made.documents[0][0], stem),)),
                                 settings["formats"], Path(settings["out_dir"]), force=True)
    seconds["template"] = render
    return [str(p) for p in paths], seconds


TEMPLATE_MEMBER = {"name": "[Your name]", "address": "[Your address], [Your postcode]",
                   "role": "[Your role]", "school": "[Your school]"}
# A seat's kit: which kinds, in which formats, in which folder of the seat's folder.
KIT_CONTENTS = (("roundtable", ("pdf", "docx")), ("deck", ("pptx", "pdf")),
                ("letter", ("docx", "txt")))


def kit_task(kit, job: Job, settings: dict[str, Any]) -> tuple[list[str], dict[str, float]]:
    """One seat's kit: roundtable pack (PDF, DOCX), deck (PPTX, PDF), template letter."""
    from ..engine import kinds
    from ..engine.requests import Area, Member, Request
    from ..engine.roundtable import Event
    from .kits import ask_ids, event_from

    today = dt.date.fromisoformat(settings["date"])
    seat = kit.places.constituency(job.payload["code"])
    out_dir, folder = Path(settings["out_dir"]), safe_name(seat.name, "seat")
    details = job.payload.get("event") or {}  # checked by the reader (regional.py)
    event = event_from(details, today) if details else Event(None, None, "", "", "")
    request = Request(today, seat=seat, area=Area.of_seat(seat),
                            member=replace(Member.from_fields(**TEMPLATE_MEMBER),
                                           template=True),
                            event=event, today=today)
    # the pack is dated by its event, like `roundtable`; its asks are the pack's and the
    # deck's (the template letter keeps the campaign's, at most three)
    asked = replace(request, ask_ids=ask_ids(details.get("asks")))
    requests = {"roundtable": replace(asked, date=event.date or today), "deck": asked,
                "letter": request}
    started = time.perf_counter()
    made = [(kinds.make(kit, kind_id, requests[kind_id]), formats)
            for kind_id, formats in KIT_CONTENTS]
    seconds = {"template": time.perf_counter() - started}
    paths = []
    for one, formats in made:
        if one.kind.id == "letter":  # a template to fill in, named as such
            one = replace(one, documents=((one.documents[0][0],
                                           f"letter-{safe_name(seat.name)}-template"),))
        # the seat folder rides on the stems: no write can follow a symlink out of out_dir
        written, spent = kinds.write(kit, one, list(formats), out_dir, force=True,
                                     under=folder)
        paths += [str(p) for p in written]
        for k, v in spent.items():
            seconds[k] = seconds.get(k, 0.0) + v
    return paths, seconds


TASKS: dict[str, Callable] = {"letter": letter_task, "kit": kit_task}


# -- the pool ------------------------------------------------------------------------------------
class Progress:
    """A bar with count and rate on a terminal; a quiet line every tenth in a log."""

    def __init__(self, total: int, label: str, stream=None):
        self.total, self.label, self.done = total, label, 0
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.start = time.perf_counter()
        self.step = max(1, total // 10)

    def advance(self, n: int = 1) -> None:
        self.done += n
        elapsed = time.perf_counter() - self.start
        rate = self.done / elapsed if elapsed > 0 else 0.0
        if self.tty:
            width = 30
            filled = int(width * self.done / max(self.total, 1))
            eta = (self.total - self.done) / rate if rate else 0
            self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] "
                              f"{self.done}/{self.total} {rate:.1f}/s ETA {eta:.0f}s ")
            self.stream.flush()
        elif self.done % self.step == 0 or self.done == self.total:
            self.stream.write(f"{self.label}: {self.done}/{self.total} ({rate:.1f}/s)\n")
            self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


def run_jobs(task: str, jobs: list[Job], settings: dict[str, Any], out_dir: Path, workers: int,
             force: bool, label: str, stream=None) -> Summary:
    """Run every job not already up to date; keep errors.csv and the manifest as work finishes.

    One run at a time per output folder (outputs.output_lock). A full disk or any other
    failure to record is said in the summary (summary.problems), never lost in a traceback.
    """
    with output_lock(out_dir):
        record = RunRecord(out_dir)
        summary, started = Summary(), time.perf_counter()
        todo = []
        for job in jobs:
            done = record.manifest.get(job.key)
            if not force and done and done["fingerprint"] == job.fingerprint and all(
                    Path(p).is_file() for p in done["paths"]):
                summary.skipped += 1
            else:
                todo.append(job)
        progress = Progress(len(todo), label, stream)
        try:
            for result in _results(task, todo, settings, workers):
                progress.advance()
                if result.error:
                    result.error = one_line(result.error)
                    summary.failed.append(result)
                    record.failure(result.job.key, result.job.row, one_line(result.job.label),
                                   result.error)
                else:
                    summary.made += 1
                    record.made(result.job.key, result.job.fingerprint, result.paths)
                    for k, v in result.seconds.items():
                        summary.timings[k] = summary.timings.get(k, 0.0) + v
                if interrupt.requested():  # a Ctrl-C that some library swallowed
                    raise KeyboardInterrupt
        except KeyboardInterrupt:
            summary.interrupted = True
        except BrokenProcessPool:  # a worker died: out of memory, or killed
            summary.broken = True
        finally:
            progress.close()
            record.close()
            summary.problems = record.problems
            summary.seconds = time.perf_counter() - started
        return summary


def _results(task: str, jobs: list[Job], settings: dict[str, Any], workers: int):
    if not jobs:
        return
    if workers <= 1:
        import signal

        previous = signal.getsignal(signal.SIGINT)
        _init_worker(task, settings)
        signal.signal(signal.SIGINT, previous if callable(previous)
                      else signal.default_int_handler)
        for job in jobs:
            yield _run(job)
        return
    with _quiet_spawn():
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"),
                                   initializer=_init_worker, initargs=(task, settings),
                                   max_tasks_per_child=TASKS_PER_WORKER)
    pending: set = set()
    queue = iter(jobs)
    try:
        for job in queue:  # keep a few jobs per worker in flight, not the whole batch
            with _quiet_spawn():
                pending.add(pool.submit(_run, job))
            if len(pending) >= workers * 4:
                break
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                yield future.result()
                nxt = next(queue, None)
                if nxt is not None:
                    with _quiet_spawn():
                        pending.add(pool.submit(_run, nxt))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def _quiet_spawn():
    """Block SIGINT while workers may be started (submit starts them, and the pool's manager
    thread, which inherits this mask, restarts recycled ones): a Ctrl-C then cannot kill a
    worker before its initializer ignores SIGINT, which used to break the pool and exit 1.
    The parent still gets the Ctrl-C as soon as the block ends, and stops with 130."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


# -- letters from a CSV --------------------------------------------------------------------
def letter_jobs(rows: list[Row], inputs_fingerprint: str, formats: list[str]) -> list[Job]:
    jobs = []
    for row in rows:
        fields = row.fields
        key = f"row-{row.number:05d}"
        jobs.append(Job(key, fields.get("name", ""), row.number, fields,
                        fingerprint(fields, formats, inputs_fingerprint), row.problem))
    return jobs


def unique_stems(kit, jobs: list[Job]) -> dict[str, str]:
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
            seat, _ = kit.places.locate(f.get("constituency"), f.get("postcode"))
            stem = letter_stem(seat, Member(name=f.get("name") or "member"))
        except CampaignKitError:  # the row fails later, with its reason, in errors.csv
            place = f.get("postcode") or f.get("constituency") or ""
            stem = f"letter-{safe_name(place, 'seat')}-{safe_name(f.get('name', ''), 'member')}"
        natural[job.key] = stem
    stems: dict[str, str] = {}
    taken: set[str] = set()
    for job in jobs:  # first come, first served: the first row keeps the plain name
        stem = natural[job.key]
        if stem not in taken:
            stems[job.key] = stem
            taken.add(stem)
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


def check_print_target(target: Path, out_dir: Path, stems: dict[str, str],
                       formats: list[str], inputs: list[Path], force: bool) -> None:
    """--print-pdf never overwrites a file without --force, and never, even with --force, an
    input, the manifest, errors.csv or a letter this run writes or an earlier run made (a
    later run would skip that letter as up to date)."""
    real = target.resolve()
    if real.is_dir():
        raise OutputProblem(f"--print-pdf {target} is a folder; give a file name")
    if any(real == p.resolve() for p in inputs if p is not None):
        raise OutputProblem(f"--print-pdf {target} is one of the inputs; choose another name")
    root = out_dir.resolve()
    if real.is_relative_to(root):
        ours = {root / n for n in (MANIFEST, JOURNAL, ERRORS, LOCK_FILE)}
        ours |= {target_path(out_dir, f"{stem}.{fmt}") for stem in stems.values()
                 for fmt in formats}
        ours |= {Path(p).resolve() for entry in load_manifest(out_dir / MANIFEST).values()
                 for p in entry["paths"]}
        if real in ours:
            raise OutputProblem(f"--print-pdf {target} would overwrite a file of the batch in "
                                f"{out_dir}; choose another name")
    if target.exists() and not force:
        raise OutputProblem(f"--print-pdf {target} already exists; use --force to overwrite")


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else os.cpu_count() or 1)


def merge_pdfs(paths: list[Path], target: Path) -> int:
    """One tagged PDF for printing a batch: each letter starts on a new page, and keeps its
    structure and a bookmark. Returns the page count."""
    from ..writers.pdfmerge import merge_tagged_pdfs

    return merge_tagged_pdfs(paths, target, "Letters for printing")


@dataclass(frozen=True)
class Sources:
    """Where a batch's templates and campaign come from: each worker loads the same kit."""
    templates_dir: Path | None
    content_dir: Path | None
    campaign_id: str

    def fingerprint(self, day: dt.date) -> str:
        """What every output depends on besides its own row: a change redoes them all."""
        from ..localdata.store import active_store
        from ..render.templating import DEFAULT_CONTENT, DEFAULT_TEMPLATES

        # the store that answers: an updated one (data update) redoes the outputs
        return folder_fingerprint([self.templates_dir, self.content_dir, DEFAULT_TEMPLATES,
                                   DEFAULT_CONTENT, active_store()]) + day.isoformat() \
            + self.campaign_id

    def settings(self, out_dir: Path, day: dt.date) -> dict[str, Any]:
        return {"out_dir": str(out_dir), "date": day.isoformat(),
                "templates_dir": self.templates_dir, "content_dir": self.content_dir,
                "campaign_id": self.campaign_id}


@dataclass
class LettersRun:
    summary: Summary
    printed: tuple[Path, int, int] | None = None  # the print PDF, its letters and pages


def make_letters(kit, sources: Sources, members_csv: Path, rows: list[Row], day: dt.date,
                 formats: list[str], out_dir: Path, workers: int, force: bool,
                 print_pdf: Path | None = None, say: Callable[[str], None] = print) -> LettersRun:
    """One letter per good row, in worker processes; then, with print_pdf, one PDF of every
    letter made or up to date, for printing. One run at a time in an output folder."""
    if print_pdf and "pdf" not in formats:
        raise InputProblem("--print-pdf needs pdf among the --format formats")
    job_list = letter_jobs(rows, sources.fingerprint(day), formats)
    stems = unique_stems(kit, job_list)
    settings = {**sources.settings(out_dir, day), "formats": formats, "stems": stems}
    with output_lock(out_dir):  # the batch and its print merge: one run at a time here
        if print_pdf:
            check_print_target(print_pdf, out_dir, stems, formats, [members_csv], force)
        run = LettersRun(run_jobs("letter", job_list, settings, out_dir, workers, force,
                                  "Letters"))
        say(describe(run.summary, "letters", out_dir))
        if print_pdf and not run.summary.interrupted:
            manifest = load_manifest(out_dir / MANIFEST)
            pdfs = [Path(p) for job in job_list if job.key in manifest
                    for p in manifest[job.key]["paths"] if p.endswith(".pdf")]
            if pdfs:
                say(f"Merging {len(pdfs)} letters into {print_pdf} ...")
                run.printed = (print_pdf, len(pdfs), merge_pdfs(pdfs, print_pdf))
    return run


def describe(summary: Summary, noun: str, out_dir: Path) -> str:
    total = summary.made + len(summary.failed)
    rate = summary.made / summary.seconds if summary.seconds else 0.0
    text = (f"Made {summary.made} {noun}, skipped {summary.skipped} up to date, failed "
            f"{len(summary.failed)} in {summary.seconds:.1f} s ({rate:.1f}/s)")
    if summary.failed:
        text += f"; see {out_dir / 'errors.csv'}"
    spent = sum(summary.timings.values())
    if spent and total:
        text += "\nTime in: " + ", ".join(
            f"{k} {100 * v / spent:.0f}%" for k, v in sorted(summary.timings.items(),
                                                             key=lambda kv: -kv[1]))
    if summary.interrupted:
        text = "Interrupted. " + text
    if summary.broken:
        text = ("Stopped: a worker process died (out of memory, or killed); finished files "
                "are kept, run again to continue. " + text)
    for problem in summary.problems:  # e.g. a full disk: say so, and what failed
        text += f"\nWarning: {problem}"
    if summary.problems and summary.failed:
        text += "\n" + "\n".join(f"  row {r.job.row}: {r.error}" for r in summary.failed[:10])
    return text
