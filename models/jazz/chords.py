"""Chord symbols for the jazz task: parse them, name a chord from its notes, voice it, give its scale.

No music21 here: typed progressions (``"Dm7 G7 Cmaj7 A7"``) are parsed, validated and voiced in
microseconds, so generation never waits for music21 to import.

Notation. A chord is a *root* pitch class r (0 = C … 11 = B), a *kind* (its intervals above the
root, e.g. m7 = {0, 3, 7, 10}) and an optional *bass* (``C/G``). Its *chord tones* are
{(r + i) mod 12 : i in kind}; its *scale* is the seven- (or six-, eight-) note scale a soloist
plays over it, after the usual chord–scale pairing of jazz teaching (maj7 → Ionian, m7 → Dorian,
7 → Mixolydian, m7b5 → Locrian, dim7 → whole–half diminished, aug → whole tone). deepjazz used
the major scale for major chords and Dorian for everything else; the pairing here is finer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from seqtui_models.core.errors import InvalidInput
from seqtui_models.jazz.notes import ROOT_NAMES, Span

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
KIND_OF: dict[str, ChordKind] = {kind.suffix: kind for kind in KINDS}

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


def root_name(pc: int) -> str:
    """The lead-sheet name of a pitch class: 10 → ``Bb``."""
    return ROOT_NAMES[pc % 12]


@dataclass(frozen=True)
class Chord:
    """A chord: a root, a kind and an optional bass note.

    Attributes:
        root: Pitch class of the root, 0–11.
        kind: The kind's suffix (a key of :data:`KIND_OF`).
        bass: Pitch class of the bass when it is not the root (``C/G``), else ``None``.
    """

    root: int
    kind: str = ""
    bass: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in KIND_OF:
            raise InvalidInput(f"Unknown chord kind {self.kind!r}.")
        if not 0 <= self.root < 12 or (self.bass is not None and not 0 <= self.bass < 12):
            raise InvalidInput("A chord's root and bass are pitch classes 0–11.")

    @property
    def symbol(self) -> str:
        """How a lead sheet writes it: ``Dm7``, ``Bb7``, ``C/G``."""
        bass = f"/{root_name(self.bass)}" if self.bass is not None and self.bass != self.root else ""
        return f"{root_name(self.root)}{self.kind}{bass}"

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


def _parse_root(text: str) -> tuple[int, str]:
    """Split ``text`` into the root's pitch class and the rest (raise if there is no root)."""
    match = _ROOT.match(text)
    if match is None:
        raise InvalidInput(
            f"{text!r} is not a chord symbol: it must start with a root A–G, e.g. Dm7, G7, Cmaj7, Bb7, F#m7b5."
        )
    letter, accidentals = match.groups()
    pc = _LETTERS[letter.upper()] + sum(1 if a in "#♯" else -1 for a in accidentals)
    return pc % 12, text[match.end():]


def _is_kind(suffix: str) -> bool:
    return suffix in KIND_OF or suffix in ALIASES


def parse_chord(text: str) -> Chord:
    """Parse one chord symbol: ``Dm7``, ``G7b9``, ``Cmaj7``, ``Bb``, ``F#m7b5``, ``C/G``, ``Eø``, ``C6/9``, ``G7alt``.

    Raises:
        InvalidInput: with the symbols that are understood, when ``text`` is not one.
    """
    text = text.strip()
    if not text:
        raise InvalidInput("An empty chord symbol: write chords like Dm7 G7 Cmaj7.")
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
        raise InvalidInput(f"Unknown chord {text!r}: seqtui knows e.g. {known}, C7b9, Cm9 (slash chords like C/G too).")
    bass: int | None = None
    if body != text:  # a slash chord
        match = _ROOT.fullmatch(bass_text.strip())
        if match is None:
            raise InvalidInput(f"Unknown bass note in {text!r}: write a slash chord like C/G or F/A.")
        bass, _ = _parse_root(bass_text.strip())
    return Chord(root, kind, None if bass == root else bass)


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

    Raises:
        InvalidInput: an empty progression, an unknown symbol (the message names it), or a bar
            with more chords than beats.
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
    """The chord sounding at ``offset``: the last one starting at or before it (or the first)."""
    if not chords:
        raise InvalidInput("No chords to play over: give a progression like Dm7 G7 Cmaj7 A7.")
    current = chords[0].chord
    for timed in chords:
        if timed.start <= offset + 1e-9:
            current = timed.chord
        else:
            break
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
