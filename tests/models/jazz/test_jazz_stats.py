"""Solo statistics: the shares of chord, scale and approach tones, the range, and copied runs."""

from __future__ import annotations

from seqtui_models.jazz.chords import TimedChord, parse_chord
from seqtui_models.jazz.notes import NoteEvent
from seqtui_models.jazz.stats import longest_copied_run, solo_stats


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
