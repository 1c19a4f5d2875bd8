"""The kinds of output (letter, roundtable pack, deck): which templates, formats and names.

A kit renders each of its templates once into a Document, then hands it to one writer
per format. Dependencies point one way: kits -> templating, localdata, campaign -> document.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .campaign import Campaign, load_campaign
from .document import Chart, Document, Meta
from .errors import InputProblem, OutputProblem
from .formatting import british_date
from .localdata.facts import seat_picture
from .localdata.lookup import Places
from .localdata.model import Constituency
from .outputs import check_free, ensure_folder, safe_name, target_path, write_atomic
from .templating import Templates, parse_markdown

MAX_STORY_CHARS = 5000
LETTER_FORMATS = ("pdf", "docx", "txt")


@dataclass(frozen=True)
class Member:
    name: str
    address_lines: tuple[str, ...] = ()
    role: str = ""
    school: str = ""
    story: str = ""

    @classmethod
    def from_fields(cls, name: str | None, address: str | None = None, role: str | None = None,
                    school: str | None = None, story: str | None = None) -> Member:
        """Validated at the edge: a name is required, a story has a sensible length."""
        name = " ".join((name or "").split())
        if not name:
            raise InputProblem("a name is required (the letter is signed with it)")
        lines = tuple(" ".join(p.split()) for p in (address or "").replace("\n", ",").split(","))
        story = (story or "").strip()
        if len(story) > MAX_STORY_CHARS:
            raise InputProblem(f"the story is {len(story):,} characters; keep it under "
                               f"{MAX_STORY_CHARS:,} (about a page) so the letter gets read")
        return cls(name, tuple(x for x in lines if x), " ".join((role or "").split()),
                   " ".join((school or "").split()), story)


@dataclass
class Kit:
    """Everything a render needs, loaded once per process and shared by every document."""

    places: Places
    templates: Templates
    campaign: Campaign
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, templates_dir: Path | None = None, content_dir: Path | None = None) -> Kit:
        return cls(Places(), Templates(templates_dir), load_campaign("send", content_dir))

    def render(self, template: str, context: dict[str, Any], kind: str, author: str,
               date: dt.date, charts: dict[str, Chart] | None = None,
               keywords: tuple[str, ...] = ()) -> Document:
        rendered = self.templates.render(template, context)
        title = str(rendered.exports.get("title") or template)
        meta = Meta(title=title, author=author, subject=str(rendered.exports.get("subject", "")),
                    keywords=keywords, kind=kind, date=date.isoformat())
        return Document(meta, parse_markdown(rendered.markdown, charts))


def letter(kit: Kit, seat: Constituency, member: Member, ask_ids: list[str] | None,
           date: dt.date) -> tuple[Document, list[str]]:
    """The letter to the seat's MP, and what the member should know about it."""
    notes = []
    asks = kit.campaign.choose_asks(ask_ids)
    if len(asks) > 3:
        raise InputProblem(f"a letter makes at most three asks ({len(asks)} given): "
                           "pick the ones that matter most locally")
    seed = f"{member.name}|{seat.code}"
    phrase = {k: kit.campaign.pick(k + "s" if k == "opening" else k, seed)
              for k in ("opening", "figures_intro", "asks_intro", "reply")}
    picture = seat_picture(kit.places, seat)
    if not member.address_lines:
        notes.append("no --address given: MPs act only for their own constituents, so add your "
                     f"address in {seat.name} before sending")
    if not member.story:
        notes.append("tip: add your school's own story with --story FILE; MPs' offices answer "
                     "identical letters with identical replies")
    if not seat.in_england:
        notes.append(picture["note"] + " The letter leaves out the English SEND statistics.")
    context = {"member": member, "seat": picture, "asks": asks, "campaign": kit.campaign.info,
               "phrase": phrase, "today": british_date(date)}
    doc = kit.render("letter/letter.md.j2", context, "letter", member.name, date,
                     keywords=("SEND", seat.name, "letter"))
    return doc, notes


def render_formats(kit: Kit, docs: list[tuple[Document, str]], formats: list[str],
                   out_dir: Path, force: bool) -> tuple[list[Path], dict[str, float]]:
    """Every format of every document, rendered first and then written atomically.

    Nothing is written if any target exists (without force) or any render fails. Returns the
    paths and the seconds spent in each writer (where a batch's time goes).
    """
    import time

    from .writers import write

    ensure_folder(out_dir)
    targets = [(doc, fmt, target_path(out_dir, f"{stem}.{fmt}"))
               for doc, stem in docs for fmt in formats]
    check_free([path for _, _, path in targets], force)
    seconds: dict[str, float] = {}
    payloads = []
    for doc, fmt, path in targets:
        started = time.perf_counter()
        payloads.append((path, write(fmt, doc, kit.templates.find_file)))
        seconds[fmt] = seconds.get(fmt, 0.0) + time.perf_counter() - started
    for path, data in payloads:
        write_atomic(path, data)
    return [path for path, _ in payloads], seconds


