"""The web app: a member writes to their MP, an official downloads a roundtable pack or a
deck, with nothing but a browser.

It is a thin layer like the CLI: forms in, `kinds.make` and the writers, bytes out. Every
step is a plain form post carrying what was typed so far in the page itself, so the server
keeps nothing between requests (several servers can share the load) and nothing a person
types is stored or logged: member data travels only in POST bodies, never in a URL, and the
access log records method, path, status, size and time. Documents are rendered to bytes in
memory; no file is written.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import traceback
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from flask import Flask, Response, abort, g, render_template, request
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from ..content.brand import brand_value, contrast
from ..content.brand import font_stack as brand_font_stack
from ..engine import kinds
from ..engine.engine import Engine
from ..engine.requests import Area, Request
from ..engine.rules import MAX_STORY_CHARS
from ..errors import CampaignKitError, NotFound, TemplateProblem
from . import forms
from .fonts import font_faces
from .places import council_by_code, resolve, resolve_council, seat_by_code
from .security import CSRF_COOKIE, CSRF_FIELD, HEADERS, Forgery, RateLimit

HERE = Path(__file__).resolve().parent
MAX_REQUEST_BYTES = 100_000  # a 5,000-character story in 4-byte characters, percent-encoded
MAILTO_LIMIT = 2000  # characters: what mail programs reliably accept from a mailto: link
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "txt": "text/plain; charset=utf-8",
    "zip": "application/zip",
}
FORMAT_NAMES = {"pdf": "PDF", "docx": "Word document", "txt": "text", "pptx": "PowerPoint"}
ERROR_RED = "#b10e1e"
log = logging.getLogger("campaign_kit.web")


@dataclass(frozen=True)
class Settings:
    """How the app runs: the campaign, the secret forms are signed with, the rate limit."""

    secret: bytes
    campaign_id: str | None = None
    content_dir: Path | None = None
    templates_dir: Path | None = None
    renders_per_minute: float = 20.0  # documents made, per client and worker process
    pages_per_minute: float = 600.0  # every other request
    warm: bool = False  # render one letter first, so the first member does not wait


class WebApp(Flask):
    def log_exception(self, exc_info) -> None:
        """Where and what failed, never the message (it may hold what someone typed)."""
        _exc_type, exc, tb = exc_info
        log.error("error %s", where_failed(exc))


def where_failed(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__) if exc.__traceback__ else []
    place = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno} in {frames[-1].name}" \
        if frames else ""
    return (f"{type(exc).__name__}{place} during {request.method} {request.path}"
            if request else f"{type(exc).__name__}{place}")


def create_app(settings: Settings, kit: Engine | None = None) -> Flask:
    kit = kit or Engine.load(settings.templates_dir, settings.content_dir, settings.campaign_id)
    app = WebApp(__name__, static_folder=str(HERE / "static"), static_url_path="/static",
                 template_folder=str(HERE / "templates"))
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True
    app.config.update(MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES, MAX_FORM_PARTS=200,
                      MAX_FORM_MEMORY_SIZE=MAX_REQUEST_BYTES, TRAP_HTTP_EXCEPTIONS=False)
    forgery = Forgery(settings.secret)
    renders = RateLimit(settings.renders_per_minute, burst=max(3, int(
        settings.renders_per_minute // 3)))
    pages = RateLimit(settings.pages_per_minute, burst=max(10, int(
        settings.pages_per_minute // 6)))
    brand = kit.campaign.brand
    info = kit.campaign.info
    error_colour = ERROR_RED if contrast(ERROR_RED, brand.background) >= 4.5 else brand.text
    faces = font_faces((brand.body_font, brand.heading_font, "Carlito"))
    stories_prompt = str((info.get("words") or {}).get("stories_prompt") or "")
    ask_ids = kit.campaign.ask_ids
    default_asks = [a.id for a in kit.campaign.choose_asks(None)]
    proxies = int(os.environ.get("CAMPAIGN_KIT_PROXIES", "0") or 0)
    if proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    if settings.warm:
        kit.warm_up()

    # -- every request ----------------------------------------------------------------------
    @app.before_request
    def guard():
        cookie = request.cookies.get(CSRF_COOKIE, "")
        g.cookie = cookie if len(cookie) == 32 and cookie.isalnum() else ""
        g.new_cookie = "" if g.cookie else forgery.new_cookie()
        client = request.remote_addr or "unknown"
        posting = request.method == "POST"
        wait = (renders if posting else pages).allow(client)
        if wait:
            g.retry_after = int(wait) + 1
            abort(429)
        if request.method not in ("GET", "HEAD", "POST"):
            abort(405)
        if posting:
            if request.mimetype != "application/x-www-form-urlencoded":
                abort(415)
            if request.headers.get("Sec-Fetch-Site", "same-origin") not in (
                    "same-origin", "none") or not same_origin(request):
                g.problem = "forgery"
                abort(400)
            if not forgery.valid(g.cookie, request.form.get(CSRF_FIELD)):
                g.problem = "cookie" if not g.cookie else "forgery"
                abort(400)

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

    @app.context_processor
    def common():
        return {"brand": brand, "campaign": info, "token_field": CSRF_FIELD,
                "token": forgery.token(g.get("cookie") or g.get("new_cookie") or ""),
                "max_story": MAX_STORY_CHARS}

    def page(template: str, status: int = 200, **context) -> tuple[str, int]:
        return render_template(template, **context), status

    def start_page(journey: str, status: int = 200, **context) -> tuple[str, int]:
        template, title = START[journey]
        return page(template, status, title=title, **context)

    # -- errors, in plain words -------------------------------------------------------------
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        words = ERROR_WORDS.get(exc.code or 500, ERROR_WORDS[500])
        if exc.code == 400 and g.get("problem") == "cookie":
            words = COOKIE_WORDS
        response = app.make_response(page("error.html", exc.code or 500, title=words[0],
                                          message=words[1]))
        if exc.code == 429:
            response.headers["Retry-After"] = str(g.get("retry_after", 60))
        return response

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        # a campaign file's problem names the file and line, never what a person typed
        detail = f": {exc}" if isinstance(exc, TemplateProblem) else ""
        log.error("error %s%s", where_failed(exc), detail)
        words = ERROR_WORDS[500]
        return page("error.html", 500, title=words[0], message=words[1])

    # -- style, fonts, health ---------------------------------------------------------------
    @app.get("/styles/site.css")
    def site_css():
        colours = {k: brand_value("colour", getattr(brand, k)) for k in
                   ("text", "background", "primary", "accent", "muted")}
        css = (f":root {{ --text: {colours['text']}; --background: {colours['background']}; "
               f"--primary: {colours['primary']}; --accent: {colours['accent']}; "
               f"--muted: {colours['muted']}; --error: {brand_value('colour', error_colour)}; "
               f"--body-font: {font_stack(brand.body_font)}; "
               f"--heading-font: {font_stack(brand.heading_font)}; }}\n")
        return Response(css, mimetype="text/css")

    @app.get("/styles/fonts.css")
    def fonts_css():
        return Response(faces.css, mimetype="text/css")

    @app.get("/fonts/<int:number>")
    def font_file(number: int):
        if not 0 <= number < len(faces.files):
            abort(404)
        path, media = faces.files[number]
        return Response(path.read_bytes(), mimetype=media,
                        headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/styles/print.css")
    def print_css():
        return Response(kit.assets.file("styles/print.css").read_text(encoding="utf-8"),
                        mimetype="text/css")

    @app.get("/styles/brand.css")
    def brand_css():
        from ..writers.pdf import brand_css as css

        return Response(css(brand), mimetype="text/css")

    @app.get("/styles/logo")
    @app.get("/favicon.ico")
    def logo():
        if not brand.logo:
            abort(404)
        return Response(brand.logo, mimetype=brand.logo_type,
                        headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/healthz")
    def health():
        return Response("ok\n", mimetype="text/plain")

    # -- a letter to your MP ----------------------------------------------------------------
    def letter_details(seat, form=None, note=None, status=200):
        form = form or forms.Form(asks=list(default_asks))
        return page("letter_details.html", status, seat=seat, form=form, note=note,
                    fields=forms.letter_fields(stories_prompt), asks=kit.campaign.asks,
                    councils=council_names(seat), title="Your letter")

    @app.get("/")
    def home():
        return start_page("letter", form=forms.Form(), field=forms.PLACE_FIELD)

    @app.post("/letter/place")
    def letter_place():
        return place_step("letter", lambda seat, note: letter_details(seat, note=note))

    @app.post("/letter/details")
    def letter_change():
        seat = posted_seat()
        form, _ = forms.member_form(request.form, stories_prompt, ask_ids)
        return letter_details(seat, forms.Form(form.values, form.asks))

    def posted_letter(seat, formats):
        """The member's form and the letter it makes; no letter when the form has errors
        (they are on the form, to show it again)."""
        form, member = forms.member_form(request.form, stories_prompt, ask_ids)
        if member is None:
            return form, None
        made, problem = make("letter", Request(today(), seat=seat, member=member,
                                                      ask_ids=form.asks), formats)
        if made is None:
            form.errors["form"] = problem
        return form, made

    @app.post("/letter/preview")
    def letter_preview():
        seat = posted_seat()
        form, made = posted_letter(seat, ("html", "txt"))
        if made is None:
            return letter_details(seat, form, status=422)
        text = made.file("txt").data.decode("utf-8")
        subject, _, body = text.partition("\n\n")
        subject = subject.removeprefix("Subject: ")
        return page("letter_preview.html", seat=seat, form=form, made=made,
                    frame=Markup(preview_frame(made.file("html").data.decode("utf-8"))),
                    text=text, subject=subject,
                    mailto=mail_link(seat.mp.email, subject, body),
                    address_link=mail_link(seat.mp.email, subject),
                    notes=web_notes(made.notes), formats=kinds.KINDS["letter"].formats,
                    format_names=FORMAT_NAMES, title=f"Your letter to {seat.mp.full_title}")

    @app.post("/letter/download")
    def letter_download():
        seat = posted_seat()
        fmt = chosen_format("letter")
        form, made = posted_letter(seat, (fmt,))
        if made is None:
            return letter_details(seat, form, status=422)
        return attachment(made.file(fmt).data, made.file(fmt).name, fmt)

    # -- officials: a roundtable pack, a deck -------------------------------------------------
    @app.get("/officials")
    def officials():
        return page("officials.html", title="Roundtable packs and slide decks")

    @app.get("/pack")
    def pack_start():
        return start_page("pack", form=forms.Form(), field=forms.PLACE_FIELD)

    @app.get("/deck")
    def deck_start():
        return start_page("deck", form=forms.Form(), field=forms.AREA_FIELD, scope="seat")

    def pack_details(seat, form=None, note=None, notes=(), status=200):
        form = form or forms.Form(asks=list(default_asks))
        return page("pack_details.html", status, seat=seat, form=form, note=note,
                    notes=notes, fields=forms.EVENT_FIELDS, asks=kit.campaign.asks,
                    councils=council_names(seat), title="Your roundtable")

    @app.post("/pack/place")
    def pack_place():
        return place_step("pack", lambda seat, note: pack_details(seat, note=note))

    @app.post("/pack/download")
    def pack_download():
        seat = posted_seat()
        day = today()
        form, event, notes = forms.event_form(request.form, ask_ids, day)
        if event is None:
            return pack_details(seat, form, status=422)
        made, problem = make("roundtable", Request(event.date or day, seat=seat,
                                                          event=event, ask_ids=form.asks,
                                                          today=day),
                               kinds.KINDS["roundtable"].default_formats)
        if made is None:
            form.errors["form"] = problem
            return pack_details(seat, form, status=422)
        files = [(f.name, f.data) for f in made.files]
        return attachment(zip_bytes(files, day), f"{made.folder}.zip", "zip")

    def deck_details(area, form=None, status=200, scope="seat"):
        form = form or forms.Form(asks=list(default_asks), values={"format": "pptx"})
        return page("deck_details.html", status, area=area, form=form, scope=scope,
                    asks=kit.campaign.asks, formats=kinds.KINDS["deck"].formats,
                    format_names=FORMAT_NAMES, title=f"A slide deck for {area.name}")

    @app.post("/deck/place")
    def deck_place():
        if request.form.get("scope") == "council":
            return place_step("deck-council", lambda council, note: deck_details(
                Area.of_council(kit.places, council), scope="council"))
        return place_step("deck", lambda seat, note: deck_details(Area.of_seat(seat)))

    @app.post("/deck/download")
    def deck_download():
        scope = "council" if request.form.get("scope") == "council" else "seat"
        if scope == "council":
            area = Area.of_council(kit.places, posted(council_by_code, "council"))
        else:
            area = Area.of_seat(posted_seat())
        form = forms.check_asks(request.form, ask_ids, None, forms.Form())
        fmt = request.form.get("format", "")
        if fmt not in kinds.KINDS["deck"].formats:
            form.errors["format"] = "Choose PowerPoint or PDF"
        form.values["format"] = fmt
        if not form.ok:
            return deck_details(area, form, 422, scope)
        made, problem = make("deck", Request(today(), area=area, ask_ids=form.asks), (fmt,))
        if made is None:
            form.errors["form"] = problem
            return deck_details(area, form, 422, scope)
        return attachment(made.file(fmt).data, made.file(fmt).name, fmt)

    # -- steps shared by the journeys ---------------------------------------------------------
    def place_step(journey: str, next_page):
        """The place box, then the list to choose from when it is not unique, then the next
        page. The chosen code comes back as `seat` (or `council`)."""
        council = journey == "deck-council"
        key = "council" if council else "seat"
        field = forms.AREA_FIELD if journey.startswith("deck") else forms.PLACE_FIELD
        form = forms.check_fields((field,), request.form, forms.Form())
        chosen = request.form.get(key)
        if form.ok:
            try:
                found = (resolve_council if council else resolve)(kit.places, form.values["q"])
            except NotFound as exc:
                form.errors["q"] = capital(str(exc))
            else:
                if not found.choices:
                    return next_page(found.council if council else found.seat, found.note)
                if chosen in {c.code for c in found.choices}:
                    lookup = council_by_code if council else seat_by_code
                    return next_page(lookup(kit.places, chosen), None)
                if request.form.get("step") == "choose":
                    form.errors[key] = ("Choose a council from the list" if council else
                                        "Choose your constituency from the list")
                return page("choose.html", 422 if form.errors else 200, form=form,
                            choices=found.choices, journey=journey, key=key,
                            found=capital(found.message.rstrip(".")),
                            title="Choose a council" if council else
                            "Choose your constituency")
        return start_page(journey.removesuffix("-council"), 422, form=form, field=field,
                          scope="council" if council else "seat")

    def posted(lookup, key: str):
        try:
            return lookup(kit.places, request.form.get(key, ""))
        except NotFound:
            abort(400)

    def posted_seat():
        return posted(seat_by_code, "seat")

    def chosen_format(kind_id: str) -> str:
        fmt = request.form.get("format", "")
        if fmt not in kinds.KINDS[kind_id].formats:
            abort(400)
        return fmt

    def make(kind_id: str, req: Request, formats):
        """The kind's documents, or (None, the problem in the library's words)."""
        try:
            return kit.produce(kind_id, req, formats), ""
        except TemplateProblem:
            raise  # the campaign's files are wrong: not the person's fault, a 500
        except CampaignKitError as exc:
            return None, capital(str(exc))

    def council_names(seat) -> str:
        names = [c.display_name or c.name for c in seat.councils]
        return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)

    return app


def today() -> dt.date:
    return dt.date.today()


def same_origin(req) -> bool:
    """A browser's Origin header, when it names a site, names this one ("null" comes from
    privacy settings and sandboxed pages; the form token still has to match)."""
    origin = req.headers.get("Origin")
    if origin is None or origin == "null":
        return True
    return origin.split("://", 1)[-1] == req.host


def mail_link(email: str, subject: str, body: str | None = None) -> str:
    """A mailto: link with the subject (and body), or "" when there is no address or the
    link would be longer than mail programs reliably take."""
    if not email:
        return ""
    link = f"mailto:{quote(email, safe='@')}?subject={quote(subject, safe='')}"
    if body is not None:
        link += f"&body={quote(body, safe='')}"
    return link if len(link) <= MAILTO_LIMIT else ""


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# Notes the forms already say in their own words (the address and story hints, the council
# choice, the organiser's fields).
SAID_BY_THE_FORM = {"no-address", "no-story", "seat-spans-councils", "no-organiser",
                    "no-reply-route"}


def web_notes(notes) -> list[str]:
    """The library's notes a page shows, in the library's plain words."""
    return [capital(n.text) for n in notes if n.code not in SAID_BY_THE_FORM]


def font_stack(font: str) -> str:
    """The brand's font first, quoted by content.brand's one quoting function."""
    return brand_font_stack(font, "Carlito", "Calibri", "Liberation Sans", "Arial")


def preview_frame(html: str) -> str:
    """The letter's HTML (the PDF writer's input) with the print and brand stylesheets, and a
    screen stylesheet that shows it as a sheet of paper, as the srcdoc of an iframe."""
    from html import escape

    links = "".join(f'<link rel="stylesheet" href="{href}">' for href in (
        "/styles/fonts.css", "/styles/print.css", "/styles/brand.css", "/static/paper.css"))
    html = html.replace("</head>", links + "</head>", 1)
    # without the script, the frame scrolls: its body takes focus (and shows it) from the
    # keyboard; the script fits the frame to the letter and takes both out of the tab order
    html = html.replace("<body ", '<body tabindex="0" ', 1)
    return escape(html, quote=True)


def attachment(data: bytes, name: str, fmt: str) -> Response:
    return Response(data, mimetype=MEDIA_TYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Content-Length": str(len(data))})


def zip_bytes(files: list[tuple[str, bytes]], day: dt.date) -> bytes:
    """A zip built in memory, its entries dated `day` so the same pack gives the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            entry = zipfile.ZipInfo(name, (day.year, day.month, day.day, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, data)
    return buffer.getvalue()


START = {"letter": ("home.html", "Write to your MP"),
         "pack": ("pack_start.html", "Make a roundtable pack"),
         "deck": ("deck_start.html", "Make a slide deck")}
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
