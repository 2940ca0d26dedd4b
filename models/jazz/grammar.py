"""The deepjazz grammar: a melody over chords as a sequence of *musical values*, and back.

A value is one note or rest, written as in the course (and deepjazz, after Evan Chow's jazzml)::

    C,0.250,<m2,P-4>      kind, duration in quarter lengths, interval bounds to the previous note
    S,0.500               a first note: no previous note, so no bounds
    R,1.000               a rest

The **kind** says how the note relates to the chord sounding at its onset:

    C  chord tone        its pitch class is in the chord
    S  scale tone        in the chord's scale (:mod:`seqtui_models.jazz.chords`), not in the chord
    A  approach tone     a semitone above or below a chord tone, in neither of the above
    X  other             anything else
    R  rest

The **duration** is the time from this value's onset to the next one's, so the values tile time
and the rhythm comes back exactly. The **bounds** ``<upper,lower>`` are the interval d from the
previous *note* (rests are skipped) plus and minus a minor third: upper = d + 3, lower = d − 3
semitones, named as music21 names intervals (``m2`` = +1, ``P-4`` = −5). deepjazz wrote them the
same way.

Decoding (:func:`decode`) walks the values over a chord progression: a value's note must be of
its kind over the chord at its onset, inside its bounds around the previous note; among those
pitches it takes the one nearest the centre of the bounds (which is where the encoded note was).
So **encoding then decoding gives the same notes back**, as long as the first note is anchored
(its pitch is not in the grammar: only its kind) and the chords are the same. Over new chords the
centre may not be of the right kind; the nearest pitch that is, within the bounds, is taken, and
a melody that drifts out of the register is folded back by octaves.

One exception in decoding, never in encoding: over an extended chord whose scale has fewer than
two tones left outside the chord once its avoid note is set aside (C13, Cmaj9), an S is played as
one of the chord's tensions (its 9th or 13th) rather than always as the avoid note
(:attr:`~seqtui_models.jazz.chords.Chord.scale_tone_choices`). Music is read as before, so trained
models keep their values.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from seqtui_models.core.errors import InvalidInput
from seqtui_models.jazz.chords import Chord, TimedChord, chord_at
from seqtui_models.jazz.notes import NoteEvent

KINDS = ("C", "S", "A", "X")
REST = "R"
#: Semitones the bounds reach above and below the real interval (deepjazz: a minor third).
BOUND = 3
#: Durations are snapped to this many steps per quarter (covers 64th notes and triplets).
GRID = 48
#: Longest note or rest a single value holds, in quarter lengths (longer ones are split).
MAX_DURATION = 4.0
#: Where a first note is drawn when nothing anchors it (G4, the middle of a solo's range).
DEFAULT_ANCHOR = 67
#: The register a decoded melody is kept in (MIDI pitches) unless told otherwise.
DEFAULT_REGISTER = (55, 84)

_PERFECT_BASE = {1: 0, 4: 5, 5: 7}
_MAJOR_BASE = {2: 2, 3: 4, 6: 9, 7: 11}
# music21's names of chromatic intervals: 6 semitones is d5, the rest minor/major/perfect.
_SIMPLE_NAMES = ("P1", "m2", "M2", "m3", "M3", "P4", "d5", "P5", "m6", "M6", "m7", "M7")
_INTERVAL = re.compile(r"^(P|M|m|A+|d+)(-?)(\d+)$")
_VALUE = re.compile(r"^([CSAXR]),(\d+(?:\.\d*)?)(?:,<([^,<>]+),([^,<>]+)>)?$")


def interval_name(semitones: int) -> str:
    """Name an interval as music21's ``Interval(semitones).directedName`` does: −5 → ``P-4``."""
    octaves, simple = divmod(abs(semitones), 12)
    name = _SIMPLE_NAMES[simple]
    quality, number = name[:-1], int(name[-1]) + 7 * octaves
    return f"{quality}{'-' if semitones < 0 else ''}{number}"


def interval_semitones(name: str) -> int:
    """Semitones of a directed interval name (``P-4`` → −5, ``A4`` → 6, ``M9`` → 14).

    Raises:
        InvalidInput: ``name`` is not an interval such as m2, P-4, M10, A4, d-5.
    """
    match = _INTERVAL.match(name.strip())
    if match is None or int(match.group(3)) < 1:
        raise InvalidInput(f"{name!r} is not an interval name (e.g. m2, P-4, M10, A4, d-5).")
    quality, sign, digits = match.groups()
    generic = int(digits)
    octaves, simple = divmod(generic - 1, 7)
    simple += 1
    if simple in _PERFECT_BASE:
        if quality in ("M", "m"):
            raise InvalidInput(f"{name!r} is not an interval: a {simple}th is perfect, augmented or diminished.")
        base = _PERFECT_BASE[simple]
        shift = 0 if quality == "P" else (len(quality) if quality[0] == "A" else -len(quality))
    else:
        if quality == "P":
            raise InvalidInput(f"{name!r} is not an interval: a {simple}th is major, minor, augmented or diminished.")
        base = _MAJOR_BASE[simple]
        shift = {"M": 0, "m": -1}.get(quality, len(quality) if quality[0] == "A" else -1 - len(quality))
    semitones = base + 12 * octaves + shift
    return -semitones if sign else semitones


