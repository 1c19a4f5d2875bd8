"""What every document needs to be made: the loaded resources (places, templates, the
campaign and its brand), the member, charts drawn from the campaign's declared measures, and
writing every format of a set of documents safely.

Which documents a kind of output holds, and how their context is built, is declared in
kinds.py. Dependencies point one way: kinds -> kits -> templating, localdata, campaign.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..content.campaign import Campaign, ChartSpec, load_campaign
from ..document import Chart, ChartSeries, Document, Image, Meta
from ..errors import InputProblem, OutputProblem
from ..localdata.lookup import Places
from ..localdata.model import Constituency
from ..localdata.sources import BASES, SMALL_BASE
from ..render.formatting import format_value
from ..render.templating import Templates, parse_markdown
from ..runs.outputs import check_free, ensure_folder, safe_name, target_path, write_together
from ..writers import Assets
from .rules import FIELDS, address_lines, clean

MAX_STORY_CHARS = FIELDS["story"].limit


@dataclass(frozen=True)
class Member:
    name: str
    address_lines: tuple[str, ...] = ()
    role: str = ""
    school: str = ""
    story: str = ""
    template: bool = False  # a template letter to fill in: marks the space for a story

    @classmethod
    def from_fields(cls, name: str | None, address: str | None = None, role: str | None = None,
                    school: str | None = None, story: str | None = None) -> Member:
        """Validated at the edge (inputs.clean): a name is required, every field is normalised
        and has a sensible length."""
        name = clean(name, "name")
        if not name:
            raise InputProblem("a name is required (the letter is signed with it)")
        return cls(name, address_lines(address), clean(role, "role"), clean(school, "school"),
                   clean(story, "story"))


@dataclass
class Kit:
    """Everything a render needs, loaded once per process and shared by every document."""

    places: Places
    templates: Templates
    campaign: Campaign

    @classmethod
    def load(cls, templates_dir: Path | None = None, content_dir: Path | None = None,
             campaign_id: str | None = None) -> Kit:
        campaign = load_campaign(campaign_id, content_dir)
        overrides = ([templates_dir] if templates_dir else []) + list(campaign.template_dirs)
        return cls(Places(), Templates(overrides), campaign)

    @property
    def assets(self) -> Assets:
        return Assets(self.templates.find_file, self.campaign.brand)

    def render(self, template: str, context: dict[str, Any], style: str, author: str,
               date: dt.date, charts: dict[str, Chart | Image] | None = None,
               deck: bool = False, branded: bool = True, max_pages: int = 0) -> Document:
        """One template, rendered and parsed into a Document. `style` is the page style the
        writers pick (letter, guide, briefing, form, deck)."""
        rendered = self.templates.render(template, context)
        title = str(rendered.exports.get("title") or template)
        info = context.get("campaign")  # the campaign in the document's nation's words
        keywords = tuple(info.get("keywords") or ()) if isinstance(info, dict) else ()
        meta = Meta(title=title, author=author, subject=str(rendered.exports.get("subject", "")),
                    keywords=keywords or self.campaign.keywords, kind=style,
                    date=date.isoformat(),
                    template=template, branded=branded, max_pages=max_pages)
        return Document(meta, parse_markdown(rendered.markdown, charts, deck, template))


# -- figures a campaign cites ------------------------------------------------------------------
def campaign_figures(kit: Kit, council: dict[str, Any]) -> dict[str, Any]:
    """A council's picture cut to the measures the campaign cites, in the campaign's order,
    with the ids of the deck's charts it can draw for the council."""
    figures = council.get("figures") or {}
    picked = {m: figures[m] for m in kit.campaign.measures if m in figures}
    drawn = [spec for spec in deck_charts(kit)
             if council.get("has_send_figures") and _series(kit, council["code"], spec)]
    return {**council, "figures": picked,
            "charts": [f"{spec.id}-{council['code']}" for spec in drawn],
            "chart_measures": [spec.measure for spec in drawn]}


def deck_charts(kit: Kit, document: str = "deck") -> list[ChartSpec]:
    """The campaign's declared charts drawn in `document` (campaign.yaml charts: `in`)."""
    return [spec for spec in kit.campaign.charts if document in spec.documents]


def _series(kit: Kit, code: str, spec: ChartSpec):
    """The points a chart plots for a council; none (so no chart) when a percentage rests on
    a small base in any of them: a bar of 80% for 4 plans of 5 would mislead, and the text
    gives the counts instead."""
    figures = kit.places.figures(code)
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


