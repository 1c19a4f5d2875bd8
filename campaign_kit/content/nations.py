"""The campaign as a document for one nation reads it: that nation's terms, the campaign's
words for it, and only the asks that apply there.

Education is devolved. content/defaults.yaml `nations` gives each nation's terms (government,
legislature, representative ...), and a campaign's own `nations` adds its words (the SEND
campaigns' needs, plan ...); a campaign's `devolved` block says how it speaks outside
England, with those terms as {placeholders}. Every text's names were checked when the
campaign was read (schema.py); `fill` still refuses an unknown one rather than print a
brace. Nothing here knows a campaign.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from ..errors import TemplateProblem
from .campaign import Ask, Campaign, deep_merge
from .schema import quote

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
# (id of the campaign, nation) -> (the campaign, its info): holding the campaign keeps its
# id from being reused by another while the entry exists.
_CACHE: dict[tuple[int, str], tuple[Campaign, dict[str, Any]]] = {}


def terms(campaign: Campaign, nation: str) -> dict[str, str]:
    """The nation's own terms, with {nation} and {campaign} (the campaign's name)."""
    known = campaign.info.get("nations") or {}
    if nation not in known:
        raise TemplateProblem(f"no terms for {nation} in content/defaults.yaml 'nations'")
    return {**{k: str(v) for k, v in known[nation].items()}, "nation": nation,
            "campaign": str(campaign.info["name"])}


def fill(value: Any, values: dict[str, str], where: str) -> Any:
    """Every {placeholder} in a text (or in the texts of a list or mapping) filled in; an
    unknown one is an error naming it, never a stray brace in a letter."""
    if isinstance(value, str):
        def one(m: re.Match) -> str:
            if m.group(1) not in values:
                raise TemplateProblem(f"unknown placeholder {{{m.group(1)}}} in "
                                      f"{quote(value)}; known: {', '.join(sorted(values))}",
                                      file=where)
            return values[m.group(1)]
        return PLACEHOLDER.sub(one, value)
    if isinstance(value, list | tuple):
        return [fill(v, values, where) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, values, where) for k, v in value.items()}
    return value


def campaign_in(campaign: Campaign, nation: str) -> dict[str, Any]:
    """What templates see as `campaign` for a document in `nation`: outside England the
    campaign's `devolved` texts replace England's; the nation's terms and the campaign's
    words ({topic}, {minister} ...) are filled in. `nation` holds the terms themselves."""
    key = (id(campaign), nation)
    if key not in _CACHE or _CACHE[key][0] is not campaign:
        info = copy.deepcopy(campaign.info)
        if nation != "England" and isinstance(info.get("devolved"), dict):
            info = deep_merge(info, info["devolved"])
        info.pop("devolved", None)
        where = str(campaign.files.get("campaign.yaml", "campaign.yaml"))
        named = terms(campaign, nation)
        words = fill(info.get("words") or {}, named, where)
        values = {**named, **{k: v for k, v in words.items() if isinstance(v, str)}}
        info = {k: v if k == "nations" else fill(v, values, where) for k, v in info.items()}
        info["nation"] = named
        _CACHE[key] = (campaign, info)
    return _CACHE[key][1]


def asks_in(asks: list[Ask], nation: str) -> tuple[list[Ask], list[Ask]]:
    """(the asks that apply in the nation, those left out)."""
    return ([a for a in asks if nation in a.nations], [a for a in asks if nation not in a.nations])


def phrases(campaign: Campaign, info: dict[str, Any], seed: str,
            extra: dict[str, str] | None = None) -> dict[str, str]:
    """One wording of every phrasing bank, fixed by the seed, with the nation's terms, the
    campaign's words and `extra` (the member's role, school ...) filled in. Keys keep their
    bank's name ('openings' gives 'opening')."""
    values = {**{k: str(v) for k, v in info["nation"].items()},
              **{k: str(v) for k, v in (info.get("words") or {}).items()}, **(extra or {})}
    out = {}
    for bank in campaign.phrasing:
        name = "opening" if bank == "openings" else bank
        out[name] = fill(campaign.pick(bank, seed), values, "phrasing.yaml")
    return out
