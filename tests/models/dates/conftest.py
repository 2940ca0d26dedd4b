"""Date models the Keras tests share: the bundled one and two tiny trained ones (each built once per run)."""

from __future__ import annotations

import pytest

from seqtui_models.dates import DateModel, default_model, preset_config, train
from seqtui_models.core.training import Control, Progress, RunResult


@pytest.fixture(scope="session")
def bundled() -> DateModel:
    return default_model()


@pytest.fixture(scope="session")
def tiny_course(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    """The course's model after a handful of steps on its own data."""
    out = tmp_path_factory.mktemp("course") / "course.keras"
    config = preset_config("course", examples=600, epochs=2, eval_every=0, val_examples=30, out=str(out))
    return train(config, control=Control())


@pytest.fixture(scope="session")
def tiny_best(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    """Ours, small, stopped by the user after 30 of its 40 steps."""
    out = tmp_path_factory.mktemp("best") / "best.keras"
    config = preset_config("best", examples=1280, epochs=2, batch=64, eval_every=10, val_examples=30,
                           n_a=16, units=16, n_s=32, out=str(out))
    control = Control()
    seen: list = []

    def record(progress: Progress) -> None:
        seen.append(progress)
        if progress.step >= 30:
            control.stop()

    result = train(config, control=control, on_progress=record)
    result.payload["progress"] = seen
    return result
