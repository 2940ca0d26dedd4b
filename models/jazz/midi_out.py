"""Music out: a solo as a music21 score and as a standard MIDI file (solo and chord tracks)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from seqtui_models.core.errors import InvalidInput
from seqtui_models.core.paths import atomic_write
from seqtui_models.jazz.music import import_music21
from seqtui_models.jazz.notes import Solo


SOLO_PROGRAM = 65
"""General MIDI program of the solo (0-based: 65 is the alto sax), on MIDI channel 1."""
CHORDS_PROGRAM = 4
"""General MIDI program of the chords (0-based: 4 is the electric piano), on MIDI channel 2."""


def _part(part_id: str, name: str, signature: str, program: int, channel: int) -> Any:
    """An empty music21 part named ``name`` in the time signature ``signature``, played by General
    MIDI ``program`` on its own MIDI ``channel`` (0-based), as a DAW expects one track per voice."""
    from music21 import instrument, meter, stream

    part = stream.Part(id=part_id)
    part.partName = name
    voice = instrument.instrumentFromMidiProgram(program)
    voice.partName = name
    voice.midiProgram = program
    voice.midiChannel = channel
    part.insert(0, voice)
    part.insert(0, meter.TimeSignature(signature))
    return part


def solo_stream(solo: Solo, title: str = "seqtui jazz solo") -> Any:
    """A music21 score of a solo: the melody part, and a chord part whose chords carry their symbols.

    Chord symbols are attached as lyrics of the chords, so they survive in MIDI files (as lyric
    events) and show in notation programs.
    """
    import_music21()  # a clear message if music21 is missing
    from music21 import chord as m21chord, metadata, note, stream, tempo as m21tempo

    score = stream.Score()
    score.metadata = metadata.Metadata(title=title)
    signature = f"{solo.beats_per_bar}/4"
    lead = _part("solo", "Solo", signature, SOLO_PROGRAM, 0)
    lead.insert(0, m21tempo.MetronomeMark(number=solo.tempo))
    for event in solo.melody:
        n = note.Note(event.pitch, quarterLength=event.duration)
        n.volume.velocity = event.velocity
        lead.insert(event.start, n)
    comp = _part("chords", "Chords", signature, CHORDS_PROGRAM, 1)
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

