"""The plain-data shape of a jazz solo: notes and chords in quarter lengths, plus a tempo.

Everything the jazz pieces exchange — the grammar decoder, the music21 exporter, the numpy
synthesizer (``seqtui_models.jazz.audio``) and the piano roll — speaks these three frozen dataclasses,
so none of them needs music21 to read a solo.

Time is measured as music21 does, in *quarter lengths* (a quarter note is 1.0) from the start
of the solo; ``tempo`` is quarter notes per minute, so one quarter lasts ``60 / tempo`` seconds.
Pitches are MIDI numbers (60 is middle C, 69 is A4 = 440 Hz).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from seqtui_models.core.errors import InvalidInput

MELODY = "melody"
CHORD = "chord"
NOTE_NAMES: tuple[str, ...] = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
"""Pitch-class names with sharps, index = MIDI pitch mod 12."""
FLAT_NAMES: tuple[str, ...] = ("C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B")
"""Pitch-class names with flats."""
ROOT_NAMES: tuple[str, ...] = ("C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
"""Lead-sheet names (chord roots; notes without a key signature): the accidentals lead sheets use most."""
MAJOR_SCALE = (0, 2, 4, 5, 7, 9, 11)
LETTERS = "CDEFGAB"
"""The note letters; a letter's pitch class is ``MAJOR_SCALE[LETTERS.index(letter)]``."""


def names_for(sharps: int) -> tuple[str, ...]:
    """The pitch-class names of a key signature: sharps in a sharp key, flats in a flat key."""
    return NOTE_NAMES if sharps > 0 else FLAT_NAMES if sharps < 0 else ROOT_NAMES


def key_signature(weights: Iterable[tuple[int, float]], lean: int = 0) -> int:
    """The key signature (−6 flats … +6 sharps) whose scale holds the most of ``(pitch, weight)``.

    This decides how to *spell* notes (A♭ or G♯), not which note is the tonic: each signature's
    major scale (its relative minor shares it) is scored by the weight of the pitches on it; ties
    go to the signature with fewer accidentals. ``lean`` < 0 keeps to flat signatures, > 0 to
    sharp ones (the chord symbols' own spelling: notes are spelt like the chords above them).
    """
    histogram = [0.0] * 12
    for pitch, weight in weights:
        histogram[pitch % 12] += weight
    if not any(histogram):
        return 0

    def fit(sharps: int) -> tuple[float, int]:
        tonic = (7 * sharps) % 12  # each sharp moves the major key a fifth up, each flat a fifth down
        return sum(histogram[(tonic + step) % 12] for step in MAJOR_SCALE), -abs(sharps)

    candidates = range(-6, 1) if lean < 0 else range(0, 7) if lean > 0 else range(-6, 7)
    return max(candidates, key=fit)


_ACCIDENTAL = re.compile(r"(?:^|/)[A-G]([b#♭♯])")


def symbols_lean(symbols: Iterable[str]) -> int:
    """Sharps minus flats written after the roots and basses of chord symbols: ``"Ab" "Eb7/Bb"`` → −3
    (< 0: they are spelt with flats)."""
    flats = sharps = 0
    for symbol in symbols:
        for accidental in _ACCIDENTAL.findall(symbol):
            if accidental in "b♭":
                flats += 1
            else:
                sharps += 1
    return sharps - flats


def _check_time(what: str, start: float, duration: float) -> None:
    """Raise InvalidInput unless ``start`` ≥ 0 and ``duration`` > 0, both finite."""
    if not (math.isfinite(start) and start >= 0):
        raise InvalidInput(f"{what} starts at {start!r} — a start must be a finite number of quarters ≥ 0.")
    if not (math.isfinite(duration) and duration > 0):
        raise InvalidInput(f"{what} lasts {duration!r} — a duration must be a finite number of quarters > 0.")


def _check_pitch(what: str, pitch: int) -> None:
    """Raise InvalidInput unless ``pitch`` is a MIDI number 0–127."""
    if isinstance(pitch, bool) or not isinstance(pitch, int) or not 0 <= pitch <= 127:
        raise InvalidInput(f"{what} has pitch {pitch!r} — a pitch must be a MIDI number from 0 to 127.")


