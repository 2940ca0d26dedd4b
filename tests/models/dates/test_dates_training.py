"""Training: a tiny run's loss falls, a stopped run keeps its model, the learning-rate schedule."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from seqtui_models.dates import cosine_lr
from seqtui_models.core.training import RunResult


@pytest.mark.slow
def test_tiny_training_lowers_the_loss(tiny_best: RunResult) -> None:
    losses = [loss for _, loss in tiny_best.history]
    assert np.mean(losses[-5:]) < 0.8 * np.mean(losses[:5])
    evaluations = [p.metrics for p in tiny_best.payload["progress"] if "val_exact" in p.metrics]
    assert evaluations and all(0 <= m["val_exact"] <= 1 for m in evaluations)
    assert evaluations[-1]["val_loss"] < evaluations[0]["val_loss"]
    summary = tiny_best.summary()
    assert {"exact_match", "seconds", "model"} <= set(summary) and Path(summary["model"]).is_file()


@pytest.mark.slow
def test_a_stopped_run_keeps_its_model(tiny_best: RunResult) -> None:
    assert tiny_best.status == "stopped" and 30 <= tiny_best.steps < 40
    assert Path(tiny_best.model_path or "").is_file() and tiny_best.metrics["budget_reached"] is False


def test_cosine_schedule() -> None:
    lrs = [cosine_lr(0.01, p) for p in np.linspace(0, 1, 101)]
    peak = int(np.argmax(lrs))
    assert 0 < peak <= 4 and max(lrs) == pytest.approx(0.01, rel=0.01)
    assert all(a >= b for a, b in zip(lrs[peak:], lrs[peak + 1:]))  # falls after the warm-up
    assert lrs[-1] == pytest.approx(0.0002)
