"""The jazz grammar: intervals, values, classification, exact encode/decode round trips, clear errors."""

from __future__ import annotations

import numpy as np
import pytest

from seqtui_models.core.errors import InvalidInput
from seqtui_models.jazz.chords import Chord, chord_at, parse_chord, parse_progression
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


def test_a_long_silence_is_cut_to_max_rest_and_nothing_else_changes() -> None:
    chords = parse_progression("C | F | G7 | C")
    notes = [NoteEvent(0, 1, 64), NoteEvent(1, 1, 67), NoteEvent(42, 1, 72), NoteEvent(43, 1, 71)]  # 40 quarters of silence
    whole = encode(notes, chords)
    cut = encode(notes, chords, max_rest=8)
    rests = lambda values: sum(v.duration for v in values if v.is_rest)  # noqa: E731
    assert rests(whole) == pytest.approx(40) and rests(cut) == pytest.approx(8)
    assert [str(v) for v in whole if not v.is_rest] == [str(v) for v in cut if not v.is_rest]  # same notes, same kinds
    short = [NoteEvent(0, 1, 64), NoteEvent(3, 1, 67)]
    assert encode(short, chords, max_rest=8) == encode(short, chords)  # a rest within the limit stays


def test_training_values_cut_silences_of_more_than_two_bars() -> None:
    from seqtui_models.jazz.music import Piece
    from seqtui_models.jazz.training import values_of

    piece = Piece("waits", (NoteEvent(0, 1, 64), NoteEvent(81 * 4, 1, 67)), tuple(parse_progression("C")), 4, 120.0)
    values = values_of([piece])[0]
    assert sum(parse_value(v).duration for v in values if v.startswith("R")) == pytest.approx(8)


def test_a_scale_tone_over_an_extended_chord_does_not_collapse_onto_its_avoid_note() -> None:
    from seqtui_models.jazz.grammar import pick_pitch

    c13, c7 = parse_chord("C13"), parse_chord("C7")
    assert c13.scale_pcs - c13.pcs == {5}  # of C Mixolydian only F is not a tone of C13: every S was an F
    assert c13.scale_tone_choices == {2, 9}  # D and A, its 9th and 13th
    assert parse_chord("Cmaj9").scale_tone_choices == {2, 9}
    assert c7.scale_tone_choices == {2, 5, 9} and parse_chord("Dm7").scale_tone_choices == {4, 7, 11}  # unchanged
    picks = {pick_pitch("S", c13, target, (target - 3, target + 3), (55, 84)) % 12 for target in range(58, 82)}
    assert picks == {2, 9}
    assert classify(65, c13) == "S"  # reading music is unchanged: the training values and the bundled model stay valid
