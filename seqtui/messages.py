"""Provides the messages that tabs and widgets post upwards."""

from __future__ import annotations

from dataclasses import dataclass
from textual.message import Message

from seqtui_models.core.training import Progress, RunResult


@dataclass
class TrainingProgressed(Message):
    """A training run reported progress (a flood of these is coalesced)."""

    progress: Progress

    def can_replace(self, message: Message) -> bool:
        """Let a newer progress event supersede an older one still waiting in the queue."""
        return isinstance(message, TrainingProgressed) and not message.progress.samples


@dataclass
class TrainingFinished(Message):
    """A training run ended, either finished or stopped (its model is saved)."""

    result: RunResult


@dataclass
class TaskFailed(Message):
    """Some work failed; the app's one handler shows it and the tab resets its controls.

    Attributes:
        error: The exception (a ``SeqtuiError`` for problems the user can fix).
        source: A short name of what failed ("training", "gradient check" …).
        shown: The view already says it next to the field at fault, so the app does not repeat
            it as a notification (one message, not two).
    """

    error: BaseException
    source: str = ""
    shown: bool = False
