"""Finding places the way people ask for them: postcode, constituency name or ONS code."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..errors import Ambiguous, DataError, NotFound
from .importers import ENGLAND
from .model import MP, Constituency, Council, Election2024, Figure, Source
from .names import clean_query, council_key, normalise_name, normalise_postcode
from .postcodes import CodePointIndex
from .resolve import ALIASES, Candidate, Match, Resolver, load_aliases, raise_for, suggest
from .sources import MEASURES
from .store import active_store, load_sources, user_postcode_index

DEVOLVED_NOTE = (
    "Education is devolved in {nation}, so the English SEND statistics (DfE) do not apply "
    "to this seat; the MP's details are still correct."
)


@dataclass(frozen=True)
class Series:
    """A measure over time for one area, oldest first, with its source."""

    measure: str
    label: str
    points: tuple[Figure, ...]

    @property
    def latest(self) -> Figure | None:
        known = [p for p in self.points if p.value is not None]
        return known[-1] if known else None

    def back(self, years: int) -> Figure | None:
        """The figure `years` periods before the latest, if the data goes back that far."""
        known = [p for p in self.points if p.value is not None]
        return known[-1 - years] if len(known) > years else None


@dataclass(frozen=True)
class SendFigures:
    """Every SEND measure for one area (a council, or England)."""

    area: str
    series: dict[str, Series]

    def latest(self, measure: str) -> Figure | None:
        s = self.series.get(measure)
        return s.latest if s else None

    @property
    def ehcp_change_5y_pc(self) -> float | None:
        s = self.series.get("ehcp_plans")
        if not s or not s.latest or not s.back(5) or not s.back(5).value:
            return None
        return round(100 * (s.latest.value - s.back(5).value) / s.back(5).value, 1)

    @property
    def ehcp_5y_ago(self) -> Figure | None:
        s = self.series.get("ehcp_plans")
        return s.back(5) if s else None


def read_only_uri(path: Path) -> str:
    """An SQLite URI opening `path` read-only; '#', '?' and '%' in a folder name are quoted
    (a plain f"file:{path}" would cut the path at them)."""
    return path.resolve().as_uri() + "?mode=ro"


class Places:
    """Read-only access to the store. One per process; cheap lookups by code, name or postcode."""

    def __init__(self, path: Path | None = None, postcode_index: Path | None = None):
        """path: the store to read; by default the user's updated store when there is one
        (data update), else the bundled one."""
        path = path or active_store()
        if not path.is_file():
            raise DataError("store-missing", path=str(path))
        self.path = path
        self.db = sqlite3.connect(read_only_uri(path), uri=True, check_same_thread=False)
        self.postcode_index = postcode_index or user_postcode_index()
        self._figures: dict[str, SendFigures] = {}

    @cached_property
    def sources(self) -> dict[str, Source]:
        return load_sources(self.db)

    # -- constituencies -------------------------------------------------------------------
    def constituency(self, code: str) -> Constituency:
        row = self.db.execute(
            "SELECT code, name, nation, region, mp_name, mp_title, party, email, salutation,"
            " gender, member_id FROM seats WHERE code = ?", (code.upper(),)).fetchone()
        if row is None:
            raise NotFound(f"no constituency has the code {code}")
        mp = MP(name=row[4], full_title=row[5], party=row[6], email=row[7], salutation=row[8],
                gender=row[9], member_id=row[10])
        councils = tuple(Council(*c) for c in self.db.execute(
            "SELECT c.code, c.gss, c.name, c.nation, c.region, c.display_name"
            " FROM seat_councils sc"
            " JOIN councils c ON c.code = sc.council WHERE sc.seat = ? ORDER BY sc.position",
            (row[0],)))
        result = self.db.execute(
            "SELECT result, party, majority, majority_pc, valid_votes, winner_id FROM results_2024"
            " WHERE seat = ?", (row[0],)).fetchone()
        return Constituency(code=row[0], name=row[1], nation=row[2], region=row[3], mp=mp,
                            councils=councils,
                            election=Election2024(*result) if result else None)

    def seat_members(self) -> dict[str, tuple[str, str, str]]:
        """Each seat's code -> (name, its MP's Parliament member id, the MP's email)."""
        return {code: (name, member_id, email) for code, name, member_id, email in
                self.db.execute("SELECT code, name, member_id, email FROM seats")}

    def seat_codes(self, nation: str | None = None) -> list[str]:
        """Every seat's code (or a nation's), in the order of their names."""
        return [c for (c,) in self.db.execute(
            "SELECT code FROM seats WHERE ? IS NULL OR nation = ? ORDER BY name",
            (nation, nation))]

    def all_constituencies(self) -> list[Constituency]:
        return [self.constituency(c) for (c,) in
                self.db.execute("SELECT code FROM seats ORDER BY name")]

    # -- resolving what people type ------------------------------------------------------
    @cached_property
    def resolver(self) -> Resolver:
        return Resolver(self)

    def resolve(self, query: str | None) -> Match:
        """How a query matches: a seat when certain, else candidates or suggestions."""
        return self.resolver.resolve(query)

    def find(self, query: str | None) -> Constituency:
        """The seat for a postcode, an ONS code or a name; Ambiguous (a NotFound carrying the
        candidates) when it could be more than one, NotFound when it is none."""
        return self.constituency(raise_for(self.resolve(query)))

    def locate(self, constituency: str | None = None,
               postcode: str | None = None) -> tuple[Constituency, str | None]:
        """The seat for a postcode (preferred when both are given) or a constituency, and a
        note for the user (a terminated postcode, an old name, an alias...).

        When the postcode alone is not certain (a split ward, a new postcode) and the
        constituency given is one of its candidates, that constituency is the choice."""
        if postcode is not None and postcode.strip():
            match = self.resolver.by_postcode_text(clean_query(postcode, "postcode"))
            if match.seat is None and match.candidates and constituency:
                chosen = self.find(constituency)
                if chosen.code in {c.code for c in match.candidates}:
                    return chosen, None
                raise NotFound(f"{match.message}; the constituency given, {chosen.name}, is "
                               "not one of them: check the postcode")
            return self.constituency(raise_for(match)), match.note
        if constituency is not None and constituency.strip():
            match = self.resolve(constituency)
            return self.constituency(raise_for(match)), match.note
        raise NotFound("no postcode or constituency given")

    def council_of_postcode(self, seat: Constituency, postcode: str | None) -> Council | None:
        """The seat's council that a postcode is in (OS Code-Point Open's district or, in
        two-tier England, county), so a member in a seat that spans councils gets their own
        council's figures; None when the seat has one council (nothing to choose), the
        postcode is not a known one, or its council is not one of the seat's (the postcode
        was not the seat's, or the council was reorganised after the postcode list's
        edition)."""
        tidy = normalise_postcode(postcode or "")
        if len(seat.councils) < 2 or tidy is None or not self.codepoint.available:
            return None
        hit = self.codepoint.find(tidy)
        areas = {hit.answer.district, hit.answer.county} - {""} if hit else set()
        found = [c for c in seat.councils if c.gss in areas]
        if not found and areas:
            # a county that became one unitary council (Somerset and North Yorkshire in 2023,
            # Buckinghamshire in 2020) has a new ONS code while DfE publishes its figures
            # under the county's: the same council when the names agree too
            names = {council_key(name) for (name,) in self.db.execute(
                f"SELECT name FROM districts WHERE code IN ({','.join('?' * len(areas))})",
                sorted(areas))}
            found = [c for c in seat.councils if council_key(c.name) in names]
        return found[0] if len(found) == 1 else None

    def exact_postcode(self, postcode: str) -> tuple[str, bool, str] | None:
        """(seat code, live, source) from an ONS Postcode Directory: the imported one first,
        then the sample postcodes bundled in the store; None when neither has it."""
        if self._imported_postcodes is not None:
            row = self._imported_postcodes.execute(
                "SELECT seat, live FROM postcodes WHERE postcode = ?", (postcode,)).fetchone()
            if row is not None:
                return row[0], bool(row[1]), self.imported_source
        row = self.bundled_postcodes.get(postcode)
        if row is not None:
            return row[0], row[1], "ONS Postcode Directory (bundled sample postcodes)"
        return None

    @cached_property
    def bundled_postcodes(self) -> dict[str, tuple[str, bool]]:
        return {pc: (seat, bool(live)) for pc, seat, live in
                self.db.execute("SELECT postcode, seat, live FROM postcodes")}

    @cached_property
    def imported_meta(self) -> dict[str, str]:
        db = self._imported_postcodes
        if db is None:
            return {}
        try:
            return dict(db.execute("SELECT key, value FROM meta"))
        except sqlite3.DatabaseError:
            return {}

    @property
    def imported_source(self) -> str:
        meta = self.imported_meta
        edition = meta.get("edition") or meta.get("source", "")
        return f"ONS Postcode Directory, {edition} (imported)" if edition else \
            "ONS Postcode Directory (imported)"

    @cached_property
    def codepoint(self) -> CodePointIndex:
        try:
            return CodePointIndex(self.db)
        except sqlite3.OperationalError:
            raise DataError("store-without-postcodes", path=str(self.path)) from None

    @property
    def codepoint_source(self) -> str:
        s = self.sources.get("codepo")
        return f"{s.publisher.split(' (')[0]} Code-Point Open, {s.period}, with the 12v ward " \
            "mapping" if s else "Code-Point Open"

    @cached_property
    def aliases(self) -> dict[str, tuple[tuple[str, ...], str]]:
        return load_aliases(ALIASES, self.resolver.seat_by_key)

    @cached_property
    def all_place_names(self) -> dict[str, str]:
        """Normalised -> shown name of every seat, old seat, council, district and alias."""
        names: dict[str, str] = {}
        for query in ("SELECT key, name FROM seats", "SELECT key, name FROM old_seats",
                      "SELECT key, display_name FROM councils", "SELECT key, name FROM districts"):
            for key, name in self.db.execute(query):
                names.setdefault(key, name)
        for key in self.aliases:
            names.setdefault(key, key.title())
        return names

    # -- portraits ----------------------------------------------------------------------------
    def portrait(self, seat_code: str, fmt: str = "jpeg") -> tuple[bytes, str] | None:
        """The MP's official portrait (120 x 120) as (bytes, mime type), or None when the
        thumbnail is not known to show the seat's current MP. Stored as the original WebP;
        fmt="jpeg" (the default) converts it so DOCX, PPTX and PDF can all use it.
        Credit: sources.PORTRAIT_CREDIT."""
        row = self.db.execute("SELECT mime, image, member_id FROM portraits WHERE seat = ?",
                              (str(seat_code).upper(),)).fetchone()
        if row is None:
            return None
        mime, image, member_id = row
        current = self.db.execute("SELECT member_id FROM seats WHERE code = ?",
                                  (str(seat_code).upper(),)).fetchone()
        if current is None or current[0] != member_id:
            return None
        if fmt == "webp" or mime == f"image/{fmt}":
            return bytes(image), mime
        if fmt != "jpeg":
            raise ValueError(f"portrait format {fmt!r}: use 'jpeg' or 'webp'")
        import io

        from PIL import Image

        with Image.open(io.BytesIO(image)) as picture:
            out = io.BytesIO()
            picture.convert("RGB").save(out, "JPEG", quality=88)
        return out.getvalue(), "image/jpeg"

    def reports(self) -> list[tuple[str, str]]:
        """What `data build` found wrong in the sources' joins, and what it did about it."""
        try:
            return self.db.execute("SELECT source, message FROM reports").fetchall()
        except sqlite3.OperationalError:
            return []

    @cached_property
    def anomalies(self) -> dict[tuple[str, str, str], str]:
        """(council, measure, period) -> why the figure is in doubt (localdata/anomalies.py):
        left out of letters, marked in briefings."""
        from .anomalies import stored

        return {(a.council, a.measure, a.period): a.reason for a in stored(self.db)}

    def meta(self) -> dict[str, str]:
        try:
            return dict(self.db.execute("SELECT key, value FROM meta"))
        except sqlite3.OperationalError:
            return {}

    @cached_property
    def _imported_postcodes(self) -> sqlite3.Connection | None:
        """The full ONSPD index if one was imported; opened once per process."""
        if not self.postcode_index.is_file():
            return None
        return sqlite3.connect(read_only_uri(self.postcode_index), uri=True,
                               check_same_thread=False)

    # -- councils ---------------------------------------------------------------------------
    _COUNCIL_COLUMNS = "code, gss, name, nation, region, display_name"

    def council_by_code(self, code: str) -> Council:
        row = self.db.execute(f"SELECT {self._COUNCIL_COLUMNS} FROM councils WHERE code = ?",
                              (code,)).fetchone()
        if row is None:
            raise NotFound(f"no council has the code {code}")
        return Council(*row)

    @cached_property
    def council_code_by_key(self) -> dict[str, str]:
        """Every way a council's name is written (official, display, without 'Borough' ...)
        -> its code; a key two councils share is left out (it would be a guess)."""
        keys: dict[str, set[str]] = {}
        for code, name, display in self.db.execute(
                "SELECT code, name, display_name FROM councils"):
            for key in {normalise_name(name), normalise_name(display), council_key(name),
                        council_key(display)}:
                keys.setdefault(key, set()).add(code)
        return {k: next(iter(v)) for k, v in keys.items() if len(v) == 1 and k}

    def council(self, query: str | None) -> Council:
        """An upper-tier council (the one that runs SEND) by code, name or a unique part of
        its name; Ambiguous listing the councils when several fit; NotFound otherwise."""
        text = clean_query(query, "council")
        row = self.db.execute(f"SELECT {self._COUNCIL_COLUMNS} FROM councils"
                              " WHERE code = ? OR upper(gss) = upper(?)", (text, text)).fetchone()
        if row is not None:
            return Council(*row)
        key = normalise_name(text)
        code = self.council_code_by_key.get(key) or self.council_code_by_key.get(
            council_key(text))
        if code:
            return self.council_by_code(code)
        councils = [Council(*r) for r in self.db.execute(
            f"SELECT {self._COUNCIL_COLUMNS} FROM councils ORDER BY display_name")]
        words = key.split()
        hits = [c for c in councils if words and (
            all(w in normalise_name(c.name).split() for w in words)
            or all(w in normalise_name(c.display_name).split() for w in words))]
        if len(hits) == 1:
            return hits[0]
        if hits:
            raise Ambiguous(f"'{text}' is in the names of {len(hits)} councils: "
                            + ", ".join(c.display_name for c in hits[:8])
                            + (f" and {len(hits) - 8} more" if len(hits) > 8 else ""),
                            tuple(Candidate(c.code, c.display_name, kind="council")
                                  for c in hits))
        district = self.db.execute("SELECT d.name, c.display_name FROM districts d"
                                   " JOIN district_counties dc ON dc.district = d.code"
                                   " JOIN councils c ON upper(c.gss) = upper(dc.county)"
                                   " WHERE d.key = ?", (key,)).fetchone() if key else None
        if district:
            raise NotFound(f"{district[0]} is a district council; SEND is run by the county "
                           f"council: try {district[1]}")
        close = suggest(key, {normalise_name(c.display_name): c.display_name
                              for c in councils})
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise NotFound(f"no council called '{text}'{hint}")

    def seats_for_council(self, council: Council) -> list[Constituency]:
        return [self.constituency(c) for (c,) in self.db.execute(
            "SELECT s.code FROM seat_councils sc JOIN seats s ON s.code = sc.seat"
            " WHERE sc.council = ? ORDER BY s.name", (council.code,))]

    def council_postcodes(self, seat_code: str) -> dict[str, float]:
        """How many of a seat's postcodes (Code-Point Open) each of its councils holds, by
        the council's 9-character code: which council covers most of the seat. Empty when
        the store has no postcode index."""
        rows = self.db.execute(
            "SELECT c.gss, a.postcodes FROM seat_councils sc JOIN councils c ON c.code = "
            "sc.council JOIN area_seats a ON a.area = c.gss AND a.seat = sc.seat WHERE "
            "sc.seat = ?", (str(seat_code).upper(),)).fetchall()
        return {gss: float(n) for gss, n in rows}

    def figures(self, council_code: str) -> SendFigures:
        """Every measure for a council (or "england"); read once per process, then reused."""
        cached = self._figures.get(council_code)
        if cached is None:
            cached = self._figures[council_code] = self._read_figures(council_code)
        return cached

    def _read_figures(self, council_code: str) -> SendFigures:
        rows = self.db.execute("SELECT measure, period, value FROM figures WHERE council = ?"
                               " ORDER BY measure, sort", (council_code,)).fetchall()
        series: dict[str, list[Figure]] = {}
        for measure, period, value in rows:
            source = self.sources[MEASURES[measure].source]
            series.setdefault(measure, []).append(Figure(measure, period, value, source))
        name = "England" if council_code == ENGLAND else council_code
        return SendFigures(name, {m: Series(m, MEASURES[m].label, tuple(p))
                                  for m, p in series.items()})

    def england(self) -> SendFigures:
        return self.figures(ENGLAND)


def devolved_note(seat: Constituency) -> str:
    return DEVOLVED_NOTE.format(nation=seat.nation)
