"""Chord symbols for the jazz task: parse them, name a chord from its notes, voice it, give its scale.

No music21 here: typed progressions (``"Dm7 G7 Cmaj7 A7"``) are parsed, validated and voiced in
microseconds, so generation never waits for music21 to import.

Notation. A chord is a *root* pitch class r (0 = C … 11 = B), a *kind* (its intervals above the
root, e.g. m7 = {0, 3, 7, 10}) and an optional *bass* (``C/G``). Its *chord tones* are
{(r + i) mod 12 : i in kind}; its *scale* is the seven- (or six-, eight-) note scale a soloist
plays over it, after the usual chord–scale pairing of jazz teaching (maj7 → Ionian, m7 → Dorian,
7 → Mixolydian, m7b5 → Locrian, dim7 → whole–half diminished, aug → whole tone). deepjazz used
the major scale for major chords and Dorian for everything else; the pairing here is finer.

``N.C.`` (no chord, :data:`NO_CHORD`) is a symbol too: the band stops and the soloist plays on, as
through a break. It has no tones and no voicing; the solo's notes over it are chosen and counted
against the *harmony* (:func:`chord_at`): the chord before it, or the one after it when a
progression opens with N.C.

Spelling. A chord keeps the root as written (``C#7`` stays ``C#7``; chords named from notes take
the lead-sheet names, or their key's with :meth:`Chord.spelt`); its bass and its tones are spelt
from the root by their degree (:meth:`Chord.tone_name`: the major third above A is C#, the bass of
``Db/F`` is F, of ``Dbsus4/Gb`` Gb), so a symbol never mixes ``Db`` with ``F#``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np

from seqtui_models.core.errors import InvalidInput
from seqtui_models.jazz.notes import (
    LETTERS,
    MAJOR_SCALE,
    ROOT_NAMES,
    Solo,
    Span,
    names_for,
    on_letter,
    pitch_name,
    spelt_pitch,
)

_LETTERS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}

IONIAN = (0, 2, 4, 5, 7, 9, 11)
DORIAN = (0, 2, 3, 5, 7, 9, 10)
MIXOLYDIAN = (0, 2, 4, 5, 7, 9, 10)
LOCRIAN = (0, 1, 3, 5, 6, 8, 10)
MELODIC_MINOR = (0, 2, 3, 5, 7, 9, 11)
WHOLE_HALF = (0, 2, 3, 5, 6, 8, 9, 11)
HALF_WHOLE = (0, 1, 3, 4, 6, 7, 9, 10)
WHOLE_TONE = (0, 2, 4, 6, 8, 10)
LYDIAN_DOMINANT = (0, 2, 4, 6, 7, 9, 10)
LYDIAN = (0, 2, 4, 6, 7, 9, 11)
ALTERED = (0, 1, 3, 4, 6, 8, 10)
PHRYGIAN_DOMINANT = (0, 1, 4, 5, 7, 8, 10)


@dataclass(frozen=True)
class ChordKind:
    """One kind of chord.

    Attributes:
        suffix: How it is written after the root ("" for a major triad, "m7", "7b9" …).
        intervals: Semitones above the root of its chord tones (9ths as 14 for the voicing).
        scale: Semitones above the root of the scale played over it.
        music21: The ``chordKind`` music21 gives it (to read chord symbols from files).
    """

    suffix: str
    intervals: tuple[int, ...]
    scale: tuple[int, ...]
    music21: str


KINDS: tuple[ChordKind, ...] = (
    ChordKind("", (0, 4, 7), IONIAN, "major"),
    ChordKind("m", (0, 3, 7), DORIAN, "minor"),
    ChordKind("7", (0, 4, 7, 10), MIXOLYDIAN, "dominant-seventh"),
    ChordKind("maj7", (0, 4, 7, 11), IONIAN, "major-seventh"),
    ChordKind("m7", (0, 3, 7, 10), DORIAN, "minor-seventh"),
    ChordKind("m7b5", (0, 3, 6, 10), LOCRIAN, "half-diminished-seventh"),
    ChordKind("dim", (0, 3, 6), WHOLE_HALF, "diminished"),
    ChordKind("dim7", (0, 3, 6, 9), WHOLE_HALF, "diminished-seventh"),
    ChordKind("aug", (0, 4, 8), WHOLE_TONE, "augmented"),
    ChordKind("7#5", (0, 4, 8, 10), WHOLE_TONE, "augmented-seventh"),
    ChordKind("sus4", (0, 5, 7), MIXOLYDIAN, "suspended-fourth"),
    ChordKind("sus2", (0, 2, 7), IONIAN, "suspended-second"),
    ChordKind("7sus4", (0, 5, 7, 10), MIXOLYDIAN, "suspended-fourth-seventh"),
    ChordKind("6", (0, 4, 7, 9), IONIAN, "major-sixth"),
    ChordKind("m6", (0, 3, 7, 9), DORIAN, "minor-sixth"),
    ChordKind("mmaj7", (0, 3, 7, 11), MELODIC_MINOR, "minor-major-seventh"),
    ChordKind("9", (0, 4, 7, 10, 14), MIXOLYDIAN, "dominant-ninth"),
    ChordKind("maj9", (0, 4, 7, 11, 14), IONIAN, "major-ninth"),
    ChordKind("m9", (0, 3, 7, 10, 14), DORIAN, "minor-ninth"),
    ChordKind("7b9", (0, 4, 7, 10, 13), HALF_WHOLE, "dominant-seventh-flat-ninth"),
    ChordKind("7#9", (0, 4, 7, 10, 15), HALF_WHOLE, "dominant-seventh-sharp-ninth"),
    ChordKind("7#11", (0, 4, 7, 10, 18), LYDIAN_DOMINANT, "dominant-seventh-sharp-eleventh"),
    ChordKind("11", (0, 4, 7, 10, 14, 17), MIXOLYDIAN, "dominant-11th"),
    ChordKind("13", (0, 4, 7, 10, 14, 21), MIXOLYDIAN, "dominant-13th"),
    ChordKind("add9", (0, 4, 7, 14), IONIAN, "major-add-ninth"),
    ChordKind("5", (0, 7), MIXOLYDIAN, "power"),
    ChordKind("6/9", (0, 4, 7, 9, 14), IONIAN, "major-sixth-add-ninth"),
    ChordKind("maj7#11", (0, 4, 7, 11, 18), LYDIAN, "major-seventh-sharp-eleventh"),
    ChordKind("7alt", (0, 4, 10, 13, 15, 20), ALTERED, "dominant-altered"),
    ChordKind("7b9b13", (0, 4, 7, 10, 13, 20), PHRYGIAN_DOMINANT, "dominant-seventh-flat-ninth-flat-thirteenth"),
)
NC = "N.C."
"""How a lead sheet writes "no chord": the band stops (see the module docstring)."""
KIND_OF: dict[str, ChordKind] = {kind.suffix: kind for kind in KINDS} | {NC: ChordKind(NC, (), (), "none")}
_NO_CHORD_SPELLINGS = frozenset({"n.c.", "n.c", "nc", "n/c", "no chord", "nochord"})

#: Other ways of writing each suffix (matched case-sensitively: "M7" is maj7, "m7" minor).
ALIASES: dict[str, str] = {
    "M": "", "maj": "", "major": "",
    "min": "m", "mi": "m", "-": "m", "minor": "m",
    "dom7": "7", "dom": "7",
    "M7": "maj7", "Maj7": "maj7", "ma7": "maj7", "Δ": "maj7", "Δ7": "maj7", "j7": "maj7",
    "min7": "m7", "mi7": "m7", "-7": "m7",
    "ø": "m7b5", "ø7": "m7b5", "m7-5": "m7b5", "-7b5": "m7b5", "min7b5": "m7b5", "m7(b5)": "m7b5",
    "o": "dim", "°": "dim", "o7": "dim7", "°7": "dim7",
    "+": "aug", "#5": "aug", "+5": "aug", "aug7": "7#5", "+7": "7#5", "7+": "7#5", "7+5": "7#5", "7(#5)": "7#5",
    "sus": "sus4", "7sus": "7sus4",
    "min6": "m6", "-6": "m6",
    "mM7": "mmaj7", "m(maj7)": "mmaj7", "minmaj7": "mmaj7", "-maj7": "mmaj7", "mMaj7": "mmaj7", "m#7": "mmaj7",
    "M9": "maj9", "Maj9": "maj9", "Δ9": "maj9", "min9": "m9", "-9": "m9", "dom9": "9",
    "7(b9)": "7b9", "7-9": "7b9", "7(#9)": "7#9", "7+9": "7#9", "7(#11)": "7#11",
    "dom11": "11", "dom13": "13", "add2": "add9", "(add9)": "add9", "power": "5",
    "69": "6/9", "6(9)": "6/9", "6add9": "6/9",
    "M7#11": "maj7#11", "Maj7#11": "maj7#11", "Δ#11": "maj7#11", "maj7(#11)": "maj7#11", "Δ7#11": "maj7#11",
    "alt": "7alt", "7(alt)": "7alt",
    "7(b9,b13)": "7b9b13", "7b9(b13)": "7b9b13",
}

_ROOT = re.compile(r"^([A-Ga-g])([#b♯♭]*)")

#: The degree (1 root, 3 third, …) of each interval a kind names (9ths and up as 13–21): a chord
#: tone is written on the letter that many steps above the root's, so C7#9's D# is a sharp 9th.
_DEGREES = {0: 1, 1: 2, 2: 2, 3: 3, 4: 3, 5: 4, 6: 5, 7: 5, 8: 5, 9: 6, 10: 7, 11: 7,
            13: 2, 14: 2, 15: 2, 17: 4, 18: 4, 20: 6, 21: 6}
#: The degree of a note that is not a chord tone (a bass note), by semitones above the root:
#: b2 2 b3 3 4 #4 5 b6 6 b7 7 (C/F#, C/Ab, C/Bb).
_DEGREES_OUTSIDE = (1, 2, 2, 3, 3, 4, 4, 5, 6, 6, 7, 7)


def root_name(pc: int, sharps: int | None = None) -> str:
    """The name of a chord root: the lead-sheet name (10 → ``Bb``); given a key signature, a root on
    its scale is spelt as the key spells it (8 → ``G#`` in E major, ``sharps`` = 4) and any other
    root keeps the lead-sheet name (a ``Bb7`` in G major is not an ``A#7``)."""
    pc %= 12
    if sharps is None:
        return ROOT_NAMES[pc]
    tonic = (7 * sharps) % 12
    on_scale = (pc - tonic) % 12 in MAJOR_SCALE
    return names_for(sharps)[pc] if on_scale else ROOT_NAMES[pc]


def _written(letter: str, accidentals: str) -> str:
    """A root as seqtui writes it: an upper-case letter, then ``#`` and ``b`` (``♯``, ``♭`` read too)."""
    return letter.upper() + accidentals.replace("♯", "#").replace("♭", "b")


@dataclass(frozen=True)
class Chord:
    """A chord: a root, a kind and an optional bass note.

    Attributes:
        root: Pitch class of the root, 0–11 (0 for :data:`NO_CHORD`).
        kind: The kind's suffix (a key of :data:`KIND_OF`; :data:`NC` for no chord).
        bass: Pitch class of the bass when it is not the root (``C/G``), else ``None``.
        spelling: How the root is written (``"C#"`` or ``"Db"``); empty for the lead-sheet name.
            Not compared: ``C#7 == Db7``.
    """

    root: int
    kind: str = ""
    bass: int | None = None
    spelling: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if self.kind not in KIND_OF:
            raise InvalidInput(f"Unknown chord kind {self.kind!r}.")
        if not 0 <= self.root < 12 or (self.bass is not None and not 0 <= self.bass < 12):
            raise InvalidInput("A chord's root and bass are pitch classes 0–11.")
        if self.kind == NC and (self.root or self.bass is not None or self.spelling):
            raise InvalidInput("N.C. (no chord) has no root and no bass.")
        if self.spelling and _root_of(self.spelling) != (self.root, ""):
            raise InvalidInput(f"{self.spelling!r} does not spell the root {ROOT_NAMES[self.root]}.")

    @property
    def is_no_chord(self) -> bool:
        """Whether this is N.C.: the band stops (no tones, no voicing)."""
        return self.kind == NC

    @property
    def root_name(self) -> str:
        """The root as written: its spelling, or the lead-sheet name."""
        return self.spelling or root_name(self.root)

    def tone_name(self, pc: int) -> str | None:
        """How this chord spells a pitch class: a chord tone on the letter of its degree above the root
        (the major third of A is C#, the minor third of Ab is Cb, C7#9's sharp ninth D#), any other
        pitch class by its usual degree (b2 2 b3 3 4 #4 5 b6 6 b7 7). ``None`` for N.C., or when the
        spelling would need a double sharp or flat (Cdim7's B𝄫): the caller spells it by key."""
        if self.is_no_chord:
            return None
        above = (pc - self.root) % 12
        degrees = [_DEGREES[i] for i in self.intervals if i % 12 == above]
        if self.kind == "dim7" and above == 9:
            degrees = [7]  # the diminished seventh, B𝄫 over C
        degree = degrees[0] if degrees else _DEGREES_OUTSIDE[above]
        return on_letter(pc, LETTERS.index(self.root_name[0]) + degree - 1)

    @property
    def bass_name(self) -> str | None:
        """The bass note as written, spelt from the root (``Dbsus4/Gb``, ``C#sus4/F#``), or ``None``."""
        if self.bass is None or self.bass == self.root:
            return None
        return self.tone_name(self.bass) or root_name(self.bass)

    @property
    def symbol(self) -> str:
        """How a lead sheet writes it: ``Dm7``, ``Bb7``, ``C/G``, ``N.C.``."""
        if self.is_no_chord:
            return NC
        bass = self.bass_name
        return f"{self.root_name}{self.kind}{'' if bass is None else '/' + bass}"

    def spelt(self, sharps: int) -> Chord:
        """This chord with its root spelt in a key signature (see :func:`root_name`)."""
        return self if self.is_no_chord else replace(self, spelling=root_name(self.root, sharps))

    @property
    def intervals(self) -> tuple[int, ...]:
        """Semitones above the root of its chord tones."""
        return KIND_OF[self.kind].intervals

    @property
    def pcs(self) -> frozenset[int]:
        """Its chord tones as pitch classes (the bass included)."""
        tones = {(self.root + i) % 12 for i in self.intervals}
        if self.bass is not None:
            tones.add(self.bass)
        return frozenset(tones)

    @property
    def scale_pcs(self) -> frozenset[int]:
        """The pitch classes of its scale (see the module docstring), chord tones included."""
        return frozenset((self.root + i) % 12 for i in KIND_OF[self.kind].scale) | self.pcs

    @property
    def avoid_pcs(self) -> frozenset[int]:
        """The scale's avoid note, unless the chord names it: the 11th over a dominant (F over C7),
        the 4th over a major chord (F over Cmaj7): a half step above a chord tone, it clashes when held."""
        steps = {i % 12 for i in self.intervals}
        avoid = (self.root + 5) % 12
        return frozenset({avoid}) if 4 in steps and 3 not in steps and avoid not in self.pcs else frozenset()

    @cached_property
    def scale_tone_choices(self) -> frozenset[int]:
        """The pitch classes a scale-tone value ("S") is played as over this chord.

        Its scale's tones that are not chord tones — unless, without the avoid note, fewer than two
        are left: an extended chord names most of its scale (C13: C E G Bb D A of the Mixolydian C D
        E F G A Bb), and an S would always be the avoid note F. Then an S is played as what is left
        of them and the chord's tensions, its 9ths, 11ths and 13ths (D and A over C13).
        """
        outside = self.scale_pcs - self.pcs
        usable = outside - self.avoid_pcs
        if len(usable) >= 2:
            return outside
        tensions = {(self.root + i) % 12 for i in self.intervals if i > 12} - self.avoid_pcs
        return frozenset(usable | tensions) or outside

    def voicing(self, low: int = 48) -> tuple[int, ...]:
        """MIDI pitches for the accompaniment: the root in [low, low+12), the tones stacked above.

        The bass note (if any) goes below the root; 9ths and up keep their octave so a
        ``C9`` sounds C E G Bb D rather than a cluster.
        """
        base = low + self.root
        pitches = {base + i for i in self.intervals}
        if self.bass is not None and self.bass != self.root:
            pitches.add(low - 12 + self.bass if self.bass < self.root else low + self.bass - 12)
        return tuple(sorted(p for p in pitches if 0 <= p <= 127))

    def __str__(self) -> str:
        return self.symbol


NO_CHORD = Chord(0, NC)
"""N.C.: no chord (see the module docstring)."""


def _parse_root(text: str) -> tuple[int, str]:
    """Split ``text`` into the root's pitch class and the rest (raise if there is no root)."""
    match = _ROOT.match(text)
    if match is None:
        raise InvalidInput(
            f"{text!r} is not a chord symbol: it must start with a root A–G, e.g. Dm7, G7, Cmaj7, Bb7, F#m7b5, "
            "or be N.C."
        )
    letter, accidentals = match.groups()
    pc = _LETTERS[letter.upper()] + sum(1 if a in "#♯" else -1 for a in accidentals)
    return pc % 12, text[match.end():]


def _root_of(text: str) -> tuple[int, str]:
    """``_parse_root`` that returns ``(-1, text)`` instead of raising."""
    try:
        return _parse_root(text)
    except InvalidInput:
        return -1, text


def _is_kind(suffix: str) -> bool:
    return suffix in KIND_OF or suffix in ALIASES


def parse_chord(text: str) -> Chord:
    """Parse one chord symbol: ``Dm7``, ``G7b9``, ``Cmaj7``, ``Bb``, ``F#m7b5``, ``C/G``, ``Eø``, ``C6/9``,
    ``G7alt``, ``N.C.`` (also ``NC``). The root keeps its spelling (``A#7`` is not written ``Bb7``).

    Raises:
        InvalidInput: with the symbols that are understood, when ``text`` is not one.
    """
    text = text.strip()
    if not text:
        raise InvalidInput("An empty chord symbol: write chords like Dm7 G7 Cmaj7.")
    if text.lower() in _NO_CHORD_SPELLINGS:
        return NO_CHORD
    head, _, tail = text.rpartition("/")
    if _is_kind(_parse_root(text)[1]):
        body, bass_text = text, ""  # "C6/9" is a kind, not C6 over a bass note 9
    elif "/" in head and _is_kind(_parse_root(head)[1]):
        body, bass_text = head, tail  # "C6/9/E": a 6/9 chord over E
    else:
        body, _, bass_text = text.partition("/")
    root, suffix = _parse_root(body)
    suffix = suffix.strip()
    kind = suffix if suffix in KIND_OF else ALIASES.get(suffix)
    if kind is None:
        known = ", ".join(f"C{k.suffix}" for k in KINDS[:16])
        raise InvalidInput(
            f"Unknown chord {text!r}: seqtui knows e.g. {known}, C7b9, Cm9 (slash chords like C/G too), N.C.")
    bass: int | None = None
    if body != text:  # a slash chord
        match = _ROOT.fullmatch(bass_text.strip())
        if match is None:
            raise InvalidInput(f"Unknown bass note in {text!r}: write a slash chord like C/G or F/A.")
        bass, _ = _parse_root(bass_text.strip())
    written = _ROOT.match(body)
    assert written is not None  # _parse_root found it
    return Chord(root, kind, None if bass == root else bass, _written(*written.groups()))


@dataclass(frozen=True)
class TimedChord(Span):
    """A chord over a span of time.

    Attributes:
        start: Onset in quarter lengths.
        duration: Length in quarter lengths.
        chord: The chord.
    """

    start: float
    duration: float
    chord: Chord


REPEAT = "%"
"""The lead-sheet sign for "the chord before goes on" (a bar, or a bar's share, of it)."""


def parse_progression(text: str, beats_per_bar: int = 4) -> list[TimedChord]:
    """Parse a typed progression into timed chords.

    ``"Dm7 G7 Cmaj7 A7"``: one chord per bar. With bar lines, ``"Dm7 G7 | Cmaj7 | A7"``: the
    chords of a bar share it equally (Dm7 and G7 two beats each in 4/4). ``%`` continues the
    chord before it (``"C7 | % | F7"``), as :func:`progression_text` writes an unchanged bar.
    ``N.C.`` stops the band for its share (``"C7 | N.C. | F7"``); the solo plays on.

    Raises:
        InvalidInput: an empty progression, an unknown symbol (the message names it), a bar
            with more chords than beats, or nothing but N.C.
    """
    text = text.strip()
    if not text:
        raise InvalidInput("The chord progression is empty: type chords like Dm7 G7 Cmaj7 A7.")
    bars = [bar.split() for bar in text.split("|")] if "|" in text else [[symbol] for symbol in text.split()]
    bars = [bar for bar in bars if bar]
    if not bars:
        raise InvalidInput("The chord progression is empty: type chords like Dm7 G7 | Cmaj7 | A7.")
    out: list[TimedChord] = []
    for index, bar in enumerate(bars):
        if len(bar) > beats_per_bar:
            raise InvalidInput(
                f"Bar {index + 1} has {len(bar)} chords but only {beats_per_bar} beats: split it with '|'."
            )
        share = beats_per_bar / len(bar)
        for position, symbol in enumerate(bar):
            if symbol == REPEAT:  # the chord before goes on (how progression_text writes an unchanged bar)
                if not out:
                    raise InvalidInput("'%' repeats the chord before it: start the progression with a chord, e.g. C7 | % | F7.")
                last = out[-1]
                out[-1] = TimedChord(last.start, last.duration + share, last.chord)
                continue
            out.append(TimedChord(index * beats_per_bar + position * share, share, parse_chord(symbol)))
    if all(timed.chord.is_no_chord for timed in out):
        raise InvalidInput("N.C. alone gives the solo no harmony to play over: add a chord, e.g. C7 | N.C. | F7.")
    return out


def progression_text(chords: Sequence[TimedChord], beats_per_bar: int = 4, bars: int | None = None) -> str:
    """Write timed chords back as a typed progression with bar lines (``"Dm7 G7 | Cmaj7 | %"``).

    A bar without a new chord is ``%`` (the lead-sheet sign for "as before"); ``bars`` pads the
    text to that many bars (default: up to the bar of the last chord change).
    """
    if not chords:
        return ""
    by_bar: dict[int, list[str]] = {}
    for timed in chords:
        by_bar.setdefault(int(timed.start // beats_per_bar + 1e-9), []).append(timed.chord.symbol)
    count = max(by_bar) + 1 if bars is None else max(bars, 1)
    return " | ".join(" ".join(by_bar.get(i, ["%"])) for i in range(count))


def chord_at(chords: Sequence[TimedChord], offset: float) -> Chord:
    """The harmony at ``offset``, which the solo's notes are chosen and counted against: the last
    chord starting at or before it (or the first). Over N.C. the band stops but the harmony goes
    on: the chord before it (or, when the progression opens with N.C., the first chord after it).

    Raises:
        InvalidInput: no chords, or nothing but N.C.
    """
    current: Chord | None = None
    for timed in chords:
        if timed.start > offset + 1e-9 and current is not None:
            break
        if not timed.chord.is_no_chord:
            current = timed.chord
    if current is None:
        raise InvalidInput("No chords to play over: give a progression like Dm7 G7 Cmaj7 A7.")
    return current


def loop_progression(chords: Sequence[TimedChord], length: float) -> list[TimedChord]:
    """Repeat a progression until it covers ``length`` quarter lengths (the last chord clipped)."""
    if not chords:
        raise InvalidInput("No chords to play over: give a progression like Dm7 G7 Cmaj7 A7.")
    span = max(c.end for c in chords) - chords[0].start
    if span <= 0:
        raise InvalidInput("The chord progression has no length.")
    out: list[TimedChord] = []
    shift = -chords[0].start
    while True:
        for timed in chords:
            start = timed.start + shift
            if start >= length - 1e-9:
                return out
            out.append(TimedChord(start, min(timed.duration, length - start), timed.chord))
        shift += span


def melody_names(solo: Solo) -> tuple[str, ...]:
    """The names of a solo's melody notes (in :attr:`Solo.melody` order), as notation software spells
    them: a chord tone as the chord over it spells it (:meth:`Chord.tone_name`: C#6 over A7 even in
    A♭ major), any other note in the solo's key signature (:attr:`Solo.sharps`). Over N.C. the
    harmony goes on (:func:`chord_at`), and so does its spelling."""
    sharps = solo.sharps
    timed: list[TimedChord] = []
    for event in sorted(solo.chords, key=lambda c: c.start):
        try:
            timed.append(TimedChord(event.start, event.duration, parse_chord(event.symbol)))
        except InvalidInput:
            continue  # a symbol seqtui cannot read: the notes under it are spelt by key
    harmony = any(not t.chord.is_no_chord for t in timed)
    names: list[str] = []
    for note in solo.melody:
        pc = note.pitch % 12
        chord = chord_at(timed, note.start) if harmony else None
        written = chord.tone_name(pc) if chord is not None and pc in chord.pcs else None
        names.append(spelt_pitch(note.pitch, written) if written else pitch_name(note.pitch, sharps))
    return tuple(names)


# --------------------------------------------------------------------------------------------
# Naming a chord from its notes (for accompaniment tracks without chord symbols)

#: The kinds a chord found in an accompaniment may be named as (the rest are rarely decidable).
RECOGNISED: tuple[str, ...] = ("", "m", "7", "maj7", "m7", "m7b5", "dim", "dim7", "aug", "sus4", "6", "m6")


def recognise(weights: Iterable[float], bass: int | None = None) -> Chord | None:
    """Name the chord best matching a pitch-class profile (template matching).

    For every root r and kind K: score = (weight inside K) − (weight outside K) − 0.15 · (chord
    tones of K that are silent) − 0.15 · (tones of K beyond a triad) + 0.1 if r is the bass. A
    sixth or seventh must carry about a tenth of the weight to be named: a passing note of the
    melody does not turn Ab into Ab6. The weights are normalised to sum 1 (durations of the
    notes that sound, for instance).

    Args:
        weights: 12 non-negative numbers, one per pitch class (C first).
        bass: The lowest sounding pitch class, if known (it breaks ties such as C6 / Am7).

    Returns:
        The best chord, or ``None`` when nothing sounds.
    """
    w = np.asarray(list(weights), dtype=np.float64)  # (12,)
    if w.shape != (12,) or not np.isfinite(w).all() or (w < 0).any():
        raise InvalidInput("A pitch-class profile has 12 non-negative numbers.")
    total = w.sum()
    if total <= 0:
        return None
    w = w / total
    best: tuple[float, Chord] | None = None
    for suffix in RECOGNISED:
        template = np.zeros(12)
        for interval in KIND_OF[suffix].intervals:
            template[interval % 12] = 1.0
        for root in range(12):
            mask = np.roll(template, root)  # (12,) chord tones of this root
            inside = float(w @ mask)
            silent = float(((w < 1e-9) & (mask > 0)).sum())
            extra = max(0.0, float(mask.sum()) - 3.0)
            score = inside - (1.0 - inside) - 0.15 * silent - 0.15 * extra + (0.1 if bass == root else 0.0)
            if best is None or score > best[0] + 1e-12:
                best = (score, Chord(root, suffix))
    assert best is not None
    chord = best[1]
    if bass is not None and bass != chord.root and bass in chord.pcs:
        chord = Chord(chord.root, chord.kind, bass)
    return chord
