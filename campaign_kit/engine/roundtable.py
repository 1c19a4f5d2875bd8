"""A roundtable's plan: the event, its agenda timings and its preparation dates.

The pack's documents are declared with the other kinds in kinds.py."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..content.campaign import Ask, Campaign
from ..errors import InputProblem, TemplateProblem
from ..render.formatting import british_date
from ..render.words import plural
from .rules import check_date, clean

EVENT_MINUTES = 90


@dataclass(frozen=True)
class Plan:
    """How a campaign runs a roundtable (content/defaults.yaml, campaign.yaml `roundtable:`):
    fixed agenda items around the discussion of the asks, and the preparation checklist."""

    minutes: int
    opening: tuple[tuple[str, str, int], ...]  # (item, lead, minutes)
    closing: tuple[tuple[str, str, int], ...]
    preparation: tuple[tuple[int, str], ...]  # (days before the event, task); -1: the day after


def plan_from(campaign: Campaign) -> Plan:
    """The campaign's roundtable plan, checked: a mistake names the setting and the file."""
    raw = campaign.info.get("roundtable") or {}
    where = f"{campaign.files.get('campaign.yaml', 'campaign.yaml')} (roundtable)"

    def items(key: str) -> tuple[tuple[str, str, int], ...]:
        value = (raw.get("agenda") or {}).get(key) or []
        out = []
        for entry in value:
            if not (isinstance(entry, dict) and isinstance(entry.get("item"), str)
                    and isinstance(entry.get("lead"), str)
                    and isinstance(entry.get("minutes"), int) and entry["minutes"] > 0):
                raise TemplateProblem(f"{where}: each agenda.{key} entry needs item, lead and "
                                      "minutes (a whole number above 0)")
            out.append((entry["item"], entry["lead"], entry["minutes"]))
        return tuple(out)

    minutes = raw.get("minutes", EVENT_MINUTES)
    opening, closing = items("opening"), items("closing")
    fixed = sum(m for *_, m in opening + closing)
    if not isinstance(minutes, int) or not 30 <= minutes <= 240 or fixed >= minutes - 5:
        raise TemplateProblem(f"{where}: minutes should be 30 to 240 and leave at least 5 "
                              f"minutes after the fixed agenda items ({fixed} minutes)")
    steps = []
    for entry in raw.get("preparation") or []:
        if not (isinstance(entry, dict) and isinstance(entry.get("task"), str)
                and isinstance(entry.get("days_before"), int)
                and -14 <= entry["days_before"] <= 180):
            raise TemplateProblem(f"{where}: each preparation entry needs task and "
                                  "days_before (-14 to 180; -1 is the day after)")
        steps.append((entry["days_before"], " ".join(entry["task"].split())))
    return Plan(minutes, opening, closing, tuple(sorted(steps, key=lambda s: -s[0])))


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
    minutes: int = EVENT_MINUTES  # the plan's length replaces it when the pack is made
    host_email: str = ""  # how the MP's office replies to the organiser
    host_phone: str = ""

    @property
    def date_text(self) -> str:
        return british_date(self.date) if self.date else ""

    @property
    def time_text(self) -> str:
        return self.time.strftime("%H:%M") if self.time else ""

    @property
    def long_date(self) -> str:
        """'Wednesday 10 February 2027', as an invitation gives it."""
        return f"{self.date:%A} {british_date(self.date)}" if self.date else ""

    @property
    def end_text(self) -> str:
        """When the event ends (start plus its length), HH:MM."""
        if self.time is None:
            return ""
        start = dt.datetime.combine(dt.date(2000, 1, 1), self.time)
        return (start + dt.timedelta(minutes=self.minutes)).strftime("%H:%M")


DATE_FORMS = "YYYY-MM-DD or DD/MM/YYYY, day first as in the UK, e.g. 2027-02-10 or 10/02/2027"
EARLIEST, LATEST = dt.time(7, 0), dt.time(21, 0)  # outside these a start time is warned


def parse_date(text: str, option: str = "--date") -> dt.date:
    """A date as 2027-02-10 or 10/02/2027 (UK order: day, month, year); anything else, or a
    day that does not exist, is a one-line error saying which forms work."""
    text = text.strip()
    uk = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    try:
        if uk:
            day, month, year = (int(g) for g in uk.groups())
            return dt.date(year, month, day)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise InputProblem(f"{option} {text} is not a real date (use {DATE_FORMS})")


def parse_time(text: str, option: str = "--time") -> dt.time:
    """A 24-hour time of day, HH:MM (9:30 is read as 09:30)."""
    text = text.strip()
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text)
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return dt.time(int(match[1]), int(match[2]))
    raise InputProblem(f"{option} {text} is not a time of day (use the 24-hour clock, HH:MM, "
                       "e.g. 16:30)")


EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]{2,}")
PHONE_CHARACTERS = re.compile(r"[0-9 ()+\-]+")


def parse_email(text: str | None, option: str = "--host-email") -> str:
    """An email address as people type one (name@example.org); '' when none is given."""
    text = clean(text, "host_email", option)
    if not text:
        return ""
    if len(text) > 254 or not EMAIL.fullmatch(text) or ".." in text:
        raise InputProblem(f"{option} '{text}' does not look like an email address (e.g. "
                           "sam.patel@example.org)")
    return text


