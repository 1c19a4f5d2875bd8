"""What a person types in the place box, as a seat (or council) or a list to choose from.

The web form never guesses: when a postcode or name fits more than one seat, the page lists
the candidates as radio buttons and the person picks one. `resolve` and `resolve_council`
are the only places the web app asks the place lookup anything, so the page does not depend
on how the lookup reports several matches.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import NotFound
from ..localdata.lookup import Places
from ..localdata.model import Constituency, Council
from ..localdata.names import GSS_CODE_RE, normalise_name


@dataclass(frozen=True)
class Choice:
    """One candidate, as the page shows it: a radio button's value and its words."""

    code: str
    name: str
    mp: str = ""
    party: str = ""
    share: str = ""  # "68% of the postcode's addresses", or "" when no share is known


@dataclass(frozen=True)
class Found:
    """A seat (or council) when the query is certain, else the choices; never both."""

    seat: Constituency | None = None
    council: Council | None = None
    choices: tuple[Choice, ...] = ()
    note: str | None = None  # a caution worth showing (a terminated postcode, an old name)


def _looks_like_postcode(text: str) -> bool:
    return any(ch.isdigit() for ch in text) and not GSS_CODE_RE.match(text.strip())


def resolve(places: Places, query: str) -> Found:
    """The seat for a postcode, an ONS code or a name, or the seats it could be.

    Raises NotFound (with a message for people) when it is none."""
    try:
        if _looks_like_postcode(query):
            seat, note = places.locate(postcode=query)
        else:
            seat, note = places.locate(constituency=query)
        return Found(seat=seat, note=note)
    except NotFound as exc:
        choices = _choices(places, exc, "seats", query)
        if choices:
            return Found(choices=choices)
        raise


def resolve_council(places: Places, query: str) -> Found:
    """The council (upper tier, the one that runs SEND) for a name or code, or the councils
    it could be."""
    try:
        return Found(council=places.council(query))
    except NotFound as exc:
        choices = _choices(places, exc, "councils", query)
        if choices:
            return Found(choices=choices)
        raise


def seat_by_code(places: Places, code: str) -> Constituency:
    """The seat a person picked from the list (a radio button's value)."""
    if not GSS_CODE_RE.match(code or ""):
        raise NotFound("choose a constituency from the list")
    return places.constituency(code)


def council_by_code(places: Places, code: str) -> Council:
    """The council a person picked from the list."""
    row = places.db.execute("SELECT code FROM councils WHERE code = ?", (code,)).fetchone()
    if row is None:
        raise NotFound("choose a council from the list")
    return places.council(row[0])


def _choices(places: Places, exc: NotFound, table: str, query: str) -> tuple[Choice, ...]:
    """The candidates a NotFound carries (the lookup's Ambiguous error), or, from a lookup
    that only names them in its message, the same partial-name matches it found."""
    candidates = getattr(exc, "candidates", None)
    if candidates:
        return tuple(_choice(places, c) for c in candidates)
    if "matches several" not in str(exc):
        return ()
    return tuple(_choice_for_code(places, table, code) for code in
                 _partial_matches(places, table, query))


def _choice(places: Places, candidate) -> Choice:
    """A lookup candidate (code, name, mp, party, share %, basis, kind) as a Choice."""
    share = getattr(candidate, "share", None)
    basis = getattr(candidate, "basis", "")
    share_text = ""
    if share is not None:
        of = {"postcodes": "of the area's postcodes", "people": "of the area's people"}.get(
            basis, "of the area")
        share_text = f"{share:.0f}% {of}" if share >= 1 else f"under 1% {of}"
    return Choice(candidate.code, candidate.name, getattr(candidate, "mp", ""),
                  getattr(candidate, "party", ""), share_text)


def _choice_for_code(places: Places, table: str, code: str) -> Choice:
    if table == "seats":
        seat = places.constituency(code)
        return Choice(seat.code, seat.name, seat.mp.full_title, seat.mp.party)
    council = places.council(code)
    return Choice(council.code, council.name)


def _partial_matches(places: Places, table: str, query: str) -> list[str]:
    """Codes of every name holding all the query's words, as the lookup's own partial match
    does, sorted by name."""
    key = normalise_name(query)
    words = key.split()
    rows = places.db.execute(f"SELECT key, code FROM {table} ORDER BY key").fetchall()
    codes = [code for k, code in rows if words and all(w in k.split() for w in words)]
    if not codes and len(key) >= 3:
        codes = [code for k, code in rows if key in k]
    return codes
