"""Shared test set-up: every test gets its own seqtui home and a silent audio device."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")


@pytest.fixture(autouse=True)
def seqtui_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep models and logs written by a test inside its own temporary folder."""
    home = tmp_path / "seqtui-home"
    monkeypatch.setenv("SEQTUI_HOME", str(home))
    return home
