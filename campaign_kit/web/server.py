"""`campaign-kit serve`: the web app under gunicorn, a production WSGI server.

Making a document is CPU-bound (WeasyPrint lays out a letter in about 0.1 s of one core),
so the server is a set of pre-forked worker processes, one per core by default, each
handling one request at a time (gunicorn's sync workers): the cores run in parallel and
no request waits on another's Python lock. Each worker loads the campaign and renders one
letter before it takes requests, so the first member does not pay for WeasyPrint's start;
workers are replaced after MAX_REQUESTS requests because WeasyPrint does not give memory
back. The app keeps nothing between requests, so servers can sit side by side behind a load
balancer when they share CAMPAIGN_KIT_SECRET.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .security import SECRET_ENV

MAX_REQUESTS = 500  # per worker, then a fresh one (WeasyPrint keeps what it allocates)
TIMEOUT = 60  # seconds a worker may spend on one request (a deck's PDF takes about 2)
# No client address, no query string, no referrer or user agent: method, path, status,
# bytes and milliseconds. Member data is only ever in POST bodies, which are never logged.
ACCESS_LOG_FORMAT = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


def options(host: str, port: int, workers: int) -> dict:
    tmp = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    return {
        "bind": [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"],
        "workers": workers,
        "worker_class": "sync",
        "preload_app": False,  # each worker opens its own store (sqlite is not fork-safe)
        "timeout": TIMEOUT,
        "graceful_timeout": 20,
        "keepalive": 2,
        "max_requests": MAX_REQUESTS,
        "max_requests_jitter": MAX_REQUESTS // 10,
        "limit_request_line": 4094,
        "limit_request_fields": 50,
        "limit_request_field_size": 8190,
        "accesslog": "-",
        "access_log_format": ACCESS_LOG_FORMAT,
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "campaign-kit",
        "control_socket_disable": True,  # gunicorn 25.1+ would otherwise make ~/.gunicorn/
        "worker_tmp_dir": tmp,  # heartbeat files in memory, not on disk
    }


def serve(host: str, port: int, workers: int, campaign_id: str | None,
          content_dir: Path | None, templates_dir: Path | None, rate: float) -> None:
    """Check the campaign, make the secret once, then start the workers (which inherit it)."""
    try:
        from gunicorn.app.base import BaseApplication
    except ImportError:
        from ..errors import CampaignKitError

        raise CampaignKitError("the web server needs the 'web' extra: "
                               "pip install 'campaign-kit[web]' (or run scripts/setup.sh)") \
            from None
    from ..content.campaign import load_campaign
    from .app import Settings, create_app
    from .security import server_secret

    campaign = load_campaign(campaign_id, content_dir)  # a broken campaign stops here
    settings = Settings(secret=server_secret(), campaign_id=campaign.id,
                        content_dir=content_dir, templates_dir=templates_dir,
                        renders_per_minute=rate, warm=True)
    shared = "from " + SECRET_ENV if os.environ.get(SECRET_ENV) else "made at start"
    # Import the heavy libraries once here: workers forked later share these pages.
    import docx  # noqa: F401
    import pptx  # noqa: F401
    import weasyprint  # noqa: F401

    class Server(BaseApplication):
        def load_config(self):
            for key, value in options(host, port, workers).items():
                self.cfg.set(key, value)
            self.cfg.set("when_ready", lambda _arbiter: print(
                f"campaign-kit: {campaign.info['name']} at http://"
                f"{'[' + host + ']' if ':' in host else host}:{port}/ with {workers} worker "
                f"process{'es' if workers != 1 else ''}, form secret {shared} (Ctrl-C stops)",
                file=sys.stderr, flush=True))

        def load(self):
            return create_app(settings)

    Server().run()
