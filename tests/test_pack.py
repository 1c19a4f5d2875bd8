"""Issue 14: a roundtable pack an official can send. The organiser and how to reply, the MP
addressed as the guide says, marked spaces for what is not settled, the calendar invitation,
the sign-in sheet, a two-page briefing with its chart, the MP's portrait, and no nearly empty
last page in any document."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from campaign_kit.document import Chart, Document, Image, Meta, Paragraph, Span
from campaign_kit.engine.engine import Engine
from campaign_kit.engine.kinds import KINDS
from campaign_kit.engine.requests import Area, Event, Request
from campaign_kit.engine.rules import event as checked_event
from campaign_kit.engine.rules import member as make_member
from campaign_kit.engine.rules import parse_email, parse_phone
from campaign_kit.errors import CampaignKitError, TemplateProblem
from campaign_kit.localdata.sources import PORTRAIT_CREDIT
from campaign_kit.runs.outputs import write_product
from campaign_kit.writers import write as write_format
from campaign_kit.writers.text import render_text

from .extract import docx_text, page_fills, pdf_text, squash

TODAY = dt.date(2026, 11, 24)
EVENT = Event(dt.date(2027, 2, 10), dt.time(16, 0), "Hexham Middle School", "Sam Patel",
              "Regional official", host_email="sam.patel@example.org",
              host_phone="0191 498 0000")
BLANK = Event(None, None, "", "", "")  # a regional kit's pack: nothing settled yet


def pack(engine, query: str, event: Event = EVENT):
    seat = engine.places.find(query)
    return engine.make("roundtable", Request(event.date or TODAY, seat=seat, event=event,
                                           today=TODAY))


def texts(made) -> dict[str, str]:
    return {stem: squash(render_text(doc)) for doc, stem in made.documents}


# -- the organiser, and how the MP's office replies ------------------------------------------------
def test_organiser_and_how_to_reply(engine):
    docs = texts(pack(engine, "Hexham"))
    invitation, follow_up, briefing = docs["invitation"], docs["follow-up"], docs["briefing"]
    assert ("Please reply to me by email at sam.patel@example.org or by phone on 0191 498 "
            "0000") in invitation
    for text in (invitation, follow_up):
        assert "Sam Patel Regional official, NAHT Email: sam.patel@example.org Phone: 0191 " \
            "498 0000" in text
        assert "House of Commons" not in text
    # addressed as the guide says to send it: for the constituency office, by email
    assert "Joe Morris MP Member of Parliament for Hexham For the attention of the " \
        "constituency office By email: joe.morris.mp@parliament.uk" in invitation
    # the follow-up is an email: to the MP's address, no postal address or date line
    assert "To send by email to joe.morris.mp@parliament.uk within a week" in follow_up
    assert "[" not in invitation and "[Date]" not in follow_up
    assert "[First commitment]" in follow_up  # typed over before sending
    assert "you can reach me by email at sam.patel@example.org" in follow_up
    assert ("Contact: Sam Patel, Regional official, NAHT, the union for school leaders: by "
            "email at sam.patel@example.org or by phone on 0191 498 0000.") in briefing
    assert "Wednesday 10 February 2027 from 16:00 to 17:30 at Hexham Middle School" in invitation
    guide = docs["guide"]
    assert "Email the invitation to joe.morris.mp@parliament.uk, for the attention of the " \
        "constituency office" in guide
    assert "Send the invitation to the MP's constituency office, as it is addressed" in guide


def test_an_mp_with_no_published_email_is_written_to_at_the_commons(engine):
    seat = engine.places.find("Preston")
    assert not seat.mp.email
    docs = texts(pack(engine, "Preston"))
    assert "Member of Parliament for Preston House of Commons London SW1A 0AA" in \
        docs["invitation"]
    assert "By email" not in docs["invitation"] and "calendar invitation is attached" not in \
        docs["invitation"]
    assert "No email address is published for this MP in our data: post the invitation to " \
        "the House of Commons" in docs["guide"]


def test_what_is_not_settled_is_a_marked_space_never_a_blank(engine):
    docs = texts(pack(engine, "Hexham", BLANK))
    invitation = docs["invitation"]
    assert "[Organiser's name] [Role], NAHT Email: [Email address] Phone: [Phone number]" \
        in invitation
    assert "reply to me by email at [email address] or by phone on [phone number]" in invitation
    assert "at [venue]" in invitation and "agree a date with your office" in invitation
    assert "Name: ____" not in invitation
    assert "[Date to be agreed with the MP's office], [Time] (90 minutes). Where: [Venue]" \
        in docs["guide"]
    assert "Hexham: [Date to be agreed], [Time], [Venue]." in docs["sign-in-and-notes"]
    assert docs["follow-up"].startswith("Subject: Thank you")
    assert "[Third commitment]" in docs["follow-up"] and "____" not in docs["follow-up"]
    # marked, and bold so they show on the page
    doc = dict((stem, d) for d, stem in pack(engine, "Hexham", BLANK).documents)["invitation"]
    spans = [s for b in doc.blocks for line in getattr(b, "lines", ()) for s in line]
    assert any(s.text == "[Organiser's name]" and s.bold for s in spans)


@pytest.mark.parametrize("email", ["sam@example.org", "sam.patel+pack@naht.org.uk"])
def test_good_emails(email):
    assert parse_email(email) == email


@pytest.mark.parametrize("email, message", [
    *((e, "does not look like an email address") for e in (
        "sam", "sam@", "@example.org", "sam@example", "sam patel@x.org", "sam@@example.org",
        "sam@example..org")),
    ("a" * 250 + "@x.org", "the organiser's email is 256 characters; keep it under 254"),
    ("sam\x1b@x.org", "holds a control character")])
def test_bad_emails_are_one_line_errors(email, message):
    with pytest.raises(CampaignKitError, match=re.escape(message)) as raised:
        parse_email(email)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize("phone", ["0191 498 0000", "01914980000", "+44 191 498 0000",
                                   "+44 (0)20 7946 0000", "07700 900123", "(0191) 498-0000",
                                   "016977 4444"])
def test_uk_phone_numbers(phone):
    assert parse_phone(phone) == " ".join(phone.split())


@pytest.mark.parametrize("phone", ["12345", "0191 498 0000 0000", "+1 212 555 0100",
                                   "0191-CALL-NOW", "0191 498 0000 ext 2", "44 191 498 0000",
                                   "0191+4980000"])
def test_not_uk_phone_numbers(phone):
    with pytest.raises(CampaignKitError, match="is not a UK phone number"):
        parse_phone(phone)


def test_cli_checks_host_email_and_phone_before_anything_is_written(runner, cli, tmp_path):
    for option, value, message in (("--host-email", "sam.patel", "does not look like an email"),
                                   ("--host-phone", "call me", "is not a UK phone number")):
        result = runner.invoke(cli, ["roundtable", "--constituency", "Hexham", option, value,
                                     "--out", str(tmp_path)])
        assert result.exit_code == 1 and message in result.output
        assert len(result.output.strip().splitlines()) == 1 and not any(tmp_path.iterdir())
    result = runner.invoke(cli, ["roundtable", "--help"])
    assert "--host-email" in result.output and "--host-phone" in result.output


def test_a_time_the_clocks_skip_is_an_error():
    with pytest.raises(CampaignKitError, match="does not exist on 28 March 2027"):
        checked_event({"date": "2027-03-28", "time": "01:30", "host_name": "Sam",
                       "host_email": "sam@example.org"}, TODAY)


# -- the calendar invitation -----------------------------------------------------------------------
@pytest.mark.slow
def test_calendar_invitation_opens_in_a_standard_parser(runner, cli, tmp_path):
    from icalendar import Calendar

    result = runner.invoke(cli, [
        "roundtable", "--constituency", "Hexham", "--date", "10/02/2027", "--time", "16:00",
        "--venue", "Hexham Middle School", "--host-name", "Sam Patel", "--host-role",
        "Regional official", "--host-email", "sam.patel@example.org", "--host-phone",
        "0191 498 0000", "--format", "docx", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    ics = tmp_path / "roundtable-hexham" / "invitation.ics"
    assert "invitation.ics" in result.output
    cal = Calendar.from_ical(ics.read_bytes())
    (event,) = cal.walk("VEVENT")
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start.isoformat() == "2027-02-10T16:00:00+00:00" and str(start.tzinfo) == \
        "Europe/London"
    assert (end - start) == dt.timedelta(minutes=90)
    assert str(event["SUMMARY"]) == "Roundtable on SEND in Hexham with Joe Morris MP"
    assert str(event["LOCATION"]) == "Hexham Middle School"
    assert str(event["ORGANIZER"]) == "mailto:sam.patel@example.org"
    assert "phone 0191 498 0000" in str(event["DESCRIPTION"])
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/London"
    # the same event made again gives the same file
    engine = Engine.load()
    again = engine.produce("roundtable", Request(
        dt.date(2027, 2, 10), seat=engine.places.find("Hexham"), event=checked_event({
            "date": "2027-02-10", "time": "16:00", "venue": "Hexham Middle School",
            "host_name": "Sam Patel", "host_role": "Regional official",
            "host_email": "sam.patel@example.org", "host_phone": "0191 498 0000"},
            dt.date.today())[0], today=dt.date.today()), ["docx"])
    assert {f.name: f.data for f in again.files}["roundtable-hexham/invitation.ics"] == \
        ics.read_bytes()


@pytest.mark.slow
def test_no_calendar_invitation_without_date_and_time(runner, cli, tmp_path):
    result = runner.invoke(cli, ["roundtable", "--constituency", "Hexham", "--date",
                                 "2027-02-10", "--host-name", "Sam", "--format", "docx",
                                 "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "no calendar invitation (invitation.ics): it needs the event's date and start " \
        "time" in squash(result.output)
    assert not list(tmp_path.rglob("*.ics"))


def test_an_existing_calendar_file_is_not_overwritten_without_force(engine, tmp_path):
    seat = engine.places.find("Hexham")
    made = engine.produce("roundtable", Request(EVENT.date, seat=seat, event=EVENT, today=TODAY),
                       ["docx"])
    (tmp_path / made.folder).mkdir()
    (tmp_path / made.folder / "invitation.ics").write_text("mine")
    with pytest.raises(CampaignKitError, match="invitation.ics already exists"):
        write_product(made, tmp_path, force=False)
    assert (tmp_path / made.folder / "invitation.ics").read_text() == "mine"
    assert not (tmp_path / made.folder / "guide.docx").exists()


# -- the sign-in sheet -----------------------------------------------------------------------------
@pytest.mark.slow
def test_sign_in_sheet_has_email_and_a_consent_box_per_row(engine, tmp_path):
    from docx import Document as open_docx

    doc = dict((stem, d) for d, stem in pack(engine, "Hexham").documents)["sign-in-and-notes"]
    path = tmp_path / "sign-in.docx"
    path.write_bytes(write_format("docx", doc, engine.assets))
    table = open_docx(str(path)).tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "Name", "Role", "School or organisation", "Email", "Contact me about the campaign"]
    assert len(table.rows) == 16
    assert all([c.text for c in row.cells] == ["", "", "", "", "☐ Yes"] for row in table.rows[1:])
    pdf = tmp_path / "sign-in.pdf"
    pdf.write_bytes(write_format("pdf", doc, engine.assets))
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "DejaVu" in fonts  # the tick box is drawn from a font that has it, not a blank
    assert pdf_text(pdf, 1, 1).count("☐ Yes") == 15


# -- the briefing: two pages, one chart ------------------------------------------------------------
# the briefing's one chart: the seat's strongest figure the campaign declares a chart for
# (engine/evidence.py), for its council: Sheffield's plans rising faster than England's (its
# share of pupils with a plan is below England's), Northumberland's share of pupils with a
# plan (above England's, rising faster), Leicestershire's 4.3% of plans on time (a 15% slice
# of Rutland and Stamford, whose other councils have no stronger charted figure)
@pytest.mark.parametrize("query, councils, chart, series, source", [
    ("Sheffield Central", 1, "ehcp", ["Sheffield"], "Education, health and care plans"),
    ("Hexham", 2, "ehcp-share", ["Northumberland", "England"],
     "Special educational needs in England"),
    ("Rutland and Stamford", 3, "timely", ["Leicestershire", "England"],
     "Education, health and care plans")])
def test_briefing_is_two_pages_with_the_strongest_chart(engine, tmp_path, query, councils,
                                                        chart, series, source):
    made = pack(engine, query)
    doc = dict((stem, d) for d, stem in made.documents)["briefing"]
    charts = [b for b in doc.blocks if isinstance(b, Chart)]
    spec = next(c for c in engine.campaign.charts if c.id == chart)
    assert len(charts) == 1 and charts[0].title.startswith(spec.title)
    seat = engine.places.find(query)
    assert len(seat.councils) == councils
    assert [s.name for s in charts[0].series] == series
    path = tmp_path / "briefing.pdf"
    path.write_bytes(write_format("pdf", doc, engine.assets))
    assert len(page_fills(path)) <= 2
    text = squash(pdf_text(path))
    assert spec.title in text and "What we are asking for" in text and "Contact:" in text
    assert f"Source: Department for Education, {source}" in text
    docx = tmp_path / "briefing.docx"
    docx.write_bytes(write_format("docx", doc, engine.assets))
    assert f"{spec.x_title} | " in docx_text(docx)  # the chart as a table of its numbers
    with zipfile.ZipFile(docx) as z:  # with the chart's alt text as the table's
        body = z.read("word/document.xml").decode()
    kind = "Line chart" if spec.type == "line" else "Column chart"
    assert f'<w:tblDescription w:val="{kind}: {spec.title}' in body


def test_briefing_for_a_seat_with_three_councils_sets_them_side_by_side(engine):
    text = texts(pack(engine, "Rutland and Stamford"))["briefing"]
    assert "Measure | Rutland (about 43% of the seat) | Lincolnshire (about 42% of the seat) | " \
        "Leicestershire (about 15% of the seat) | England | Period and source" in text
    assert re.search(r"% of new EHC plans issued within 20 weeks \| [\d.]+% \((worse|better)\)",
                     text)
    assert "\"Worse\" and \"better\" compare a council with England" in text


# -- the MP's portrait -----------------------------------------------------------------------------
@pytest.mark.slow
def test_portrait_beside_the_profile_in_the_guide(engine, tmp_path):
    guide = dict((stem, d) for d, stem in pack(engine, "Hexham").documents)["guide"]
    (image,) = [b for b in guide.blocks if isinstance(b, Image)]
    assert image.alt == "Official portrait of Joe Morris MP" and image.credit == PORTRAIT_CREDIT
    assert image.data == engine.places.portrait(engine.places.find("Hexham").code)[0]
    pdf = tmp_path / "guide.pdf"
    pdf.write_bytes(write_format("pdf", guide, engine.assets))
    listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True,
                            text=True).stdout.splitlines()[2:]
    sizes = {(int(r.split()[3]), int(r.split()[4])) for r in listed}
    assert (120, 120) in sizes  # the portrait (and the letterhead's logo)
    assert "(c) UK Parliament, CC BY 3.0" in pdf_text(pdf, 1, 2)
    docx = tmp_path / "guide.docx"
    docx.write_bytes(write_format("docx", guide, engine.assets))
    with zipfile.ZipFile(docx) as z:
        body = z.read("word/document.xml").decode()
    assert 'descr="Official portrait of Joe Morris MP"' in body
    assert PORTRAIT_CREDIT in docx_text(docx)
    assert "[Picture: Official portrait of Joe Morris MP] (c) UK Parliament" in \
        squash(render_text(guide))
    assert not [b for b in guide.blocks[1:] if isinstance(b, Image) and b is not image]


@pytest.mark.slow
def test_no_portrait_when_the_store_has_none_for_the_member(engine):
    guide = dict((stem, d) for d, stem in pack(engine, "Makerfield").documents)["guide"]
    assert not [b for b in guide.blocks if isinstance(b, Image)]
    assert "UK Parliament, CC BY" not in render_text(guide)


def test_an_image_needs_alt_text_and_a_deck_refuses_one(engine):
    with pytest.raises(ValueError, match="alt text"):
        Image(b"x", "image/jpeg", " ")
    with pytest.raises(ValueError, match="JPEG or a PNG"):
        Image(b"x", "image/gif", "A picture")
    from campaign_kit.document import Slide

    picture = Image(engine.places.portrait(engine.places.find("Hexham").code)[0], "image/jpeg",
                    "A portrait")
    deck = Document(Meta("Deck", "Test", kind="deck", date="2026-11-24"),
                    (Slide((Span("A slide"),), (picture,)),))
    with pytest.raises(TemplateProblem, match="holds a Image, which a slide cannot show"):
        write_format("pptx", deck, engine.assets)


def test_a_template_names_an_image_that_is_not_there(engine):
    from campaign_kit.render.templating import parse_markdown

    with pytest.raises(TemplateProblem, match=r"image 'portrait' is not one of: \(no images\)"):
        parse_markdown("::: image portrait\n:::\n", {}, source="guide.md.j2")


# -- no nearly empty last page ---------------------------------------------------------------------
MIN_FILL = 0.25  # a last page at least a quarter full, or the document one page


@pytest.mark.slow
@pytest.mark.parametrize("query", ["Sheffield Central", "Hexham", "Rutland and Stamford",
                                   "Ynys Môn"])
def test_every_last_page_is_worth_printing(engine, tmp_path, query):
    """Every document of the pack, with the event settled and not, and the letter: one page,
    or a last page at least a quarter full (single-council, two- and three-council and
    devolved seats)."""
    seat = engine.places.find(query)
    docs = [(d, f"{stem}-{n}") for n, event in enumerate((EVENT, BLANK))
            for d, stem in pack(engine, query, event).documents]
    member = make_member("Jo Bloggs", "1 High Street, Town, AB1 2CD", "headteacher",
                                "Park School", "We wait months for support. " * 40)
    docs += engine.make("letter", Request(TODAY, seat=seat, member=member)).documents
    for doc, stem in docs:
        path = tmp_path / f"{stem}.pdf"
        path.write_bytes(write_format("pdf", doc, engine.assets))
        fills = page_fills(path)
        assert len(fills) == 1 or fills[-1] >= MIN_FILL, (query, stem, fills)
        if stem.startswith("briefing"):
            assert len(fills) <= 2, (query, stem, fills)


@pytest.mark.slow
def test_a_page_that_would_end_nearly_empty_is_set_again(engine, tmp_path):
    """A text that leaves a few lines on its last page is set tighter or looser until the
    last page is worth printing; a short document stays as it is."""
    from campaign_kit.writers.pdf import MIN_LAST_FILL

    para = Paragraph((Span("A line of a guide that runs on. " * 9),))
    plain_fills = []
    for n in range(40, 60, 2):
        doc = Document(Meta("Guide", "Test", kind="guide", date="2026-11-24"), (para,) * n)
        path = tmp_path / f"{n}.pdf"
        path.write_bytes(write_format("pdf", doc, engine.assets))
        fills = page_fills(path)
        assert len(fills) == 1 or fills[-1] >= MIN_FILL, (n, fills)
        plain_fills.append(fills)
    assert any(len(f) == 3 for f in plain_fills)
    assert MIN_LAST_FILL >= MIN_FILL


# -- the deck --------------------------------------------------------------------------------------
def test_deck_notes_never_name_the_tool(engine, tmp_path):
    from pptx import Presentation

    area = Area.of_council(engine.places, engine.places.council("Northumberland"))
    paths = write_product(engine.produce("deck", Request(TODAY, area=area), ["pptx"]), tmp_path,
                          False)
    notes = " ".join(s.notes_slide.notes_text_frame.text
                     for s in Presentation(str(paths[0])).slides)
    assert len(notes) > 500
    assert not re.search(r"campaign[- _]?kit", notes, re.I)


def test_pack_kind_declares_its_briefing_page_limit():
    briefing = next(p for p in KINDS["roundtable"].parts if p.name == "briefing")
    assert briefing.max_pages == 2
    assert Path(KINDS["roundtable"].parts[0].template).name == "guide.md.j2"
