"""What a person asks the engine for: a document kind's request, with the member, the event
and the area it is about. Plain data, built and checked at the edge by rules.py, so the
engine trusts it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..localdata.lookup import Places
from ..localdata.model import Constituency, Council
from ..render.formatting import british_date

EVENT_MINUTES = 90


@dataclass(frozen=True)
class Member:
    """The member a letter is from: checked by rules.member (a name is required, every field
    normalised and of a sensible length)."""

    name: str
    address_lines: tuple[str, ...] = ()
    role: str = ""
    school: str = ""
    story: str = ""
    template: bool = False  # a template letter to fill in: marks the space for a story


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


@dataclass(frozen=True)
class Area:
    """What a deck covers: one seat, or one council and every seat it spans."""

    name: str
    nation: str
    councils: tuple[Council, ...]
    seats: tuple[Constituency, ...]

    @property
    def in_england(self) -> bool:
        return self.nation == "England"

    @classmethod
    def of_seat(cls, seat: Constituency) -> Area:
        return cls(seat.name, seat.nation, seat.councils, (seat,))

    @classmethod
    def of_council(cls, places: Places, council: Council) -> Area:
        seats = tuple(places.seats_for_council(council))
        return cls(council.display_name, council.nation, (council,), seats)


@dataclass(frozen=True)
class Request:
    """What a person asked for. Which fields a kind needs is its `needs`."""

    date: dt.date
    seat: Constituency | None = None
    area: Area | None = None
    member: Member | None = None
    event: Event | None = None
    ask_ids: tuple[str, ...] | None = None
    today: dt.date | None = None  # the day it is made (the roundtable dates its invitation)
    council: str | None = None  # the member's own council, where the seat spans several
    # the member's postcode, when they gave one: with no council named, it says which of a
    # seat's councils is theirs (localdata Places.council_of_postcode)
    postcode: str | None = None
    # the file name (stem) of a one-document kind, where its own would clash (a batch of
    # letters from two members of the same name) or say less (a kit's template letter)
    stem: str = ""
    # a letter's short form, for an email link that must stay short: the member's own words
    # and asks without the local figures (a front end says so, and offers the full letter)
    brief: bool = False

