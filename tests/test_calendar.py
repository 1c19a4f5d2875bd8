"""The calendar invitation: an RFC 5545 .ics in Europe/London time, read back by icalendar's
parser and, for the time zone, by dateutil's independent VTIMEZONE reader."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaign_kit.engine.calendar import event_ics

UTC = dt.UTC


def make(day=dt.date(2027, 7, 9), at=dt.time(15, 0), minutes=90, **kw):
    args = {"stamp": dt.date(2027, 5, 1), "description": "A roundtable on SEND funding.",
            "location": "Cove Junior School, Farnborough", "organiser_name": "Sam Patel",
            "organiser_email": "sam.patel@example.org"} | kw
    return event_ics("Roundtable on SEND funding with Alex Baker MP", day, at, minutes, **args)


def parse(data: bytes):
    from icalendar import Calendar

    cal = Calendar.from_ical(data)
    (event,) = cal.walk("VEVENT")
    return cal, event


def unfold(data: bytes) -> list[str]:
    """Content lines by hand (RFC 5545 3.1): CRLF line ends, a leading space continues."""
    text = data.decode("utf-8")
    assert "\n" not in text.replace("\r\n", "")
    return text.replace("\r\n ", "").split("\r\n")


def dateutil_utc(data: bytes, prop: str) -> dt.datetime:
    """DTSTART/DTEND converted to UTC with the file's own VTIMEZONE, read by dateutil."""
    from dateutil import tz

    text = data.decode()
    zone = text[text.index("BEGIN:VTIMEZONE"):text.index("END:VTIMEZONE") + 13]
    london = tz.tzical(io.StringIO(zone)).get("Europe/London")
    line = next(ln for ln in unfold(data) if ln.startswith(prop + ";"))
    assert line.startswith(f"{prop};TZID=Europe/London:")
    local = dt.datetime.strptime(line.rsplit(":", 1)[1], "%Y%m%dT%H%M%S")
    return local.replace(tzinfo=london).astimezone(UTC)


@pytest.mark.parametrize("day, start_utc, end_utc", [
    (dt.date(2027, 7, 9), (14, 0), (15, 30)),  # BST: 15:00 local is 14:00 UTC
    (dt.date(2027, 1, 15), (15, 0), (16, 30)),  # GMT
    (dt.date(2027, 10, 29), (14, 0), (15, 30)),  # the Friday before the clocks go back
    (dt.date(2027, 11, 1), (15, 0), (16, 30)),  # the Monday after
    (dt.date(2028, 3, 24), (15, 0), (16, 30)),  # the Friday before they go forward, next year
    (dt.date(2028, 3, 27), (14, 0), (15, 30)),
])
def test_times_across_bst_and_gmt(day, start_utc, end_utc):
    data = make(day)
    cal, event = parse(data)
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert (start.hour, start.minute) == (15, 0) and str(start.tzinfo) == "Europe/London"
    want = dt.datetime.combine(day, dt.time(*start_utc), UTC)
    assert start.astimezone(UTC) == want
    assert end.astimezone(UTC) == dt.datetime.combine(day, dt.time(*end_utc), UTC)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    assert dateutil_utc(data, "DTSTART") == want  # the independent reading agrees
    assert dateutil_utc(data, "DTEND") == end.astimezone(UTC)


def test_event_fields_and_rfc5545_shape():
    data = make(description="Agenda: welcome; the figures, then stories.\nBring the briefing.")
    lines = unfold(data)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2:] == ["END:VCALENDAR", ""]
    assert "VERSION:2.0" in lines and any(ln.startswith("PRODID:") for ln in lines)
    assert all(len(raw.encode()) <= 75 for raw in data.decode().split("\r\n"))
    assert lines.index("BEGIN:VTIMEZONE") < lines.index("BEGIN:VEVENT")
    _, event = parse(data)
    assert str(event["summary"]) == "Roundtable on SEND funding with Alex Baker MP"
    assert str(event["description"]) == ("Agenda: welcome; the figures, then stories.\n"
                                         "Bring the briefing.")
    assert str(event["location"]) == "Cove Junior School, Farnborough"
    assert str(event["organizer"]) == "mailto:sam.patel@example.org"
    assert event["organizer"].params["CN"] == "Sam Patel"
    assert event.decoded("dtstamp") == dt.datetime(2027, 5, 1, tzinfo=UTC)
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
                        str(event["uid"]))


def test_organiser_name_without_email_is_a_contact():
    _, event = parse(make(organiser_email=""))
    assert "organizer" not in event and str(event["contact"]) == "Sam Patel"
    _, event = parse(make(organiser_email="", organiser_name=""))
    assert "organizer" not in event and "contact" not in event


def test_same_inputs_same_bytes_whatever_the_clock():
    assert make() == make()
    later = make(stamp=dt.date(2027, 6, 1))
    assert later != make() and parse(later)[1]["uid"] == parse(make())[1]["uid"]
    assert parse(make(dt.date(2027, 7, 16)))[1]["uid"] != parse(make())[1]["uid"]


def test_impossible_events_are_errors():
    with pytest.raises(ValueError, match="does not exist in the UK"):
        make(dt.date(2027, 3, 28), dt.time(1, 30))  # the hour the clocks skip
    with pytest.raises(ValueError, match="positive number of minutes"):
        make(minutes=0)


@pytest.mark.slow
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=200),
       st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=80))
def test_any_text_round_trips(description, location):
    """Commas, semicolons, backslashes and non-ASCII text come back as given."""
    _, event = parse(make(description=description, location=location))
    assert str(event.get("description", "")) == description.strip()
    assert str(event.get("location", "")) == " ".join(location.split())
