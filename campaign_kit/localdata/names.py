"""Names as people type them: forgiving matching, postcodes, councils and salutations."""

from __future__ import annotations

import re
import unicodedata

from ..errors import NotFound

POSTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
OUTWARD_RE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
LOOKS_LIKE_POSTCODE = re.compile(r"^[A-Za-z]{1,2}[0-9][A-Za-z0-9]?\s*[0-9][A-Za-z]{2}$")
GSS_CODE_RE = re.compile(r"^[EWSN][0-9]{8}$", re.IGNORECASE)
POSTCODE_SHAPE = ("a UK postcode looks like SW1A 1AA or M1 1AE: one or two letters, a number "
                  "(sometimes with a letter), a space, a number and two letters")
MAX_QUERY = 120  # the longest constituency name is 53 characters

# Honorifics that survive into a salutation, by UK convention.
FIRST_NAME_HONOURS = ("Sir", "Dame", "Lord", "Lady")
SURNAME_HONOURS = ("Dr", "Mr", "Mrs", "Ms", "Miss", "Professor", "Prof")
STRIP_FROM_TITLE = {"Rt", "Hon", "MP", "KC", "QC", "KCB", "CBE", "OBE", "MBE", "DBE", "KBE", "CB"}
# Lower-case words that belong to the surname that follows them ("Freddie van Mierlo").
SURNAME_PARTICLES = {"van", "von", "de", "der", "den", "du", "da", "di", "le", "la", "ter",
                     "ten", "dos", "das", "del", "della", "bin", "ap"}


def normalise_name(text: str) -> str:
    """Lowercase, accents folded, '&' as 'and', punctuation as spaces: 'Ynys Môn' -> 'ynys mon'."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = folded.lower().replace("&", " and ")
    folded = re.sub(r"[^a-z0-9]+", " ", folded)
    return " ".join(folded.split())


def clean_query(text: str | None, what: str = "place") -> str:
    """A query as typed, trimmed; a one-line NotFound for empty, over-long or control text."""
    if text is None or not text.strip():
        raise NotFound(f"no {what} given: pass a postcode (e.g. SW1A 1AA), a constituency or "
                       "council name, or an ONS code")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") and c not in "\t\n\r"
           for c in text):
        raise NotFound(f"the {what} contains control or invisible characters; type it again "
                       "as plain text")
    text = " ".join(text.split())
    if len(text) > MAX_QUERY:
        raise NotFound(f"the {what} is {len(text):,} characters long; give a postcode or a "
                       f"name of at most {MAX_QUERY} characters")
    return text


def normalise_postcode(text: str) -> str | None:
    """'sw1a0aa' -> 'SW1A 0AA'; None when it is not shaped like a UK postcode."""
    compact = re.sub(r"\s+", "", text).upper()
    match = POSTCODE_RE.match(compact)
    if not match:
        return None
    return f"{match.group(1)} {match.group(2)}"


def postcode_parts(postcode: str) -> tuple[str, int, str]:
    """'SW1A 1AA' -> ('SW1A', 1, 'AA'): outward code, sector digit, unit letters."""
    outward, inward = postcode.split(" ")
    return outward, int(inward[0]), inward[1:]


def parse_partial_postcode(text: str) -> tuple[str, int | None] | None:
    """'SW1A 1' -> ('SW1A', 1) (a sector); 'sw1a' -> ('SW1A', None) (a district); else None.

    A sector needs its space: 'M11' is the district M11, not sector 1 of M1."""
    parts = text.upper().split()
    if len(parts) == 1 and OUTWARD_RE.match(parts[0]):
        return parts[0], None
    if len(parts) == 2 and OUTWARD_RE.match(parts[0]) and re.fullmatch(r"[0-9]", parts[1]):
        return parts[0], int(parts[1])
    return None


# -- councils -------------------------------------------------------------------------------
# How people say a council whose official name reads like an index entry, or differs from
# what its residents call it. Anything not listed here follows display_council_name's rules.
COUNCIL_DISPLAY = {
    "Kingston upon Hull, City of": "Hull",
    "Bristol, City of": "Bristol",
    "Herefordshire, County of": "Herefordshire",
    "St. Helens": "St Helens",
    "City of Edinburgh": "Edinburgh",
    "Glasgow City": "Glasgow",
    "Aberdeen City": "Aberdeen",
    "Dundee City": "Dundee",
}


def display_council_name(name: str) -> str:
    """'Bristol, City of' -> 'Bristol': the name as people say and write it in a sentence."""
    if name in COUNCIL_DISPLAY:
        return COUNCIL_DISPLAY[name]
    shown = re.sub(r",\s*(City|County|Borough) of$", "", name.strip(), flags=re.IGNORECASE)
    return shown.replace("St. ", "St ")


def council_key(name: str) -> str:
    """A council name reduced for comparison across publishers: 'Bedford Borough', 'Bedford'
    and 'Durham' / 'County Durham' compare equal; footnote digits ('Northamptonshire7') go."""
    text = re.sub(r"[0-9]+$", "", name.strip())
    text = re.sub(r",\s*(city|county) of$", "", text, flags=re.IGNORECASE)
    key = normalise_name(text)
    key = re.sub(r"^county ", "", key)
    key = re.sub(r" (borough|council|city|county council|borough council|city council)$", "",
                 key)
    return key


# -- MPs ----------------------------------------------------------------------------------------
def surname(display_name: str, family_name: str = "") -> str:
    """The surname as the member writes it today.

    The 2024 result's family name (when it is the same member) says how many words the
    surname has ("Duncan Smith", "Long-Bailey" for "Long Bailey"); the words themselves come
    from the member's own display name, so "Louise Sandher-Jones", elected as "Louise Jones",
    is "Sandher-Jones", and "Van Mierlo" on the ballot is "van Mierlo" as he writes it.
    """
    words = display_name.split()
    if words and words[0] in FIRST_NAME_HONOURS + SURNAME_HONOURS:
        words = words[1:]
    if not words:
        return display_name.strip()
    if family_name:
        wanted = family_name.replace("-", " ").lower().split()
        for i in range(1, len(words)):  # from the second word: a first name stays a first name
            if " ".join(words[i:]).replace("-", " ").lower().split() == wanted:
                return " ".join(words[i:])
    start = len(words) - 1
    while start > 1 and words[start - 1] in SURNAME_PARTICLES:
        start -= 1
    return " ".join(words[start:])


def salutation(full_title: str, display_name: str, gender: str, family_name: str = "") -> str:
    """'Dear ...' by convention: Sir/Dame + first name, Dr + surname, else Mr/Ms + surname.

    display_name may carry the member's own honorific ("Mrs Kemi Badenoch"), which wins.
    gender must be the member's own (matched by member id), "" when unknown: then the
    salutation needs none ("Dear Lara Bird") rather than guessing.
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
    family = surname(" ".join(words), family_name)
    if honorific in FIRST_NAME_HONOURS:
        return f"Dear {honorific} {words[0]}"
    if honorific in ("Dr", "Professor", "Prof", "Mrs", "Miss", "Ms", "Mr"):
        return f"Dear {honorific} {family}"
    if gender == "M":
        return f"Dear Mr {family}"
    if gender == "F":
        return f"Dear Ms {family}"
    return f"Dear {' '.join(words)}"


def plain_name(display_name: str) -> str:
    """The name without a leading Mr/Mrs/Ms (kept for Dr, Sir, Dame)."""
    words = display_name.split()
    if words and words[0] in ("Mr", "Mrs", "Ms", "Miss"):
        words = words[1:]
    return " ".join(words)