def parse_phone(text: str | None, option: str = "--host-phone") -> str:
    """A UK phone number as people write one: digits, spaces, brackets, hyphens and a leading
    +44; 10 or 11 digits after the 0 (or +44 and 9 or 10). Spaces are tidied, nothing else
    is changed. '' when none is given."""
    text = clean(text, "host_phone", option)
    if not text:
        return ""
    digits = re.sub(r"\D", "", text.replace("(0)", ""))
    national = digits[2:] if text.startswith("+44") else digits[1:] \
        if digits.startswith("0") else ""
    if not PHONE_CHARACTERS.fullmatch(text) or "+" in text[1:] or \
            (text.startswith("+") and not text.startswith("+44")) or not 9 <= len(national) <= 10:
        raise InputProblem(f"{option} '{text}' is not a UK phone number (digits and spaces, "
                           "e.g. 0191 498 0000 or +44 191 498 0000)")
    return text


CLI_NAMES = {"date": "--date", "time": "--time", "host_email": "--host-email",
             "host_phone": "--host-phone"}


def parse_event(date: str | None, time: str | None, venue: str | None, host_name: str | None,
                host_role: str | None, today: dt.date, host_email: str | None = None,
                host_phone: str | None = None,
                names: dict[str, str] = CLI_NAMES) -> tuple[Event, list[str]]:
    """The event from its options, and warnings worth a second look: a date in the past or at
    a weekend, a start time outside 07:00-21:00, no organiser or no way to reply. `names`:
    how messages name each field (the command's options, or a CSV's columns)."""
    notes = []
    email = parse_email(host_email, names["host_email"])
    phone = parse_phone(host_phone, names["host_phone"])
    day = clock = None
    if date:
        day = check_date(parse_date(date, names["date"]))
        if day < today:
            notes.append(f"the date {british_date(day)} is in the past")
        if day.weekday() >= 5:
            weekday = ("Saturday", "Sunday")[day.weekday() - 5]
            notes.append(f"{british_date(day)} is a {weekday}: schools and MPs' "
                         "offices are mostly closed at weekends; check the date (day first: "
                         f"{day.strftime('%d/%m/%Y')})")
    if time:
        clock = parse_time(time, names["time"])
        if not EARLIEST <= clock <= LATEST:
            notes.append(f"the start time {clock.strftime('%H:%M')} is outside "
                         f"{EARLIEST:%H:%M}-{LATEST:%H:%M}; check it (24-hour clock: "
                         "4 pm is 16:00)")
    if day and clock and not _exists(day, clock):
        raise InputProblem(f"{names['time']} {clock:%H:%M} does not exist on "
                           f"{british_date(day)} in the UK: the clocks go forward that night")
    if not (host_name or "").strip():
        notes.append("no --host-name: the invitation and follow-up letters leave a marked "
                     "space, [Organiser's name], to fill in before sending")
    if not email and not phone:
        notes.append("no --host-email or --host-phone: the invitation leaves marked spaces "
                     "for how the MP's office replies to the organiser")
    return Event(day, clock, clean(venue, "venue"), clean(host_name, "host_name"),
                 clean(host_role, "host_role"), host_email=email, host_phone=phone), notes


def _exists(day: dt.date, clock: dt.time) -> bool:
    """Whether a UK clock ever shows `clock` on `day` (not in the hour skipped in March)."""
    from zoneinfo import ZoneInfo

    london = ZoneInfo("Europe/London")
    local = dt.datetime.combine(day, clock, tzinfo=london)
    return local.astimezone(dt.UTC).astimezone(london).replace(tzinfo=None) == \
        local.replace(tzinfo=None)


def agenda(event: Event, asks: list[Ask], plan: Plan) -> list[AgendaItem]:
    """Timed agenda: fixed items plus an equal share of the rest for each ask; sums to length."""
    fixed = sum(m for _, _, m in plan.opening + plan.closing)
    # no asks (a nation the campaign makes none for): one open discussion takes the time
    topics = [a.title for a in asks] or ["what pupils and schools here need"]
    items = list(plan.opening) + [(f"Discussion: {t}", "Chair, all", m) for t, m in
                                  zip(topics, _shares(event.minutes - fixed, len(topics)),
                                      strict=True)] + list(plan.closing)
    out, elapsed = [], 0
    for item, lead, minutes in items:
        out.append(AgendaItem(_at(event, elapsed), _at(event, elapsed + minutes), minutes,
                              item, lead))
        elapsed += minutes
    return out


def _shares(minutes: int, count: int) -> list[int]:
    """`minutes` split between `count` discussions in whole five minutes where it can be (15,
    10, 10 rather than 12, 12, 11, so the agenda reads 16:35-16:50), the first ones longer;
    what is not a multiple of five goes to the last, so the earlier times stay round."""
    step = 5 if minutes >= 5 * count else 1
    shares = [minutes // count // step * step] * count
    chunks, rest = divmod(minutes - sum(shares), step)
    for i in range(chunks):
        shares[i] += step
    shares[-1] += rest
    return shares


def _at(event: Event, minutes: int) -> str:
    """Clock time `minutes` into the event, or '+N min' when no start time was given."""
    if event.time is None:
        return f"+{minutes} min"
    start = dt.datetime.combine(dt.date(2000, 1, 1), event.time)
    return (start + dt.timedelta(minutes=minutes)).strftime("%H:%M")


def preparation(event: Event, plan: Plan) -> list[tuple[str, str]]:
    """Checklist with dates counted back from the event (or 'n weeks before' with no date)."""
    rows = []
    for days, task in plan.preparation:
        if event.date:
            when = british_date(event.date - dt.timedelta(days=days))
        elif days < 0:
            when = "The day after"
        else:
            when = f"{plural(days // 7, 'week')} before" if days >= 7 else \
                f"{plural(days, 'day')} before"
        rows.append((when, task))
    return rows
