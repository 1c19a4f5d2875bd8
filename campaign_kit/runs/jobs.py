"""A job runner that knows nothing of letters or kits: jobs in, results and records out.

Jobs run in a pool of worker processes (spawned, recycled after a number of tasks because
WeasyPrint does not give memory back). Each job succeeds or fails on its own: a failed job
goes to errors.csv with its reason and every other job is still done. A manifest of input
fingerprints lets a re-run skip what is already up to date. What a job does is a Task: a
`setup` run once per worker (load the engine) and a `run` per job, both module-level
functions so a spawned worker can find them.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from .. import __version__
from ..engine.rules import one_line
from ..errors import CampaignKitError
from ..notes import Note
from . import interrupt
from .outputs import output_lock
from .records import RunRecord

# Recycle workers: WeasyPrint does not give memory back. Measured on letters: 82 -> 84 MiB
# over 500 documents, so 500 tasks keeps peak RSS flat while a restart (~1 s: imports, fonts,
# the place store) costs under 1% of a worker's time.
TASKS_PER_WORKER = 500


@dataclass(frozen=True)
class Job:
    key: str  # unique within the run; names its record in the manifest
    label: str  # what the summary and errors.csv call it
    row: int
    payload: dict[str, Any]
    fingerprint: str = ""
    problem: Note | None = None  # known bad before any work: the job fails with this


@dataclass
class Result:
    job: Job
    paths: list[str] = field(default_factory=list)
    problem: Note | None = None
    seconds: dict[str, float] = field(default_factory=dict)  # where the time went
    notes: list[Note] = field(default_factory=list)  # what its documents' makers said


@dataclass(frozen=True)
class Task:
    """What a job does: setup(settings) once per worker -> state; run(state, job, settings)
    -> (paths written, seconds by step, the notes its documents came with) per job."""

    setup: Callable[[dict[str, Any]], Any]
    run: Callable[[Any, Job, dict[str, Any]],
                  tuple[list[str], dict[str, float], list[Note]]]


@dataclass
class Summary:
    made: int = 0
    skipped: int = 0
    noted: int = 0  # jobs made or up to date whose documents came with notes (notes.csv)
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


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else os.cpu_count() or 1)


# -- worker side ----------------------------------------------------------------------------------
_WORKER: dict[str, Any] = {}


def _init_worker(task: Task, settings: dict[str, Any]) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides how to stop
    if hasattr(signal, "pthread_sigmask"):  # started with SIGINT blocked: see _quiet_spawn
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    _WORKER.update(task=task, settings=settings, state=task.setup(settings))


def _run(job: Job) -> Result:
    result = Result(job)
    if job.problem is not None:
        result.problem = job.problem
        return result
    try:
        result.paths, result.seconds, result.notes = _WORKER["task"].run(
            _WORKER["state"], job, _WORKER["settings"])
    except CampaignKitError as exc:
        result.problem = exc.note
    except Exception as exc:  # one bad job never stops the run
        result.problem = Note("internal-error", "error", {"kind": type(exc).__name__,
                                                          "detail": str(exc)[:200]})
    return result


# -- the run ------------------------------------------------------------------------------------
def run_jobs(task: Task, jobs: list[Job], settings: dict[str, Any], out_dir: Path,
             workers: int, force: bool, word: Callable[[Note], str] = lambda n: n.text,
             progress: Callable[[int, int], None] | None = None) -> Summary:
    """Run every job not already up to date; keep errors.csv (each reason worded by `word`),
    notes.csv (what each job's documents came with, worded the same way, up-to-date jobs'
    included) and the manifest as work finishes; `progress(done, total)` after each job.

    One run at a time per output folder (outputs.output_lock). A full disk or any other
    failure to record is said in the summary (summary.problems), never lost in a traceback.
    """
    with output_lock(out_dir):
        record = RunRecord(out_dir)
        summary, started = Summary(), time.perf_counter()
        todo = [job for job in jobs if force or not _up_to_date(record, job)]
        summary.skipped = len(jobs) - len(todo)
        doing = {job.key for job in todo}
        for job in jobs:
            if job.key not in doing:
                record.kept(job.key, job.row, one_line(job.label))
        try:
            for done, result in enumerate(_results(task, todo, settings, workers), 1):
                _record(result, record, summary, word)
                if progress:
                    progress(done, len(todo))
                if interrupt.requested():  # a Ctrl-C that some library swallowed
                    raise KeyboardInterrupt
        except KeyboardInterrupt:
            summary.interrupted = True
        except BrokenProcessPool:  # a worker died: out of memory, or killed
            summary.broken = True
        finally:
            record.close()
            summary.problems = record.problems
            summary.noted = len(record.noted)
            summary.seconds = time.perf_counter() - started
        return summary


def _up_to_date(record: RunRecord, job: Job) -> bool:
    done = record.manifest.get(job.key)
    return bool(done and done["fingerprint"] == job.fingerprint
                and all(Path(p).is_file() for p in done["paths"]))


def _record(result: Result, record: RunRecord, summary: Summary,
            word: Callable[[Note], str]) -> None:
    if result.problem is not None:
        summary.failed.append(result)
        record.failure(result.job.key, result.job.row, one_line(result.job.label),
                       one_line(word(result.problem)))
        return
    summary.made += 1
    record.made(result.job.key, result.job.fingerprint, result.paths, result.job.row,
                one_line(result.job.label),
                list(dict.fromkeys(one_line(word(n)) for n in result.notes)))
    for k, v in result.seconds.items():
        summary.timings[k] = summary.timings.get(k, 0.0) + v


def _results(task: Task, jobs: list[Job], settings: dict[str, Any],
             workers: int) -> Iterator[Result]:
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
    try:
        yield from _pooled(pool, jobs, workers)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _pooled(pool: ProcessPoolExecutor, jobs: list[Job], workers: int) -> Iterator[Result]:
    """Results as they finish, keeping a few jobs per worker in flight, not the whole run."""
    pending: set = set()
    queue = iter(jobs)
    for job in queue:
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