def pitch_name(pitch: int, sharps: int | None = None) -> str:
    """Return the scientific name of a MIDI pitch: 60 → ``C4``; 70 → ``A#4`` with sharps (the
    default), ``Bb4`` in a flat key (``sharps`` < 0; see :func:`key_signature`)."""
    names = NOTE_NAMES if sharps is None else names_for(sharps)
    return f"{names[pitch % 12]}{pitch // 12 - 1}"


def on_letter(pc: int, letter: int) -> str | None:
    """A pitch class written on a letter (0 = C … 6 = B): ``(1, 0)`` → ``C#``, ``(1, 1)`` → ``Db``,
    ``(11, 0)`` → ``Cb``; ``None`` when that would take a double sharp or flat."""
    shift = (pc - MAJOR_SCALE[letter % 7] + 6) % 12 - 6  # semitones from the natural letter, −6 … 5
    if abs(shift) > 1:
        return None
    return LETTERS[letter % 7] + ("#" if shift > 0 else "b" if shift < 0 else "")


def spelt_pitch(pitch: int, name: str) -> str:
    """A MIDI pitch written as ``name`` (a letter and its accidentals), with the octave that spelling
    has: 61 as ``C#`` → ``C#4``, 71 as ``Cb`` → ``Cb5`` (B4 by sound), 60 as ``B#`` → ``B#3``."""
    shift = name.count("#") - name.count("b")
    return f"{name}{(pitch - shift) // 12 - 1}"


def pitch_frequency(pitch: float) -> float:
    """Equal temperament with A4 (MIDI 69) = 440 Hz: ``f = 440 · 2^((p − 69) / 12)``."""
    return 440.0 * 2.0 ** ((pitch - 69) / 12.0)


class Span:
    """What notes and chords share: a ``start`` and a ``duration`` in quarter lengths, so an ``end``."""

    start: float
    duration: float

    @property
    def end(self) -> float:
        """Offset (quarter lengths) where it stops: ``start + duration``."""
        return self.start + self.duration


@dataclass(frozen=True)
class NoteEvent(Span):
    """One sounding note.

    Attributes:
        start: Onset in quarter lengths from the start of the solo (≥ 0).
        duration: Length in quarter lengths (> 0).
        pitch: MIDI pitch, 0–127.
        velocity: MIDI velocity, 0–127 (loudness).
        part: Which voice plays it: ``"melody"`` (the solo) or ``"chord"`` (accompaniment).
    """

    start: float
    duration: float
    pitch: int
    velocity: int = 90
    part: str = MELODY

    def __post_init__(self) -> None:
        _check_time("A note", self.start, self.duration)
        _check_pitch("A note", self.pitch)
        if isinstance(self.velocity, bool) or not isinstance(self.velocity, int) or not 0 <= self.velocity <= 127:
            raise InvalidInput(f"A note has velocity {self.velocity!r} — a velocity must be from 0 to 127.")
        if not self.part:
            raise InvalidInput("A note has an empty part name — use 'melody' or 'chord'.")


@dataclass(frozen=True)
class ChordEvent(Span):
    """One chord of the progression, with the pitches that voice it.

    Attributes:
        start: Onset in quarter lengths (≥ 0).
        duration: Length in quarter lengths (> 0).
        symbol: The chord symbol as written above a lead sheet, e.g. ``"Dm7"``.
        pitches: The MIDI pitches that sound (may be empty: a symbol without a voicing).
    """

    start: float
    duration: float
    symbol: str
    pitches: tuple[int, ...] = field(default=())

    def __post_init__(self) -> None:
        label = f"Chord {self.symbol!r}"
        _check_time(label, self.start, self.duration)
        if not isinstance(self.pitches, tuple):
            object.__setattr__(self, "pitches", tuple(self.pitches))  # accept lists; keep it hashable
        for pitch in self.pitches:
            _check_pitch(label, pitch)


