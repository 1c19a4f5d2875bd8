"""Thin Click commands: parse options, call the library, turn errors into one-line messages.

Nothing heavy is imported at module level, so `campaign-kit --help` stays fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .. import __version__
from ..engine.rules import one_line
from ..errors import Ambiguous, CampaignKitError, InputProblem
from ..runs.interrupt import exit_interrupted, requested


class KitGroup(click.Group):
    """Turns the library's errors (and any unexpected one) into one line and exit 1;
    Ctrl-C at any point before the batch takes over exits 130, as a shell expects."""

    def make_context(self, *args, **kwargs) -> click.Context:
        """Reading the arguments takes a moment (messages are translated): a Ctrl-C then would
        reach Click's own handler, which prints 'Aborted!' and exits 1."""
        try:
            return super().make_context(*args, **kwargs)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            exit_interrupted()

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort):
            raise
        except click.ClickException as exc:
            exc.message = one_line(exc.message)
            raise
        except CampaignKitError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            error = click.ClickException(one_line(str(exc)))
            if isinstance(exc, Ambiguous):
                error.exit_code = 2  # a choice is needed: the message names the candidates
            raise error from None
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            exit_interrupted()
        except Exception as exc:  # a bug: still one line, details with --debug
            if requested():  # a Ctrl-C that arrived wrapped in another error
                click.echo("Interrupted.", err=True)
                exit_interrupted()
            if ctx.obj and ctx.obj.get("debug"):
                raise
            raise click.ClickException(one_line(
                f"unexpected {type(exc).__name__}: {exc} (run with --debug for details)")) \
                from None


