"""The web app through Flask's test client: the journeys, the checks on every field, the
safety rules (forgery tokens, limits, headers, errors in plain words, nothing logged)."""

from __future__ import annotations

import io
import logging
import re
import zipfile

import pytest

flask = pytest.importorskip("flask", reason="the web extra is not installed "
                            "(pip install -e '.[web]')")

from campaign_kit.engine.engine import Engine  # noqa: E402
from campaign_kit.web.app import create_app  # noqa: E402
from campaign_kit.web.mail import MAILTO_LIMIT, mail_link  # noqa: E402
from campaign_kit.web.security import CSRF_COOKIE  # noqa: E402
from campaign_kit.web.settings import Settings  # noqa: E402

from . import extract  # noqa: E402

BRISTOL_EAST = "E14001132"
ITCHEN = "E14001499"
SHEFFIELD_CENTRAL = "E14001467"
MEMBER = {"name": "Jo Bloggs", "address": "1 High Street\r\nBristol BS5 0AA",
          "role": "headteacher", "school": "Easton Primary School",
          "story": "Our SENCO waits nine months for an educational psychologist."}


@pytest.fixture(scope="module")
def app():
    return create_app(Settings(secret=b"s" * 32, renders_per_minute=100_000,
                               pages_per_minute=100_000))


class Browser:
    """A test client that sends the form token the last page gave it, as a browser does."""

    def __init__(self, app):
        self.client = app.test_client()
        self.token = ""
        self.get("/")

    def _remember(self, response):
        if response.mimetype != "text/html":
            return response
        found = re.search(r'name="token" value="([0-9a-f]{64})"', response.get_data(as_text=True))
        if found:
            self.token = found.group(1)
        return response

    def get(self, path: str):
        return self._remember(self.client.get(path))

    def post(self, path: str, data: dict, **kwargs):
        return self._remember(self.client.post(path, data={"token": self.token, **data},
                                               **kwargs))


@pytest.fixture
def browser(app):
    return Browser(app)


def text_of(response) -> str:
    return response.get_data(as_text=True)


def main_of(response) -> str:
    html = text_of(response)
    return html[html.index("<main"):html.index("</main>")]


def pdf_text(data: bytes, tmp_path) -> str:
    """The text of a PDF answered by the app (extract.pdf_text reads a file)."""
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return extract.pdf_text(path)


def error_links(response) -> list[str]:
    summary = re.search(r'class="error-summary".*?</div>', text_of(response), re.S)
    return re.findall(r'href="#([^"]+)"', summary.group(0)) if summary else []


# -- the member's journey -----------------------------------------------------------------------
def test_a_postcode_split_between_seats_lists_them_to_choose_from(browser):
    response = browser.post("/letter/place", {"q": "so14 0ge"})
    assert response.status_code == 200
    page = main_of(response)
    assert "Choose your constituency" in page
    assert "in the Banister &amp; Polygon ward, which is split between two constituencies" \
        in page  # the ward by its name, never its code
    assert "E05" not in page and "E14" not in re.sub(r'value="E14\d+"|f-seat-E14\d+', "", page)
    assert "find your polling district" in page and "Find your MP" in page
    names = re.findall(r'<label for="f-seat[^"]*">([^<]+)</label>', page)
    assert names == ["Southampton Test", "Southampton Itchen"]
    assert "MP: Darren Paffey (Labour). 40% of the ward&#39;s postcodes" in page
    assert page.count('type="radio"') == 2 and " checked" not in page  # nothing pre-chosen


def test_a_council_name_lists_its_seats(browser):
    page = main_of(browser.post("/letter/place", {"q": "Bristol"}))
    names = re.findall(r'<label for="f-seat[^"]*">([^<]+)</label>', page)
    assert sorted(names) == ["Bristol Central", "Bristol East", "Bristol North East",
                             "Bristol North West", "Bristol South"]
    assert "MP: Kerry McCarthy (Labour)" in page


