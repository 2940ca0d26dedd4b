"""The numpy synthesizer: pitch, silence, clicks, clipping, aliasing, length."""

from __future__ import annotations

import math

import numpy as np
import pytest

from seqtui_models.core.errors import InvalidInput
from seqtui_models.jazz.audio import HEADROOM, TAIL_SECONDS, frame_count, synthesize
from seqtui_models.jazz.notes import ChordEvent, NoteEvent, Solo, pitch_frequency

SR = 22050  # half the default rate keeps these tests quick; the maths does not change


def peak_frequency(samples: np.ndarray, sample_rate: int) -> float:
    """The strongest frequency of a windowed FFT, refined by parabolic interpolation."""
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    k = int(np.argmax(spectrum))
    a, b, c = np.log(spectrum[k - 1 : k + 2] + 1e-12)
    shift = 0.5 * (a - c) / (a - 2 * b + c)
    return (k + shift) * sample_rate / len(samples)


def test_length_is_the_solo_plus_the_release_tail() -> None:
    solo = Solo(notes=(NoteEvent(0, 3, 60), NoteEvent(5, 1, 64)), tempo=100)
    audio = synthesize(solo, SR)
    assert audio.dtype == np.float32 and audio.ndim == 1
    assert len(audio) == frame_count(solo, SR) == math.ceil((6 * 0.6 + TAIL_SECONDS) * SR)
    assert len(synthesize(solo, 2 * SR)) == pytest.approx(2 * len(audio), abs=2)


def test_a4_sounds_at_440_hz_in_both_voices() -> None:
    melody = synthesize(Solo(notes=(NoteEvent(0, 2, 69),)), SR)  # one second of A4
    assert peak_frequency(melody[:SR], SR) == pytest.approx(440.0, abs=1.0)
    c5 = synthesize(Solo(notes=(NoteEvent(0, 2, 72),)), SR)
    assert peak_frequency(c5[:SR], SR) == pytest.approx(pitch_frequency(72), abs=1.0)
    pad = synthesize(Solo(chords=(ChordEvent(0, 2, "A", (57,)),)), SR)  # A3 in the chord voice
    assert peak_frequency(pad[:SR], SR) == pytest.approx(220.0, abs=1.0)


def test_silence_where_nothing_sounds() -> None:
    solo = Solo(notes=(NoteEvent(2, 1, 60), NoteEvent(6, 1, 67)), tempo=120)  # sound 1–1.5 s and 3–3.5 s
    audio = synthesize(solo, SR)
    assert not audio[: SR].any()  # before the first onset
    gap = audio[int((1.5 + TAIL_SECONDS) * SR) + 1 : int(3.0 * SR)]
    assert len(gap) > SR // 2 and not gap.any()
    assert np.abs(audio[int(1.1 * SR) : int(1.4 * SR)]).max() > 0.05  # but the note itself sounds
    assert audio[-1] == 0.0  # the release has ended by the last frame


def test_notes_start_and_stop_without_clicks() -> None:
    audio = synthesize(Solo(notes=(NoteEvent(1, 0.5, 76, velocity=127),)), SR)
    onset = int(0.5 * SR)
    assert abs(audio[onset]) < 1e-3 and abs(audio[onset + 1]) < 0.01  # the attack starts from zero
    loudest_step = np.abs(np.diff(audio)).max()
    assert loudest_step < 0.5 * np.abs(audio).max()  # no jump: a click would be a full-scale step


def test_dense_loud_music_never_clips() -> None:
    notes = [NoteEvent(i * 0.25, 2.0, 60 + (i * 7) % 36, velocity=127) for i in range(64)]
    chords = [ChordEvent(i * 2.0, 2.0, "X", tuple(range(36, 84, 5))) for i in range(8)]
    audio = synthesize(Solo(notes=tuple(notes), chords=tuple(chords)), SR)
    assert np.abs(audio).max() == pytest.approx(HEADROOM, abs=1e-3)  # scaled down to the headroom
    assert np.isfinite(audio).all()
    quiet = synthesize(Solo(notes=(NoteEvent(0, 1, 60, velocity=40),)), SR)
    loud = synthesize(Solo(notes=(NoteEvent(0, 1, 60, velocity=120),)), SR)
    assert np.abs(loud).max() == pytest.approx(3 * np.abs(quiet).max(), rel=1e-3)  # velocity is linear
    assert np.abs(loud).max() < HEADROOM  # a single note is not normalised up


def test_high_pitches_do_not_alias() -> None:
    audio = synthesize(Solo(notes=(NoteEvent(0, 2, 120),)), SR)  # 8.4 kHz: only the fundamental fits
    assert peak_frequency(audio[: SR // 2], SR) == pytest.approx(pitch_frequency(120), rel=1e-3)


def test_bad_sample_rates_are_refused() -> None:
    for rate in (0, 1000, 44100.0, True):
        with pytest.raises(InvalidInput, match="Sample rate"):
            synthesize(Solo(notes=(NoteEvent(0, 1, 60),)), rate)  # type: ignore[arg-type]
