"""A roundtable's plan: its agenda timings and its preparation dates, from the campaign's
`roundtable:` settings. The event itself is a request (requests.Event), checked by rules.py;
the pack's documents are declared with the other kinds in kinds.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..content.campaign import Ask, Campaign
from ..errors import TemplateProblem
from ..render.formatting import british_date
from ..render.words import plural
from .requests import EVENT_MINUTES, Event


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


def agenda(event: Event, asks: list[Ask], plan: Plan) -> list[AgendaItem]:
    """Timed agenda: fixed items plus an equal share of the rest for each ask; sums to length."""
    fixed = sum(m for _, _, m in plan.opening + plan.closing)
    # no asks (a nation the campaign makes none for): one open discussion takes the time
    topics = [a.title for a in asks] or ["what pupils and schools here need"]
    minutes = discussion_minutes(event.minutes - fixed, len(topics))
    items = list(plan.opening) + [(f"Discussion: {t}", "Chair, all", m)
                                  for t, m in zip(topics, minutes, strict=True)] \
        + list(plan.closing)
    out, elapsed = [], 0
    for item, lead, minutes in items:
        out.append(AgendaItem(_at(event, elapsed), _at(event, elapsed + minutes), minutes,
                              item, lead))
        elapsed += minutes
    return out


def discussion_minutes(minutes: int, count: int) -> list[int]:
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
