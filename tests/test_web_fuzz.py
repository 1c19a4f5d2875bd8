"""Every field of every form fuzzed through the app's test client: never a 500 or a stack
trace, never what was typed echoed back as markup, over-long input refused in words, and no
file written anywhere (documents are rendered to bytes in memory)."""

from __future__ import annotations

import html
import os
import re
import tempfile
from html.parser import HTMLParser

import pytest

pytest.importorskip("flask", reason="the web extra is not installed (pip install -e '.[web]')")

from hypothesis import HealthCheck, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from campaign_kit.web.app import create_app  # noqa: E402
from campaign_kit.web.forms import EVENT_FIELDS, letter_fields  # noqa: E402
from campaign_kit.web.settings import Settings  # noqa: E402

BRISTOL_EAST = "E14001132"
PROBES = ['<xssprobe>', '"><xssprobe a="', "'><svg onload=xssprobe()>", "</textarea><xssprobe>",
          "javascript:xssprobe()", "{{ 7*7 }}{% raw %}", "::: sender\nxssprobe\n:::",
          "[link](javascript:xssprobe)", "![x](file:///etc/passwd)", "../../../etc/passwd",
          "\x00\x07\ufffe", "a\r\nb\rc\n", "\u202eevil", "Ω≈ç√∫˜µ≤≥÷ 🎉 你好 مرحبا"]
ALLOWED = {200, 400, 413, 422, 429}
LIMITS = {f.name: f.limit for f in letter_fields("", 1200) + EVENT_FIELDS}
LIMITS["q"] = 200  # rules.FIELDS["place"]


def values(limit: int):
    """Typed text: ordinary, hostile, and up to a little past the field's limit."""
    plain = st.text(st.characters(codec="utf-8"), max_size=min(limit + 20, 400))
    probe = st.builds(lambda a, p, b: a + p + b, st.text(max_size=20), st.sampled_from(PROBES),
                      st.text(max_size=20))
    long = st.builds(lambda n, c: c * n, st.integers(limit - 2, limit + 40),
                     st.sampled_from(["a", "é", "€", "🎉", "<"]))
    return st.one_of(plain, probe, long)


ASK = st.lists(st.one_of(st.sampled_from(["long-term-funding", "cancel-deficits",
                                          "fair-funding", "specialist-services"]),
                         st.text(max_size=30)), max_size=5)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """An empty current folder and temporary folder for the whole module: both must stay
    empty."""
    cwd, tmp = tmp_path_factory.mktemp("cwd"), tmp_path_factory.mktemp("tmp")
    before_cwd, before_tmp = os.getcwd(), tempfile.tempdir
    os.chdir(cwd)
    tempfile.tempdir = str(tmp)
    yield cwd, tmp
    os.chdir(before_cwd)
    tempfile.tempdir = before_tmp
    assert list(cwd.iterdir()) == [] and list(tmp.iterdir()) == []


@pytest.fixture(scope="module")
def client(workspace):
    app = create_app(Settings(secret=b"f" * 32, renders_per_minute=1e6, pages_per_minute=1e6))
    client = app.test_client()
    page = client.get("/").get_data(as_text=True)
    client.token = re.search(r'name="token" value="([0-9a-f]{64})"', page).group(1)
    return client


class Markup(HTMLParser):
    """Every element and attribute of a page, as a browser's parser sees them."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def injected(text: str) -> list:
    """Elements or attributes that only typed text could have put there."""
    bad = []
    for tag, attrs in Markup(text).tags:
        if tag in ("xssprobe", "svg", "img") and attrs.get("src") != "/styles/logo":
            bad.append(tag)
        bad += [name for name in attrs if name.startswith("on") or name == "a"]
        for name in ("href", "src", "action", "formaction"):
            if re.match(r"\s*(javascript|file|data):", attrs.get(name) or "", re.I):
                bad.append(f"{name}={attrs[name]}")
    return bad


def post(client, path: str, data: dict):
    response = client.post(path, data={"token": client.token, **data})
    assert response.status_code in ALLOWED, (response.status_code, data)
    if response.mimetype == "text/html":
        body = response.get_data(as_text=True)
        assert "Traceback" not in body and 'File "' not in body
        assert injected(body) == []
        for tag, attrs in Markup(body).tags:  # the letter inside the preview frame
            if tag == "iframe":
                assert injected(attrs["srcdoc"]) == []
    return response


def refused_when_too_long(response, data: dict, limits: dict) -> None:
    """A field the library's rules find too long (rules.clean) gets a 422 saying how long it
    is and how long it may be, in the form's words."""
    from campaign_kit.engine.rules import clean
    from campaign_kit.errors import InputProblem

    for name in limits:
        rules_name = "place" if name == "q" else name
        try:
            clean(str(data.get(name) or "").replace("\r\n", "\n"), rules_name)
        except InputProblem as exc:
            if exc.note.code != "too-long" or response.status_code == 413:
                continue
            assert response.status_code == 422
            assert (f"is {exc.note.fields['length']:,} characters; keep it to "
                    f"{exc.note.fields['limit']:,} or fewer") in \
                html.unescape(response.get_data(as_text=True))


