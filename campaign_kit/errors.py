"""Errors a user can fix. Each carries a Note (notes.py): a code, the facts, a plain default
wording. Its class says what kind of mistake it is, and so the CLI's exit code; front ends
word the note (the CLI with its options, the web with its form fields)."""

from __future__ import annotations

from typing import Any

from .notes import TEXTS, Note


class CampaignKitError(Exception):
    """Base class: `note` is what the user is told; str() its default wording."""

    def __init__(self, what: str | Note = "", /, **fields: Any):
        if isinstance(what, Note):
            note = what
        elif fields or (what in TEXTS and " " not in what):
            note = Note(what, "error", fields)
        else:
            note = Note("message", "error", {"text": what})
        self.note = note
        super().__init__(note.text)


class DataError(CampaignKitError):
    """A data file is missing, unreadable or not the expected format."""


class NotFound(CampaignKitError):
    """A place the user asked for is not known."""


class TemplateProblem(CampaignKitError):
    """A template or content file is wrong; the message names the file and line. Given as
    `file=` and `line=`, they are kept as data too (`reason` is the message without them),
    so `check` reports them without reading them back out of the text."""

    def __init__(self, what: str | Note = "", /, *, file: str = "", line: int | None = None,
                 **fields: Any):
        super().__init__(what, **fields)
        self.file, self.line, self.reason = str(file or ""), line, self.note.text
        if self.file:
            where = f"{self.file}, line {line}" if line else self.file
            self.note = Note("message", "error", {"text": f"{where}: {self.reason}",
                                                  "file": self.file, "line": line,
                                                  "reason": self.reason})
            self.args = (self.note.text,)


class OutputProblem(CampaignKitError):
    """An output cannot be written where it was asked for."""


class InputProblem(CampaignKitError):
    """A member's or event's details cannot be used as given."""


class Ambiguous(NotFound):
    """A place that fits more than one seat (or council): never guessed, the candidates are
    listed. `candidates` holds localdata.resolve.Candidate records, best first; `summary`
    names them in one line; front ends say how to choose one (the CLI names its option, a
    batch the column, the web shows a list)."""

    def __init__(self, summary: str, candidates: tuple = ()):
        self.summary = summary
        self.candidates = tuple(candidates)
        super().__init__(Note("ambiguous", "error", {"summary": summary,
                                                      "candidates": self.candidates}))
