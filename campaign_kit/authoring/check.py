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

from ..content.campaign import Campaign, Problem, read_campaign
from ..errors import CampaignKitError, TemplateProblem

ENDINGS = (".", "!", "?", ";", ":", ",")


@dataclass
class Report:
    campaign: str
    problems: list[Problem] = field(default_factory=list)
    rendered: int = 0  # files rendered in memory
    places: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]


def check(campaign_id: str | None, content_dir: Path | None, templates_dir: Path | None,
          render: bool = True, today: dt.date | None = None, quick: bool = False) -> Report:
    """quick: every template at every reference place, but the formats (PDF, DOCX, PPTX)
    written for the first place only: a second or two, for checking on every save."""
    started = time.perf_counter()
    try:
        campaign, problems = read_campaign(campaign_id, content_dir)
    except TemplateProblem as exc:  # a file that cannot be read at all
        report = Report(campaign_id or "?", [Problem(*_split(str(exc)))])
        report.seconds = time.perf_counter() - started
        return report
    report = Report(campaign.id if campaign else campaign_id or "?", problems)
    if campaign is not None:
        report.problems += lint(campaign)
        if render and not report.errors:
            render_everything(campaign, content_dir, templates_dir, today or dt.date.today(),
                              report, quick)
    report.seconds = time.perf_counter() - started
    return report


def _split(message: str) -> tuple[str, int | None, str]:
    """'file, line 3: why' -> (file, 3, why), for errors raised as one line."""
    import re

    match = re.match(r"^(.*?), line (\d+): (.*)$", message)
    if match:
        return match.group(1), int(match.group(2)), match.group(3)
    head, _, rest = message.partition(": ")
    return (head, None, rest) if rest else ("", None, message)


def lint(campaign: Campaign) -> list[Problem]:
    """What reads badly or will not fit, though the files are valid."""
    from ..writers.slidefit import BODY_BOX, BULLET_INDENT, INSET_X, MAX_SIZE, line_count

    asks_file = str(campaign.files["asks.yaml"])
    found: list[Problem] = []
    width = BODY_BOX[2] - 2 * INSET_X - BULLET_INDENT
    for ask in campaign.asks:
        if ask.title.endswith(ENDINGS):
            found.append(Problem(asks_file, None, f"ask '{ask.id}': the title ends with "
                                 f"'{ask.title[-1]}'; templates add their own punctuation"))
        if ask.letter.endswith(ENDINGS):
            found.append(Problem(asks_file, None, f"ask '{ask.id}': `letter` ends with "
                                 f"'{ask.letter[-1]}', and the letter adds a full stop: it "
                                 f"would print '{' '.join(ask.letter.split()[-3:])}.'"))
        if ask.letter[:1].isupper() and not ask.letter.split()[0].isupper():
            found.append(Problem(asks_file, None, f"ask '{ask.id}': `letter` continues a "
                                 "sentence, so start it in lower case", warning=True))
        lines = line_count(ask.title, width, MAX_SIZE, bold=True)
        if lines > 2:
            found.append(Problem(asks_file, None, f"ask '{ask.id}': the title takes {lines} "
                                 "lines on a slide at full size; keep it to two (about 70 "
                                 "characters)"))
        for text, limit, what in ((ask.letter, 320, "letter"), (ask.case, 600, "case"),
                                  (ask.mp_action, 400, "mp_action")):
            if len(text) > limit:
                found.append(Problem(asks_file, None, f"ask '{ask.id}': `{what}` is "
                                     f"{len(text)} characters; keep it under {limit} so the "
                                     "letter stays on one page", warning=what != "letter"))
    return found


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
        report.problems.append(Problem(*_split(str(exc))))
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
            file, line, why = _split(message)
            report.problems.append(Problem(file, line, f"{why} (rendering the {kind_id} for "
                                           f"{label})"))


def _pages(pdf: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def describe(report: Report) -> str:
    lines = [("Error" if not p.warning else "Warning") + f": {p}" for p in report.problems]
    verdict = "OK" if not report.errors else "NOT READY"
    lines.append(f"{verdict}: campaign '{report.campaign}', {len(report.errors)} error(s), "
                 f"{len(report.warnings)} warning(s); rendered {report.rendered} files for "
                 f"{len(report.places)} reference places in {report.seconds:.1f} s")
    return "\n".join(lines)
