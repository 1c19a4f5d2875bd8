"""`campaign-kit serve`: the web app under gunicorn, a production WSGI server.

The worker model, chosen for two facts: making a document is CPU-bound (WeasyPrint lays out
a letter in about 0.05-0.1 s of one core), and the open internet has clients that are slow
on purpose. So:
- one worker process per core (gunicorn pre-forks them): the cores render in parallel;
- in each, a few threads (gthread): while one thread renders, another answers /healthz, a
  page or a style sheet; documents are made one at a time per process (site.py);
- requests read in full by each worker's event loop before any thread sees them
  (worker.BufferingThreadWorker): a client trickling its headers holds no thread, and is
  cut off after READ_TIMEOUT; each worker holds at most `max_connections` connections.
Workers are replaced after MAX_REQUESTS requests, because WeasyPrint does not give memory
back; each loads the campaign and renders one letter before it takes requests.
"""

from __future__ import annotations

import os
import socket
import sys
from dataclasses import replace

from .settings import SECRET_ENV, Settings, safe_url

MAX_REQUESTS = 500  # per worker, then a fresh one (WeasyPrint keeps what it allocates)
TIMEOUT = 60  # seconds a worker's event loop may go without a heartbeat before it is replaced
THREADS = 4  # per worker: one renders, the others answer pages meanwhile
MAX_CONNECTIONS = 250  # per worker, open at once (reading, waiting, being answered)
# No client address, no query string, no referrer or user agent: method, path, status,
# bytes and milliseconds. Member data is only ever in POST bodies, which are never logged.
ACCESS_LOG_FORMAT = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


def bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def options(host: str, port: int, workers: int, threads: int = THREADS,
            connections: int = MAX_CONNECTIONS) -> dict:
    tmp = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    return {
        "bind": [bind_address(host, port)],
        "workers": workers,
        "worker_class": "campaign_kit.web.worker.BufferingThreadWorker",
        "threads": threads,
        "worker_connections": connections,
        "backlog": 512,
        "preload_app": False,  # each worker opens its own store (sqlite is not fork-safe)
        "timeout": TIMEOUT,
        "graceful_timeout": 20,
        "keepalive": 0,  # one request per connection (see worker.py)
        "max_requests": MAX_REQUESTS,
        "max_requests_jitter": MAX_REQUESTS // 10,
        "limit_request_line": 4094,
        "limit_request_fields": 50,
        "limit_request_field_size": 8190,
        "forwarded_allow_ips": "",  # proxies are the app's business (CAMPAIGN_KIT_PROXIES)
        "accesslog": "-",
        "access_log_format": ACCESS_LOG_FORMAT,
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "campaign-kit",
        "control_socket_disable": True,  # gunicorn 25.1+ would otherwise make ~/.gunicorn/
        "worker_tmp_dir": tmp,  # heartbeat files in memory, not on disk
    }


def default_hosts(host: str, port: int) -> tuple[str, ...]:
    """The names a browser on this machine or network uses for the address `serve` binds:
    that address, localhost, and for every-network addresses the machine's own names and
    addresses. Behind a load balancer, name the public host with --allowed-host."""
    names = {host, "localhost", "127.0.0.1", "[::1]"}
    if host in ("0.0.0.0", "::", ""):
        names |= {socket.gethostname(), socket.getfqdn()}
        try:
            names |= {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None)}
        except OSError:
            pass
    names = {f"[{n}]" if ":" in n and not n.startswith("[") else n for n in names if n}
    return tuple(sorted({n.lower() for n in names} | {f"{n.lower()}:{port}" for n in names}))


def serve(host: str, port: int, workers: int, settings: Settings, threads: int = THREADS,
          connections: int = MAX_CONNECTIONS) -> None:
    """Check the campaign, settle the secret once, then start the workers (which inherit
    it)."""
    try:
        from gunicorn.app.base import BaseApplication
    except ImportError:
        from ..errors import CampaignKitError

        raise CampaignKitError("the web server needs the 'web' extra: "
                               "pip install 'campaign-kit[web]' (or run scripts/setup.sh)") \
            from None
    from ..content.campaign import load_campaign
    from .app import create_app

    campaign = load_campaign(settings.campaign_id, settings.content_dir)  # a broken one stops
    settings = replace(settings, campaign_id=campaign.id, warm=True,
                       allowed_hosts=settings.allowed_hosts or default_hosts(host, port))
    # Import the heavy libraries once here: workers forked later share these pages.
    import docx  # noqa: F401
    import pptx  # noqa: F401
    import weasyprint  # noqa: F401

    said = started_line(campaign.info["name"], host, port, workers, settings)

    class Server(BaseApplication):
        def load_config(self):
            for key, value in options(host, port, workers, threads, connections).items():
                self.cfg.set(key, value)
            self.cfg.set("when_ready", lambda _arbiter: print(said, file=sys.stderr,
                                                               flush=True))

        def load(self):
            return create_app(settings)

    Server().run()


def started_line(name: str, host: str, port: int, workers: int, settings: Settings) -> str:
    secret = ("from " + SECRET_ENV if os.environ.get(SECRET_ENV) else
              "from the shared store" if settings.shared_store else "made at start")
    store = (f"limits counted in {safe_url(settings.storage_url)}" if settings.shared_store
             else "limits counted in each worker")
    shown = f"[{host}]" if ":" in host else host
    return (f"campaign-kit: {name} at http://{shown}:{port}/ with {workers} worker "
            f"process{'es' if workers != 1 else ''}, form secret {secret}, {store} "
            "(Ctrl-C stops)")