FUZZ = settings(max_examples=60, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
SLOW = settings(FUZZ, max_examples=6)


@pytest.mark.slow
@FUZZ
@given(q=values(200), seat=st.one_of(st.none(), st.text(max_size=12),
                                     st.sampled_from([BRISTOL_EAST, "E14001063"])),
       step=st.sampled_from([None, "choose", "x"]))
def test_place_step(client, q, seat, step):
    data = {"q": q, **({"seat": seat} if seat is not None else {}),
            **({"step": step} if step else {})}
    response = post(client, "/letter/place", data)
    refused_when_too_long(response, data, {"q": 200})
    post(client, "/pack/place", data)


@pytest.mark.slow
@FUZZ
@given(name=values(100), address=values(400), role=values(100), school=values(150),
       story=values(5000), ask=ASK)
def test_letter_fields(client, name, address, role, school, story, ask):
    data = {"seat": BRISTOL_EAST, "name": name, "address": address, "role": role,
            "school": school, "story": story, "ask": ask}
    response = post(client, "/letter/preview", data)
    refused_when_too_long(response, data, {k: LIMITS[k] for k in
                                           ("name", "address", "role", "school", "story")})
    post(client, "/letter/details", data)
    text = post(client, "/letter/download", {**data, "format": "txt"})
    if text.status_code == 200 and text.mimetype.startswith("text/plain"):
        assert text.get_data(as_text=True).startswith("Subject: ")


LETTER = {"seat": BRISTOL_EAST, "name": "Jo Bloggs", "address": "1 Road, Bristol",
          "role": "headteacher", "school": "A School", "story": "A story.",
          "ask": ["fair-funding"]}
EVENT = {"seat": "E14001467", "date": "", "time": "16:00", "venue": "A School",
         "host_name": "Sam Patel", "host_role": "Regional official", "ask": ["fair-funding"]}


def one_field_changed(base: dict, fields: dict):
    """A valid form with one field fuzzed, so that most examples are rendered in full."""
    return st.sampled_from(sorted(fields)).flatmap(
        lambda name: fields[name].map(lambda value: {**base, name: value}))


@pytest.mark.slow
@SLOW
@example(data=LETTER, fmt="docx")
@given(data=one_field_changed(LETTER, {"name": values(100), "story": values(5000),
                                       "address": values(400), "ask": ASK}),
       fmt=st.sampled_from(["pdf", "docx"]))
def test_letter_files(client, data, fmt):
    response = post(client, "/letter/download", {**data, "format": fmt})
    assert response.mimetype != "text/html" or response.status_code == 422


@settings(SLOW, max_examples=4)
@example(data=EVENT)
@given(data=one_field_changed(EVENT, {
    "date": st.one_of(values(10), st.dates().map(str)), "time": values(5),
    "venue": values(200), "host_name": values(100), "host_role": values(100), "ask": ASK}))
def test_pack_fields(client, data):
    response = post(client, "/pack/download", data)
    refused_when_too_long(response, data, {k: LIMITS[k] for k in
                                           ("venue", "host_name", "host_role")})


@pytest.mark.slow
@FUZZ
@given(q=values(100), scope=st.one_of(st.sampled_from(["seat", "council"]), st.text(max_size=9)),
       council=st.one_of(st.none(), st.text(max_size=5), st.sampled_from(["850", "815"])),
       step=st.sampled_from([None, "choose"]))
def test_deck_place(client, q, scope, council, step):
    data = {"q": q, "scope": scope, **({"council": council} if council is not None else {}),
            **({"step": step} if step else {})}
    post(client, "/deck/place", data)


DECK = {"scope": "seat", "seat": "E14001063", "council": "850", "format": "pptx",
        "ask": ["fair-funding"]}


@pytest.mark.slow
@settings(SLOW, max_examples=4)
@example(data=DECK)
@given(data=one_field_changed(
    {"scope": "seat", "seat": "E14001063", "council": "850", "format": "pptx",
     "ask": ["fair-funding"]},
    {"format": st.one_of(st.sampled_from(["pptx", "pdf"]), st.text(max_size=6)), "ask": ASK,
     "scope": st.one_of(st.sampled_from(["seat", "council"]), st.text(max_size=6)),
     "council": st.text(max_size=6)}))
def test_deck_fields(client, data):
    post(client, "/deck/download", data)
