"""Music in and out for the jazz task: the default corpus, your MIDI/MusicXML files, MIDI export.

Everything that touches music21 lives here, and music21 is imported inside the functions (it
takes a second or more to import). What comes out is plain data: a :class:`Piece` is a melody
(:class:`~seqtui_models.jazz.notes.NoteEvent`) over timed chords (:class:`~seqtui_models.jazz.chords.TimedChord`)
and is cached as JSON, so a file is parsed once.

**The default corpus** is the ragtime that ships with music21: Scott Joplin's *Maple Leaf Rag*
(1899; piano — the right hand's top line is the melody, the left hand gives the chords) and Irving
Berlin's *Alexander's Ragtime Band* (1911; a lead sheet — melody with chord symbols). Ragtime is
where jazz came from: syncopated melodies over dominant-seventh harmony with chromatic approach
notes, the same material deepjazz's grammar describes.

**Your files**: :func:`open_music` lists the tracks (parts) of a MIDI or MusicXML file — name,
instrument, note count, range, how many notes sound at once — and picks a melody track by a
heuristic (:func:`pick_melody`); :func:`extract` turns a melody track plus chords into a
:class:`Piece`. Chords come, in this order of preference, from the chord track you chose, from
chord symbols written in the file, from every other pitched track (the accompaniment), or — when
the melody is alone — from the melody itself. Chords are named from the notes that sound in each
half bar (:func:`seqtui_models.jazz.chords.recognise`).
"""

from __future__ import annotations

import bisect
import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seqtui_models.core.errors import DataFileError, InvalidInput
from seqtui_models.jazz.chords import KINDS, Chord, TimedChord, parse_chord, recognise, root_name
from seqtui_models.jazz.grammar import monophonic
from seqtui_models.jazz.notes import CHORD, MELODY, ChordEvent, NoteEvent, Solo
from seqtui_models.core.paths import atomic_write, user_models_dir

#: music21 corpus paths of the default training music (see the module docstring).
DEFAULT_CORPUS: tuple[str, ...] = ("joplin/maple_leaf_rag.mxl", "leadSheet/berlinAlexandersRagtime.mxl")
CORPUS_TITLES = {
    "joplin/maple_leaf_rag.mxl": "Maple Leaf Rag (Joplin, 1899)",
    "leadSheet/berlinAlexandersRagtime.mxl": "Alexander's Ragtime Band (Berlin, 1911)",
}
SUFFIXES = (".mid", ".midi", ".mxl", ".musicxml", ".xml")
#: A melody shorter than this cannot fill even one training window (about 8 bars of 8ths).
MIN_NOTES = 32
#: Onsets and ends are snapped to 1/12 of a quarter (16ths and triplets).
QUANTUM = 12
#: Bump when the extraction changes, so old cache entries are not used.
EXTRACT_VERSION = 3
_KIND_BY_MUSIC21 = {kind.music21: kind.suffix for kind in KINDS}


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


