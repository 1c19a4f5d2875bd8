"""Names as people type them: forgiving matching, postcodes and salutations."""

from __future__ import annotations

import re
import unicodedata

POSTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
LOOKS_LIKE_POSTCODE = re.compile(r"^[A-Za-z]{1,2}[0-9][A-Za-z0-9]?\s*[0-9][A-Za-z]{2}$")
GSS_CODE_RE = re.compile(r"^[EWSN][0-9]{8}$", re.IGNORECASE)

# Honorifics that survive into a salutation, by UK convention.
FIRST_NAME_HONOURS = ("Sir", "Dame", "Lord", "Lady")
SURNAME_HONOURS = ("Dr", "Mr", "Mrs", "Ms", "Miss", "Professor", "Prof")
STRIP_FROM_TITLE = {"Rt", "Hon", "MP", "KC", "QC", "KCB", "CBE", "OBE", "MBE", "DBE", "KBE", "CB"}


def normalise_name(text: str) -> str:
    """Lowercase, accents folded, '&' as 'and', punctuation as spaces: 'Ynys Môn' -> 'ynys mon'."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = folded.lower().replace("&", " and ")
    folded = re.sub(r"[^a-z0-9]+", " ", folded)
    return " ".join(folded.split())


def normalise_postcode(text: str) -> str | None:
    """'sw1a0aa' -> 'SW1A 0AA'; None when it is not shaped like a UK postcode."""
    compact = re.sub(r"\s+", "", text).upper()
    match = POSTCODE_RE.match(compact)
    if not match:
        return None
    return f"{match.group(1)} {match.group(2)}"


def salutation(full_title: str, display_name: str, gender: str, family_name: str = "") -> str:
    """'Dear ...' by convention: Sir/Dame + first name, Dr + surname, else Mr/Ms + surname.

    display_name may carry its own honorific ("Mrs Kemi Badenoch"); family_name (from the
    election results) keeps multi-word surnames whole ("Duncan Smith").
    """
    title_words = [w for w in full_title.split() if w not in STRIP_FROM_TITLE]
    words = display_name.split()
    honorific = ""
    if words and words[0] in FIRST_NAME_HONOURS + SURNAME_HONOURS:
        honorific, words = words[0], words[1:]
    for w in title_words:
        if w in FIRST_NAME_HONOURS or w == "Dr":
            honorific = w
            break
    if not words:
        return f"Dear {display_name}"
    surname = family_name if family_name and " ".join(words).endswith(family_name) else words[-1]
    if honorific in FIRST_NAME_HONOURS:
        return f"Dear {honorific} {words[0]}"
    if honorific in ("Dr", "Professor", "Prof", "Mrs", "Miss", "Ms", "Mr"):
        return f"Dear {honorific} {surname}"
    if gender == "M":
        return f"Dear Mr {surname}"
    if gender == "F":
        return f"Dear Ms {surname}"
    return f"Dear {' '.join(words)}"


def plain_name(display_name: str) -> str:
    """The name without a leading Mr/Mrs/Ms (kept for Dr, Sir, Dame)."""
    words = display_name.split()
    if words and words[0] in ("Mr", "Mrs", "Ms", "Miss"):
        words = words[1:]
    return " ".join(words)
