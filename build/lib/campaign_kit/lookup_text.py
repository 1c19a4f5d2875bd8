"""The human-readable form of a seat's picture, as `campaign-kit lookup` prints it."""

from __future__ import annotations

from typing import Any

from .formatting import format_value, percent, signed_percent, thousands


def describe_seat(p: dict[str, Any]) -> str:
    mp = p["mp"]
    lines = [f"{p['name']} ({p['code']}), {p['region']}, {p['nation']}",
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
            lines.append(f"Council: {c['name']} ({c['gss']})")
            continue
        lines.append(f"Council: {c['name']} (DfE {c['code']}, {c['gss']})")
        for measure, fig in c["figures"].items():
            latest, england = fig["latest"], fig["england"]
            text = (f"  {fig['label']}: {format_value(measure, latest['value'])}"
                    f" ({latest['period']}, {latest['source']})")
            if england:
                text += f"; England {format_value(measure, england['value'])}"
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