@pytest.mark.slow
def test_member_journey_choose_write_preview_download(browser, tmp_path):
    browser.post("/letter/place", {"q": "SO14 0GE"})
    details = browser.post("/letter/place", {"q": "SO14 0GE", "step": "choose",
                                             "seat": ITCHEN})
    page = main_of(details)
    assert "Your letter to Darren Paffey MP" in page
    assert "<dd>Labour</dd>" in page and "<dd>Southampton Itchen</dd>" in page
    assert re.search(r"<dt>Council</dt>\s*<dd>Southampton</dd>", page)
    ticked = re.findall(r'name="ask" value="([^"]+)"[^>]*checked', page)
    assert len(ticked) == 3  # the campaign's default asks

    form = {"seat": ITCHEN, **MEMBER, "ask": ["long-term-funding", "fair-funding"]}
    preview = browser.post("/letter/preview", form)
    assert preview.status_code == 200
    page = main_of(preview)
    assert "Your letter to Darren Paffey MP" in page
    frame = re.search(r'<iframe class="paper"[^>]*srcdoc="([^"]*)"', page).group(1)
    assert "Dear Mr Paffey," in frame and "educational psychologist" in frame
    assert "/styles/print.css" in frame and "/styles/brand.css" in frame
    assert "real cost of provision" in frame  # the asks chosen, not the defaults
    assert "darren.paffey.mp@parliament.uk" in page
    assert 'data-copy="letter-text"' in page  # the copy button (shown by the script)
    box = re.search(r'<textarea id="letter-text"[^>]*>([^<]*)</textarea>', page).group(1)
    assert box.startswith("Dear Mr Paffey,") and "Subject:" not in box  # the email form

    pdf = browser.post("/letter/download", {**form, "format": "pdf"})
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.headers["Content-Disposition"] == \
        'attachment; filename="letter-southampton-itchen-jo-bloggs.pdf"'
    text = pdf_text(pdf.data, tmp_path)
    assert "Darren Paffey MP" in text and "Dear Mr Paffey," in text
    assert "nine months for an educational psychologist" in text
    assert "Satvir Kaur" not in text

    docx = browser.post("/letter/download", {**form, "format": "docx"})
    assert docx.mimetype.endswith("wordprocessingml.document")
    assert zipfile.ZipFile(io.BytesIO(docx.data)).read("word/document.xml")
    txt = browser.post("/letter/download", {**form, "format": "txt"})
    assert txt.data.decode().startswith("Subject: ")


def test_a_unique_place_goes_straight_to_the_mp(browser):
    page = main_of(browser.post("/letter/place", {"q": "aldershot"}))
    assert "Your letter to" in page and "<dd>Aldershot</dd>" in page


def test_choosing_nothing_from_the_list_is_an_error_linked_to_the_choices(browser):
    response = browser.post("/letter/place", {"q": "SO14 0GE", "step": "choose"})
    assert response.status_code == 422
    assert error_links(response) == ["f-seat"]
    assert 'id="f-seat"' in text_of(response)
    assert text_of(response).count("Choose your constituency from the list") == 2
    # a seat that is not one of the choices is not taken either
    other = browser.post("/letter/place", {"q": "SO14 0GE", "step": "choose",
                                           "seat": "E14001063"})
    assert other.status_code == 422 and "Choose your constituency" in text_of(other)


def test_an_unknown_place_says_so_beside_the_box(browser):
    response = browser.post("/letter/place", {"q": "Atlantis Under Sea"})
    assert response.status_code == 422
    assert error_links(response) == ["f-q"]
    assert "Atlantis Under Sea" in text_of(response)
    assert 'aria-invalid="true"' in text_of(response)
    assert "<title>Error: " in text_of(response)
    empty = browser.post("/letter/place", {"q": "  "})
    assert "Enter a postcode or the name of a constituency" in text_of(empty)