@click.group(cls=KitGroup)
@click.version_option(__version__, prog_name="campaign-kit")
@click.option("--debug", is_flag=True, help="Show full tracebacks for errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Personalised campaign material with real local data.

    Letters to MPs (PDF, DOCX, text), roundtable packs and slide decks for any of the
    650 UK Parliament constituencies, for each campaign in content/.
    """
    ctx.ensure_object(dict)["debug"] = debug


def warn(message: str) -> None:
    click.secho(f"Warning: {one_line(message)}", fg="yellow", err=True)


def places():
    from ..localdata.lookup import Places

    return Places()


def edge(field: str):
    """A Click callback putting an option's text through inputs.clean, the one normalisation
    step every typed field takes (NFC, no control characters, a length limit)."""
    def callback(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        from ..engine.rules import clean

        return None if value is None else clean(value, field, param.opts[0])
    return callback


# -- lookup -----------------------------------------------------------------------------------
@cli.command()
@click.argument("query", callback=edge("place"))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_context
def lookup(ctx: click.Context, query: str, as_json: bool) -> None:
    """Show a constituency, its MP, councils and SEND figures.

    QUERY is a postcode (SW1A 1AA), a constituency name (2024 or older; two words of it
    are enough), a council or district name, or an ONS code. When it could mean more than
    one seat, the candidates are listed (exit code 2): give one of them by name.
    """
    from ..errors import NotFound
    from ..localdata.facts import seat_picture
    from .lookup_text import describe_match, describe_seat

    store = places()
    match = store.resolve(query)
    if match.seat is not None:
        picture = seat_picture(store, store.constituency(match.seat))
        if as_json:
            picture["match"] = match.as_dict()
            click.echo(json.dumps(picture, indent=2, ensure_ascii=False))
        else:
            click.echo(describe_seat(picture, match))
        return
    if as_json:
        click.echo(json.dumps({"match": match.as_dict()}, indent=2, ensure_ascii=False))
        ctx.exit(2 if match.candidates else 1)
    if not match.candidates:
        raise NotFound(match.message)
    click.echo(describe_match(match))
    ctx.exit(2)


# -- data -------------------------------------------------------------------------------------
@cli.group()
def data() -> None:
    """The bundled place data: its sources, rebuilding it, importing postcodes."""


@data.command()
def status() -> None:
    """Each source with its period, rows and licence; which postcode list answers first."""
    from ..localdata.sources import CODEPOINT_ATTRIBUTION

    store = places()
    click.echo(f"Store: {store.path}")
    click.echo("\nPostcodes are answered by the first of these that has them:")
    if store.imported_meta:
        meta = store.imported_meta
        click.echo(f"  1. {store.imported_source}: {store.postcode_index} "
                   f"({int(meta.get('rows', 0)):,} postcodes from {meta.get('source', '?')})")
    else:
        click.echo("  1. ONS Postcode Directory: not imported (see 'campaign-kit data "
                   "import-postcodes --help'; it also covers Northern Ireland)")
    onspd = store.sources.get("onspd")
    click.echo(f"  2. ONS Postcode Directory sample postcodes, bundled "
               f"({len(store.bundled_postcodes):,}; {onspd.period if onspd else '?'})")
    meta = store.meta()
    codepo = store.sources.get("codepo")
    if codepo and meta.get("codepo_postcodes"):
        click.echo(f"  3. {store.codepoint_source}, bundled: "
                   f"{int(meta['codepo_postcodes']):,} Great Britain postcodes "
                   f"({int(meta['codepo_unique']):,} in one seat, "
                   f"{int(meta['codepo_split']):,} in wards split between seats, listed as "
                   "candidates)")
        click.echo(f"     {CODEPOINT_ATTRIBUTION}")
        click.echo("  4. A postcode not in these lists: the seats of its postcode sector, as "
                   "candidates")
    else:
        click.echo("  3. Code-Point Open: missing from this store (rebuild it with "
                   "'campaign-kit data build --from DIR')")
    for s in store.sources.values():
        click.echo(f"\n{s.title}\n  publisher: {s.publisher}\n  period: {s.period}\n"
                   f"  rows: {s.rows:,}\n  licence: {s.licence}\n  files: {s.files}\n"
                   f"  url: {s.url}")
    reports = store.reports()
    click.echo(f"\nChecks made when the store was built ({len(reports)} findings):")
    for _, message in reports:
        click.echo(f"  - {message}")


@data.command()
@click.option("--from", "source_dir", required=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder holding the public data files (see data/SOURCES.md).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the store (default: the bundled store).")
def build(source_dir: Path, out: Path | None) -> None:
    """Rebuild the place store from a folder of the public files.

    Every join is checked (council codes against names, constituency names against codes);
    what disagrees is reported here, resolved by name only when that is unambiguous, and
    kept in the store for 'data status'."""
    from ..localdata.store import BUNDLED_STORE, build_store

    target = out or BUNDLED_STORE
    found: list[str] = []
    counts = build_store(source_dir, target, report=found.append)
    for message in found:
        click.echo(f"Check: {message}")
    click.echo(f"Wrote {target} ({target.stat().st_size / 1e6:.1f} MB): "
               + ", ".join(f"{v:,} {k}" for k, v in counts.items()))


@data.command("import-postcodes")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the index (default: your data folder).")
def import_postcodes_cmd(csv_file: Path, out: Path | None) -> None:
    """Import the full ONS Postcode Directory CSV (2024 or 2025 layout)."""
    from ..localdata.store import import_postcodes, user_postcode_index

    target = out or user_postcode_index()

    def progress(n: int) -> None:
        if sys.stderr.isatty():
            click.echo(f"\r{n:,} postcodes", nl=False, err=True)

    count = import_postcodes(csv_file, target, progress=progress)
    if sys.stderr.isatty():
        click.echo("", err=True)
    click.echo(f"Imported {count:,} postcodes into {target}")


# -- shared options ---------------------------------------------------------------------------
def place_options(func):
    func = click.option("--postcode", metavar="PC", callback=edge("postcode"),
                        help="The member's postcode.")(func)
    func = click.option("--constituency", metavar="Q", callback=edge("constituency"),
                        help="Constituency name (2024 or older) or ONS code.")(func)
    return func


def content_option(func):
    return click.option("--content", "content_dir", type=click.Path(file_okay=False,
                        path_type=Path), envvar="CAMPAIGN_KIT_CONTENT",
                        help="Your folder of campaigns (or of files overriding the bundled "
                             "ones); default $CAMPAIGN_KIT_CONTENT.")(func)


def source_options(func):
    func = content_option(func)
    func = click.option("--templates", "templates_dir", type=click.Path(file_okay=False,
                        path_type=Path), help="Folder overriding templates, file by file.")(func)
    func = click.option("--campaign", "campaign_id", metavar="ID", callback=edge("campaign"),
                        help="Which campaign (default: content/campaigns.yaml; see "
                             "'campaign-kit campaigns').")(func)
    return func


def output_options(default_formats: str):
    def decorate(func):
        func = click.option("--force", is_flag=True, help="Overwrite existing files.")(func)
        func = click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
                            default=Path("output"), show_default=True,
                            help="Output folder.")(func)
        func = click.option("--format", "formats", default=default_formats, show_default=True,
                            callback=edge("format"), help="Comma-separated formats.")(func)
        return func
    return decorate


def load_kit(templates_dir, content_dir, campaign_id):
    from ..engine.engine import Kit

    return Kit.load(templates_dir, content_dir, campaign_id)


def resolve_seat(kit, constituency: str | None, postcode: str | None):
    """The seat for --constituency or --postcode; when the place could be more than one seat,
    a one-line error naming the candidates and --constituency, the option that picks one."""
    if (constituency is None) == (postcode is None):
        raise click.UsageError("give one of --constituency or --postcode")
    try:
        seat, note = kit.places.locate(constituency, postcode)
    except Ambiguous as exc:
        raise exc.with_option("--constituency") from None
    if note:
        warn(note)
    return seat


def find_council(kit, query: str):
    """--council: an upper-tier council, or a one-line error naming the candidates."""
    try:
        return kit.places.council(query)
    except Ambiguous as exc:
        raise exc.with_option("--council") from None


def parse_date(text: str | None):
    import datetime as dt

    from ..engine.rules import check_date

    if not text:
        return dt.date.today()
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"'{text}' is not a date (use YYYY-MM-DD, e.g. 2027-02-10)",
                                 param_hint="--date") from None
    return check_date(day)


def split_ids(text: str | None) -> list[str] | None:
    """'a, b,,c' -> ['a', 'b', 'c']; None when nothing was given (use the defaults)."""
    ids = [a.strip() for a in (text or "").split(",") if a.strip()]
    return ids or None


def finish(summary) -> None:
    """Exit 130 after Ctrl-C, 1 when any row failed or a record could not be written."""
    if summary.interrupted:
        exit_interrupted()
    if summary.failed or summary.broken or summary.problems:
        sys.exit(1)


def read_story(story: str | None) -> str:
    from ..engine.rules import read_story as bounded_read

    return bounded_read(story)


def produce(kit, kind_id: str, request, formats: str, out_dir: Path, force: bool) -> list[Path]:
    """Make one kind for one request, write its formats and say what happened."""
    from ..engine import kinds
    from ..engine.engine import parse_formats

    kind = kinds.KINDS[kind_id]
    fmts = parse_formats(formats, kind.formats)
    made = kinds.make(kit, kind_id, request)
    paths, _ = kinds.write(kit, made, fmts, out_dir, force)
    for note in made.notes:
        warn(note)
    return paths


# -- campaigns -------------------------------------------------------------------------------
@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@content_option
def campaigns(as_json: bool, content_dir: Path | None) -> None:
    """List the campaigns: id first, then name, asks and the default marked."""
    from ..content.campaign import default_campaign, list_campaigns, read_campaign
    from ..errors import TemplateProblem

    default = default_campaign(content_dir)
    rows = []
    for cid in list_campaigns(content_dir):
        try:
            campaign, problems = read_campaign(cid, content_dir)
            errors = [str(p) for p in problems if not p.warning]
        except TemplateProblem as exc:  # a file that cannot be read at all
            campaign, errors = None, [str(exc)]
        rows.append({"id": cid, "name": campaign.info["name"] if campaign else None,
                     "default": cid == default,
                     "asks": campaign.ask_ids if campaign else [],
                     "folder": str(campaign.folder) if campaign else None,
                     "errors": errors})
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for row in rows:
        mark = " (default)" if row["default"] else ""
        if row["errors"]:
            click.echo(f"{row['id']}{mark}  has problems: {row['errors'][0]} (run "
                       f"'campaign-kit check --campaign {row['id']}')")
        else:
            click.echo(f"{row['id']}{mark}  {row['name']}: {len(row['asks'])} asks "
                       f"({', '.join(row['asks'])})")


@cli.command("new-campaign")
@click.argument("campaign_id")
@click.option("--from", "source", metavar="ID", help="The campaign to start from (default: "
              "the default campaign).")
@content_option
def new_campaign(campaign_id: str, source: str | None, content_dir: Path | None) -> None:
    """Start a campaign: a copy of another campaign's files in a new folder to edit."""
    from ..content.campaign import copy_campaign

    folder = copy_campaign(campaign_id, source, content_dir)
    click.echo(f"Made {folder}: edit campaign.yaml, asks.yaml and phrasing.yaml there, then "
               f"run 'campaign-kit check --campaign {campaign_id}'")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--files-only", is_flag=True, help="Check the files without rendering.")
@click.option("--quick", is_flag=True,
              help="Every template at every place, but PDF/DOCX/PPTX for one place only.")
@source_options
def check(as_json: bool, files_only: bool, quick: bool, templates_dir, content_dir,
          campaign_id) -> None:
    """Check a campaign before release: its files, then every kind in every format rendered
    for reference places (England one and several councils, a short series, Wales,
    Scotland, Northern Ireland). Exits 1 on any error."""
    from ..authoring.check import check as run_check
    from ..authoring.check import describe

    report = run_check(campaign_id, content_dir, templates_dir, render=not files_only,
                       quick=quick)
    if as_json:
        click.echo(json.dumps({"campaign": report.campaign, "rendered": report.rendered,
                               "places": report.places, "seconds": round(report.seconds, 2),
                               "problems": [{"file": p.file, "line": p.line,
                                             "message": p.message,
                                             "level": "warning" if p.warning else "error"}
                                            for p in report.problems]},
                              indent=2, ensure_ascii=False))
    else:
        click.echo(describe(report))
    if report.errors:
        sys.exit(1)


@cli.command()
@click.argument("kind", type=click.Choice(["letter", "roundtable", "deck"]))
@click.option("--place", required=True, metavar="Q", callback=edge("place"),
              help="A postcode, constituency or (for a deck) council.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("output"), show_default=True, help="Output folder.")
@source_options
def preview(kind, place, out_dir, templates_dir, content_dir, campaign_id) -> None:
    """Render KIND for a place with sample details and make a page to look at: a contact
    sheet of first pages (every slide of a deck). Prints its path."""
    import datetime as dt

    from ..authoring.preview import preview as make_preview

    kit = load_kit(templates_dir, content_dir, campaign_id)
    index = make_preview(kit, kind, place, out_dir, dt.date.today())
    click.echo(str(index))


# -- letter -----------------------------------------------------------------------------------
@cli.command()
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
    from ..engine.engine import Member
    from ..engine.kinds import Request

    member = Member.from_fields(name, address, role, school, read_story(story))
    kit = load_kit(templates_dir, content_dir, campaign_id)
    seat = resolve_seat(kit, constituency, postcode)
    request = Request(parse_date(date_text), seat=seat, member=member,
                      ask_ids=split_ids(ask_ids), council=council)
    paths = produce(kit, "letter", request, formats, out_dir, force)
    click.echo(f"Letter to {seat.mp.full_title} ({seat.name}):")
    for path in paths:
        click.echo(f"  {path}")


# -- roundtable ------------------------------------------------------------------------------
def host_options(func):
    """The organiser: who signs the letters and how the MP's office replies."""
    for option in reversed((
            click.option("--host-name", callback=edge("host_name"),
                         help="The organiser, who signs the letters."),
            click.option("--host-role", callback=edge("host_role"),
                         help="The organiser's role, e.g. regional official."),
            click.option("--host-email", metavar="EMAIL", callback=edge("host_email"),
                         help="The organiser's email: the MP's office replies to it."),
            click.option("--host-phone", metavar="PHONE", callback=edge("host_phone"),
                         help="The organiser's phone number (UK), e.g. 0191 498 0000."))):
        func = option(func)
    return func


def event_options(func):
    """The event's date, time and venue (a roundtable, or every seat of a kit)."""
    for option in reversed((
            click.option("--date", "date_text", metavar="DATE", callback=edge("date"),
                         help="Date of the roundtable: 2027-02-10 or 10/02/2027 (day first, "
                              "as in the UK)."),
            click.option("--time", "time_text", metavar="HH:MM", callback=edge("time"),
                         help="Start time, 24-hour clock (a start outside 07:00-21:00 is "
                              "warned)."),
            click.option("--venue", callback=edge("venue"), help="Where it takes place."))):
        func = option(func)
    return func


@cli.command()
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

    from ..engine.kinds import Request
    from ..engine.roundtable import parse_event

    today = dt.date.today()
    event, notes = parse_event(date_text, time_text, venue, host_name, host_role, today,
                               host_email, host_phone)
    kit = load_kit(templates_dir, content_dir, campaign_id)
    seat = resolve_seat(kit, constituency, postcode)
    request = Request(event.date or today, seat=seat, event=event,
                      ask_ids=split_ids(ask_ids), today=today)
    for note in notes:
        warn(note)
    paths = produce(kit, "roundtable", request, formats, out_dir, force)
    click.echo(f"Roundtable pack for {seat.name} ({seat.mp.full_title}) in {paths[0].parent}:")
    for path in paths:
        click.echo(f"  {path.name}")


# -- deck -------------------------------------------------------------------------------------
@cli.command()
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
    from ..engine.kinds import Area, Request

    if sum(x is not None for x in (constituency, postcode, council)) != 1:
        raise click.UsageError("give one of --constituency, --postcode or --council")
    kit = load_kit(templates_dir, content_dir, campaign_id)
    if council is not None:
        area = Area.of_council(kit, find_council(kit, council))
    else:
        area = Area.of_seat(resolve_seat(kit, constituency, postcode))
    request = Request(parse_date(date_text), area=area, ask_ids=split_ids(ask_ids))
    paths = produce(kit, "deck", request, formats, out_dir, force)
    click.echo(f"Deck for {area.name}:")
    for path in paths:
        click.echo(f"  {path}")


# -- batches ----------------------------------------------------------------------------------
def jobs_option(func):
    from ..runs.batch import default_workers

    return click.option("--jobs", type=click.IntRange(1, 64), default=default_workers(),
                        show_default="one per core",
                        help="Worker processes.")(func)


@cli.command()
@click.argument("members_csv", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--print-pdf", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write one PDF of every letter, each on a new page, for printing.")
@click.option("--date", "date_text", metavar="YYYY-MM-DD", callback=edge("date"),
              help="Date on the letters (default: today).")
@output_options("pdf,docx")
@jobs_option
@source_options
def letters(members_csv, print_pdf, date_text, formats, out_dir, force, jobs, templates_dir,
            content_dir, campaign_id) -> None:
    """One letter per row of a members' spreadsheet (CSV saved from Excel).

    Columns (any case, spaces allowed): name, postcode or constituency, address, role,
    school, story, asks (ids separated by ;), council (the member's own, where the seat
    spans several). Bad rows go to errors.csv in the output folder;
    every good row is still written. Re-running skips letters that are up to date.
    """
    from ..engine import engine as kits
    from ..engine.kinds import KINDS
    from ..runs import batch

    fmts = kits.parse_formats(formats, KINDS["letter"].formats)
    if print_pdf and "pdf" not in fmts:
        raise click.UsageError("--print-pdf needs pdf among the --format formats")
    rows = batch.read_members(members_csv)
    for row in rows:
        if row.note:
            warn(row.note)
    date = parse_date(date_text)
    loaded = load_kit(templates_dir, content_dir, campaign_id)
    sources = batch.Sources(templates_dir, content_dir, loaded.campaign.id)
    run = batch.make_letters(loaded, sources, members_csv, rows, date, fmts, out_dir, jobs,
                             force, print_pdf, say=click.echo)
    if run.printed:
        target, count, pages = run.printed
        click.echo(f"Print PDF: {target} ({count} letters, {pages} pages)")
    summary = run.summary
    finish(summary)


@cli.command()
@click.option("--constituency", metavar="Q", callback=edge("constituency"),
              help="One constituency.")
@click.option("--region", metavar="NAME", callback=edge("region"),
              help="Every seat in a region (e.g. 'South East', 'Wales', 'Scotland').")
@click.option("--all", "every", is_flag=True, help="All 650 seats.")
@click.option("--events", "events_csv", type=click.Path(exists=True, dir_okay=False,
              path_type=Path), help="A CSV of seats and their events (columns: seat or "
              "postcode, date, time, venue, host name, role, email, phone, asks).")
@event_options
@host_options
@click.option("--asks", "ask_ids", metavar="ID,ID", callback=edge("asks"),
              help="Which asks the packs and decks discuss.")
@click.option("--dated", "dated_text", metavar="YYYY-MM-DD", callback=edge("date"),
              help="Date the documents carry (default: today).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("output/kit"), show_default=True, help="Output folder.")
@click.option("--force", is_flag=True, help="Redo kits that are up to date.")
@jobs_option
@source_options
def kit(constituency, region, every, events_csv, date_text, time_text, venue, host_name,
        host_role, host_email, host_phone, ask_ids, dated_text, out_dir, force, jobs,
        templates_dir, content_dir, campaign_id) -> None:
    """Each seat's kit: roundtable pack, deck and a template letter, one folder per seat.

    The event's details (--date, --time, --venue, --host-*, --asks) are given once for every
    seat, or per seat in an --events CSV (its cells win; an empty cell takes the option's
    value). Details nobody gave are marked spaces to fill in the documents. A region, --all
    or --events run also writes index.csv and index.pdf. Bad CSV rows go to errors.csv.
    """
    from ..runs import batch
    from ..runs import kits as regional

    if sum(bool(x) for x in (constituency, region, every, events_csv)) != 1:
        raise click.UsageError("give one of --constituency, --region, --all or --events")
    today = parse_date(dated_text)
    loaded = load_kit(templates_dir, content_dir, campaign_id)
    given = {"date": date_text, "time": time_text, "venue": venue, "host_name": host_name,
             "host_role": host_role, "host_email": host_email, "host_phone": host_phone,
             "asks": ask_ids}
    given = {k: v for k, v in given.items() if v}
    _, notes = regional.check_details(loaded, given, today)  # bad options stop here
    for note in notes:
        warn(note)
    seat = resolve_seat(loaded, constituency, None) if constituency else None
    try:
        entries, title = regional.seat_events(loaded, given, today, seat=seat, region=region,
                                              every=every, events_csv=events_csv)
    except InputProblem as exc:
        if region:  # a bad option value: a usage error, as Click gives for the others
            raise click.BadParameter(str(exc), param_hint="--region") from None
        raise
    for entry in entries:
        for note in entry.notes:
            warn(note)
    sources = batch.Sources(templates_dir, content_dir, loaded.campaign.id)
    summary, index = regional.make_kits(loaded, sources, entries, title, today, out_dir, jobs,
                                        force, index=not constituency, say=click.echo)
    if index:
        click.echo("Index: " + ", ".join(str(p) for p in index))
    finish(summary)


# -- web --------------------------------------------------------------------------------------
@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0: every network the machine is on).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              show_default="one per core", help="Worker processes (each makes one document "
              "at a time).")
@click.option("--rate-limit", "rate", type=click.FloatRange(1, 100_000), default=20,
              show_default=True, help="Documents a minute each client may make, per worker.")
@source_options
def serve(host, port, workers, rate, templates_dir, content_dir, campaign_id) -> None:
    """Run the web app: members write to their MP, officials download packs and decks.

    A production server (gunicorn, pre-forked worker processes). Set CAMPAIGN_KIT_SECRET to
    the same random value on every server behind a load balancer.
    """
    from ..runs.batch import default_workers
    from ..web.server import serve as run

    run(host, port, workers or default_workers(), campaign_id, content_dir, templates_dir,
        rate)


def main() -> None:
    try:
        cli(prog_name="campaign-kit")
    except KeyboardInterrupt:  # while Python was still importing, before Click took over
        exit_interrupted()
