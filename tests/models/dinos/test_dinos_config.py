"""Hyperparameters: the presets and the settings each refuses."""

from __future__ import annotations

import pytest

from seqtui_models.core.errors import InvalidInput
from seqtui_models.dinos import TrainConfig, preset_config


def test_bad_configs_are_refused() -> None:
    with pytest.raises(InvalidInput, match="course preset"):
        preset_config("course", cell="lstm")
    with pytest.raises(InvalidInput, match="course preset"):
        preset_config("course", optimizer="adam")
    with pytest.raises(InvalidInput, match="dropout"):
        preset_config("fast", dropout=1.5)
    with pytest.raises(InvalidInput, match=".npz"):
        preset_config("fast", out="model.txt")
    with pytest.raises(InvalidInput, match="Unknown preset"):
        preset_config("huge")
    assert preset_config("course").hidden == 50 and preset_config("course").lr == 0.01


def test_fast_is_the_defaults_and_the_course_preset_names_every_clash() -> None:
    assert preset_config("fast") == TrainConfig()
    with pytest.raises(InvalidInput, match="Unknown preset"):
        TrainConfig(preset="huge").validated()  # type: ignore[arg-type]
    with pytest.raises(InvalidInput) as info:
        TrainConfig(preset="course", cell="gru", batch=4).validated()
    assert all(f in str(info.value) for f in ("cell gru", "optimizer adam", "batch 4", "dropout 0.3")), info.value
