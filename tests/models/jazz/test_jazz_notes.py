"""The solo data model: validation, timing and helpers."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest

from seqtui_models.core.errors import InvalidInput
from seqtui_models.jazz.notes import ChordEvent, NoteEvent, Solo, pitch_frequency, pitch_name


def two_bar_solo(tempo: float = 120.0) -> Solo:
    return Solo(
        notes=(NoteEvent(0.0, 1.0, 62), NoteEvent(1.0, 0.5, 65), NoteEvent(6.5, 1.0, 69, velocity=100)),
        chords=(ChordEvent(0.0, 4.0, "Dm7", (50, 53, 57, 60)), ChordEvent(4.0, 3.0, "G7", (55, 59, 62, 65))),
        tempo=tempo,
    )


def test_timing_follows_the_tempo() -> None:
    solo = two_bar_solo(tempo=90.0)
    assert solo.length == 7.5  # the last note ends at 6.5 + 1.0
    assert solo.quarter_seconds == pytest.approx(60 / 90)
    assert solo.seconds == pytest.approx(7.5 * 60 / 90)
    assert solo.bars == 2
    assert solo.seconds_at(3.0) == pytest.approx(2.0)
    assert solo.offset_at(solo.seconds_at(5.25)) == pytest.approx(5.25)


def test_length_counts_chords_that_outlast_the_melody() -> None:
    solo = Solo(notes=(NoteEvent(0, 1, 60),), chords=(ChordEvent(0, 8, "C", (48,)),), beats_per_bar=3)
    assert solo.length == 8.0 and solo.bars == 3  # 8 quarters in 3/4 touch three bars


def test_an_exact_number_of_bars_does_not_round_up() -> None:
    assert Solo(notes=(NoteEvent(4.0, 4.0, 60),)).bars == 2


def test_an_empty_solo_has_no_length() -> None:
    solo = Solo()
    assert solo.is_empty and solo.length == 0 and solo.seconds == 0 and solo.bars == 0
    assert solo.pitch_range() is None


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda: NoteEvent(-0.5, 1, 60), "start"),
        (lambda: NoteEvent(0, 0, 60), "duration"),
        (lambda: NoteEvent(0, -1, 60), "duration"),
        (lambda: NoteEvent(math.nan, 1, 60), "start"),
        (lambda: NoteEvent(0, math.inf, 60), "duration"),
        (lambda: NoteEvent(0, 1, 128), "pitch"),
        (lambda: NoteEvent(0, 1, -1), "pitch"),
        (lambda: NoteEvent(0, 1, 60.5), "pitch"),  # type: ignore[arg-type]
        (lambda: NoteEvent(0, 1, 60, velocity=200), "velocity"),
        (lambda: NoteEvent(0, 1, 60, part=""), "part"),
        (lambda: ChordEvent(0, 1, "C", (60, 130)), "pitch"),
        (lambda: ChordEvent(-1, 1, "C", (60,)), "start"),
        (lambda: Solo(tempo=0), "Tempo"),
        (lambda: Solo(tempo=-120), "Tempo"),
        (lambda: Solo(tempo=math.nan), "Tempo"),
        (lambda: Solo(beats_per_bar=0), "Beats per bar"),
        (lambda: Solo(notes=("C4",)), "NoteEvent"),  # type: ignore[arg-type]
    ],
)
def test_bad_values_raise_invalid_input(make: object, fragment: str) -> None:
    with pytest.raises(InvalidInput, match=fragment):
        make()  # type: ignore[operator]


def test_lists_become_tuples_so_solos_stay_hashable() -> None:
    chord = ChordEvent(0, 4, "C", [48, 52, 55])  # type: ignore[arg-type]
    solo = Solo(notes=[NoteEvent(0, 1, 60)], chords=[chord])  # type: ignore[arg-type]
    assert chord.pitches == (48, 52, 55) and isinstance(solo.notes, tuple)
    assert hash(solo) == hash(Solo(notes=(NoteEvent(0, 1, 60),), chords=(ChordEvent(0, 4, "C", (48, 52, 55)),)))


def test_of_sorts_and_melody_filters() -> None:
    solo = Solo.of(
        [NoteEvent(2, 1, 64), NoteEvent(0, 1, 60), NoteEvent(0, 4, 48, part="chord")],
        [ChordEvent(4, 4, "F"), ChordEvent(0, 4, "C")],
    )
    assert [n.start for n in solo.notes] == [0, 0, 2]
    assert [c.symbol for c in solo.chords] == ["C", "F"]
    assert [n.pitch for n in solo.melody] == [60, 64]
    assert solo.pitch_range() == (48, 64) and solo.pitch_range(include_chords=False) == (48, 64)


def test_chord_at_finds_the_sounding_chord() -> None:
    solo = two_bar_solo()
    assert solo.chord_at(0).symbol == "Dm7"  # type: ignore[union-attr]
    assert solo.chord_at(3.99).symbol == "Dm7"  # type: ignore[union-attr]
    assert solo.chord_at(4.0).symbol == "G7"  # type: ignore[union-attr]
    assert solo.chord_at(7.0) is None


def test_pitch_helpers() -> None:
    assert pitch_name(60) == "C4" and pitch_name(70) == "A#4" and pitch_name(0) == "C-1"
    assert pitch_frequency(69) == 440.0
    assert pitch_frequency(81) == pytest.approx(880.0)
    assert pitch_frequency(60) == pytest.approx(261.6256, abs=1e-3)


def test_the_data_model_needs_no_ui_and_no_music21() -> None:
    code = (
        "import sys, seqtui_models.jazz.notes, seqtui_models.jazz.audio, seqtui_models.jazz.wav, "
        "seqtui_models.jazz.playback; "
        "print(sorted({'textual', 'rich', 'music21', 'simpleaudio', 'seqtui'} & set(sys.modules)))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


@pytest.mark.parametrize("tonic,sharps", [(0, 0), (7, 1), (2, 2), (4, 4), (11, 5), (5, -1), (10, -2), (3, -3), (8, -4), (1, -5)])
def test_a_major_scale_is_spelt_in_its_own_key_signature(tonic: int, sharps: int) -> None:
    from seqtui_models.jazz.notes import key_signature

    scale = [60 + tonic + step for step in (0, 2, 4, 5, 7, 9, 11)]
    assert key_signature([(p, 1.0) for p in scale]) == sharps
    assert key_signature([(p + 12, 2.0) for p in scale]) == sharps  # any octave, any weight


def test_an_a_flat_rag_is_written_with_flats_and_an_e_major_tune_with_sharps() -> None:
    rag = Solo.of([NoteEvent(i, 1, p) for i, p in enumerate((68, 70, 72, 73, 75, 63))],
                  [ChordEvent(0, 4, "Ab", (56, 60, 63)), ChordEvent(4, 2, "Eb7", (51, 55, 58, 61))])
    assert rag.sharps == -4
    assert [pitch_name(n.pitch, rag.sharps) for n in rag.melody] == ["Ab4", "Bb4", "C5", "Db5", "Eb5", "Eb4"]
    tune = Solo.of([NoteEvent(i, 1, p) for i, p in enumerate((64, 66, 68, 71, 73, 75))])
    assert [pitch_name(n.pitch, tune.sharps) for n in tune.melody] == ["E4", "F#4", "G#4", "B4", "C#5", "D#5"]
    assert pitch_name(70) == "A#4" and Solo().sharps == 0  # no key given: sharps, as before


def test_notes_are_spelt_like_the_chord_symbols_above_them() -> None:
    """A rag in A♭ that wanders to A♭ minor stays in flats: its chords are written Ab, Eb7, Abm."""
    chords = [ChordEvent(0, 4, "Abm", (56, 59, 63)), ChordEvent(4, 4, "Emaj7/Eb", (51, 52, 56, 59, 63))]
    solo = Solo.of([NoteEvent(i, 1, p) for i, p in enumerate((68, 71, 75, 76, 73))], chords)
    assert solo.sharps < 0
    assert [pitch_name(n.pitch, solo.sharps) for n in solo.melody] == ["Ab4", "B4", "Eb5", "E5", "Db5"]
    sharp = Solo.of(solo.notes, [ChordEvent(0, 4, "G#m", (56, 59, 63)), ChordEvent(4, 4, "Emaj7/D#", (51, 52, 56, 59))])
    assert sharp.sharps > 0 and pitch_name(68, sharp.sharps) == "G#4"


def test_a_pitch_is_written_on_a_letter_with_the_octave_of_that_spelling() -> None:
    from seqtui_models.jazz.notes import on_letter, spelt_pitch

    assert on_letter(1, 0) == "C#" and on_letter(1, 1) == "Db" and on_letter(11, 0) == "Cb" and on_letter(2, 0) is None
    assert spelt_pitch(61, "C#") == "C#4" and spelt_pitch(71, "Cb") == "Cb5" and spelt_pitch(60, "B#") == "B#3"
