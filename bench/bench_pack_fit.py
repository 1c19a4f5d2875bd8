"""Benchmark: what setting the pack's pages again costs (writers/pdf.py fit_pages).

Run by hand: .venv/bin/python bench/bench_pack_fit.py [--seats 30] [--seed 1]
For a random sample of seats, every document of the roundtable pack (with an event, and with
none: a regional kit's pack) is written as PDF twice in the same run, interleaved: as made
(the plain setting, then tighter or looser when the last page is nearly empty or the
briefing runs past two pages) and by the peer, the plain setting alone. It prints the time
ratio, how many documents needed another setting, and how many nearly empty last pages
(under a quarter of the page) and over-long briefings each leaves.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from campaign_kit.engine.engine import Engine  # noqa: E402
from campaign_kit.engine.requests import (
    Event,  # noqa: E402
    Request,
)
from campaign_kit.writers import pdf  # noqa: E402

TODAY = dt.date(2026, 11, 24)
EVENTS = (Event(dt.date(2027, 2, 10), dt.time(16, 0), "Springfield Primary School",
                "Sam Patel", "Regional official", host_email="sam.patel@example.org",
                host_phone="0191 498 0000"),
          Event(None, None, "", "", ""))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seats", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    kit = Engine.load()
    random.seed(args.seed)
    seats = random.sample(kit.places.all_constituencies(), args.seats)
    docs = [(seat.name, stem, doc) for seat in seats for event in EVENTS
            for doc, stem in kit.make("roundtable", Request(
                event.date or TODAY, seat=seat, event=event, today=TODAY)).documents]
    fit = pdf.fit_pages
    calls = {"renders": 0}

    def counting(first, render, max_pages=0):
        def counted(setting):
            calls["renders"] += 1
            return render(setting)
        return fit(first, counted, max_pages)

    def plain(first, render, max_pages=0):
        return first

    pdf.write_pdf(docs[0][2], kit.assets)  # warm: imports, fonts, stylesheets
    spent = {"made": 0.0, "plain": 0.0}
    refit, empty, long_briefs = 0, {"made": 0, "plain": 0}, {"made": 0, "plain": 0}
    for _seat, stem, doc in docs:
        for label, fitter in (("made", counting), ("plain", plain)):
            pdf.fit_pages = fitter
            before = calls["renders"]
            started = time.perf_counter()
            data = pdf.write_pdf(doc, kit.assets)
            spent[label] += time.perf_counter() - started
            if label == "made" and calls["renders"] > before:
                refit += 1
            pages, last = measure(data)
            empty[label] += pages > 1 and last < 0.25
            long_briefs[label] += stem == "briefing" and pages > 2
    pdf.fit_pages = fit
    n = len(docs)
    print(f"{n} documents ({args.seats} seats x 2 events x 5 parts)")
    print(f"as made: {spent['made']:.1f} s ({1000 * spent['made'] / n:.0f} ms a document); "
          f"plain setting only: {spent['plain']:.1f} s; ratio {spent['made'] / spent['plain']:.2f}")
    print(f"set again: {refit} of {n} documents ({calls['renders']} extra renders)")
    print(f"nearly empty last pages: as made {empty['made']}, plain {empty['plain']}; "
          f"briefings over two pages: as made {long_briefs['made']}, plain "
          f"{long_briefs['plain']}")


def measure(data: bytes) -> tuple[int, float]:
    """Pages, and how far down the last page its content reaches (tests/extract.page_fills)."""
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.extract import page_fills

    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        fills = page_fills(Path(handle.name))
    return len(fills), fills[-1]


if __name__ == "__main__":
    main()
