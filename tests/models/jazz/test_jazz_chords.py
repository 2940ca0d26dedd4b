"""Chord symbols: music21 parity, spellings, progressions with and without bar lines, recognition."""

from __future__ import annotations

import numpy as np
import pytest

from seqtui_models.core.errors import InvalidInput
from seqtui_models.jazz.chords import Chord, loop_progression, parse_chord, parse_progression, progression_text, recognise


@pytest.mark.parametrize("figure", ["C", "Cm", "C7", "Cmaj7", "Cm7", "Cm7b5", "Cdim", "Cdim7", "Caug", "Csus4",
                                    "Csus2", "C7sus4", "C6", "Cm6", "C9", "Cm9", "C7b9", "C7#9", "C11",
                                    "F#m7", "C/G"])
def test_chord_tones_match_music21(figure: str) -> None:
    from music21 import harmony

    ours = parse_chord(figure)
    theirs = {p.pitchClass for p in harmony.ChordSymbol(figure).pitches}
    assert ours.pcs == theirs


def test_thirteenth_chords_leave_out_the_eleventh() -> None:
    # music21 stacks every third up to the 13th; a jazz C13 omits the 11th (it clashes with E)
    assert parse_chord("C13").pcs == {0, 4, 7, 10, 2, 9}


def test_chord_spellings_and_symbols() -> None:
    assert parse_chord("Bb7").symbol == "Bb7" and parse_chord("A#7").root == 10
    assert parse_chord("D-7") == parse_chord("Dm7") == parse_chord("Dmin7")
    assert parse_chord("CΔ7").kind == "maj7" and parse_chord("Eø").kind == "m7b5"
    assert parse_chord("C/E") == Chord(0, "", 4)
    assert parse_chord(Chord(3, "m7", 10).symbol) == Chord(3, "m7", 10)  # symbols read back


def test_lead_sheet_extensions_are_chords_not_slash_chords() -> None:
    assert parse_chord("C6/9") == parse_chord("C69") and parse_chord("C6/9").pcs == {0, 2, 4, 7, 9}
    assert parse_chord("C6/9").bass is None and parse_chord("C6/9/E").bass == 4  # a 6/9 over E
    assert parse_chord("Cmaj7#11").pcs == {0, 4, 6, 7, 11} and parse_chord("CΔ#11").kind == "maj7#11"
    assert parse_chord("G7alt").pcs == {7, 11, 5, 8, 10, 3} and parse_chord("Galt").kind == "7alt"
    assert parse_chord("C7b9b13").pcs == {0, 4, 7, 10, 1, 8}
    assert 6 in parse_chord("Cmaj7#11").scale_pcs and 5 not in parse_chord("Cmaj7#11").scale_pcs  # Lydian
    for symbol in ("C6/9", "C6/9/E", "Cmaj7#11", "G7alt", "C7b9b13"):
        assert parse_chord(parse_chord(symbol).symbol) == parse_chord(symbol)  # symbols read back


@pytest.mark.parametrize("bad,hint", [("H7", "root A–G"), ("Cxyz", "Unknown chord"), ("C/Q", "bass")])
def test_bad_chord_symbols_name_the_culprit(bad: str, hint: str) -> None:
    with pytest.raises(InvalidInput, match=hint):
        parse_progression(f"Dm7 {bad} Cmaj7")


def test_progressions_one_chord_per_bar_or_with_bar_lines() -> None:
    bars = parse_progression("Dm7 G7 Cmaj7 A7")
    assert [(c.start, c.duration, c.chord.symbol) for c in bars] == [
        (0, 4, "Dm7"), (4, 4, "G7"), (8, 4, "Cmaj7"), (12, 4, "A7")]
    split = parse_progression("Dm7 G7 | Cmaj7")
    assert [(c.start, c.duration) for c in split] == [(0, 2), (2, 2), (4, 4)]
    assert progression_text(split) == "Dm7 G7 | Cmaj7"
    looped = loop_progression(split, 14)
    assert [c.chord.symbol for c in looped] == ["Dm7", "G7", "Cmaj7", "Dm7", "G7", "Cmaj7"]
    assert looped[-1].end == 14
    assert progression_text(looped, 4, bars=5) == "Dm7 G7 | Cmaj7 | Dm7 G7 | Cmaj7 | %"
    with pytest.raises(InvalidInput, match="empty"):
        parse_progression("   ")
    with pytest.raises(InvalidInput, match="beats"):
        parse_progression("C D E F G | C", 4)


@pytest.mark.parametrize("symbol", ["C", "Am", "G7", "Fmaj7", "Dm7", "Bm7b5", "C#dim7", "Ebaug", "Gsus4"])
def test_chords_are_recognised_from_their_own_notes(symbol: str) -> None:
    chord = parse_chord(symbol)
    weights = [1.0 if pc in chord.pcs else 0.0 for pc in range(12)]
    found = recognise(weights, bass=chord.root)
    assert found is not None and found.pcs == chord.pcs  # dim7 and aug are symmetric: any root will do
    if symbol not in ("C#dim7", "Ebaug"):
        assert found == chord


