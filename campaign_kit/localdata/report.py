"""The change report of a data update: datasets replaced (old and new period), each council's
figures that changed and by how much, MPs changed, rows left out and refused, anomalies.

Also the MPs' side of an update (from DfE's mp_lookup.csv or Parliament's Members API),
since what changes for an MP is what the report says.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from . import importers as imp
from .importers import ENGLAND
from .names import normalise_name, plain_name, salutation
from .sources import MEASURES, stored_measures
from .store import user_data_dir

SCREEN_LINES = 40  # figure changes shown on screen; the file has them all


@dataclass(frozen=True)
class Replaced:
    dataset: str
    title: str
    before: str  # period
    after: str
    files: str


@dataclass(frozen=True)
class FigureChange:
    council: str
    place: str
    measure: str
    kind: str  # "latest", "revised", "new" (no figure before), "gone" (none now)
    before: float | None
    before_period: str
    after: float | None
    after_period: str

    def words(self) -> str:
        label = MEASURES[self.measure].label
        if self.kind == "gone":
            return f"{label}: no longer in the file (was {_value(self.measure, self.before)}, " \
                f"{self.before_period})"
        if self.kind == "new":
            return f"{label}: {_value(self.measure, self.after)} ({self.after_period}), new"
        head = "revised " if self.kind == "revised" else ""
        return (f"{label}: {head}{_value(self.measure, self.before)} ({self.before_period}) -> "
                f"{_value(self.measure, self.after)} ({self.after_period}): "
                f"{_difference(self.measure, self.before, self.after)}")


@dataclass(frozen=True)
class NewMP:
    """A seat's MP as an update gives it."""

    mp_name: str
    mp_title: str
    party: str
    email: str
    gender: str
    salutation: str
    member_id: str


@dataclass(frozen=True)
class MPChange:
    seat: str
    before: str
    after: str
    what: str

    def words(self) -> str:
        return f"{self.seat}: {self.before} -> {self.after} ({self.what})"


@dataclass
class ChangeReport:
    base: str
    made: dt.date
    dry_run: bool = False
    target: str = ""
    skipped: list[str] = field(default_factory=list)
    replaced: list[Replaced] = field(default_factory=list)
    changes: list[FigureChange] = field(default_factory=list)
    mps: list[MPChange] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    anomalies: list[str] = field(default_factory=list)
    guard_ran: bool = True

    @property
    def ok(self) -> bool:
        return not self.refusals

    def lines(self, limit: int | None = None) -> list[str]:
        """The report as lines of text; `limit` caps the figure changes (the screen)."""
        state = ("refused: nothing was changed" if self.refusals else
                 "dry run: nothing was changed" if self.dry_run else "applied")
        out = [f"Data update, {self.made:%-d %B %Y}: {state}", f"Data before: {self.base}",
               "", "Datasets replaced:"]
        out += [f"  - {r.title}: {r.before or 'none'} -> {r.after} (from {r.files})"
                for r in self.replaced] or ["  (none)"]
        if self.refusals:
            out += ["", "Refused (each must be fixed before the data can change):"]
            out += [f"  - {m}" for m in self.refusals]
        out += ["", "Anomalies flagged:"]
        out += [f"  - {m}" for m in self.anomalies] or [
            "  (none)" if self.guard_ran else
            "  (not checked: this version of the kit has no anomaly guard)"]
        out += ["", f"MPs changed ({len(self.mps)}):"]
        out += [f"  - {m.words()}" for m in self.mps] or ["  (none)"]
        out += ["", f"Figures changed ({len(self.changes)}):"]
        out += _change_lines(self.changes, limit) or ["  (none)"]
        out += ["", f"Rows left out ({len(self.left_out)}):"]
        out += [f"  - {m}" for m in self.left_out] or ["  (none)"]
        if self.skipped:
            out += ["", "Files in the zip the kit does not read: " + ", ".join(self.skipped)]
        return out

    def text(self) -> str:
        return "\n".join(self.lines()) + "\n"


def _change_lines(changes: list[FigureChange], limit: int | None) -> list[str]:
    out: list[str] = []
    shown = 0
    place = None
    for c in changes:
        if limit is not None and shown >= limit:
            out.append(f"  ... and {len(changes) - shown} more in the report file")
            break
        if c.place != place:
            out.append(f"  {c.place}")
            place = c.place
        out.append(f"    - {c.words()}")
        shown += 1
    return out


