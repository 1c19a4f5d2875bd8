"""Do the documents argue the case, honestly? (issue 20: "evidence that argues the case")

Over every seat in England (or a sample), it makes two letters (a member with no story, and
one whose story speaks of a 38-week wait), the roundtable briefing and the seat's deck, and
counts:

- letters that carry the seat's strongest available figure (engine/evidence.py's choice,
  found in the letter's text by its place, value and England's value);
- letters with an undercutting comparison: each figure sentence in the letter is matched to
  its measure and council, and checked again from the store's raw series, without the
  evidence module: a rate or budget must be worse than England's for the same period; a
  measure of need must have risen by 10% or more over the same years, and by more than
  England's;
- briefings and decks whose first figures section is not "worse than England" (the
  briefing's first figures heading; the deck's first figures slide, titled with a finding
  or "Where ... is worse than England"), among seats where such a figure exists.

Aim: 100%, 0 and 0. Run by hand:
  .venv/bin/python bench/evidence.py [--every N] [--date 2026-12-01]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from campaign_kit.document import Heading, Slide, plain  # noqa: E402

GROWTH_FLOOR = 10.0
WAIT = "We waited 38 weeks for an assessment."
# Which measure a letter's figure sentence is about, by its words (the first match wins).
KEYWORDS = (("high needs", "high_needs_per_plan"), ("High needs", "high_needs_per_plan"),
            ("Tribunal", "tribunal_rate_pc"), ("Dedicated Schools Grant", "dsg_deficit_pc"),
            ("20-week", "timely_20wk_pc"), ("20 weeks", "timely_20wk_pc"),
            ("needs assessment", "ehcp_requests"), ("assessments", "ehcp_requests"),
            ("SEN support", "sen_support_pc"), ("pupils", "ehcp_pupils_pc"),
            ("Pupils", "ehcp_pupils_pc"),
            ("children and young people", "ehcp_plans"), ("EHC plans", "ehcp_plans"))
LOWER, HIGHER = {"timely_20wk_pc", "high_needs_per_plan"}, {"tribunal_rate_pc", "dsg_deficit_pc"}


@dataclass
class Counts:
    seats: int = 0
    letters: int = 0
    with_evidence: int = 0  # letters of seats with a figure a letter may use
    with_strongest: int = 0
    undercutting: int = 0
    briefings_with_worse: int = 0
    briefings_not_led: int = 0
    decks_with_worse: int = 0
    decks_not_led: int = 0
    problems: list[str] = field(default_factory=list)


def raw_verdict(places, code: str, measure: str) -> bool:
    """From the store's series alone: does the council's latest figure argue the case?"""
    figs, england = places.figures(code), places.england()

    def known(f, m):
        s = f.series.get(m)
        return [p for p in s.points if p.value is not None] if s else []

    if measure == "high_needs_per_plan":
        def per(f):
            block = known(f, "high_needs_block")[-1]
            plans = {p.period: p.value for p in known(f, "ehcp_plans")}
            return round(block.value / plans[f"January {int(block.period[:4]) + 1}"])
        return per(figs) < per(england)
    ours = known(figs, measure)
    theirs = {p.period: p.value for p in known(england, measure)}
    latest = ours[-1]
    if measure in LOWER | HIGHER:
        e = theirs[latest.period]
        return round(latest.value, 1) < round(e, 1) if measure in LOWER else \
            round(latest.value, 1) > round(e, 1)
    then = ours[-1 - min(5, len(ours) - 1)]
    growth = 100 * (latest.value - then.value) / then.value
    e_growth = 100 * (theirs[latest.period] - theirs[then.period]) / theirs[then.period]
    return growth >= GROWTH_FLOOR and growth > e_growth


def check_letter(engine, seat, figures, member, date, counts: Counts) -> None:
    from campaign_kit.engine import evidence
    from campaign_kit.engine.contexts import letter_context
    from campaign_kit.engine.requests import Request
    from campaign_kit.writers.text import render_text

    request = Request(date, seat=seat, member=member)
    built, _, _ = letter_context(engine, request)
    text = " ".join(render_text(engine.make("letter", request).documents[0][0]).split())
    counts.letters += 1
    top = evidence.strongest([c for c in figures.councils if c.has_send_figures])
    names = {c.display_name: c.code for c in figures.councils}
    said = built["letter"]["figures"]
    assert all(" ".join(s.split()) in text for s in said), seat.name
    if top is not None:
        counts.with_evidence += 1
        if any(top.place in s and top.value_text in s and (
                top.england is None or top.england_text in s or top.worse == "rising")
               for s in said):
            counts.with_strongest += 1
        else:
            counts.problems.append(f"{seat.name}: strongest ({top.place}, {top.measure}) "
                                   "missing")
    for sentence in said:
        place = max((n for n in names if n in sentence), key=len)
        measure = next(m for word, m in KEYWORDS if word in sentence)
        if not raw_verdict(engine.places, names[place], measure):
            counts.undercutting += 1
            counts.problems.append(f"{seat.name}: undercuts: {sentence}")
            break


def first_figures_heading(doc) -> str:
    """The briefing's first heading after its asks and contact: its first figures section."""
    headings = [plain(b.spans) for b in doc.blocks if isinstance(b, Heading) and b.level >= 2]
    after = headings[headings.index("What we are asking for") + 1:] \
        if "What we are asking for" in headings else headings
    return next((h for h in after if h != "Sources"), "")


