"""`serve`: the web app.
"""

from __future__ import annotations

import click

from .options import source_options


@click.command()
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
    from ..runs.jobs import default_workers
    from ..web.server import serve as run

    run(host, port, workers or default_workers(), campaign_id, content_dir, templates_dir,
        rate)