def _value(measure: str, value: float | None) -> str:
    if value is None:
        return "not published"
    unit = MEASURES[measure].unit
    if unit == "percent":
        return f"{value:,.1f}%"
    if unit == "money":
        return f"£{value:,.0f}"
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def _difference(measure: str, before: float | None, after: float | None) -> str:
    if before is None or after is None:
        return "now " + ("published" if after is not None else "not published")
    if MEASURES[measure].percent:
        return f"{after - before:+.1f} points"
    sign = "£" if MEASURES[measure].unit == "money" else ""
    step = after - before
    text = f"{'+' if step >= 0 else '-'}{sign}{abs(step):,.0f}"
    return text + (f" ({100 * step / before:+.1f}%)" if before else "")


# -- what the store holds ------------------------------------------------------------------------
def latest_count(db: sqlite3.Connection, measure: str):
    """(sort, period, councils with a value, England has one) at the measure's latest period,
    or None when the store has no value for it."""
    row = db.execute("SELECT max(sort) FROM figures WHERE measure = ? AND value IS NOT NULL",
                     (measure,)).fetchone()
    if row is None or row[0] is None:
        return None
    sort = row[0]
    period = db.execute("SELECT period FROM figures WHERE measure = ? AND sort = ? LIMIT 1",
                        (measure, sort)).fetchone()[0]
    n = db.execute("SELECT count(*) FROM figures WHERE measure = ? AND sort = ? AND value IS "
                   "NOT NULL AND council != ?", (measure, sort, ENGLAND)).fetchone()[0]
    england = db.execute("SELECT count(*) FROM figures WHERE measure = ? AND sort = ? AND "
                         "value IS NOT NULL AND council = ?", (measure, sort, ENGLAND)).fetchone()
    return sort, period, n, bool(england[0])


def _lead_period(db: sqlite3.Connection, dataset: str) -> str:
    lead = {"sen2": "ehcp_plans", "sen_census": "ehcp_pupils_pc", "tribunal": "tribunal_rate_pc",
            "dsg_deficit": "dsg_deficit_pc", "high_needs_block": "high_needs_block"}.get(dataset)
    if lead is None:
        row = db.execute("SELECT period FROM sources WHERE id = ?", (dataset,)).fetchone()
        return row[0] if row else ""
    found = latest_count(db, lead)
    return found[1] if found else ""


def edition(db: sqlite3.Connection, dataset: str) -> tuple[str, str]:
    """The title and period the sources table gives a dataset, from its latest figures."""
    title = (db.execute("SELECT title FROM sources WHERE id = ?", (dataset,)).fetchone()
             or ("",))[0]
    period = _lead_period(db, dataset)
    year = int(m.group(0)) if (m := re.search(r"\d{4}", period)) else None
    if year is None:
        return title, period
    if dataset == "sen2":
        title = re.sub(r"reporting year \d{4}", f"reporting year {year}", title)
        period = f"January {year} (plans); calendar year {year - 1} (requests, timeliness)"
    elif dataset == "tribunal":
        title = re.sub(r"\d{4}$", str(year), title)
    elif dataset == "high_needs_block":
        title = re.sub(r"\d{4} to \d{4}", f"{year} to {year + 1}", title)
    return title, period


def replaced(old: sqlite3.Connection, new: sqlite3.Connection, dataset: str, parts) -> Replaced:
    row = new.execute("SELECT title, period, files FROM sources WHERE id = ?",
                      (dataset,)).fetchone() or (dataset, "", "")
    before = _lead_period(old, dataset)
    return Replaced(dataset, row[0], before, _lead_period(new, dataset), row[2])


def _series(db: sqlite3.Connection, measures: list[str]):
    out: dict[tuple[str, str], dict[int, tuple[str, float | None]]] = {}
    marks = ",".join("?" * len(measures))
    for council, measure, sort, period, value in db.execute(
            f"SELECT council, measure, sort, period, value FROM figures WHERE measure IN "
            f"({marks})", measures):
        out.setdefault((council, measure), {})[sort] = (period, value)
    return out


def _latest(points: dict[int, tuple[str, float | None]]):
    known = [(s, p) for s, p in sorted(points.items()) if p[1] is not None]
    return known[-1][1] if known else None


def figure_changes(old: sqlite3.Connection, new: sqlite3.Connection,
                   datasets: list[str]) -> list[FigureChange]:
    """Per council and measure: the latest figure when its value moved, earlier periods
    revised, figures new or gone. A figure whose value is the same for a later period is
    not a change."""
    measures = [m for m in stored_measures() if MEASURES[m].source in datasets]
    if not measures:
        return []
    places = {c: n for c, n in new.execute("SELECT code, display_name FROM councils")}
    places[ENGLAND] = "England"
    before, after = _series(old, measures), _series(new, measures)
    out = []
    for key in sorted(set(before) | set(after)):
        council, measure = key
        place = places.get(council, council)
        was, now = before.get(key, {}), after.get(key, {})
        a, b = _latest(was), _latest(now)
        if a is None and b is not None:
            out.append(FigureChange(council, place, measure, "new", None, "", b[1], b[0]))
        elif b is None and a is not None:
            out.append(FigureChange(council, place, measure, "gone", a[1], a[0], None, ""))
        elif a and b and a[1] != b[1]:
            out.append(FigureChange(council, place, measure, "latest", a[1], a[0], b[1], b[0]))
        for sort in sorted(set(was) & set(now)):
            if was[sort][1] != now[sort][1] and was[sort][1] is not None and \
                    (not b or now[sort][0] != b[0]):
                out.append(FigureChange(council, place, measure, "revised", was[sort][1],
                                        was[sort][0], now[sort][1], now[sort][0]))
    order = {m: i for i, m in enumerate(MEASURES)}
    return sorted(out, key=lambda c: (c.council != ENGLAND, c.place, order[c.measure]))


