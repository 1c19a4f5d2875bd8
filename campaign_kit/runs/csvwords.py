"""How a run's errors.csv and notes.csv word a row: the library's notes, with a place that
is more than one seat answered by the column that picks one, and what to change named by its
column. (The CSV's columns are the run's own input format, so naming them here names no
front end's option.)"""

from __future__ import annotations

from ..notes import Note, label

# A row's cells, as its errors name them (the members' and the events' columns).
COLUMNS = {"host_email": "the email", "host_phone": "the phone number",
           "host_name": "the organiser", "host_role": "the role"}

TEXTS = {
    "ambiguous": "{summary}; put one of them in the seat column (its name or ONS code)",
    "council-not-in-seat": "the council column's '{query}' {what} of the councils {seat} "
                           "spans: choose {choices}",
    "no-address": "no address: MPs act only for their own constituents, so put the member's "
                  "address in {seat} in the address column before sending",
    "no-story": "no story: MPs' offices answer identical letters with identical replies, so "
                "a few lines of the member's own in the story column make the letter count",
    "seat-spans-councils": "{seat} spans {councils}: the letter cites figures from each; put "
                           "the member's own council in the council column to cite its figures",
    "council-from-postcode": "{postcode} is in {council}, so the letter draws on {council}'s "
                             "figures ({seat} also spans {others}); put another council in the "
                             "council column to draw on its figures instead",
    "internal-error": "an internal error ({kind}) stopped this row; the other rows were made. "
                      "Please report it to the campaigns team",
}


def csv_words(note: Note) -> str:
    return note.words(lambda f: COLUMNS.get(f) or label(f), TEXTS)
