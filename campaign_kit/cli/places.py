"""`lookup` and `data`: places, their MPs and figures, and the store they come from.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..engine.rules import one_line
from .options import content_option, edge, places

DATA_EXIT = 4  # the place data or a data file is wrong (cli/__init__.py EXIT_CODES)


@click.command()
@click.argument("query", callback=edge("place", "QUERY"))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_context
def lookup(ctx: click.Context, query: str, as_json: bool) -> None:
    """Show a constituency, its MP, councils and SEND figures.

    QUERY is a postcode (SW1A 1AA), a constituency name (2024 or older; two words of it
    are enough), a council or district name, or an ONS code. When it could mean more than
    one seat, the candidates are listed (exit code 2): give one of them by name.
    """
    from ..errors import NotFound
    from ..localdata.pictures import seat_picture
    from .lookup_text import describe_match, describe_seat

    store = places()
    match = store.resolve(query)
    if match.seat is not None:
        seat = store.constituency(match.seat)
        picture = seat_picture(store, seat).as_json()
        own = store.council_of_postcode(seat, match.postcode)
        if as_json:
            picture["match"] = match.as_dict()
            picture["postcode_council"] = own.code if own else None
            click.echo(json.dumps(picture, indent=2, ensure_ascii=False))
        else:
            click.echo(describe_seat(picture, match, own.display_name if own else ""))
        return
    if as_json:
        click.echo(json.dumps({"match": match.as_dict()}, indent=2, ensure_ascii=False))
        ctx.exit(2 if match.candidates else 1)
    if not match.candidates:
        raise NotFound(match.message)
    click.echo(describe_match(match))
    ctx.exit(2)


@click.group()
def data() -> None:
    """The bundled place data: its sources, rebuilding it, importing postcodes."""


@data.command()
@content_option
def status(content_dir: Path | None) -> None:
    """Which data answers; each dataset's period, when it was published and when the next
    release is due; each source with its rows and licence; which postcode list answers
    first."""
    from ..localdata.sources import CODEPOINT_ATTRIBUTION

    store = places()
    _which_store(store)
    _releases(store, content_dir)
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
    _anomalies(store)


def _anomalies(store) -> None:
    """The figures the anomaly guard flags (docs/EVIDENCE.md): out of letters, marked in
    briefings."""
    from ..localdata.anomalies import Anomaly, words

    names = {c: n for c, n in store.db.execute("SELECT code, display_name FROM councils")}
    flagged = [Anomaly(c, m, p, r) for (c, m, p), r in store.anomalies.items()]
    click.echo(f"\nFigures in doubt, left out of letters and marked in briefings "
               f"({len(flagged)}):")
    for a in flagged:
        click.echo(f"  - {words(a, names)}")


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


def _which_store(store) -> None:
    from ..localdata.store import BUNDLED_STORE

    if store.path == BUNDLED_STORE or not store.path.is_file():
        click.echo(f"Data: the data bundled with campaign-kit ({store.path})")
        return
    meta = store.meta()
    click.echo(f"Data: your updated store, {store.path} (updated {meta.get('updated_on', '?')}: "
               f"{meta.get('updated_datasets', '?').replace(',', ', ')}); undo the last update "
               "with 'campaign-kit data update --undo'")
    import hashlib

    if BUNDLED_STORE.is_file() and meta.get("bundled_sha256") and \
            hashlib.sha256(BUNDLED_STORE.read_bytes()).hexdigest() != meta["bundled_sha256"]:
        click.echo("  Note: the bundled data has changed since (a newer campaign-kit); your "
                   "store still answers. Compare with 'campaign-kit data status' after an undo.")


def _releases(store, content_dir: Path | None) -> None:
    """Each dataset's edition in the kit and whether a newer release is due (datasets.yaml)."""
    import datetime as dt

    from ..content import datasets

    today = dt.date.today()
    path = datasets.datasets_file(content_dir)
    known = datasets.cycles(path)
    click.echo(f"\nDatasets and their releases ({path}):")
    for cycle in known.values():
        v = datasets.vintage(store, cycle.id, today, known)
        source = store.sources.get(cycle.id)
        if v is None or v.published is None:
            click.echo(f"  {cycle.name}: {source.period if source else '?'}; changes at "
                       "by-elections: 'campaign-kit data update --members' checks it")
            continue
        due = datasets.month_year(v.next_due)
        state = (f"a newer release was due {due} and is probably out: download it from "
                 f"{cycle.page}" if v.newer_due else f"next release due {due}")
        click.echo(f"  {cycle.name}: {v.period}, published {datasets.month_year(v.published)};"
                   f" {state}")


