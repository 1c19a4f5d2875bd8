"""Evidence is chosen, then worded (docs/EVIDENCE.md).

Each of a council's measures is judged once (`judge`): does it argue the case (worse than
England in the direction that is worse, or a measure of need rising by at least
GROWTH_FLOOR and faster than England), how strongly (its gap to England, plus a worsening
trend against England's, weighted by how recent it is), and may it argue in a letter (fresh
within the campaign's rule, on a base big enough, not doubted by the anomaly guard). A
figure that does not argue is never persuasion in a letter; briefings and decks show it,
labelled, after the figures that do.

Letters carry the seat's strongest figures (up to three, a council's weighted by the share of
the seat it covers, the story's own topic preferred: content/evidence.yaml) and vary their
wording and order, never the evidence. Briefings and decks lead with where a council is
worse than England and chart its strongest measure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from ..content import datasets
from ..content.campaign import ChartSpec
from ..content.evidence import EvidenceContent
from ..localdata.model import MP, Council, Source
from ..localdata.pictures import (
    CouncilPicture,
    Measure,
    Result2024,
    SeatPicture,
    council_picture,
)
from ..localdata.sources import MEASURES
from ..render.formatting import format_value
from ..render.statements import Statement, grouped, period_end, rank
from .charts import declared, points
from .resources import Resources

GROWTH_FLOOR = 10.0  # % : a change smaller than this never argues
CAP = 1.0  # a gap to England (or growth beyond England's) counts up to 100%
TREND_WEIGHT = 0.25  # what a trend worsening faster than England's adds, at most
FULL_YEARS = 1.5  # a figure this recent counts in full ...
OLDEST_WEIGHT = 0.5  # ... falling to half at the freshness limit
LETTER_FIGURES = 3


@dataclass(frozen=True)
class Verdict:
    argues: bool  # worse than England in the direction that is worse
    strength: float  # how strongly (0 when it does not argue, or rests on a small base)
    usable: bool  # may argue in a letter
    why_not: str  # why it may not ("better than England", "a rise smaller than England's")


def recency(age: float | None, freshness: float) -> float:
    """1 up to FULL_YEARS old, falling to OLDEST_WEIGHT at the freshness limit, half that
    beyond it (a briefing still ranks an old figure; a letter never cites it)."""
    if age is None or age <= FULL_YEARS:
        return 1.0
    if age > freshness:
        return OLDEST_WEIGHT / 2
    return 1.0 - (1.0 - OLDEST_WEIGHT) * (age - FULL_YEARS) / max(freshness - FULL_YEARS, 0.1)


def _trend(m: Measure) -> float:
    """How much faster than England's the council moved the way that is worse, relative to
    England's level; 0 when it did not or cannot be told."""
    e, e0, v0 = m.england, m.england_earlier, m.earlier
    if e is None or e0 is None or v0 is None or not e.value:
        return 0.0
    ours, theirs = m.value - v0.value, e.value - e0.value  # type: ignore[operator]
    moved = (theirs - ours) if m.worse == "lower" else (ours - theirs)
    return max(0.0, min(moved / abs(e.value), 1.0))  # type: ignore[arg-type]


def _direction(m: Measure) -> tuple[bool, float, str]:
    """(argues, score before recency, why not)."""
    if m.worse in ("lower", "higher"):
        e = m.england
        if e is None or e.value is None or m.gap is None:
            return False, 0.0, "no figure for England for the same period"
        if format_value(m.id, m.value) == format_value(m.id, e.value):
            return False, 0.0, "the same as England"
        if m.gap <= 0:
            return False, 0.0, "better than England"
        return True, min(m.gap, CAP) + TREND_WEIGHT * _trend(m), ""
    if m.worse == "rising":
        growth, england = m.growth, m.england_growth
        if growth is None or england is None:
            return False, 0.0, "no trend beside England's"
        if growth < GROWTH_FLOOR:
            return False, 0.0, f"a change under {GROWTH_FLOOR:.0f}%"
        if growth <= england:
            return False, 0.0, "a rise smaller than England's"
        return True, min((growth - england) / 100, CAP), ""
    return False, 0.0, "context: neither better nor worse"


def judge(m: Measure, age: float | None, freshness: float) -> Verdict:
    """Whether and how strongly a measure argues the case, and whether a letter may use it."""
    if m.anomaly:
        return Verdict(False, 0.0, False, "in doubt: " + m.anomaly)
    argues, score, why = _direction(m)
    if not argues:
        return Verdict(False, 0.0, False, why)
    if m.small_base:
        return Verdict(True, 0.0, False, "a small base")
    strength = round(score * recency(age, freshness), 4)
    if age is not None and age > freshness:
        return Verdict(True, strength, False, f"older than {freshness:g} years")
    return Verdict(True, strength, True, "")


