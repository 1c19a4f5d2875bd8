"""A seat's or a council's local picture as plain frozen data, built once from the store:
what `lookup` prints and what documents are made from.

A Measure is one council's series of one measure beside England's, and knows from its
metadata (sources.MEASURES) its unit, which way is worse, its source, the counts behind a
ratio and whether the anomaly guard doubts it; a CouncilPicture holds a council's measures
and, in a seat's picture, the share of the seat it covers; a SeatPicture holds the seat, its
MP and its councils, the one covering most of the seat first. Nothing downstream goes back to
the store for a figure, and nothing reads a unit from a measure's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .lookup import Places, SendFigures, devolved_note
from .model import MP, Constituency, Council, Figure, Source
from .sources import CITATIONS, MEASURES, SMALL_BASE, MeasureInfo

YEARS_BACK = 5  # how far back a trend looks: five periods, or as far as the series goes

# The measures a picture holds, in the order `lookup` prints them; the derived per-plan
# block comes last (lookup --json gives it beside the total it is derived from).
HEADLINE_MEASURES = (
    "ehcp_plans", "ehcp_requests", "timely_20wk_pc", "sen_support_pc", "ehcp_pupils_pc",
    "dsg_deficit_pc", "high_needs_block", "tribunal_rate_pc", "high_needs_per_plan",
)


def _at(points: tuple[Figure, ...], period: str | None) -> Figure | None:
    return next((p for p in points if p.period == period), None) if period else None


def _growth(now: float | None, then: float | None) -> float | None:
    """Relative change in %, one decimal; None without both values or from zero."""
    if now is None or not then:
        return None
    return round(100 * (now - then) / abs(then), 1)


@dataclass(frozen=True)
class Measure:
    """One council's figures for one measure, beside England's, with what they rest on."""

    id: str
    series: tuple[Figure, ...]  # the council's published values, oldest first
    england_series: tuple[Figure, ...] = ()
    base: tuple[float, float] | None = None  # (numerator, denominator) at the latest period
    base_period: str | None = None  # the denominator's period when it differs (per plan)
    anomaly: str | None = None  # why the latest figure, or its trend's start, is in doubt
    sources: tuple[Source, ...] = ()  # the measure's own source first
    denominators: tuple[Figure, ...] = ()  # a ratio's denominator over time (charts check it)

    @property
    def info(self) -> MeasureInfo:
        return MEASURES[self.id]

    @property
    def label(self) -> str:
        return self.info.label

    @property
    def unit(self) -> str:
        return self.info.unit

    @property
    def worse(self) -> str | None:
        return self.info.worse

    @property
    def latest(self) -> Figure:
        return self.series[-1]

    @property
    def value(self) -> float:
        return self.latest.value  # type: ignore[return-value]

    @property
    def period(self) -> str:
        return self.latest.period

    @property
    def source(self) -> Source:
        return self.sources[0] if self.sources else self.latest.source

    @property
    def cite(self) -> str:
        """Short citations for a table: 'ESFA DSG 2023-24; DfE SEN2 2025'."""
        return "; ".join(CITATIONS.get(s.id, s.publisher) for s in self.sources)

    @property
    def england(self) -> Figure | None:
        """England's figure for the same period, or None."""
        return _at(self.england_series, self.period)

    @property
    def earlier(self) -> Figure | None:
        """The figure YEARS_BACK periods before the latest, or as far back as it goes."""
        if len(self.series) < 2:
            return None
        return self.series[-1 - min(YEARS_BACK, len(self.series) - 1)]

    @property
    def england_earlier(self) -> Figure | None:
        return _at(self.england_series, self.earlier.period if self.earlier else None)

    @property
    def change(self) -> float | None:
        """Rise (+) or fall (-) since `earlier`: points for a percentage, % otherwise."""
        if self.earlier is None:
            return None
        if self.info.percent:
            return round(self.value - self.earlier.value, 1)
        return _growth(self.value, self.earlier.value)

    @property
    def growth(self) -> float | None:
        """Relative change since `earlier`, in % (a percentage's too: 2.2% -> 3.1% is 41%)."""
        return _growth(self.value, self.earlier.value if self.earlier else None)

    @property
    def england_growth(self) -> float | None:
        e_then, e_now = self.england_earlier, self.england
        return _growth(e_now.value if e_now else None, e_then.value if e_then else None)

    @property
    def gap(self) -> float | None:
        """How far the council is from England in the direction that is worse, relative to
        England's value (0.8: 80% worse; negative: better); None when no side is worse."""
        e = self.england
        if self.worse not in ("lower", "higher") or e is None or not e.value:
            return None
        gap = (self.value - e.value) / abs(e.value)
        return round(-gap if self.worse == "lower" else gap, 4)

    def small_base_in(self, period: str) -> bool:
        """The ratio's denominator is under SMALL_BASE in that period."""
        d = _at(self.denominators, period)
        return d is not None and d.value is not None and d.value < SMALL_BASE

    @property
    def small_base(self) -> bool:
        return self.base is not None and self.base[1] < SMALL_BASE

    @property
    def count(self) -> tuple[int, int] | None:
        """(n, of) for a percentage on a small base, printed instead of the percentage."""
        if not self.small_base or not self.info.percent or self.base is None:
            return None
        return int(self.base[0]), int(self.base[1])

    def history(self, n: int) -> list[dict[str, Any]]:
        return [{"period": p.period, "value": p.value} for p in self.series[-n:]]

    def as_json(self) -> dict[str, Any]:
        """What lookup --json gives for the measure (label, latest, England)."""
        def fig(f: Figure | None) -> dict[str, Any] | None:
            return None if f is None else {"value": f.value, "period": f.period,
                                           "source": self.source.id, "cite": self.cite}
        return {"label": self.label, "latest": fig(self.latest), "england": fig(self.england)}


