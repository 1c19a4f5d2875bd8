"""Words a head would sign: articles, plurals, lists, possessives, party labels and how a
seat has changed since 2024. One small set of helpers, registered as Jinja filters, so every
template says these things the same way (issue 11).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# Acronyms said as a word, not letter by letter: "a SENCO", "a SEND review".
SPOKEN_ACRONYMS = {"SENCO", "SENDCO", "SEND", "NASA", "NATO", "UNICEF", "CAMHS", "OFSTED"}
# Letters whose name starts with a vowel sound: "an MP", "an SEN pupil", "an HR lead".
VOWEL_LETTERS = set("AEFHILMNORSX")
# Words spelt with a vowel but said with a consonant, and the reverse.
CONSONANT_SOUND = ("uni", "use", "usu", "uti", "eu", "one", "once", "ubiq", "ewe")
VOWEL_SOUND = ("hour", "honest", "honour", "heir")


def article(noun: Any) -> str:
    """'headteacher' -> 'a headteacher'; 'SENCO' -> 'a SENCO'; 'assistant head' and 'MP'
    -> 'an ...'; '[Your role]' -> 'a [Your role]' (the word inside the bracket decides)."""
    text = str(noun).strip()
    if not text:
        return text
    bare = re.sub(r"^[\W_]+", "", text)  # '[Your role]', '"Head"', '(acting) head'
    word = re.sub(r"[^A-Za-z].*$", "", bare.split()[0]) if bare.split() else ""
    if not word:
        return f"a {text}"
    if word.isupper() and len(word) > 1:
        vowel = word not in SPOKEN_ACRONYMS and word[0] in VOWEL_LETTERS \
            or word in SPOKEN_ACRONYMS and word[0] in "AEIOU"
    else:
        low = word.lower()
        vowel = (low[0] in "aeiou" and not low.startswith(CONSONANT_SOUND)) \
            or low.startswith(VOWEL_SOUND)
    return f"{'an' if vowel else 'a'} {text}"


def capfirst(text: Any) -> str:
    """'the Welsh Government' -> 'The Welsh Government' (the rest as it is)."""
    text = str(text)
    return text[:1].upper() + text[1:]


def plural(count: Any, singular: str, plural_form: str | None = None) -> str:
    """'1 week', '2 weeks', '1,200 children' (with plural_form 'children')."""
    n = float(count)
    shown = f"{n:,.0f}" if n == int(n) else f"{n:,}"
    word = singular if n == 1 else (plural_form or singular + "s")
    return f"{shown} {word}"


def join_list(items: Iterable[Any], conjunction: str = "and", sep: str = ", ") -> str:
    """['A', 'B', 'C'] -> 'A, B and C' (British: no comma before 'and'); with sep '; ',
    long items read 'a; b; and c'.

    Names that hold the conjunction or a comma themselves are never run together: items
    holding a comma are joined with semicolons ('Belfast; Lisburn and Castlereagh; and
    Newry, Mourne and Down'), items holding the conjunction with a serial comma ('Bath and
    North East Somerset, and Bristol'), so a reader can tell where each name ends."""
    words = [str(i) for i in items if str(i)]
    if len(words) <= 1:
        return "".join(words)
    if sep == ", " and any("," in w for w in words):
        sep = "; "
    elif sep == ", " and any(re.search(r"\band\b|&", w, re.IGNORECASE) for w in words):
        return f"{sep.join(words[:-1])}, {conjunction} {words[-1]}"
    last = f" {conjunction} " if sep == ", " else f"{sep}{conjunction} "
    if len(words) == 2 and sep != ", " and not any("," in w for w in words):
        last = f" {conjunction} "
    return f"{sep.join(words[:-1])}{last}{words[-1]}"


def role_in_sentence(role: Any) -> str:
    """A role as it reads mid-sentence, in sentence case: 'Headteacher' -> 'headteacher',
    'Deputy Head Teacher' -> 'deputy head teacher'. Acronyms (SENCO, SEND) and the names
    after 'of', 'at', 'for' or 'in' ('Head of Year 6', 'Head at St Anne's') keep their
    capitals; so does a word with capitals inside it (McAllister)."""
    out, named = [], False
    for token in str(role).split(" "):
        bare = re.sub(r"^\W+|\W+$", "", token)
        if bare.lower() in ("of", "at", "for", "in"):
            named = True
        if not named and bare[:1].isupper() and bare[1:].islower():
            token = token.replace(bare, bare.lower(), 1)
        out.append(token)
    return " ".join(out)


# Party abbreviations in Parliament's 2024 results ("Lab gain from Con"), as a sentence names
# the party: (mid-sentence, its article included).
PARTIES = {
    "Lab": "Labour", "Con": "the Conservatives", "LD": "the Liberal Democrats",
    "SNP": "the SNP", "PC": "Plaid Cymru", "Green": "the Green Party", "RUK": "Reform UK",
    "SF": "Sinn Féin", "DUP": "the DUP", "SDLP": "the SDLP", "UUP": "the Ulster Unionists",
    "APNI": "the Alliance Party", "TUV": "the TUV", "Ind": "an Independent",
    "Spk": "the Speaker",
}


def election_result(result: Any) -> str:
    """'Lab gain from Con' -> 'Labour gained the seat from the Conservatives'; 'SNP hold' ->
    'the SNP held the seat' (mid-sentence: capfirst it to start one). A result in another
    form is given as it is, in quotation marks, never guessed at."""
    text = " ".join(str(result).split())
    gain = re.fullmatch(r"(\w+) gain from (\w+)", text)
    hold = re.fullmatch(r"(\w+) hold", text)
    if gain and gain[1] in PARTIES and gain[2] in PARTIES:
        return f"{PARTIES[gain[1]]} gained the seat from {PARTIES[gain[2]]}"
    if hold and hold[1] in PARTIES:
        return f"{PARTIES[hold[1]]} held the seat"
    return f"the result was \u201c{text}\u201d"


def possessive(name: Any) -> str:
    """'Bristol' -> "Bristol's"; 'St Helens' -> "St Helens's" (as the Guardian and the Times
    write names ending in s)."""
    text = str(name).strip()
    return text if text.endswith("'s") else f"{text}'s"


def party(label: Any) -> str:
    """A party as it reads inside brackets: 'Labour (Co-op)' -> 'Labour and Co-operative'
    (its registered joint description), so a sentence never has '(Labour (Co-op))'."""
    text = " ".join(str(label).split())
    text = re.sub(r"\s*\(Co-op\)", " and Co-operative", text)
    return re.sub(r"\s*\(([^()]*)\)", r", \1", text)


def _same_party(a: str, b: str) -> bool:
    def key(p: str) -> str:
        return re.sub(r"\s*\(co-op\)|\s+and co-operative", "", p.lower()).strip()
    return key(a) == key(b)


def _get(record: Any, name: str, default: Any = None) -> Any:
    """A field of a mapping (lookup's JSON) or of a view model (localdata/pictures.py)."""
    if isinstance(record, dict):
        return record.get(name, default)
    return getattr(record, name, default)


def since_2024(seat: Any) -> str:
    """One sentence on what changed since the 2024 election, or '' when nothing did.

    'Changed hands' only when the party holding the seat changed; a new MP of the same
    party, or the same MP under a new label, is said as such.
    """
    e = _get(seat, "election_2024")
    if not e:
        return ""
    mp = _get(seat, "mp")
    won_by = _get(e, "party") or ("the Speaker" if str(_get(e, "result", "")).startswith(
        "Spk") else "Independent")
    now = _get(mp, "party")
    if _same_party(won_by, now) or (won_by == "the Speaker" and now == "Speaker"):
        if _get(e, "same_mp", True):
            return ""
        return (f"The MP has changed since the general election of 4 July 2024; the seat is "
                f"still held by {party(now)}.")
    if _get(e, "same_mp", True):
        return (f"{_get(mp, 'full_title')} won the seat in 2024 "
                f"{'as an Independent' if won_by == 'Independent' else 'for ' + party(won_by)}"
                f" and now sits as {article(party(now) + ' MP')}.")
    winner = "an Independent" if won_by == "Independent" else party(won_by)
    return (f"The seat has changed hands since the general election of 4 July 2024, when "
            f"{winner} won it; it is now held by {party(now)}.")


FILTERS = {"article": article, "capfirst": capfirst, "plural": plural, "join_list": join_list,
           "possessive": possessive, "party": party, "since_2024": since_2024,
           "election_result": election_result, "role_in_sentence": role_in_sentence}