# -- what documents read -----------------------------------------------------------------------
@dataclass(frozen=True)
class CouncilFigures:
    """A council as documents show it: its picture, its statements (the campaign's
    measures, judged), the deck's charts (strongest first) and the finding they show."""

    picture: CouncilPicture
    statements: tuple[Statement, ...] = ()
    charts: tuple[str, ...] = ()  # chart ids drawn for the council in a deck, headline first
    chart_measures: tuple[str, ...] = ()
    headline: str = ""  # the first chart's finding: a slide's title ("" when none argues)

    code = property(lambda self: self.picture.code)
    gss = property(lambda self: self.picture.gss)
    name = property(lambda self: self.picture.name)
    display_name = property(lambda self: self.picture.display_name)
    nation = property(lambda self: self.picture.nation)
    has_send_figures = property(lambda self: self.picture.has_send_figures)
    seat_share = property(lambda self: self.picture.seat_share)

    @property
    def figures(self) -> tuple[Statement, ...]:
        return self.statements

    @property
    def groups(self) -> list[tuple[str, list[Statement]]]:
        return grouped(list(self.statements), self.display_name)

    @property
    def worse(self) -> list[Statement]:
        """Where the council is worse than England, the strongest first."""
        return sorted((s for s in self.statements if s.group == "worse"),
                      key=lambda s: -s.strength)

    @property
    def doubts(self) -> list[Statement]:
        """Statements the anomaly guard doubts, for a caveat under the figures."""
        return [s for s in self.statements if s.doubt]

    @property
    def share_text(self) -> str:
        """'about 43% of the seat' (its postcodes), '' when not known or the whole seat."""
        share = self.seat_share
        if share is None or share >= 0.995:
            return ""
        return "under 1% of the seat" if share < 0.005 else f"about {100 * share:.0f}% of the seat"


@dataclass(frozen=True)
class SeatFigures:
    """A seat as documents show it: its picture with its councils' figures (the council
    covering most of the seat first)."""

    picture: SeatPicture
    councils: tuple[CouncilFigures, ...]
    note: str | None = None

    code = property(lambda self: self.picture.code)
    name = property(lambda self: self.picture.name)
    nation = property(lambda self: self.picture.nation)
    region = property(lambda self: self.picture.region)
    in_england = property(lambda self: self.picture.in_england)

    @property
    def mp(self) -> MP:
        return self.picture.mp

    @property
    def election_2024(self) -> Result2024 | None:
        return self.picture.election_2024

    @property
    def sources(self) -> tuple[Source, ...]:
        """The MPs' and the election's sources, then those of the figures shown."""
        first = [s for s in self.picture.sources if s.id in ("mps", "ge2024")]
        return _sources(first, self.councils)


def _sources(first: list[Source], councils: Sequence[CouncilFigures]) -> tuple[Source, ...]:
    seen = {s.id: s for s in first}
    for c in councils:
        for statement in c.statements:
            for source in statement.figure.sources:
                seen.setdefault(source.id, source)
    return tuple(seen.values())


def figure_sources(places, councils: Sequence[CouncilFigures]) -> tuple[Source, ...]:
    """The sources a deck of councils cites, the MPs' first."""
    return _sources([places.sources[i] for i in ("mps", "ge2024") if i in places.sources],
                    councils)


def council_figures(engine: Resources, picture: CouncilPicture, on: dt.date) -> CouncilFigures:
    """The campaign's measures for a council (a measure documents show as another, as the
    block per plan for the block, in its place), judged at `on`, and its deck charts."""
    if not picture.has_send_figures:
        return CouncilFigures(picture)
    years = float(engine.campaign.info["freshness"]["years"])
    ids = list(dict.fromkeys(MEASURES[m].shown_as or m for m in engine.campaign.measures))
    made = []
    for measure in filter(None, (picture.measure(i) for i in ids)):
        end = period_end(measure.period)
        age = (on - end).days / 365.25 if end else None
        vintage = datasets.vintage(engine.places, measure.source.id, on, engine.cycles)
        verdict = judge(measure, age, years)
        made.append(Statement(measure, picture.code, picture.display_name,
                              age is not None and age > years,
                              vintage.kit_latest if vintage else None, verdict.argues,
                              verdict.strength, verdict.usable, verdict.why_not,
                              picture.seat_share))
    specs = _deck_specs(engine, picture, made)
    first = next((s for s in made if specs and s.measure == specs[0].measure
                  and charts_for(specs[0], s)), None)
    return CouncilFigures(picture, tuple(made), tuple(f"{s.id}-{picture.code}" for s in specs),
                          tuple(s.measure for s in specs),
                          first.headline(engine.evidence.headlines.get(first.measure))
                          if first else "")