def note_name(pitch: int) -> str:
    """A MIDI pitch as a lead-sheet note name with octave: 68 → ``Ab4``."""
    return f"{root_name(pitch % 12)}{pitch // 12 - 1}"


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
    """

    path: str
    title: str
    tracks: tuple[TrackInfo, ...]
    melody: int | None
    reason: str
    beats_per_bar: int
    tempo: float
    score: Any = field(default=None, repr=False, compare=False)

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


# --------------------------------------------------------------------------------------------
# Reading files


def _import_music21() -> Any:
    try:
        import music21
    except ImportError as exc:  # pragma: no cover - a broken install
        raise DataFileError("music21 is not installed — reinstall seqtui's dependencies (make run).") from exc
    return music21


def read_score(path: str | Path) -> Any:
    """Parse a MIDI or MusicXML file with music21.

    Raises:
        DataFileError: the file is missing, of another kind, or not readable as music.
    """
    path = Path(path)
    if not path.is_file():
        raise DataFileError(f"No such file: {path} — pass a MIDI (.mid) or MusicXML (.musicxml, .mxl) file.")
    if path.suffix.lower() not in SUFFIXES:
        raise DataFileError(
            f"{path.name} is not a MIDI or MusicXML file: seqtui reads {', '.join(SUFFIXES)}."
        )
    if path.stat().st_size == 0:
        raise DataFileError(f"{path.name} is empty — pass a MIDI or MusicXML file with a melody in it.")
    music21 = _import_music21()
    is_midi = path.suffix.lower() in (".mid", ".midi")
    try:
        if is_midi:  # from bytes: music21 leaves a broken file open when it reads from a path
            score = music21.converter.parseData(path.read_bytes(), format="midi")
        else:
            score = music21.converter.parse(str(path), forceSource=True)
    except Exception as exc:  # noqa: BLE001 - music21 raises many kinds; all mean "not readable"
        kind = "MIDI" if is_midi else "MusicXML"
        reason = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else type(exc).__name__
        raise DataFileError(
            f"{path.name} is not a readable {kind} file ({reason}) — export it again from your music program."
        ) from None
    return score


def _parts(score: Any) -> list[Any]:
    music21 = _import_music21()
    if isinstance(score, music21.stream.Score):
        parts = list(score.parts)
        return parts if parts else [score]
    return [score]


def _is_symbol(element: Any) -> bool:
    music21 = _import_music21()
    return isinstance(element, music21.harmony.Harmony)


def _pitched(element: Any) -> list[int]:
    """MIDI pitches of a note or chord (none for rests, drums and chord symbols)."""
    music21 = _import_music21()
    if _is_symbol(element) or isinstance(element, (music21.note.Unpitched, music21.percussion.PercussionChord)):
        return []
    if isinstance(element, (music21.note.Note, music21.chord.Chord)):
        return [int(round(p.ps)) for p in element.pitches if 0 <= p.ps <= 127]
    return []


def _q(value: float) -> float:
    return round(float(value) * QUANTUM) / QUANTUM


def _part_events(part: Any) -> list[tuple[float, float, list[int]]]:
    """(start, duration, pitches) of every pitched note/chord of a part, on the score's clock.

    Tied notes (a note held across a bar line is written as two) are joined first.
    """
    flat = part.flatten().stripTies()
    out = []
    for element in flat.notes:
        pitches = _pitched(element)
        if not pitches:
            continue
        start = _q(element.offset)
        end = _q(element.offset + element.quarterLength)
        if end <= start:  # grace notes have no length
            continue
        out.append((start, end - start, pitches))
    return out


def _describe(number: int, part: Any) -> TrackInfo:
    music21 = _import_music21()
    flat = part.flatten()
    events = _part_events(part)
    drum_hits = sum(
        1 for e in flat.notes if isinstance(e, (music21.note.Unpitched, music21.percussion.PercussionChord))
    )
    instrument = part.getInstrument(returnDefault=False)
    channel = getattr(instrument, "midiChannel", None) if instrument is not None else None
    inst_name = (getattr(instrument, "instrumentName", None) or "") if instrument is not None else ""
    is_drums = (drum_hits > 0 and not events) or channel == 9 or isinstance(instrument, music21.instrument.UnpitchedPercussion)
    pitches = [p for _, _, ps in events for p in ps]
    onsets: dict[float, int] = {}
    for start, _, ps in events:
        onsets[start] = onsets.get(start, 0) + len(ps)
    # Most notes sounding at once: sweep over note starts and ends.
    edges = sorted([(s, len(ps)) for s, _, ps in events] + [(s + d, -len(ps)) for s, d, ps in events],
                   key=lambda edge: (edge[0], edge[1]))
    sounding = most = 0
    for _, change in edges:
        sounding += change
        most = max(most, sounding)
    name = (part.partName or "").strip() or inst_name.strip() or f"Track {number}"
    symbols = sum(1 for e in flat.getElementsByClass(music21.harmony.ChordSymbol))
    return TrackInfo(
        number=number, name=name, instrument=inst_name.strip(), notes=len(pitches) + (drum_hits if is_drums else 0),
        low=min(pitches) if pitches and not is_drums else None, high=max(pitches) if pitches and not is_drums else None,
        polyphony=most, chord_share=(sum(1 for c in onsets.values() if c > 1) / len(onsets)) if onsets else 0.0,
        drums=bool(is_drums), chord_symbols=symbols,
    )


def pick_melody(tracks: Sequence[TrackInfo], events: Sequence[Sequence[tuple[float, float, list[int]]]]) -> tuple[int | None, str]:
    """Choose the melody track: the highest mostly single-note line.

    Score of a pitched track with at least 8 notes: the mean pitch of its top line − 12 × the
    share of its onsets that are chords + 12 if it carries chord symbols (a lead sheet).

    Returns:
        ``(track number, reason in words)``, or ``(None, why not)``.
    """
    best: tuple[float, int, str] | None = None
    for info, evs in zip(tracks, events):
        if info.drums or info.notes < 8:
            continue
        top = [max(ps) for _, _, ps in evs]
        mean = sum(top) / len(top)
        score = mean - 12 * info.chord_share + (12 if info.chord_symbols else 0)
        why = f"the highest mostly single-note line (top notes around {note_name(int(round(mean)))}, " \
              f"{info.chord_share:.0%} chords)"
        if info.chord_symbols:
            why = f"a lead-sheet melody with {info.chord_symbols} chord symbols"
        if best is None or score > best[0]:
            best = (score, info.number, why)
    if best is None:
        pitched = [t for t in tracks if not t.drums]
        if not pitched:
            return None, "it has only drum tracks"
        return None, "no track has 8 notes or more"
    return best[1], f"track {best[1]}: {best[2]}"


def _meter(score: Any) -> tuple[int, float]:
    music21 = _import_music21()
    signature = score.recurse().getElementsByClass(music21.meter.TimeSignature).first()
    beats = int(round(float(signature.barDuration.quarterLength))) if signature is not None else 4
    mark = score.recurse().getElementsByClass(music21.tempo.MetronomeMark).first()
    bpm = mark.getQuarterBPM() if mark is not None else None
    tempo = float(bpm) if bpm and math.isfinite(bpm) and 20 <= bpm <= 400 else 120.0
    return max(1, beats), tempo


def open_music(path: str | Path, *, score: Any = None, title: str | None = None) -> MusicFile:
    """Parse a MIDI or MusicXML file and describe its tracks (see :class:`MusicFile`).

    Raises:
        DataFileError: unreadable, empty or drum-only files (the message says what to do).
    """
    score = read_score(path) if score is None else score
    parts = _parts(score)
    tracks = tuple(_describe(i + 1, part) for i, part in enumerate(parts))
    events = [_part_events(part) for part in parts]
    name = Path(str(path)).name
    if not any(t.notes for t in tracks):
        raise DataFileError(f"{name} has no notes — pass a MIDI or MusicXML file with a melody in it.")
    if all(t.drums for t in tracks if t.notes):
        raise DataFileError(f"{name} has only drum tracks — pass a file with a melody (a pitched track).")
    melody, reason = pick_melody(tracks, events)
    beats, tempo = _meter(score)
    meta_title = getattr(getattr(score, "metadata", None), "title", None)
    return MusicFile(str(path), title or meta_title or name, tracks, melody, reason, beats, tempo, score)


# --------------------------------------------------------------------------------------------
# Melody and chords


def _symbol_chords(part: Any) -> list[tuple[float, Chord]]:
    """Chord symbols written in a part, as (onset, chord) on the score's clock."""
    music21 = _import_music21()
    out: list[tuple[float, Chord]] = []
    for symbol in part.flatten().getElementsByClass(music21.harmony.ChordSymbol):
        if isinstance(symbol, music21.harmony.NoChord):
            continue
        try:
            root = symbol.root().pitchClass
        except (AttributeError, music21.Music21Exception):
            continue
        pcs = sorted({p.pitchClass for p in symbol.pitches})
        if not pcs:
            continue
        kind = _KIND_BY_MUSIC21.get(symbol.chordKind)
        if kind is not None and Chord(root, kind).pcs <= set(pcs) | {root}:
            chord = Chord(root, kind)
        else:
            weights = [1.0 if pc in pcs else 0.0 for pc in range(12)]
            chord = recognise(weights, bass=root) or Chord(root)
        bass = symbol.bass().pitchClass if symbol.bass() is not None else None
        if bass is not None and bass != chord.root and chord.bass is None:
            chord = Chord(chord.root, chord.kind, bass)
        out.append((_q(symbol.offset), chord))
    return out


