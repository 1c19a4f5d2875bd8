"""How the web app runs, from the environment (every setting has a variable; `serve`'s
options set the same ones), so each copy behind a load balancer is configured the same way:

CAMPAIGN_KIT_SECRET        the secret form tokens are signed with: the same on every copy
                           (at least 32 random characters). Without it: kept in the shared
                           store when there is one, else made once by `serve` at start.
CAMPAIGN_KIT_STORAGE_URL   a shared store for the rate limits (and the secret), e.g.
                           redis://10.0.0.5:6379/0; without it, each worker process counts
                           on its own ("memory://").
CAMPAIGN_KIT_RATE_LIMIT    documents a minute one client may make (default 20).
CAMPAIGN_KIT_PAGE_LIMIT    other requests a minute one client may make (default 600).
CAMPAIGN_KIT_PROXIES       how many reverse proxies stand in front (0: none). With N, the
                           client's address and scheme are read from the last N
                           X-Forwarded-For / X-Forwarded-Proto entries.
CAMPAIGN_KIT_ALLOWED_HOSTS host names (and host:port) the app answers for, comma-separated;
                           anything else is refused with a bare 400 (DNS rebinding).
CAMPAIGN_KIT_CAMPAIGN, CAMPAIGN_KIT_CONTENT, CAMPAIGN_KIT_TEMPLATES
                           the campaign and the folders it is read from.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PREFIX = "CAMPAIGN_KIT_"
SECRET_ENV = PREFIX + "SECRET"
STORAGE_ENV = PREFIX + "STORAGE_URL"
MIN_SECRET = 32


@dataclass(frozen=True)
class Settings:
    """Everything the app needs to run; `from_env` reads it from the environment."""

    secret: bytes
    campaign_id: str | None = None
    content_dir: Path | None = None
    templates_dir: Path | None = None
    renders_per_minute: float = 20.0  # documents made, per client
    pages_per_minute: float = 600.0  # every other request, per client
    storage_url: str = "memory://"  # where the limits are counted
    proxies: int = 0  # trusted reverse proxies in front
    allowed_hosts: tuple[str, ...] = ()  # empty: any Host (the test client, a unit test)
    warm: bool = False  # render one letter first, so the first member does not wait

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **given) -> Settings:
        """The settings from CAMPAIGN_KIT_* variables; keyword arguments win."""
        env = os.environ if env is None else env

        def text(name: str) -> str:
            return env.get(PREFIX + name, "").strip()

        def path(name: str) -> Path | None:
            return Path(text(name)) if text(name) else None

        found = {
            "campaign_id": text("CAMPAIGN") or None, "content_dir": path("CONTENT"),
            "templates_dir": path("TEMPLATES"),
            "renders_per_minute": float(text("RATE_LIMIT") or 20),
            "pages_per_minute": float(text("PAGE_LIMIT") or 600),
            "storage_url": text("STORAGE_URL") or "memory://",
            "proxies": int(text("PROXIES") or 0),
            "allowed_hosts": tuple(h.strip().lower() for h in text("ALLOWED_HOSTS").split(",")
                                   if h.strip()),
        }
        found.update(given)
        if "secret" not in found:
            found["secret"] = secret_from(env, found["storage_url"])
        return cls(**found)

    @property
    def shared_store(self) -> bool:
        return not self.storage_url.startswith("memory://")


def secret_from(env: Mapping[str, str], storage_url: str = "memory://") -> bytes:
    """CAMPAIGN_KIT_SECRET when set; else one kept in the shared store (the first copy to
    start makes it, the others read it); else a new random one (one server: `serve` makes
    it before its workers start, so they share it)."""
    import secrets

    from ..errors import InputProblem

    text = env.get(SECRET_ENV, "")
    if text:
        if len(text) < MIN_SECRET:
            raise InputProblem(f"{SECRET_ENV} is {len(text)} characters; use at least "
                               f"{MIN_SECRET} random ones")
        return text.encode("utf-8")
    if storage_url.startswith(("redis://", "rediss://", "unix://")):
        return shared_secret(storage_url)
    return secrets.token_bytes(32)


def shared_secret(storage_url: str) -> bytes:
    """The form secret kept in a Redis store: set once if absent (SET NX), then read, so
    every copy that shares the store signs and checks forms with the same one."""
    import secrets

    import redis

    client = redis.Redis.from_url(storage_url, socket_timeout=5)
    try:
        client.set("campaign-kit:form-secret", secrets.token_hex(32), nx=True)
        value = client.get("campaign-kit:form-secret")
    except redis.RedisError as exc:
        from ..errors import DataError

        raise DataError(f"the shared store at {safe_url(storage_url)} did not answer "
                        f"({type(exc).__name__})") from None
    finally:
        client.close()
    return bytes(value)


def safe_url(url: str) -> str:
    """A store's URL without its password, for a message."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = parts.hostname or ""
    return f"{parts.scheme}://{host}{':' + str(parts.port) if parts.port else ''}{parts.path}"
