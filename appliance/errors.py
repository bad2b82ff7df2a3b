"""Errors the operator can act on: each message names the thing and what to do."""


class ApplianceError(Exception):
    """A failure with a message fit for an operator; the CLI exits non-zero with it."""


class ModelFileError(ApplianceError):
    """A model file is missing, unreadable or does not match its catalogued sha256."""


class OutputError(ApplianceError):
    """The model's output was truncated or failed validation; never stored as a result."""


class InputError(ApplianceError):
    """An input document cannot be read or is not acceptable."""
