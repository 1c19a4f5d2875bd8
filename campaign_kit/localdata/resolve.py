"""From what a person types to a seat, or to a list of seats to choose from: never a guess.

`Resolver.resolve(query)` returns a plain `Match` saying how the query was matched and, when
the answer is not certain, the candidate seats with their shares. `Places.find` and
`Places.locate` turn a match that is not unique into `Ambiguous` or `NotFound`; `lookup
--json` prints the match; a web form can show its candidates as choices.

Order: an ONS code; a postcode (imported ONSPD, bundled ONSPD samples, Code-Point Open with
the ward mapping, then the postcode's sector); a 2024 seat's name (exact, then normalised);
an alias from aliases.csv; a 2010-2024 seat's name; a council; a district; a unique partial
name. Anything else gets suggestions, which are never chosen.
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path

from ..errors import Ambiguous, DataError, NotFound
from .names import (
    GSS_CODE_RE,
    POSTCODE_SHAPE,
    clean_query,
    council_key,
    normalise_name,
    normalise_postcode,
    parse_partial_postcode,
    postcode_parts,
)

ALIASES = Path(__file__).resolve().parent.parent / "data" / "aliases.csv"
SEAT_PREFIXES = ("E14", "S14", "W07", "N05")
NO_MP = {"GY": "Guernsey", "JE": "Jersey", "IM": "the Isle of Man"}
SHOWN = 6  # candidates named in a one-line message
FILLER = {"and", "of", "the", "upon", "on", "in", "with"}


@dataclass(frozen=True)
class Candidate:
    """A seat (or, for council queries, a council) a query may mean."""

    code: str  # seat PCON24CD (council: DfE code in England, GSS code elsewhere)
    name: str
    mp: str = ""
    party: str = ""
    share: float | None = None  # % of the area (see basis) in this seat
    basis: str = ""  # what share counts: "postcodes", "people", "" (no share known)
    kind: str = "seat"  # "seat" or "council"


@dataclass(frozen=True)
class Match:
    """How a query was matched. `seat` is set only when the answer is certain."""

    query: str
    how: str  # one of HOWS
    message: str  # one line, for people
    seat: str | None = None
    candidates: tuple[Candidate, ...] = ()
    suggestions: tuple[str, ...] = ()
    postcode: str | None = None  # the query as a normalised postcode, when it was one
    source: str = ""  # which data answered
    note: str | None = None  # a caution worth showing even when the answer is certain
    extra: dict = field(default_factory=dict)

    @property
    def unique(self) -> bool:
        return self.seat is not None

    def as_dict(self) -> dict:
        data = asdict(self)
        data["unique"] = self.unique
        data.pop("extra")
        return data


HOWS = ("code", "postcode", "postcode sector", "postcode district", "Northern Ireland postcode",
        "exact name", "normalised name", "alias", "old name", "council", "district",
        "partial name", "suggestion", "none")


def share_text(share: float | None) -> str:
    if share is None:
        return ""
    if share >= 99.5:
        return "100%" if share >= 99.95 else "over 99%"
    if share < 1:
        return "under 1%"
    return f"{share:.0f}%"


def name_list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def describe_candidates(candidates: tuple[Candidate, ...], of: str = "") -> str:
    """'Bristol Central (68% of its people), Bristol East (24%) and 2 more'."""
    parts = []
    for i, c in enumerate(candidates[:SHOWN]):
        share = share_text(c.share)
        if share and i == 0 and of:
            parts.append(f"{c.name} ({share} {of})")
        elif share:
            parts.append(f"{c.name} ({share})")
        else:
            parts.append(c.name)
    if len(candidates) > SHOWN:
        parts.append(f"{len(candidates) - SHOWN} more")
    return name_list(parts)


class Resolver:
    def __init__(self, places):  # the lookup.Places it answers for
        self.places = places
        self.db = places.db

    # -- helpers ------------------------------------------------------------------------------
    @cached_property
    def seat_rows(self) -> dict[str, tuple[str, str, str, str, str]]:
        """code -> (name, key, nation, mp_name, party)."""
        return {r[0]: r[1:] for r in self.db.execute(
            "SELECT code, name, key, nation, mp_name, party FROM seats")}

    @cached_property
    def seat_by_key(self) -> dict[str, str]:
        return {row[1]: code for code, row in self.seat_rows.items()}

    @cached_property
    def possessives(self) -> frozenset[str]:
        """Words a stored name has before an apostrophe s ('queen' of "Queen's Park"): a
        member types "Queens Park", which normalises to another key than "Queen's Park"."""
        return frozenset(m.group(1) for key in self.places.all_place_names
                         for m in re.finditer(r"(?:^| )([a-z0-9]+) s(?= |$)", key))

    def with_possessives(self, key: str) -> str:
        """'queens park' -> 'queen s park' when some place's name says "Queen's"."""
        return " ".join(f"{w[:-1]} s" if w.endswith("s") and w[:-1] in self.possessives else w
                        for w in key.split())

    def candidate(self, code: str, share: float | None = None, basis: str = "") -> Candidate:
        name, _, _, mp, party = self.seat_rows[code]
        return Candidate(code, name, mp, party,
                         None if share is None else round(share, 1), basis)

    def candidates(self, weights: dict[str, float], basis: str) -> tuple[Candidate, ...]:
        """Seats by weight, largest first (ties by name), each with its share in %."""
        total = sum(weights.values())
        ordered = sorted(weights.items(), key=lambda kv: (-kv[1], self.seat_rows[kv[0]][0]))
        return tuple(self.candidate(code, 100 * w / total if total else None, basis)
                     for code, w in ordered if code in self.seat_rows)

    # -- entry point --------------------------------------------------------------------------
    def resolve(self, query: str | None) -> Match:
        text = clean_query(query)
        if GSS_CODE_RE.match(text):
            return self.by_code(text.upper())
        if re.fullmatch(r"[0-9]{3}", text):
            return self.by_council_code(text)
        if any(ch.isdigit() for ch in text):  # no seat, council or district name has a digit
            return self.by_postcode_text(text)
        return self.by_name(text)

    # -- codes ----------------------------------------------------------------------------------
    def by_code(self, code: str) -> Match:
        if code in self.seat_rows:
            name = self.seat_rows[code][0]
            return Match(code, "code", f"{code} is {name}", seat=code,
                         candidates=(self.candidate(code),))
        old = self.db.execute("SELECT code, name FROM old_seats WHERE code = ?",
                              (code,)).fetchone()
        if old:
            return self.old_seat(code, old[0], old[1])
        council = self.db.execute("SELECT code FROM councils WHERE upper(gss) = ?",
                                  (code,)).fetchone()
        if council:
            return self.council_seats(code, council[0])
        district = self.db.execute("SELECT code, name FROM districts WHERE code = ?",
                                   (code,)).fetchone()
        if district:
            return self.district_seats(code, district[0], district[1])
        return Match(code, "none", f"no constituency, council or district has the code {code}")

    def by_council_code(self, code: str) -> Match:
        row = self.db.execute("SELECT code FROM councils WHERE code = ?", (code,)).fetchone()
        if row is None:
            return Match(code, "none", f"no council has the DfE code {code}")
        return self.council_seats(code, row[0])

    # -- postcodes ------------------------------------------------------------------------------
    def by_postcode_text(self, text: str) -> Match:
        postcode = normalise_postcode(text)
        if postcode is not None:
            return self.by_postcode(text, postcode)
        partial = parse_partial_postcode(text)
        if partial is not None:
            return self.by_partial_postcode(text, *partial)
        return Match(text, "none", f"'{text}' is not a valid UK postcode: {POSTCODE_SHAPE}")

    def by_postcode(self, query: str, postcode: str) -> Match:
        places = self.places
        exact = places.exact_postcode(postcode)
        if exact is not None:
            seat, live, source = exact
            if not seat.startswith(SEAT_PREFIXES) or seat not in self.seat_rows:
                return Match(query, "none", f"{postcode} is outside the UK Parliament's "
                             f"constituencies (ONS code {seat}: Channel Islands or Isle of Man)",
                             postcode=postcode, source=source)
            name = self.seat_rows[seat][0]
            note = None if live else (f"{postcode} is a terminated postcode; using its last "
                                      f"constituency, {name}")
            return Match(query, "postcode", f"{postcode} is in {name}", seat=seat,
                         candidates=(self.candidate(seat),), postcode=postcode, source=source,
                         note=note)
        area = re.match(r"[A-Z]+", postcode).group(0)
        if area in NO_MP:
            return Match(query, "none", f"{postcode} is in {NO_MP[area]}, which has no MP at "
                         "Westminster", postcode=postcode)
        if area == "BT":
            return self.northern_ireland(query, postcode)
        index = places.codepoint
        if not index.available:
            return Match(query, "none", "the bundled postcode index is missing: rebuild the "
                         "store from the public data files", postcode=postcode)
        source = places.codepoint_source
        hit = index.find(postcode)
        if hit is not None and hit.answer.seats:
            answer = hit.answer
            if answer.unique:
                seat = answer.seats[0][0]
                return Match(query, "postcode", f"{postcode} is in {self.seat_rows[seat][0]}",
                             seat=seat, candidates=(self.candidate(seat),), postcode=postcode,
                             source=source)
            cands = self.candidates(dict(answer.seats), "postcodes")
            ward = f"its ward, {answer.ward_name} ({answer.ward}), " if answer.ward_name else ""
            return Match(query, "postcode",
                         f"{postcode} is in {ward}which is split between "
                         f"{describe_candidates(cands, 'of the ward’s postcodes')}, and the "
                         "postcode alone does not say which",
                         candidates=cands, postcode=postcode, source=source,
                         extra={"ward": answer.ward, "ward_name": answer.ward_name})
        why = ("is in the postcode list without a location or ward" if hit is not None else
               "is not in the postcode list (OS Code-Point Open, 2023): it may be newer, or "
               "mistyped")
        return self.sector_fallback(query, postcode, why, source)

    def sector_fallback(self, query: str, postcode: str, why: str, source: str) -> Match:
        outward, digit, _ = postcode_parts(postcode)
        index = self.places.codepoint
        weights, _ = index.seats_in(outward, digit)
        if weights:
            cands = self.candidates(weights, "postcodes")
            return Match(query, "postcode sector",
                         f"{postcode} {why}; the known postcodes of its sector {outward} {digit}"
                         f" are in {describe_candidates(cands, 'of them')}",
                         candidates=cands, postcode=postcode, source=source)
        weights, _ = index.seats_in(outward)
        if weights:
            cands = self.candidates(weights, "postcodes")
            return Match(query, "postcode district",
                         f"{postcode} {why}, and no postcode of its sector {outward} {digit} has "
                         f"a known seat; the postcodes of its district {outward} are in "
                         f"{describe_candidates(cands, 'of them')}",
                         candidates=cands, postcode=postcode, source=source)
        return Match(query, "none", f"{postcode} {why}, and no postcode in Great Britain starts "
                     f"with {outward}: check it, or give the constituency's name",
                     postcode=postcode, source=source)

    def by_partial_postcode(self, query: str, outward: str, digit: int | None) -> Match:
        if outward.startswith("BT"):
            return self.northern_ireland(query, None)
        index = self.places.codepoint
        weights, _ = index.seats_in(outward, digit)
        area = f"{outward} {digit}" if digit is not None else outward
        kind = "sector" if digit is not None else "district"
        if not weights:
            return Match(query, "none", f"no postcode in Great Britain's postcode list is in "
                         f"the postcode {kind} {area}; give a full postcode such as SW1A 1AA")
        cands = self.candidates(weights, "postcodes")
        if len(cands) == 1 and cands[0].share and cands[0].share >= 100:
            message = (f"every postcode in {area} is in {cands[0].name}; a full postcode "
                       "confirms it")
        else:
            listed = describe_candidates(cands, "of its postcodes")
            message = f"the postcode {kind} {area} is in {listed}: give your full postcode"
        return Match(query, f"postcode {kind}", message, candidates=cands,
                     source=self.places.codepoint_source)

    def northern_ireland(self, query: str, postcode: str | None) -> Match:
        seats = sorted((row[0], code) for code, row in self.seat_rows.items()
                       if row[2] == "Northern Ireland")
        cands = tuple(self.candidate(code) for _, code in seats)
        shown = postcode or query
        return Match(query, "Northern Ireland postcode",
                     f"{shown} is in Northern Ireland, whose postcodes are not in the bundled "
                     f"list (OS Code-Point Open covers Great Britain only): it is one of the "
                     f"{len(cands)} Northern Ireland seats; the ONS Postcode Directory, once "
                     "imported, gives the exact seat",
                     candidates=cands, postcode=postcode)

    # -- names ----------------------------------------------------------------------------------
    def by_name(self, text: str) -> Match:
        key = normalise_name(text)
        if not key:
            return Match(text, "none", f"'{text}' has no letters or digits to look up")
        found = self.by_key(text, key)
        other = self.with_possessives(key)
        if found.seat is None and not found.candidates and other != key:
            retried = self.by_key(text, other)  # typed without the apostrophe
            if retried.seat is not None or retried.candidates or \
                    (retried.suggestions and not found.suggestions):
                return retried
        return found

    def by_key(self, text: str, key: str) -> Match:
        code = self.seat_by_key.get(key)
        if code:
            name = self.seat_rows[code][0]
            how = "exact name" if name == text else "normalised name"
            return Match(text, how, f"{name}", seat=code, candidates=(self.candidate(code),))
        alias = self.places.aliases.get(key)
        if alias:
            return self.alias(text, alias)
        old = self.db.execute("SELECT code, name FROM old_seats WHERE key = ?", (key,)).fetchone()
        if old:
            return self.old_seat(text, old[0], old[1])
        council = self.places.council_code_by_key.get(key)
        if council:
            return self.council_seats(text, council)
        district = self.db.execute("SELECT code, name FROM districts WHERE key = ?",
                                   (key,)).fetchone()
        if district:
            return self.district_seats(text, district[0], district[1])
        return self.partial(text, key)

    def alias(self, text: str, alias: tuple[tuple[str, ...], str]) -> Match:
        codes, source = alias
        cands = tuple(self.candidate(c) for c in codes)
        if len(cands) == 1:
            return Match(text, "alias", f"{text} is {cands[0].name}", seat=cands[0].code,
                         candidates=cands, source=source,
                         note=f"'{text}' taken as {cands[0].name}: {source}")
        names = " or ".join([", ".join(c.name for c in cands[:-1]), cands[-1].name])
        return Match(text, "alias", f"'{text}' can mean {names}", candidates=cands,
                     source=source)

    def old_seat(self, text: str, code: str, name: str) -> Match:
        rows = self.db.execute("SELECT seat, people, old_people FROM old_overlaps WHERE old = ?",
                               (code,)).fetchall()
        weights = {seat: people for seat, people, _ in rows}
        everyone = max((total for _, _, total in rows), default=0)
        # shares of the OLD seat's people (the file leaves out tiny slivers, so the parts
        # need not add up to everyone)
        ordered = sorted(weights.items(), key=lambda kv: (-kv[1], self.seat_rows[kv[0]][0]))
        cands = tuple(self.candidate(seat, 100 * people / everyone, "people")
                      for seat, people in ordered) if everyone else ()
        source = "Open Innovations overlap of the 2010 and 2024 constituencies"
        if not cands:
            return Match(text, "none", f"{name} was a constituency until 2024; no overlap "
                         "with the 2024 seats is known", source=source)
        if len(cands) == 1 and weights[cands[0].code] >= 0.999 * everyone:
            new = cands[0]
            return Match(text, "old name",
                         f"{name} was a constituency until the 2024 election; all of its area "
                         f"is now in {new.name}", seat=new.code, candidates=cands, source=source,
                         note=f"{name} is the pre-2024 name: all of it is now in {new.name}")
        return Match(text, "old name",
                     f"{name} was abolished at the 2024 election; its area is now in "
                     f"{describe_candidates(cands, 'of its people')}", candidates=cands,
                     source=source)

    def area_weights(self, *areas: str) -> dict[str, float]:
        weights: dict[str, float] = {}
        for area in areas:
            for seat, n in self.db.execute("SELECT seat, postcodes FROM area_seats "
                                           "WHERE area = ?", (area,)):
                weights[seat] = weights.get(seat, 0) + n
        return weights

    def council_seats(self, text: str, council_code: str) -> Match:
        council = self.places.council_by_code(council_code)
        seats = [code for (code,) in self.db.execute(
            "SELECT seat FROM seat_councils WHERE council = ?", (council.code,))]
        weights = self.area_weights(council.gss)
        return self._area_match(text, "council", council.display_name or council.name,
                                seats, weights, "council")

    def district_seats(self, text: str, code: str, name: str) -> Match:
        seats = [s for (s,) in self.db.execute(
            "SELECT seat FROM seat_districts WHERE district = ?", (code,))]
        return self._area_match(text, "district", name, seats, self.area_weights(code),
                                "district")

    def _area_match(self, text, how, name, seats, weights, kind) -> Match:
        """Seats by their share of the area's postcodes; a seat the area lists that has no
        postcode share (no postcodes known, e.g. Northern Ireland) comes after, unweighted."""
        cands = self.candidates(weights, "postcodes") if weights else ()
        rest = sorted((self.candidate(s) for s in set(seats) - set(weights)),
                      key=lambda c: c.name)
        cands = tuple(cands) + tuple(rest)
        if len(cands) == 1:
            only = cands[0]
            return Match(text, how, f"{name} ({kind}) is wholly in {only.name}",
                         seat=only.code, candidates=cands,
                         note=f"'{text}' is the {kind} of {name}, all of it in {only.name}")
        basis = "of its postcodes" if cands and cands[0].share is not None else ""
        return Match(text, how, f"{name} is a {kind} with {len(cands)} constituencies: "
                     f"{describe_candidates(cands, basis)}", candidates=cands)

    def partial(self, text: str, key: str) -> Match:
        """Seats whose names hold every word typed. One seat is taken only for two words or
        more ("Hodge Hill"): one word can be a place much larger than the seat that has it in
        its name ("London" is not Cities of London and Westminster)."""
        # a lone letter is no word of a name: "'s" alone is not Queen's Park
        words = [w for w in key.split() if w not in FILLER and len(w) > 1]
        hits = sorted(code for code, row in self.seat_rows.items()
                      if words and all(w in row[1].split() for w in words))
        if len(hits) == 1 and len(words) >= 2:
            name = self.seat_rows[hits[0]][0]
            return Match(text, "partial name", f"{name} (the only seat whose name has "
                         f"'{text}' in it)", seat=hits[0], candidates=(self.candidate(hits[0]),),
                         note=f"'{text}' taken as {name}, the only seat with that in its name")
        if len(hits) == 1:
            cands = (self.candidate(hits[0]),)
            return Match(text, "partial name", f"'{text}' is in the name of one constituency, "
                         f"{cands[0].name}, but may mean a wider area", candidates=cands)
        if hits:
            cands = tuple(sorted((self.candidate(c) for c in hits), key=lambda c: c.name))
            return Match(text, "partial name", f"'{text}' is in the names of {len(cands)} "
                         f"constituencies: {describe_candidates(cands)}", candidates=cands)
        suggestions = self.suggest(key)
        hint = f"; did you mean {name_list(list(suggestions))}?" if suggestions else ""
        return Match(text, "suggestion" if suggestions else "none",
                     f"no constituency called '{text}', nor a council or district{hint} (a "
                     "postcode always works)", suggestions=suggestions)

    def suggest(self, key: str) -> tuple[str, ...]:
        """Names of seats, old seats, councils and districts that contain what was typed, or
        are close to it: offered, never chosen."""
        return suggest(key, self.places.all_place_names)


