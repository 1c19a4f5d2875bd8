"""A kit run for many seats: each seat's event, from the command line once or from an
events CSV row by row, and the index of what was made.

The events CSV is read like a members' CSV (csvread: Excel's encodings and delimiters, one
bad row never stops the rest) and every cell goes through inputs.clean. A row that cannot be
used (a place that is not one seat, an impossible date, an email that is not one, an ask
that does not exist, a seat given twice) becomes a job that fails with its reason, so it
lands in errors.csv with its row number while every good row is made.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..engine.roundtable import Event, parse_event
from ..engine.rules import clean, one_line
from ..errors import Ambiguous, CampaignKitError, InputProblem
from .outputs import csv_cell, safe_name

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
EVENT_FIELDS = ("date", "time", "venue", "host_name", "host_role", "host_email", "host_phone")
CSV_NAMES = {"date": "the date", "time": "the time", "host_email": "the email",
             "host_phone": "the phone number"}  # how a row's errors name its cells


@dataclass(frozen=True)
class SeatEvent:
    """One seat of a run and its event details as typed (strings, checked), or why the row
    that named it cannot be used."""

    row: int  # the CSV's row number, or the seat's place in the run
    label: str  # how errors.csv names it: the seat, or what the row gave
    code: str = ""  # the seat's ONS code; "" when the row's place is not one seat
    details: dict[str, str] = field(default_factory=dict)  # EVENT_FIELDS and "asks"
    problem: str = ""
    notes: tuple[str, ...] = ()  # worth a look, the row is used (a Saturday, 23:30)


def seat_events(kit, given: dict[str, str], today: dt.date, *, seat=None,
                region: str | None = None, every: bool = False,
                events_csv: Path | None = None) -> tuple[list[SeatEvent], str]:
    """The seats a kit run covers, each with its event, and the title of its index: one
    seat, a region's, every seat (with the same details), or an events CSV's rows."""
    if events_csv:
        return (read_events(kit, events_csv, given, today),
                f"Kits for the seats in {events_csv.name}")
    if seat:
        seats, title = [seat], f"Kit for {seat.name}"
    else:
        from ..localdata.names import normalise_name

        seats, title = kit.places.all_constituencies(), "Kits for every seat"
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


def make_kits(kit, sources, entries: list[SeatEvent], title: str, today: dt.date,
              out_dir: Path, workers: int, force: bool, index: bool,
              say=print) -> tuple[Any, list[Path]]:
    """Each seat's kit in worker processes (a row that failed before any work fails its own
    job), then, with `index`, index.csv and index.pdf of every seat and where its kit is.
    Returns the batch summary and the index's paths."""
    from . import batch

    inputs = sources.fingerprint(today)
    job_list = [batch.Job(f"row-{e.row:05d}" if e.problem else e.code, e.label, e.row,
                          {"code": e.code, "event": e.details},
                          batch.fingerprint(e.code, e.details, inputs), e.problem)
                for e in entries]
    summary = batch.run_jobs("kit", job_list, sources.settings(out_dir, today), out_dir,
                             workers, force, "Kits")
    say(batch.describe(summary, "kits", out_dir))
    paths: list[Path] = []
    if index and not summary.interrupted:
        failed = {r.job.payload["code"]: r.error for r in summary.failed if r.job.payload["code"]}
        rows = index_rows(kit, entries, failed)
        if rows:
            paths = write_index(kit, out_dir, title, rows, today)
    return summary, paths


def check_details(kit, details: dict[str, str], today: dt.date,
                  names: dict[str, str] | None = None) -> tuple[Event, list[str]]:
    """The event a row's (or the command line's) details make, checked as `roundtable`
    checks them; the asks must be the campaign's. Raises InputProblem or TemplateProblem."""
    event, notes = parse_event(details.get("date") or None, details.get("time") or None,
                               details.get("venue"), details.get("host_name"),
                               details.get("host_role"), today, details.get("host_email"),
                               details.get("host_phone"), **({"names": names} if names else {}))
    ids = ask_ids(details.get("asks"))
    if ids:
        kit.campaign.choose_asks(ids)  # an unknown id names the valid ones
    # the organiser notes name command-line options; a kit's marked spaces say it all
    return event, [n for n in notes if not n.startswith("no --host")]


def ask_ids(text: str | None) -> list[str] | None:
    ids = [a.strip() for a in re.split(r"[;,]", text or "") if a.strip()]
    return ids or None