def _undercuts(s: Statement) -> bool:
    """Shown as a chart, it would argue against the case: better than England, or need
    that grew slower than England's (or under GROWTH_FLOOR)."""
    return not s.argues and (s.group == "better" or (s.worse == "rising" and s.since is not None))


def charts_for(spec: ChartSpec, s: Statement) -> bool:
    """A chart argues when its figure does, and when, drawn beside England's, it does not
    show the council below England: need that rose faster from a lower level argues in
    words, but its chart shows the council below England every year."""
    return s.argues and not s.doubt and not (
        spec.with_england and s.worse == "rising" and s.england is not None
        and s.value <= s.england)


def _deck_specs(engine: Resources, picture: CouncilPicture, made: list[Statement]):
    """Charts for a council's deck slide, at most two: those of its measures that argue,
    strongest first, then the deck's own charts whose measure does not undercut."""
    drawable = [spec for spec in declared(engine) if points(picture, spec)]
    by_measure = {s.measure: s for s in made}
    strong = sorted((spec for spec in drawable if by_measure.get(spec.measure)
                     and charts_for(spec, by_measure[spec.measure])),
                    key=lambda spec: -by_measure[spec.measure].strength)
    rest = [spec for spec in drawable if "deck" in spec.documents and spec not in strong
            and spec.measure in by_measure and not _undercuts(by_measure[spec.measure])
            and not by_measure[spec.measure].doubt]
    return (strong + rest)[:2]


def for_council(engine: Resources, council: Council, on: dt.date) -> CouncilFigures:
    """A council on its own (a council's deck), judged at `on`."""
    return council_figures(engine, council_picture(engine.places, council), on)


def seat_figures(engine: Resources, picture: SeatPicture, on: dt.date,
                 note: str | None) -> SeatFigures:
    return SeatFigures(picture, tuple(council_figures(engine, c, on) for c in picture.councils),
                       note)


# -- choosing -------------------------------------------------------------------------------------
def ranked(councils: Sequence[CouncilFigures]) -> list[Statement]:
    """Every statement a letter may use, strongest first: a council's strength weighted by
    its share of the seat against the largest share (1 when the store cannot tell)."""
    shares = [c.seat_share for c in councils]
    top = max(shares) if shares and all(s is not None for s in shares) else None
    pool = []
    for i, c in enumerate(councils):
        weight = c.seat_share / top if top else 1.0  # type: ignore[operator]
        pool += [(s.strength * weight, i, s) for s in c.statements if s.usable]
    return [s for _, _, s in sorted(pool, key=lambda t: (-t[0], t[1]))]


def strongest(councils: Sequence[CouncilFigures]) -> Statement | None:
    pool = ranked(councils)
    return pool[0] if pool else None


def for_letter(councils: Sequence[CouncilFigures], seed: str, story: str | None,
               content: EvidenceContent, limit: int = LETTER_FIGURES) -> list[Statement]:
    """The figures a letter cites: always the strongest, then those the member's story
    points to, then the next strongest (different measures before a second council's same
    measure), up to `limit`. Ordered with the story's own figures first, then council by
    council (most of the seat first), in an order fixed by the seed."""
    pool = ranked(councils)
    if not pool:
        return []
    preferred = content.preferred(story)
    matched = sorted((s for s in pool if s.measure in preferred),
                     key=lambda s: preferred.index(s.measure))
    chosen = [pool[0]]
    for candidates, distinct in ((matched, True), (pool, True), (pool, False)):
        for s in candidates:
            if len(chosen) < limit and s not in chosen and not (
                    distinct and s.measure in {c.measure for c in chosen}):
                chosen.append(s)
    order = [c.code for c in councils]
    return sorted(chosen, key=lambda s: (
        preferred.index(s.measure) if s.measure in preferred else len(preferred),
        order.index(s.council), rank(seed, "order", s.council, s.measure)))


def briefing_chart(engine: Resources, seat: SeatFigures):
    """(chart spec, council, statement) for the briefing's one chart: the seat's strongest
    figure among the measures the campaign declares a chart for; None when none argues."""
    specs = {spec.measure: spec for spec in declared(engine)}
    by_code = {c.code: c for c in seat.councils}
    weighted = ranked(seat.councils) + sorted(
        (s for c in seat.councils for s in c.statements if s.argues and not s.usable),
        key=lambda s: -s.strength)
    for s in weighted:
        spec = specs.get(s.measure)
        if spec and charts_for(spec, s) and points(by_code[s.council].picture, spec):
            return spec, by_code[s.council], s
    return None