# -- MPs -------------------------------------------------------------------------------------------
def _stored_seats(db: sqlite3.Connection) -> dict[str, tuple]:
    return {r[0]: r for r in db.execute(
        "SELECT code, name, mp_name, mp_title, party, email, gender, salutation, member_id "
        "FROM seats")}


def mps_from_file(db: sqlite3.Connection, parts, found: ChangeReport) -> dict[str, NewMP]:
    """Each seat's MP from DfE's mp_lookup.csv (genders from the Open Innovations list when
    given, else the kit's own for the same member). Seats must match the kit's, code and
    name."""
    stored = _stored_seats(db)
    if "members" in parts:
        members = imp.read_members(parts["members"].path)
    else:
        members = {r[8]: imp.MemberRow(r[8], r[0], r[2], r[6], "") for r in stored.values()}
    seats = imp.read_seats(parts["mp_lookup"].path, members, {})
    shown = parts["mp_lookup"].shown
    codes = {s.code for s in seats}
    if codes != set(stored):
        found.refusals.append(f"{shown}: {len(codes & set(stored))} of its {len(codes)} "
                              f"constituencies are the kit's {len(stored)} (by code)")
        return {}
    out = {}
    for s in seats:
        if normalise_name(s.name) != normalise_name(stored[s.code][1]):
            found.refusals.append(f"{shown}: {s.code} is '{s.name}' there but "
                                  f"'{stored[s.code][1]}' in the kit")
            continue
        out[s.code] = NewMP(s.mp_name, s.mp_title, s.party, s.email, s.gender, s.salutation,
                            s.member_id)
    return out


def new_mp(display_as: str, full_title: str, party: str, email: str, gender: str,
           member_id: str) -> NewMP:
    """An MP as Parliament gives one (Members API), in the kit's terms."""
    sex = gender if gender in ("M", "F") else ""
    return NewMP(plain_name(display_as), full_title, party, email, sex,
                 salutation(full_title, display_as, sex), member_id)


def apply_mps(db: sqlite3.Connection, mps: dict[str, NewMP], period: str, files: str,
              found: ChangeReport) -> None:
    """Write each seat's MP, report what changed; a seat without one is left as it was and
    named, so nobody writes to a former MP unawares."""
    stored = _stored_seats(db)
    for code, row in sorted(stored.items(), key=lambda kv: kv[1][1]):
        new = mps.get(code)
        if new is None:
            if mps:
                found.left_out.append(f"{row[1]}: no current MP in the list given (a vacant "
                                      f"seat?); the kit still names {row[2]}: check before "
                                      "writing to this seat")
            continue
        same = new.member_id == row[8]
        keep = same and (new.mp_name, new.mp_title) == (row[2], row[3])
        value = new if not keep else NewMP(row[2], row[3], new.party, new.email or row[5],
                                           new.gender or row[6], row[7], row[8])
        if not same:
            what = "a new MP: a by-election, or a change of member"
        elif not keep:
            what = "name or title changed"
        elif new.party != row[4]:
            what = "party changed"
        elif value.email != row[5]:
            what = "email changed"
        else:
            continue
        found.mps.append(MPChange(row[1], f"{row[2]} ({row[4]})",
                                  f"{value.mp_name} ({value.party})", what))
        db.execute("UPDATE seats SET mp_name = ?, mp_title = ?, party = ?, email = ?, "
                   "gender = ?, salutation = ?, member_id = ? WHERE code = ?",
                   (value.mp_name, value.mp_title, value.party, value.email, value.gender,
                    value.salutation, value.member_id, code))
    db.execute("UPDATE sources SET period = ?, files = ?, rows = ? WHERE id = 'mps'",
               (period, files, len(mps)))


def write(found: ChangeReport, path: Path | None) -> Path:
    """The report as a text file: where asked, else the data folder's updates/ folder."""
    if path is None:
        folder = user_data_dir() / "updates"
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        path = folder / f"update-{stamp}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(found.text(), encoding="utf-8")
    tmp.replace(path)
    return path
