"""The jazz grammar, chord symbols and solo statistics: exact round trips, clear errors, music21 parity."""

from __future__ import annotations

import numpy as np
import pytest

from seqtui_models.core.errors import InvalidInput
from seqtui_models.jazz.chords import (
    Chord,
    TimedChord,
    chord_at,
    loop_progression,
    parse_chord,
    parse_progression,
    progression_text,
    recognise,
)
from seqtui_models.jazz.grammar import (
    Value,
    classify,
    decode,
    encode,
    interval_name,
    interval_semitones,
    monophonic,
    parse_value,
)
from seqtui_models.jazz.notes import NoteEvent
from seqtui_models.jazz.stats import longest_copied_run, solo_stats


def random_phrase(seed: int, length: float = 16.0) -> list[NoteEvent]:
    """A monophonic line with rests, triplets and leaps, on the grammar's grid."""
    rng = np.random.default_rng(seed)
    notes, t = [], 0.0
    while t < length:
        d = float(rng.choice([0.25, 0.5, 1 / 3, 1.0, 0.75, 2.0]))
        if rng.random() < 0.15:
            t += d  # a rest
            continue
        notes.append(NoteEvent(t, d, int(rng.integers(57, 82))))
        t += d
    return notes


# -- intervals ---------------------------------------------------------------------------------


def test_interval_names_match_music21() -> None:
    from music21 import interval

    for semitones in range(-30, 31):
        assert interval_name(semitones) == interval.Interval(semitones).directedName
        assert interval_semitones(interval_name(semitones)) == semitones
    for name in ("A4", "d5", "d-5", "A-4", "AA4", "dd5", "M-9", "A1", "d-4", "A2", "m-16", "d8", "A-13"):
        assert interval_semitones(name) == interval.Interval(name).semitones, name


@pytest.mark.parametrize("bad", ["", "X3", "M4", "P3", "m0", "P--4"])
def test_bad_interval_names_are_refused(bad: str) -> None:
    with pytest.raises(InvalidInput):
        interval_semitones(bad)


# -- values ------------------------------------------------------------------------------------


def test_values_read_and_write_in_the_course_format() -> None:
    value = parse_value("C,0.250,<m2,P-4>")
    assert value == Value("C", 0.25, 1, -5) and value.centre == -2  # the note was a whole tone down
    assert str(value) == "C,0.250,<m2,P-4>"
    assert str(parse_value("R,1.000")) == "R,1.000" and parse_value("R,1.000").is_rest
    assert str(parse_value("S,0.333")) == "S,0.333" and parse_value("S,0.333").duration == pytest.approx(1 / 3)
    # bounds written the other way round are sorted
    assert parse_value("A,0.500,<P-4,m2>") == Value("A", 0.5, 1, -5)


@pytest.mark.parametrize("bad", ["Q,0.250", "C,0", "C", "C,abc", "R,0.5,<m2,P-4>", "C,0.5,<m2>", "C,0.5,<x,y>"])
def test_malformed_values_get_a_clear_message(bad: str) -> None:
    with pytest.raises(InvalidInput, match="value|interval|rest|length"):
        parse_value(bad)


def test_classify_chord_scale_approach_other() -> None:
    dm7 = parse_chord("Dm7")  # D F A C, Dorian: D E F G A B C
    assert classify(62, dm7) == "C" and classify(77, dm7) == "C"  # D, F
    assert classify(64, dm7) == "S"  # E
    assert classify(61, dm7) == "A"  # C#: a semitone below D, not in Dorian
    g7 = parse_chord("G7")  # G B D F, Mixolydian G A B C D E F
    assert classify(68, g7) == "A"  # G#
    c = parse_chord("C")  # every pitch class but F#/Gb is a chord, scale or approach tone of C
    assert classify(66, c) == "A"  # F# sits a semitone under G
    dim = Chord(0, "7b9")  # C E G Bb Db; half-whole: C Db Eb E F# G A Bb — B is a semitone from C
    assert {classify(p, dim) for p in range(60, 72)} <= {"C", "S", "A", "X"}


