"""A seat's or council's local picture as plain data: what lookups print and templates read."""

from __future__ import annotations

from typing import Any

from .lookup import Places, SendFigures, devolved_note
from .model import Constituency, Council, Figure
from .sources import CITATIONS

HEADLINE_MEASURES = (
    "ehcp_plans", "ehcp_requests", "timely_20wk_pc", "sen_support_pc", "ehcp_pupils_pc",
    "dsg_deficit_pc", "high_needs_block", "tribunal_rate_pc",
)


def _figure(f: Figure | None) -> dict[str, Any] | None:
    if f is None:
        return None
    return {"value": f.value, "period": f.period, "source": f.source.id,
            "cite": CITATIONS.get(f.source.id, f.source.publisher)}


def _series(figs: SendFigures, measure: str) -> list[dict[str, Any]]:
    s = figs.series.get(measure)
    return [{"period": p.period, "value": p.value} for p in s.points] if s else []


def council_picture(places: Places, council: Council) -> dict[str, Any]:
    """A council's figures next to England's, each with period and source id."""
    picture: dict[str, Any] = {
        "code": council.code, "gss": council.gss, "name": council.name,
        "display_name": council.display_name, "nation": council.nation, "region": council.region,
        "has_send_figures": council.nation == "England",
    }
    if council.nation != "England":
        return picture
    figs, england = places.figures(council.code), places.england()
    measures = {}
    for m in HEADLINE_MEASURES:
        series = figs.series.get(m)
        if series is None:
            continue
        measures[m] = {
            "label": series.label,
            "latest": _figure(series.latest),
            "england": _figure(england.latest(m)),
        }
    picture["figures"] = measures
    picture["ehcp_change_5y_pc"] = figs.ehcp_change_5y_pc
    picture["ehcp_5y_ago"] = _figure(figs.ehcp_5y_ago)
    picture["england_ehcp_change_5y_pc"] = england.ehcp_change_5y_pc
    picture["history"] = {
        "ehcp_plans": _series(figs, "ehcp_plans")[-6:],
        "timely_20wk_pc": _series(figs, "timely_20wk_pc")[-6:],
        "timely_20wk_pc_england": _series(england, "timely_20wk_pc")[-6:],
    }
    return picture


def seat_picture(places: Places, seat: Constituency) -> dict[str, Any]:
    """Everything known about a seat, JSON-ready: MP, 2024 result, councils and their figures."""
    mp = seat.mp
    picture: dict[str, Any] = {
        "code": seat.code, "name": seat.name, "nation": seat.nation, "region": seat.region,
        "in_england": seat.in_england,
        "mp": {"name": mp.name, "full_title": mp.full_title, "party": mp.party,
               "email": mp.email, "salutation": mp.salutation},
        "election_2024": None,
        "councils": [council_picture(places, c) for c in seat.councils],
        "note": None if seat.in_england else devolved_note(seat),
    }
    if seat.election:
        e = seat.election
        picture["election_2024"] = {"result": e.result, "party": e.party,
                                    "majority": e.majority, "majority_pc": e.majority_pc,
                                    "same_mp": e.winner_id == mp.member_id}
    picture["sources"] = used_sources(places, picture["councils"])
    return picture


def used_sources(places: Places, councils: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The sources a picture cites, in a stable order, MPs first."""
    ids = ["mps", "ge2024"]
    for c in councils:
        for fig in c.get("figures", {}).values():
            if fig["latest"] and fig["latest"]["source"] not in ids:
                ids.append(fig["latest"]["source"])
    return [vars(places.sources[i]) | {"rows": None} for i in ids if i in places.sources]