def test_missing_details_are_listed_and_linked_and_what_was_typed_is_kept(browser):
    response = browser.post("/letter/preview", {"seat": BRISTOL_EAST, "name": " ",
                                                "school": "Easton Primary",
                                                "ask": ["long-term-funding"]})
    assert response.status_code == 422
    assert error_links(response) == ["f-name"]  # the address is advice, as in the CLI
    page = text_of(response)
    assert 'value="Easton Primary"' in page
    assert re.search(r'id="f-name"[^>]*aria-invalid="true"[^>]*aria-describedby="[^"]*'
                     r'f-name-error', page)


def test_the_story_has_the_cli_limit_counting_a_line_end_once(browser):
    long = browser.post("/letter/preview", {"seat": BRISTOL_EAST, **MEMBER,
                                            "story": "x" * 5001, "ask": ["fair-funding"]})
    assert long.status_code == 422
    assert "Your school's story is 5,001 characters; keep it to 5,000 or fewer" in \
        text_of(long).replace("&#39;", "'")
    lines = "ab\r\n" * 1600  # 6,400 characters as sent, 4,800 as written
    fits = browser.post("/letter/preview", {"seat": BRISTOL_EAST, **MEMBER, "story": lines,
                                            "ask": ["fair-funding"]})
    assert fits.status_code == 200


@pytest.mark.parametrize("asks, message", [
    ([], "Choose at least one ask"),
    (["long-term-funding", "cancel-deficits", "fair-funding", "specialist-services"],
     "Choose up to 3 asks; you chose 4"),
    (["long-term-funding", "no-such-ask"], "Choose the asks from the list"),
])
def test_one_to_three_asks_from_the_list(browser, asks, message):
    response = browser.post("/letter/preview", {"seat": BRISTOL_EAST, **MEMBER, "ask": asks})
    assert response.status_code == 422
    assert message in text_of(response) and error_links(response) == ["f-ask"]


def test_change_keeps_everything_typed(browser):
    form = {"seat": BRISTOL_EAST, **MEMBER, "ask": ["fair-funding"]}
    page = text_of(browser.post("/letter/details", form))
    assert 'value="Jo Bloggs"' in page and "nine months" in page
    assert re.search(r'value="fair-funding"[^>]*checked', page)
    assert not re.search(r'value="long-term-funding"[^>]*checked', page)


def test_mailto_when_the_letter_fits_otherwise_nothing():
    short = mail_link("a.mp@parliament.uk", "Funding & SEND", "Dear MP,\n\nYes? 100%")
    assert short == ("mailto:a.mp@parliament.uk?subject=Funding%20%26%20SEND"
                     "&body=Dear%20MP,%0D%0A%0D%0AYes%3F%20100%25")
    assert mail_link("a.mp@parliament.uk", "S", "x" * MAILTO_LIMIT) == ""
    assert mail_link("", "S", "short") == ""


def test_a_devolved_seat_gets_its_note_and_no_command_line_advice(browser):
    page = main_of(browser.post("/letter/preview", {
        "seat": "W07000112", "name": "Jo", "address": "1 Stryd Fawr, Llangefni",
        "ask": ["long-term-funding"]}))
    assert "Education is devolved in Wales" in page
    assert "--story" not in page and "--address" not in page


