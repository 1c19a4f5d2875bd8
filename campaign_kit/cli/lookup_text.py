"""The human-readable form of a seat's picture, as `campaign-kit lookup` prints it."""

from __future__ import annotations

from typing import Any

from ..localdata.sources import MEASURES
from ..render.formatting import format_value, percent, signed_percent, thousands

HOW = {"code": "by ONS code", "postcode": "by postcode", "exact name": "by name",
       "normalised name": "by name", "alias": "by another name", "old name": "by its pre-2024 "
       "name", "council": "by council", "district": "by district", "partial name": "by part of "
       "its name"}


LISTED = 25  # candidates printed; --json has them all


def describe_match(match) -> str:
    """A place that could be more than one seat: the reason, then each candidate on a line."""
    lines = [match.message + "."]
    if match.how == "Northern Ireland postcode":
        lines.append("For the exact seat, import the ONS Postcode Directory once: "
                     "'campaign-kit data import-postcodes FILE' (see its --help).")
    if match.source:
        lines.append(f"(Source: {match.source}.)")
    kind = "councils" if match.candidates and match.candidates[0].kind == "council" else "seats"
    lines.append(f"Candidate {kind} (give one by name or code to choose):")
    width = max(len(c.name) for c in match.candidates) + 13
    for c in match.candidates[:LISTED]:
        who = f"{c.mp} ({c.party})" if c.mp else ""
        share = ""
        if c.share is not None:
            share = f"{c.share:g}% of its {'postcodes' if c.basis == 'postcodes' else 'people'}"
        lines.append(f"  {(c.name + ' (' + c.code + ')').ljust(width)}  {who.ljust(44)}"
                     f"  {share}".rstrip())
    if len(match.candidates) > LISTED:
        lines.append(f"  ... and {len(match.candidates) - LISTED} more (--json lists them all)")
    return "\n".join(lines)


def describe_seat(p: dict[str, Any], match=None, postcode_council: str = "") -> str:
    """A seat as `lookup` prints it; postcode_council: the seat's council the postcode
    asked about is in, where the seat spans several."""
    mp = p["mp"]
    lines = [f"{p['name']} ({p['code']}), {p['region']}, {p['nation']}"]
    if match is not None and match.how in HOW and match.how not in ("exact name", "code"):
        found = f"Found {HOW[match.how]}: {match.message}"
        if match.source and match.how == "postcode":
            found += f" (source: {match.source})"
        lines.append(found)
    if match is not None and match.note and match.how in ("postcode", "alias"):
        lines.append(f"Note: {match.note}")
    if postcode_council:
        lines.append(f"Council for {match.postcode}: {postcode_council} (a letter from this "
                     "postcode draws on its figures)")
    lines += [
             f"MP: {mp['full_title']} ({mp['party']})",
             f"    email: {mp['email']}",
             f"    salutation: {mp['salutation']}"]
    if p["election_2024"]:
        e = p["election_2024"]
        lines.append(f"    2024 general election: {e['result']}, majority "
                     f"{thousands(e['majority'])} ({percent(e['majority_pc'])})")
    if p["note"]:
        lines.append(f"Note: {p['note']}")
    for c in p["councils"]:
        if not c["has_send_figures"]:
            lines.append(f"Council: {c['display_name']} ({c['gss']})")
            continue
        lines.append(f"Council: {c['display_name']} (DfE {c['code']}, {c['gss']})")
        for measure, fig in c["figures"].items():
            latest, england = fig["latest"], fig["england"]
            text = (f"  {fig['label']}: {format_value(measure, latest['value'])}"
                    f" ({latest['period']}, {latest['source']})")
            if england and not MEASURES[measure].shown_as:  # a total beside England's
                text += f"; England {format_value(measure, england['value'])}"  # says nothing
            lines.append(text)
            if measure == "ehcp_plans" and c["ehcp_5y_ago"]:
                lines.append(f"    {signed_percent(c['ehcp_change_5y_pc'])} since "
                             f"{c['ehcp_5y_ago']['period']} "
                             f"({thousands(c['ehcp_5y_ago']['value'])}); England "
                             f"{signed_percent(c['england_ehcp_change_5y_pc'])}")
    lines.append("Sources:")
    for s in p["sources"]:
        lines.append(f"  [{s['id']}] {s['title']}, {s['publisher']}, {s['period']}. "
                     f"{s['licence'].split('. ')[0]}.")
    return "\n".join(lines)
