"""Sample members' spreadsheets, as Excel writes them: for the demo, tests and benchmarks.

Names and stories are invented; places are real seats from the store.
"""

from __future__ import annotations

import csv
import io

FIRST = ("Jo", "Sam", "Priya", "Tom", "Aisha", "Gareth", "Siân", "Niamh", "Kwame", "Zofia",
         "Liam", "Chen", "Fatima", "Rhys", "Ellie", "Dev")
LAST = ("Bloggs", "Patel", "Jones", "Ó Briain", "Okafor", "Nowak", "Smith", "Williams",
        "Ahmed", "Evans", "Murphy", "Li", "O'Neill", "Taylor", "Khan", "Brown")
ROLES = ("headteacher", "SENCO", "deputy headteacher", "assistant head", "school business "
         "leader")
STORIES = (
    "We wait more than a year for an educational psychologist.\n\nIn the meantime we fund "
    "extra support from our own budget.",
    "Three of our pupils waited over 40 weeks for their plans; one family moved away.",
    "",
    "Our speech and language therapy referrals have doubled in three years.",
)
HEADER = ["Name", "Postcode", "Constituency", "Address", "Role", "School", "Story", "Asks"]


def member_rows(places, count: int, bad: int = 0) -> list[list[str]]:
    """`count` rows over English seats; the last `bad` rows each carry one kind of error."""
    seats = [s for s in places.all_constituencies() if s.in_england]
    rows = []
    for n in range(count):
        seat = seats[(n * 37) % len(seats)]
        name = f"{FIRST[n % len(FIRST)]} {LAST[(n // len(FIRST)) % len(LAST)]}"
        if n >= len(FIRST) * len(LAST):
            name += f" {n // (len(FIRST) * len(LAST)) + 1}"  # keep names unique
        rows.append([name, "", seat.name, f"{n} School Lane, {seat.name}, AB1 2CD",
                     ROLES[n % len(ROLES)], f"{seat.name.split()[0]} Primary School",
                     STORIES[n % len(STORIES)], ""])
    problems = (
        lambda r: r.__setitem__(2, "Atlantis North"),  # unknown place
        lambda r: r.__setitem__(7, "free-money"),  # unknown ask id
        lambda r: r.__setitem__(6, "Far too long. " * 600),  # over-long story
        lambda r: r.__setitem__(0, ""),  # no name
        lambda r: (r.__setitem__(2, ""), r.__setitem__(1, "ZZ99 9ZZ")),  # postcode not known
    )
    for i in range(bad):
        problems[i % len(problems)](rows[count - 1 - i])
    return rows


def excel_csv(rows: list[list[str]], encoding: str = "utf-8-sig") -> bytes:
    """CSV as Excel saves it: CRLF, quoted where needed, BOM for 'CSV UTF-8'."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buf.getvalue().encode(encoding, errors="replace")