# -- officials ------------------------------------------------------------------------------------
@pytest.mark.slow
def test_official_downloads_a_roundtable_pack_as_one_zip(browser, tmp_path):
    assert "Make a roundtable pack" in text_of(browser.get("/officials"))
    assert "Make a roundtable pack" in text_of(browser.get("/pack"))
    page = main_of(browser.post("/pack/place", {"q": "Sheffield Central"}))
    assert "A roundtable with Abtisam Mohamed MP" in page
    event = {"seat": SHEFFIELD_CENTRAL, "date": "2099-02-10", "time": "16:00",
             "venue": "Springfield Primary School", "host_name": "Sam Patel",
             "host_role": "Regional official", "host_email": "sam.patel@example.org",
             "host_phone": "0114 496 0000", "ask": ["long-term-funding", "fair-funding"]}
    too_far = browser.post("/pack/download", event)
    assert too_far.status_code == 422 and error_links(too_far) == ["f-date"]
    import datetime as dt

    day = dt.date.today() + dt.timedelta(days=60)
    event["date"] = (day + dt.timedelta(days=max(0, 7 - day.weekday()) % 7
                                        if day.weekday() >= 5 else 0)).isoformat()
    response = browser.post("/pack/download", event)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="roundtable-sheffield-central.zip"'
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = sorted(archive.namelist())
    assert names == sorted([f"roundtable-sheffield-central/{part}.{fmt}" for part in (
        "guide", "briefing", "invitation", "follow-up", "sign-in-and-notes")
        for fmt in ("pdf", "docx")] + ["roundtable-sheffield-central/invitation.ics"])
    invitation = pdf_text(archive.read("roundtable-sheffield-central/invitation.pdf"), tmp_path)
    assert "Springfield Primary School" in invitation and "Sam Patel" in invitation
    assert "Abtisam Mohamed" in invitation
    # the organiser's email and phone, from the form, are how the MP's office replies
    assert "by email at sam.patel@example.org or by phone on 0114 496 0000" in " ".join(
        invitation.split())
    from icalendar import Calendar

    (meeting,) = Calendar.from_ical(archive.read(
        "roundtable-sheffield-central/invitation.ics")).walk("VEVENT")
    assert str(meeting["ORGANIZER"]) == "mailto:sam.patel@example.org"
    assert meeting["ORGANIZER"].params["CN"] == "Sam Patel"


@pytest.mark.parametrize("change, field, message", [
    ({"date": "31/02/2027"}, "date", "Enter a real date"),
    ({"date": "2020-02-10"}, "date", "Date of the roundtable must be today or in the future"),
    ({"time": "4pm"}, "time", "Enter the time as hours and minutes"),
    ({"host_email": "sam.patel"}, "host_email", "Enter an email address like name@example.org"),
    ({"host_phone": "call me"}, "host_phone", "Enter a UK phone number like 0191 498 0000"),
    ({"ask": []}, "ask", "Choose at least one ask"),
])
def test_pack_details_are_checked(browser, change, field, message):
    event = {"seat": SHEFFIELD_CENTRAL, "host_name": "Sam Patel",
             "ask": ["long-term-funding"], **change}
    response = browser.post("/pack/download", event)
    assert response.status_code == 422
    assert error_links(response) == [f"f-{field}"]
    assert message in text_of(response).replace("&#39;", "'")


def test_deck_for_a_council_that_needs_choosing(browser):
    page = main_of(browser.post("/deck/place", {"q": "Yorkshire", "scope": "council"}))
    assert re.findall(r'<label for="f-council[^"]*">([^<]+)</label>', page) == [
        "East Riding of Yorkshire", "North Yorkshire"]
    chosen = re.search(r'value="([^"]+)" id="f-council-[^"]*"[^>]*>\s*<label[^>]*>North '
                       r'Yorkshire', page).group(1)
    details = browser.post("/deck/place", {"q": "Yorkshire", "scope": "council",
                                           "step": "choose", "council": chosen})
    assert "A slide deck for North Yorkshire" in text_of(details)
    deck = browser.post("/deck/download", {"scope": "council", "council": chosen,
                                           "format": "pptx", "ask": ["long-term-funding"]})
    assert deck.status_code == 200 and deck.mimetype.endswith("presentationml.presentation")
    assert deck.headers["Content-Disposition"] == 'attachment; filename="deck-north-yorkshire.pptx"'
    slides = [n for n in zipfile.ZipFile(io.BytesIO(deck.data)).namelist()
              if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)]
    assert len(slides) > 5


