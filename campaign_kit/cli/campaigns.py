"""`campaigns`, `new-campaign`, `check` and `preview`: for the campaigns team.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .options import content_option, edge, load_engine, source_options


@click.command()
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


@click.command("new-campaign")
@click.argument("campaign_id")
@click.option("--from", "source", metavar="ID", help="The campaign to start from (default: "
              "the default campaign).")
@content_option
def new_campaign(campaign_id: str, source: str | None, content_dir: Path | None) -> None:
    """Start a campaign: a copy of another campaign's files in a new folder to edit."""
    from ..authoring.newcampaign import copy_campaign

    folder = copy_campaign(campaign_id, source, content_dir)
    click.echo(f"Made {folder}: edit campaign.yaml, asks.yaml and phrasing.yaml there, then "
               f"run 'campaign-kit check --campaign {campaign_id}'")


@click.command()
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
                               "brand_files": list(report.brand_files),
                               "problems": [{"file": p.file, "line": p.line,
                                             "message": p.message,
                                             "level": "warning" if p.warning else "error",
                                             "limit": p.limit}
                                            for p in report.problems]},
                              indent=2, ensure_ascii=False))
    else:
        click.echo(describe(report))
    if report.errors:
        sys.exit(3)  # the campaign's files are wrong (cli/__init__.py EXIT_CODES)


@click.command()
@click.argument("kind", type=click.Choice(["letter", "roundtable", "deck"]))
@click.option("--place", required=True, metavar="Q", callback=edge("place"),
              help="A postcode, constituency or (for a deck) council.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: a new temporary folder, never the project).")
@source_options
def preview(kind, place, out_dir, templates_dir, content_dir, campaign_id) -> None:
    """Render KIND for a place with sample details and make a page to look at: a contact
    sheet of first pages (every slide of a deck). Prints its path."""
    import datetime as dt
    import tempfile

    from ..authoring.preview import preview as make_preview

    kit = load_engine(templates_dir, content_dir, campaign_id)
    if out_dir is None:
        out_dir = Path(tempfile.mkdtemp(prefix="campaign-kit-preview-"))
    index = make_preview(kit, kind, place, out_dir, dt.date.today())
    click.echo(str(index))
