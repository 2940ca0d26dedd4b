"""What the tasks' data-file readers share: the record of a line left out, and why."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SkippedLine:
    """A line of a data file that was not used, and why.

    Attributes:
        line: 1-based line number (for a word2vec binary file: the 1-based entry number).
        reason: What was wrong with it, in words.
    """

    line: int
    reason: str