@pytest.mark.slow
def test_deck_for_a_seat_as_pdf(browser, tmp_path):
    page = main_of(browser.post("/deck/place", {"q": "Aldershot", "scope": "seat"}))
    assert "A slide deck for Aldershot" in page
    seat = re.search(r'name="seat" value="([^"]+)"', page).group(1)
    bad = browser.post("/deck/download", {"scope": "seat", "seat": seat, "format": "gif",
                                          "ask": ["long-term-funding"]})
    assert bad.status_code == 422 and error_links(bad) == ["f-format"]
    deck = browser.post("/deck/download", {"scope": "seat", "seat": seat, "format": "pdf",
                                           "ask": ["long-term-funding"]})
    assert deck.mimetype == "application/pdf"
    assert "Aldershot" in pdf_text(deck.data, tmp_path)


# -- safe by default ----------------------------------------------------------------------------
def test_every_page_sends_the_security_headers(browser):
    for response in (browser.get("/"), browser.get("/officials"), browser.get("/nowhere"),
                     browser.post("/letter/place", {"q": "Bristol"}),
                     browser.get("/static/app.js")):
        headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "script-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Frame-Options"] == "DENY"
    assert browser.post("/letter/place", {"q": "Bristol"}).headers["Cache-Control"] == \
        "no-store"


def test_pages_hold_no_inline_script_or_style(browser):
    pages = [browser.get("/"), browser.post("/letter/place", {"q": "Bristol"}),
             browser.post("/letter/preview", {"seat": BRISTOL_EAST, **MEMBER,
                                              "ask": ["fair-funding"]})]
    for response in pages:
        html = text_of(response)
        scripts = re.findall(r"<script\b[^>]*>", html)
        assert scripts == ['<script src="/static/app.js" defer>']
        assert not re.search(r"<style\b|\sstyle=|\son[a-z]+=", html)
        assert not re.search(r'(src|href)="(https?:)?//', html)  # nothing from another site


def test_a_post_without_the_form_token_is_refused_in_plain_words(app):
    client = app.test_client()
    client.get("/")
    response = client.post("/letter/place", data={"q": "Bristol"})
    assert response.status_code == 400
    assert "The form had expired or did not come from this site" in text_of(response)
    forged = client.post("/letter/place", data={"q": "Bristol", "token": "0" * 64})
    assert forged.status_code == 400


def test_a_post_without_the_cookie_asks_for_it(app):
    browser = Browser(app)
    browser.client.delete_cookie(CSRF_COOKIE)
    response = browser.post("/letter/place", {"q": "Bristol"})
    assert response.status_code == 400 and "Allow this site&#39;s cookie" in text_of(response)


def test_a_post_from_another_site_is_refused(browser):
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        response = browser.post("/letter/place", {"q": "Bristol"}, headers=headers)
        assert response.status_code == 400


def test_the_cookie_is_http_only_and_same_site_strict(app):
    cookie = app.test_client().get("/").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie


def test_too_large_a_request_is_refused_in_plain_words(browser):
    response = browser.post("/letter/preview", {"seat": BRISTOL_EAST, **MEMBER,
                                                "story": "€" * 40_000})
    assert response.status_code == 413
    assert "What you sent is too long" in text_of(response)


def test_only_plain_form_posts_are_taken(browser):
    response = browser.client.post("/letter/place", data={
        "token": browser.token, "q": "Bristol", "file": (io.BytesIO(b"x"), "a.txt")},
        content_type="multipart/form-data")
    assert response.status_code == 415
    assert browser.client.put("/letter/place").status_code == 405


