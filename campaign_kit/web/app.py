"""The web app: a member writes to their MP, an official downloads a roundtable pack or a
deck, with nothing but a browser.

`create_app(settings)` builds it: the engine (loaded once per worker process), the safety
checks (security.py), and three blueprints: the member's letter (letter.py), officials'
packs and decks (officials.py), and what pages load (assets.py: styles, fonts, logo,
/healthz). Like the CLI it is a thin front end: forms in, `Engine.produce`, bytes out; it
words the library's notes itself (notes.py). Nothing a person types is stored or logged.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

from flask import Flask, g, request
from werkzeug.exceptions import HTTPException

from ..engine.engine import Engine
from ..engine.rules import MAX_STORY_CHARS
from ..errors import TemplateProblem
from .assets import assets
from .fonts import font_faces
from .letter import letter
from .officials import officials
from .security import CSRF_FIELD, install
from .settings import Settings
from .site import Site, page, site

HERE = Path(__file__).resolve().parent
MAX_REQUEST_BYTES = 100_000  # a 5,000-character story in 4-byte characters, percent-encoded
MAX_FIELDS = 200  # form fields in one post; more is refused as too large (413)
# Characters of story that keep a letter to one printed page, measured: with three asks, an
# eight-word role and school and a four-line address, the longest one-page story was about
# 1,370 characters for Barrow and Furness (two councils, each with its share of the seat),
# 1,610 for Aldershot, 1,500 for Birmingham Hodge Hill and Solihull North (2 December 2026,
# after issue 20: a letter always carries the seat's strongest three figures);
# tests/test_web_email.py checks that 1,300 keeps those to one page and that Aldershot's
# letter goes to two well past it.
ONE_PAGE_STORY = 1300
log = logging.getLogger("campaign_kit.web")


class WebApp(Flask):
    def log_exception(self, exc_info) -> None:
        """Where and what failed, never the message (it may hold what someone typed)."""
        log.error("error %s", where_failed(exc_info[1]))


def where_failed(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__) if exc.__traceback__ else []
    place = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno} in {frames[-1].name}" \
        if frames else ""
    return (f"{type(exc).__name__}{place} during {request.method} {request.path}"
            if request else f"{type(exc).__name__}{place}")


def create_app(settings: Settings, engine: Engine | None = None) -> Flask:
    """The app for one worker process (each opens its own place store)."""
    engine = engine or Engine.load(settings.templates_dir, settings.content_dir,
                                   settings.campaign_id)
    app = WebApp(__name__, static_folder=str(HERE / "static"), static_url_path="/static",
                 template_folder=str(HERE / "templates"))
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True
    app.config.update(MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES, MAX_FORM_PARTS=MAX_FIELDS,
                      MAX_FORM_MEMORY_SIZE=MAX_REQUEST_BYTES, TRAP_HTTP_EXCEPTIONS=False)
    if settings.proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.proxies,
                                x_proto=settings.proxies, x_host=0)
    brand = engine.campaign.brand
    forgery = install(app, settings)
    app.extensions["campaign_kit"] = Site(
        engine, settings, forgery, ONE_PAGE_STORY,
        font_faces((brand.body_font, brand.heading_font, "Carlito")))
    for blueprint in (letter, officials, assets):
        app.register_blueprint(blueprint)
    app.context_processor(common)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(Exception, unexpected)
    if settings.warm:
        engine.warm_up()
    return app


def common() -> dict:
    here = site()
    return {"brand": here.brand, "campaign": here.info, "token_field": CSRF_FIELD,
            "token": here.token.token(g.get("cookie") or g.get("new_cookie") or ""),
            "max_story": MAX_STORY_CHARS, "one_page_story": here.one_page_story}


def http_error(exc: HTTPException):
    code = exc.code or 500
    words = ERROR_WORDS.get(code, ERROR_WORDS[500])
    if code == 400 and g.get("problem") == "cookie":
        words = COOKIE_WORDS
    body, status = page("error.html", code, title=words[0], message=words[1])
    headers = {"Retry-After": str(g.get("retry_after", 60))} if code == 429 else {}
    return body, status, headers


def unexpected(exc: Exception):
    # a campaign file's problem names the file and line, never what a person typed
    detail = f": {exc}" if isinstance(exc, TemplateProblem) else ""
    log.error("error %s%s", where_failed(exc), detail)
    words = ERROR_WORDS[500]
    return page("error.html", 500, title=words[0], message=words[1])


ERROR_WORDS = {
    400: ("That form could not be used",
          "The form had expired or did not come from this site. Go back to the start and "
          "fill it in again."),
    404: ("Page not found", "There is no page at this address. Go back to the start."),
    405: ("That did not work", "This page cannot be used that way. Go back to the start."),
    413: ("What you sent is too long",
          f"Keep your story to {MAX_STORY_CHARS:,} characters and the other answers short, "
          "then try again."),
    415: ("That form could not be used",
          "The form was not sent as a web form. Go back to the start and fill it in again."),
    429: ("Too many requests",
          "You have made a lot of documents in a short time. Wait a minute, then try again."),
    500: ("Sorry, something went wrong",
          "We could not make your document. Nothing you typed has been kept. Try again in a "
          "few minutes; if it keeps happening, tell your branch or the campaigns team."),
}
COOKIE_WORDS = (
    "Allow this site's cookie",
    "This site uses one cookie to check that forms are sent from its own pages (it holds a "
    "random number, nothing about you). Allow cookies for this site, then go back to the "
    "start and try again.")
