"""Reading your music: parse a MIDI or MusicXML file, describe its tracks, pick the melody.

:func:`open_music` lists the tracks (parts) of a file — name, instrument, note count, range, how
many notes sound at once — and picks a melody track by a heuristic (:func:`pick_melody`: the
highest mostly single-note line). :func:`file_solo` turns a whole file into a
:class:`~seqtui_models.jazz.notes.Solo` to listen to. Times are in quarter notes on the score's
clock, snapped to 1/12 of a quarter (:func:`quantize`).

A big MIDI file takes music21 many seconds (19 tracks: about 25 s), so a MIDI file is translated
track by track, with music21's own steps (:func:`read_score`), each track described as soon as it
is read, and an ``on_progress`` event (:class:`~seqtui_models.jazz.music.ReadProgress`) after each.
"""

from __future__ import annotations

import math
import struct
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from seqtui_models.core.errors import DataFileError
from seqtui_models.jazz.music import (
    SUFFIXES,
    Events,
    MusicFile,
    ReadCallback,
    ReadProgress,
    TrackInfo,
    import_music21,
    note_name,
)
from seqtui_models.jazz.notes import CHORD, MELODY, NoteEvent, Solo

#: Onsets and ends are snapped to 1/12 of a quarter (16ths and triplets).
QUANTUM = 12

def _is_midi(path: Path) -> bool:
    return path.suffix.lower() in (".mid", ".midi")


def _checked(path: str | Path) -> Path:
    """The path of a music file that exists, has a music suffix and is not empty (else DataFileError)."""
    path = Path(path)
    if not path.is_file():
        raise DataFileError(f"No such file: {path} — pass a MIDI (.mid) or MusicXML (.musicxml, .mxl) file.")
    if path.suffix.lower() not in SUFFIXES:
        raise DataFileError(
            f"{path.name} is not a MIDI or MusicXML file: seqtui reads {', '.join(SUFFIXES)}."
        )
    if path.stat().st_size == 0:
        raise DataFileError(f"{path.name} is empty — pass a MIDI or MusicXML file with a melody in it.")
    return path


def _unreadable_file(path: Path, exc: BaseException) -> DataFileError:
    """The one-line error for a file music21 cannot read."""
    kind = "MIDI" if _is_midi(path) else "MusicXML"
    reason = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else type(exc).__name__
    return DataFileError(
        f"{path.name} is not a readable {kind} file ({reason}) — export it again from your music program."
    )


def _midi_tracks(path: Path) -> Iterator[tuple[int, int, Any, Any]]:
    """Translate a MIDI file track by track, as music21's ``midiTracksToStreams`` does (a track with
    notes becomes a part; the others feed the conductor part: tempo, metre), yielding after each
    ``(index, tracks, part or None, score)``.

    Raises:
        DataFileError: the file is not readable as MIDI.
    """
    music21 = import_music21()
    try:
        midi = music21.midi.MidiFile()
        midi.readstr(path.read_bytes())  # from bytes: music21 leaves a broken file open when it reads from a path
        if not midi.tracks:
            raise music21.exceptions21.StreamException("no tracks are defined in this MIDI file.")
        score = music21.stream.Score()
        conductor = music21.stream.Part()
        first: Any = None
        for index, track in enumerate(midi.tracks):
            if track.hasNotes():
                first = track if first is None else first
                part = music21.stream.Part()
                score.insert(0, part)
            else:
                part = conductor
            music21.midi.translate.midiTrackToStream(
                track, ticksPerQuarter=midi.ticksPerQuarterNote, quantizePost=True, inputM21=part,
                conductorPart=conductor, isFirst=track is first, encoding="utf-8",
            )
            yield index, len(midi.tracks), None if part is conductor else part, score
    except _unreadable(music21) as exc:  # a bug (TypeError, AttributeError…) is not a broken file: it goes on up
        raise _unreadable_file(path, exc) from None


def read_score(path: str | Path) -> Any:
    """Parse a MIDI or MusicXML file with music21 (a MIDI file track by track, as :func:`open_music` reads it).

    Raises:
        DataFileError: the file is missing, of another kind, or not readable as music.
    """
    path = _checked(path)
    if _is_midi(path):
        score = None
        for _, _, _, score in _midi_tracks(path):
            pass
        return score
    music21 = import_music21()
    try:
        return music21.converter.parse(str(path), forceSource=True)
    except _unreadable(music21) as exc:  # a bug (TypeError, AttributeError…) is not a broken file: it goes on up
        raise _unreadable_file(path, exc) from None