def council_charts(kit: Kit, council: dict[str, Any]) -> dict[str, Chart]:
    """The campaign's declared deck charts for one council, from the same figures as lookup."""
    charts = {}
    for spec in deck_charts(kit):
        chart = area_chart(kit, spec, [council])
        if chart is not None:
            charts[f"{spec.id}-{council['code']}"] = chart
    return charts


def area_chart(kit: Kit, spec: ChartSpec, councils: list[dict[str, Any]]) -> Chart | None:
    """One declared chart with a series for each council that has the measure (and England
    beside them when the chart says so), over the first such council's periods; None when
    no council has it."""
    drawn = [(c, points) for c in councils if (points := _series(kit, c["code"], spec))]
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
        england = kit.places.england()
        by_period = {p.period: p.value for p in england.series[spec.measure].points} \
            if spec.measure in england.series else {}
        series.append(ChartSeries("England", tuple(by_period.get(p) for p in periods)))
    described = "; ".join(
        f"{label}: " + ", ".join(f"{s.name} {_value(spec.measure, s.values[i])}"
                                 for s in series)
        for i, label in enumerate(labels))
    cite = points[-1].source
    kind = "Line chart" if spec.type == "line" else "Column chart"
    where = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
    return Chart(
        spec.type, f"{spec.title}, {where}" if len(series) == 1 else spec.title,
        tuple(labels), tuple(series),
        alt=f"{kind}: {spec.title}, {where}. {described}. Source: {cite.publisher}, "
            f"{cite.title} ({cite.period}).",
        unit=unit, x_title=spec.x_title, y_title=spec.y_title,
        decimals=1 if unit == "%" and max(_known(series), default=0) < 10 else 0)


def chart_source(kit: Kit, spec: ChartSpec, councils: list[dict[str, Any]]) -> str:
    """The publisher, title and periods of a drawn chart's figures, for a line under it."""
    points = next((pts for c in councils if (pts := _series(kit, c["code"], spec))), [])
    if not points:
        return ""
    cite = points[-1].source
    span = f"{points[0].period} to {points[-1].period}" if len(points) > 1 else cite.period
    return f"{cite.publisher}, {cite.title}, {span}"


def _known(series: list[ChartSeries]) -> list[float]:
    return [v for s in series for v in s.values if v is not None]


def _value(measure: str, value: float | None) -> str:
    return format_value(measure, value)


# -- writing ---------------------------------------------------------------------------------
def render_formats(kit: Kit, docs: list[tuple[Document, str]], formats: list[str],
                   out_dir: Path, force: bool, files: list[tuple[str, bytes]] = ()
                   ) -> tuple[list[Path], dict[str, float]]:
    """Every format of every document, rendered first and then written together, with
    `files` (other files of the kind, by name: a pack's calendar invitation).

    A stem may name subfolders of out_dir ('roundtable-x/guide'); no path may land outside
    out_dir, symlinks included. Nothing is written if any target exists (without force) or
    any render fails, and the files are renamed into place only once all were written (a
    full disk never leaves a PDF without its DOCX). Returns the paths and the seconds spent
    in each writer (where a batch's time goes).
    """
    import time

    from ..writers import write

    ensure_folder(out_dir)
    targets = [(doc, fmt, target_path(out_dir, f"{stem}.{fmt}"))
               for doc, stem in docs for fmt in formats]
    extra = [(target_path(out_dir, name), data) for name, data in files]
    check_free([path for _, _, path in targets] + [path for path, _ in extra], force)
    seconds: dict[str, float] = {}
    payloads = []
    assets = kit.assets
    for doc, fmt, path in targets:
        started = time.perf_counter()
        payloads.append((path, write(fmt, doc, assets)))
        seconds[fmt] = seconds.get(fmt, 0.0) + time.perf_counter() - started
    payloads += extra
    write_together(payloads)
    return [path for path, _ in payloads], seconds


def parse_formats(text: str, allowed: tuple[str, ...]) -> list[str]:
    formats = [f.strip().lower() for f in text.split(",") if f.strip()]
    bad = [f for f in formats if f not in allowed]
    if bad or not formats:
        raise OutputProblem(f"unknown format {', '.join(bad) or '(none)'}; choose from "
                            f"{', '.join(allowed)}")
    return list(dict.fromkeys(formats))


def place_slug(seat: Constituency) -> str:
    return safe_name(seat.name, "seat")
