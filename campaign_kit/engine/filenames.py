"""File names from what people type: safe on Windows, macOS and Linux, stable from run to
run, and never empty (the engine names every file it makes with these)."""

from __future__ import annotations

import hashlib
import re
import unicodedata

WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                    *(f"lpt{i}" for i in range(10))}


def safe_name(text: str, fallback: str = "untitled", limit: int = 60) -> str:
    """A file-name part safe on Windows, macOS and Linux: 'Siân Ó Briain' -> 'sian-o-briain'.

    Other scripts are transliterated ('Иван Петров' -> 'ivan-petrov', '李伟' -> 'liwei');
    text with nothing to transliterate gets the fallback and a short stable hash of the text
    ('member-3f2a9c1e'), so two such names never share a file name by accident.
    """
    from anyascii import anyascii

    folded = anyascii(unicodedata.normalize("NFC", text))
    # an apostrophe inside a word joins it ("Queen's Park" -> queens-park, "O'Brien" -> obrien)
    folded = re.sub(r"(?<=[A-Za-z])['`](?=[A-Za-z])", "", folded)
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:limit].strip("-")
    if not slug:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        slug = f"{fallback}-{digest}" if text.strip() else fallback
    if slug in WINDOWS_RESERVED:
        slug += "-"
    return slug
