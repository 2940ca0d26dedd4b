"""Helpers for the jazz tests: small music files made with music21 (nothing third-party is bundled), a toy model."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from seqtui_models.jazz import JazzModel, PieceValues
from seqtui_models.jazz.chords import parse_progression
from seqtui_models.jazz.model import CellWeights

PROGRESSION = ([62, 65, 69, 72], [55, 59, 62, 65], [60, 64, 67, 71], [57, 61, 64, 67])  # Dm7 G7 Cmaj7 A7
LINE = (74, 72, 69, 67, 65, 64, 62, 60, 62, 65, 67, 71, 72, 74, 76, 77, 79, 77, 76, 74)


def write_band(
    path: Path,
    *,
    bars: int = 12,
    line: Sequence[int] = LINE,
    bpm: int | None = None,
    lead_first: bool = True,
    comp: bool = True,
    drums: bool = True,
    drums_only: bool = False,
    progression: Sequence[Sequence[int]] = PROGRESSION,
) -> Path:
    """A MIDI file: a saxophone line in eighths, piano chords Dm7 G7 Cmaj7 A7, and a drum kit.

    Args:
        path: Where to write it.
        bars: How long (the progression repeats every four bars).
        line: The melody's pitches, cycled eight per bar.
        bpm: A tempo mark (none: MIDI's default, 120).
        lead_first: The saxophone is track 1 (else the piano is).
        comp: Include the piano chords.
        drums: Include the drum kit (channel 10).
        drums_only: Only the drum kit.
        progression: The piano's chords, one a bar, cycled (MIDI pitches).
    """
    from music21 import chord, instrument, meter, note, stream, tempo

    lead, keys, kit = stream.Part(), stream.Part(), stream.Part()
    lead.insert(0, instrument.AltoSaxophone())
    lead.append(meter.TimeSignature("4/4"))
    if bpm is not None:
        lead.append(tempo.MetronomeMark(number=bpm))
    keys.insert(0, instrument.Piano())
    kit_instrument = instrument.Percussion()
    kit_instrument.midiChannel = 9
    kit.insert(0, kit_instrument)
    for bar in range(bars):
        keys.append(chord.Chord(list(progression[bar % len(progression)]), quarterLength=4))
        for i in range(8):
            lead.append(note.Note(line[(bar * 8 + i) % len(line)], quarterLength=0.5))
        for _ in range(4):
            kit.append(note.Unpitched(displayName="C4", quarterLength=1))
    parts = [lead, keys] if lead_first else [keys, lead]
    if not comp:
        parts = [lead]
    if drums:
        parts.append(kit)
    if drums_only:
        parts = [kit]
    score = stream.Score()
    for part in parts:
        score.insert(0, part)
    score.write("midi", fp=str(path))
    return path


TRACKS_LINE = (74, 72, 69, 67, 65, 64, 62, 60, 62, 65, 67, 71, 72, 74, 76, 77)  # C4–F5


def write_test_band(path: Path, *, bars: int = 8, lead_first: bool = True, drums: bool = True, comp: bool = True) -> Path:
    """The band file at 132 bpm with a 16-note line (the music tests' figures are counted on it)."""
    return write_band(path, bars=bars, line=TRACKS_LINE, bpm=132, lead_first=lead_first, drums=drums, comp=comp)


def write_lead_sheet(path: Path, *, no_chord_bars: Sequence[int] = ()) -> Path:
    """A MusicXML lead sheet: a melody with chord symbols F, C7, F, Bb, one per bar (N.C. in the
    0-based ``no_chord_bars`` instead)."""
    from music21 import harmony, meter, note, stream

    part = stream.Part()
    part.partName = "Melody"
    symbols = ["F", "C7", "F", "B-"] * 3  # music21 spells B flat B-
    pitches = [65, 69, 72, 69, 67, 70, 72, 76, 65, 69, 72, 77, 70, 74, 77, 74]
    for bar, symbol in enumerate(symbols):
        measure = stream.Measure(number=bar + 1)
        if bar == 0:
            measure.append(meter.TimeSignature("4/4"))
        measure.insert(0, harmony.NoChord() if bar in no_chord_bars else harmony.ChordSymbol(symbol))
        for i in range(4):
            measure.append(note.Note(pitches[(bar * 4 + i) % len(pitches)], quarterLength=1))
        part.append(measure)
    score = stream.Score()
    score.insert(0, part)
    score.write("musicxml", fp=str(path))
    return path


VALUES = (
    "C,0.500", "C,0.250,<m3,m-3>", "C,0.500,<M3,M-2>", "S,0.250,<m2,P-4>", "S,0.500,<M2,M-3>",
    "A,0.250,<m2,P-4>", "R,0.500", "C,1.000,<P4,m-2>", "X,0.250,<m3,m-3>", "C,0.250,<M-3,m-7>",
)


def toy_model(seed: int = 0, n_a: int = 6) -> JazzModel:
    """A model with random weights (the sampler and decoder do not care how they were learned)."""
    rng = np.random.default_rng(seed)
    n = len(VALUES)
    weights = CellWeights(
        kernel=rng.normal(0, 0.8, (n, 4 * n_a)), recurrent=rng.normal(0, 0.5, (n_a, 4 * n_a)),
        bias=rng.normal(0, 0.1, 4 * n_a), dense_kernel=rng.normal(0, 1.5, (n_a, n)), dense_bias=rng.normal(0, 0.3, n),
    ).check()
    piece = PieceValues("toy", tuple(int(i) for i in rng.integers(0, n, 200)), tuple(parse_progression("F | C7 | F | Bb")), 4, 110.0)
    return JazzModel(VALUES, weights, pieces=(piece,), register=(55, 84), anchor=67)
