"""A kit run for many seats: each seat's roundtable pack, deck and template letter in its
own folder, with each seat's event from the command line once or from an events CSV row by
row, and the index of what was made. Jobs go through the job runner (jobs.py).

The events CSV is read like a members' CSV (csvread: Excel's encodings and delimiters, one
bad row never stops the rest) and every cell goes through the input rules (engine/rules.py),
the same rules `roundtable` and the web's pack form use. A row that cannot be
used (a place that is not one seat, an impossible date, an email that is not one, an ask
that does not exist, a seat given twice) becomes a job that fails with its reason, so it
lands in errors.csv with its row number while every good row is made.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..engine.filenames import safe_name
from ..engine.requests import Event
from ..engine.rules import (
    EVENT_FIELDS,
    ask_list,
    check_ask_ids,
    check_event,
    clean,
    member,
    one_line,
)
from ..errors import CampaignKitError, InputProblem
from ..notes import Note, message
from .csvwords import csv_words
from .jobs import Job, Summary, Task, fingerprint, run_jobs
from .outputs import csv_cell, write_files, write_product
from .sources import Sources, load_engine

EVENT_COLUMNS = {  # field: accepted header spellings (lower case, no spaces, _ or -)
    "constituency": ("constituency", "seat", "pcon", "seatname"),
    "postcode": ("postcode", "postalcode", "pcd"),
    "date": ("date", "eventdate", "dateofevent"),
    "time": ("time", "starttime", "start", "eventtime"),
    "venue": ("venue", "location", "where"),
    "host_name": ("hostname", "host", "organiser", "organisername", "organizer",
                  "organizername", "name"),
    "host_role": ("hostrole", "role", "organiserrole", "organizerrole"),
    "host_email": ("hostemail", "email", "emailaddress", "organiseremail", "organizeremail"),
    "host_phone": ("hostphone", "phone", "telephone", "phonenumber", "organiserphone",
                   "organizerphone", "tel"),
    "asks": ("asks", "askids", "ask"),
}
TEMPLATE_MEMBER = {"name": "[Your name]", "address": "[Your address], [Your postcode]",
                   "role": "[Your role]", "school": "[Your school]"}
# A seat's kit: which kinds, in which formats, in the seat's folder.
KIT_CONTENTS = (("roundtable", ("pdf", "docx")), ("deck", ("pptx", "pdf")),
                ("letter", ("docx", "txt")))


@dataclass(frozen=True)
class SeatEvent:
    """One seat of a run and its event details as typed (strings, checked), or why the row
    that named it cannot be used."""

    row: int  # the CSV's row number, or the seat's place in the run
    label: str  # how errors.csv names it: the seat, or what the row gave
    code: str = ""  # the seat's ONS code; "" when the row's place is not one seat
    details: dict[str, str] = field(default_factory=dict)  # EVENT_FIELDS and "asks"
    problem: Note | None = None
    notes: tuple[Note, ...] = ()  # worth a look, the row is used (a Saturday, 23:30)


def seat_events(engine, given: dict[str, str], today: dt.date, *, seat=None,
                region: str | None = None, every: bool = False,
                events_csv: Path | None = None) -> tuple[list[SeatEvent], str]:
    """The seats a kit run covers, each with its event, and the title of its index: one
    seat, a region's, every seat (with the same details), or an events CSV's rows."""
    if events_csv:
        return (read_events(engine, events_csv, given, today),
                f"Kits for the seats in {events_csv.name}")
    if seat:
        seats, title = [seat], f"Kit for {seat.name}"
    else:
        from ..localdata.names import normalise_name

        seats, title = engine.places.all_constituencies(), "Kits for every seat"
        if region:
            wanted = normalise_name(region)
            regions = sorted({s.region for s in seats})
            seats = [s for s in seats if normalise_name(s.region) == wanted]
            if not seats:
                raise InputProblem(f"no region called '{region}'; regions: "
                                   f"{', '.join(regions)}")
            title = f"Kits for {region_title(seats[0].region)}"
        elif not every:
            raise InputProblem("give one seat, a region, every seat or an events CSV")
    return [SeatEvent(n, s.name, s.code, dict(given)) for n, s in enumerate(seats, 1)], title


def make_kits(engine, sources: Sources, entries: list[SeatEvent], title: str,
              today: dt.date, out_dir: Path, workers: int, force: bool, index: bool,
              progress=None) -> tuple[Summary, list[Path]]:
    """Each seat's kit in worker processes (a row that failed before any work fails its own
    job), then, with `index`, index.csv and index.pdf of every seat and where its kit is.
    Returns the run's summary and the index's paths."""
    inputs = sources.fingerprint(today)
    job_list = [Job(f"row-{e.row:05d}" if e.problem else e.code, e.label, e.row,
                    {"code": e.code, "event": e.details},
                    fingerprint(e.code, e.details, inputs), e.problem)
                for e in entries]
    summary = run_jobs(KIT, job_list, sources.settings(out_dir, today), out_dir, workers,
                       force, csv_words, progress)
    paths: list[Path] = []
    if index and not summary.interrupted:
        failed = {r.job.payload["code"]: csv_words(r.problem) for r in summary.failed
                  if r.job.payload["code"]}
        rows = index_rows(engine, entries, failed, today)
        if rows:
            paths = write_index(engine, out_dir, title, rows, today)
    return summary, paths


def check_details(engine, details: dict[str, str], today: dt.date) -> tuple[Event, list[Note]]:
    """The event a row's (or the command line's) details make, checked by the same rules as
    `roundtable` and the web's pack form; the asks must be the campaign's. Raises
    InputProblem (the first mistake) or TemplateProblem."""
    checked = check_event(details, today)
    event = checked.result()
    ids = ask_list(details.get("asks"))
    for note in check_ask_ids(ids, engine.campaign.ask_ids):  # names the valid ones
        raise InputProblem(note)
    # an organiser left out: a kit's marked spaces say it all, no note needed
    return event, [n for n in checked.warnings
                   if n.code not in ("no-organiser", "no-reply-route")]


def read_events(engine, path: Path, defaults: dict[str, str],
                today: dt.date) -> list[SeatEvent]:
    """Each row of an events CSV as a seat and its event. `defaults` (the details given once
    for the run) fill the cells a row leaves empty. A missing place column is an error
    before any work; everything else fails its own row."""
    from .csvread import read_columns

    table = read_columns(path, EVENT_COLUMNS)
    if not table.found & {"constituency", "postcode"}:
        raise InputProblem(f"{path.name}: needs a 'seat' (or 'constituency') or a 'postcode' "
                           f"column (found: {table.shown()})")
    out: list[SeatEvent] = []
    seen: dict[str, int] = {}
    for raw, cells in table.rows:
        place = one_line((cells.get("constituency") or cells.get("postcode") or "").strip())
        label, code = place[:100] or f"row {raw.number}", ""
        try:
            if raw.problem:
                raise InputProblem(raw.problem)
            typed = {name: clean(cell, name) for name, cell in cells.items()}
            details = {k: typed.get(k) or defaults.get(k, "") for k in (*EVENT_FIELDS, "asks")}
            seat = _seat(engine, typed.get("constituency"), typed.get("postcode"))
            label = seat.name
            if seat.code in seen:
                raise InputProblem(f"{seat.name} already has its event on row {seen[seat.code]}"
                                   " (one event per seat: one folder per seat)")
            code = seat.code  # a row failing from here on is the seat's, in the index too
            seen[seat.code] = raw.number
            _, notes = check_details(engine, details, today)
        except CampaignKitError as exc:
            out.append(SeatEvent(raw.number, label, code, problem=exc.note))
            continue
        out.append(SeatEvent(raw.number, label, seat.code, details,
                             notes=tuple(notes) + ((message(raw.note),) if raw.note else ())))
    if not out:
        raise InputProblem(f"{path.name}: no seat rows (only a header): one seat and its event "
                           "a row, under the header")
    return out


def _seat(engine, constituency: str | None, postcode: str | None):
    """The one seat a row's place names; several candidates are an error listing them."""
    if not (constituency or postcode):
        raise InputProblem("no seat or postcode given")
    seat, _ = engine.places.locate(constituency or None, postcode or None)
    return seat


