"""The music data: pieces survive their JSON cache, solos start at 0 with voiced chords, tracks describe themselves."""

from __future__ import annotations

import json

import pytest

from seqtui_models.core.errors import InvalidInput
from seqtui_models.jazz.chords import TimedChord, parse_chord
from seqtui_models.jazz.music import MusicFile, Piece, TrackInfo, make_solo, note_name
from seqtui_models.jazz.notes import NoteEvent


def a_piece() -> Piece:
    melody = tuple(NoteEvent(2 + i * 0.5, 0.5, 60 + i) for i in range(16))  # bars 1–3 of 3/4, after a rest
    chords = tuple(TimedChord(start, length, parse_chord(symbol)) for start, length, symbol in
                   ((0, 3, "Dm7"), (3, 3, "G7/B"), (6, 6, "C")))
    return Piece("étude", melody, chords, beats_per_bar=3, tempo=96.5, melody_track="track 1 (Sax)", chord_source="track 2")


def test_a_piece_survives_its_json_cache() -> None:
    piece = a_piece()
    again = Piece.from_dict(json.loads(json.dumps(piece.to_dict())))
    assert again == piece
    assert again.chords[1].chord.bass == 11  # the slash chord's bass comes back too
    assert piece.bars == 3  # 8 quarters from the first note to the last end, 3 per bar


def test_a_solo_starts_at_zero_with_voiced_chords() -> None:
    solo = a_piece().solo()
    assert solo.chords[0].start == 0.0 and solo.melody[0].start == 2.0  # the earliest event sets 0; the rest stays
    assert [c.symbol for c in solo.chords] == ["Dm7", "G7/B", "C"]
    assert solo.chords[0].pitches == parse_chord("Dm7").voicing()
    shifted = make_solo(a_piece().melody, a_piece().chords, 96.5, 3, shift=2.0)  # cut what starts before the shift
    assert shifted.melody[0].start == 0.0 and [c.symbol for c in shifted.chords] == ["G7/B", "C"]
    assert [c.start for c in shifted.chords] == [1.0, 4.0]
    assert shifted.tempo == 96.5 and shifted.beats_per_bar == 3


def test_tracks_describe_themselves() -> None:
    sax = TrackInfo(1, "Lead", "Alto Saxophone", 64, 60, 77, 1, 0.0, False, chord_symbols=12)
    kit = TrackInfo(2, "Kit", "Percussion", 32, None, None, 1, 0.0, True)
    assert sax.range_text == "C4–F5" and kit.range_text == "–"
    assert sax.describe() == "1. Lead (Alto Saxophone) — 64 notes, C4–F5, up to 1 at once, 12 chord symbols"
    assert kit.describe() == "2. Kit — drums, 32 hits"
    assert note_name(68) == "Ab4" and note_name(0) == "C-1"
    music = MusicFile("band.mid", "Band", (sax, kit), 1, "track 1", 4, 120.0)
    assert music.track(2) is kit and music.has_chord_symbols
    with pytest.raises(InvalidInput, match="from 1 to 2"):
        music.track(3)
