"""Figure statements: every figure a document prints, said once and said honestly.

A Statement words one council's Measure (localdata/pictures.py: its latest value, period,
source, England's value for the same period, its trend, the counts behind a ratio) with
what engine/evidence.py judged of it: whether it argues the case (worse than England in the
direction that is worse, or need rising faster than England's), how strongly, and why not
when it may not argue in a letter. Templates read statements and never compare numbers
themselves: briefings and decks group them (worse than England first), letters take the
ones engine/evidence.py chose, and each statement words itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import Any

from ..content import datasets
from ..errors import TemplateProblem
from ..localdata.pictures import Measure
from ..localdata.sources import MEASURES
from .formatting import format_value, percent, unsigned_zero
from .words import capfirst, possessive

# Labels as a document prints them, where the store's label is written for lookups.
LABELS = {
    "dsg_deficit_pc": "Dedicated Schools Grant (DSG) cumulative balance, as % of DSG income",
    "high_needs_block": "High needs block, provisional allocation before deductions",
    "high_needs_per_plan": "High needs block per EHC plan in force (provisional allocation)",
}

# The noun a percentage is a share of, and the noun its counts are ("4 of 5 new EHC plans").
SHARE_OF = {"timely_20wk_pc": "new EHC plans", "tribunal_rate_pc": "appealable decisions"}


def period_end(period: str) -> dt.date | None:
    """The last day a period covers: 'January 2025', 'calendar year 2024', '2021-22'
    (a financial year, to 31 March). None when the shape is unknown."""
    if m := re.fullmatch(r"(?:calendar year )?(\d{4})", period):
        return dt.date(int(m.group(1)), 12, 31)
    if m := re.fullmatch(r"(\d{4})-(\d{2})", period):
        return dt.date(int(m.group(1)) + 1, 3, 31)
    if m := re.fullmatch(r"([A-Z][a-z]+) (\d{4})", period):
        try:
            month = dt.datetime.strptime(m.group(1), "%B").month
        except ValueError:
            return None
        nxt = dt.date(int(m.group(2)) + month // 12, month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    return None


def short_period(period: str) -> str:
    """'calendar year 2024' -> '2024' for a sentence; other periods as they are."""
    return period.removeprefix("calendar year ")


def short_percent(value: float) -> str:
    """A percentage for a headline: whole from 10 up ('46%'), one decimal below ('9.3%')."""
    value = unsigned_zero(value, 1)
    return f"{value:.0f}%" if abs(value) >= 10 else f"{value:.1f}%"


@dataclass(frozen=True)
class Statement:
    figure: Measure  # the council's measure, from the store (localdata/pictures.py)
    council: str  # the council's code, for ordering and tests; never printed
    place: str  # the council as people say it (display_name)
    stale: bool = False  # older than the campaign's freshness rule at the document's date
    kit_latest: str | None = None  # "published June 2025" once a newer release is due
    argues: bool = False  # worse than England, in the direction that is worse
    strength: float = 0.0  # how strongly it argues (engine/evidence.py); 0 when it does not
    usable: bool = False  # may argue in a letter: argues, fresh, a big enough base, no doubt
    why_not: str = ""  # why it may not argue in a letter ("better than England" ...)
    seat_share: float | None = None  # the council's share of the seat, when known

    # -- what it is --------------------------------------------------------------------------
    measure = property(lambda self: self.figure.id)
    value = property(lambda self: self.figure.value)
    period = property(lambda self: self.figure.period)
    worse = property(lambda self: self.figure.worse)
    cite = property(lambda self: self.figure.cite)
    count = property(lambda self: self.figure.count)
    change = property(lambda self: self.figure.change)
    doubt = property(lambda self: self.figure.anomaly)

    @property
    def source(self) -> str:
        return self.figure.source.id

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.figure.sources)

    @property
    def citation(self) -> str:
        return "; ".join(f"{s.publisher}, {s.title}" for s in self.figure.sources)

    @property
    def england(self) -> float | None:
        e = self.figure.england
        return e.value if e else None

    @property
    def earlier(self) -> float | None:
        e = self.figure.earlier
        return e.value if e else None

    @property
    def since(self) -> str | None:
        e = self.figure.earlier
        return e.period if e else None

    @property
    def england_earlier(self) -> float | None:
        e = self.figure.england_earlier
        return e.value if e else None

    @property
    def label(self) -> str:
        if self.count:  # "New EHC plans issued within 20 weeks": the counts, not a %
            return capfirst(MEASURES[MEASURES[self.measure].base[0]].label)  # type: ignore[index]
        return LABELS.get(self.measure) or capfirst(MEASURES[self.measure].label)

    @property
    def compared(self) -> str | None:
        """'worse', 'better' or 'same' than England, for measures where a side is worse."""
        if self.worse not in ("lower", "higher") or self.england is None:
            return None
        if self.text(self.value) == self.text(self.england):
            return "same"
        lower = self.value < self.england
        return "worse" if lower == (self.worse == "lower") else "better"

    @property
    def rising(self) -> bool:
        return self.earlier is not None and self.value > self.earlier

    @property
    def group(self) -> str:
        """'worse' (it argues the case), 'better' (better than England), or 'other' (need
        that grew no faster than England's, context, a figure in doubt)."""
        if self.argues:
            return "worse"
        return "better" if self.compared == "better" and not self.doubt else "other"

    # -- how it reads --------------------------------------------------------------------------
    def text(self, value: float | None) -> str:
        if self.measure == "dsg_deficit_pc" and value is not None:
            shown = unsigned_zero(value, 1)
            if not shown:
                return "0.0%"
            return f"{percent(abs(shown))} {'deficit' if shown > 0 else 'surplus'}"
        return format_value(self.measure, value)

    @property
    def value_text(self) -> str:
        """The value as a table prints it: '4 of 5' on a small base, else '74.3%'."""
        if self.count:
            return f"{self.count[0]:,} of {self.count[1]:,}"
        return self.text(self.value)

    @property
    def england_text(self) -> str:
        return self.text(self.england) if self.england is not None else "n/a"

    @property
    def growth_cells(self) -> bool:
        """A count of need is compared by its growth, never as a total beside England's."""
        return self.figure.unit == "count" and self.worse == "rising" and self.since is not None

    @property
    def value_cell(self) -> str:
        """A table's cell: the value, and for need its rise ('2,313, up 142.7% since 2019';
        '16.7%, from 13.0% in January 2020')."""
        if self.worse == "rising" and self.change is not None and self.since:
            if self.figure.info.percent:
                return f"{self.value_text}, from {self.text(self.earlier)} in {self.since}"
            return f"{self.value_text}, {self._moved(self.change)} since {short_period(self.since)}"
        return self.value_text

    @property
    def england_cell(self) -> str:
        if self.growth_cells:
            growth = self.figure.england_growth
            return f"{self._moved(growth)} since {short_period(self.since)}" \
                if growth is not None else "n/a"
        if self.worse == "rising" and self.figure.info.percent and \
                self.england_earlier is not None and self.england is not None:
            return f"{self.england_text}, from {self.text(self.england_earlier)}"
        return self.england_text

    @staticmethod
    def _moved(change: float) -> str:
        if not unsigned_zero(change, 1):
            return "unchanged"
        return f"{'up' if change > 0 else 'down'} {percent(abs(change))}"

    @property
    def period_text(self) -> str:
        return datasets.period_words(self.period, self.stale, self.kit_latest)

    @property
    def latest_published(self) -> bool:
        """Marked "latest published": old, and no newer release is due yet."""
        return self.stale and not self.kit_latest

    @property
    def comparison(self) -> str:
        """"worse than England's 45.9%", 'up 51.5% since January 2020; England up 63.7%'."""
        if self.compared == "same":
            return f"the same as England's {self.england_text}"
        if self.compared:
            return f"{self.compared} than England's {self.england_text}"
        if self.change is None:
            return ""
        if self.figure.info.percent:
            moved = self._moved(self.change).split()[0]
            text = f"{moved} from {self.text(self.earlier)} in {self.since}" \
                if moved != "unchanged" else f"unchanged since {self.since}"
            if self.england is not None and self.england_earlier is not None:
                text += f"; England from {self.text(self.england_earlier)} to {self.england_text}"
            return text
        text = f"{self._moved(self.change)} since {self.since}"
        growth = self.figure.england_growth
        if growth is not None:
            text += f"; England {self._moved(growth)}"
        return text

    def sentence(self, wordings: dict[str, tuple[str, ...]], variant: int = 0) -> str:
        """One wording of the statement for a letter: the measure's own wordings (campaign
        content: figures.yaml) whose names are all known here, else the 'any' ones; the
        variant picks which."""
        fields = self.fields()

        def usable(texts):
            return [t for t in texts if all(fields[n] for n in re.findall(r"\{(\w+)\}", t))]

        bank = usable(wordings.get(self.measure, ())) or usable(wordings.get("any", ()))
        if not bank:  # figures.yaml is checked to have one such wording in 'any'
            raise TemplateProblem(f"no wording in figures.yaml fits {self.measure} for "
                                  f"{self.place}")
        return bank[variant % len(bank)].format(**fields)

    def headline(self, wording: str | None) -> str:
        """The finding in a few words (content/evidence.yaml headlines), '' when there is no
        wording or a name it needs is unknown."""
        if not wording:
            return ""
        fields = self.fields()
        if not all(fields.get(n) for n in re.findall(r"\{(\w+)\}", wording)):
            return ""
        return capfirst(wording.format(**fields))

    def fields(self) -> dict[str, str]:
        """What a wording may name in braces (content/figures.yaml, evidence.yaml)."""
        noun = SHARE_OF.get(self.measure, "")
        if self.count:
            share = f"{self.count[0]:,} of {self.count[1]:,} {noun}".strip()
        else:
            share = f"{self.text(self.value)} of {noun}" if noun else self.text(self.value)
        growth = self.figure.england_growth
        rise = percent(growth) if growth and growth > 0 and not self.figure.info.percent else ""
        pc = self.figure.info.percent
        return {"place": self.place, "place_s": possessive(self.place), "label": self.label,
                "value": self.text(self.value), "share": share,
                "period": short_period(self.period), "england": self.england_text
                if self.england is not None else "",
                "earlier": self.text(self.earlier) if self.earlier is not None else "",
                "since": short_period(self.since or ""),
                "change": percent(abs(self.change)) if self.change is not None else "",
                "england_change": rise,
                "value_short": short_percent(self.value) if pc else self.text(self.value),
                "england_short": (short_percent(self.england) if pc else self.england_text)
                if self.england is not None else "",
                "change_short": short_percent(abs(self.change))
                if self.change is not None and not self.figure.info.percent else "",
                "england_change_short": short_percent(growth) if rise and growth else ""}


def grouped(statements: list[Statement], place: str) -> list[tuple[str, list[Statement]]]:
    """(heading, statements) for each group that has any: where the council is worse than
    England (strongest first), then need, demand and funding, then better than England."""
    headings = (("worse", f"Where {place} is worse than England"),
                ("other", "Need, demand and funding"), ("better", "Better than England"))
    out = []
    for key, title in headings:
        group = [s for s in statements if s.group == key]
        if key == "worse":
            group.sort(key=lambda s: -s.strength)
        if group:
            out.append((title, group))
    return out


def rank(seed: str, *parts: str) -> int:
    """A number fixed by the seed (member and seat) and the parts: choices that vary from
    letter to letter but never from run to run."""
    return int.from_bytes(hashlib.sha256("|".join((seed,) + parts).encode()).digest()[:4],
                          "big")


def sources_of(statements: list[Statement]) -> list[dict[str, Any]]:
    """The sources the statements cite, once each, in the order they are cited: publisher,
    title, period."""
    seen: dict[str, Any] = {}
    for s in statements:
        for source in s.figure.sources:
            seen.setdefault(source.id, source)
    return [{"publisher": s.publisher, "title": s.title, "period": s.period}
            for s in seen.values()]
