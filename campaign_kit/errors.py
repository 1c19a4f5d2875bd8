"""Errors a user can fix. The CLI prints their message on one line and exits non-zero."""

from __future__ import annotations


class CampaignKitError(Exception):
    """Base class: the message is what the user reads."""


class DataError(CampaignKitError):
    """A data file is missing, unreadable or not the expected format."""


class NotFound(CampaignKitError):
    """A place the user asked for is not known."""


class TemplateProblem(CampaignKitError):
    """A template or content file is wrong; the message names the file and line. Given as
    `file=` and `line=`, they are kept as data too (`reason` is the message without them),
    so `check` reports them without reading them back out of the text."""

    def __init__(self, message: str, *, file: str = "", line: int | None = None):
        self.file, self.line, self.reason = str(file or ""), line, message
        where = f"{self.file}, line {line}" if file and line else self.file
        super().__init__(f"{where}: {message}" if where else message)


class OutputProblem(CampaignKitError):
    """An output cannot be written where it was asked for."""


class InputProblem(CampaignKitError):
    """A member's or event's details cannot be used as given."""


class Ambiguous(NotFound):
    """A place that fits more than one seat (or council): never guessed, the candidates are
    listed. `candidates` holds localdata.resolve.Candidate records, best first; the message is
    one line naming them; `with_option("--constituency")` says which option picks one."""

    def __init__(self, summary: str, candidates: tuple = (),
                 choose: str = "give one of them by name to choose"):
        self.summary = summary
        self.candidates = tuple(candidates)
        self.choose = choose
        super().__init__(f"{summary}; {choose}")

    def with_option(self, option: str) -> Ambiguous:
        """The same error, ending with the command-line option that picks a candidate."""
        return Ambiguous(self.summary, self.candidates,
                         f'choose one with {option} "NAME" (or its ONS code)')