def _windows(score: Any, beats_per_bar: int, end: float) -> list[float]:
    """Window starts for naming chords: every half bar in 4/4 and longer, every bar otherwise."""
    music21 = _import_music21()
    step = beats_per_bar / 2 if beats_per_bar >= 4 else float(beats_per_bar)
    first = _parts(score)[0]
    measures = list(first.getElementsByClass(music21.stream.Measure))
    starts: list[float] = []
    if measures:
        offsets = [float(m.offset) for m in measures] + [max(end, float(first.highestTime))]
        for a, b in zip(offsets, offsets[1:]):
            t = a
            while t < b - 1e-9:
                starts.append(_q(t))
                t += step
    else:
        t = 0.0
        while t < end:
            starts.append(t)
            t += step
    return sorted(set(starts)) or [0.0]


def _chordify(
    events: Sequence[tuple[float, float, list[int]]],
    starts: Sequence[float],
    end: float,
    melody: Sequence[tuple[float, float, list[int]]] = (),
) -> list[tuple[float, Chord]]:
    """Name the chord of each window from the notes sounding in it.

    Each note weighs its duration inside the window; the melody track's notes (a pianist's right
    hand often holds half the harmony) weigh half as much and do not set the bass.
    """
    bounds = list(starts) + [max(end, starts[-1] + 1e-6)]
    weights = [[0.0] * 12 for _ in starts]
    lowest: list[int | None] = [None] * len(starts)
    weighted = [(s, d, ps, 1.0, True) for s, d, ps in events] + [(s, d, ps, 0.5, False) for s, d, ps in melody]
    for start, duration, pitches, weight, sets_bass in weighted:
        first = max(0, bisect.bisect_right(bounds, start) - 1)
        for w in range(first, len(starts)):
            a, b = bounds[w], bounds[w + 1]
            overlap = min(b, start + duration) - max(a, start)
            if a >= start + duration:
                break
            if overlap <= 0:
                continue
            for p in pitches:
                weights[w][p % 12] += weight * overlap
            if not sets_bass:
                continue
            low = min(pitches)
            current = lowest[w]
            lowest[w] = low if current is None else min(current, low)
    out: list[tuple[float, Chord]] = []
    for w, start in enumerate(starts):
        bass = lowest[w]
        chord = recognise(weights[w], bass=None if bass is None else bass % 12)
        if chord is not None:
            out.append((start, chord))
    return out