def test_recognition_ignores_a_passing_note() -> None:
    weights = np.zeros(12)
    weights[[8, 0, 3]] = 1.0  # Ab C Eb
    weights[5] = 0.05  # a passing F in the melody
    assert recognise(weights, bass=8) == Chord(8, "")
    assert recognise(np.zeros(12)) is None


def test_a_percent_sign_continues_the_chord_before_and_round_trips() -> None:
    chords = parse_progression("Ab | Eb7 | % | Abm C7 | %")
    assert [(c.start, c.duration, c.chord.symbol) for c in chords] == [
        (0, 4, "Ab"), (4, 8, "Eb7"), (12, 2, "Abm"), (14, 6, "C7")]
    assert progression_text(chords, bars=5) == "Ab | Eb7 | % | Abm C7 | %"
    assert parse_progression(progression_text(chords, bars=5)) == chords
    assert [c.duration for c in parse_progression("C % | F")] == [4, 4]  # half a bar more
    with pytest.raises(InvalidInput, match="repeats the chord before"):
        parse_progression("% | C7")


# -- N.C. (no chord) -----------------------------------------------------------------------


def test_no_chord_is_a_symbol_the_solo_plays_through() -> None:
    from seqtui_models.jazz.chords import NO_CHORD, chord_at

    for text in ("N.C.", "NC", "n.c.", "N.C"):
        assert parse_chord(text) == NO_CHORD and parse_chord(text).symbol == "N.C."
    assert NO_CHORD.pcs == frozenset() and NO_CHORD.voicing() == ()  # the band stops
    chords = parse_progression("C7 | N.C. | F7")
    assert [(c.start, c.duration, c.chord.symbol) for c in chords] == [(0, 4, "C7"), (4, 4, "N.C."), (8, 4, "F7")]
    assert progression_text(chords) == "C7 | N.C. | F7"
    assert parse_progression(progression_text(chords)) == chords
    assert [c.duration for c in parse_progression("C7 | N.C. | %")] == [4, 8]
    # the solo plays on over the harmony before the break; a progression that opens with N.C. leads into its first chord
    assert chord_at(chords, 5.0) == parse_chord("C7") and chord_at(chords, 9.0) == parse_chord("F7")
    assert chord_at(parse_progression("N.C. | F7"), 1.0) == parse_chord("F7")
    with pytest.raises(InvalidInput, match="N.C. alone"):
        parse_progression("N.C. | NC")


# -- spelling ------------------------------------------------------------------------------


def test_a_chord_symbol_spells_its_bass_from_its_root_and_keeps_the_root_as_written() -> None:
    assert Chord(1, "sus4", 6).symbol == "Dbsus4/Gb"  # was Dbsus4/F#: a flat root, a sharp bass
    assert parse_chord("C#sus4/Gb").symbol == "C#sus4/F#" and parse_chord("C#sus4/Gb") == Chord(1, "sus4", 6)
    assert Chord(4, "maj7", 3).symbol == "Emaj7/D#"
    assert Chord(0, "", 6).symbol == "C/F#" and Chord(0, "", 8).symbol == "C/Ab"
    assert parse_chord("A#7").symbol == "A#7" and parse_chord("bb7").symbol == "Bb7"
    # a chord named from notes is spelt in the music's key: its roots on the scale as the key spells them
    assert Chord(1, "sus4", 6).spelt(2).symbol == "C#sus4/F#" and Chord(1, "sus4", 6).spelt(-4).symbol == "Dbsus4/Gb"
    assert Chord(8, "").spelt(4).symbol == "G#" and Chord(8, "").spelt(-4).symbol == "Ab"
    assert Chord(10, "7").spelt(1).symbol == "Bb7"  # off G major's scale: the lead-sheet name, not A#7


def test_a_chord_tone_is_spelt_as_its_chord_spells_it_and_other_notes_by_key() -> None:
    from seqtui_models.jazz.chords import melody_names
    from seqtui_models.jazz.notes import ChordEvent, NoteEvent, Solo

    assert parse_chord("A7").tone_name(1) == "C#" and parse_chord("Abm").tone_name(11) == "Cb"
    assert parse_chord("C7#9").tone_name(3) == "D#" and parse_chord("Cdim7").tone_name(9) is None  # B𝄫: by key
    chords = [ChordEvent(0, 4, "Ab", (56, 60, 63)), ChordEvent(4, 4, "A7", (57, 61, 64, 67)), ChordEvent(8, 4, "N.C."),
              ChordEvent(12, 4, "Abm", (56, 59, 63)), ChordEvent(16, 4, "Eb7", (51, 55, 58, 61))]
    notes = [NoteEvent(0, 1, 68), NoteEvent(1, 1, 72), NoteEvent(4, 1, 85), NoteEvent(5, 1, 70), NoteEvent(8, 1, 73),
             NoteEvent(12, 1, 71), NoteEvent(16, 1, 73), NoteEvent(17, 1, 66)]
    solo = Solo.of(notes, chords)
    assert solo.sharps < 0  # an A flat tune
    assert melody_names(solo) == ("Ab4", "C5", "C#6", "Bb4", "C#5", "Cb5", "Db5", "Gb4")
