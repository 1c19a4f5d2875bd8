"""What a person asks the engine for: a document kind's request, with the member and the
area it is about. Plain data, checked at the edge (rules.py) so the engine trusts it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..errors import InputProblem
from ..localdata.lookup import Places
from ..localdata.model import Constituency, Council
from .roundtable import Event
from .rules import FIELDS, address_lines, clean

MAX_STORY_CHARS = FIELDS["story"].limit


@dataclass(frozen=True)
class Member:
    name: str
    address_lines: tuple[str, ...] = ()
    role: str = ""
    school: str = ""
    story: str = ""
    template: bool = False  # a template letter to fill in: marks the space for a story

    @classmethod
    def from_fields(cls, name: str | None, address: str | None = None, role: str | None = None,
                    school: str | None = None, story: str | None = None) -> Member:
        """Validated at the edge (inputs.clean): a name is required, every field is normalised
        and has a sensible length."""
        name = clean(name, "name")
        if not name:
            raise InputProblem("a name is required (the letter is signed with it)")
        return cls(name, address_lines(address), clean(role, "role"), clean(school, "school"),
                   clean(story, "story"))


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
    ask_ids: list[str] | None = None
    today: dt.date | None = None  # the day it is made (the roundtable dates its invitation)
    council: str | None = None  # the member's own council, where the seat spans several
