"""What the date models read and write: the input vocabularies, and the ISO output's characters.

The input is a human-written date, cut at T_x characters and turned into indices by a
:class:`Vocab`; the output is T_y = 10 characters "YYYY-MM-DD" over the course's machine
vocabulary ``-0123456789``. :func:`check_iso` says whether an output is a real calendar date.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

TY = 10
"""Output characters: "YYYY-MM-DD"."""
MACHINE_CHARS = "-0123456789"
"""The course's machine vocabulary, in its order (sorted): '-' is 0, '0' … '9' are 1 … 10."""
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True)
class Vocab:
    """An input vocabulary and how text becomes indices.

    Attributes:
        kind: ``"course"``: the assignment's ``human_vocab`` (sorted characters, then ``<unk>``
            and ``<pad>``) and its ``string_to_int`` (lower-case, commas dropped, cut at T_x,
            padded with ``<pad>``); ``"best"``: ``<pad>`` = 0, ``<unk>`` = 1, then ``chars``,
            case folded, nothing dropped.
        chars: The known characters, in index order.
        tx: T_x, the most characters the model reads.
    """

    kind: Literal["course", "best"]
    chars: str
    tx: int

    @property
    def size(self) -> int:
        """Entries, ``<unk>`` and ``<pad>`` included."""
        return len(self.chars) + 2

    @property
    def unk(self) -> int:
        """Index of ``<unk>``."""
        return len(self.chars) if self.kind == "course" else 1

    @property
    def pad(self) -> int:
        """Index of ``<pad>``."""
        return len(self.chars) + 1 if self.kind == "course" else 0

    def _table(self) -> dict[str, int]:
        # The course numbers its characters from 0 (<unk>, <pad> last); ours leaves 0 to <pad>,
        # which Keras' mask_zero treats as padding, and 1 to <unk>.
        offset = 0 if self.kind == "course" else 2
        return {c: i + offset for i, c in enumerate(self.chars)}

    def fold(self, ch: str) -> str:
        """The vocabulary entry a typed character is looked up as (case folding only)."""
        low = ch.lower()
        return low if len(low) == 1 else ch

    def prepare(self, text: str) -> str:
        """The text before it is cut at T_x: the course's ``string_to_int`` lower-cases and drops
        commas; ours takes the text as typed."""
        return text.lower().replace(",", "") if self.kind == "course" else text

    def reads(self, text: str) -> tuple[str, bool]:
        """What the model reads of ``text`` and whether it was cut at T_x."""
        text = self.prepare(text)
        return text[: self.tx], len(text) > self.tx

    def unknown(self, text: str) -> str:
        """The distinct characters of ``text`` the vocabulary lacks, in order of appearance."""
        table = self._table()
        return "".join(dict.fromkeys(ch for ch in text if self.fold(ch) not in table))

    def encode(self, text: str, length: int | None = None) -> np.ndarray:
        """x = [index(c) for c in read] + [<pad>] · (T_x − len(read)): the indices of one text, (length,)."""
        read, _ = self.reads(text)
        table = self._table()
        out = np.full(length or self.tx, self.pad, dtype=np.int32)  # (T_x,)
        out[: len(read)] = [table.get(self.fold(ch), self.unk) for ch in read]
        return out

    def encode_all(self, texts: Sequence[str]) -> np.ndarray:
        """X = the rows :meth:`encode` gives, stacked: (m, T_x) (also for no texts)."""
        if not texts:
            return np.zeros((0, self.tx), np.int32)  # (0, T_x): np.stack refuses an empty list
        return np.stack([self.encode(t) for t in texts])  # (m, T_x)

    def describe(self) -> str:
        """The characters, compactly (for messages)."""
        letters = "".join(c for c in self.chars if c.isalpha())
        digits = "".join(c for c in self.chars if c.isdigit())
        other = "".join(c for c in self.chars if not c.isalnum())
        case = "" if self.kind == "course" else " (either case)"
        shown = other.replace(" ", "space ")
        return f"{len(letters)} letters {letters}{case}, digits {digits[:1]}–{digits[-1:]}, {shown}"


COURSE_VOCAB = Vocab("course", " ./0123456789abcdefghijlmnoprstuvwy", 30)
"""The assignment's human vocabulary: 35 characters + <unk> + <pad> = 37 (no k, q, x, z: no
English month or day name has them)."""
BEST_VOCAB = Vocab("best", " 0123456789abcdefghijklmnopqrstuvwxyz.,/-':+()@", 40)
"""Ours: every letter (case folded), digits, space and . , / - ' : + ( ) @ (the last five from
times, zones and weekdays in brackets) — 49 entries with <pad> and <unk>. Models saved with an
earlier set keep theirs (it is stored in the file)."""


def vocab_for(preset: str, tx: int | None = None) -> Vocab:
    """The input vocabulary of a preset (with T_x overridden if given)."""
    base = COURSE_VOCAB if preset == "course" else BEST_VOCAB
    return base if tx is None else Vocab(base.kind, base.chars, tx)


def decode(indices: Sequence[int]) -> str:
    """y = "".join(MACHINE_CHARS[i] for i in indices): machine-vocabulary indices → the output string."""
    return "".join(MACHINE_CHARS[int(i)] for i in indices)


def encode_iso(iso: str) -> np.ndarray:
    """"YYYY-MM-DD" → machine-vocabulary indices: (T_y,)."""
    return np.array([MACHINE_CHARS.index(ch) for ch in iso], dtype=np.int32)


def encode_isos(isos: Sequence[str]) -> np.ndarray:
    """Y = the rows :func:`encode_iso` gives, stacked: (m, T_y) (also for no dates)."""
    if not isos:
        return np.zeros((0, TY), np.int32)  # (0, T_y)
    return np.stack([encode_iso(iso) for iso in isos])  # (m, T_y)


def check_iso(text: str) -> tuple[bool, str]:
    """Whether ``text`` is a real calendar date written YYYY-MM-DD, and if not, why.

    Returns:
        ``(True, "")`` or ``(False, reason)``, e.g. ``"May 1979 has 31 days, not 33"``.
    """
    match = _ISO.fullmatch(text)
    if not match:
        return False, f"{text!r} is not of the form YYYY-MM-DD"
    year, month, day = (int(g) for g in match.groups())
    if year < 1:
        return False, "there is no year 0000"
    if not 1 <= month <= 12:
        return False, f"there is no month {month:02d}"
    if day == 0:
        return False, "there is no day 00"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return False, f"{calendar.month_name[month]} {year} has {days} days, not {day}"
    return True, ""
