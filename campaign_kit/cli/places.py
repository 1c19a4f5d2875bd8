"""`lookup` and `data`: places, their MPs and figures, and the store they come from.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .options import edge, places


@click.command()
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

@click.group()
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
