"""Safe by default: forgery protection, a per-client rate limit and the response headers.

Nothing here keeps state a second server would need: the forgery token is an HMAC of a
random cookie under a secret every server shares (CAMPAIGN_KIT_SECRET, or one made once by
`serve` before it starts its workers), and the rate limit is counted in each worker process.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

CSRF_COOKIE = "ck_form"
CSRF_FIELD = "token"
SECRET_ENV = "CAMPAIGN_KIT_SECRET"

# No inline script or style, nothing from another site; the preview frame (srcdoc) inherits
# this policy. data: images are the brand's logo in a branded document's letterhead.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'none'; form-action 'self'; frame-src 'self'; "
       "frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",  # with no-referrer, browsers post Origin: null
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def server_secret() -> bytes:
    """The secret that signs form tokens: CAMPAIGN_KIT_SECRET when set (the same on every
    server behind a load balancer), else a new random one (one server: made once, before
    the workers start, so they all share it)."""
    text = os.environ.get(SECRET_ENV, "")
    if text:
        if len(text) < 32:
            from ..errors import InputProblem

            raise InputProblem(f"{SECRET_ENV} is {len(text)} characters; use at least 32 "
                               "random ones (e.g. python3 -c 'import secrets; "
                               "print(secrets.token_hex(32))')")
        return text.encode("utf-8")
    return secrets.token_bytes(32)


@dataclass(frozen=True)
class Forgery:
    """Signed double-submit tokens: a random cookie per browser, and in each form the HMAC
    of that cookie. A page on another site can neither read the cookie nor compute the HMAC,
    and the cookie is SameSite=Strict, so a cross-site post fails twice over."""

    secret: bytes

    @staticmethod
    def new_cookie() -> str:
        return secrets.token_hex(16)

    def token(self, cookie: str) -> str:
        return hmac.new(self.secret, cookie.encode("ascii", "replace"),
                        hashlib.sha256).hexdigest()

    def valid(self, cookie: str | None, token: str | None) -> bool:
        if not cookie or not token or len(cookie) != 32 or len(token) != 64:
            return False
        return hmac.compare_digest(self.token(cookie), token)


class RateLimit:
    """A token bucket per client address: `per_minute` requests a minute, in bursts of up to
    `burst`. Counted in this worker process (each worker of a server counts its own share of
    the clients the kernel hands it); at most `clients` addresses are remembered, the least
    recently seen forgotten first, and only as long as they are in the table."""

    def __init__(self, per_minute: float, burst: int, clients: int = 10_000):
        self.rate = per_minute / 60.0
        self.burst = burst
        self.clients = clients
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self.lock = threading.Lock()

    def allow(self, client: str, cost: float = 1.0, now: float | None = None) -> float:
        """0 when the request may go ahead, else the seconds to wait."""
        now = time.monotonic() if now is None else now
        with self.lock:
            tokens, seen = self.buckets.pop(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - seen) * self.rate)
            wait = 0.0
            if tokens >= cost:
                tokens -= cost
            else:
                wait = (cost - tokens) / self.rate if self.rate else 60.0
            self.buckets[client] = (tokens, now)
            while len(self.buckets) > self.clients:
                self.buckets.popitem(last=False)
            return wait
