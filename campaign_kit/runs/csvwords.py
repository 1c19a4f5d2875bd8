"""How a run's errors.csv words a failed row: the library's notes, with a place that is
more than one seat answered by the column that picks one. (The CSV's columns are the run's
own input format, so naming them here names no front end's option.)"""

from __future__ import annotations

from ..notes import Note, label

# A row's cells, as its errors name them (the members' and the events' columns).
COLUMNS = {"host_email": "the email", "host_phone": "the phone number",
           "host_name": "the organiser", "host_role": "the role"}

TEXTS = {
    "ambiguous": "{summary}; put one of them in the seat column (its name or ONS code)",
    "council-not-in-seat": "the council column's '{query}' {what} of the councils {seat} "
                           "spans: choose {choices}",
    "internal-error": "an internal error ({kind}) stopped this row; the other rows were made. "
                      "Please report it to the campaigns team",
}


def csv_words(note: Note) -> str:
    return note.words(lambda f: COLUMNS.get(f) or label(f), TEXTS)