@dataclass(frozen=True)
class Solo:
    """A melody over a chord progression at one tempo.

    Attributes:
        notes: The notes, any order (melody and optional accompaniment notes).
        chords: The chords, any order.
        tempo: Quarter notes per minute (> 0).
        beats_per_bar: Quarter notes per bar (4 for 4/4), for bar lines and ``bars``.
    """

    notes: tuple[NoteEvent, ...] = ()
    chords: tuple[ChordEvent, ...] = ()
    tempo: float = 120.0
    beats_per_bar: int = 4

    def __post_init__(self) -> None:
        if not isinstance(self.notes, tuple):
            object.__setattr__(self, "notes", tuple(self.notes))
        if not isinstance(self.chords, tuple):
            object.__setattr__(self, "chords", tuple(self.chords))
        if not all(isinstance(note, NoteEvent) for note in self.notes):
            raise InvalidInput("A solo's notes must all be NoteEvent objects.")
        if not all(isinstance(chord, ChordEvent) for chord in self.chords):
            raise InvalidInput("A solo's chords must all be ChordEvent objects.")
        if not (isinstance(self.tempo, (int, float)) and math.isfinite(self.tempo) and self.tempo > 0):
            raise InvalidInput(f"Tempo {self.tempo!r} is not valid — give quarter notes per minute > 0, e.g. 120.")
        if isinstance(self.beats_per_bar, bool) or not isinstance(self.beats_per_bar, int) or self.beats_per_bar < 1:
            raise InvalidInput(f"Beats per bar {self.beats_per_bar!r} is not valid — give a whole number ≥ 1, e.g. 4.")

    @classmethod
    def of(
        cls,
        notes: Iterable[NoteEvent] = (),
        chords: Iterable[ChordEvent] = (),
        tempo: float = 120.0,
        beats_per_bar: int = 4,
    ) -> Solo:
        """Build a solo from any iterables, sorting notes and chords by start."""
        return cls(
            notes=tuple(sorted(notes, key=lambda n: (n.start, n.pitch))),
            chords=tuple(sorted(chords, key=lambda c: c.start)),
            tempo=tempo,
            beats_per_bar=beats_per_bar,
        )

    @property
    def quarter_seconds(self) -> float:
        """Seconds per quarter note: ``60 / tempo``."""
        return 60.0 / self.tempo

    @cached_property
    def length(self) -> float:
        """Quarter lengths from 0 to the end of the last note or chord (0 for an empty solo)."""
        ends = [note.end for note in self.notes] + [chord.end for chord in self.chords]
        return max(ends, default=0.0)

    @cached_property
    def sharps(self) -> int:
        """The key signature to spell its notes in (see :func:`key_signature`): the melody and
        the chord tones, each weighted by how long it sounds, spelt the way its chord symbols are."""
        return key_signature([(n.pitch, n.duration) for n in self.notes]
                             + [(p, c.duration) for c in self.chords for p in c.pitches],
                             symbols_lean(c.symbol for c in self.chords))

    @property
    def seconds(self) -> float:
        """Playing time in seconds (without any release tail)."""
        return self.length * self.quarter_seconds

    @property
    def bars(self) -> int:
        """Number of bars the solo touches: ``ceil(length / beats_per_bar)``."""
        return math.ceil(self.length / self.beats_per_bar - 1e-9) if self.length > 0 else 0

    @property
    def melody(self) -> tuple[NoteEvent, ...]:
        """The notes whose part is ``"melody"``, sorted by start."""
        return tuple(sorted((n for n in self.notes if n.part == MELODY), key=lambda n: (n.start, n.pitch)))

    @property
    def is_empty(self) -> bool:
        """True when there are neither notes nor chords."""
        return not self.notes and not self.chords

    def pitch_range(self, include_chords: bool = True) -> tuple[int, int] | None:
        """Lowest and highest MIDI pitch (notes, and chord voicings if asked), or None if none."""
        pitches = [note.pitch for note in self.notes]
        if include_chords:
            pitches += [p for chord in self.chords for p in chord.pitches]
        if not pitches:
            return None
        return min(pitches), max(pitches)

    def seconds_at(self, offset: float) -> float:
        """Seconds from the start at ``offset`` quarter lengths."""
        return offset * self.quarter_seconds

    def offset_at(self, seconds: float) -> float:
        """Quarter lengths from the start at ``seconds`` seconds."""
        return seconds / self.quarter_seconds

    def chord_at(self, offset: float) -> ChordEvent | None:
        """The chord sounding at ``offset`` (the latest one starting at or before it), or None."""
        current: ChordEvent | None = None
        for chord in sorted(self.chords, key=lambda c: c.start):
            if chord.start <= offset + 1e-9 and offset < chord.end - 1e-9:
                current = chord
        return current