def suggest(key: str, names: dict[str, str], n: int = 3) -> tuple[str, ...]:
    """names: normalised -> shown. Containing names first ('northampton' -> 'West
    Northamptonshire'), then close spellings ('aldershott' -> 'Aldershot')."""
    if not key:
        return ()
    containing = sorted((k for k in names if len(key) >= 4 and key in k), key=len)
    close = difflib.get_close_matches(key, list(names), n=n, cutoff=0.75)
    return tuple(dict.fromkeys(names[k] for k in containing + close))[:n]


def load_aliases(path: Path, seat_by_name: dict[str, str]) -> dict[str, tuple[tuple[str, ...],
                                                                           str]]:
    """aliases.csv: alias,seats (names separated by ';'),source. Every seat must exist."""
    aliases = {}
    try:
        rows = list(csv.DictReader(open(path, encoding="utf-8", newline="")))
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror}") from None
    for number, row in enumerate(rows, 2):
        alias, seats, source = (row.get(k, "").strip() for k in ("alias", "seats", "source"))
        if not alias or not seats or not source:
            raise DataError(f"{path.name} line {number}: alias, seats and source are required")
        codes = []
        for name in seats.split(";"):
            code = seat_by_name.get(normalise_name(name))
            if code is None:
                raise DataError(f"{path.name} line {number}: no 2024 seat called '{name}'")
            codes.append(code)
        aliases[normalise_name(alias)] = (tuple(codes), source)
    return aliases


def raise_for(match: Match) -> str:
    """The seat code of a certain match; Ambiguous or NotFound otherwise."""
    if match.seat is not None:
        return match.seat
    if match.candidates:
        raise Ambiguous(match.message, match.candidates)
    raise NotFound(match.message)


def council_key_variants(name: str, display: str) -> set[str]:
    return {normalise_name(name), normalise_name(display), council_key(name),
            council_key(display)}