def test_a_client_making_too_many_documents_waits():
    limited = create_app(Settings(secret=b"s" * 32, renders_per_minute=3))
    browser = Browser(limited)
    codes = [browser.post("/letter/place", {"q": "Aldershot"}).status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[-1] == 429
    last = browser.post("/letter/place", {"q": "Aldershot"})
    assert "Wait a minute, then try again" in text_of(last)
    assert int(last.headers["Retry-After"]) >= 1
    other = limited.test_client()  # another address is not held back
    assert other.get("/", environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 200


def test_an_unexpected_error_is_a_page_in_plain_words_and_logs_no_member_data(
        app, browser, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("Jo Bloggs of 1 High Street")

    monkeypatch.setattr(Engine, "produce", broken)
    with caplog.at_level(logging.ERROR, logger="campaign_kit.web"):
        response = browser.post("/letter/preview", {"seat": BRISTOL_EAST, **MEMBER,
                                                    "ask": ["fair-funding"]})
    assert response.status_code == 500
    page = text_of(response)
    assert "Sorry, something went wrong" in page and "Nothing you typed has been kept" in page
    assert "Traceback" not in page and "RuntimeError" not in page and "Jo Bloggs" not in page
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "RuntimeError" in logged and "/letter/preview" in logged
    assert "Jo Bloggs" not in logged and "High Street" not in logged


def test_a_broken_request_to_a_page_is_not_a_500(browser):
    assert browser.post("/letter/preview", {"seat": "not-a-seat"}).status_code == 400
    assert browser.post("/letter/download", {"seat": BRISTOL_EAST, **MEMBER,
                                             "format": "exe"}).status_code == 400
    assert browser.get("/fonts/999").status_code == 404


def test_the_brand_reaches_the_page(browser):
    css = text_of(browser.get("/styles/site.css"))
    assert "--primary: #1b4f72" in css and "--accent: #0b6e4f" in css
    assert browser.get("/styles/logo").mimetype == "image/png"
    assert "color: #1b4f72" in text_of(browser.get("/styles/brand.css"))
    assert "@page" in text_of(browser.get("/styles/print.css"))


def test_the_web_pages_ship_with_the_package():
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["campaign_kit"]
    package = root / "campaign_kit"
    shipped = {p for pattern in patterns for p in package.glob(pattern) if p.is_file()}
    wanted = {p for folder in ("web/templates", "web/static")
              for p in (package / folder).rglob("*") if p.is_file()}
    assert wanted <= shipped, sorted(str(p) for p in wanted - shipped)


def test_serve_refuses_a_short_secret_in_one_line(runner, cli, monkeypatch):
    monkeypatch.setenv("CAMPAIGN_KIT_SECRET", "too-short")
    result = runner.invoke(cli, ["serve", "--port", "1"])
    assert result.exit_code == 1
    assert "CAMPAIGN_KIT_SECRET is 9 characters; use at least 32" in result.output
    assert "Traceback" not in result.output


def test_a_postcode_chooses_its_council_on_the_details_page(browser, engine):
    """In a seat that spans councils, the member's postcode chooses their council for them,
    and the page says so; a name chooses none ("I am not sure" stays checked)."""
    seat = engine.places.find("Queen's Park and Maida Vale")
    codes = {c.display_name: c.code for c in seat.councils}
    for typed, council in (("w9 1aa", "Westminster"), ("NW6 6RD", "Brent")):
        page = main_of(browser.post("/letter/place", {"q": typed}))
        checked = re.findall(r'<input type="radio" name="council" value="([^"]*)"[^>]*checked',
                             page)
        assert checked == [codes[council]]
        assert f"{typed.upper()} is in {council}, so it is chosen for you: change it if your " \
            "school is in another council's area." in page
    page = main_of(browser.post("/letter/place", {"q": "Queen's Park and Maida Vale"}))
    assert re.findall(r'<input type="radio" name="council" value="([^"]*)"[^>]*checked',
                      page) == [""]
    assert "so it is chosen for you" not in page


def test_a_letter_without_local_figures_says_why_on_the_preview(browser, engine):
    """Battersea's council has no figure that argues the case: the preview says why the
    letter quotes none, in the page's words."""
    page = text_of(browser.post("/letter/place", {"q": "Battersea"}))
    seat = re.search(r'name="seat" value="([^"]+)"', page).group(1)
    asks = re.findall(r'name="ask" value="([^"]+)"[^>]*checked', page)
    preview = main_of(browser.post("/letter/preview", {
        "seat": seat, "name": "Jo Bloggs", "address": "1 High St, London SW11 1AA",
        "ask": asks}))
    assert "No recent published figure for Wandsworth is worse than England&#39;s or rising " \
        "faster, so the letter makes the asks without local figures" in preview