def _timed(onsets: list[tuple[float, Chord]], end: float) -> tuple[TimedChord, ...]:
    """Back-to-back timed chords from (onset, chord) pairs, equal neighbours merged."""
    onsets = sorted(onsets, key=lambda pair: pair[0])
    merged: list[tuple[float, Chord]] = []
    for start, chord in onsets:
        if merged and merged[-1][1] == chord:
            continue
        if merged and abs(merged[-1][0] - start) < 1e-9:
            merged[-1] = (start, chord)
            continue
        merged.append((start, chord))
    out = []
    for i, (start, chord) in enumerate(merged):
        stop = merged[i + 1][0] if i + 1 < len(merged) else max(end, start + 1.0)
        out.append(TimedChord(start, stop - start, chord))
    return tuple(out)


def extract(music: MusicFile, melody: int | None = None, chords: int | None = None, name: str | None = None) -> Piece:
    """Take a melody track and its chords out of a parsed file.

    Args:
        music: From :func:`open_music`.
        melody: The melody's track number (default: the heuristic's pick). A track with chords
            gives its top line.
        chords: A track to take the chords from (its chord symbols, or its notes named half bar
            by half bar). Default: chord symbols anywhere, else every other pitched track,
            else the melody track itself.
        name: What to call the piece (default: the file's title).

    Raises:
        InvalidInput: a track number that does not exist, or a drum track.
        DataFileError: a melody too short to learn from.
    """
    file_name = Path(music.path).name
    number = melody if melody is not None else music.melody
    if number is None:
        raise DataFileError(f"{file_name}: no track can be the melody ({music.reason}) — pass a file with a melody.")
    info = music.track(number)
    if info.drums:
        raise InvalidInput(f"Track {number} of {file_name} is a drum track — pick a pitched track for the melody.")
    parts = _parts(music.score)
    events = _part_events(parts[number - 1])
    notes = monophonic([NoteEvent(s, d, max(ps)) for s, d, ps in events])
    if len(notes) < MIN_NOTES:
        raise DataFileError(
            f"Track {number} of {file_name} has only {len(notes)} melody notes — seqtui needs at least {MIN_NOTES} "
            "(about 8 bars) to learn from: pick a longer track or file."
        )
    end = notes[-1].end
    onsets: list[tuple[float, Chord]] = []
    source = ""
    if chords is not None:
        chord_info = music.track(chords)
        if chord_info.drums:
            raise InvalidInput(f"Track {chords} of {file_name} is a drum track — pick a pitched track for the chords.")
        part = parts[chords - 1]
        onsets = _symbol_chords(part)
        source = f"the chord symbols of track {chords}" if onsets else f"the notes of track {chords} ({chord_info.name})"
        if not onsets:
            onsets = _chordify(_part_events(part), _windows(music.score, music.beats_per_bar, end), end)
    if not onsets and chords is None and music.has_chord_symbols:
        for part in parts:
            onsets += _symbol_chords(part)
        source = "the chord symbols in the file"
    if not onsets and chords is None:
        others = [i for i, t in enumerate(music.tracks) if i != number - 1 and not t.drums and t.notes]
        if others:
            accompaniment = [e for i in others for e in _part_events(parts[i])]
            onsets = _chordify(accompaniment, _windows(music.score, music.beats_per_bar, end), end, events)
            names = ", ".join(str(i + 1) for i in others)
            source = f"the accompaniment (track{'s' if len(others) > 1 else ''} {names}), half bar by half bar"
        else:
            onsets = _chordify(events, _windows(music.score, music.beats_per_bar, end), end)
            source = "the melody itself (no other track, no chord symbols)"
    if not onsets:
        raise DataFileError(f"{file_name}: no chords could be found — pick a chord track with notes in it.")
    return Piece(
        name=name or music.title, melody=tuple(notes), chords=_timed(onsets, end),
        beats_per_bar=music.beats_per_bar, tempo=music.tempo,
        melody_track=f"track {number} ({info.name})", chord_source=source,
    )