@dataclass(frozen=True)
class Value:
    """One musical value of the grammar.

    Attributes:
        kind: "C", "S", "A", "X" or "R" (see the module docstring).
        duration: Quarter lengths to the next value's onset (> 0).
        upper: The upper interval bound in semitones, or ``None`` (a rest or a first note).
        lower: The lower interval bound in semitones, or ``None``.
    """

    kind: str
    duration: float
    upper: int | None = None
    lower: int | None = None

    @property
    def is_rest(self) -> bool:
        """Whether this value is a rest."""
        return self.kind == REST

    @property
    def has_bounds(self) -> bool:
        """Whether the value says where its note lies relative to the previous one."""
        return self.upper is not None and self.lower is not None

    @property
    def centre(self) -> int | None:
        """The middle of the bounds: the interval the encoded note had to the previous one."""
        if self.upper is None or self.lower is None:
            return None
        return (self.upper + self.lower) // 2

    def __str__(self) -> str:
        text = f"{self.kind},{self.duration:.3f}"
        if self.upper is not None and self.lower is not None:
            text += f",<{interval_name(self.upper)},{interval_name(self.lower)}>"
        return text


def snap(duration: float) -> float:
    """Snap a duration to the grid (1/48 quarter), as written values are read back."""
    return round(duration * GRID) / GRID


def parse_value(text: str) -> Value:
    """Parse one value string such as ``C,0.250,<m2,P-4>`` (deepjazz's and the course's format).

    Raises:
        InvalidInput: ``text`` is not a value (the message shows the format).
    """
    match = _VALUE.match(text.strip())
    if match is None:
        raise InvalidInput(
            f"{text!r} is not a musical value: write KIND,DURATION[,<UPPER,LOWER>] with KIND one of "
            "C S A X R, e.g. C,0.250,<m2,P-4> or R,0.500."
        )
    kind, duration_text, upper_text, lower_text = match.groups()
    duration = snap(float(duration_text))
    if duration <= 0:
        raise InvalidInput(f"{text!r} has no length: a value's duration must be > 0.")
    if upper_text is None:
        return Value(kind, duration)
    if kind == REST:
        raise InvalidInput(f"{text!r}: a rest has no interval bounds.")
    upper, lower = interval_semitones(upper_text), interval_semitones(lower_text)
    return Value(kind, duration, max(upper, lower), min(upper, lower))


def classify(pitch: int, chord: Chord) -> str:
    """The kind of a note over a chord: C (chord tone), S (scale tone), A (approach tone) or X."""
    pc = pitch % 12
    tones = chord.pcs
    if pc in tones:
        return "C"
    if pc in chord.scale_pcs:
        return "S"
    if (pc + 1) % 12 in tones or (pc - 1) % 12 in tones:
        return "A"
    return "X"


def _rests(duration: float) -> list[Value]:
    """A rest of any length as values of at most MAX_DURATION each."""
    out = []
    while duration > 1e-9:
        piece = min(duration, MAX_DURATION)
        out.append(Value(REST, snap(piece)))
        duration -= piece
    return [v for v in out if v.duration > 0]


def monophonic(notes: Sequence[NoteEvent]) -> list[NoteEvent]:
    """One note at a time: at equal onsets the highest wins, a note is cut where the next begins."""
    by_start: dict[float, NoteEvent] = {}
    for note in notes:
        key = round(note.start * GRID) / GRID
        if key not in by_start or note.pitch > by_start[key].pitch:
            by_start[key] = note
    starts = sorted(by_start)
    out: list[NoteEvent] = []
    for i, start in enumerate(starts):
        note = by_start[start]
        end = note.start + note.duration
        if i + 1 < len(starts):
            end = min(end, starts[i + 1])
        if end - start > 1e-9:
            out.append(NoteEvent(start, end - start, note.pitch, note.velocity, note.part))
    return out


def encode(notes: Sequence[NoteEvent], chords: Sequence[TimedChord], start: float | None = None,
           max_rest: float | None = None) -> list[Value]:
    """Encode a melody over its chords as grammar values.

    Args:
        notes: The melody (made monophonic first, see :func:`monophonic`).
        chords: The progression, timed on the same clock.
        start: Where the phrase begins (a rest fills the time to the first note); default: at
            the first note.
        max_rest: Cut a silence longer than this (quarter lengths) to this: a track that waits
            81 bars for its entries would otherwise teach a model to play rests.

    Returns:
        The values, tiling the time from ``start`` to the end of the last note.
    """
    melody = monophonic(notes)
    if not melody:
        return []
    clock = melody[0].start if start is None else start
    values: list[Value] = []
    previous: int | None = None
    for i, note in enumerate(melody):
        gap = note.start - clock
        values += _rests(gap if max_rest is None else min(gap, max_rest))
        next_start = melody[i + 1].start if i + 1 < len(melody) else note.end
        sounding = min(note.duration, next_start - note.start, MAX_DURATION)
        kind = classify(note.pitch, chord_at(chords, note.start))
        duration = snap(sounding)
        if duration <= 0:  # shorter than the grid: let the next value take its time
            clock = note.start
            continue
        if previous is None:
            values.append(Value(kind, duration))
        else:
            d = note.pitch - previous
            values.append(Value(kind, duration, d + BOUND, d - BOUND))
        previous = note.pitch
        clock = note.start + duration
    return values