@dataclass(frozen=True)
class CouncilPicture:
    """A council's measures; in a seat's picture, the share of the seat it covers."""

    council: Council
    measures: tuple[Measure, ...] = ()
    seat_share: float | None = None  # of the seat's postcodes, 0 to 1; None when not known

    code = property(lambda self: self.council.code)
    gss = property(lambda self: self.council.gss)
    name = property(lambda self: self.council.name)
    display_name = property(lambda self: self.council.display_name)
    nation = property(lambda self: self.council.nation)
    region = property(lambda self: self.council.region)

    @property
    def has_send_figures(self) -> bool:
        return self.council.nation == "England"

    def measure(self, measure_id: str) -> Measure | None:
        return next((m for m in self.measures if m.id == measure_id), None)

    def as_json(self) -> dict[str, Any]:
        """The council as lookup --json prints it (docs: README, 'lookup --json')."""
        out: dict[str, Any] = {
            "code": self.code, "gss": self.gss, "name": self.name,
            "display_name": self.display_name, "nation": self.nation, "region": self.region,
            "has_send_figures": self.has_send_figures, "seat_share": self.seat_share}
        if not self.has_send_figures:
            return out
        out["figures"] = {m.id: m.as_json() for m in self.measures}
        plans = self.measure("ehcp_plans")
        five = plans.series[-6] if plans and len(plans.series) > 5 else None
        out["ehcp_change_5y_pc"] = _growth(plans.value, five.value) if plans and five else None
        out["ehcp_5y_ago"] = None if five is None else {
            "value": five.value, "period": five.period, "source": five.source.id,
            "cite": plans.cite if plans else ""}
        e_plans = plans.england_series if plans else ()
        out["england_ehcp_change_5y_pc"] = _growth(e_plans[-1].value, e_plans[-6].value) \
            if len(e_plans) > 5 else None
        timely = self.measure("timely_20wk_pc")
        out["history"] = {
            "ehcp_plans": plans.history(6) if plans else [],
            "timely_20wk_pc": timely.history(6) if timely else [],
            "timely_20wk_pc_england": [{"period": p.period, "value": p.value}
                                       for p in timely.england_series[-6:]] if timely else []}
        out["anomalies"] = [{"measure": m.id, "reason": m.anomaly}
                            for m in self.measures if m.anomaly]
        return out


@dataclass(frozen=True)
class Result2024:
    result: str
    party: str
    majority: int
    majority_pc: float
    same_mp: bool  # the MP now is the member who won in 2024


@dataclass(frozen=True)
class SeatPicture:
    """A seat: its MP, 2024 result and councils (the one covering most of it first)."""

    seat: Constituency
    councils: tuple[CouncilPicture, ...]
    sources: tuple[Source, ...] = ()
    note: str | None = None  # why England's figures do not apply, outside England

    code = property(lambda self: self.seat.code)
    name = property(lambda self: self.seat.name)
    nation = property(lambda self: self.seat.nation)
    region = property(lambda self: self.seat.region)
    in_england = property(lambda self: self.seat.in_england)

    @property
    def mp(self) -> MP:
        return self.seat.mp

    @property
    def election_2024(self) -> Result2024 | None:
        e = self.seat.election
        if e is None:
            return None
        return Result2024(e.result, e.party, e.majority, e.majority_pc,
                          e.winner_id == self.seat.mp.member_id)

    @property
    def main(self) -> CouncilPicture | None:
        """The council with figures covering most of the seat (listed first)."""
        return next((c for c in self.councils if c.has_send_figures), None)

    def as_json(self) -> dict[str, Any]:
        mp, e = self.mp, self.election_2024
        return {
            "code": self.code, "name": self.name, "nation": self.nation, "region": self.region,
            "in_england": self.in_england,
            "mp": {"name": mp.name, "full_title": mp.full_title, "party": mp.party,
                   "email": mp.email, "salutation": mp.salutation},
            "election_2024": None if e is None else {
                "result": e.result, "party": e.party, "majority": e.majority,
                "majority_pc": e.majority_pc, "same_mp": e.same_mp},
            "councils": [c.as_json() for c in self.councils],
            "note": self.note,
            "sources": [vars(s) | {"rows": None} for s in self.sources]}


