"""Playback: the audio check and its messages, and real simpleaudio on ALSA's null device."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from seqtui_models.jazz import playback
from seqtui_models.jazz.audio import TAIL_SECONDS
from seqtui_models.jazz.notes import NoteEvent, Solo
from seqtui_models.jazz.playback import AUDIO_EXTRA_MESSAGE, Player, audio_status
from seqtui_models.jazz.wav import write_wav

SR = 22050
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def fresh_status(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forget the remembered audio check for this test (and restore it afterwards)."""
    monkeypatch.setattr(playback, "_status_checked", False)
    monkeypatch.setattr(playback, "_status_message", None)


def test_missing_simpleaudio_gives_the_install_message(monkeypatch: pytest.MonkeyPatch, fresh_status: None) -> None:
    monkeypatch.setitem(sys.modules, "simpleaudio", None)  # `import simpleaudio` now fails
    assert audio_status() == AUDIO_EXTRA_MESSAGE
    player = Player(SR)
    assert player.play(Solo(notes=(NoteEvent(0, 1, 60),))) is False
    assert player.error == AUDIO_EXTRA_MESSAGE
    assert not player.playing and player.position is None
    player.stop()  # harmless


def test_a_crash_in_the_audio_check_is_contained(monkeypatch: pytest.MonkeyPatch, fresh_status: None) -> None:
    # the device probe itself, whether or not the audio extra is installed here (no ALSA headers)
    monkeypatch.setattr(playback, "_import_error", lambda: None)
    monkeypatch.setattr(playback, "_PROBE_CODE", "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)")
    message = audio_status()
    assert message is not None and "crashed" in message and "WAV export still works" in message
    assert audio_status() == message  # remembered: the check runs once


def test_a_silent_device_times_out(monkeypatch: pytest.MonkeyPatch, fresh_status: None) -> None:
    monkeypatch.setattr(playback, "_import_error", lambda: None)
    monkeypatch.setattr(playback, "_PROBE_CODE", "import time; time.sleep(30)")
    monkeypatch.setattr(playback, "PROBE_TIMEOUT", 0.5)
    assert audio_status().startswith("No audio device answered")  # type: ignore[union-attr]


PLAYBACK_SCRIPT = textwrap.dedent(
    """
    import json, sys, time
    from seqtui_models.jazz.playback import Player, audio_status
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
    write_wav(np.zeros(2205, dtype=np.float32), wav, sample_rate=22050)  # 0.1 s
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