# --------------------------------------------------------------------------------------------
# Cache and the default corpus


def _cache_dir() -> Path:
    folder = user_models_dir().parent / "cache" / "jazz"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _cached(key: str) -> list[Piece] | None:
    path = _cache_dir() / f"{key}.json"
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [Piece.from_dict(item) for item in data["pieces"]]
    except (OSError, ValueError, KeyError, TypeError, InvalidInput):
        return None  # a stale or damaged cache entry is simply rebuilt


def _store(key: str, pieces: Sequence[Piece]) -> None:
    text = json.dumps({"version": EXTRACT_VERSION, "pieces": [p.to_dict() for p in pieces]})

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    atomic_write(_cache_dir() / f"{key}.json", write)


def load_piece(path: str | Path, melody: int | None = None, chords: int | None = None, *, cache: bool = True) -> Piece:
    """A :class:`Piece` from a file, parsed once and then read from the cache.

    The cache (``<seqtui home>/cache/jazz``) is keyed by the file's bytes and the tracks chosen.
    """
    path = Path(path)
    if path.is_file() and path.suffix.lower() in SUFFIXES:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:24]
        key = f"file-{digest}-{melody}-{chords}-v{EXTRACT_VERSION}"
        if cache and (hit := _cached(key)):
            return hit[0]
    else:
        key = ""
    piece = extract(open_music(path), melody, chords, name=path.name)
    if cache and key:
        _store(key, [piece])
    return piece


def corpus_pieces(*, cache: bool = True) -> list[Piece]:
    """The default training music (see the module docstring), parsed once and cached."""
    music21 = _import_music21()
    key = f"corpus-{hashlib.sha256('|'.join(DEFAULT_CORPUS).encode()).hexdigest()[:12]}-m{music21.__version__}-v{EXTRACT_VERSION}"
    if cache and (hit := _cached(key)):
        return hit
    pieces = []
    for name in DEFAULT_CORPUS:
        try:
            score = music21.corpus.parse(name)
        except Exception as exc:  # noqa: BLE001 - a music21 without its corpus
            raise DataFileError(
                f"music21's corpus file {name} could not be read ({exc}) — reinstall music21 (pip install music21)."
            ) from None
        music = open_music(f"corpus:{name}", score=score, title=CORPUS_TITLES[name])
        pieces.append(extract(music, name=CORPUS_TITLES[name]))
    if cache:
        _store(key, pieces)
    return pieces


