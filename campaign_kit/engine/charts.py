"""Charts a campaign declares (campaign.yaml `charts:`), drawn from the same figures as
`lookup`: one measure over time for a council, beside England's when the chart says so.
"""

from __future__ import annotations

from typing import Any

from ..content.campaign import ChartSpec
from ..document import Chart, ChartSeries
from ..localdata.sources import BASES, SMALL_BASE
from ..render.formatting import format_value
from ..render.words import join_list
from .resources import Resources


def campaign_figures(engine: Resources, council: dict[str, Any]) -> dict[str, Any]:
    """A council's picture cut to the measures the campaign cites, in the campaign's order,
    with the ids of the deck's charts it can draw for the council."""
    figures = council.get("figures") or {}
    picked = {m: figures[m] for m in engine.campaign.measures if m in figures}
    drawn = [spec for spec in deck_charts(engine)
             if council.get("has_send_figures") and _series(engine, council["code"], spec)]
    return {**council, "figures": picked,
            "charts": [f"{spec.id}-{council['code']}" for spec in drawn],
            "chart_measures": [spec.measure for spec in drawn]}

def deck_charts(engine: Resources, document: str = "deck") -> list[ChartSpec]:
    """The campaign's declared charts drawn in `document` (campaign.yaml charts: `in`)."""
    return [spec for spec in engine.campaign.charts if document in spec.documents]

def _series(engine: Resources, code: str, spec: ChartSpec):
    """The points a chart plots for a council; none (so no chart) when a percentage rests on
    a small base in any of them: a bar of 80% for 4 plans of 5 would mislead, and the text
    gives the counts instead."""
    figures = engine.places.figures(code)
    series = figures.series.get(spec.measure)
    if series is None:
        return []
    points = [p for p in series.points if p.value is not None][-spec.periods:]
    if spec.measure in BASES:
        base = figures.series.get(BASES[spec.measure][1])
        counts = {p.period: p.value for p in base.points} if base else {}
        if any(counts.get(p.period) is not None and counts[p.period] < SMALL_BASE
               for p in points):
            return []
    return points

def short_periods(periods: list[str]) -> list[str]:
    """Category labels without the words every period shares: 'January 2025' -> '2025'."""
    split = [p.split() for p in periods]
    common = 0
    while split and all(len(s) > common + 1 and s[common] == split[0][common] for s in split):
        common += 1
    return [" ".join(s[common:]) for s in split]

def council_charts(engine: Resources, council: dict[str, Any]) -> dict[str, Chart]:
    """The campaign's declared deck charts for one council, from the same figures as lookup."""
    charts = {}
    for spec in deck_charts(engine):
        chart = area_chart(engine, spec, [council])
        if chart is not None:
            charts[f"{spec.id}-{council['code']}"] = chart
    return charts

def area_chart(engine: Resources, spec: ChartSpec, councils: list[dict[str, Any]]) -> Chart | None:
    """One declared chart with a series for each council that has the measure (and England
    beside them when the chart says so), over the first such council's periods; None when
    no council has it."""
    drawn = [(c, points) for c in councils if (points := _series(engine, c["code"], spec))]
    if not drawn:
        return None
    points = drawn[0][1]
    periods = [p.period for p in points]
    labels = short_periods(periods)
    unit = "%" if spec.measure.endswith("_pc") else ""
    names = [c.get("display_name") or c["name"] for c, _ in drawn]
    series = [ChartSeries(name, tuple({p.period: p.value for p in pts}.get(period)
                                      for period in periods))
              for name, (_, pts) in zip(names, drawn, strict=True)]
    if spec.with_england:
        england = engine.places.england()
        by_period = {p.period: p.value for p in england.series[spec.measure].points} \
            if spec.measure in england.series else {}
        series.append(ChartSeries("England", tuple(by_period.get(p) for p in periods)))
    described = "; ".join(
        f"{label}: " + ", ".join(f"{s.name} {_value(spec.measure, s.values[i])}"
                                 for s in series)
        for i, label in enumerate(labels))
    cite = points[-1].source
    kind = "Line chart" if spec.type == "line" else "Column chart"
    where = join_list(names)
    return Chart(
        spec.type, f"{spec.title}, {where}" if len(series) == 1 else spec.title,
        tuple(labels), tuple(series),
        alt=f"{kind}: {spec.title}, {where}. {described}. Source: {cite.publisher}, "
            f"{cite.title} ({cite.period}).",
        unit=unit, x_title=spec.x_title, y_title=spec.y_title,
        decimals=1 if unit == "%" and max(_known(series), default=0) < 10 else 0)

def chart_source(engine: Resources, spec: ChartSpec, councils: list[dict[str, Any]]) -> str:
    """The publisher, title and periods of a drawn chart's figures, for a line under it."""
    points = next((pts for c in councils if (pts := _series(engine, c["code"], spec))), [])
    if not points:
        return ""
    cite = points[-1].source
    span = f"{points[0].period} to {points[-1].period}" if len(points) > 1 else cite.period
    return f"{cite.publisher}, {cite.title}, {span}"

def _known(series: list[ChartSeries]) -> list[float]:
    return [v for s in series for v in s.values if v is not None]

def _value(measure: str, value: float | None) -> str:
    return format_value(measure, value)
