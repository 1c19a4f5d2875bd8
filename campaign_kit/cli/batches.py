"""`letters` and `kit`: many documents at once, in worker processes.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from ..errors import InputProblem
from .notes import words
from .options import (
    edge,
    event_options,
    finish,
    host_options,
    jobs_option,
    load_engine,
    output_options,
    parse_date,
    resolve_seat,
    source_options,
    warn,
)


@click.command()
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
    from ..engine.engine import check_formats, split_formats
    from ..engine.kinds import KINDS
    from ..runs.letters import make_letters, read_members
    from ..runs.sources import Sources

    fmts = list(check_formats(KINDS["letter"], split_formats(formats)))
    if print_pdf and "pdf" not in fmts:
        raise click.UsageError("--print-pdf needs pdf among the --format formats")
    rows = read_members(members_csv)
    for row in rows:
        if row.note:
            warn(row.note)
    date = parse_date(date_text)
    engine = load_engine(templates_dir, content_dir, campaign_id)
    sources = Sources(templates_dir, content_dir, engine.campaign.id)
    bar = Progress("Letters")
    run = make_letters(engine, sources, members_csv, rows, date, fmts, out_dir, jobs, force,
                       print_pdf, progress=bar.show, merging=lambda n: click.echo(
                           f"Merging {n} letters into {print_pdf} ..."))
    bar.close()
    click.echo(describe(run.summary, "letters", out_dir))
    if run.printed:
        target, count, pages = run.printed
        click.echo(f"Print PDF: {target} ({count} letters, {pages} pages)")
    finish(run.summary)


@click.command()
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
@click.option("--dated", "dated_text", metavar="YYYY-MM-DD", callback=edge("dated"),
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
    from ..runs import kits as regional
    from ..runs.sources import Sources

    if sum(bool(x) for x in (constituency, region, every, events_csv)) != 1:
        raise click.UsageError("give one of --constituency, --region, --all or --events")
    today = parse_date(dated_text, "dated")
    loaded = load_engine(templates_dir, content_dir, campaign_id)
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
            warn(f"row {entry.row} ({entry.label}): {words(note)}" if events_csv else note)
    sources = Sources(templates_dir, content_dir, loaded.campaign.id)
    bar = Progress("Kits")
    summary, index = regional.make_kits(loaded, sources, entries, title, today, out_dir, jobs,
                                        force, index=not constituency, progress=bar.show)
    bar.close()
    click.echo(describe(summary, "kits", out_dir))
    if index:
        click.echo("Index: " + ", ".join(str(p) for p in index))
    finish(summary)


class Progress:
    """A bar with count and rate on a terminal; a quiet line every tenth in a log."""

    def __init__(self, label: str, stream=None):
        self.label = label
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.start = time.perf_counter()
        self.shown = False

    def show(self, done: int, total: int) -> None:
        self.shown = True
        elapsed = time.perf_counter() - self.start
        rate = done / elapsed if elapsed > 0 else 0.0
        if self.tty:
            width = 30
            filled = int(width * done / max(total, 1))
            eta = (total - done) / rate if rate else 0
            self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] "
                              f"{done}/{total} {rate:.1f}/s ETA {eta:.0f}s ")
        elif done % max(1, total // 10) == 0 or done == total:
            self.stream.write(f"{self.label}: {done}/{total} ({rate:.1f}/s)\n")
        self.stream.flush()

    def close(self) -> None:
        if self.tty and self.shown:
            self.stream.write("\n")
            self.stream.flush()


def describe(summary, noun: str, out_dir: Path) -> str:
    """A run's summary: made, skipped, failed, how fast, where the time went, and anything
    that could not be recorded (a full disk)."""
    total = summary.made + len(summary.failed)
    rate = summary.made / summary.seconds if summary.seconds else 0.0
    text = (f"Made {summary.made} {noun}, skipped {summary.skipped} up to date, failed "
            f"{len(summary.failed)} in {summary.seconds:.1f} s ({rate:.1f}/s)")
    if summary.failed:
        text += f"; see {out_dir / 'errors.csv'}"
    if summary.noted:
        rows = "1 row" if summary.noted == 1 else f"{summary.noted:,} rows"
        text += f"\nNotes on {rows} to check before sending: {out_dir / 'notes.csv'}"
    spent = sum(summary.timings.values())
    if spent and total:
        text += "\nTime in: " + ", ".join(
            f"{k} {100 * v / spent:.0f}%" for k, v in sorted(summary.timings.items(),
                                                             key=lambda kv: -kv[1]))
    if summary.interrupted:
        text = "Interrupted. " + text
    if summary.broken:
        text = ("Stopped: a worker process died (out of memory, or killed); finished files "
                "are kept, run again to continue. " + text)
    for problem in summary.problems:  # e.g. a full disk: say so, and what failed
        text += f"\nWarning: {problem}"
    if summary.problems and summary.failed:
        text += "\n" + "\n".join(f"  row {r.job.row}: {words(r.problem)}"
                                  for r in summary.failed[:10])
    return text
