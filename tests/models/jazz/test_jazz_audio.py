"""The numpy synthesizer, WAV files, and playback (real simpleaudio on ALSA's null device)."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import textwrap
import wave
from pathlib import Path

import numpy as np
import pytest

from seqtui_models.jazz import audio as jazz_audio
from seqtui_models.core.errors import DataFileError, InvalidInput
from seqtui_models.jazz.audio import (
    AUDIO_EXTRA_MESSAGE,
    HEADROOM,
    TAIL_SECONDS,
    Player,
    audio_status,
    frame_count,
    read_wav,
    read_wav_info,
    render_wav,
    synthesize,
    to_pcm16,
)
from seqtui_models.jazz.notes import ChordEvent, NoteEvent, Solo, pitch_frequency

SR = 22050  # half the default rate keeps these tests quick; the maths does not change
ROOT = Path(__file__).resolve().parents[3]


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


def test_wav_round_trip(tmp_path: Path) -> None:
    solo = Solo(notes=(NoteEvent(0, 1, 69), NoteEvent(1, 1, 72)), chords=(ChordEvent(0, 2, "F", (53, 57, 60)),))
    path = tmp_path / "solo.wav"
    info = render_wav(solo, path, sample_rate=SR)
    assert info.path == path and info.sample_rate == SR and info.frames == frame_count(solo, SR)
    assert info.seconds == pytest.approx(solo.seconds + TAIL_SECONDS, abs=1 / SR)
    with wave.open(str(path), "rb") as handle:
        assert (handle.getnchannels(), handle.getsampwidth(), handle.getframerate()) == (1, 2, SR)
        assert handle.getnframes() == info.frames
        assert handle.readframes(info.frames) == to_pcm16(synthesize(solo, SR))
    assert read_wav_info(path) == info
    samples, rate = read_wav(path)
    assert rate == SR and samples.shape == (info.frames, 1)
    assert np.abs(samples[:, 0] - synthesize(solo, SR)).max() <= 1 / 32767
    assert os.listdir(tmp_path) == ["solo.wav"]  # written atomically: no temporary file left


def test_read_wav_handles_other_sample_widths(tmp_path: Path) -> None:
    ramp = np.linspace(-0.5, 0.5, 100)
    full = np.rint(ramp * 2**31).astype("<i4")  # 32-bit samples
    encodings = {
        1: np.rint(ramp * 127 + 128).astype(np.uint8).tobytes(),  # 8-bit WAV is unsigned
        3: full.view(np.uint8).reshape(-1, 4)[:, 1:].tobytes(),  # the top three bytes, little-endian
        4: full.tobytes(),
    }
    for width, data in encodings.items():
        path = tmp_path / f"w{width}.wav"
        frames = np.frombuffer(data, dtype=np.uint8).reshape(100, width)
        with wave.open(str(path), "wb") as handle:
            handle.setnchannels(2)
            handle.setsampwidth(width)
            handle.setframerate(8000)
            handle.writeframes(np.repeat(frames, 2, axis=0).tobytes())  # the same ramp in both channels
        samples, rate = read_wav(path)
        assert rate == 8000 and samples.shape == (100, 2)
        assert np.abs(samples - ramp[:, None]).max() < 1 / 100, width


def test_broken_wav_files_get_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="No such WAV file"):
        read_wav_info(tmp_path / "missing.wav")
    garbage = tmp_path / "garbage.wav"
    garbage.write_bytes(b"this is not a wav file at all" * 10)
    with pytest.raises(DataFileError, match="not a valid WAV"):
        read_wav_info(garbage)
    good = tmp_path / "good.wav"
    render_wav(Solo(notes=(NoteEvent(0, 2, 60),)), good, sample_rate=SR)
    cut = tmp_path / "cut.wav"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(DataFileError, match="truncated"):
        read_wav_info(cut)
    with pytest.raises(DataFileError, match="truncated"):
        Player(SR).play(cut)  # the player checks before it touches any device


def test_render_wav_refuses_empty_solos_and_unwritable_places(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="generate one first"):
        render_wav(Solo(), tmp_path / "x.wav")
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder")
    with pytest.raises(DataFileError, match="Cannot write"):
        render_wav(Solo(notes=(NoteEvent(0, 1, 60),)), blocker / "solo.wav")


@pytest.fixture
def fresh_status(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forget the remembered audio check for this test (and restore it afterwards)."""
    monkeypatch.setattr(jazz_audio, "_status_checked", False)
    monkeypatch.setattr(jazz_audio, "_status_message", None)