def write_documents(kit: Kit, docs: list[tuple[Document, str]], formats: list[str],
                    out_dir: Path, force: bool) -> list[Path]:
    return render_formats(kit, docs, formats, out_dir, force)[0]


def write_document(kit: Kit, doc: Document, formats: list[str], out_dir: Path, stem: str,
                   force: bool) -> list[Path]:
    return write_documents(kit, [(doc, stem)], formats, out_dir, force)


def letter_stem(seat: Constituency, member: Member) -> str:
    return f"letter-{safe_name(seat.name, 'seat')}-{safe_name(member.name, 'member')}"


def parse_formats(text: str, allowed: tuple[str, ...]) -> list[str]:
    formats = [f.strip().lower() for f in text.split(",") if f.strip()]
    bad = [f for f in formats if f not in allowed]
    if bad or not formats:
        raise OutputProblem(f"unknown format {', '.join(bad) or '(none)'}; choose from "
                            f"{', '.join(allowed)}")
    return list(dict.fromkeys(formats))


# -- deck -------------------------------------------------------------------------------------
def council_charts(picture: dict[str, Any]) -> dict[str, Chart]:
    """The deck's native charts for one council, drawn from the same figures as lookup."""
    from .document import ChartSeries

    history = picture["history"]
    name = picture["name"]
    plans = history["ehcp_plans"]
    charts = {
        f"ehcp-{picture['code']}": Chart(
            "line", f"EHC plans in force each January, {name}",
            tuple(p["period"].replace("January ", "") for p in plans),
            (ChartSeries(name, tuple(p["value"] for p in plans)),),
            alt=(f"Line chart: EHC plans in force in {name} each January, "
                 + ", ".join(f"{p['period']}: {p['value']:,.0f}" for p in plans
                             if p["value"] is not None) + ". Source: DfE SEN2 2025."),
        )
    }
    council, england = history["timely_20wk_pc"], history["timely_20wk_pc_england"]
    by_year = {p["period"]: p["value"] for p in england}
    years = [p["period"] for p in council]
    charts[f"timely-{picture['code']}"] = Chart(
        "bar", "New EHC plans issued within 20 weeks",
        tuple(y.replace("calendar year ", "") for y in years),
        (ChartSeries(name, tuple(p["value"] for p in council)),
         ChartSeries("England", tuple(by_year.get(y) for y in years))),
        alt=("Column chart: % of new EHC plans issued within 20 weeks, "
             + "; ".join(f"{y.replace('calendar year ', '')}: {name} "
                         f"{_pc(p['value'])}, England {_pc(by_year.get(y))}"
                         for y, p in zip(years, council, strict=True))
             + ". Source: DfE SEN2 2025."),
        unit="%",
    )
    return charts


def _pc(value: float | None) -> str:
    return "not available" if value is None else f"{value:g}%"


def deck(kit: Kit, area: dict[str, Any], councils: list[dict[str, Any]],
         seats: list[Constituency], ask_ids: list[str] | None,
         date: dt.date) -> Document:
    """The briefing deck for a seat or a council: one Document of Slide blocks."""
    from .localdata.facts import used_sources

    charts: dict[str, Chart] = {}
    for c in councils:
        if c.get("has_send_figures"):
            charts.update(council_charts(c))
    context = {"area": area, "councils": councils, "asks": kit.campaign.choose_asks(ask_ids),
               "seats": [{"name": s.name, "mp": {"full_title": s.mp.full_title,
                                                 "party": s.mp.party, "email": s.mp.email}}
                         for s in seats],
               "campaign": kit.campaign.info, "today": british_date(date),
               "sources": used_sources(kit.places, councils)}
    return kit.render("deck/deck.md.j2", context, "deck", str(kit.campaign.info.get("union", "")),
                      date, charts, keywords=("SEND", area["name"], "deck"))


def seat_area(kit: Kit, seat: Constituency):
    """What a deck about one seat covers: the seat, its councils, its MP."""
    picture = seat_picture(kit.places, seat)
    area = {"name": seat.name, "nation": seat.nation, "in_england": seat.in_england,
            "note": picture["note"]}
    return area, picture["councils"], [seat]


def council_area(kit: Kit, council):
    """What a deck about one council covers: the council and every seat it spans."""
    from .localdata.facts import council_picture
    from .localdata.lookup import devolved_note

    seats = kit.places.seats_for_council(council)
    england = council.nation == "England"
    area = {"name": council.name, "nation": council.nation, "in_england": england,
            "note": None if england or not seats else devolved_note(seats[0])}
    return area, [council_picture(kit.places, council)], seats
