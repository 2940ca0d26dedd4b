"""Music in and out: tracks of MIDI/MusicXML files made here with music21, the melody pick, chords, MIDI export."""

from __future__ import annotations

from pathlib import Path

import pytest

from seqtui_models.core.errors import DataFileError, InvalidInput
from seqtui_models.jazz import music as jazz_music
from seqtui_models.jazz.music import extract, file_solo, load_piece, open_music, write_midi
from seqtui_models.jazz.notes import ChordEvent, NoteEvent, Solo
from music_files import write_band as _write_band

LINE = (74, 72, 69, 67, 65, 64, 62, 60, 62, 65, 67, 71, 72, 74, 76, 77)  # C4–F5


def write_band(path: Path, *, bars: int = 8, lead_first: bool = True, drums: bool = True, comp: bool = True) -> Path:
    """The band file at 132 bpm with a 16-note line (the figures below are counted on it)."""
    return _write_band(path, bars=bars, line=LINE, bpm=132, lead_first=lead_first, drums=drums, comp=comp)



def write_lead_sheet(path: Path) -> Path:
    """A MusicXML lead sheet: a melody with chord symbols F, C7, F, Bb, one per bar."""
    from music21 import harmony, meter, note, stream

    part = stream.Part()
    part.partName = "Melody"
    symbols = ["F", "C7", "F", "B-"] * 3  # music21 spells B flat B-
    pitches = [65, 69, 72, 69, 67, 70, 72, 76, 65, 69, 72, 77, 70, 74, 77, 74]
    for bar, symbol in enumerate(symbols):
        measure = stream.Measure(number=bar + 1)
        if bar == 0:
            measure.append(meter.TimeSignature("4/4"))
        measure.insert(0, harmony.ChordSymbol(symbol))
        for i in range(4):
            measure.append(note.Note(pitches[(bar * 4 + i) % len(pitches)], quarterLength=1))
        part.append(measure)
    score = stream.Score()
    score.insert(0, part)
    score.write("musicxml", fp=str(path))
    return path


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


def test_chords_come_from_the_accompaniment(tmp_path: Path) -> None:
    piece = extract(open_music(write_band(tmp_path / "band.mid")))
    assert [c.chord.symbol for c in piece.chords[:4]] == ["Dm7", "G7", "Cmaj7", "A7"]
    assert [c.start for c in piece.chords[:4]] == [0, 4, 8, 12]
    assert "accompaniment" in piece.chord_source and "track 1" in piece.melody_track
    assert len(piece.melody) == 64 and piece.bars == 8


def test_chords_from_a_chosen_track_or_from_the_melody(tmp_path: Path) -> None:
    music = open_music(write_band(tmp_path / "band.mid"))
    chosen = extract(music, melody=1, chords=2)
    assert "track 2" in chosen.chord_source and chosen.chords[0].chord.symbol == "Dm7"
    alone = extract(open_music(write_band(tmp_path / "solo.mid", drums=False, comp=False)))
    assert "melody itself" in alone.chord_source and alone.chords


def test_chord_symbols_of_a_lead_sheet(tmp_path: Path) -> None:
    music = open_music(write_lead_sheet(tmp_path / "lead.musicxml"))
    assert music.tracks[0].chord_symbols == 12 and "lead-sheet" in music.reason
    piece = extract(music)
    assert piece.chord_source == "the chord symbols in the file"
    assert [c.chord.symbol for c in piece.chords[:4]] == ["F", "C7", "F", "Bb"]
    assert len(piece.melody) == 48


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


def test_drum_only_and_too_short_files(tmp_path: Path) -> None:
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
    short = open_music(write_band(tmp_path / "short.mid", bars=2))
    with pytest.raises(DataFileError, match="only 16 melody notes"):
        extract(short)


def test_bad_track_choices(tmp_path: Path) -> None:
    music = open_music(write_band(tmp_path / "band.mid"))
    with pytest.raises(InvalidInput, match="from 1 to 3"):
        extract(music, melody=4)
    with pytest.raises(InvalidInput, match="drum track"):
        extract(music, melody=3)
    with pytest.raises(InvalidInput, match="drum track"):
        extract(music, melody=1, chords=3)


def test_pieces_are_parsed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_band(tmp_path / "band.mid")
    first = load_piece(path)

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(jazz_music, "open_music", no_parsing)
    assert load_piece(path) == first
    with pytest.raises(AssertionError):
        load_piece(path, chords=2)  # another choice of tracks is another piece


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


def test_a_file_as_a_solo_to_listen_to(tmp_path: Path) -> None:
    solo = file_solo(write_band(tmp_path / "band.mid"))
    assert len(solo.melody) == 64
    assert sum(1 for n in solo.notes if n.part == "chord") == 32  # the piano's notes; no drums
    assert solo.tempo == 132


def test_the_default_corpus() -> None:
    pieces = jazz_music.corpus_pieces()
    assert [p.name for p in pieces] == list(jazz_music.CORPUS_TITLES.values())
    maple, alexander = pieces
    assert "accompaniment" in maple.chord_source and maple.beats_per_bar == 2 and len(maple.melody) > 300
    assert alexander.chord_source == "the chord symbols in the file" and len(alexander.melody) > 100
    assert {c.chord.symbol for c in alexander.chords} >= {"F", "C7", "Bb"}
    assert jazz_music.corpus_pieces() == pieces  # now from the cache
