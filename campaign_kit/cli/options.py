"""Shared options and the small steps every command takes: one normalisation step for every
typed option, the seat or council an option names (candidates listed, never guessed), and
the loaded engine.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..engine.rules import one_line
from ..errors import Ambiguous, NotFound
from ..notes import Note
from ..runs.interrupt import exit_interrupted
from .notes import ambiguous, words


def warn(message) -> None:
    """A warning (a Note, in the CLI's words, or a text) on standard error."""
    text = words(message) if isinstance(message, Note) else str(message)
    click.secho(f"Warning: {one_line(text)}", fg="yellow", err=True)


def places():
    from ..localdata.lookup import Places

    return Places()


def edge(field: str, shown: str = ""):
    """A Click callback putting an option's text through inputs.clean, the one normalisation
    step every typed field takes (NFC, no control characters, a length limit). `shown` names
    an argument (QUERY) in a refusal, as an option is named by cli/notes.py."""
    def callback(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        from ..engine.rules import clean
        from ..errors import InputProblem

        try:
            return None if value is None else clean(value, field)
        except InputProblem as exc:
            if not shown:
                raise
            raise click.ClickException(one_line(words(exc.note, lambda _: shown))) from None
    return callback


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


def load_engine(templates_dir, content_dir, campaign_id):
    from ..engine.engine import Engine

    return Engine.load(templates_dir, content_dir, campaign_id)


def resolve_seat(kit, constituency: str | None, postcode: str | None):
    """The seat for --constituency or --postcode; when the place could be more than one seat,
    a one-line error naming the candidates and --constituency, the option that picks one."""
    if (constituency is None) == (postcode is None):
        raise click.UsageError("give one of --constituency or --postcode")
    try:
        seat, note = kit.places.locate(constituency, postcode)
    except Ambiguous as exc:
        raise choice_needed(exc, "--constituency") from None
    except NotFound as exc:
        raise not_found(exc, "--postcode" if postcode is not None else "--constituency") \
            from None
    if note:
        warn(note)
    return seat


def find_council(kit, query: str):
    """--council: an upper-tier council, or a one-line error naming the candidates."""
    try:
        return kit.places.council(query)
    except Ambiguous as exc:
        raise choice_needed(exc, "--council") from None
    except NotFound as exc:
        raise not_found(exc, "--council") from None


def not_found(exc: NotFound, option_name: str) -> click.ClickException:
    """A place no seat or council answers to, with the option that named it (exit 1, as
    for any value that cannot be used)."""
    return click.ClickException(one_line(f"{option_name}: {words(exc.note)}"))


def choice_needed(exc: Ambiguous, option_name: str) -> click.ClickException:
    """A place that could be more than one: its candidates and the option that picks one
    (exit 2, as for any usage error: the person has a choice to make)."""
    error = click.ClickException(one_line(ambiguous(exc.summary, option_name)))
    error.exit_code = 2
    return error


def parse_date(text: str | None, field_name: str = "date"):
    """A date option (2027-02-10 or 10/02/2027), or today when none is given."""
    import datetime as dt

    from ..engine.rules import parse_date as read_date

    return read_date(text, field_name) if text else dt.date.today()


def split_ids(text: str | None) -> tuple[str, ...] | None:
    """Ask ids separated by ',' or ';', as everywhere else; None: the campaign's."""
    from ..engine.rules import ask_list

    return ask_list(text)


def finish(summary) -> None:
    """Exit 130 after Ctrl-C, 1 when any row failed or a record could not be written."""
    if summary.interrupted:
        exit_interrupted()
    if summary.failed or summary.broken or summary.problems:
        sys.exit(1)


def read_story(story: str | None) -> str:
    from ..engine.rules import read_story as bounded_read

    return bounded_read(story)


def produce(engine, kind_id: str, request, formats: str, out_dir: Path,
            force: bool) -> list[Path]:
    """Make one kind for one request, write its files and say what the person should know.
    Existing files are refused before any work (unless --force)."""
    from ..engine.engine import check_formats, split_formats
    from ..engine.kinds import KINDS
    from ..runs.outputs import check_free, target_path, write_product

    chosen = check_formats(KINDS[kind_id], split_formats(formats))
    check_free([target_path(out_dir, n) for n in engine.file_names(kind_id, request, chosen)],
               force)
    product = engine.produce(kind_id, request, chosen)
    paths = write_product(product, out_dir, force)
    for note in product.notes:
        warn(note)
    return paths


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


def jobs_option(func):
    from ..runs.jobs import default_workers

    return click.option("--jobs", type=click.IntRange(1, 64), default=default_workers(),
                        show_default="one per core",
                        help="Worker processes.")(func)