def test_missing_simpleaudio_gives_the_install_message(monkeypatch: pytest.MonkeyPatch, fresh_status: None) -> None:
    monkeypatch.setitem(sys.modules, "simpleaudio", None)  # `import simpleaudio` now fails
    assert audio_status() == AUDIO_EXTRA_MESSAGE
    player = Player(SR)
    assert player.play(Solo(notes=(NoteEvent(0, 1, 60),))) is False
    assert player.error == AUDIO_EXTRA_MESSAGE
    assert not player.playing and player.position is None
    player.stop()  # harmless


def test_a_crash_in_the_audio_check_is_contained(monkeypatch: pytest.MonkeyPatch, fresh_status: None) -> None:
    monkeypatch.setattr(jazz_audio, "_PROBE_CODE", "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)")
    message = audio_status()
    assert message is not None and "crashed" in message and "WAV export still works" in message
    assert audio_status() == message  # remembered: the check runs once


def test_a_silent_device_times_out(monkeypatch: pytest.MonkeyPatch, fresh_status: None) -> None:
    monkeypatch.setattr(jazz_audio, "_PROBE_CODE", "import time; time.sleep(30)")
    monkeypatch.setattr(jazz_audio, "PROBE_TIMEOUT", 0.5)
    assert audio_status().startswith("No audio device answered")  # type: ignore[union-attr]


PLAYBACK_SCRIPT = textwrap.dedent(
    """
    import json, sys, time
    from seqtui_models.jazz.audio import Player, audio_status
    from seqtui_models.jazz.notes import ChordEvent, NoteEvent, Solo

    solo = Solo(notes=tuple(NoteEvent(i * 0.5, 0.5, 60 + i) for i in range(8)),
                chords=(ChordEvent(0, 4, "C", (48, 52, 55)),), tempo=120)  # 2 s
    report = {"status": audio_status()}
    player = Player(22050)
    report["played"] = player.play(solo)
    report["error"] = player.error
    report["playing"] = player.playing
    report["duration"] = player.duration
    first = player.position
    time.sleep(0.3)
    second = player.position
    report["positions"] = [first, second]
    player.stop()
    report["after_stop"] = [player.playing, player.position]
    report["short"] = player.play(sys.argv[1])  # a WAV file plays to its end on its own
    report["ended"] = player.wait(timeout=5)
    print(json.dumps(report))
    """
)


def run_playback(home: Path, asoundrc: str, tmp_path: Path) -> tuple[dict[str, object], str]:
    """Run the playback script in a child process whose ALSA config comes from ``home``."""
    home.mkdir()
    (home / ".asoundrc").write_text(asoundrc)
    wav = tmp_path / "short.wav"
    jazz_audio.write_wav(np.zeros(2205, dtype=np.float32), wav, sample_rate=22050)  # 0.1 s
    env = {**os.environ, "HOME": str(home), "PYTHONPATH": str(ROOT)}
    env.pop("ALSA_CONFIG_PATH", None)
    proc = subprocess.run(
        [sys.executable, "-c", PLAYBACK_SCRIPT, str(wav)], capture_output=True, text=True, timeout=60, env=env, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1]), proc.stderr


def test_playback_on_alsa_null_device(tmp_path: Path) -> None:
    pytest.importorskip("simpleaudio", reason="the audio extra is not installed")
    report, _ = run_playback(tmp_path / "home", "pcm.!default { type null }\n", tmp_path)
    assert report["status"] is None, report
    assert report["played"] is True and report["error"] is None
    assert report["playing"] is True
    assert report["duration"] == pytest.approx(2.0 + TAIL_SECONDS, abs=0.01)
    first, second = (float(x) for x in report["positions"])  # type: ignore[attr-defined]
    assert 0 <= first < second <= float(report["duration"])  # type: ignore[arg-type]
    assert second - first == pytest.approx(0.3, abs=0.25)  # the playhead follows the clock
    assert report["after_stop"] == [False, None]
    assert report["short"] is True and report["ended"] is True


def test_playback_without_a_device_degrades_cleanly(tmp_path: Path) -> None:
    pytest.importorskip("simpleaudio", reason="the audio extra is not installed")
    report, stderr = run_playback(tmp_path / "home", "pcm.!default { type hw card 99 }\n", tmp_path)
    assert report["played"] is False and report["playing"] is False
    assert str(report["status"]).startswith("No audio device answered")
    assert report["error"] == report["status"]
    assert report["positions"] == [None, None]
    assert "ALSA lib" not in stderr  # ALSA's complaints stayed in the checking child process
