"""Errors a user can fix. The CLI prints their message on one line and exits non-zero."""


class CampaignKitError(Exception):
    """Base class: the message is what the user reads."""


class DataError(CampaignKitError):
    """A data file is missing, unreadable or not the expected format."""


class NotFound(CampaignKitError):
    """A place the user asked for is not known."""


class TemplateProblem(CampaignKitError):
    """A template or content file is wrong; the message names the file and line."""


class OutputProblem(CampaignKitError):
    """An output cannot be written where it was asked for."""


class InputProblem(CampaignKitError):
    """A member's or event's details cannot be used as given."""
