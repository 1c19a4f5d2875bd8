"""How numbers and dates read in British English, shared by lookups and templates."""

from __future__ import annotations

import datetime as dt

from ..localdata.sources import MEASURES


def unsigned_zero(value: float, decimals: int) -> float:
    """The value, with a negative one that rounds to zero made zero: never '-0.0%'."""
    return 0.0 if round(value, decimals) == 0 else value


def thousands(value: float | None) -> str:
    if value is None:
        return "not available"
    return f"{unsigned_zero(value, 0):,.0f}"


def percent(value: float | None) -> str:
    """Always one decimal, as the published tables are: '7.0%' beside '5.2%', not '7%'."""
    if value is None:
        return "not available"
    return f"{unsigned_zero(value, 1):.1f}%"


def money(value: float | None) -> str:
    """£196,940,092 -> '£196.9 million'."""
    if value is None:
        return "not available"
    value = unsigned_zero(value, 0)
    if abs(value) >= 1e9:
        return f"£{value / 1e9:.2f} billion"
    if abs(value) >= 1e6:
        return f"£{value / 1e6:.1f} million"
    return f"£{value:,.0f}"


def signed_percent(value: float | None) -> str:
    if value is None:
        return "not available"
    if unsigned_zero(value, 1) == 0:
        return "unchanged"
    word = "up" if value > 0 else "down"
    return f"{word} {percent(abs(value))}"


def british_date(day: dt.date) -> str:
    """24 November 2026 (no leading zero, no ordinal)."""
    return f"{day.day} {day:%B %Y}"


def format_value(measure: str, value: float | None) -> str:
    """A measure's value in its unit (localdata.sources.MEASURES)."""
    unit = MEASURES[measure].unit if measure in MEASURES else "count"
    if unit == "percent":
        return percent(value)
    if unit == "money":
        return money(value)
    return thousands(value)
