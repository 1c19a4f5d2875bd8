"""`lookup --json`, the documents and the raw public files agree (issue 11).

Every one of the 650 seats gets a letter (rendered to its Document, no files): each figure it
prints is checked against what `lookup --json` gives for that council, and every other number
in the sentence against the store's own series (England for the same period, the same measure
five years earlier). Briefing and deck tables are checked for a sample of seats, and the store
against the raw SEN2 and school census files for a sample of councils.
"""

from __future__ import annotations

import csv
import datetime as dt
import re

import pytest

from campaign_kit.document import Div, ListBlock, Slide, Table, plain
from campaign_kit.engine.requests import Area, Event, Request
from campaign_kit.engine.rules import member as make_member
from campaign_kit.localdata.pictures import seat_picture
from campaign_kit.localdata.sources import MEASURES
from campaign_kit.render.formatting import format_value, percent

from .conftest import SHARED_DATA, needs_shared

DATE = dt.date(2026, 11, 24)
NUMBER = re.compile(r"£?\d+(?:,\d{3})*(?:\.\d+)?(?: million| billion|%)?")
# Which measure a letter's figure sentence is about, by its words (first match wins).
KEYWORDS = (("high needs", "high_needs_per_plan"), ("High needs", "high_needs_per_plan"),
            ("Tribunal", "tribunal_rate_pc"),
            ("Dedicated Schools Grant", "dsg_deficit_pc"),
            ("20-week", "timely_20wk_pc"), ("20 weeks", "timely_20wk_pc"),
            ("needs assessment", "ehcp_requests"), ("assessments", "ehcp_requests"),
            ("SEN support", "sen_support_pc"), ("pupils", "ehcp_pupils_pc"),
            ("Pupils", "ehcp_pupils_pc"),
            ("children and young people", "ehcp_plans"), ("EHC plans", "ehcp_plans"))


def short(period: str) -> str:
    return period.removeprefix("calendar year ")


def per_plan(engine, code: str) -> tuple[str, set[str], str]:
    """The high needs block of 2023-24 over the EHC plans in force in January 2024, from the
    store's two series: (as printed, England's as printed, the period)."""
    def ratio(area):
        figs = engine.places.figures(area)
        block = figs.latest("high_needs_block")
        plans = next(p for p in figs.series["ehcp_plans"].points if p.period == "January 2024")
        return format_value("high_needs_block", round(block.value / plans.value))
    return ratio(code), {ratio("england")}, "2023-24"


def expected_numbers(engine, code: str, measure: str) -> tuple[str, set[str]]:
    """(the latest value as printed, every other number a sentence about it may hold),
    computed from the store's series, not from the statements module."""
    if measure == "high_needs_per_plan":
        return per_plan(engine, code)[:2]
    series = engine.places.figures(code).series[measure]
    known = [p for p in series.points if p.value is not None]
    latest = known[-1]
    england = {p.period: p.value for p in engine.places.england().series[measure].points}
    allowed = set()
    if england.get(latest.period) is not None:
        allowed.add(format_value(measure, england[latest.period]))
    if len(known) > 1:
        back = known[-1 - min(5, len(known) - 1)]
        allowed.add(format_value(measure, back.value))
        if MEASURES[measure].unit != "percent":
            allowed.add(percent(round(100 * (latest.value - back.value) / back.value, 1)))
            e_then, e_now = england.get(back.period), england.get(latest.period)
            if e_then and e_now:
                allowed.add(percent(round(100 * (e_now - e_then) / e_then, 1)))
    return format_value(measure, latest.value), allowed


def _statements(engine, council):
    from campaign_kit.engine.evidence import for_council

    return for_council(engine, engine.places.council_by_code(council["code"]), DATE).statements


def figure_items(doc, names: list[str]) -> list[str]:
    return [plain(item) for b in doc.blocks if isinstance(b, ListBlock) for item in b.items
            if any(n in plain(item) for n in names)]