# --------------------------------------------------------------------------------------------
# Music out


def solo_stream(solo: Solo, title: str = "seqtui jazz solo") -> Any:
    """A music21 score of a solo: the melody part, and a chord part whose chords carry their symbols.

    Chord symbols are attached as lyrics of the chords, so they survive in MIDI files (as lyric
    events) and show in notation programs.
    """
    music21 = _import_music21()
    from music21 import chord as m21chord, instrument, metadata, meter, note, stream, tempo as m21tempo

    score = stream.Score()
    score.metadata = metadata.Metadata(title=title)
    beats = solo.beats_per_bar
    signature = f"{beats}/4"
    lead = stream.Part(id="solo")
    lead.partName = "Solo"
    lead_instrument = instrument.Piano()
    lead_instrument.partName = "Solo"
    lead.insert(0, lead_instrument)
    lead.insert(0, meter.TimeSignature(signature))
    lead.insert(0, m21tempo.MetronomeMark(number=solo.tempo))
    for event in solo.melody:
        n = note.Note(event.pitch, quarterLength=event.duration)
        n.volume.velocity = event.velocity
        lead.insert(event.start, n)
    comp = stream.Part(id="chords")
    comp.partName = "Chords"
    comp_instrument = instrument.Piano()
    comp_instrument.partName = "Chords"
    comp.insert(0, comp_instrument)
    comp.insert(0, meter.TimeSignature(signature))
    for timed in solo.chords:
        sounding: Any
        if timed.pitches:
            sounding = m21chord.Chord(list(timed.pitches), quarterLength=timed.duration)
            sounding.volume.velocity = 60
        else:
            sounding = note.Rest(quarterLength=timed.duration)
        sounding.lyric = timed.symbol
        comp.insert(timed.start, sounding)
    score.insert(0, lead)
    score.insert(0, comp)
    del music21
    return score


def write_midi(solo: Solo, path: str | Path, title: str = "seqtui jazz solo") -> Path:
    """Write a solo as a standard MIDI file (two tracks: solo and chords), atomically.

    Raises:
        InvalidInput: the path does not end in .mid/.midi, or the solo is empty.
    """
    path = Path(path)
    if path.suffix.lower() not in (".mid", ".midi"):
        raise InvalidInput(f"MIDI files end in .mid (got {path.name}); pass a path like solo.mid.")
    if solo.is_empty:
        raise InvalidInput("The solo is empty: generate one first.")
    from music21 import midi

    score = solo_stream(solo, title)
    midi_file = midi.translate.music21ObjectToMidiFile(score)

    def write(tmp: Path) -> None:
        midi_file.open(str(tmp), "wb")
        try:
            midi_file.write()
        finally:
            midi_file.close()

    return atomic_write(path, write)


def file_solo(path: str | Path) -> Solo:
    """Every pitched note of a MIDI or MusicXML file as a :class:`Solo`, to listen to it.

    The melody track (the heuristic's pick) plays with the melody voice, the other pitched
    tracks with the chord voice; drum tracks are left out.

    Raises:
        DataFileError: the file cannot be read, or has no pitched notes.
    """
    music = open_music(path)
    notes: list[NoteEvent] = []
    for info, part in zip(music.tracks, _parts(music.score)):
        if info.drums:
            continue
        role = MELODY if info.number == music.melody else CHORD
        for start, duration, pitches in _part_events(part):
            notes += [NoteEvent(start, duration, p, 90 if role == MELODY else 70, role) for p in pitches]
    start = min((n.start for n in notes), default=0.0)
    shifted = [NoteEvent(n.start - start, n.duration, n.pitch, n.velocity, n.part) for n in notes]
    return Solo.of(shifted, (), tempo=music.tempo, beats_per_bar=music.beats_per_bar)
