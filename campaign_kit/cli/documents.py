"""`letter`, `roundtable` and `deck`: one document set for one place.
"""

from __future__ import annotations

import click

from .options import (
    edge,
    event_options,
    find_council,
    host_options,
    load_engine,
    output_options,
    parse_date,
    place_options,
    produce,
    read_story,
    resolve_seat,
    source_options,
    split_ids,
    warn,
)


@click.command()
@place_options
@click.option("--name", callback=edge("name"), help="Your name, as you sign the letter.")
@click.option("--address", callback=edge("address"),
              help='Your address: "line 1, line 2, postcode".')
@click.option("--role", callback=edge("role"), help="Your role, e.g. headteacher or SENCO.")
@click.option("--school", callback=edge("school"), help="Your school.")
@click.option("--story", metavar="FILE|-",
              help="Your school's story (a text file, or - for stdin).")
@click.option("--asks", "ask_ids", metavar="ID,ID", callback=edge("asks"),
              help="Which asks to make (1 to 3).")
@click.option("--council", metavar="Q", callback=edge("council"),
              help="Your own council, where the constituency spans several.")
@click.option("--date", "date_text", metavar="YYYY-MM-DD", callback=edge("date"),
              help="Date on the letter (default: today).")
@output_options("pdf,docx")
@source_options
def letter(constituency, postcode, name, address, role, school, story, ask_ids, council,
           date_text, formats, out_dir, force, templates_dir, content_dir, campaign_id) -> None:
    """Write a letter to your MP with your council's figures (PDF, DOCX, text)."""
    from ..engine.requests import Request
    from ..engine.rules import member as checked_member

    member = checked_member(name, address, role, school, read_story(story))
    kit = load_engine(templates_dir, content_dir, campaign_id)
    seat = resolve_seat(kit, constituency, postcode)
    request = Request(parse_date(date_text), seat=seat, member=member,
                      ask_ids=split_ids(ask_ids), council=council, postcode=postcode)
    paths = produce(kit, "letter", request, formats, out_dir, force)
    click.echo(f"Letter to {seat.mp.full_title} ({seat.name}):")
    for path in paths:
        click.echo(f"  {path}")


@click.command()
@place_options
@event_options
@host_options
@click.option("--asks", "ask_ids", metavar="ID,ID", callback=edge("asks"),
              help="Which asks to discuss.")
@output_options("pdf,docx")
@source_options
def roundtable(constituency, postcode, date_text, time_text, venue, host_name, host_role,
               host_email, host_phone, ask_ids, formats, out_dir, force, templates_dir,
               content_dir, campaign_id) -> None:
    """Write a roundtable pack: guide, briefing, invitation, follow-up, sign-in sheet, and a
    calendar invitation (.ics) when the date and time are given."""
    import datetime as dt

    from ..engine.requests import Request
    from ..engine.rules import event as checked_event

    today = dt.date.today()
    event, notes = checked_event({"date": date_text, "time": time_text, "venue": venue,
                                  "host_name": host_name, "host_role": host_role,
                                  "host_email": host_email, "host_phone": host_phone}, today)
    kit = load_engine(templates_dir, content_dir, campaign_id)
    seat = resolve_seat(kit, constituency, postcode)
    request = Request(event.date or today, seat=seat, event=event,
                      ask_ids=split_ids(ask_ids), today=today)
    for note in notes:
        warn(note)
    paths = produce(kit, "roundtable", request, formats, out_dir, force)
    click.echo(f"Roundtable pack for {seat.name} ({seat.mp.full_title}) in {paths[0].parent}:")
    for path in paths:
        click.echo(f"  {path.name}")


@click.command()
@place_options
@click.option("--council", metavar="Q", callback=edge("council"),
              help="A council (upper-tier local authority) instead.")
@click.option("--asks", "ask_ids", metavar="ID,ID", callback=edge("asks"),
              help="Which asks to present.")
@click.option("--date", "date_text", metavar="YYYY-MM-DD", callback=edge("date"),
              help="Date on the title slide.")
@output_options("pptx,pdf")
@source_options
def deck(constituency, postcode, council, ask_ids, date_text, formats, out_dir, force,
         templates_dir, content_dir, campaign_id) -> None:
    """Write a briefing deck with native charts and speaker notes (PPTX, PDF)."""
    from ..engine.requests import Area, Request

    if sum(x is not None for x in (constituency, postcode, council)) != 1:
        raise click.UsageError("give one of --constituency, --postcode or --council")
    kit = load_engine(templates_dir, content_dir, campaign_id)
    if council is not None:
        area = Area.of_council(kit.places, find_council(kit, council))
    else:
        area = Area.of_seat(resolve_seat(kit, constituency, postcode))
    request = Request(parse_date(date_text), area=area, ask_ids=split_ids(ask_ids))
    paths = produce(kit, "deck", request, formats, out_dir, force)
    click.echo(f"Deck for {area.name}:")
    for path in paths:
        click.echo(f"  {path}")
