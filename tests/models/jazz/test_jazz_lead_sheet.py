"""A melody and its chords out of a file: from the accompaniment, a chosen track, chord symbols or the melody."""

from __future__ import annotations

from pathlib import Path

import pytest

from seqtui_models.core.errors import DataFileError, InvalidInput
from seqtui_models.jazz.lead_sheet import MIN_NOTES, extract
from seqtui_models.jazz.tracks import open_music
from music_files import write_lead_sheet
from music_files import write_band as write_any_band
from music_files import write_test_band as write_band


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


def test_a_melody_too_short_to_learn_from(tmp_path: Path) -> None:
    short = open_music(write_band(tmp_path / "short.mid", bars=2))
    assert MIN_NOTES > 16
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


def test_a_lead_sheets_no_chord_is_kept_and_its_melody_heard_over_the_chord_before(tmp_path: Path) -> None:
    from seqtui_models.jazz.grammar import encode

    piece = extract(open_music(write_lead_sheet(tmp_path / "break.musicxml", no_chord_bars=(2,))))
    assert [c.chord.symbol for c in piece.chords[:5]] == ["F", "C7", "N.C.", "Bb", "F"]
    assert piece.chords[2].chord.voicing() == ()  # the band stops
    # the bar of N.C. is learned as over C7, the chord before it (as when N.C. was left out): the same values
    without = [c for c in piece.chords if not c.chord.is_no_chord]
    assert encode(piece.melody, piece.chords) == encode(piece.melody, without)
    assert len(piece.melody) == 48


def arpeggios(bars: list[list[int]]) -> list[int]:
    """Eight eighths a bar: each bar's chord up and down."""
    return [p for bar in bars for p in (bar + bar[::-1])[:8]]


def test_chords_named_from_a_midi_file_are_spelt_in_its_key(tmp_path: Path) -> None:
    flat = write_any_band(
        tmp_path / "flat.mid", drums=False,
        line=arpeggios([[73, 77, 80, 85], [70, 73, 77, 82], [70, 73, 78, 82], [68, 72, 75, 78]]),
        progression=([49, 56, 61, 65], [46, 53, 58, 61], [46, 54, 58, 61], [44, 54, 60, 63]))
    assert [c.chord.symbol for c in extract(open_music(flat)).chords[:4]] == ["Db", "Bbm", "Gb/Bb", "Ab7"]  # D♭ major
    sharp = write_any_band(
        tmp_path / "sharp.mid", drums=False,
        line=arpeggios([[71, 75, 78, 83], [68, 71, 75, 80], [70, 73, 78, 82], [71, 75, 78, 83]]),
        progression=([47, 54, 59, 63], [44, 56, 59, 63], [46, 54, 58, 61], [47, 54, 59, 63]))
    assert [c.chord.symbol for c in extract(open_music(sharp)).chords[:4]] == ["B", "G#m", "F#/A#", "B"]  # B major
