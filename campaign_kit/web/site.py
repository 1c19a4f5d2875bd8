"""What every page of the app shares: the loaded engine (behind one lock per process), the
settings, the brand and the campaign's words, and small helpers to answer with a page or a
file. Views reach it with `site()`.

Documents are made one at a time in each worker process: making one is CPU-bound (the
interpreter lock lets one thread run Python at a time anyway), and WeasyPrint's reused font
configuration is not made to be shared between threads. The threads of a worker serve pages,
style sheets and /healthz meanwhile; worker processes use the other cores.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask import Response, abort, current_app, render_template, request

from ..engine.engine import Engine, Product
from ..engine.requests import Request
from ..errors import CampaignKitError, NotFound, TemplateProblem
from ..notes import Note
from .settings import Settings

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "txt": "text/plain; charset=utf-8",
    "zip": "application/zip",
}
FORMAT_NAMES = {"pdf": "PDF", "docx": "Word document", "txt": "text", "pptx": "PowerPoint"}
DOWNLOAD_COOKIE = "ck_download"  # set on a download, so the page can say it has started


@dataclass
class Site:
    engine: Engine
    settings: Settings
    token: object  # the forgery checker (security.Forgery)
    one_page_story: int  # characters of story that keep a typical letter to one page
    faces: object  # the brand's fonts, served by the app (fonts.Faces)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def info(self) -> dict:
        return self.engine.campaign.info

    @property
    def brand(self):
        return self.engine.campaign.brand

    @property
    def stories_prompt(self) -> str:
        return str((self.info.get("words") or {}).get("stories_prompt") or "")

    @property
    def ask_ids(self) -> list[str]:
        return self.engine.campaign.ask_ids

    def default_asks(self, nation: str = "England") -> list[str]:
        applying = {a.id for a in self.engine.asks_in(nation)[0]}
        return [a.id for a in self.engine.campaign.choose_asks(None) if a.id in applying]

    def produce(self, kind: str, req: Request, formats: Iterable[str]) -> tuple[
            Product | None, Note | None]:
        """The kind's files, or (None, the note saying why not). A campaign file's mistake
        is not the person's: it is raised, and the app answers with a plain 500 page."""
        try:
            with self.lock:
                return self.engine.produce(kind, req, formats), None
        except TemplateProblem:
            raise
        except CampaignKitError as exc:
            return None, exc.note

    def call(self, method: str, *args):
        """An engine lookup (find_seat, seat, council ...), under the engine's lock."""
        with self.lock:
            return getattr(self.engine, method)(*args)

    def posted(self, method: str, key: str):
        """The seat or council a form names by code (a hidden field or a radio button); a
        request that names none the lists offered is a broken one: 400."""
        try:
            return self.call(method, request.form.get(key, ""))
        except NotFound:
            abort(400)


def site() -> Site:
    return current_app.extensions["campaign_kit"]


def today() -> dt.date:
    return dt.date.today()


def page(template: str, status: int = 200, **context) -> tuple[str, int]:
    return render_template(template, **context), status


def attachment(data: bytes, name: str, fmt: str) -> Response:
    """A file to save, and (when the page asked with a download id) a cookie saying the
    download has started, which the page's script turns into a confirmation."""
    response = Response(data, mimetype=MEDIA_TYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Content-Length": str(len(data))})
    ticket = request.form.get("download", "")
    if 8 <= len(ticket) <= 32 and ticket.isalnum():
        response.set_cookie(DOWNLOAD_COOKIE, ticket, max_age=60, samesite="Strict",
                            secure=request.is_secure, path="/")
    return response


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
