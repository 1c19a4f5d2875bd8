"""Finding a place for a front end that shows choices (the web app): what a person typed, as
a seat or a council when it is certain, else the candidates to choose from, with the facts a
page needs to say why (how it was matched, the ward a postcode is in and the share of its
postcodes in each seat, close spellings). Never a guess: a single candidate that is not
certain is still a choice.

It reads the engine's loaded places, so a front end never opens the place store or reads
localdata's records itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import NotFound
from ..localdata.lookup import Places
from ..localdata.model import Constituency, Council
from ..localdata.names import GSS_CODE_RE
from .rules import clean


@dataclass(frozen=True)
class Choice:
    """One candidate: a seat (or a council) with its MP and the share of the area in it."""

    code: str
    name: str
    mp: str = ""
    party: str = ""
    share: float | None = None  # per cent of `basis` in this seat
    basis: str = ""  # what the share counts: "postcodes", "people", "" (none known)
    councils: tuple[str, ...] = ()  # the councils a seat spans, by the names people say


@dataclass(frozen=True)
class Found:
    """A seat or council when the query is certain, else the choices (never both); when
    neither, `suggestions` may hold close spellings of real names."""

    query: str
    how: str  # how it was matched: postcode, postcode sector, council, Northern Ireland ...
    message: str  # the library's neutral one-line account (it may name codes)
    seat: Constituency | None = None
    council: Council | None = None
    choices: tuple[Choice, ...] = ()
    suggestions: tuple[str, ...] = ()
    note: str | None = None  # a caution worth showing with a certain answer
    postcode: str | None = None  # the query as a postcode, when it was one
    ward: str = ""  # the ward a postcode is in, by name, when the ward is split
    area: str = ""  # the council or district the query named, when it named one
    area_code: str = ""  # that council's code, when a deck may cover the whole of it

    @property
    def certain(self) -> bool:
        return self.seat is not None or self.council is not None


def find_seat(places: Places, query: str) -> Found:
    """The seat for a postcode, a code or a name, or the seats it could be. The query is
    checked by the input rules first (rules.clean: length, control characters)."""
    text = clean(query, "place")
    try:
        match = places.resolve(text)
    except NotFound as exc:  # not a query at all (no letters or digits, a control character)
        return Found(text, "none", exc.note.text)
    if match.seat is not None:
        return Found(text, match.how, match.message, seat=places.constituency(match.seat),
                     note=match.note, postcode=match.postcode)
    seats = tuple(_choice(places, c) for c in match.candidates if c.kind == "seat")
    area, area_code = "", ""
    if match.how in ("council", "district"):
        area, area_code = _area_of(places, text)
    return Found(text, match.how, match.message, choices=seats,
                 suggestions=tuple(match.suggestions), postcode=match.postcode,
                 ward=str(match.extra.get("ward_name") or ""), area=area, area_code=area_code)


def find_council(places: Places, query: str) -> Found:
    """The council (the one that runs SEND) for a name or code, or the councils it could
    be."""
    text = clean(query, "council")
    try:
        council = places.council(text)
    except NotFound as exc:
        candidates = getattr(exc, "candidates", ())  # localdata's Ambiguous carries them
        if not candidates:
            return Found(text, "none", exc.note.text)
        return Found(text, "council", getattr(exc, "summary", exc.note.text),
                     choices=tuple(_choice(places, c) for c in candidates))
    return Found(text, "council", council.display_name, council=council)


def seat_by_code(places: Places, code: str) -> Constituency:
    """A seat picked from a list (a radio button's value): its ONS code, or NotFound."""
    if not GSS_CODE_RE.match(code or "") or code not in set(places.seat_codes()):
        raise NotFound("choose a constituency from the list")
    return places.constituency(code)


def council_by_code(places: Places, code: str) -> Council:
    """A council picked from a list: its code, or NotFound."""
    return places.council_by_code(code or "")


def _area_of(places: Places, text: str) -> tuple[str, str]:
    """The council a query names, when it names exactly one (for a deck of all of it)."""
    try:
        council = places.council(text)
    except NotFound:
        return "", ""
    return council.display_name, council.code


def _choice(places: Places, candidate) -> Choice:
    councils: tuple[str, ...] = ()
    if candidate.kind == "seat":
        councils = tuple(c.display_name for c in places.constituency(candidate.code).councils)
    return Choice(candidate.code, candidate.name, candidate.mp, candidate.party,
                  candidate.share, candidate.basis, councils)
