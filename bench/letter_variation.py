"""How alike are letters from different members of one seat? (issue 11: "letters that are
not copies"; MPs' offices answer identical letters identically.)

For N members in one seat, none with a story, it renders each letter (the Document, as the
CLI makes it) and takes the sentences of its body: every paragraph and list item after the
salutation, split at sentence ends, plus the closing ("Yours sincerely") and the sources
line; the member's own signature lines are left out. For each pair of letters it counts the
sentences both contain, as a share of their average length, and prints the median and the
largest share over all pairs. Aim: median at most 40%.

Run by hand:  .venv/bin/python bench/letter_variation.py [--seat "Sheffield Central" | --seat
all-sample] [--members 20] [--same-role]
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import re
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from campaign_kit.document import ListBlock, Paragraph, Signature, plain  # noqa: E402
from campaign_kit.engine.rules import member as make_member  # noqa: E402

FIRST = ("Jo", "Sam", "Alex", "Priya", "Tom", "Aisha", "Chris", "Mei", "Dan", "Ruth",
         "Kwame", "Lena", "Owen", "Fatima", "Ian", "Sofia", "Mark", "Nadia", "Paul", "Grace")
LAST = ("Bloggs", "Patel", "Smith", "Khan", "Jones", "Okafor", "Brown", "Chen", "Evans",
        "Walsh", "Mensah", "Novak", "Hughes", "Rahman", "Reid", "Costa", "Hall", "Aziz",
        "Wood", "Taylor")
ROLES = ("headteacher", "deputy headteacher", "SENCO", "assistant headteacher",
         "executive headteacher")
SCHOOLS = ("Springfield Primary School", "Park Academy", "St Mary's Church of England School",
           "Hillside Infant School", "Riverside Junior School", "Oakwood Secondary School")


def members(n: int, same_role: bool = False):
    """n members: by default with different roles and schools; `same_role`: every one a
    headteacher with no school named (the letters then differ least)."""

    return [make_member(f"{FIRST[i % 20]} {LAST[(i * 7) % 20]}", "1 High Street",
                               "headteacher" if same_role else ROLES[i % len(ROLES)],
                               "" if same_role else SCHOOLS[i % len(SCHOOLS)])
            for i in range(n)]


def sentences(document) -> set[str]:
    """The body's sentences: after the salutation, signature names left out."""
    out: list[str] = []
    started = False
    for block in document.blocks:
        if isinstance(block, Paragraph) and plain(block.spans).startswith("Dear "):
            started = True
            continue
        if not started:
            continue
        if isinstance(block, Paragraph):
            texts = [plain(block.spans)]
        elif isinstance(block, ListBlock):
            texts = [plain(i) for i in block.items]
        elif isinstance(block, Signature):
            texts = [plain(block.closing)]
        else:
            continue
        for text in texts:
            out += [" ".join(s.split()) for s in re.split(r"(?<=[.?!])\s+", text) if s.strip()]
    return set(out)


def shared_shares(letters: list[set[str]]) -> list[float]:
    """For each pair: sentences in both, over the pair's average number of sentences."""
    return [len(a & b) / ((len(a) + len(b)) / 2) for a, b in itertools.combinations(letters, 2)]


def measure(kit, seat, n: int = 20, date: dt.date = dt.date(2026, 11, 24),
            same_role: bool = False) -> list[float]:
    from campaign_kit.engine.requests import Request

    docs = [kit.make("letter", Request(date, seat=seat, member=m)).documents[0][0]
            for m in members(n, same_role)]
    return shared_shares([sentences(d) for d in docs])


def main() -> None:
    from campaign_kit.engine.engine import Engine

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seat", default="Sheffield Central")
    parser.add_argument("--members", type=int, default=20)
    parser.add_argument("--same-role", action="store_true",
                        help="every member a headteacher, no school named")
    args = parser.parse_args()
    kit = Engine.load()
    seats = [kit.places.find(args.seat)] if args.seat != "all-sample" else [
        kit.places.find(q) for q in ("Sheffield Central", "Aldershot", "Rutland and Stamford",
                                      "Cities of London and Westminster", "Ynys Môn")]
    for seat in seats:
        shares = measure(kit, seat, args.members, same_role=args.same_role)
        print(f"{seat.name}: {args.members} members, {len(shares)} pairs: median shared "
              f"{100 * statistics.median(shares):.0f}% of sentences, largest "
              f"{100 * max(shares):.0f}%")


if __name__ == "__main__":
    main()