@pytest.mark.slow
def test_every_seats_letter_prints_lookups_figures(engine):
    """All 650 seats: each figure in the letter is lookup's, with its period; nothing else."""
    checked = 0
    for n, seat in enumerate(engine.places.all_constituencies()):
        picture = seat_picture(engine.places, seat).as_json()  # what `lookup --json` prints
        member = make_member(f"Member {n}", "1 High St", "headteacher", "A School")
        doc = engine.make("letter", Request(DATE, seat=seat, member=member)).documents[0][0]
        councils = {c.get("display_name") or c["name"]: c for c in picture["councils"]}
        items = figure_items(doc, list(councils))
        if not seat.in_england:
            from campaign_kit.writers.text import render_text

            assert not items and "%" not in render_text(doc), seat.name
            continue
        assert 1 <= len(items) <= 3 or not any(
            s.usable for c in councils.values() for s in _statements(engine, c)), seat.name
        for text in items:
            name = max((c for c in councils if c in text), key=len)
            council = councils[name]
            measure = next(m for word, m in KEYWORDS if word in text)
            latest = council["figures"][measure]["latest"]
            value, allowed = expected_numbers(engine, council["code"], measure)
            assert value == format_value(measure, latest["value"])  # the store is lookup's
            assert not any(a["measure"] == measure for a in council["anomalies"]), text
            counts = re.search(r"(\d+) of (\d+) new EHC plans", text)
            if counts:  # a small base: the counts behind lookup's percentage
                n_, d_ = int(counts.group(1)), int(counts.group(2))
                assert round(100 * n_ / d_, 1) == latest["value"], text
                allowed |= {counts.group(1), counts.group(2)}
            else:
                assert re.search(rf"(?<![\d,.]){re.escape(value)}(?![\d]|,\d|\.\d)", text), \
                    (seat.name, text, value)
            assert short(latest["period"]) in text, (seat.name, text)
            bare = text.replace(name, "").replace(short(latest["period"]), "")
            printed = {t for t in NUMBER.findall(bare)
                       if not re.fullmatch(r"(19|20)\d\d|20", t)}
            assert printed <= allowed | {value}, (seat.name, text, printed - allowed - {value})
            checked += 1
    assert checked > 1000


LABEL_TO_MEASURE = {**{MEASURES[m].label.lower(): m for m in MEASURES},
                    "high needs block per ehc plan in force (provisional allocation)":
                        "high_needs_per_plan",
                    "dedicated schools grant (dsg) cumulative balance, as % of dsg income":
                        "dsg_deficit_pc",
                    "high needs block, provisional allocation before deductions":
                        "high_needs_block",
                    "new ehc plans issued within 20 weeks": "timely_20wk_pc"}


def england_growth(england: dict[str, float], latest: dict) -> str:
    """England's rise as a count's table cell gives it: 'up 63.7%' over the same five
    periods as the council's."""
    periods = list(england)
    now = periods.index(latest["period"])
    then = periods[now - min(5, now)]
    change = round(100 * (england[latest["period"]] - england[then]) / england[then], 1)
    return f"{'up' if change > 0 else 'down'} {percent(abs(change))}"


def shown(measure: str, value: float) -> str:
    """A value as a table or bullet starts it ("3.1% deficit" starts "3.1%")."""
    return percent(abs(value)) if measure == "dsg_deficit_pc" else format_value(measure, value)


