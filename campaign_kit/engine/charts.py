"""Charts a campaign declares (campaign.yaml `charts:`), drawn from a council's Measures (the
same figures as `lookup`): one measure over time for a council, beside England's when the
chart says so. Which chart leads is chosen by the evidence (engine/evidence.py).
"""

from __future__ import annotations

from ..content.campaign import ChartSpec
from ..document import Chart, ChartSeries
from ..localdata.model import Figure
from ..localdata.pictures import CouncilPicture
from ..localdata.sources import MEASURES
from ..render.formatting import format_value
from ..render.words import join_list
from .resources import Resources


def declared(engine: Resources, document: str | None = None) -> list[ChartSpec]:
    """The campaign's declared charts: those drawn in `document` (campaign.yaml charts:
    `in`), or every one."""
    return [spec for spec in engine.campaign.charts
            if document is None or document in spec.documents]


def deck_charts(engine: Resources, document: str = "deck") -> list[ChartSpec]:
    return declared(engine, document)


def points(council: CouncilPicture, spec: ChartSpec) -> tuple[Figure, ...]:
    """The points a chart plots for a council; none (so no chart) when a percentage rests on
    a small base in any of them: a bar of 80% for 4 plans of 5 would mislead, and the text
    gives the counts instead."""
    measure = council.measure(spec.measure)
    if measure is None:
        return ()
    drawn = measure.series[-spec.periods:]
    if any(measure.small_base_in(p.period) for p in drawn):
        return ()
    return drawn


def short_periods(periods: list[str]) -> list[str]:
    """Category labels without the words every period shares: 'January 2025' -> '2025'."""
    split = [p.split() for p in periods]
    common = 0
    while split and all(len(s) > common + 1 and s[common] == split[0][common] for s in split):
        common += 1
    return [" ".join(s[common:]) for s in split]


def area_chart(spec: ChartSpec, councils: list[CouncilPicture]) -> Chart | None:
    """One declared chart with a series for each council that has the measure (and England
    beside them when the chart says so), over the first such council's periods; None when
    no council has it."""
    drawn = [(c, pts) for c in councils if (pts := points(c, spec))]
    if not drawn:
        return None
    first = drawn[0][1]
    periods = [p.period for p in first]
    labels = short_periods(periods)
    unit = "%" if MEASURES[spec.measure].percent else ""
    names = [c.display_name for c, _ in drawn]
    series = [ChartSeries(name, tuple({p.period: p.value for p in pts}.get(period)
                                      for period in periods))
              for name, (_, pts) in zip(names, drawn, strict=True)]
    if spec.with_england:
        measure = drawn[0][0].measure(spec.measure)
        england = {p.period: p.value for p in measure.england_series} if measure else {}
        series.append(ChartSeries("England", tuple(england.get(p) for p in periods)))
    described = "; ".join(
        f"{label}: " + ", ".join(f"{s.name} {format_value(spec.measure, s.values[i])}"
                                 for s in series)
        for i, label in enumerate(labels))
    cite = first[-1].source
    kind = "Line chart" if spec.type == "line" else "Column chart"
    where = join_list(names)
    return Chart(
        spec.type, f"{spec.title}, {where}" if len(series) == 1 else spec.title,
        tuple(labels), tuple(series),
        alt=f"{kind}: {spec.title}, {where}. {described}. Source: {cite.publisher}, "
            f"{cite.title} ({cite.period}).",
        unit=unit, x_title=spec.x_title, y_title=spec.y_title,
        decimals=1 if unit == "%" and max(_known(series), default=0) < 10 else 0)


def chart_source(spec: ChartSpec, councils: list[CouncilPicture]) -> str:
    """The publisher, title and periods of a drawn chart's figures, for a line under it."""
    drawn = next((pts for c in councils if (pts := points(c, spec))), ())
    if not drawn:
        return ""
    cite = drawn[-1].source
    span = f"{drawn[0].period} to {drawn[-1].period}" if len(drawn) > 1 else cite.period
    return f"{cite.publisher}, {cite.title}, {span}"


def _known(series: list[ChartSeries]) -> list[float]:
    return [v for s in series for v in s.values if v is not None]
