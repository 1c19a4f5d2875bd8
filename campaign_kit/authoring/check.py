"""`campaign-kit check`: everything the campaigns team can get wrong, found before a member does.

First the files (YAML with line and reason, duplicate ids, unknown defaults, missing fields,
punctuation and lengths that will not fit a slide or a one-page letter), then every kind in
every format rendered for reference places chosen to reach every branch of the templates:
an English seat with one council, one with several, a council with a short series, and a
Welsh, a Scottish and a Northern Irish seat. A template error is reported with its file,
line, the wrong name and the valid names nearby, and the place that reached it.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..content.campaign import Campaign, Problem, misplaced_templates, read_campaign
from ..engine.rules import one_line
from ..errors import CampaignKitError, TemplateProblem


@dataclass
class Report:
    campaign: str
    problems: list[Problem] = field(default_factory=list)
    rendered: int = 0  # files rendered in memory
    places: list[str] = field(default_factory=list)
    seconds: float = 0.0
    brand_files: tuple[str, ...] = ()  # the brand files used, the one that wins first

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]


def problem_of(exc: CampaignKitError, after: str = "") -> Problem:
    """An error as a Problem: its file and line as the error carries them (as data, never
    read back out of its text)."""
    if isinstance(exc, TemplateProblem) and exc.file:
        return Problem(exc.file, exc.line, exc.reason + after)
    return Problem("", None, str(exc) + after)


def check(campaign_id: str | None, content_dir: Path | None, templates_dir: Path | None,
          render: bool = True, today: dt.date | None = None, quick: bool = False) -> Report:
    """quick: every template at every reference place, but the formats (PDF, DOCX, PPTX)
    written for the first place only: a second or two, for checking on every save.
    Nothing is written to disk: every document is rendered in memory."""
    started = time.perf_counter()
    try:
        campaign, problems = read_campaign(campaign_id, content_dir)
    except TemplateProblem as exc:  # no campaign at all, or an unreadable campaigns.yaml
        report = Report(campaign_id or "?", [problem_of(exc)])
        report.seconds = time.perf_counter() - started
        return report
    report = Report(campaign.id if campaign else campaign_id or "?", problems)
    if templates_dir is not None and templates_dir.is_dir():
        report.problems += misplaced_templates(templates_dir)
    if campaign is not None:
        report.brand_files = campaign.brand.files
        if render and not report.errors:
            render_everything(campaign, content_dir, templates_dir, today or dt.date.today(),
                              report, quick)
    report.seconds = time.perf_counter() - started
    return report


# -- rendering for reference places --------------------------------------------------------------
def reference_requests(kit, today: dt.date) -> list[tuple[str, object, object]]:
    """(label, kind id, Request) for every kind at the reference places."""
    from ..engine.requests import Area, Event, Request
    from ..engine.rules import member as checked_member

    places = kit.places
    seats = places.all_constituencies()
    english = [s for s in seats if s.in_england]
    measures = kit.campaign.measures
    charts = kit.campaign.charts

    def series_length(code: str) -> int:
        if not charts:
            return 99
        figs = places.figures(code)
        return min(len([p for p in figs.series[c.measure].points if p.value is not None])
                   if c.measure in figs.series else 0 for c in charts)

    single = next(s for s in english if len(s.councils) == 1
                  and all(m in places.figures(s.councils[0].code).series for m in measures))
    multi = max(english, key=lambda s: (len(s.councils), s.name))
    councils = sorted({c for s in english for c in s.councils}, key=lambda c: c.name)
    short = min(councils, key=lambda c: (series_length(c.code), c.name))
    devolved = [next(s for s in seats if s.nation == n)
                for n in ("Wales", "Scotland", "Northern Ireland")]
    member = checked_member("Sam Example", "1 School Lane, Town", "headteacher",
                                "Example Primary School", "We wait months for support.")
    event = Event(today + dt.timedelta(days=42), dt.time(16, 0), "Example Primary School",
                  "Sam Example", "Regional official", host_email="sam@example.org",
                  host_phone="0113 496 0000")
    out = []
    for seat in [single, multi, *devolved]:
        many = f", {len(seat.councils)} councils" if len(seat.councils) > 1 else ""
        label = f"{seat.name} ({seat.nation}{many})"
        out.append((label, "letter", Request(today, seat=seat, member=member)))
        out.append((label, "roundtable", Request(event.date, seat=seat, event=event,
                                                 today=today)))
        out.append((label, "deck", Request(today, area=Area.of_seat(seat))))
    label = f"{short.name} council (shortest series)"
    out.append((label, "deck", Request(today, area=Area.of_council(kit.places, short))))
    for seat in places.seats_for_council(short)[:1]:
        out.append((f"{seat.name} ({short.name}, shortest series)", "letter",
                    Request(today, seat=seat, member=member)))
    return out


def render_everything(campaign: Campaign, content_dir: Path | None,
                      templates_dir: Path | None, today: dt.date, report: Report,
                      quick: bool = False) -> None:
    from ..engine.engine import Engine
    from ..engine.kinds import KINDS
    from ..writers import write

    try:
        kit = Engine.load(templates_dir, content_dir, campaign.id)
    except CampaignKitError as exc:
        report.problems.append(problem_of(exc))
        return
    seen: set[str] = set()
    for label, kind_id, request in reference_requests(kit, today):
        if label not in report.places:
            report.places.append(label)
        kind = KINDS[kind_id]
        formats = kind.formats if not quick or label == report.places[0] else ("txt",) \
            if "txt" in kind.formats else ()
        try:
            made = kit.make(kind_id, request)
            for document, _ in made.documents:
                for fmt in formats:
                    data = write(fmt, document, kit.assets)
                    report.rendered += 1
                    if kind_id == "letter" and fmt == "pdf" and "letter-pages" not in seen:
                        pages = _pages(data)
                        if pages > 1:
                            seen.add("letter-pages")
                            report.problems.append(Problem(
                                document.meta.template, None,
                                f"the letter runs to {pages} pages for {label} before the "
                                "member adds a long story; shorten the asks or the wording"))
        except CampaignKitError as exc:
            message = str(exc)
            if message in seen:
                continue
            seen.add(message)
            report.problems.append(problem_of(exc, f" (rendering the {kind_id} for {label})"))


def _pages(pdf: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def describe(report: Report) -> str:
    """The report as lines for a person; what a file holds (a key, a value quoted in a
    problem) can neither break a line nor reach the terminal as a control character."""
    lines = [("Error" if not p.warning else "Warning") + f": {one_line(str(p))}"
             for p in report.problems]
    if report.brand_files:
        over = f" (over {', '.join(report.brand_files[1:])})" if report.brand_files[1:] else ""
        lines.append(f"Brand: {report.brand_files[0]}{over}")
    verdict = "OK" if not report.errors else "NOT READY"
    lines.append(f"{verdict}: campaign '{report.campaign}', {len(report.errors)} error(s), "
                 f"{len(report.warnings)} warning(s); rendered {report.rendered} files for "
                 f"{len(report.places)} reference places in {report.seconds:.1f} s")
    return "\n".join(lines)
