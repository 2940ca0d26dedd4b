"""The one exception hierarchy that backends raise for problems a person can fix.

Anything derived from :class:`SeqtuiError` carries a message that says what went wrong *and
what to do next*. The TUI shows it in a notification or dialog; the CLI prints it on one
stderr line and exits with code 2. Any other exception is a bug in seqtui.
"""

from __future__ import annotations


class SeqtuiError(Exception):
    """A problem the user can fix, with a message that says how.

    Args:
        message: One sentence: what went wrong and what to do next.
        title: A short heading for dialogs (defaults to the class's ``title``).
    """

    title = "Something went wrong"

    def __init__(self, message: str, title: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if title is not None:
            self.title = title

    def __str__(self) -> str:
        return self.message


class InvalidInput(SeqtuiError):
    """An argument or typed value is out of range or malformed."""

    title = "Invalid input"


class DataFileError(SeqtuiError):
    """A data file is missing, empty, binary or malformed."""

    title = "Bad data file"


class ModelFileError(SeqtuiError):
    """A saved model is missing, broken or from an incompatible configuration."""

    title = "Bad model file"


class TrainingStopped(SeqtuiError):
    """Raised inside a run when the user stopped it; the run's checkpoint is kept."""

    title = "Training stopped"
