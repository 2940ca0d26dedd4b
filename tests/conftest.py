"""Shared test set-up: every test gets its own seqtui home and a silent audio device."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

# A silent audio device: the suite runs with a HOME of its own whose ~/.asoundrc sends ALSA's
# default device to the null plugin, so playback runs for real on machines without a sound card
# (CI) and never makes a noise on machines with one. Keras' ~/.keras lands there too.
_HOME = Path(tempfile.mkdtemp(prefix="seqtui-test-home-"))
(_HOME / ".asoundrc").write_text("pcm.!default { type null }\n")
os.environ["HOME"] = str(_HOME)


@pytest.fixture(autouse=True)
def seqtui_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep models and logs written by a test inside its own temporary folder."""
    home = tmp_path / "seqtui-home"
    monkeypatch.setenv("SEQTUI_HOME", str(home))
    return home
