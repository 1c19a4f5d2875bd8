"""What a person types in the place box, as a seat (or council) or a list to choose from.

The web form never guesses: when a postcode or name fits more than one seat (a postcode in
a ward split between seats, a council's name, a postcode district), the page lists the
lookup's candidates as radio buttons, with each seat's MP and share, and the person picks
one. Even a single candidate is shown to confirm when the lookup is not certain.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import NotFound
from ..localdata.lookup import Places
from ..localdata.model import Constituency, Council
from ..localdata.names import GSS_CODE_RE
from ..localdata.resolve import share_text


@dataclass(frozen=True)
class Choice:
    """One candidate, as the page shows it: a radio button's value and its words."""

    code: str
    name: str
    mp: str = ""
    party: str = ""
    share: str = ""  # "43% of the postcodes", or "" when no share is known


@dataclass(frozen=True)
class Found:
    """A seat (or council) when the query is certain, else the choices; never both."""

    seat: Constituency | None = None
    council: Council | None = None
    choices: tuple[Choice, ...] = ()
    message: str = ""  # how the lookup read the query ("SO14 0GE is in its ward ...")
    note: str | None = None  # a caution worth showing (a terminated postcode, an old name)


def resolve(places: Places, query: str) -> Found:
    """The seat for a postcode, an ONS code or a name, or the seats it could be.

    Raises NotFound (with a message for people) when it is none."""
    match = places.resolve(query)
    if match.seat is not None:
        return Found(seat=places.constituency(match.seat), note=match.note)
    seats = tuple(_choice(c) for c in match.candidates if c.kind == "seat")
    if not seats:
        raise NotFound(match.message)
    return Found(choices=seats, message=match.message)


def resolve_council(places: Places, query: str) -> Found:
    """The council (upper tier, the one that runs SEND) for a name or code, or the councils
    it could be."""
    try:
        return Found(council=places.council(query))
    except NotFound as exc:
        candidates = getattr(exc, "candidates", ())  # localdata's Ambiguous carries them
        if not candidates:
            raise
        return Found(choices=tuple(_choice(c) for c in candidates),
                     message=getattr(exc, "summary", str(exc)))


def seat_by_code(places: Places, code: str) -> Constituency:
    """The seat a person picked from the list (a radio button's value)."""
    if not GSS_CODE_RE.match(code or ""):
        raise NotFound("choose a constituency from the list")
    return places.constituency(code)


def council_by_code(places: Places, code: str) -> Council:
    """The council a person picked from the list."""
    return places.council_by_code(code or "")


def _choice(candidate) -> Choice:
    share = share_text(candidate.share)
    of = {"postcodes": "of the postcodes", "people": "of the people"}.get(candidate.basis, "")
    return Choice(candidate.code, candidate.name, candidate.mp, candidate.party,
                  f"{share} {of}".strip() if share else "")
