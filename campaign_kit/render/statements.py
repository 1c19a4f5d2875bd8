"""Figure statements: every figure a document prints, said once and said honestly.

A Statement is one council's latest value of one measure with its period and source, England's
value for the same period, which way is worse for children (localdata.sources.WORSE), how it
has moved, the counts behind a small percentage, and whether it is too old for a letter
(the campaign's `freshness`). Templates read statements and never compare numbers themselves:
the letter's pressure paragraph takes `pressing` statements only, briefings and decks group
them as worse / better than England, and each statement words itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import Any

from ..content import datasets
from ..errors import TemplateProblem
from ..localdata.lookup import Places
from ..localdata.sources import BASES, MEASURES, SMALL_BASE, WORSE
from .formatting import format_value, percent
from .words import capfirst, possessive

YEARS_BACK = 5  # how far back a trend looks: five periods, or as far as the series goes

# Labels as a document prints them, where the store's label is written for lookups.
LABELS = {
    "dsg_deficit_pc": "Dedicated Schools Grant (DSG) cumulative balance, as % of DSG income",
    "high_needs_block": "High needs block, provisional allocation before deductions",
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


@dataclass(frozen=True)
class Statement:
    measure: str
    council: str  # the council's code, for ordering and tests; never printed
    place: str  # the council as people say it (display_name)
    value: float
    period: str
    source: str  # source id; never printed
    citation: str  # "publisher, title" for a sources line
    cite: str  # short citation for a table
    worse: str | None  # "lower", "higher", "rising" or None (sources.WORSE)
    england: float | None = None  # England's value for the same period
    earlier: float | None = None  # the same measure YEARS_BACK periods before
    since: str | None = None
    england_earlier: float | None = None
    count: tuple[int, int] | None = None  # (n, of) when the base is small
    stale: bool = False  # older than the campaign's freshness rule at the document's date
    kit_latest: str | None = None  # "published June 2025" once a newer release is due

    # -- what it shows ---------------------------------------------------------------------
    @property
    def label(self) -> str:
        if self.count:  # "New EHC plans issued within 20 weeks": the counts, not a %
            return capfirst(MEASURES[BASES[self.measure][0]][0])
        return LABELS.get(self.measure) or capfirst(MEASURES[self.measure][0])

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
    def change(self) -> float | None:
        """Rise (+) or fall (-) since `since`: % for counts, points for percentages."""
        if self.earlier is None:
            return None
        if self.measure.endswith("_pc"):
            return round(self.value - self.earlier, 1)
        return round(100 * (self.value - self.earlier) / self.earlier, 1) if self.earlier else None

    @property
    def rising(self) -> bool:
        return self.earlier is not None and self.value > self.earlier

    @property
    def pressing(self) -> bool:
        """Shows pressure: worse than England, or a measure of need that is rising."""
        return self.compared == "worse" or (self.worse == "rising" and self.rising)

    @property
    def group(self) -> str:
        """'worse', 'better' or 'other' (need, demand, context, the same as England)."""
        return self.compared if self.compared in ("worse", "better") else "other"

    # -- how it reads --------------------------------------------------------------------------
    def text(self, value: float | None) -> str:
        if self.measure == "dsg_deficit_pc" and value is not None:
            return f"{percent(abs(value))} {'deficit' if value > 0 else 'surplus'}" \
                if value else "0%"
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
    def period_text(self) -> str:
        return datasets.period_words(self.period, self.stale, self.kit_latest)

    @property
    def latest_published(self) -> bool:
        """Marked "latest published": old, and no newer release is due yet."""
        return self.stale and not self.kit_latest

    @property
    def comparison(self) -> str:
        """"worse than England's 45.9%", 'up 51.5% since January 2020', or ''."""
        if self.compared == "same":
            return f"the same as England's {self.england_text}"
        if self.compared:
            return f"{self.compared} than England's {self.england_text}"
        if self.change is None:
            return ""
        word = "up" if self.change > 0 else "down" if self.change < 0 else "unchanged"
        if self.measure.endswith("_pc"):
            return f"{word} from {self.text(self.earlier)} in {self.since}"
        if not self.change:
            return f"unchanged since {self.since}"
        text = f"{word} {percent(abs(self.change))} since {self.since}"
        if self.england_earlier and self.england is not None:
            e = round(100 * (self.england - self.england_earlier) / self.england_earlier, 1)
            text += f"; England {'up' if e > 0 else 'down'} {percent(abs(e))}" if e else \
                "; England unchanged"
        return text

    def sentence(self, wordings: dict[str, tuple[str, ...]], variant: int = 0) -> str:
        """One wording of the statement for a letter: the measure's own wordings (campaign
        content: figures.yaml) whose names are all known here, else the 'any' ones; the
        variant picks which."""
        fields = self._fields()

        def usable(texts):
            return [t for t in texts if all(fields[n] for n in re.findall(r"\{(\w+)\}", t))]

        bank = usable(wordings.get(self.measure, ())) or usable(wordings.get("any", ()))
        if not bank:  # figures.yaml is checked to have one such wording in 'any'
            raise TemplateProblem(f"no wording in figures.yaml fits {self.measure} for "
                                  f"{self.place}")
        return bank[variant % len(bank)].format(**fields)

    def _fields(self) -> dict[str, str]:
        noun = SHARE_OF.get(self.measure, "")
        if self.count:
            share = f"{self.count[0]:,} of {self.count[1]:,} {noun}".strip()
        else:
            share = f"{self.text(self.value)} of {noun}" if noun else self.text(self.value)
        england_change = ""  # only a rise is said as one ("against a rise of ...")
        if self.england_earlier and self.england is not None \
                and self.england > self.england_earlier and not self.measure.endswith("_pc"):
            england_change = percent(round(100 * (self.england - self.england_earlier)
                                           / self.england_earlier, 1))
        return {"place": self.place, "place_s": possessive(self.place), "label": self.label,
                "value": self.text(self.value), "share": share,
                "period": short_period(self.period), "england": self.england_text,
                "earlier": self.text(self.earlier) if self.earlier is not None else "",
                "since": short_period(self.since or ""),
                "change": percent(abs(self.change)) if self.change is not None else "",
                "england_change": england_change}


# -- building them ------------------------------------------------------------------------------
def _point(series, period: str):
    return next((p for p in series.points if p.period == period and p.value is not None),
                None) if series else None


def council_statements(places: Places, council: dict[str, Any], on: dt.date,
                       freshness_years: float) -> list[Statement]:
    """Statements for each figure the council's picture carries (already cut to the
    campaign's measures), in the picture's order."""
    if not council.get("figures"):
        return []
    figures, england = places.figures(council["code"]), places.england()
    place = council.get("display_name") or council["name"]
    out = []
    for measure in council["figures"]:
        series = figures.series.get(measure)
        latest = series.latest if series else None
        if latest is None:
            continue
        e_series = england.series.get(measure)
        e_now = _point(e_series, latest.period)
        known = [p for p in series.points if p.value is not None]
        back = series.back(min(YEARS_BACK, len(known) - 1)) if len(known) > 1 else None
        e_back = _point(e_series, back.period) if back else None
        count = None
        if measure in BASES:
            n = _point(figures.series.get(BASES[measure][0]), latest.period)
            d = _point(figures.series.get(BASES[measure][1]), latest.period)
            if n and d and d.value < SMALL_BASE:
                count = (int(n.value), int(d.value))
        end = period_end(latest.period)
        source = latest.source
        vintage = datasets.vintage(places, source.id, on)
        out.append(Statement(
            measure, council["code"], place, latest.value, latest.period, source.id,
            f"{source.publisher}, {source.title}", council["figures"][measure]["latest"]["cite"],
            WORSE.get(measure), e_now.value if e_now else None,
            back.value if back else None, back.period if back else None,
            e_back.value if e_back else None, count,
            bool(end and (on - end).days > freshness_years * 365.25),
            vintage.kit_latest if vintage else None))
    return out


def grouped(statements: list[Statement]) -> list[tuple[str, list[Statement]]]:
    """(heading, statements) for each group that has any: worse, better, then the rest."""
    headings = (("worse", "Worse than England"), ("better", "Better than England"),
                ("other", "Need, demand and funding"))
    return [(title, [s for s in statements if s.group == key])
            for key, title in headings if any(s.group == key for s in statements)]


def rank(seed: str, *parts: str) -> int:
    """A number fixed by the seed (member and seat) and the parts: choices that vary from
    letter to letter but never from run to run."""
    return int.from_bytes(hashlib.sha256("|".join((seed,) + parts).encode()).digest()[:4],
                          "big")


def for_letter(statements: list[Statement], seed: str, wordings: dict[str, tuple[str, ...]],
               limit: int = 3) -> list[dict[str, Any]]:
    """The figures a letter cites: pressing and fresh only, up to `limit`, chosen and
    ordered by the seed (member and seat) and each worded one of its ways."""
    pool = sorted((s for s in statements if s.pressing and not s.stale),
                  key=lambda s: rank(seed, s.council, s.measure))
    seen: set[str] = set()
    first = [s for s in pool if not (s.measure in seen or seen.add(s.measure))]
    chosen = (first + [s for s in pool if s not in first])[:limit]  # different measures first
    councils = list(dict.fromkeys(s.council for s in statements))
    chosen.sort(key=lambda s: councils.index(s.council))  # one council's figures together
    return [{"text": s.sentence(wordings, rank(seed, "say", s.measure)), "statement": s}
            for s in chosen]


def sources_of(statements: list[Statement], places: Places) -> list[dict[str, Any]]:
    """The sources the statements cite, once each, in order: publisher, title, period."""
    ids = list(dict.fromkeys(s.source for s in statements))
    return [{"publisher": places.sources[i].publisher, "title": places.sources[i].title,
             "period": places.sources[i].period} for i in ids if i in places.sources]