def _unreadable(music21: Any) -> tuple[type[BaseException], ...]:
    """What music21 raises for a broken MIDI or MusicXML file (found by mutating real files: its own
    exceptions, and IndexError / struct.error from a truncated MIDI; XML, zip and decoding errors)."""
    return (music21.exceptions21.Music21Exception, IndexError, KeyError, ValueError, EOFError, SyntaxError,
            OSError, struct.error, zipfile.BadZipFile)


def parts_of(score: Any) -> list[Any]:
    """The tracks of a score (a lone part or stream is one track)."""
    music21 = import_music21()
    if isinstance(score, music21.stream.Score):
        parts = list(score.parts)
        return parts if parts else [score]
    return [score]


def _is_symbol(element: Any) -> bool:
    music21 = import_music21()
    return isinstance(element, music21.harmony.Harmony)


def _pitched(element: Any) -> list[int]:
    """MIDI pitches of a note or chord (none for rests, drums and chord symbols)."""
    music21 = import_music21()
    if _is_symbol(element) or isinstance(element, (music21.note.Unpitched, music21.percussion.PercussionChord)):
        return []
    if isinstance(element, (music21.note.Note, music21.chord.Chord)):
        return [int(round(p.ps)) for p in element.pitches if 0 <= p.ps <= 127]
    return []


def quantize(value: float) -> float:
    """A time in quarter notes snapped to the nearest 1/QUANTUM of a quarter."""
    return round(float(value) * QUANTUM) / QUANTUM


def part_events(part: Any) -> Events:
    """(start, duration, pitches) of every pitched note/chord of a part, on the score's clock.

    Tied notes (a note held across a bar line is written as two) are joined first.
    """
    flat = part.flatten().stripTies()
    out: Events = []
    for element in flat.notes:
        pitches = _pitched(element)
        if not pitches:
            continue
        start = quantize(element.offset)
        end = quantize(element.offset + element.quarterLength)
        if end <= start:  # grace notes have no length
            continue
        out.append((start, end - start, pitches))
    return out


def _describe(number: int, part: Any, events: Events) -> TrackInfo:
    """What a track holds (its notes: ``events``): its name, instrument, notes, range, polyphony,
    chord symbols, drums or not."""
    music21 = import_music21()
    flat = part.flatten()
    drum_hits = sum(
        1 for e in flat.notes if isinstance(e, (music21.note.Unpitched, music21.percussion.PercussionChord))
    )
    instrument = part.getInstrument(returnDefault=False)
    if instrument is None:  # music21 puts a MIDI track's instrument inside its measures or voices
        instrument = part.recurse().getElementsByClass(music21.instrument.Instrument).first()
    channel = getattr(instrument, "midiChannel", None) if instrument is not None else None
    inst_name = (getattr(instrument, "instrumentName", None) or "") if instrument is not None else ""
    program = getattr(instrument, "midiProgram", None) if instrument is not None else None
    if not inst_name.strip() and isinstance(program, int) and 0 <= program < 128:  # a MIDI file names programs
        try:
            inst_name = music21.instrument.instrumentFromMidiProgram(program).instrumentName or ""
        except music21.exceptions21.InstrumentException:
            inst_name = ""
        inst_name = inst_name or f"program {program + 1}"
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
    name = (getattr(part, "partName", None) or "").strip() or inst_name.strip() or f"Track {number}"  # a Score without parts has none
    symbols = sum(1 for e in flat.getElementsByClass(music21.harmony.ChordSymbol))
    return TrackInfo(
        number=number, name=name, instrument=inst_name.strip(), notes=len(pitches) + (drum_hits if is_drums else 0),
        low=min(pitches) if pitches and not is_drums else None, high=max(pitches) if pitches and not is_drums else None,
        polyphony=most, chord_share=(sum(1 for c in onsets.values() if c > 1) / len(onsets)) if onsets else 0.0,
        drums=bool(is_drums), chord_symbols=symbols,
    )


