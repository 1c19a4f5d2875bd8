"""What a batch has made and what failed, kept on disk as the work finishes.

The manifest (`.campaign-kit-manifest.json`: job key -> fingerprint and paths) lets a re-run
skip what is up to date. It is written atomically, and between rewrites every finished job
is appended to a journal (`.campaign-kit-manifest.journal`, one JSON line each, flushed at
once), so a crash, SIGKILL or full disk still leaves a record of every file that was made:
the next run reads the manifest and then the journal. The manifest is rewritten (and the
journal emptied) at most every 5 seconds and at the end, so a 100,000-row batch does not
rewrite a growing file after every letter.

No path is ever listed twice: a job that writes a path takes it from whichever entry held
it before (a member's row moved in the spreadsheet, a name changed).

errors.csv (row, name, reason) is rewritten atomically after each failure (at most every
2 seconds once there are more than 200), and at the end; notes.csv (row, name, note: what a
row's documents came with, such as a letter without an address) at the end, for the rows
made and those up to date (the manifest keeps each one's notes). Their cells are made safe
to open in a spreadsheet (outputs.csv_cell).
"""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path
from typing import Any

from ..errors import OutputProblem
from .outputs import csv_cell, write_atomic

MANIFEST = ".campaign-kit-manifest.json"
JOURNAL = ".campaign-kit-manifest.journal"
ERRORS = "errors.csv"
NOTES = "notes.csv"
REWRITE_SECONDS = 5.0
ERRORS_EVERY_TIME = 200
ERRORS_SECONDS = 2.0


def _claim(manifest: dict[str, Any], owners: dict[str, str], key: str, entry: dict) -> None:
    """manifest[key] = entry, dropping any other entry that listed one of its paths."""
    for path in entry.get("paths", []):
        other = owners.get(path)
        if other is not None and other != key and other in manifest:
            for p in manifest.pop(other)["paths"]:
                owners.pop(p, None)
    old = manifest.get(key)
    if old:
        for p in old["paths"]:
            owners.pop(p, None)
    manifest[key] = entry
    for path in entry.get("paths", []):
        owners[path] = key


def load_manifest(path: Path) -> dict[str, Any]:
    """The manifest, with any journal a crashed run left beside it applied."""
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(manifest, dict):
            manifest = {}
    except (OSError, ValueError):
        manifest = {}
    owners = {p: k for k, v in manifest.items() if isinstance(v, dict)
              for p in v.get("paths", [])}
    try:
        lines = (path.parent / JOURNAL).read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError):
        lines = []
    for line in lines:
        try:
            record = json.loads(line)
            key = record["key"]
        except (ValueError, KeyError, TypeError):
            continue  # a line cut short by a crash or a full disk
        if record.get("drop"):
            for p in manifest.pop(key, {}).get("paths", []):
                owners.pop(p, None)
        else:
            _claim(manifest, owners, key, {"fingerprint": record.get("fingerprint", ""),
                                           "paths": list(record.get("paths", [])),
                                           "notes": list(record.get("notes", []))})
    return {k: v for k, v in manifest.items() if isinstance(v, dict) and "paths" in v}


class RunRecord:
    """The manifest, its journal and errors.csv of one run in one output folder."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.path = out_dir / MANIFEST
        self.manifest = load_manifest(self.path)
        self.owners = {p: k for k, v in self.manifest.items() for p in v["paths"]}
        self.failed: list[tuple[int, str, str]] = []  # row, name, reason
        self.noted: dict[str, tuple[int, str, list[str]]] = {}  # key -> row, name, notes
        self.problems: list[str] = []  # what could not be recorded, said in the summary
        self._journal = None
        self._written = time.monotonic()
        self._errors_written = 0.0

    # -- as work finishes ----------------------------------------------------------------
    def made(self, key: str, fingerprint: str, paths: list[str], row: int = 0, name: str = "",
             notes: list[str] | None = None) -> None:
        notes = notes or []
        _claim(self.manifest, self.owners, key, {"fingerprint": fingerprint, "paths": paths,
                                                 "notes": notes})
        self._journal_line({"key": key, "fingerprint": fingerprint, "paths": paths,
                            "notes": notes})
        self._noted(key, row, name, notes)

    def kept(self, key: str, row: int, name: str) -> None:
        """A job up to date from an earlier run: its notes still belong in notes.csv."""
        entry = self.manifest.get(key) or {}
        notes = entry.get("notes")
        self._noted(key, row, name, [str(n) for n in notes] if isinstance(notes, list) else [])

    def _noted(self, key: str, row: int, name: str, notes: list[str]) -> None:
        if notes:
            self.noted[key] = (row, name, notes)
        else:
            self.noted.pop(key, None)

    def failure(self, key: str, row: int, name: str, reason: str) -> None:
        if key in self.manifest:
            for p in self.manifest.pop(key)["paths"]:
                self.owners.pop(p, None)
            self._journal_line({"key": key, "drop": True})
        self.failed.append((row, name, reason))
        self.noted.pop(key, None)
        now = time.monotonic()
        if len(self.failed) <= ERRORS_EVERY_TIME or now - self._errors_written > ERRORS_SECONDS:
            self.write_errors()

    def _journal_line(self, record: dict) -> None:
        if time.monotonic() - self._written > REWRITE_SECONDS:
            self.write_manifest()
            return
        try:
            if self._journal is None:
                self._journal = open(self.out_dir / JOURNAL, "a", encoding="utf-8")  # noqa: SIM115
            self._journal.write(json.dumps(record, sort_keys=True) + "\n")
            self._journal.flush()
        except OSError as exc:
            self._note(f"cannot record progress in {JOURNAL}: {exc.strerror or exc}")

    # -- rewrites -------------------------------------------------------------------------
    def write_manifest(self) -> None:
        try:
            write_atomic(self.path, json.dumps(self.manifest, indent=1,
                                               sort_keys=True).encode())
        except OutputProblem as exc:
            self._note(f"cannot write the manifest: {exc}")
            return
        self._written = time.monotonic()
        try:  # everything in the journal is in the manifest now
            if self._journal is not None:
                self._journal.close()
                self._journal = None
            (self.out_dir / JOURNAL).unlink(missing_ok=True)
        except OSError:
            pass

    def write_errors(self) -> None:
        self._errors_written = time.monotonic()
        self._write_table(ERRORS, "reason", sorted(self.failed))

    def write_notes(self) -> None:
        self._write_table(NOTES, "note", [(row, name, note) for row, name, notes in
                                          sorted(self.noted.values()) for note in notes])

    def _write_table(self, name: str, what: str, rows: list[tuple[int, str, str]]) -> None:
        """errors.csv or notes.csv (row, name, reason or note), atomically; none: no file."""
        path = self.out_dir / name
        try:
            if not rows:
                path.unlink(missing_ok=True)
                return
            buf = io.StringIO()
            writer = csv.writer(buf)
            writer.writerow(["row", "name", what])
            for row, who, text in rows:
                writer.writerow([row, csv_cell(who), csv_cell(text)])
            write_atomic(path, buf.getvalue().encode("utf-8-sig"))  # opens cleanly in Excel
        except (OutputProblem, OSError) as exc:
            self._note(f"cannot write {name}: {exc}")

    def close(self) -> None:
        self.write_manifest()
        self.write_errors()
        self.write_notes()

    def _note(self, text: str) -> None:
        if text not in self.problems:
            self.problems.append(text)
