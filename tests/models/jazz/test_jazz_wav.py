"""WAV files: the synthesizer's output written and read back, other sample widths, broken files."""

from __future__ import annotations

import os
import wave
from pathlib import Path

import numpy as np
import pytest

from seqtui_models.core.errors import DataFileError, InvalidInput
from seqtui_models.jazz.audio import TAIL_SECONDS, frame_count, render_wav, synthesize
from seqtui_models.jazz.notes import ChordEvent, NoteEvent, Solo
from seqtui_models.jazz.playback import Player
from seqtui_models.jazz.wav import read_wav, read_wav_info, to_pcm16

SR = 22050  # half the default rate keeps these tests quick


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
