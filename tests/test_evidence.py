"""Issue 20, "evidence that argues the case, honestly": each seat's strongest figures first,
nothing that undercuts the ask, multi-council seats said with their shares, no signed
zero, no council total beside England's, and figures in doubt kept out of letters.

The cases are the issue's own: Leeds, Westminster, Aldershot, Sheffield, Newham, and Rutland
and Stamford, each asserting the figure chosen or refused."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest

from campaign_kit.content.evidence import EvidenceContent, StoryTopic
from campaign_kit.engine import evidence
from campaign_kit.engine.requests import Area, Event, Request
from campaign_kit.engine.rules import member as make_member
from campaign_kit.render.formatting import money, percent, signed_percent, thousands

from .extract import squash
from .test_truth import doc_text

DATE = dt.date(2026, 12, 1)
EVENT = Event(dt.date(2027, 3, 10), dt.time(16, 0), "Example Primary School", "Alex", "")
WAIT = "We waited 38 weeks for an assessment."


def key(s) -> tuple[str, str]:
    """A statement by council and measure (its share of the seat differs by document)."""
    return s.council, s.measure


def chosen(built) -> list[tuple[str, str]]:
    return [key(s) for s in built["letter"]["statements"]]


def members(n: int, story: str = ""):
    roles = ("headteacher", "SENCO", "deputy headteacher")
    return [make_member(f"Member {i}", "1 School Lane", roles[i % 3], f"School {i}", story)
            for i in range(n)]


def letter_built(engine, seat, member, council=None):
    from campaign_kit.engine.contexts import letter_context

    built, _, _ = letter_context(engine, Request(DATE, seat=seat, member=member,
                                                 council=council))
    return built


def statement(engine, council: str, measure: str):
    figures = evidence.for_council(engine, engine.places.council(council), DATE)
    return next(s for s in figures.statements if s.measure == measure)


def briefing(engine, seat):
    made = engine.make("roundtable", Request(EVENT.date, seat=seat, event=EVENT, today=DATE))
    return dict((stem, d) for d, stem in made.documents)["briefing"]


def deck_titles(engine, seat) -> list[str]:
    from campaign_kit.document import Slide, plain

    doc = engine.make("deck", Request(DATE, area=Area.of_seat(seat))).documents[0][0]
    return [plain(b.title) for b in doc.blocks if isinstance(b, Slide)]


# -- Leeds: the strongest figure in every letter, the undercutting one in none ---
def test_leeds_letters_all_carry_the_timeliness_figure_and_never_the_slower_rise(engine):
    seat = engine.places.find("Leeds Central and Headingley")
    timely = statement(engine, "Leeds", "timely_20wk_pc")
    assert (timely.value, timely.england, timely.argues, timely.usable) == (9.3, 45.9, True, True)
    plans = statement(engine, "Leeds", "ehcp_plans")
    assert (plans.value, plans.argues, plans.why_not) == (6093, False,
                                                          "a rise smaller than England's")
    assert key(evidence.strongest(evidence.seat_figures(
        engine, _picture(engine, seat), DATE, None).councils)) == key(timely)
    for member in members(12):
        built = letter_built(engine, seat, member)
        assert key(timely) in chosen(built)
        text = " ".join(built["letter"]["figures"])
        assert "9.3%" in text and "45.9%" in text
        assert "6,093" not in text and "40.4%" not in text and "63.7%" not in text


def _picture(engine, seat):
    from campaign_kit.localdata.pictures import seat_picture

    return seat_picture(engine.places, seat)


def test_leeds_briefing_and_deck_lead_with_the_timeliness_finding(engine):
    seat = engine.places.find("Leeds Central and Headingley")
    text = doc_text(briefing(engine, seat))
    finding = "9.3% of Leeds's new EHC plans arrived within 20 weeks in 2024; England 46%"
    assert finding in text
    assert "Column chart: New EHC plans issued within 20 weeks, Leeds" in text
    assert "Pupils with an EHC plan, as a share of all pupils" not in text
    worse = text.index("Where Leeds is worse than England")
    assert worse < text.index("Leeds: need, demand and funding") < \
        text.index("Leeds: better than England")
    assert text.index(finding) < worse
    titles = deck_titles(engine, seat)
    assert finding in titles and "Leeds in numbers" not in titles
    assert titles.index(finding) + 1 == titles.index("Where Leeds is worse than England")


def test_no_signed_zero_and_no_block_total_beside_englands(engine):
    assert percent(-0.04) == "0.0%" and percent(-0.0) == "0.0%" and thousands(-0.3) == "0"
    assert signed_percent(-0.01) == "unchanged" and money(-0.2) == "£0"
    dsg = statement(engine, "Leeds", "dsg_deficit_pc")
    assert dsg.value < 0 and dsg.value_text == "0.0%" and dsg.compared == "better"
    seat = engine.places.find("Leeds Central and Headingley")
    for doc in (briefing(engine, seat), engine.make("deck", Request(
            DATE, area=Area.of_seat(seat))).documents[0][0]):
        text = doc_text(doc)
        assert "0.0% surplus" not in text and "-0.0" not in text
        assert "£9.95 billion" not in text and "£127.5 million" not in text
        assert "High needs block per EHC plan in force (provisional allocation)" in text
    block = statement(engine, "Leeds", "high_needs_per_plan")
    assert (block.value_text, block.england_text) == ("£23,152", "£17,264")


# -- Westminster: a rise of 5% against England's 88% is refused ---
def test_westminster_requests_rise_is_refused_as_evidence(engine):
    requests = statement(engine, "Westminster", "ehcp_requests")
    assert (requests.earlier, requests.value) == (198, 208)
    assert requests.figure.growth == pytest.approx(5.1) and \
        requests.figure.england_growth == pytest.approx(87.6)
    assert not requests.argues and not requests.usable and requests.why_not == \
        "a change under 10%"
    seat = engine.places.find("Cities of London and Westminster")
    for member in members(12):
        text = " ".join(letter_built(engine, seat, member)["letter"]["figures"])
        assert "208" not in text and "198" not in text
    said = squash(doc_text(briefing(engine, seat)))
    assert "208, up 5.1% since 2019 (or less)" not in said  # labelled, not argued:
    assert "Where Westminster or City of London is worse than England" in said
    row = said[said.index("New requests for an EHC needs assessment"):]
    assert row.startswith("New requests for an EHC needs assessment | 208, up 5.1% since 2019 |")


# -- Aldershot: the member's story of a 38-week wait brings the timeliness figure first ---
def test_aldershot_story_of_a_wait_prefers_timeliness_over_the_tribunal_rate(engine):
    seat = engine.places.find("Aldershot")
    timely = statement(engine, "Hampshire", "timely_20wk_pc")
    tribunal = statement(engine, "Hampshire", "tribunal_rate_pc")
    assert (timely.value, timely.england) == (41.0, 45.9)
    assert (tribunal.value, tribunal.england) == (3.5, 3.2)
    assert timely.usable and tribunal.usable
    assert engine.evidence.preferred(WAIT)[0] == "timely_20wk_pc"
    for member in members(12, WAIT):
        built = letter_built(engine, seat, member)
        assert chosen(built)[0] == key(timely)
        assert key(tribunal) not in chosen(built)
        assert len(chosen(built)) == 3 and all(s.usable for s in built["letter"]["statements"])
        assert "41.0%" in built["letter"]["figures"][0] and "45.9%" in built["letter"]["figures"][0]
    # the seat's strongest figure (plans up 95.6% against England's 63.7%) is always there
    strongest = evidence.strongest([evidence.for_council(
        engine, engine.places.council("Hampshire"), DATE)])
    assert key(strongest) == ("850", "ehcp_plans")
    for member in members(6) + members(6, WAIT):
        assert key(strongest) in chosen(letter_built(engine, seat, member))


def test_story_keywords_are_content(tmp_path):
    from campaign_kit.content.evidence import load
    from campaign_kit.errors import TemplateProblem

    content = load()
    assert content.preferred("Our appeal went to the tribunal.") == ["tribunal_rate_pc"]
    assert content.preferred("The budget is overspent.")[0] == "high_needs_per_plan"
    assert content.preferred("Nothing here.") == [] and content.preferred(None) == []
    assert "high_needs_per_plan" in content.headlines
    custom = EvidenceContent((StoryTopic("x", ("wait*",), ("tribunal_rate_pc",)),))
    assert custom.preferred("still waiting") == ["tribunal_rate_pc"]
    assert custom.preferred("await") == []  # a whole word, not a part of one
    (tmp_path / "evidence.yaml").write_text(
        "story:\n  - about: waiting\n    words: [wait]\n    measures: [waiting_list]\n",
        encoding="utf-8")
    with pytest.raises(TemplateProblem, match=r"evidence.yaml, line 4: .*\"waiting_list\" "
                                              r"is not a measure"):
        load(tmp_path)
    (tmp_path / "evidence.yaml").write_text("headlines:\n  timely_20wk_pc: '{valu} late'\n",
                                            encoding="utf-8")
    with pytest.raises(TemplateProblem, match=r"line 2: .*unknown name \{valu\}.*did you "
                                              r"mean \{value\}"):
        load(tmp_path)


# -- Sheffield: the briefing's chart is one that argues ---
def test_sheffield_briefing_chart_is_not_the_share_below_england(engine):
    share = statement(engine, "Sheffield", "ehcp_pupils_pc")
    assert share.value < share.england  # 5.0% against 5.3%: below England every year
    seat = engine.places.find("Sheffield Central")
    text = doc_text(briefing(engine, seat))
    assert "Pupils with an EHC plan, as a share of all pupils" not in text
    assert "EHC plans in Sheffield up 83% since January 2020; England up 64%" in text
    assert "Line chart: EHC plans in force each January, Sheffield" in text
    # the strongest figure (the appeal rate) has no chart declared: it leads the table
    worse = text[text.index("Where Sheffield is worse than England"):]
    assert worse.index("SEND Tribunal appeal rate") < worse.index("EHC plans in force")


# -- Newham: figures in doubt stay out of letters and are marked in briefings ---
def test_newham_anomalies_are_flagged_kept_out_of_letters_and_marked(engine, runner, cli):
    from campaign_kit.localdata import anomalies

    found = {(a.council, a.measure, a.period): a.reason
             for a in anomalies.find(engine.places.db)}
    plans = found[("316", "ehcp_plans", "January 2025")]
    assert "fell from 2,705 (January 2024) to 1,199 (January 2025)" in plans
    assert "share of its pupils with an EHC plan (school census) rose" in plans
    assert "fell from 2,890 (calendar year 2023) to 1,421" in \
        found[("316", "tribunal_decisions_n", "calendar year 2024")]
    assert "rests on a base that halved" in found[("316", "tribunal_rate_pc", "calendar year 2024")]
    assert engine.places.anomalies == found  # the store holds what the guard finds
    rate = statement(engine, "Newham", "tribunal_rate_pc")
    assert rate.value == 4.8 and rate.compared == "worse" and not rate.argues \
        and not rate.usable and rate.group == "other"
    for name in ("East Ham", "West Ham and Beckton"):
        seat = engine.places.find(name)
        for member in members(8, "Our tribunal appeal took a year."):
            text = " ".join(letter_built(engine, seat, member)["letter"]["figures"])
            assert "1,199" not in text and "4.8%" not in text
        said = squash(doc_text(briefing(engine, seat)))
        assert "1,199, down 7.8% since January 2020 (in doubt: see below)" in said
        assert "4.8% (in doubt: see below)" in said
        assert "Figures in doubt:" in said and "Newham, January 2025: EHC plans in force " \
            "fell from 2,705" in said
    data = json.loads(runner.invoke(cli, ["lookup", "East Ham", "--json"]).output)
    assert {a["measure"] for a in data["councils"][0]["anomalies"]} == {
        "ehcp_plans", "tribunal_rate_pc"}
    status = runner.invoke(cli, ["data", "status"]).output
    assert "Newham, January 2025: EHC plans in force fell from 2,705" in status


def test_the_bundled_store_holds_the_anomalies_table():
    from campaign_kit.localdata.anomalies import find
    from campaign_kit.localdata.store import BUNDLED_STORE

    db = sqlite3.connect(BUNDLED_STORE)
    stored = db.execute("SELECT council, measure, period, reason FROM anomalies "
                        "ORDER BY council, measure, period").fetchall()
    assert stored == [(a.council, a.measure, a.period, a.reason) for a in find(db)]
    assert ("316", "ehcp_plans", "January 2025") in {r[:3] for r in stored}


# -- Rutland and Stamford: how much of the seat each council covers, the main council first ---
def test_rutland_and_stamford_says_each_councils_share_and_leads_with_rutland(engine):
    seat = engine.places.find("Rutland and Stamford")
    figures = evidence.seat_figures(engine, _picture(engine, seat), DATE, None)
    assert [(c.display_name, c.share_text) for c in figures.councils] == [
        ("Rutland", "about 43% of the seat"), ("Lincolnshire", "about 42% of the seat"),
        ("Leicestershire", "about 15% of the seat")]
    said = squash(doc_text(briefing(engine, seat)))
    assert "| Rutland (about 43% of the seat) | Lincolnshire (about 42% of the seat) | " \
        "Leicestershire (about 15% of the seat) | England |" in said
    first = said.index("Where Rutland, Lincolnshire or Leicestershire is worse than England")
    assert first < said.index("The other published figures")
    assert "about 15% of the seat is in Leicestershire" in said  # beside its chart's finding
    assert "share of the seat's postcodes (Ordnance Survey Code-Point Open, 2023)" in said
    # Rutland's timeliness (74.3%, better than England's 45.9%) never argues in a letter
    rutland = statement(engine, "Rutland", "timely_20wk_pc")
    assert rutland.value == 74.3 and rutland.why_not == "better than England"
    for member in members(8, WAIT):
        own = letter_built(engine, seat, member, council="Rutland")
        assert key(rutland) not in chosen(own)
        assert all(s.council == "857" for s in own["letter"]["statements"])
        assert "74.3%" not in " ".join(own["letter"]["figures"])
    # the seat's letter: Leicestershire's 4.3% is the strongest, said with its share
    built = letter_built(engine, seat, members(1)[0])
    leics = statement(engine, "Leicestershire", "timely_20wk_pc")
    assert leics.value == 4.3 and key(leics) in chosen(built)
    assert "Leicestershire (about 15%)" in built["letter"]["lead_in"]
    titles = deck_titles(engine, seat)
    assert any(t.startswith("4.3% of Leicestershire's new EHC plans") for t in titles)
    deck = doc_text(engine.make("deck", Request(DATE, area=Area.of_seat(seat))).documents[0][0])
    assert "About 43% of the seat is in Rutland." in deck
    assert "About 15% of the seat is in Leicestershire." in deck


# -- over every seat: the bench's three counts, on a sample here ---
@pytest.mark.slow
def test_bench_counts_on_a_sample_of_seats(engine):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "bench" / "evidence.py"
    spec = importlib.util.spec_from_file_location("bench_evidence", path)
    bench = importlib.util.module_from_spec(spec)
    import sys

    sys.modules[spec.name] = bench  # its dataclass looks its module up
    spec.loader.exec_module(bench)
    seats = [engine.places.constituency(c) for c in engine.places.seat_codes("England")[::20]]
    counts = bench.measure(engine, seats, DATE)
    assert counts.letters > 30 and counts.with_strongest == counts.with_evidence
    assert counts.undercutting == 0 and counts.briefings_not_led == 0 \
        and counts.decks_not_led == 0