def check_briefing_and_deck(engine, seat, figures, date, counts: Counts) -> None:
    from campaign_kit.engine.kinds import KINDS
    from campaign_kit.engine.requests import Area, Event, Request

    worse = [c for c in figures.councils if c.worse]
    event = Event(date + dt.timedelta(days=90), None, "", "", "")
    context, charts, _ = KINDS["roundtable"].build(engine, Request(
        event.date, seat=seat, event=event, today=date))
    doc = engine.render("roundtable/briefing.md.j2", context, "briefing", "bench",
                        event.date, charts)
    if worse:
        counts.briefings_with_worse += 1
        if "worse than England" not in first_figures_heading(doc):
            counts.briefings_not_led += 1
            counts.problems.append(f"{seat.name}: briefing led by {first_figures_heading(doc)}")
    deck = engine.make("deck", Request(date, area=Area.of_seat(seat))).documents[0][0]
    titles = [plain(b.title) for b in deck.blocks if isinstance(b, Slide)]
    first = titles[titles.index("The national issue") + 1]
    if worse:
        counts.decks_with_worse += 1
        findings = {c.headline for c in figures.councils if c.headline}
        if not (first in findings or re.fullmatch(r"Where .* is worse than England", first)):
            counts.decks_not_led += 1
            counts.problems.append(f"{seat.name}: deck led by {first}")


def measure(engine, seats, date: dt.date) -> Counts:
    from campaign_kit.engine import evidence
    from campaign_kit.engine.rules import member as make_member
    from campaign_kit.localdata.pictures import seat_picture

    counts = Counts()
    plain_member = make_member("Sam Example", "1 School Lane", "headteacher", "A School")
    waiting = make_member("Jo Example", "1 School Lane", "SENCO", "A School", WAIT)
    for seat in seats:
        if not seat.in_england:
            continue
        counts.seats += 1
        figures = evidence.seat_figures(engine, seat_picture(engine.places, seat), date, None)
        for member in (plain_member, waiting):
            check_letter(engine, seat, figures, member, date, counts)
        check_briefing_and_deck(engine, seat, figures, date, counts)
    return counts


def main() -> None:
    from campaign_kit.engine.engine import Engine

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--every", type=int, default=1, help="every Nth seat (1: all)")
    parser.add_argument("--date", type=dt.date.fromisoformat, default=dt.date(2026, 12, 1))
    args = parser.parse_args()
    engine = Engine.load()
    seats = [engine.places.constituency(c) for c in engine.places.seat_codes()][::args.every]
    started = time.perf_counter()
    c = measure(engine, seats, args.date)
    took = time.perf_counter() - started
    share = 100 * c.with_strongest / c.with_evidence if c.with_evidence else 100.0
    print(f"{len(seats)} seats ({c.seats} in England), {c.letters} letters, dated {args.date}, "
          f"{took:.0f} s (load average {os.getloadavg()[0]:.2f})")
    print(f"letters carrying the seat's strongest available figure: {c.with_strongest} of "
          f"{c.with_evidence} with one = {share:.0f}% "
          f"({c.letters - c.with_evidence} letters' seats have none a letter may use)")
    print(f"letters with an undercutting comparison: {c.undercutting}")
    print(f"briefings whose first figures section is not 'worse than England' where such a "
          f"figure exists: {c.briefings_not_led} of {c.briefings_with_worse}")
    print(f"decks likewise: {c.decks_not_led} of {c.decks_with_worse}")
    for problem in c.problems[:20]:
        print("  -", problem)


if __name__ == "__main__":
    main()
