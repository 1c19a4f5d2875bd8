"""The roundtable pack: five documents in two formats, agenda timings, dates and bad input."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaign_kit.content.campaign import load_campaign
from campaign_kit.engine.requests import Event
from campaign_kit.engine.roundtable import agenda, plan_from, preparation
from campaign_kit.engine.rules import event as checked_event
from campaign_kit.errors import CampaignKitError

from .extract import docx_text, libreoffice_to_pdf, pdf_info, pdf_text, squash

DOCS = ("guide", "briefing", "invitation", "follow-up", "sign-in-and-notes")


def parse_event(date, time, venue, host_name, host_role, today, host_email=None,
                host_phone=None):
    """The event the rules make of these details, and its warnings in the library's words."""
    event, notes = checked_event({"date": date, "time": time, "venue": venue,
                                  "host_name": host_name, "host_role": host_role,
                                  "host_email": host_email, "host_phone": host_phone}, today)
    return event, [n.text for n in notes]


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    from click.testing import CliRunner

    from campaign_kit.cli import cli

    out = tmp_path_factory.mktemp("pack")
    result = CliRunner().invoke(cli, [
        "roundtable", "--constituency", "Sheffield Central", "--date", "2027-02-10",
        "--time", "16:00", "--venue", "Springfield Primary School", "--host-name", "Sam Patel",
        "--host-role", "Regional official", "--host-email", "sam.patel@example.org",
        "--host-phone", "0114 496 0000", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out / "roundtable-sheffield-central"


@pytest.mark.slow
def test_five_documents_in_both_formats(pack):
    for doc in DOCS:
        for fmt in ("pdf", "docx"):
            assert (pack / f"{doc}.{fmt}").stat().st_size > 1000, f"{doc}.{fmt}"
        assert pdf_info(pack / f"{doc}.pdf")["Tagged"] == "yes"


@pytest.mark.slow
def test_guide_has_roles_agenda_questions_and_checklist(pack):
    roles = squash(docx_text(pack / "guide.docx"))  # table cells wrap in the PDF's layout
    for role in ("Chair", "Storytellers", "Data lead", "Note-taker", "Follow-up owner"):
        assert f"{role} |" in roles
    text = squash(pdf_text(pack / "guide.pdf"))
    assert "16:00" in text and "17:30" in text and "Total: 90 minutes" in text
    campaign = load_campaign()
    for ask in campaign.choose_asks(None):
        assert squash(ask.questions[0]) in text
    # preparation dates counted back from 10 February 2027
    assert "30 December 2026" in text  # six weeks before: send the invitation
    assert "11 February 2027" in text  # the day after: follow-up
    assert "Etiquette" in text and "Afterwards" in text


@pytest.mark.slow
def test_briefing_figures_match_lookup(pack, runner, cli):
    data = json.loads(runner.invoke(cli, ["lookup", "Sheffield Central", "--json"]).output)
    council = data["councils"][0]
    text = squash(pdf_text(pack / "briefing.pdf"))
    # a document the MP reads never states the MP's own majority (issue 11)
    assert "Abtisam Mohamed MP" in text and "8,286" not in text and "majority" not in text
    plans = council["figures"]["ehcp_plans"]["latest"]["value"]
    timely = council["figures"]["timely_20wk_pc"]
    # a count of need beside England's rise, never its total beside England's (issue 20)
    assert f"EHC plans in force {plans:,.0f}, up 83.0%" in text and "up 63.7%" in text
    assert "638,745" not in text
    assert f"{timely['latest']['value']:.1f}% {timely['england']['value']:.1f}%" in text
    assert "DfE SEN2 2025" in text and "Open Government Licence" in text


@pytest.mark.slow
def test_invitation_follow_up_and_sign_in(pack):
    invitation = squash(pdf_text(pack / "invitation.pdf"))
    assert "Dear Ms Mohamed," in invitation
    assert "Wednesday 10 February 2027 from 16:00 to 17:30 at Springfield Primary School" \
        in invitation
    assert "Sam Patel" in invitation and "Regional official" in invitation
    assert "reply to me by email at sam.patel@example.org or by phone on 0114 496 0000" \
        in invitation
    follow = squash(docx_text(pack / "follow-up.docx"))
    assert "these are the commitments you made" in follow and "[First commitment]" in follow
    assert "____" not in follow  # sent by email: no lines to write on
    sign = squash(pdf_text(pack / "sign-in-and-notes.pdf"))
    assert "Email Contact me about the campaign" in sign and "committed to do" in sign
    assert sign.count("☐ Yes") == 15


@pytest.mark.slow
def test_libreoffice_opens_every_docx(pack, tmp_path):
    for doc in DOCS:
        converted = libreoffice_to_pdf(pack / f"{doc}.docx", tmp_path)
        assert len(pdf_text(converted).strip()) > 50, doc


@pytest.mark.parametrize("asks", [1, 2, 3, 5])
@pytest.mark.parametrize("start", [None, dt.time(9, 15)])
def test_agenda_adds_up(asks, start):
    campaign = load_campaign()
    chosen = list(campaign.asks[:asks])
    event = Event(None, start, "", "", "")
    items = agenda(event, chosen, plan_from(campaign))
    assert sum(i.minutes for i in items) == event.minutes
    for a, b in zip(items, items[1:], strict=False):
        assert a.end == b.start
    if start:
        assert items[0].start == "09:15" and items[-1].end == "10:45"
    else:
        assert items[-1].end == "+90 min"


@given(st.integers(0, 600), st.integers(1, 8))
def test_discussions_share_the_time_in_round_minutes(minutes, count):
    from campaign_kit.engine.roundtable import discussion_minutes

    shares = discussion_minutes(minutes, count)
    assert sum(shares) == minutes and len(shares) == count and min(shares) >= 0
    if minutes >= 5 * count:  # every discussion but the last starts and ends on a 5
        assert all(m % 5 == 0 for m in shares[:-1]) and max(shares) - min(shares) <= 9


def test_hexham_agenda_reads_in_five_minutes():
    campaign = load_campaign()
    items = agenda(Event(None, dt.time(16, 0), "", "", ""), list(campaign.asks[:3]),
                   plan_from(campaign))
    assert [i.start for i in items if i.item.startswith("Discussion")] == \
        ["16:35", "16:50", "17:00"]


def test_preparation_without_a_date_is_relative():
    rows = preparation(Event(None, None, "", "", ""), plan_from(load_campaign()))
    assert rows[0][0] == "6 weeks before" and rows[-1][0] == "The day after"


@pytest.mark.parametrize("date, time, message", [
    ("2027-02-30", None, "not a real date"), ("30/02/2027", None, "not a real date"),
    ("02/13/2027", None, "day first as in the UK"), ("10-02-2027", None, "not a real date"),
    ("10/02/27", None, "DD/MM/YYYY"), ("10 February 2027", None, "not a real date"),
    (None, "25:00", "not a time of day"), (None, "4pm", "24-hour clock"),
    (None, "16:60", "not a time of day"), (None, "1630", "HH:MM")])
def test_impossible_date_or_time(date, time, message):
    with pytest.raises(CampaignKitError, match=message) as raised:
        parse_event(date, time, None, "Sam", None, dt.date(2026, 11, 27), "sam@example.org")
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize("text", ["2027-02-10", "10/02/2027", "10/2/2027", " 10/02/2027 "])
def test_dates_in_iso_or_uk_order(text):
    event, notes = parse_event(text, "9:30", None, "Sam", None, dt.date(2026, 11, 27),
                               "sam@example.org")
    assert event.date == dt.date(2027, 2, 10) and event.time == dt.time(9, 30)
    assert notes == [], "a Wednesday morning is unremarkable"


@pytest.mark.parametrize("date, time, warning", [
    ("2027-02-13", "16:00", "13 February 2027 is a Saturday"),
    ("14/02/2027", "16:00", "14 February 2027 is a Sunday"),
    ("2027-02-10", "23:30", "the start time 23:30 is outside 07:00-21:00"),
    ("2027-02-10", "06:45", "the start time 06:45 is outside 07:00-21:00"),
])
def test_weekend_and_unsocial_times_warn(date, time, warning):
    event, notes = parse_event(date, time, None, "Sam", None, dt.date(2026, 11, 27),
                               "sam@example.org")
    assert event.date and event.time
    assert len(notes) == 1 and notes[0].startswith(warning), notes


def test_edges_of_the_day_do_not_warn():
    for time in ("07:00", "21:00"):
        assert parse_event("2027-02-10", time, None, "Sam", None, dt.date(2026, 11, 27),
                           host_phone="0191 498 0000")[1] == []


@pytest.mark.slow
def test_cli_states_uk_date_order_and_warns(runner, cli, tmp_path):
    assert "day first" in squash(runner.invoke(cli, ["roundtable", "--help"]).output)
    result = runner.invoke(cli, ["roundtable", "--constituency", "Aldershot", "--date",
                                 "13/02/2027", "--time", "23:30", "--host-name", "Sam",
                                 "--format", "docx", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "is a Saturday" in result.output and "outside 07:00-21:00" in result.output


def test_past_date_is_refused(runner, cli, tmp_path):
    """An invitation cannot propose a day that has gone: refused before any work, with the
    date as people write it."""
    result = runner.invoke(cli, ["roundtable", "--constituency", "Aldershot", "--date",
                                 "2020-01-01", "--host-name", "Sam", "--format", "docx",
                                 "--out", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert "--date 1 January 2020 is in the past" in result.output
    assert not any(tmp_path.iterdir())


def test_impossible_date_cli_is_one_line(runner, cli, tmp_path):
    result = runner.invoke(cli, ["roundtable", "--constituency", "Aldershot", "--date",
                                 "2027-13-01", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.strip().startswith("Error:") and len(result.output.splitlines()) == 1
    assert not any(tmp_path.iterdir())


@pytest.mark.slow
def test_non_english_seat_pack_has_note(runner, cli, tmp_path):
    result = runner.invoke(cli, ["roundtable", "--constituency", "Belfast South and Mid Down",
                                 "--host-name", "Sam", "--format", "pdf", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Education is devolved in Northern Ireland" in result.output
    folder = next(tmp_path.iterdir())
    briefing = squash(pdf_text(folder / "briefing.pdf"))
    assert "devolved in Northern Ireland" in briefing and "EHC plans in force" not in briefing
    assert "to be agreed" in squash(pdf_text(folder / "guide.pdf"))
