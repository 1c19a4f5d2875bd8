"""Plain records for place facts. The importers validate; everything downstream trusts these."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Source:
    """Where a set of figures came from, so every number can be cited."""

    id: str
    title: str
    publisher: str
    period: str
    licence: str
    url: str
    files: str
    rows: int = 0


@dataclass(frozen=True)
class MP:
    name: str
    full_title: str
    party: str
    email: str
    salutation: str
    gender: str = ""
    member_id: str = ""


@dataclass(frozen=True)
class Figure:
    """One value of one measure for one period, with its source."""

    measure: str
    period: str
    value: float | None
    source: Source


@dataclass(frozen=True)
class Council:
    code: str  # DfE 3-digit code in England, GSS code elsewhere
    gss: str
    name: str  # as the statistics publish it: "Bristol, City of"
    nation: str
    region: str
    display_name: str = ""  # as people say it in a sentence: "Bristol"

    def __post_init__(self):
        if not self.display_name:
            from .names import display_council_name

            object.__setattr__(self, "display_name", display_council_name(self.name))


@dataclass(frozen=True)
class Election2024:
    result: str
    party: str
    majority: int
    majority_pc: float
    valid_votes: int
    winner_id: str  # Parliament member id of the 2024 winner (differs after a by-election)


@dataclass(frozen=True)
class Constituency:
    code: str
    name: str
    nation: str
    region: str
    mp: MP
    councils: tuple[Council, ...] = field(default_factory=tuple)
    election: Election2024 | None = None

    @property
    def in_england(self) -> bool:
        return self.nation == "England"
