"""Safe by default: the Host allow-list, forgery protection, rate limits and the response
headers, installed on the app by `install`.

Nothing here keeps state a second copy would need apart from the rate limits: the forgery
token is an HMAC of a random cookie under a secret every copy shares (settings.py), and the
limits are counted by Flask-Limiter in the store settings.storage_url names: in each worker
process by default ("memory://"), in one shared store (Redis) when configured, so N workers
or N copies behind a load balancer allow a client the limit once, not N times.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from flask import Flask, Response, abort, current_app, g, request

from .settings import Settings

CSRF_COOKIE = "ck_form"
CSRF_FIELD = "token"

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
UNLIMITED = ("/healthz",)  # a load balancer's checks are not a client's requests


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


def host_allowed(host: str, allowed: tuple[str, ...]) -> bool:
    """Whether a request's Host names this server: a name or address it was told to answer
    for, with or without its port. A page from another site that points its own name at
    this machine (DNS rebinding) sends its own name, and is refused."""
    if not allowed:
        return True
    host = host.lower()
    bare = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return host in allowed or bare in allowed


def same_origin(req) -> bool:
    """A browser's Origin header, when it names a site, names this one ("null" comes from
    privacy settings and sandboxed pages; the form token still has to match)."""
    origin = req.headers.get("Origin")
    if origin is None or origin == "null":
        return True
    return origin.split("://", 1)[-1] == req.host


def install(app: Flask, settings: Settings) -> Forgery:
    """Every request's checks and every answer's headers; the limiter. Returns the forgery
    checker (pages put its token in their forms)."""
    forgery = Forgery(settings.secret)

    @app.before_request
    def known_host():
        # /healthz answers any name: a load balancer checks each copy by its own address,
        # and "ok" tells a rebinding page nothing
        if request.path not in UNLIMITED and not host_allowed(request.host,
                                                               settings.allowed_hosts):
            return Response(status=400)  # nothing of the page: it is not our name
        return None

    app.extensions["campaign_kit_limiter"] = make_limiter(app, settings)  # after the host

    @app.before_request
    def guard():
        if request.method not in ("GET", "HEAD", "POST"):
            abort(405)
        cookie = request.cookies.get(CSRF_COOKIE, "")
        g.cookie = cookie if len(cookie) == 32 and cookie.isalnum() else ""
        g.new_cookie = "" if g.cookie else forgery.new_cookie()
        if request.method == "POST":
            check_post(forgery)

    @app.after_request
    def headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if request.is_secure:
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
        if request.endpoint != "static" and not request.path.startswith(("/styles/",
                                                                          "/fonts/")):
            response.headers["Cache-Control"] = "no-store"
        if g.get("new_cookie"):
            response.set_cookie(CSRF_COOKIE, g.new_cookie, httponly=True, samesite="Strict",
                                secure=request.is_secure, path="/")
        return response

    return forgery


def check_post(forgery: Forgery) -> None:
    """A post is a plain web form from one of this site's own pages, with its token."""
    if request.mimetype != "application/x-www-form-urlencoded":
        abort(415)
    fields = sum(len(values) for values in request.form.listvalues())
    if fields > current_app.config["MAX_FORM_PARTS"]:
        abort(413)  # too much sent: say so, not that the form expired
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none") \
            or not same_origin(request):
        g.problem = "forgery"
        abort(400)
    if not forgery.valid(g.cookie, request.form.get(CSRF_FIELD)):
        g.problem = "cookie" if not g.cookie else "forgery"
        abort(400)


def make_limiter(app: Flask, settings: Settings):
    """Flask-Limiter over the configured store: documents (posts) and pages (everything
    else) per client a minute, each counted once across every worker and copy that shares
    the store. A moving window: a client never gets more than the limit in any 60 s."""
    from flask_limiter import ApplicationLimit, Limiter
    from flask_limiter.util import get_remote_address

    def exempt() -> bool:
        return request.path in UNLIMITED

    def remember_wait(limit) -> None:
        g.retry_after = max(1, int(limit.reset_at - time.time()) + 1)

    documents = ApplicationLimit(f"{max(1, int(settings.renders_per_minute))}/minute",
                                 scope="documents", methods=["POST"], exempt_when=exempt)
    pages = ApplicationLimit(f"{max(1, int(settings.pages_per_minute))}/minute",
                             scope="pages", methods=["GET", "HEAD"], exempt_when=exempt)
    return Limiter(get_remote_address, app=app, application_limits=[documents, pages],
                   storage_uri=settings.storage_url, strategy="moving-window",
                   key_prefix="campaign-kit", on_breach=remember_wait,
                   headers_enabled=False, swallow_errors=True,
                   in_memory_fallback_enabled=settings.shared_store)
