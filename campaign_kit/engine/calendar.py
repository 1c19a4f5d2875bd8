"""A calendar invitation (.ics, RFC 5545) for an event, in Europe/London time.

Built with the icalendar library, with its VTIMEZONE (so the MP's office calendar shows the
right hour whichever side of a BST/GMT change the event falls). The bytes are reproducible:
the UID is derived from the event's details and DTSTAMP from the document's date, never the
clock.
"""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

TZID = "Europe/London"
PRODID = "-//campaign-kit//roundtable pack//EN"
# UIDs are UUIDs (RFC 7986 advises them) made from the event's details in this namespace
UID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://campaign-kit.invalid/event")


def event_ics(summary: str, date: dt.date, time: dt.time, minutes: int, *, stamp: dt.date,
              description: str = "", location: str = "", organiser_name: str = "",
              organiser_email: str = "") -> bytes:
    """The event as an .ics file: starts at `time` on `date` in UK local time and lasts
    `minutes`. `stamp` (the document's date) becomes DTSTAMP. An organiser email makes an
    ORGANIZER (with the name as CN); a name alone goes in CONTACT. Raises ValueError for a
    time the clocks skip (the hour lost when BST starts) or a length that is not positive."""
    from icalendar import Calendar, Event, Timezone, vCalAddress, vText

    if minutes <= 0:
        raise ValueError(f"an event lasts a positive number of minutes, not {minutes}")
    london = ZoneInfo(TZID)
    start = dt.datetime.combine(date, time, tzinfo=london)
    if start.astimezone(dt.UTC).astimezone(london).replace(tzinfo=None) != \
            start.replace(tzinfo=None):
        raise ValueError(f"{time:%H:%M} on {date.isoformat()} does not exist in the UK "
                         "(the clocks go forward that night)")
    end = (start.astimezone(dt.UTC) + dt.timedelta(minutes=minutes)).astimezone(london)
    email = organiser_email.strip()
    name = " ".join(organiser_name.split())
    seed = "|".join([" ".join(summary.split()), start.isoformat(), " ".join(location.split()),
                     email.lower()])

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # the zone's rules from the start of the event's year to the end of the next
    cal.add_component(Timezone.from_tzid(TZID, first_date=dt.date(date.year, 1, 1),
                                         last_date=dt.date(date.year + 2, 1, 1)))
    event = Event()
    event.add("uid", str(uuid.uuid5(UID_NAMESPACE, seed)))
    event.add("dtstamp", dt.datetime.combine(stamp, dt.time(0, 0), tzinfo=dt.UTC))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", " ".join(summary.split()))
    if description.strip():
        event.add("description", description.strip())
    if location.strip():
        event.add("location", " ".join(location.split()))
    if email:
        organiser = vCalAddress(f"mailto:{email}")
        if name:
            organiser.params["cn"] = vText(name)
        event.add("organizer", organiser)
    if name:
        event.add("contact", f"{name} <{email}>" if email else name)
    event.add("sequence", 0)
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    cal.add_component(event)
    return cal.to_ical()