def test_encode_then_decode_gives_the_same_notes_back() -> None:
    chords = parse_progression("Dm7 G7 | Cmaj7 | A7b9 | Dm7 G7")
    for seed in range(5):
        notes = random_phrase(seed)
        values = encode(notes, chords)
        assert all(isinstance(v, Value) for v in values)
        # exact where the grammar is: the first note is anchored on its own pitch, every other
        # note follows from its bounds' centre; onsets and durations tile time exactly
        back = decode([str(v) for v in values], chords, start=notes[0].start, anchor=notes[0].pitch, register=(40, 100))
        assert [n.pitch for n in back] == [n.pitch for n in notes]
        np.testing.assert_allclose([(n.start, n.duration) for n in back], [(n.start, n.duration) for n in notes])


def test_without_an_anchor_the_rhythm_and_the_kinds_come_back() -> None:
    chords = parse_progression("F | C7 | F | Bb")
    notes = random_phrase(11)
    values = encode(notes, chords)
    back = decode(values, chords, start=notes[0].start, register=(40, 100))
    np.testing.assert_allclose([(n.start, n.duration) for n in back], [(n.start, n.duration) for n in notes])
    kinds = [classify(n.pitch, chord_at(chords, n.start)) for n in back]
    assert kinds == [v.kind for v in values if not v.is_rest]


def test_encoding_splits_long_rests_and_makes_lines_monophonic() -> None:
    chords = parse_progression("C")
    notes = [NoteEvent(0, 1, 60), NoteEvent(0, 1, 67), NoteEvent(7, 1, 64)]  # a two-note chord, then a long rest
    assert [n.pitch for n in monophonic(notes)] == [67, 64]
    values = [str(v) for v in encode(notes, chords)]
    assert values == ["C,1.000", "R,4.000", "R,2.000", "C,1.000,<P1,d-5>"]


def test_decoding_over_new_chords_keeps_kinds_and_register() -> None:
    source = parse_progression("F | C7 | F | Bb")
    notes = random_phrase(3)
    values = encode(notes, source)
    target = parse_progression("Dm7 G7 Cmaj7 A7")
    back = decode(values, target, register=(60, 80), rng=np.random.default_rng(0))
    assert all(60 <= n.pitch <= 80 for n in back)
    kinds = [classify(n.pitch, chord_at(target, n.start)) for n in back]
    wanted = [v.kind for v in values if not v.is_rest]
    assert sum(k == w for k, w in zip(kinds, wanted)) / len(wanted) > 0.95


# -- chords ------------------------------------------------------------------------------------


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


# -- statistics --------------------------------------------------------------------------------


def test_longest_copied_run() -> None:
    training = [[1, 2, 3, 4, 5, 6], [9, 9, 7, 8]]
    assert longest_copied_run([0, 2, 3, 4, 0], training) == 3
    assert longest_copied_run([7, 8, 1, 2], training) == 2
    assert longest_copied_run([10, 11], training) == 0
    assert longest_copied_run([1, 2, 3, 4, 5, 6], training) == 6


def test_solo_stats_shares_and_range() -> None:
    chords = [TimedChord(0, 8, parse_chord("C7"))]
    notes = [NoteEvent(0, 1, 60), NoteEvent(1, 1, 64), NoteEvent(2, 1, 62), NoteEvent(3, 1, 63), NoteEvent(4, 1, 66)]
    stats = solo_stats([(notes, chords, 2.0)], longest_copy=3)
    # C E: chord tones; D: scale; Eb: a semitone from E (approach); F#: a semitone from G (approach)
    assert (stats.chord_tones, stats.scale_tones, stats.approach_tones, stats.other_tones) == (0.4, 0.2, 0.4, 0.0)
    assert (stats.low, stats.high, stats.span, stats.notes_per_bar) == (60, 66, 6, 2.5)
    assert stats.to_dict()["longest_copy"] == 3
