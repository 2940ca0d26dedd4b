"""Reading music files: tracks, the melody pick, a file to listen to, and files that cannot be read."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seqtui_models.core.errors import DataFileError
from seqtui_models.jazz.tracks import file_solo, open_music
from music_files import write_lead_sheet
from music_files import write_test_band as write_band


def test_tracks_are_listed_and_the_melody_is_picked(tmp_path: Path) -> None:
    music = open_music(write_band(tmp_path / "band.mid"))
    assert len(music.tracks) == 3
    lead, keys, kit = music.tracks
    assert lead.notes == 64 and lead.polyphony == 1 and (lead.low, lead.high) == (60, 77)
    assert keys.notes == 32 and keys.polyphony == 4 and keys.chord_share == 1.0
    assert kit.drums and not lead.drums and not keys.drums
    assert music.melody == 1 and "single-note" in music.reason
    assert music.beats_per_bar == 4 and music.tempo == 132
    assert "64 notes" in lead.describe() and "drums" in kit.describe()
    assert lead.to_dict()["range"] == "C4–F5"


def test_the_melody_pick_does_not_depend_on_the_order(tmp_path: Path) -> None:
    music = open_music(write_band(tmp_path / "band.mid", lead_first=False))
    assert music.melody == 2 and not music.tracks[1].chord_share


def test_bad_files_get_clear_messages(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="No such file"):
        open_music(tmp_path / "missing.mid")
    text = tmp_path / "notes.txt"
    text.write_text("C D E")
    with pytest.raises(DataFileError, match="not a MIDI or MusicXML"):
        open_music(text)
    empty = tmp_path / "empty.mid"
    empty.write_bytes(b"")
    with pytest.raises(DataFileError, match="empty"):
        open_music(empty)
    broken = tmp_path / "broken.mid"
    broken.write_bytes(b"MThd\x00\x00\x00\x06garbage" + bytes(range(40)))
    with pytest.raises(DataFileError, match="not a readable MIDI file"):
        open_music(broken)


def test_drum_only_files(tmp_path: Path) -> None:
    from music21 import instrument, note, stream

    kit = stream.Part()
    drums = instrument.Percussion()
    drums.midiChannel = 9
    kit.insert(0, drums)
    for _ in range(16):
        kit.append(note.Unpitched(displayName="C4", quarterLength=1))
    score = stream.Score()
    score.insert(0, kit)
    path = tmp_path / "drums.mid"
    score.write("midi", fp=str(path))
    with pytest.raises(DataFileError, match="only drum tracks"):
        open_music(path)


def test_a_file_as_a_solo_to_listen_to(tmp_path: Path) -> None:
    solo = file_solo(write_band(tmp_path / "band.mid"))
    assert len(solo.melody) == 64
    assert sum(1 for n in solo.notes if n.part == "chord") == 32  # the piano's notes; no drums
    assert solo.tempo == 132


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(1, 10_000), flips=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=12))
def test_a_damaged_midi_file_is_not_readable_or_readable_never_a_crash(tmp_path_factory: pytest.TempPathFactory,
                                                                        cut: int, flips: list[tuple[int, int]]) -> None:
    """Truncated and byte-flipped copies of a real MIDI file: a score or one DataFileError, never another
    exception (the reader catches what music21 raises for broken files, not every exception)."""
    folder = tmp_path_factory.mktemp("damaged")
    data = bytearray(write_band(folder / "band.mid").read_bytes())
    data = data[: max(1, cut % len(data))] if cut < len(data) else data
    for where, value in flips:
        data[where % len(data)] = value
    damaged = folder / "damaged.mid"
    damaged.write_bytes(bytes(data))
    try:
        open_music(damaged)
    except DataFileError as exc:
        assert "damaged.mid" in str(exc)


def test_a_file_whose_score_has_no_tracks_says_it_has_no_notes(tmp_path: Path) -> None:
    from music21 import stream

    path = tmp_path / "no-tracks.mid"
    stream.Score([stream.Part()]).write("midi", fp=str(path))
    with pytest.raises(DataFileError, match="no-tracks.mid has no notes"):
        open_music(path)  # was an AttributeError traceback


def test_a_chords_only_file_is_not_called_a_single_note_line(tmp_path: Path) -> None:
    from music21 import chord, stream

    part = stream.Part()
    for i in range(12):
        part.append(chord.Chord([60 + i % 3, 64 + i % 3, 67 + i % 3], quarterLength=1.0))
    path = tmp_path / "chords.mid"
    stream.Score([part]).write("midi", fp=str(path))
    music = open_music(path)
    assert music.melody == 1
    assert "single-note line (" not in music.reason and "top notes of its chords" in music.reason
    assert "100% of its onsets are chords" in music.reason


def test_the_instrument_of_a_midi_track_is_named(tmp_path: Path) -> None:
    from music21 import instrument, note, stream

    lead = stream.Part()
    lead.insert(0, instrument.Trumpet())
    unnamed = stream.Part()
    program_only = instrument.Instrument()
    program_only.midiProgram = 32  # acoustic bass
    unnamed.insert(0, program_only)
    for part, base in ((lead, 60), (unnamed, 36)):
        for i in range(10):
            part.append(note.Note(base + i, quarterLength=1))
    path = tmp_path / "band.mid"
    stream.Score([lead, unnamed]).write("midi", fp=str(path))
    first, second = open_music(path).tracks
    assert first.instrument == "Trumpet"  # was always "–": music21 keeps it inside the track's measures
    assert second.instrument  # named from its MIDI program


def test_a_midi_file_is_read_track_by_track_and_says_so_as_it_goes(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A 19-track file takes music21 many seconds: each track is reported as it is read, once and in
    order, and the file reads exactly as music21 reads it whole."""
    import music21

    path = write_band(tmp_path / "band.mid")
    midi = music21.midi.MidiFile()
    midi.readstr(path.read_bytes())
    total = len(midi.tracks)  # the conductor track and three parts
    events: list[str] = []
    translate = music21.midi.translate.midiTrackToStream

    def translating(*args: object, **kwargs: object) -> object:
        events.append("translate")
        return translate(*args, **kwargs)

    monkeypatch.setattr(music21.midi.translate, "midiTrackToStream", translating)
    seen: list[object] = []
    music = open_music(path, on_progress=lambda progress: (events.append("progress"), seen.append(progress)))
    assert events == ["translate", "progress"] * total  # as it goes, not all at the end
    assert [(p.track, p.tracks, p.file) for p in seen] == [(i, total, "band.mid") for i in range(1, total + 1)]
    assert seen[-1].fraction == 1.0 and "track 4 of 4" in seen[-1].describe()
    whole = open_music(path, score=music21.converter.parseData(path.read_bytes(), format="midi"))
    assert (music.tracks, music.melody, music.beats_per_bar, music.tempo) == (whole.tracks, whole.melody, 4, 132.0)
    assert music.events == whole.events and whole.tracks[0].notes == 64

    lead = write_lead_sheet(tmp_path / "lead.musicxml")  # MusicXML is parsed whole, then described part by part
    seen.clear()
    open_music(lead, on_progress=seen.append)
    assert [(p.track, p.tracks) for p in seen] == [(1, 1)]
    seen.clear()
    assert len(file_solo(path, on_progress=seen.append).melody) == 64 and len(seen) == total
