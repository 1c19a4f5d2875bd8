"""`serve`: the web app. Every option can also be set by an environment variable (shown in
--help), so each copy behind a load balancer can be configured the same way.
"""

from __future__ import annotations

import click

from .options import source_options

ENV = "CAMPAIGN_KIT_"


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, envvar=ENV + "HOST",
              help="Address to listen on (0.0.0.0: every network the machine is on).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True,
              envvar=ENV + "PORT")
@click.option("--workers", type=click.IntRange(1, 64), default=None, envvar=ENV + "WORKERS",
              show_default="one per core", help="Worker processes (each makes one document "
              "at a time).")
@click.option("--threads", type=click.IntRange(1, 64), default=4, show_default=True,
              envvar=ENV + "THREADS", help="Threads per worker (they answer pages while "
              "one makes a document).")
@click.option("--max-connections", "connections", type=click.IntRange(10, 10_000),
              default=250, show_default=True, envvar=ENV + "MAX_CONNECTIONS",
              help="Connections each worker holds open at once.")
@click.option("--rate-limit", "rate", type=click.FloatRange(1, 100_000), default=None,
              envvar=ENV + "RATE_LIMIT", show_default="20",
              help="Documents a minute each client may make (in total, with --storage-url).")
@click.option("--storage-url", default=None, envvar=ENV + "STORAGE_URL", metavar="URL",
              help="A shared store for the rate limits and the form secret, e.g. "
              "redis://127.0.0.1:6379/0 (default: each worker counts on its own).")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="A host name (or name:port) to answer for; repeat for more. Default: "
              "the address it listens on and localhost. Also CAMPAIGN_KIT_ALLOWED_HOSTS "
              "(comma-separated).")
@click.option("--proxies", type=click.IntRange(0, 5), default=None, envvar=ENV + "PROXIES",
              help="Reverse proxies in front (their X-Forwarded-For/-Proto are trusted).")
@source_options
def serve(host, port, workers, threads, connections, rate, storage_url, allowed_hosts,
          proxies, templates_dir, content_dir, campaign_id) -> None:
    """Run the web app: members write to their MP, officials download packs and decks.

    A production server (gunicorn: a worker process per core, each reading requests in full
    before a thread takes them). Behind a load balancer, give every copy the same
    CAMPAIGN_KIT_SECRET and CAMPAIGN_KIT_STORAGE_URL (see the README's "Running it for the
    union").
    """
    from ..runs.jobs import default_workers
    from ..web.server import serve as run
    from ..web.settings import Settings

    given = {k: v for k, v in {
        "campaign_id": campaign_id, "content_dir": content_dir, "templates_dir": templates_dir,
        "renders_per_minute": rate, "storage_url": storage_url, "proxies": proxies,
        "allowed_hosts": tuple(h.strip().lower() for h in allowed_hosts if h.strip()) or None,
    }.items() if v is not None}
    run(host, port, workers or default_workers(), Settings.from_env(**given), threads,
        connections)
