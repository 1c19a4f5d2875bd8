"""The anomaly guard: a council's published figure that moves implausibly from one period to
the next, so that no letter argues from it and briefings mark it with a caveat.

Two rules (the thresholds are explained in docs/EVIDENCE.md):

- a count of need (EHC plans in force, requests for an assessment, new plans issued) that
  falls by more than FALL (40%) from one published period to the next while England's rose
  over the same periods: counts of need move slowly, and only up, across England;
- the denominator behind a percentage (new plans issued, appealable decisions) that falls by
  HALVED (half) or more while England's rose: the percentage then rests on a base that
  halved (Newham's 4.8% SEND Tribunal appeal rate in 2024 rests on 1,421 appealable
  decisions, against 2,890 the year before), so the percentage is flagged too.

A count smaller than SMALLEST before the fall is not judged (small numbers swing). `data
build` and `data update` store what `find` returns in the store's `anomalies` table; `data
status` lists it; documents read it through Places.anomalies.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from .importers import ENGLAND
from .sources import MEASURES

FALL = 0.40
HALVED = 0.50
SMALLEST = 20

SCHEMA = ("CREATE TABLE IF NOT EXISTS anomalies (council TEXT, measure TEXT, period TEXT, "
          "reason TEXT, PRIMARY KEY (council, measure, period))")


@dataclass(frozen=True)
class Anomaly:
    """One council's figure for one period that moved implausibly, and why it is in doubt."""

    council: str
    measure: str
    period: str
    reason: str


def watched() -> tuple[list[str], dict[str, list[str]]]:
    """(counts of need, {denominator: the percentages resting on it}) from MEASURES."""
    counts = [m for m, info in MEASURES.items()
              if info.unit == "count" and info.worse == "rising" and not info.derived]
    bases: dict[str, list[str]] = {}
    for m, info in MEASURES.items():
        if info.percent and info.base:
            bases.setdefault(info.base[1], []).append(m)
    return counts, bases


def _series(db: sqlite3.Connection, measures: list[str]):
    marks = ",".join("?" * len(measures))
    out: dict[tuple[str, str], list[tuple[int, str, float]]] = {}
    for council, measure, sort, period, value in db.execute(
            f"SELECT council, measure, sort, period, value FROM figures WHERE measure IN "
            f"({marks}) AND value IS NOT NULL ORDER BY council, measure, sort", measures):
        out.setdefault((council, measure), []).append((sort, period, value))
    return out


def _rise(england: list[tuple[int, str, float]], before: int, after: int) -> float | None:
    """England's relative change between two sort positions, None when either is missing."""
    values = {s: v for s, _, v in england}
    if not values.get(before) or values.get(after) is None:
        return None
    return (values[after] - values[before]) / values[before]


def _count(value: float) -> str:
    return f"{value:,.0f}"


def find(db: sqlite3.Connection) -> list[Anomaly]:
    """Every figure the two rules flag, by council, measure and period."""
    counts, bases = watched()
    series = _series(db, sorted(set(counts) | set(bases) | {"ehcp_pupils_pc"}))
    found: dict[tuple[str, str, str], Anomaly] = {}
    for (council, measure), points in series.items():
        if council == ENGLAND or (measure not in counts and measure not in bases):
            continue
        england = series.get((ENGLAND, measure), [])
        for (s0, p0, v0), (s1, p1, v1) in zip(points, points[1:], strict=False):
            rise = _rise(england, s0, s1)
            if v0 < SMALLEST or rise is None or rise <= 0:
                continue
            fall = (v0 - v1) / v0
            what = (f"{MEASURES[measure].label} fell from {_count(v0)} ({p0}) to {_count(v1)}"
                    f" ({p1}), down {100 * fall:.0f}%, while England's rose {100 * rise:.0f}%")
            if measure in counts and fall > FALL:
                extra = _share_rose(series, council, p0, p1) if measure == "ehcp_plans" else ""
                found.setdefault((council, measure, p1),
                                 Anomaly(council, measure, p1, what + extra))
            if measure in bases and fall >= HALVED:
                found.setdefault((council, measure, p1), Anomaly(council, measure, p1, what))
                for pc in bases[measure]:
                    found.setdefault((council, pc, p1), Anomaly(
                        council, pc, p1, f"the {MEASURES[pc].label} rests on a base that "
                        f"halved: {what}"))
    return [found[k] for k in sorted(found)]


def _share_rose(series, council: str, p0: str, p1: str) -> str:
    """'; the share of its pupils with an EHC plan rose from 3.5% to 3.9% over the same
    years' when the school census says so (the two counts then disagree)."""
    shares = {p: v for _, p, v in series.get((council, "ehcp_pupils_pc"), [])}
    a, b = shares.get(p0), shares.get(p1)
    if a is None or b is None or b <= a:
        return ""
    return (f"; the share of its pupils with an EHC plan (school census) rose from {a:.1f}% "
            f"to {b:.1f}% over the same years")


def words(anomaly: Anomaly, names: dict[str, str]) -> str:
    """'Newham, January 2025: EHC plans in force fell from ...' for a report."""
    return f"{names.get(anomaly.council, anomaly.council)}, {anomaly.period}: {anomaly.reason}"


def save(db: sqlite3.Connection, found: list[Anomaly]) -> None:
    """Replace the store's anomalies table with `found` (the caller commits)."""
    db.execute(SCHEMA)
    db.execute("DELETE FROM anomalies")
    db.executemany("INSERT INTO anomalies VALUES (?,?,?,?)",
                   [(a.council, a.measure, a.period, a.reason) for a in found])


def stored(db: sqlite3.Connection) -> list[Anomaly]:
    """The store's anomalies; worked out afresh for a store built before the guard."""
    try:
        rows = db.execute("SELECT council, measure, period, reason FROM anomalies "
                          "ORDER BY council, measure, period").fetchall()
    except sqlite3.OperationalError:
        return find(db)
    return [Anomaly(*row) for row in rows]
