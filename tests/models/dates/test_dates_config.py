"""Training configurations: the presets and the settings they refuse."""

from __future__ import annotations

import pytest

from seqtui_models.dates import TrainConfig, preset_config
from seqtui_models.core.errors import InvalidInput


def test_presets() -> None:
    course = preset_config("course")
    assert (course.tx, course.n_a, course.n_s, course.batch, course.lr, course.decay) == (30, 32, 64, 100, 0.005, 0.01)
    assert course.real_share == 0.0 and course.schedule == "inverse-time"
    best = preset_config("best", examples=5000)
    assert best.examples == 5000 and best.tx == 40 and best.schedule == "cosine"
    assert TrainConfig.from_json(best.to_json()) == best


@pytest.mark.parametrize("preset,overrides,message", [
    ("nope", {}, "Unknown preset"),
    ("best", {"colour": 1}, "Unknown setting"),
    ("course", {"n_a": 64}, "course preset"),
    ("course", {"tx": 40}, "course preset"),
    ("best", {"examples": 10}, "examples"),
    ("best", {"lr": 0.0}, "lr"),
    ("best", {"real_share": 2.0}, "real_share"),
    ("best", {"max_seconds": -1.0}, "max_seconds"),
    ("best", {"out": "model.npz"}, ".keras"),
])
def test_bad_settings_are_refused(preset: str, overrides: dict, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        preset_config(preset, **overrides)