def event_from(details: dict[str, str], today: dt.date) -> Event:
    """The Event a job's checked details make (in a worker: the reader checked them)."""
    if not details:
        return Event(None, None, "", "", "")
    return check_event(details, today).result()


# -- one seat's kit a job ------------------------------------------------------------------
def make_kit(engine, job: Job, settings: dict[str, Any]
             ) -> tuple[list[str], dict[str, float], list[Note]]:
    """One seat's kit: roundtable pack (PDF, DOCX), deck (PPTX, PDF), template letter, in
    the seat's folder."""
    from ..engine.requests import Area, Request

    today = dt.date.fromisoformat(settings["date"])
    seat = engine.places.constituency(job.payload["code"])
    folder = safe_name(seat.name, "seat")
    details = job.payload.get("event") or {}  # checked by the reader (read_events)
    event = event_from(details, today)
    request = Request(today, seat=seat, area=Area.of_seat(seat),
                      member=replace(member(**TEMPLATE_MEMBER), template=True),
                      event=event, today=today)
    # the pack is dated by its event, like `roundtable`; its asks are the pack's and the
    # deck's (the template letter keeps the campaign's, at most three)
    asked = replace(request, ask_ids=ask_list(details.get("asks")))
    requests = {"roundtable": replace(asked, date=event.date or today), "deck": asked,
                "letter": replace(request, stem=f"letter-{safe_name(seat.name)}-template")}
    paths, seconds, notes = [], {}, []
    for kind_id, formats in KIT_CONTENTS:
        product = engine.produce(kind_id, requests[kind_id], formats)
        started = time.perf_counter()
        # the seat folder rides on the names: no write can follow a symlink out of out_dir
        paths += [str(p) for p in write_product(product, Path(settings["out_dir"]), True,
                                                under=folder)]
        for k, v in {**product.seconds, "write": time.perf_counter() - started}.items():
            seconds[k] = seconds.get(k, 0.0) + v
        if kind_id != "letter":  # the template letter's notes are for a member who writes
            notes += product.notes
    return paths, seconds, notes


