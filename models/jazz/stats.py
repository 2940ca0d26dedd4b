"""Musical statistics of a solo, to compare an improvisation with the music it learned from.

- **tone shares**: of the notes, the share that are chord tones (C), scale tones (S), approach
  tones (A) and others (X) over the chord sounding at each note's onset (the grammar's kinds,
  computed from the notes themselves, so they also measure what the decoder made of the values);
- **range**: lowest and highest pitch; **notes per bar**;
- **novelty**: the longest run of consecutive values that also occurs, in the same order, in the
  training sequences (a long run means the model is replaying what it learned).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from seqtui_models.jazz.chords import TimedChord, chord_at
from seqtui_models.jazz.grammar import classify
from seqtui_models.jazz.notes import NoteEvent


@dataclass(frozen=True)
class SoloStats:
    """Figures of one solo (or of the training music, summed over its pieces).

    Attributes:
        notes: How many notes.
        bars: How many bars they span.
        chord_tones: Share of notes that are chord tones.
        scale_tones: Share that are scale tones (not chord tones).
        approach_tones: Share a semitone from a chord tone (neither of the above).
        other_tones: The rest.
        low: Lowest MIDI pitch (``None`` without notes).
        high: Highest MIDI pitch.
        notes_per_bar: notes / bars.
        longest_copy: Longest run of values found verbatim in the training sequences
            (``None`` when not measured, e.g. for the training music itself).
    """

    notes: int
    bars: float
    chord_tones: float
    scale_tones: float
    approach_tones: float
    other_tones: float
    low: int | None
    high: int | None
    notes_per_bar: float
    longest_copy: int | None = None

    @property
    def span(self) -> int:
        """Semitones from the lowest to the highest note."""
        return 0 if self.low is None or self.high is None else self.high - self.low

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, shares rounded to 4 places."""
        out = asdict(self)
        for key in ("chord_tones", "scale_tones", "approach_tones", "other_tones", "notes_per_bar", "bars"):
            out[key] = round(float(out[key]), 4)
        out["span"] = self.span
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SoloStats:
        """Rebuild from :meth:`to_dict`."""
        fields_ = {k: data[k] for k in (
            "notes", "bars", "chord_tones", "scale_tones", "approach_tones", "other_tones", "low", "high",
            "notes_per_bar",
        )}
        return cls(**fields_, longest_copy=data.get("longest_copy"))


def tone_counts(notes: Iterable[NoteEvent], chords: Sequence[TimedChord]) -> dict[str, int]:
    """How many notes are of each kind (C, S, A, X) over the chords at their onsets."""
    counts = {"C": 0, "S": 0, "A": 0, "X": 0}
    for note in notes:
        counts[classify(note.pitch, chord_at(chords, note.start))] += 1
    return counts


def solo_stats(
    parts: Sequence[tuple[Sequence[NoteEvent], Sequence[TimedChord], float]],
    longest_copy: int | None = None,
) -> SoloStats:
    """Statistics over one or more (melody, chords, bars) parts, pooled.

    Args:
        parts: Each a melody, its chords and how many bars it spans.
        longest_copy: The novelty figure, if measured (:func:`longest_copied_run`).
    """
    counts = {"C": 0, "S": 0, "A": 0, "X": 0}
    pitches: list[int] = []
    bars = 0.0
    for notes, chords, n_bars in parts:
        for kind, count in tone_counts(notes, chords).items():
            counts[kind] += count
        pitches += [n.pitch for n in notes]
        bars += n_bars
    total = sum(counts.values())

    def share(kind: str) -> float:
        return counts[kind] / total if total else 0.0

    return SoloStats(
        notes=total, bars=bars, chord_tones=share("C"), scale_tones=share("S"), approach_tones=share("A"),
        other_tones=share("X"), low=min(pitches) if pitches else None, high=max(pitches) if pitches else None,
        notes_per_bar=total / bars if bars else 0.0, longest_copy=longest_copy,
    )


def longest_copied_run(generated: Sequence[int], training: Sequence[Sequence[int]]) -> int:
    """The longest run of consecutive ``generated`` values that occurs in one training sequence.

    The longest common substring, by dynamic programming: L[i, j] = L[i−1, j−1] + 1 when
    generated[i] == training[j], else 0; the answer is max L. One numpy row per generated value.
    """
    best = 0
    gen = np.asarray(generated, dtype=np.int64)  # (n,)
    for seq in training:
        train = np.asarray(seq, dtype=np.int64)  # (m,)
        if gen.size == 0 or train.size == 0:
            continue
        previous = np.zeros(train.size + 1, dtype=np.int64)  # L[i−1, ·], with a 0 in front
        for value in gen:
            current = np.zeros_like(previous)
            current[1:] = np.where(train == value, previous[:-1] + 1, 0)
            best = max(best, int(current.max()))
            previous = current
    return best
