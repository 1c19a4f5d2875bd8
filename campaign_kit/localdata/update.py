"""Replacing some datasets of the store from official files, checked, reported, swapped in.

The new store is built beside the one that answers now (a copy, with only the given
datasets' rows replaced), checked (every join by code and name, the counts of councils and
seats, the anomaly guard), reported on (what changed, by council; MPs; rows left out), and
then swapped in by one atomic rename, only when every check passes. The bundled store in the
package is never written: the updated store lives in the user's data folder, where Places
reads it first, with the store it replaced kept for an undo.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError
from . import importers as imp
from . import report as rep
from .recognise import SHAPE, Recognised, private_folder, recognise, remove_folder
from .sources import MEASURES, stored_measures
from .store import BUNDLED_STORE, active_store, user_data_dir, user_store

# What each updatable dataset needs and how its parts are read.
NEEDED = {"sen2": ({"caseload", "requests", "timeliness"},), "sen_census": ({"lait"},
          {"phase_type"}), "tribunal": ({"tribunal"},), "dsg_deficit": ({"deficit"},),
          "high_needs_block": ({"high_needs_block"},), "mps": ({"mp_lookup"},)}
READERS = {
    ("sen2", "caseload"): imp.read_caseload, ("sen2", "requests"): imp.read_requests,
    ("sen2", "timeliness"): imp.read_timeliness, ("sen_census", "lait"): imp.read_lait,
    ("sen_census", "phase_type"): imp.read_sen_phase_type,
    ("tribunal", "tribunal"): imp.read_tribunal, ("dsg_deficit", "deficit"): imp.read_dsg_deficit,
    ("high_needs_block", "high_needs_block"): imp.read_high_needs_block,
}


def measures_of(dataset: str) -> list[str]:
    return [m for m in stored_measures() if MEASURES[m].source == dataset]


def previous_store() -> Path:
    return user_data_dir() / "places.previous.sqlite"


@dataclass
class Outcome:
    """What an update did or would do: the change report's contents."""

    report: rep.ChangeReport
    report_file: Path | None = None
    swapped: bool = False
    store: Path | None = None


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One update (or undo) at a time in a data folder."""
    folder.mkdir(parents=True, exist_ok=True)
    handle = open(folder / ".update.lock", "w")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise DataError(f"another data update is running on {folder}; wait for it to "
                            "finish") from None
        for stale in folder.glob(".places.sqlite.*.part"):  # left by an interrupted update
            stale.unlink(missing_ok=True)
        yield
    finally:
        handle.close()


def _copy_store(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def _group(found: list[Recognised]) -> dict[str, dict[str, Recognised]]:
    """Recognised files by dataset; a dataset must come whole (SEN2's three files)."""
    by: dict[str, dict[str, Recognised]] = {}
    for r in found:
        by.setdefault(r.dataset, {})[r.part] = r
    for dataset, parts in by.items():
        if dataset == "mps" and "mp_lookup" not in parts:
            raise DataError(f"{parts['members'].shown}: MPs' genders alone; give it with DfE's "
                            "mp_lookup.csv, or update MPs from Parliament's Members API")
        options = NEEDED[dataset]
        if not any(option <= set(parts) for option in options):
            given = ", ".join(r.shown for r in parts.values())
            lacking = sorted(options[0] - set(parts))
            raise DataError(f"{given}: part of {SHAPE[(dataset, lacking[0])].what.split(' (')[0]}"
                            f"'s release; the update needs "
                            + ", ".join(SHAPE[(dataset, p)].what for p in lacking)
                            + " as well (give the release's zip, or all its files)")
        if dataset == "sen_census" and len(parts) > 1:
            raise DataError(f"{', '.join(r.shown for r in parts.values())}: two sources of the "
                            "school census figures; give one")
    return by


def _councils(db: sqlite3.Connection) -> list[tuple[str, str, str, str]]:
    return [tuple(r) for r in db.execute(
        "SELECT code, gss, name, region FROM councils WHERE nation = 'England' ORDER BY code")]


def _apply_figures(db: sqlite3.Connection, dataset: str, parts: dict[str, Recognised],
                   known: dict[tuple[str, str], str], found: rep.ChangeReport) -> None:
    """Replace a dataset's figures with the files' rows, joined by code AND name."""
    history = imp.read_council_history(parts["caseload"].path) if "caseload" in parts else {}
    check = imp.CouncilCheck(_councils(db), history, known)
    measures = measures_of(dataset)
    rows: dict[tuple[str, str, int], tuple[str, float | None]] = {}
    for part, given in parts.items():
        for f in READERS[(dataset, part)](given.path):
            code = check.resolve(given.shown, f.council, f.name)
            if code is None or f.measure not in measures:
                continue
            key = (code, f.measure, f.order)
            if key in rows:
                found.left_out.append(f"{given.shown}: two rows give {f.measure} for "
                                      f"{check.names.get(code, code)} in {f.period}; the first "
                                      "is kept")
                continue
            rows[key] = (f.period, f.value)
    for source, code, name in check.wrong:
        found.refusals.append(f"{source}: the row for '{name}' carries code {code}, which is "
                              f"{check.names.get(code) or 'a former council'}'s; a code and a "
                              "name that disagree are not guessed: check the file, or list the "
                              "row as a known error in content/datasets.yaml")
    found.left_out.extend(m for _, m in check.summary())
    marks = ",".join("?" * len(measures))
    db.execute(f"DELETE FROM figures WHERE measure IN ({marks})", measures)
    db.executemany("INSERT INTO figures VALUES (?,?,?,?,?)",
                   [(c, m, o, p, v) for (c, m, o), (p, v) in sorted(rows.items())])
    _replace_source_rows(db, dataset, parts, len(rows), check.summary())


def _replace_source_rows(db, dataset, parts, count, reports) -> None:
    """The dataset's entry in `sources` (files, rows, period) and its build findings."""
    old = db.execute("SELECT files FROM sources WHERE id = ?", (dataset,)).fetchone()
    old_files = [f.strip() for f in (old[0] if old else "").split(",") if f.strip()]
    marks = ",".join("?" * (len(old_files) + 1))
    db.execute(f"DELETE FROM reports WHERE source IN ({marks})", [dataset] + old_files)
    names = [r.shown for r in parts.values()]
    db.executemany("INSERT INTO reports VALUES (?,?)", [(s, m) for s, m in reports])
    title, period = rep.edition(db, dataset)
    db.execute("UPDATE sources SET title = ?, period = ?, files = ?, rows = ? WHERE id = ?",
               (title, period, ", ".join(names), count, dataset))


def _checks(old: sqlite3.Connection, new: sqlite3.Connection, dataset: str,
            found: rep.ChangeReport) -> None:
    """Counts of councils per measure, England present, nothing older than before."""
    for measure in measures_of(dataset):
        before, after = rep.latest_count(old, measure), rep.latest_count(new, measure)
        label = MEASURES[measure].label
        if after is None:
            found.refusals.append(f"{dataset}: no figures at all for {label}")
            continue
        if before and before[2] and after[0] < before[0]:
            found.refusals.append(f"{label}: the new figures run to {after[1]}, older than the "
                                  f"{before[1]} the kit holds")
        if before and after[2] * 2 < before[2]:
            found.refusals.append(f"{label}: only {after[2]} councils have a figure for "
                                  f"{after[1]}, against {before[2]} for {before[1]}: half the "
                                  "councils or more are missing")
        if not after[3]:
            found.refusals.append(f"{label}: no figure for England in {after[1]}")


def anomaly_records(db: sqlite3.Connection) -> list | None:
    """ANOMALY GUARD (issue 20): the figures that move implausibly from one period to the
    next (campaign_kit/localdata/anomalies.py: council, measure, period and reason)."""
    from . import anomalies

    return list(anomalies.find(db))


def _anomalies(old: sqlite3.Connection, new: sqlite3.Connection,
               found: rep.ChangeReport, accept: bool) -> None:
    from . import anomalies

    before, after = anomaly_records(old), anomaly_records(new)
    if after is None:
        found.guard_ran = False
        return
    anomalies.save(new, after)  # what documents read: the new store's own anomalies
    seen = {(a.council, a.measure, a.period) for a in before or []}
    fresh = [a for a in after if (a.council, a.measure, a.period) not in seen]
    names = dict(new.execute("SELECT code, display_name FROM councils"))
    found.anomalies = [anomalies.words(a, names) for a in fresh]
    if fresh and not accept:
        found.refusals.append(f"{len(fresh)} figure(s) move implausibly (see 'Anomalies "
                              "flagged'); check them at the publisher, then accept them")


@dataclass(frozen=True)
class Request:
    """What to update: files as downloaded, and/or MPs fetched from Parliament."""

    files: tuple[Path, ...] = ()
    members: dict[str, rep.NewMP] | None = None  # seat code -> MP, from the Members API
    members_source: str = ""
    members_unmatched: tuple[str, ...] = ()  # constituencies the API named that the kit lacks
    known_code_errors: dict[str, dict[tuple[str, str], str]] = field(default_factory=dict)
    dry_run: bool = False
    accept_anomalies: bool = False
    report_file: Path | None = None
    today: dt.date | None = None


def update(request: Request) -> Outcome:
    """Build, check and report on the updated store; swap it in when every check passes
    (and this is not a dry run). Nothing is changed when a check fails."""
    folder = user_data_dir()
    with _locked(folder):
        base = active_store()
        work = private_folder()
        fd, tmp_name = tempfile.mkstemp(prefix=".places.sqlite.", suffix=".part", dir=folder)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            found = _build(request, base, tmp, work)
            return _finish(request, found, base, tmp)
        finally:
            tmp.unlink(missing_ok=True)
            remove_folder(work)


def _build(request: Request, base: Path, tmp: Path, work: Path) -> rep.ChangeReport:
    recognised, skipped = recognise(request.files, work)
    groups = _group(recognised)
    if not groups and request.members is None:
        raise DataError("nothing to update: no files given and no MPs fetched")
    _copy_store(base, tmp)
    today = request.today or dt.date.today()
    found = rep.ChangeReport(base=str(base), made=today, skipped=skipped,
                             dry_run=request.dry_run)
    old = sqlite3.connect(f"{base.resolve().as_uri()}?mode=ro", uri=True)
    new = sqlite3.connect(tmp)
    try:
        for dataset, parts in groups.items():
            if dataset == "mps":
                mps = rep.mps_from_file(new, parts, found)
                rep.apply_mps(new, mps, f"DfE mp_lookup.csv as given on {today:%-d %B %Y}",
                              ", ".join(r.shown for r in parts.values()), found)
            else:
                _apply_figures(new, dataset, parts,
                               request.known_code_errors.get(dataset, {}), found)
                _checks(old, new, dataset, found)
            found.replaced.append(rep.replaced(old, new, dataset, parts))
        if request.members is not None:
            _members_checks(request, found)
            rep.apply_mps(new, request.members, request.members_source,
                          "UK Parliament Members API", found)
            found.replaced.append(rep.replaced(old, new, "mps", {}))
        _anomalies(old, new, found, request.accept_anomalies)
        found.changes = rep.figure_changes(old, new, [d for d in groups if d != "mps"])
        _stamp(new, base, today, groups)
        new.commit()
    finally:
        old.close()
        new.close()
    return found


def _members_checks(request: Request, found: rep.ChangeReport) -> None:
    """Parliament's list must name the kit's seats: a few unknown names are left out and
    listed; many mean the list is not what the kit expects, and nothing changes."""
    unmatched = request.members_unmatched
    found.left_out += [f"Members API: '{name}' is not a constituency in the kit; not used"
                       for name in unmatched]
    if len(unmatched) > 10 or len(request.members or {}) < 600:
        found.refusals.append(f"Members API: only {len(request.members or {})} of the kit's "
                              f"650 seats matched ({len(unmatched)} names did not)")


def _stamp(db: sqlite3.Connection, base: Path, today: dt.date, groups) -> None:
    """Where this store came from, for `data status` and an undo."""
    import hashlib

    bundled = hashlib.sha256(BUNDLED_STORE.read_bytes()).hexdigest() if BUNDLED_STORE.is_file() \
        else ""
    values = {"updated_on": today.isoformat(), "updated_datasets": ",".join(sorted(groups)),
              "based_on": "bundled" if base == BUNDLED_STORE else "user",
              "bundled_sha256": bundled}
    if base != BUNDLED_STORE:  # keep the first update's record of the bundled store
        row = db.execute("SELECT value FROM meta WHERE key = 'bundled_sha256'").fetchone()
        values["bundled_sha256"] = row[0] if row else bundled
    db.executemany("INSERT OR REPLACE INTO meta VALUES (?,?)", list(values.items()))


def _finish(request: Request, found: rep.ChangeReport, base: Path, tmp: Path) -> Outcome:
    found.target = str(user_store())
    outcome = Outcome(found, store=base)
    outcome.report_file = rep.write(found, request.report_file)
    if found.refusals or request.dry_run:
        return outcome
    target = user_store()
    _fsync(tmp)
    if target.is_file():  # keep the store being replaced, for an undo
        keep = target.with_name(f".places.previous.{os.getpid()}.part")
        try:
            os.link(target, keep)
        except OSError:
            import shutil

            shutil.copy2(target, keep)
        os.replace(keep, previous_store())
    else:
        previous_store().unlink(missing_ok=True)
    os.replace(tmp, target)  # the swap: one atomic rename
    _fsync_dir(target.parent)
    outcome.swapped, outcome.store = True, target
    return outcome


def _fsync(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def undo() -> str:
    """Put back the store the last update replaced. Returns what answers now."""
    folder = user_data_dir()
    with _locked(folder):
        target, previous = user_store(), previous_store()
        if previous.is_file():
            os.replace(previous, target)
            _fsync_dir(folder)
            return f"the store as it was before the last update ({target})"
        if not target.is_file():
            raise DataError("nothing to undo: no update has been made (the bundled data "
                            "answers)")
        db = sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = db.execute("SELECT value FROM meta WHERE key = 'based_on'").fetchone()
        finally:
            db.close()
        if not row or row[0] != "bundled":
            raise DataError("the store before the last update is no longer kept (an undo "
                            "goes back one update at a time)")
        target.unlink()
        _fsync_dir(folder)
        return f"the bundled data ({BUNDLED_STORE})"