@pytest.mark.slow
def test_briefing_and_deck_figures_match_lookup(engine):
    """A sample of seats: every briefing table row and every deck bullet is lookup's figure
    for its council and period, beside England's for the same period."""
    seats = [s for s in engine.places.all_constituencies() if s.in_england][::25]
    event = Event(dt.date(2027, 2, 10), None, "", "", "")
    england = engine.places.england()
    rows = bullets = 0
    for seat in seats:
        councils = {c.get("display_name") or c["name"]: c
                    for c in seat_picture(engine.places, seat).as_json()["councils"]}
        docs = dict((stem, d) for d, stem in engine.make("roundtable", Request(
            event.date, seat=seat, event=event, today=DATE)).documents)
        tables = [b for b in docs["briefing"].blocks if isinstance(b, Table)] + [
            t for b in docs["briefing"].blocks if isinstance(b, Div) for t in b.blocks
            if isinstance(t, Table)]  # a seat with several councils: one table, side by side
        cells = []  # (council, label, value, England, period)
        for table in tables:
            # side by side: "Rutland (about 43% of the seat)"
            names = [re.sub(r" \((about|under) .*\)$", "", plain(h)) for h in table.header[1:-2]]
            for row in ([plain(c) for c in r] for r in table.rows):
                period = row[-1].split(", ")[0]  # "January 2025, DfE SEN2 2025"
                for name, value in zip(names, row[1:-2], strict=True):
                    # side by side: "7% (worse)", and a period of its own when it differs
                    value = re.sub(r" \((worse|better|in doubt)\)$", "", value)
                    own = re.fullmatch(r"(.*) \((.*\d{4}.*)\)", value)
                    if value != "not published":
                        cells.append((councils[name], row[0], own[1] if own else value,
                                      None if own else row[-2], own[2] if own else period))
        for council, label, value, e_value, period in cells:
            measure = LABEL_TO_MEASURE[label.lower()]
            latest = council["figures"][measure]["latest"]
            assert period.removeprefix("latest published: ") == latest["period"]
            if measure == "high_needs_per_plan":
                e_shown = per_plan(engine, council["code"])[1]
            else:
                e = {p.period: p.value for p in england.series[measure].points}
                e_shown = {shown(measure, e[latest["period"]]), england_growth(e, latest)}
            assert e_value is None or any(e_value.startswith(x) for x in e_shown), \
                (seat.name, label, e_value, e_shown)
            counted = re.fullmatch(r"(\d+) of (\d+)", value)
            assert (round(100 * int(counted[1]) / int(counted[2]), 1) == latest["value"]
                    if counted else value.startswith(shown(measure, latest["value"]))), \
                (seat.name, label, value)
            rows += 1
        deck = engine.make("deck", Request(DATE, area=Area.of_seat(seat))).documents[0][0]
        for slide in (b for b in deck.blocks if isinstance(b, Slide)):
            title = plain(slide.title)
            named = re.fullmatch(r"Where (.*) is worse than England|(.*): the (?:rest of the "
                                 r"picture|published figures)", title)
            if not named:
                continue
            council = councils[named[1] or named[2]]
            for item in (plain(i) for b in slide.blocks if isinstance(b, ListBlock)
                         for i in b.items):
                label, rest = item.split(": ", 1)
                measure = LABEL_TO_MEASURE[label.lower()]
                latest = council["figures"][measure]["latest"]
                assert rest.startswith(shown(measure, latest["value"])) or \
                    re.match(r"\d+ of \d+", rest), (seat.name, item)
                assert latest["period"] in item, (seat.name, item)
                bullets += 1
    assert rows > 100 and bullets > 50


# -- the store against the raw files --------------------------------------------------------
def _raw(name: str):
    with open(SHARED_DATA / name, encoding="utf-8-sig", newline="") as handle:
        yield from csv.DictReader(handle)


@pytest.mark.slow
@needs_shared
def test_store_agrees_with_the_raw_files_for_a_sample(engine):
    codes = sorted({c.code for s in engine.places.all_constituencies() if s.in_england
                    for c in s.councils})[::6] + ["england"]
    want = set(codes)

    def key(row):
        if row["geographic_level"] == "National":
            return "england"
        return row["old_la_code"].strip() if row["geographic_level"] == "Local authority" \
            else None

    checks = 0
    for row in _raw("sen2_2025_caseload.csv"):
        k = key(row)
        if k in want and row["breakdown_topic"] == "All EHC plans" \
                and row["time_period"] == "202425":
            assert engine.places.figures(k).latest("ehcp_plans").value == float(row["ehcplans"])
            checks += 1
    for row in _raw("sen2_2025_timeliness_20_week.csv"):
        k = key(row)
        if k in want and row["breakdown_topic"] == "All EHC plans issued" \
                and row["time_period"] == "2024" and row["pc_plans_issued_within_20_weeks"] \
                not in ("x", "z", ""):
            figs = engine.places.figures(k)
            assert figs.latest("timely_20wk_pc").value == \
                float(row["pc_plans_issued_within_20_weeks"])
            assert figs.latest("new_plans_issued").value == float(row["plans_issued_den"])
            assert figs.latest("timely_20wk_n").value == \
                float(row["plans_issued_within_20_weeks"])
            checks += 1
    for row in _raw("sen2_2025_requests.csv"):
        k = key(row)
        if k in want and row["breakdown_topic"].startswith("All requests") \
                and row["time_period"] == "2024":
            assert engine.places.figures(k).latest("ehcp_requests").value == \
                float(row["requests_received_in_year"])
            checks += 1
    for row in _raw("lait_sen_indicators_by_la.csv"):
        number = int(float(row["LA Number"])) if row["LA Number"] else None
        k = "england" if number == 970 else f"{number:03d}" if number else None
        if k in want and row["Short Desc"] == "SEN_TotSENSuP" and row["Years"] == "2025":
            assert engine.places.figures(k).latest("sen_support_pc").value == \
                round(float(row["Values"]), 2)
            checks += 1
    assert checks >= 4 * (len(codes) - 2)
