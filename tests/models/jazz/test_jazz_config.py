"""Training settings: the presets and the checks on every field."""

from __future__ import annotations

import pytest

from seqtui_models import jazz
from seqtui_models.core.errors import InvalidInput


def test_bad_training_settings() -> None:
    with pytest.raises(InvalidInput, match="course or fast"):
        jazz.preset_config("big")
    with pytest.raises(InvalidInput, match="--midi"):
        jazz.preset_config("fast", track=2)
    with pytest.raises(InvalidInput, match=".keras"):
        jazz.preset_config("fast", out="m.npz")


def test_presets_take_overrides_and_configs_round_trip() -> None:
    fast = jazz.preset_config("fast", epochs=3, seed=None)  # None leaves the preset's value
    assert (fast.epochs, fast.seed, fast.n_a, fast.Tx) == (3, 0, 64, 30) and not fast.unrolled
    assert jazz.preset_config("course").unrolled and jazz.preset_config("course").epochs == 100
    assert jazz.TrainConfig.from_dict({**fast.to_dict(), "from_a_newer_seqtui": 1}) == fast