def pick_melody(tracks: Sequence[TrackInfo], events: Sequence[Events]) -> tuple[int | None, str]:
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
        if info.chord_share > 0.5:  # the only pitched track may be all chords: then its top notes are the tune
            why = f"the top notes of its chords (around {note_name(int(round(mean)))}; no single-note line " \
                  f"in the file, {info.chord_share:.0%} of its onsets are chords)"
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
    """Quarter notes per bar of the first time signature, and the tempo (120 unless the file says)."""
    music21 = import_music21()
    signature = score.recurse().getElementsByClass(music21.meter.TimeSignature).first()
    beats = int(round(float(signature.barDuration.quarterLength))) if signature is not None else 4
    mark = score.recurse().getElementsByClass(music21.tempo.MetronomeMark).first()
    bpm = mark.getQuarterBPM() if mark is not None else None
    tempo = float(bpm) if bpm and math.isfinite(bpm) and 20 <= bpm <= 400 else 120.0
    return max(1, beats), tempo


def open_music(
    path: str | Path, *, score: Any = None, title: str | None = None, on_progress: ReadCallback | None = None
) -> MusicFile:
    """Parse a MIDI or MusicXML file and describe its tracks (see :class:`MusicFile`).

    Args:
        path: The file (or, with ``score``, what to call it).
        score: A music21 score already parsed (then ``path`` is not read).
        title: What to call it (default: the file's title, or its name).
        on_progress: Called once per track, in order, as the file is read (a MIDI file's tracks
            as music21 translates them; MusicXML's parts as they are described).

    Raises:
        DataFileError: unreadable, empty or drum-only files (the message says what to do).
    """
    name = Path(str(path)).name
    tracks: list[TrackInfo] = []
    events: list[Events] = []

    def read(part: Any) -> str:
        events.append(part_events(part))
        tracks.append(_describe(len(tracks) + 1, part, events[-1]))
        return tracks[-1].name

    if score is None and _is_midi(Path(path)):
        for index, total, part, score in _midi_tracks(_checked(path)):
            label = read(part) if part is not None else ""
            if on_progress is not None:
                on_progress(ReadProgress(name, index + 1, total, label))
    else:
        score = read_score(path) if score is None else score
        parts = parts_of(score)
        for index, part in enumerate(parts):
            label = read(part)
            if on_progress is not None:
                on_progress(ReadProgress(name, index + 1, len(parts), label))
    if not tracks:  # a MIDI file none of whose tracks has notes: the score itself is the one track
        for part in parts_of(score):
            read(part)
    if not any(t.notes for t in tracks):
        raise DataFileError(f"{name} has no notes — pass a MIDI or MusicXML file with a melody in it.")
    if all(t.drums for t in tracks if t.notes):
        raise DataFileError(f"{name} has only drum tracks — pass a file with a melody (a pitched track).")
    melody, reason = pick_melody(tracks, events)
    beats, tempo = _meter(score)
    meta_title = getattr(getattr(score, "metadata", None), "title", None)
    return MusicFile(str(path), title or meta_title or name, tuple(tracks), melody, reason, beats, tempo, score,
                     tuple(events))


def track_events(music: MusicFile, number: int) -> Events:
    """The notes of track ``number`` (1-based) of a read file: as read, or read now from its part."""
    if len(music.events) == len(music.tracks):
        return music.events[number - 1]
    return part_events(parts_of(music.score)[number - 1])


def file_solo(path: str | Path, *, on_progress: ReadCallback | None = None) -> Solo:
    """Every pitched note of a MIDI or MusicXML file as a :class:`Solo`, to listen to it.

    The melody track (the heuristic's pick) plays with the melody voice, the other pitched
    tracks with the chord voice; drum tracks are left out.

    Args:
        path: The file.
        on_progress: Called once per track as it is read (see :func:`open_music`).

    Raises:
        DataFileError: the file cannot be read, or has no pitched notes.
    """
    music = open_music(path, on_progress=on_progress)
    notes: list[NoteEvent] = []
    for info in music.tracks:
        if info.drums:
            continue
        role = MELODY if info.number == music.melody else CHORD
        for start, duration, pitches in track_events(music, info.number):
            notes += [NoteEvent(start, duration, p, 90 if role == MELODY else 70, role) for p in pitches]
    start = min((n.start for n in notes), default=0.0)
    shifted = [NoteEvent(n.start - start, n.duration, n.pitch, n.velocity, n.part) for n in notes]
    return Solo.of(shifted, (), tempo=music.tempo, beats_per_bar=music.beats_per_bar)
