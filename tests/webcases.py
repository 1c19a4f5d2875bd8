"""Fuzz cases for the web app through a real `campaign-kit serve` (bench/fuzz_cli.py's "web"
surface): every form of every page posted with hostile text (tests/fuzzcases.nasty_text, the
loopback canary's URL among it), over HTTP to a server on loopback.

A case is one form post: the letter's place, details, preview (the email form: the copy box
and the mailto: link, with the letter's PDF for its page count) and download in every
format; the pack's place and download (with its warnings confirmed); the deck's place and
download for a seat or a whole council. Fields are hostile or valid, tokens good, stale or
missing, asks real or made up, seats and councils real codes of every nation or not.

Judged: 200 (a page or a file) is "ok"; 400, 413, 422 and 429 (a form refused in words, a
tampered form, too big, too fast) are "error"; any 5xx is counted as such; anything else
(another status, a traceback in a page, a connection reset) is "unexpected".
"""

from __future__ import annotations

import html
import http.client
import re
import urllib.parse
from dataclasses import dataclass

from hypothesis import strategies as st

from .fuzzcases import CANARY_FORMS, nasty_text

SEATS = ("E14001063", "E14001076", "W07000081", "W07000083", "S14000060", "S14000062",
         "N05000001", "N05000002")  # Aldershot, Barrow and Furness, two Welsh, two Scottish,
# two Northern Irish seats (the last of each with two or more councils)
COUNCILS = ("850", "942", "943", "W06000001", "S12000049", "N09000003")
ASKS = ("fair-funding", "long-term-funding", "cancel-deficits", "specialist-services",
        "ehcp-partners", "voice", "workforce")  # the last is no ask of the campaign
FORMATS = ("pdf", "docx", "txt", "html", "email", "pptx", "zip", "")
ALLOWED = {400, 413, 422, 429}  # refused in words, a tampered form, too big, too fast
PLACES = ("Aldershot", "GU11 1AA", "Hampshire", "Belfast", "Ynys Môn", "Glasgow", "Newport",
          "Richmond", "Sheffield Central", "SE1 9ZZ")
GOOD_MEMBER = {"name": "Jo Bloggs", "address": "1 High Street, GU11 1AA", "role": "",
               "school": "Hill Primary School", "story": "We have 31 pupils with plans."}
GOOD_EVENT = {"date": "2027-03-09", "time": "16:00", "venue": "Hill School",
              "host_name": "Sam Patel", "host_role": "Regional official",
              "host_email": "sam@example.org", "host_phone": "0191 498 0123"}


@dataclass(frozen=True)
class WebCase:
    path: str
    pairs: tuple[tuple[str, str], ...]  # the form, a name repeated for each ask ticked
    token: str = "good"  # good, missing, stale
    confirm: bool = False  # a page of warnings is confirmed, as an official would

    @property
    def args(self) -> list[str]:  # for the report of a case, as a CLI case's command line
        return [self.path, *(f"{k}={v!r}" for k, v in self.pairs)]


FREE_TEXT = ("name", "address", "role", "school", "story", "venue", "host_name", "host_role")


def _fields(draw, good: dict[str, str]) -> list[tuple[str, str]]:
    """A form's fields: up to three hostile, the canary's URL in some form in a free text
    field or two, the rest valid (so that a form still often gets through to its
    documents, which must then show what was typed)."""
    hostile = draw(st.lists(st.sampled_from(sorted(good)), max_size=3, unique=True))
    canary = draw(st.lists(st.sampled_from([f for f in FREE_TEXT if f in good]), max_size=2,
                           unique=True))
    pairs = []
    for name, value in good.items():
        if name in hostile:
            value = draw(nasty_text(120))
        if name in canary:
            value = f"{value} {draw(st.sampled_from(CANARY_FORMS))}".strip()
        pairs.append((name, value))
    return pairs


def _one_of(draw, valid: tuple[str, ...]) -> str:
    return draw(st.sampled_from(valid)) if draw(st.integers(0, 5)) else draw(nasty_text(20))


def _asks(draw) -> list[tuple[str, str]]:
    """Asks ticked: mostly the campaign's own, sometimes none, made up or hostile."""
    if draw(st.integers(0, 3)):
        chosen = draw(st.lists(st.sampled_from(ASKS[:4]), min_size=1, max_size=3,
                               unique=True))
    else:
        chosen = draw(st.lists(st.sampled_from(ASKS) | nasty_text(30), max_size=5))
    return [("ask", a) for a in chosen]


def place_case(draw) -> WebCase:
    path = draw(st.sampled_from(["/letter/place", "/pack/place", "/deck/place"]))
    pairs = [("q", draw(st.sampled_from(PLACES)) if draw(st.integers(0, 3)) == 0
              else draw(nasty_text(60)))]
    if draw(st.booleans()):  # the step choosing one of several places
        pairs += [("step", "choose"), ("seat", _one_of(draw, SEATS)),
                  ("filter", draw(nasty_text(20)))]
    if path == "/deck/place" and draw(st.booleans()):
        pairs += [("scope", "council"), ("council", _one_of(draw, COUNCILS))]
    return WebCase(path, tuple(pairs))


