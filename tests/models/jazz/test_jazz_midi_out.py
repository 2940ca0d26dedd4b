"""A solo written as a MIDI file reads back with its notes, chords and chord symbols."""

from __future__ import annotations

from pathlib import Path

import pytest

from seqtui_models.core.errors import InvalidInput
from seqtui_models.jazz.midi_out import write_midi
from seqtui_models.jazz.notes import ChordEvent, NoteEvent, Solo


def test_midi_export_reads_back(tmp_path: Path) -> None:
    from music21 import converter

    solo = Solo.of(
        [NoteEvent(0, 1, 62), NoteEvent(1, 0.5, 65), NoteEvent(1.5, 0.5, 69), NoteEvent(2, 2, 67)],
        [ChordEvent(0, 2, "Dm7", (50, 53, 57, 60)), ChordEvent(2, 2, "G7", (43, 47, 50, 53))],
        tempo=100,
    )
    path = write_midi(solo, tmp_path / "solo.mid")
    score = converter.parse(str(path))
    lead, comp = score.parts
    assert [n.pitch.midi for n in lead.flatten().notes] == [62, 65, 69, 67]
    assert [n.offset for n in lead.flatten().notes] == [0, 1, 1.5, 2]
    assert [sorted(p.midi for p in c.pitches) for c in comp.flatten().notes] == [[50, 53, 57, 60], [43, 47, 50, 53]]
    assert [c.lyric for c in comp.flatten().notes] == ["Dm7", "G7"]  # the chord symbols travel as lyrics
    with pytest.raises(InvalidInput, match=".mid"):
        write_midi(solo, tmp_path / "solo.wav")
    with pytest.raises(InvalidInput, match="empty"):
        write_midi(Solo(), tmp_path / "empty.mid")


def test_solo_and_chords_play_on_their_own_channels_and_programs(tmp_path: Path) -> None:
    from music21 import midi

    from seqtui_models.jazz.midi_out import CHORDS_PROGRAM, SOLO_PROGRAM

    solo = Solo.of([NoteEvent(0, 1, 62), NoteEvent(1, 1, 65)], [ChordEvent(0, 2, "Dm7", (50, 53, 57, 60))], tempo=100)
    path = write_midi(solo, tmp_path / "solo.mid")
    found = midi.MidiFile()
    found.open(str(path))
    found.read()
    found.close()
    heard = []  # (channel, program) of every track with notes, in track order
    for track in found.tracks:
        notes = [e for e in track.events if e.type == midi.ChannelVoiceMessages.NOTE_ON and e.velocity]
        if notes:
            programs = [e.data for e in track.events if e.type == midi.ChannelVoiceMessages.PROGRAM_CHANGE]
            heard.append(({e.channel for e in notes}, set(programs)))
    assert heard == [({1}, {SOLO_PROGRAM}), ({2}, {CHORDS_PROGRAM})]  # MIDI channels 1 and 2
