"""Music for the jazz task as plain data: tracks, files, pieces, and the lazy music21 import.

What the music modules hand around is plain data: a :class:`Piece` is a melody
(:class:`~seqtui_models.jazz.notes.NoteEvent`) over timed chords
(:class:`~seqtui_models.jazz.chords.TimedChord`), cached as JSON so a file is parsed once. Where it
comes from and goes to:

- :mod:`seqtui_models.jazz.tracks` reads a MIDI or MusicXML file (:func:`~seqtui_models.jazz.tracks.open_music`)
  and describes its tracks (:class:`TrackInfo`, :class:`MusicFile`);
- :mod:`seqtui_models.jazz.lead_sheet` takes a melody and its chords out of it (a :class:`Piece`);
- :mod:`seqtui_models.jazz.corpus` gives the default ragtime corpus and caches parsed pieces;
- :mod:`seqtui_models.jazz.midi_out` writes a solo as a MIDI file.

Everything that touches music21 imports it inside a function, through :func:`import_music21`
(the import takes a second or more).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seqtui_models.core.errors import DataFileError, InvalidInput
from seqtui_models.jazz.chords import TimedChord, parse_chord
from seqtui_models.jazz.notes import MELODY, ChordEvent, NoteEvent, Solo, pitch_name

SUFFIXES = (".mid", ".midi", ".mxl", ".musicxml", ".xml")
"""The file names seqtui reads as music (MIDI and MusicXML)."""

Events = list[tuple[float, float, list[int]]]
"""(start, duration, MIDI pitches) of each note or chord of a track, in quarter notes."""


@dataclass(frozen=True)
class ReadProgress:
    """How far the reading of a music file has got: sent once per track, in order.

    A MIDI file is translated by music21 track by track (its conductor track counts: it holds the
    tempo and metre); a MusicXML file is parsed whole, then its parts are looked at one by one.

    Attributes:
        file: The file's name.
        track: Tracks read so far, 1 … ``tracks``.
        tracks: How many tracks the file has.
        name: The name of the track just read ("" if it has none, or holds no notes).
    """

    file: str
    track: int
    tracks: int
    name: str = ""

    @property
    def fraction(self) -> float:
        """How much of the file is read, in [0, 1]."""
        return self.track / self.tracks if self.tracks else 1.0

    def describe(self) -> str:
        """One line: ``reading song.mid: track 3 of 19 (Piano)``."""
        name = f" ({self.name})" if self.name else ""
        return f"reading {self.file}: track {self.track} of {self.tracks}{name}"


ReadCallback = Callable[[ReadProgress], None]
"""Where :class:`ReadProgress` events go."""


@dataclass(frozen=True)
class TrackInfo:
    """One track (music21 part) of a file.

    Attributes:
        number: 1-based position in the file (what ``--track`` takes).
        name: The track's name (or "Track N").
        instrument: The instrument's name, if the file gives one.
        notes: Pitched notes (a chord counts each of its notes).
        low: Lowest MIDI pitch, or ``None`` without notes.
        high: Highest MIDI pitch, or ``None``.
        polyphony: Most notes sounding at once.
        chord_share: Share of onsets where more than one note starts.
        drums: Whether it is a drum track (unpitched notes / MIDI channel 10).
        chord_symbols: Chord symbols written in it.
    """

    number: int
    name: str
    instrument: str
    notes: int
    low: int | None
    high: int | None
    polyphony: int
    chord_share: float
    drums: bool
    chord_symbols: int = 0

    @property
    def range_text(self) -> str:
        """The range as note names, e.g. ``Ab3–F6``."""
        if self.low is None or self.high is None:
            return "–"
        return f"{note_name(self.low)}–{note_name(self.high)}"

    def describe(self) -> str:
        """One line for lists: number, name, instrument, notes, range, polyphony."""
        if self.drums:
            return f"{self.number}. {self.name} — drums, {self.notes} hits"
        what = f" ({self.instrument})" if self.instrument and self.instrument != self.name else ""
        symbols = f", {self.chord_symbols} chord symbols" if self.chord_symbols else ""
        return (f"{self.number}. {self.name}{what} — {self.notes} notes, {self.range_text}, "
                f"up to {self.polyphony} at once{symbols}")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return {
            "track": self.number, "name": self.name, "instrument": self.instrument, "notes": self.notes,
            "low": self.low, "high": self.high, "range": self.range_text, "polyphony": self.polyphony,
            "chord_share": round(self.chord_share, 3), "drums": self.drums, "chord_symbols": self.chord_symbols,
        }


def note_name(pitch: int, sharps: int | None = None) -> str:
    """A MIDI pitch as a lead-sheet note name with octave: 68 → ``Ab4``; spelt in a key signature
    when ``sharps`` is given (68 → ``G#4`` in E major, ``sharps`` = 4)."""
    return pitch_name(pitch, 0 if sharps is None else sharps)


@dataclass(frozen=True)
class MusicFile:
    """A parsed music file and what is in it.

    Attributes:
        path: Where it came from (a file path or ``corpus:NAME``).
        title: Its title, or the file name.
        tracks: Every track.
        melody: The track number :func:`pick_melody` chose (``None`` if no track qualifies).
        reason: Why that track, in words.
        beats_per_bar: Quarter notes per bar of its first time signature.
        tempo: Quarter notes per minute (120 if the file does not say).
        score: The music21 score (not compared, not serialised).
        events: Each track's notes (:data:`Events`), as read (not compared): tied notes are joined
            once, which takes music21 seconds on a big track.
    """

    path: str
    title: str
    tracks: tuple[TrackInfo, ...]
    melody: int | None
    reason: str
    beats_per_bar: int
    tempo: float
    score: Any = field(default=None, repr=False, compare=False)
    events: tuple[Events, ...] = field(default=(), repr=False, compare=False)

    @property
    def has_chord_symbols(self) -> bool:
        """Whether any track writes chord symbols."""
        return any(t.chord_symbols for t in self.tracks)

    def track(self, number: int) -> TrackInfo:
        """The track with this 1-based number (raise a clear error if there is none)."""
        if not 1 <= number <= len(self.tracks):
            raise InvalidInput(
                f"{Path(self.path).name} has {len(self.tracks)} track(s): pick a track from 1 to {len(self.tracks)} "
                f"(see 'seqtui jazz tracks {self.path}')."
            )
        return self.tracks[number - 1]


@dataclass(frozen=True)
class Piece:
    """A melody over chords, ready for the grammar.

    Attributes:
        name: What it is ("Maple Leaf Rag (Joplin, 1899)", a file name …).
        melody: The melody, one note at a time, sorted.
        chords: The chords on the same clock, sorted, back to back.
        beats_per_bar: Quarter notes per bar.
        tempo: Quarter notes per minute.
        melody_track: Which track the melody came from, in words.
        chord_source: Where the chords came from, in words.
    """

    name: str
    melody: tuple[NoteEvent, ...]
    chords: tuple[TimedChord, ...]
    beats_per_bar: int = 4
    tempo: float = 120.0
    melody_track: str = ""
    chord_source: str = ""

    @property
    def bars(self) -> int:
        """How many bars the melody spans."""
        if not self.melody:
            return 0
        return math.ceil((self.melody[-1].end - self.melody[0].start) / self.beats_per_bar)

    def solo(self) -> Solo:
        """The piece as a :class:`~seqtui_models.jazz.notes.Solo` (chords voiced), starting at 0."""
        return make_solo(self.melody, self.chords, self.tempo, self.beats_per_bar)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (chords as symbols)."""
        return {
            "name": self.name,
            "melody": [[n.start, n.duration, n.pitch] for n in self.melody],
            "chords": [[c.start, c.duration, c.chord.symbol] for c in self.chords],
            "beats_per_bar": self.beats_per_bar, "tempo": self.tempo,
            "melody_track": self.melody_track, "chord_source": self.chord_source,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Piece:
        """Rebuild a piece from :meth:`to_dict`."""
        return cls(
            name=str(data["name"]),
            melody=tuple(NoteEvent(float(s), float(d), int(p)) for s, d, p in data["melody"]),
            chords=tuple(TimedChord(float(s), float(d), parse_chord(str(sym))) for s, d, sym in data["chords"]),
            beats_per_bar=int(data["beats_per_bar"]), tempo=float(data["tempo"]),
            melody_track=str(data.get("melody_track", "")), chord_source=str(data.get("chord_source", "")),
        )


def make_solo(
    melody: Sequence[NoteEvent], chords: Sequence[TimedChord], tempo: float, beats_per_bar: int, shift: float | None = None
) -> Solo:
    """A :class:`Solo` of a melody and its chords (voiced around C3), shifted to start at 0."""
    starts = [n.start for n in melody] + [c.start for c in chords]
    offset = min(starts, default=0.0) if shift is None else shift
    notes = [NoteEvent(n.start - offset, n.duration, n.pitch, n.velocity, MELODY) for n in melody]
    events = [
        ChordEvent(c.start - offset, c.duration, c.chord.symbol, c.chord.voicing())
        for c in chords if c.start - offset >= -1e-9
    ]
    return Solo.of(notes, events, tempo=tempo, beats_per_bar=max(1, int(beats_per_bar)))


def import_music21() -> Any:
    """music21, imported on first use (a DataFileError that says what to do if it is missing)."""
    try:
        import music21
    except ImportError as exc:  # pragma: no cover - a broken install
        raise DataFileError("music21 is not installed — reinstall seqtui's dependencies (make run).") from exc
    return music21