def letter_case(draw) -> WebCase:
    path = draw(st.sampled_from(["/letter/details", "/letter/preview", "/letter/preview",
                                 "/letter/download"]))
    pairs = [("seat", _one_of(draw, SEATS))]
    pairs += _fields(draw, GOOD_MEMBER)
    pairs += _asks(draw)
    if draw(st.integers(0, 3)) == 0:
        pairs.append(("council", _one_of(draw, COUNCILS)))
    if path == "/letter/download":
        pairs.append(("format", draw(st.sampled_from(FORMATS))))
    return WebCase(path, tuple(pairs))


def pack_case(draw) -> WebCase:
    pairs = [("seat", _one_of(draw, SEATS))]
    pairs += _fields(draw, GOOD_EVENT)
    pairs += _asks(draw)
    return WebCase("/pack/download", tuple(pairs), confirm=draw(st.booleans()))


def deck_case(draw) -> WebCase:
    scope = draw(st.sampled_from(["seat", "council", "", "x"]))
    pairs = [("scope", scope), ("seat", _one_of(draw, SEATS)),
             ("council", _one_of(draw, COUNCILS)),
             ("format", draw(st.sampled_from(["pptx", "pptx", "pdf", "docx", ""])))]
    return WebCase("/deck/download", tuple(pairs + _asks(draw)))


@st.composite
def web_case(draw) -> WebCase:
    maker = draw(st.sampled_from([place_case, letter_case, letter_case, letter_case,
                                  pack_case, deck_case]))
    case = maker(draw)
    token = draw(st.sampled_from(["good"] * 18 + ["missing", "stale"]))
    return WebCase(case.path, case.pairs, token, case.confirm)


# -- posting and judging ----------------------------------------------------------------------
@dataclass
class WebOutcome:
    kind: str  # ok, error, 5xx, unexpected
    status: int
    output: str  # what was wrong, for the report


class LiveVisitor:
    """One browser over HTTP to a real server: its cookie and the last page's form token."""

    def __init__(self, port: int):
        self.port = port
        self.cookie, self.token = "", ""
        self.start()

    def start(self) -> None:
        status, headers, body = self.request("GET", "/")
        self.cookie = headers.get("set-cookie", "").split(";")[0] or self.cookie
        self.token = token_of(body) or self.token

    def request(self, method: str, path: str, body: bytes | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            reply = connection.getresponse()
            data = reply.read()
            return reply.status, {k.lower(): v for k, v in reply.getheaders()}, data
        finally:
            connection.close()

    def post(self, path: str, pairs, token: str):
        sent = ([] if token == "missing" else [("token", "0" * 64 if token == "stale"
                                                   else self.token)]) + list(pairs)
        body = urllib.parse.urlencode([(k, v.encode("utf-8", "surrogatepass"))
                                       for k, v in sent]).encode("ascii")
        status, headers, data = self.request("POST", path, body)
        if headers.get("content-type", "").startswith("text/html"):
            self.token = token_of(data) or self.token
        return status, headers, data


def token_of(body: bytes) -> str:
    found = re.search(rb'name="token" value="([0-9a-f]{64})"', body)
    return found.group(1).decode() if found else ""


def run_web_case(visitor: LiveVisitor, case: WebCase) -> WebOutcome:
    try:
        status, headers, data = visitor.post(case.path, case.pairs, case.token)
        key = re.search(rb'name="confirmed" value="([^"]*)"', data) if status == 200 else None
        if case.confirm and key and headers.get("content-type", "").startswith("text/html"):
            confirmed = html.unescape(key.group(1).decode("utf-8", "replace"))
            status, headers, data = visitor.post(
                case.path, (*case.pairs, ("confirmed", confirmed)), case.token)
    except (OSError, http.client.HTTPException) as exc:
        visitor.cookie = ""  # start again: a new visitor
        visitor.start()
        return WebOutcome("unexpected", 0, f"{type(exc).__name__}: {exc}")
    return judge(status, headers, data, case)


def judge(status: int, headers: dict, data: bytes, case: WebCase) -> WebOutcome:
    page = data.decode("utf-8", "replace") if headers.get(
        "content-type", "").startswith("text/html") else ""
    if status >= 500:
        return WebOutcome("5xx", status, page[-600:])
    if "Traceback" in page or 'File "/' in page:
        return WebOutcome("unexpected", status, "a traceback in the page")
    if status == 200:
        if case.path.endswith("/download") and page:
            if case.path == "/pack/download" and b'name="confirmed"' in data:
                return WebOutcome("ok", status, "")  # warnings to confirm: a page is right
            return WebOutcome("unexpected", status, "a page, not a file, with status 200")
        return WebOutcome("ok", status, "")
    if status in ALLOWED:
        return WebOutcome("error", status, "")
    return WebOutcome("unexpected", status, page[-600:])