KIT = Task(load_engine, make_kit)


# -- the index of a run -----------------------------------------------------------------------
INDEX_CSV = "index.csv"
INDEX_STEM = "index"
INDEX_COLUMNS = ("seat", "ons_code", "region", "mp", "party", "councils", "event_date",
                 "event_time", "venue", "organiser", "folder", "status")
# The one-page PDF shows the fullest of these that fits one page at a readable size (7.5 to
# 8 pt): a table of every seat with its MP, councils, event and folder (about 55 seats), every
# seat and its MP in two columns (about 130), or a summary by region (any run, all 650 seats).
# index.csv always lists every seat with everything. Lists longer than this are not tried.
INDEX_LAYOUTS = ("table", "list", "regions")
INDEX_LIST_LIMIT = 140


def index_rows(engine, entries: list[SeatEvent], failed: dict[str, str],
               today: dt.date) -> list[dict[str, str]]:
    """One row per seat of the run (in the run's order), with where its kit is, or why
    there is none."""
    rows = []
    for entry in entries:
        if not entry.code:
            continue  # a row that named no seat: errors.csv has it
        seat = engine.places.constituency(entry.code)
        reason = failed.get(entry.code) or (csv_words(entry.problem) if entry.problem else "")
        try:
            event = event_from(entry.details, today)
        except CampaignKitError:  # the job failed on it: errors.csv says why
            event = Event(None, None, "", "", "")
        rows.append({
            "seat": seat.name, "ons_code": seat.code, "region": seat.region,
            "mp": seat.mp.full_title, "party": seat.mp.party,
            "councils": "; ".join(c.display_name for c in seat.councils),
            "event_date": event.date.isoformat() if event.date else "",
            "event_time": event.time_text, "venue": event.venue,
            "organiser": event.host_name, "folder": safe_name(seat.name, "seat") + "/",
            "status": f"failed: {reason}" if reason else "made",
            "when": (f"{event.date.day} {event.date:%b %Y}"
                     + (f", {event.time_text}" if event.time else "")
                     if event.date else "to be agreed")})
    return rows


def region_title(region: str) -> str:
    """'the North East', 'London', 'Wales': a region as a sentence names it."""
    bare = ("London", "Wales", "Scotland", "Northern Ireland", "Yorkshire and The Humber")
    return region if region in bare else f"the {region}"


def write_index(engine, out_dir: Path, title: str, rows: list[dict[str, str]],
                today: dt.date) -> list[Path]:
    """index.csv (every seat) and index.pdf (one page: every seat, or a summary by region
    when there are too many to read on one page) in the run's folder."""
    return write_files(out_dir, [(f"{INDEX_STEM}.pdf", index_pdf(engine, title, rows, today)),
                                 (INDEX_CSV, index_csv(rows))], force=True)


def index_csv(rows: list[dict[str, str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(INDEX_COLUMNS)
    for row in rows:
        writer.writerow([csv_cell(row[c]) for c in INDEX_COLUMNS])
    return buf.getvalue().encode("utf-8-sig")


def index_pdf(engine, title: str, rows: list[dict[str, str]], today: dt.date) -> bytes:
    """The fullest of INDEX_LAYOUTS that fits one page."""
    from ..writers import write

    regions: dict[str, dict[str, Any]] = {}
    for row in rows:
        r = regions.setdefault(row["region"], {"region": row["region"], "seats": 0,
                                               "made": 0, "failed": 0})
        r["seats"] += 1
        r["made" if row["status"] == "made" else "failed"] += 1
    base = {"heading": title, "rows": rows,
            "regions": sorted(regions.values(), key=lambda r: r["region"]),
            "made": sum(r["status"] == "made" for r in rows),
            "failed": sum(r["status"] != "made" for r in rows),
            "today": f"{today.day} {today:%B %Y}", "brand": engine.campaign.brand,
            "campaign": engine.campaign.info}
    layouts = INDEX_LAYOUTS if len(rows) <= INDEX_LIST_LIMIT else INDEX_LAYOUTS[-1:]
    for layout in layouts:
        doc = engine.render("kit/index.md.j2", {**base, "layout": layout}, "index",
                            engine.campaign.brand.organisation, today, max_pages=1)
        pdf = write("pdf", doc, engine.assets)
        if layout == layouts[-1] or _pages(pdf) == 1:
            break
    return pdf


def _pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)
