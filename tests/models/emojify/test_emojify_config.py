"""Tests for seqtui_models.emojify.config: presets and the checks on a training config."""

from __future__ import annotations

import pytest

from seqtui_models import emojify
from seqtui_models.core.errors import InvalidInput


def test_config_validation() -> None:
    with pytest.raises(InvalidInput):
        emojify.preset_config("v3")
    with pytest.raises(InvalidInput):
        emojify.preset_config("v2", "course")
    with pytest.raises(InvalidInput):
        emojify.preset_config("v1", "course", batch=8)
    with pytest.raises(InvalidInput, match=".keras"):
        emojify.preset_config("v2", out="model.npz")
    with pytest.raises(InvalidInput):
        emojify.preset_config("v1", lr=-1.0)
    assert emojify.preset_config("v1", "course").epochs == 400
    with pytest.raises(InvalidInput, match="val_fraction"):
        emojify.preset_config("v2", patience=5)  # early stopping with nothing held out to watch
    assert emojify.preset_config("v2", patience=5, val_fraction=0.1).patience == 5
