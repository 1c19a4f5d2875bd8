"""Email that works on a phone: the letter's email form (greeting to sign-off, no subject
line or postal addresses, paragraphs unbroken, sources in one short line) in the copy box and
in the mailto: link, which decodes to exactly that text; a shorter form when the whole
letter is too long for a link; the measured one-page story length."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

flask = pytest.importorskip("flask", reason="the web extra is not installed")

from campaign_kit.engine.requests import Request  # noqa: E402
from campaign_kit.engine.rules import member  # noqa: E402
from campaign_kit.web.app import ONE_PAGE_STORY, create_app  # noqa: E402
from campaign_kit.web.mail import MAILTO_LIMIT  # noqa: E402
from campaign_kit.web.settings import Settings  # noqa: E402

ALDERSHOT = "E14001063"
STORY = ("Our SENCO has waited nine months for an educational psychologist to visit, and "
         "three pupils are still waiting for their plans. ")


@pytest.fixture(scope="module")
def client(engine):
    app = create_app(Settings(secret=b"e" * 32, renders_per_minute=1e6, pages_per_minute=1e6),
                     engine)
    client = app.test_client()
    page = client.get("/").get_data(as_text=True)
    client.token = re.search(r'name="token" value="([0-9a-f]{64})"', page).group(1)
    return client


def preview(client, **form) -> str:
    data = {"token": client.token, "seat": ALDERSHOT, "name": "Jo Bloggs",
            "address": "1 High Street, Farnborough GU14 6AA", "role": "Headteacher",
            "school": "Cove Junior School", "ask": ["fair-funding"], **form}
    response = client.post("/letter/preview", data=data)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def copy_box(page: str) -> str:
    return html.unescape(re.search(r'<textarea id="letter-text"[^>]*>([^<]*)</textarea>',
                                   page).group(1))


def mailto(page: str) -> str:
    found = re.search(r'id="mailto" href="([^"]+)"', page)
    return html.unescape(found.group(1)) if found else ""


def test_the_email_form_reads_as_an_email(client):
    text = copy_box(preview(client, story=STORY))
    lines = text.splitlines()
    assert lines[0].startswith("Dear ") and lines[0].endswith(",")  # the greeting first
    assert "Subject:" not in text and "House of Commons" not in text
    assert "GU14 6AA" not in text and "1 High Street" not in text  # no postal addresses
    assert re.search(r"\d{1,2} \w+ 20\d\d\n", text.split("Dear")[0]) is None  # no date line
    assert "Yours sincerely\nJo Bloggs\nHeadteacher\nCove Junior School" in text
    # the sources last, publishers by their initials (a letter gives each source by its
    # publisher or by its title first, fixed per member: issue 20's wording variety)
    assert lines[-1].startswith("Sources: ") and "DfE" in lines[-1] \
        and "Department for Education" not in lines[-1] and "Open Government Licence" in lines[-1]
    assert all(len(line) < 400 for line in lines[:-1])  # no 72-column breaks, no essays
    paragraph = next(line for line in lines if "educational psychologist" in line)
    assert paragraph == STORY.strip()  # unbroken


def test_the_link_decodes_to_exactly_the_email_form(client):
    page = preview(client, story="", role="", school="")
    link = mailto(page)
    assert link and len(link) <= MAILTO_LIMIT and 'data-note="no-story"' in page
    parts = urlsplit(link)
    assert parts.scheme == "mailto" and parts.path.endswith(".mp@parliament.uk")
    query = parse_qs(parts.query, keep_blank_values=True)
    assert query["subject"] == ["Funding for children with special educational needs in "
                                "Aldershot"]
    body = unquote(re.search(r"[?&]body=([^&]*)", link).group(1))
    assert body == copy_box(page).replace("\n", "\r\n")  # CRLF, as RFC 6068 asks
    assert "Open a shorter version" not in page


def test_a_long_story_still_sends_the_whole_letter_by_copy_and_paste(client):
    story = (STORY * 60)[:5000].strip()
    page = preview(client, story=story)
    box = copy_box(page)
    assert story in box  # the whole story, unbroken
    assert not mailto(page)  # nothing could fit: no link that would fail
    assert "too long to open in an email app from a link" in page
    button = re.search(r'<button type="button"[^>]*data-copy="letter-text"[^>]*>', page)
    assert button and 'class="copy-status" role="status"' in page  # announced when copied
    assert re.search(r'id="pages"[^>]*>.*will print on 2 pages', page, re.S)


def test_a_medium_story_gets_the_shorter_form_in_the_link(client):
    story = (STORY * 4)[:420].strip()
    page = preview(client, story=story, ask=["fair-funding", "cancel-deficits"])
    link = mailto(page)
    assert link and "Open a shorter version" in page
    body = unquote(re.search(r"[?&]body=([^&]*)", link).group(1))
    assert story in body and "Sources:" not in body  # the story, no figures
    assert "EHC plan" not in body
    assert "EHC plan" in copy_box(page)  # the copy box keeps the whole letter


def test_the_text_download_stays_the_printed_form(client):
    data = {"token": client.token, "seat": ALDERSHOT, "name": "Jo Bloggs",
            "address": "1 High Street, Farnborough GU14 6AA", "story": STORY,
            "ask": ["fair-funding"], "format": "txt"}
    text = client.post("/letter/download", data=data).get_data(as_text=True)
    assert text.startswith("Subject: ") and "House of Commons" in text
    assert max(len(line) for line in text.splitlines()[1:]) <= 72  # wrapped, as printed


@pytest.mark.slow
@pytest.mark.parametrize("seat", ["E14001076", ALDERSHOT, "E14001095"])
def test_the_one_page_story_length_is_measured(engine, seat):
    from pypdf import PdfReader

    def pages(length: int) -> int:
        person = member("Jo Bloggs-Williamson", "1 High Street, Farnborough, Hampshire, GU14 6AA",
                        "Deputy headteacher", "Cove Junior School and Nursery",
                        (STORY * 60)[:length])
        made = engine.produce("letter", Request(dt.date.today(), seat=engine.seat(seat),
                                                member=person, ask_ids=(
            "long-term-funding", "cancel-deficits", "specialist-services")), ["pdf"])
        return len(PdfReader(io.BytesIO(made.files[0].data)).pages)

    assert pages(ONE_PAGE_STORY) == 1
    assert pages(ONE_PAGE_STORY + 800) == 2