@data.command("update")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--members", is_flag=True,
              help="Also update MPs from Parliament's Members API (needs the internet).")
@click.option("--dry-run", is_flag=True, help="Show the change report; change nothing.")
@click.option("--undo", is_flag=True,
              help="Put back the data as it was before the last update.")
@click.option("--accept-anomalies", is_flag=True,
              help="Apply the update although figures move implausibly (after checking them "
                   "at the publisher).")
@click.option("--report", "report_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the change report (default: your data folder's updates/).")
@click.option("--members-api", default="https://members-api.parliament.uk",
              envvar="CAMPAIGN_KIT_MEMBERS_API", hidden=True)
@content_option
def update_cmd(files: tuple[Path, ...], members: bool, dry_run: bool, undo: bool,
               accept_anomalies: bool, report_file: Path | None, members_api: str,
               content_dir: Path | None) -> None:
    """Update datasets from the official files as downloaded (CSV, or the release's zip).

    Each file is recognised by its columns, whatever its name. Only the datasets given are
    replaced; every check must pass before the new data is used, and a change report is
    shown and written. The data bundled with campaign-kit is never changed: the updated
    data lives in your data folder, and --undo puts back what was there before."""
    from ..localdata import update as up

    if undo:
        if files or members or dry_run:
            raise click.UsageError("--undo takes no files and no other option")
        click.echo(f"Undone: the kit now answers from {up.undo()}")
        return
    if not files and not members:
        raise click.UsageError("give the downloaded files (CSV or zip), or --members")
    request = _update_request(files, members, dry_run, accept_anomalies, report_file,
                              members_api, content_dir)
    outcome = up.update(request)
    found = outcome.report
    for line in found.lines(limit=40):  # a file's cells quoted: shown, never obeyed
        click.echo(one_line(line))
    click.echo(f"\nReport: {outcome.report_file}")
    if found.refusals:
        hint = " (or, after checking them at the publisher, --accept-anomalies)" \
            if found.anomalies else ""
        error = click.ClickException(f"update refused: {len(found.refusals)} problem(s) listed "
                                     f"under 'Refused'{hint}; nothing was changed")
        error.exit_code = DATA_EXIT
        raise error
    if dry_run:
        click.echo("Dry run: nothing was changed; run again without --dry-run to apply.")
    else:
        click.echo(f"Updated: the kit now answers from {outcome.store}; "
                   "'campaign-kit data update --undo' puts back the data before.")


def _update_request(files, members, dry_run, accept_anomalies, report_file, api, content_dir):
    import datetime as dt

    from ..content import datasets
    from ..localdata import update as up

    known = {k: c.known_code_errors
             for k, c in datasets.cycles(datasets.datasets_file(content_dir)).items()}
    request = up.Request(tuple(files), known_code_errors=known, dry_run=dry_run,
                         accept_anomalies=accept_anomalies, report_file=report_file)
    if not members:
        return request
    from ..localdata import members as parliament

    seats = places().seat_members()
    click.echo("Asking Parliament's Members API for the current MPs...", err=True)
    try:
        fetched = parliament.fetch(seats, api.rstrip("/"))
    except parliament.Offline as exc:
        error = click.ClickException(f"{exc} (is this computer online?)")
        error.exit_code = DATA_EXIT
        raise error from None
    import dataclasses

    return dataclasses.replace(
        request, members=fetched.mps, members_unmatched=tuple(fetched.unmatched),
        members_source=f"UK Parliament Members API, {dt.date.today():%-d %B %Y}")
