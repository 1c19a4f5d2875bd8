"""The roundtable pack: an event's plan (agenda timings, preparation dates) and its documents."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .campaign import Ask
from .document import Document
from .errors import InputProblem
from .formatting import british_date
from .kits import Kit, write_documents
from .localdata.facts import seat_picture
from .localdata.model import Constituency
from .outputs import safe_name

EVENT_MINUTES = 90
# (item, lead, minutes); the discussion of the asks shares what is left of the 90 minutes.
OPENING = (("Welcome, introductions and purpose", "Chair", 10),
           ("The local picture: our council's figures", "Data lead", 10),
           ("Stories from local schools", "Storytellers", 15))
CLOSING = (("The MP's response and questions", "MP, chair", 10),
           ("Commitments and next steps", "Chair, follow-up owner", 10))
PREPARATION = (  # days before the event, task
    (42, "Send the invitation letter to the MP's constituency office and agree the date."),
    (28, "Invite members who live or work in the seat, parents' groups and local SEND services."),
    (21, "Give out the roles: chair, storytellers, data lead, note-taker, follow-up owner."),
    (14, "Collect two or three school stories (no details that could identify a pupil)."),
    (7, "Send the briefing to the MP's office; confirm the venue, access needs and timings."),
    (2, "Print the briefing, the agenda and the sign-in sheets; brief the chair."),
    (-1, "Send the follow-up letter with the commitments the MP made; tell your branch."),
)
PACK_DOCUMENTS = (  # (template, kind, file-name part)
    ("roundtable/guide.md.j2", "guide", "guide"),
    ("roundtable/briefing.md.j2", "briefing", "briefing"),
    ("roundtable/invitation.md.j2", "letter", "invitation"),
    ("roundtable/follow-up.md.j2", "letter", "follow-up"),
    ("roundtable/sign-in.md.j2", "form", "sign-in-and-notes"),
)


@dataclass(frozen=True)
class AgendaItem:
    start: str
    end: str
    minutes: int
    item: str
    lead: str


@dataclass(frozen=True)
class Event:
    date: dt.date | None
    time: dt.time | None
    venue: str
    host_name: str
    host_role: str
    minutes: int = EVENT_MINUTES

    @property
    def date_text(self) -> str:
        return british_date(self.date) if self.date else ""

    @property
    def time_text(self) -> str:
        return self.time.strftime("%H:%M") if self.time else ""


def parse_event(date: str | None, time: str | None, venue: str | None, host_name: str | None,
                host_role: str | None, today: dt.date) -> tuple[Event, list[str]]:
    notes = []
    day = clock = None
    if date:
        try:
            day = dt.date.fromisoformat(date)
        except ValueError:
            raise InputProblem(f"--date {date} is not a real date (use YYYY-MM-DD, "
                               "e.g. 2027-02-10)") from None
        if day < today:
            notes.append(f"the date {british_date(day)} is in the past")
    if time:
        try:
            clock = dt.datetime.strptime(time, "%H:%M").time()
        except ValueError:
            raise InputProblem(f"--time {time} is not a time of day (use HH:MM, "
                               "e.g. 16:30)") from None
    if not host_name:
        notes.append("no --host-name: the invitation and follow-up letters leave a line "
                     "for the organiser's name and signature")
    clean = lambda s: " ".join((s or "").split())  # noqa: E731
    return Event(day, clock, clean(venue), clean(host_name), clean(host_role)), notes


def agenda(event: Event, asks: list[Ask]) -> list[AgendaItem]:
    """Timed agenda: fixed items plus an equal share of the rest for each ask; sums to length."""
    fixed = sum(m for _, _, m in OPENING + CLOSING)
    share, spare = divmod(event.minutes - fixed, len(asks))
    items = list(OPENING) + [(f"Discussion: {a.title}", "Chair, all", share + (i < spare))
                             for i, a in enumerate(asks)] + list(CLOSING)
    out, elapsed = [], 0
    for item, lead, minutes in items:
        out.append(AgendaItem(_at(event, elapsed), _at(event, elapsed + minutes), minutes,
                              item, lead))
        elapsed += minutes
    return out


def _at(event: Event, minutes: int) -> str:
    """Clock time `minutes` into the event, or '+N min' when no start time was given."""
    if event.time is None:
        return f"+{minutes} min"
    start = dt.datetime.combine(dt.date(2000, 1, 1), event.time)
    return (start + dt.timedelta(minutes=minutes)).strftime("%H:%M")


def preparation(event: Event) -> list[tuple[str, str]]:
    """Checklist with dates counted back from the event (or 'n weeks before' with no date)."""
    rows = []
    for days, task in PREPARATION:
        if event.date:
            when = british_date(event.date - dt.timedelta(days=days))
        elif days < 0:
            when = "The day after"
        else:
            when = f"{days // 7} weeks before" if days >= 7 else f"{days} days before"
        rows.append((when, task))
    return rows


def roundtable_documents(kit: Kit, seat: Constituency, event: Event,
                         ask_ids: list[str] | None,
                         today: dt.date) -> tuple[list[tuple[Document, str]], list[str]]:
    """The five documents of a pack, each with its file-name part, and notes for the user."""
    asks = kit.campaign.choose_asks(ask_ids)
    picture = seat_picture(kit.places, seat)
    notes = [] if seat.in_england else [
        picture["note"] + " The pack leaves out the English SEND statistics."]
    context = {"seat": picture, "asks": asks, "campaign": kit.campaign.info, "event": event,
               "agenda": agenda(event, asks), "preparation": preparation(event),
               "today": british_date(today)}
    author = event.host_name or str(kit.campaign.info.get("union", "campaign-kit"))
    docs = [(kit.render(template, context, kind, author, event.date or today,
                        keywords=("SEND", seat.name, "roundtable")), part)
            for template, kind, part in PACK_DOCUMENTS]
    return docs, notes


def pack_folder(seat: Constituency) -> str:
    return f"roundtable-{safe_name(seat.name, 'seat')}"


def roundtable_pack(kit: Kit, seat: Constituency, event: Event, ask_ids: list[str] | None,
                    formats: list[str], out_dir: Path, force: bool,
                    today: dt.date) -> tuple[list[Path], list[str]]:
    """Write the five documents of a pack into out_dir/roundtable-<seat>/."""
    docs, notes = roundtable_documents(kit, seat, event, ask_ids, today)
    return write_documents(kit, docs, formats, out_dir / pack_folder(seat), force), notes
