"""Fixtures of the dinos tests: a names file and a model trained for a moment (once per run)."""

from __future__ import annotations

from pathlib import Path

import pytest
from dinos_helpers import NAMES, write

from seqtui_models.core.training import Control
from seqtui_models.dinos import CharModel, preset_config, train


@pytest.fixture(scope="module")
def names_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(tmp_path_factory.mktemp("names") / "dinos.txt", "\n".join(NAMES) + "\n")


@pytest.fixture(scope="session")
def trained(tmp_path_factory: pytest.TempPathFactory) -> CharModel:
    """A small GRU trained for a moment on the bundled names: enough to have real preferences."""
    out = tmp_path_factory.mktemp("model") / "tiny.npz"
    config = preset_config("fast", hidden=16, steps=120, patience=0, eval_every=40, sample_every=1000, out=str(out))
    result = train(config, control=Control())
    return result.payload["model"]  # type: ignore[no-any-return]
