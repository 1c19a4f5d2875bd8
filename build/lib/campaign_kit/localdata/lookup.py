"""Finding places the way people ask for them: postcode, constituency name or ONS code."""

from __future__ import annotations

import difflib
import sqlite3
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..errors import DataError, NotFound
from .importers import ENGLAND
from .model import MP, Constituency, Council, Election2024, Figure, Source
from .names import GSS_CODE_RE, LOOKS_LIKE_POSTCODE, normalise_name, normalise_postcode
from .sources import MEASURES
from .store import BUNDLED_STORE, load_sources, user_postcode_index

PLURAL = {"constituency": "constituencies", "council": "councils"}
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


@dataclass(frozen=True)
class PostcodeHit:
    postcode: str
    live: bool
    index: str  # "bundled" or the path of the imported ONSPD index


class Places:
    """Read-only access to the store. One per process; cheap lookups by code, name or postcode."""

    def __init__(self, path: Path = BUNDLED_STORE, postcode_index: Path | None = None):
        if not path.is_file():
            raise DataError(f"the place store {path} is missing: run "
                            "'campaign-kit data build --from DIR' with the public data files")
        self.path = path
        self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
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
            "SELECT c.code, c.gss, c.name, c.nation, c.region FROM seat_councils sc"
            " JOIN councils c ON c.code = sc.council WHERE sc.seat = ? ORDER BY sc.position",
            (row[0],)))
        result = self.db.execute(
            "SELECT result, party, majority, majority_pc, valid_votes, winner_id FROM results_2024"
            " WHERE seat = ?", (row[0],)).fetchone()
        return Constituency(code=row[0], name=row[1], nation=row[2], region=row[3], mp=mp,
                            councils=councils,
                            election=Election2024(*result) if result else None)

    def all_constituencies(self) -> list[Constituency]:
        return [self.constituency(c) for (c,) in
                self.db.execute("SELECT code FROM seats ORDER BY name")]

    def find(self, query: str) -> Constituency:
        """A constituency from a postcode, an ONS code or a (forgiving) name."""
        text = query.strip()
        if not text:
            raise NotFound("no constituency given: pass a name, an ONS code or a postcode")
        if GSS_CODE_RE.match(text):
            return self.constituency(text)
        if LOOKS_LIKE_POSTCODE.match(text) or any(ch.isdigit() for ch in text):
            return self.by_postcode(text)[0]  # no constituency name has a digit
        return self.constituency(self._match("seats", text, "constituency"))

    def locate(self, constituency: str | None = None,
               postcode: str | None = None) -> tuple[Constituency, str | None]:
        """The seat for a postcode (preferred when both are given) or a constituency, and a
        note for the user when the postcode has been terminated."""
        if postcode:
            seat, hit = self.by_postcode(postcode)
            note = None if hit.live else (f"{hit.postcode} is a terminated postcode; using its "
                                          f"last constituency, {seat.name}")
            return seat, note
        if constituency:
            return self.find(constituency), None
        raise NotFound("no postcode or constituency given")

    def by_postcode(self, text: str) -> tuple[Constituency, PostcodeHit]:
        postcode = normalise_postcode(text)
        if postcode is None:
            raise NotFound(f"'{text}' is not a valid UK postcode (expected e.g. SW1A 0AA)")
        for index, db in self._postcode_dbs():
            row = db.execute("SELECT seat, live FROM postcodes WHERE postcode = ?",
                             (postcode,)).fetchone()
            if row:
                if not row[0].startswith(("E14", "S14", "W07", "N05")):
                    raise NotFound(f"{postcode} is outside the UK Parliament constituencies "
                                   f"(ONS code {row[0]}: Channel Islands or Isle of Man)")
                return self.constituency(row[0]), PostcodeHit(postcode, bool(row[1]), index)
        raise NotFound(
            f"{postcode} is not in the postcode index, which holds only sample postcodes until "
            "you import the full ONS Postcode Directory: download it from "
            "geoportal.statistics.gov.uk and run 'campaign-kit data import-postcodes FILE.csv'"
            " (or pass --constituency instead)")

    @cached_property
    def _imported_postcodes(self) -> sqlite3.Connection | None:
        """The full ONSPD index if one was imported; opened once per process."""
        if not self.postcode_index.is_file():
            return None
        return sqlite3.connect(f"file:{self.postcode_index}?mode=ro", uri=True,
                               check_same_thread=False)

    def _postcode_dbs(self):
        if self._imported_postcodes is not None:
            yield str(self.postcode_index), self._imported_postcodes
        yield "bundled", self.db

    # -- councils ---------------------------------------------------------------------------
    def council(self, query: str) -> Council:
        text = query.strip()
        row = self.db.execute("SELECT code, gss, name, nation, region FROM councils"
                              " WHERE code = ? OR upper(gss) = upper(?)", (text, text)).fetchone()
        if row is None:
            row = self.db.execute("SELECT code, gss, name, nation, region FROM councils"
                                  " WHERE code = ?",
                                  (self._match("councils", text, "council"),)).fetchone()
        return Council(*row)

    def seats_for_council(self, council: Council) -> list[Constituency]:
        return [self.constituency(c) for (c,) in self.db.execute(
            "SELECT s.code FROM seat_councils sc JOIN seats s ON s.code = sc.seat"
            " WHERE sc.council = ? ORDER BY s.name", (council.code,))]

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
            source = self.sources[MEASURES[measure][1]]
            series.setdefault(measure, []).append(Figure(measure, period, value, source))
        name = "England" if council_code == ENGLAND else council_code
        return SendFigures(name, {m: Series(m, MEASURES[m][0], tuple(p))
                                  for m, p in series.items()})

    def england(self) -> SendFigures:
        return self.figures(ENGLAND)

    # -- matching ---------------------------------------------------------------------------
    def _match(self, table: str, text: str, kind: str) -> str:
        """Exact normalised name, else a unique partial match, else NotFound with suggestions."""
        key = normalise_name(text)
        names = dict(self.db.execute(f"SELECT key, code FROM {table}").fetchall())
        display = dict(self.db.execute(f"SELECT key, name FROM {table}").fetchall())
        if key in names:
            return names[key]
        words = key.split()
        partial = [k for k in names if words and all(w in k.split() for w in words)]
        if not partial and len(key) >= 3:
            partial = [k for k in names if key in k]
        if len(partial) == 1:
            return names[partial[0]]
        if partial:
            shown = ", ".join(display[k] for k in sorted(partial)[:3])
            more = f" (and {len(partial) - 3} more)" if len(partial) > 3 else ""
            raise NotFound(f"'{text}' matches several {PLURAL[kind]}: {shown}{more}; "
                           "be more specific")
        close = difflib.get_close_matches(key, list(names), n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(display[k] for k in close)}?" if close else ""
        raise NotFound(f"no {kind} called '{text}'{hint}")


def devolved_note(seat: Constituency) -> str:
    return DEVOLVED_NOTE.format(nation=seat.nation)