# -- building them from the store -----------------------------------------------------------------
def _plain(figs: SendFigures, measure: str) -> tuple[Figure, ...]:
    s = figs.series.get(measure)
    return tuple(p for p in s.points if p.value is not None) if s else ()


def _per_plan(figs: SendFigures) -> tuple[tuple[Figure, ...], dict[str, tuple[float, float, str]]]:
    """The high needs block of each financial year per EHC plan in force in the January
    within it ('2023-24' over 'January 2024'), and the counts behind each."""
    plans = {p.period: p.value for p in _plain(figs, "ehcp_plans")}
    out, bases = [], {}
    for block in _plain(figs, "high_needs_block"):
        start = int(block.period[:4]) if block.period[:4].isdigit() else None
        january = f"January {start + 1}" if start else ""
        count = plans.get(january)
        if count:
            out.append(Figure("high_needs_per_plan", block.period,
                              round(block.value / count), block.source))  # type: ignore[operator]
            bases[block.period] = (block.value, count, january)  # type: ignore[assignment]
    return tuple(out), bases


def _measure(places: Places, figs: SendFigures, england: SendFigures,
             measure: str) -> Measure | None:
    info = MEASURES[measure]
    base_period, denominators = None, ()
    if info.base and measure != "high_needs_per_plan":
        denominators = _plain(figs, info.base[1])
    if measure == "high_needs_per_plan":
        series, bases = _per_plan(figs)
        e_series, _ = _per_plan(england)
        found = bases.get(series[-1].period) if series else None
        base = found[:2] if found else None
        base_period = found[2] if found else None
    else:
        series, e_series = _plain(figs, measure), _plain(england, measure)
        base = None
        if series and info.base:
            n = _at(_plain(figs, info.base[0]), series[-1].period)
            d = _at(_plain(figs, info.base[1]), series[-1].period)
            base = (n.value, d.value) if n and d else None  # type: ignore[assignment]
    if not series:
        return None
    sources = [places.sources[info.source]]
    if info.base and MEASURES[info.base[1]].source != info.source:
        sources.append(places.sources[MEASURES[info.base[1]].source])
    draft = Measure(measure, series, e_series, base, base_period, None, tuple(sources),
                    denominators)
    return Measure(measure, series, e_series, base, base_period,
                   _doubt(places, figs.area, draft), tuple(sources), denominators)


def _doubt(places: Places, council: str, m: Measure) -> str | None:
    """Why the anomaly guard doubts the figure: its latest period, its trend's start (for a
    measure of need, argued from its growth) or, for a ratio, what it is derived from."""
    keys = [(m.id, m.period)]
    if m.worse == "rising" and m.earlier is not None:
        keys.append((m.id, m.earlier.period))
    if m.info.derived and m.info.base:
        keys += [(m.info.base[0], m.period), (m.info.base[1], m.base_period or m.period)]
    flagged = places.anomalies
    return next((flagged[(council, k, p)] for k, p in keys if (council, k, p) in flagged), None)


def council_picture(places: Places, council: Council,
                    seat_share: float | None = None) -> CouncilPicture:
    """A council's measures beside England's (none outside England)."""
    if council.nation != "England":
        return CouncilPicture(council, (), seat_share)
    figs, england = places.figures(council.code), places.england()
    measures = (_measure(places, figs, england, m) for m in HEADLINE_MEASURES)
    return CouncilPicture(council, tuple(m for m in measures if m is not None), seat_share)


def seat_shares(places: Places, seat: Constituency) -> dict[str, float]:
    """Each council's share of the seat's postcodes (0 to 1) by council code; empty when the
    store cannot tell."""
    counts = places.council_postcodes(seat.code)
    total = sum(counts.get(c.gss, 0.0) for c in seat.councils)
    if not total:
        return {}
    return {c.code: counts.get(c.gss, 0.0) / total for c in seat.councils}


def seat_picture(places: Places, seat: Constituency) -> SeatPicture:
    """Everything known about a seat: MP, 2024 result, councils (most of the seat first,
    each with its share of the seat's postcodes) and their figures, and the sources."""
    shares = seat_shares(places, seat)
    councils = sorted((council_picture(places, c, shares.get(c.code)) for c in seat.councils),
                      key=lambda c: -(c.seat_share or 0.0))  # stable: the store's order on ties
    return SeatPicture(seat, tuple(councils), used_sources(places, councils),
                       None if seat.in_england else devolved_note(seat))


def used_sources(places: Places, councils) -> tuple[Source, ...]:
    """The sources a picture cites, in a stable order, MPs first."""
    ids = ["mps", "ge2024"]
    for c in councils:
        for m in c.measures:
            ids += [s.id for s in m.sources if s.id not in ids]
    return tuple(places.sources[i] for i in ids if i in places.sources)