def read_events(kit, path: Path, defaults: dict[str, str], today: dt.date) -> list[SeatEvent]:
    """Each row of an events CSV as a seat and its event. `defaults` (the command line's
    --date, --host-name ...) fill the cells a row leaves empty. A missing place column is an
    error before any work; everything else fails its own row."""
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
            seat = _seat(kit, typed.get("constituency"), typed.get("postcode"))
            label = seat.name
            if seat.code in seen:
                raise InputProblem(f"{seat.name} already has its event on row {seen[seat.code]}"
                                   " (one event per seat: one folder per seat)")
            code = seat.code  # a row failing from here on is the seat's, in the index too
            seen[seat.code] = raw.number
            _, notes = check_details(kit, details, today, CSV_NAMES)
        except CampaignKitError as exc:
            out.append(SeatEvent(raw.number, label, code, problem=one_line(str(exc))))
            continue
        out.append(SeatEvent(raw.number, label, seat.code, details,
                             notes=tuple(f"row {raw.number} ({seat.name}): {n}" for n in notes)
                             + ((f"{raw.note}",) if raw.note else ())))
    return out


def _seat(kit, constituency: str | None, postcode: str | None):
    """The one seat a row's place names; several candidates are an error listing them."""
    if not (constituency or postcode):
        raise InputProblem("no seat or postcode given")
    try:
        seat, _ = kit.places.locate(constituency or None, postcode or None)
    except Ambiguous as exc:
        raise Ambiguous(exc.summary, exc.candidates,
                        "put one of them in the seat column (its name or ONS code)") from None
    return seat


def event_from(details: dict[str, str], today: dt.date) -> Event:
    """The Event a job's checked details make (in a worker: the reader checked them)."""
    event, _ = parse_event(details.get("date") or None, details.get("time") or None,
                           details.get("venue"), details.get("host_name"),
                           details.get("host_role"), today, details.get("host_email"),
                           details.get("host_phone"))
    return event


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


def index_rows(kit, entries: list[SeatEvent], failed: dict[str, str]) -> list[dict[str, str]]:
    """One row per seat of the run (in the run's order), with where its kit is, or why
    there is none."""
    rows = []
    for entry in entries:
        if not entry.code:
            continue  # a row that named no seat: errors.csv has it
        seat = kit.places.constituency(entry.code)
        reason = failed.get(entry.code, entry.problem)
        try:
            event = event_from(entry.details, dt.date.today())
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


def write_index(kit, out_dir: Path, title: str, rows: list[dict[str, str]],
                today: dt.date) -> list[Path]:
    """index.csv (every seat) and index.pdf (one page: every seat, or a summary by region
    when there are too many to read on one page) in the run's folder."""
    from ..engine.engine import render_formats

    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(INDEX_COLUMNS)
    for row in rows:
        writer.writerow([csv_cell(row[c]) for c in INDEX_COLUMNS])
    regions: dict[str, dict[str, Any]] = {}
    for row in rows:
        r = regions.setdefault(row["region"], {"region": row["region"], "seats": 0,
                                               "made": 0, "failed": 0})
        r["seats"] += 1
        r["made" if row["status"] == "made" else "failed"] += 1
    from ..writers import write as write_format

    base = {"heading": title, "rows": rows,
            "regions": sorted(regions.values(), key=lambda r: r["region"]),
            "made": sum(r["status"] == "made" for r in rows),
            "failed": sum(r["status"] != "made" for r in rows),
            "today": f"{today.day} {today:%B %Y}", "brand": kit.campaign.brand,
            "campaign": kit.campaign.info}
    layouts = INDEX_LAYOUTS if len(rows) <= INDEX_LIST_LIMIT else INDEX_LAYOUTS[-1:]
    for layout in layouts:  # the fullest that fits one page
        doc = kit.render("kit/index.md.j2", {**base, "layout": layout}, "index",
                         kit.campaign.brand.organisation, today, max_pages=1)
        pdf = write_format("pdf", doc, kit.assets)
        if layout == layouts[-1] or _pages(pdf) == 1:
            break
    paths, _ = render_formats(kit, [], ["pdf"], out_dir, True,
                              [(f"{INDEX_STEM}.pdf", pdf),
                               (INDEX_CSV, buf.getvalue().encode("utf-8-sig"))])
    return paths


def _pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)