def _nearest(candidates: list[int], target: float, rng: np.random.Generator | None) -> int:
    """The candidate nearest ``target`` (ties broken by ``rng``, else the lower one)."""
    distances = [abs(p - target) for p in candidates]
    best = min(distances)
    ties = [p for p, dist in zip(candidates, distances) if dist == best]
    if len(ties) > 1 and rng is not None:
        return int(ties[int(rng.integers(len(ties)))])
    return ties[0]


def _fold(target: int, register: tuple[int, int]) -> int:
    """Move ``target`` by octaves into the register (a melody must not drift out of it)."""
    low, high = register
    while target > high:
        target -= 12
    while target < low:
        target += 12
    return target


def realises(pitch: int, kind: str, chord: Chord) -> bool:
    """Whether a value of ``kind`` may be played as ``pitch`` over ``chord``: a pitch of that kind
    (:func:`classify`), except that a scale tone is one of the chord's
    :attr:`~seqtui_models.jazz.chords.Chord.scale_tone_choices` (no collapse onto an avoid note)."""
    if kind == "S":
        return pitch % 12 in chord.scale_tone_choices
    return classify(pitch, chord) == kind


def pick_pitch(
    kind: str,
    chord: Chord,
    target: int,
    bounds: tuple[int, int] | None,
    register: tuple[int, int],
    rng: np.random.Generator | None = None,
) -> int:
    """The pitch a value decodes to: of ``kind`` over ``chord`` (:func:`realises`), nearest ``target``.

    Tries, in order: pitches of the kind inside ``bounds`` (absolute MIDI pitches) and the
    register; then of the kind anywhere in the register (``target`` folded into it by octaves);
    then any pitch of the register nearest the target (when no pitch has the kind).
    """
    low, high = register
    if bounds is not None:
        lo, hi = max(bounds[0], low), min(bounds[1], high)
        inside = [p for p in range(lo, hi + 1) if realises(p, kind, chord)]
        if inside:
            return _nearest(inside, target, rng)
    folded = _fold(target, register)
    anywhere = [p for p in range(low, high + 1) if realises(p, kind, chord)]
    if anywhere:
        return _nearest(anywhere, folded, rng)
    return folded


def decode(
    values: Sequence[Value | str],
    chords: Sequence[TimedChord],
    *,
    start: float = 0.0,
    anchor: int | None = None,
    previous: int | None = None,
    register: tuple[int, int] = DEFAULT_REGISTER,
    rng: np.random.Generator | None = None,
    velocity: int = 90,
) -> list[NoteEvent]:
    """Turn values into notes over a chord progression (the inverse of :func:`encode`).

    Args:
        values: Values or their strings.
        chords: The progression on the same clock.
        start: Onset of the first value, in quarter lengths.
        anchor: Where a note without bounds is drawn (nearest pitch of its kind); default: the
            previous note, else :data:`DEFAULT_ANCHOR`.
        previous: The note before the first value, if any (its bounds then apply).
        register: Lowest and highest MIDI pitch the melody may use.
        rng: Breaks ties between equally near pitches (deterministic without it).
        velocity: MIDI velocity of the notes.

    Returns:
        The notes (rests are the gaps), on the clock starting at ``start``.
    """
    if register[0] > register[1]:
        raise InvalidInput(f"The register {register} is empty: give (lowest, highest) MIDI pitches.")
    notes: list[NoteEvent] = []
    clock = start
    for item in values:
        value = parse_value(item) if isinstance(item, str) else item
        if value.is_rest:
            clock += value.duration
            continue
        chord = chord_at(chords, clock)
        if value.has_bounds and previous is not None:
            assert value.upper is not None and value.lower is not None and value.centre is not None
            pitch = pick_pitch(
                value.kind, chord, previous + value.centre, (previous + value.lower, previous + value.upper),
                register, rng,
            )
        else:
            reference = anchor if anchor is not None else (previous if previous is not None else DEFAULT_ANCHOR)
            pitch = pick_pitch(value.kind, chord, reference, None, register, rng)
        notes.append(NoteEvent(clock, value.duration, int(pitch), velocity))
        previous = pitch
        anchor = None  # only the first unbounded note is anchored; later ones follow the melody
        clock += value.duration
    return notes


def total_duration(values: Sequence[Value]) -> float:
    """Quarter lengths the values span."""
    return float(sum(v.duration for v in values))
