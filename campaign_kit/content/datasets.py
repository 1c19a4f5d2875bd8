"""Each dataset's publication cycle (content/datasets.yaml) and what follows from it: when the
kit's edition was published, when the next is due, and how a document states a period
honestly ("latest published" only while no newer release is due).

The cycle is content, so the campaigns team can correct it without Python.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import TemplateProblem
from ..localdata.names import council_key
from ..paths import DEFAULT_CONTENT
from .safeyaml import read_content
from .schema import validate

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def datasets_file(override: Path | None = None) -> Path:
    """datasets.yaml from the content folder given (--content; else $CAMPAIGN_KIT_CONTENT)
    when it has one, else the bundled one: the same folder the campaign's files come from, so
    a corrected release month reaches every document made with that folder."""
    own = override or (Path(os.environ["CAMPAIGN_KIT_CONTENT"])
                       if os.environ.get("CAMPAIGN_KIT_CONTENT") else None)
    if own and (own / "datasets.yaml").is_file():
        return own / "datasets.yaml"
    return DEFAULT_CONTENT / "datasets.yaml"


@dataclass(frozen=True)
class Cycle:
    """One dataset: its publisher's page, what to download, and when releases come out."""

    id: str
    name: str
    publisher: str
    page: str
    url: str
    download: str
    lead: str = ""  # the measure whose latest period names the kit's edition
    month: int | None = None  # release month (1-12); None: no cycle (MPs)
    years_after: int = 0
    checked: str = ""
    # (council name key, code) -> the council the row belongs to, "" when it is not used
    known_code_errors: dict[tuple[str, str], str] = field(default_factory=dict)

    def published(self, period: str) -> dt.date | None:
        """The first day of the month the release holding `period` came out."""
        year = period_year(period)
        if year is None or self.month is None:
            return None
        return dt.date(year + self.years_after, self.month, 1)

    def next_due(self, period: str) -> dt.date | None:
        """The first day of the month the next release (a year's more data) is due."""
        published = self.published(period)
        return published.replace(year=published.year + 1) if published else None


def period_year(period: str) -> int | None:
    """The year a period starts in: 'January 2025' -> 2025, 'calendar year 2024' -> 2024,
    '2021-22' -> 2021."""
    match = re.search(r"(19|20)\d\d", period or "")
    return int(match.group(0)) if match else None


def month_year(day: dt.date) -> str:
    return f"{MONTHS[day.month - 1]} {day.year}"


def _cycle(key: str, raw: Any, path: Path) -> Cycle:
    if not isinstance(raw, dict):
        raise TemplateProblem(f"{path}: datasets: {key} should be a mapping")
    release = raw.get("release") or {}
    month = release.get("month") if isinstance(release, dict) else None
    if month is not None and (not isinstance(month, int) or not 1 <= month <= 12):
        raise TemplateProblem(f"{path}: datasets: {key}: release month should be 1 to 12")
    years_after = release.get("years_after", 0) if isinstance(release, dict) else 0
    if not isinstance(years_after, int):
        raise TemplateProblem(f"{path}: datasets: {key}: years_after should be a whole number")
    known = {}
    for row in raw.get("known_code_errors") or []:
        if not isinstance(row, dict) or not {"name", "code", "council"} <= set(row):
            raise TemplateProblem(f"{path}: datasets: {key}: each known_code_errors row needs "
                                  "name, code and council")
        council = str(row["council"]).strip()
        known[(council_key(str(row["name"])), str(row["code"]).strip())] = \
            "" if council.lower() == "none" else council
    return Cycle(key, str(raw.get("name", key)), str(raw.get("publisher", "")),
                 str(raw.get("page", "")), str(raw.get("url", "")),
                 " ".join(str(raw.get("download", "")).split()), str(raw.get("lead", "")),
                 month, years_after, str(raw.get("checked", "")), known)


@lru_cache(maxsize=4)
def _load(path: Path, stamp: float) -> dict[str, Cycle]:
    data = read_content(path)
    found = validate("datasets.yaml", data, str(path), {},
                     path.read_text(encoding="utf-8-sig"))
    if found:
        raise TemplateProblem(found[0].message, file=str(path), line=found[0].line)
    return {key: _cycle(key, raw, path) for key, raw in data["datasets"].items()}


def cycles(path: Path | None = None) -> dict[str, Cycle]:
    """Every dataset's cycle, by source id, in the file's order."""
    path = path or datasets_file()
    try:
        stamp = path.stat().st_mtime
    except OSError:
        raise TemplateProblem(f"{path}: the datasets file is missing") from None
    return _load(path, stamp)


@dataclass(frozen=True)
class Vintage:
    """The kit's edition of a dataset, at a given date."""

    id: str
    name: str
    period: str  # the lead measure's latest period ("January 2025"), "" when not known
    published: dt.date | None
    next_due: dt.date | None
    on: dt.date

    @property
    def newer_due(self) -> bool:
        """A newer release is due by `on` (from the first day of its month)."""
        return self.next_due is not None and self.on >= self.next_due

    @property
    def kit_latest(self) -> str | None:
        """'published June 2025' once a newer release is due, else None."""
        if not self.newer_due or self.published is None:
            return None
        return f"published {month_year(self.published)}"


def kit_period(places, cycle: Cycle) -> str:
    """The latest period of the dataset's lead measure in the store (England's figures)."""
    if not cycle.lead:
        return ""
    series = places.england().series.get(cycle.lead)
    latest = series.latest if series else None
    return latest.period if latest else ""


def vintage(places, source_id: str, on: dt.date,
            known: dict[str, Cycle] | None = None) -> Vintage | None:
    """The kit's edition of a dataset and whether a newer one is due by `on`; None for a
    source without a publication cycle. `known`: the cycles the engine loaded from its
    content folder (default: datasets_file())."""
    cycle = (cycles() if known is None else known).get(source_id)
    if cycle is None:
        return None
    period = kit_period(places, cycle)
    return Vintage(cycle.id, cycle.name, period, cycle.published(period),
                   cycle.next_due(period), on)


def period_words(period: str, stale: bool, kit_latest: str | None) -> str:
    """How a document prints a figure's period: the period alone; 'latest published: 2021-22'
    for an old figure when no newer release is due yet; and once one is due, '2021-22, the
    latest figures in this kit (published March 2023)', because the publisher has (probably)
    released later figures that the kit does not hold."""
    if kit_latest:
        return f"{period}, the latest figures in this kit ({kit_latest})"
    return f"latest published: {period}" if stale else period
