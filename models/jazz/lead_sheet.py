"""A melody over chords out of a parsed file: the :class:`~seqtui_models.jazz.music.Piece` a run learns from.

:func:`extract` takes the melody track's top line and finds its chords, in this order of
preference: from the chord track you chose, from chord symbols written in the file, from every
other pitched track (the accompaniment), or — when the melody is alone — from the melody itself.
Chords are named from the notes that sound in each half bar (:func:`seqtui_models.jazz.chords.recognise`),
each note weighing its duration inside the window, and spelt in the music's key (a MIDI file
spells nothing: ``Gb/Bb`` in D♭ major, ``F#/A#`` in B major). Chord symbols written in a file keep
its spelling; its N.C. marks are kept (the band stops there; the melody is heard over the chord before).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from seqtui_models.core.errors import DataFileError, InvalidInput
from seqtui_models.jazz.chords import KINDS, NO_CHORD, Chord, TimedChord, recognise
from seqtui_models.jazz.grammar import monophonic
from seqtui_models.jazz.music import MusicFile, Piece, import_music21
from seqtui_models.jazz.notes import NoteEvent, key_signature
from seqtui_models.jazz.tracks import parts_of, quantize, track_events

#: A melody shorter than this cannot fill even one training window (about 8 bars of 8ths).
MIN_NOTES = 32
_KIND_BY_MUSIC21 = {kind.music21: kind.suffix for kind in KINDS}


def _symbol_chords(part: Any) -> list[tuple[float, Chord]]:
    """Chord symbols written in a part, as (onset, chord) on the score's clock; N.C. included."""
    music21 = import_music21()
    out: list[tuple[float, Chord]] = []
    for symbol in part.flatten().getElementsByClass(music21.harmony.ChordSymbol):
        if isinstance(symbol, music21.harmony.NoChord):
            out.append((quantize(symbol.offset), NO_CHORD))
            continue
        try:
            root = symbol.root().pitchClass
            written = symbol.root().name.replace("-", "b")  # music21 writes B flat "B-"
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
        if chord.root == root and written.count("#") + written.count("b") <= 1:
            chord = Chord(chord.root, chord.kind, chord.bass, written)  # the file's spelling
        out.append((quantize(symbol.offset), chord))
    if all(chord.is_no_chord for _, chord in out):
        return []  # nothing but N.C.: no harmony to learn the melody over
    return out


def _windows(score: Any, beats_per_bar: int, end: float) -> list[float]:
    """Window starts for naming chords: every half bar in 4/4 and longer, every bar otherwise."""
    music21 = import_music21()
    step = beats_per_bar / 2 if beats_per_bar >= 4 else float(beats_per_bar)
    first = parts_of(score)[0]
    measures = list(first.getElementsByClass(music21.stream.Measure))
    starts: list[float] = []
    if measures:
        offsets = [float(m.offset) for m in measures] + [max(end, float(first.highestTime))]
        for a, b in zip(offsets, offsets[1:]):
            t = a
            while t < b - 1e-9:
                starts.append(quantize(t))
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


def _in_key(
    onsets: list[tuple[float, Chord]], *tracks: Sequence[tuple[float, float, list[int]]]
) -> list[tuple[float, Chord]]:
    """Chords named from notes, their roots spelt in the key signature of those notes (each weighing
    its duration; see :func:`seqtui_models.jazz.notes.key_signature`)."""
    sharps = key_signature([(p, d) for events in tracks for _, d, ps in events for p in ps])
    return [(start, chord.spelt(sharps)) for start, chord in onsets]


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
    parts = parts_of(music.score)
    events = track_events(music, number)
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
            chord_events = track_events(music, chords)
            onsets = _in_key(_chordify(chord_events, _windows(music.score, music.beats_per_bar, end), end),
                             chord_events, events)
    if not onsets and chords is None and music.has_chord_symbols:
        for part in parts:
            onsets += _symbol_chords(part)
        source = "the chord symbols in the file"
    if not onsets and chords is None:
        others = [i for i, t in enumerate(music.tracks) if i != number - 1 and not t.drums and t.notes]
        if others:
            accompaniment = [e for i in others for e in track_events(music, i + 1)]
            onsets = _in_key(_chordify(accompaniment, _windows(music.score, music.beats_per_bar, end), end, events),
                             accompaniment, events)
            names = ", ".join(str(i + 1) for i in others)
            source = f"the accompaniment (track{'s' if len(others) > 1 else ''} {names}), half bar by half bar"
        else:
            onsets = _in_key(_chordify(events, _windows(music.score, music.beats_per_bar, end), end), events)
            source = "the melody itself (no other track, no chord symbols)"
    if not onsets:
        raise DataFileError(f"{file_name}: no chords could be found — pick a chord track with notes in it.")
    return Piece(
        name=name or music.title, melody=tuple(notes), chords=_timed(onsets, end),
        beats_per_bar=music.beats_per_bar, tempo=music.tempo,
        melody_track=f"track {number} ({info.name})", chord_source=source,
    )

