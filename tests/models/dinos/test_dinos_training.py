"""Training runs: the loss falls, seeds repeat, early stopping keeps the best, stop/pause, a spawned process."""

from __future__ import annotations

import math
import threading
from pathlib import Path

import numpy as np
import pytest

from seqtui_models.core.training import Control, Progress, TrainingJob, run_job
from seqtui_models.dinos import CharModel, evaluate, load_model, preset_config, train


@pytest.mark.parametrize("preset, overrides", [
    ("fast", dict(cell="gru", hidden=12, steps=40)),
    ("fast", dict(cell="lstm", hidden=8, steps=80, optimizer="sgd", lr=1.0)),
    ("course", dict(hidden=12, steps=600)),
])
def test_loss_falls_in_a_short_seeded_run(names_file: Path, tmp_path: Path, preset: str, overrides: dict) -> None:
    seen: list[Progress] = []
    config = preset_config(preset, names=str(names_file), eval_every=20 if preset == "fast" else 300,
                           patience=0, out=str(tmp_path / "m.npz"), seed=3, **overrides)
    result = train(config, control=Control(), on_progress=seen.append)
    losses = [loss for _, loss in result.history]
    assert np.mean(losses[-10:]) < np.mean(losses[:10]) - 0.3
    assert result.status == "finished" and Path(result.model_path or "").is_file()
    assert {"train_nll", "val_nll", "chars_per_s", "val_ppl"} <= set(result.metrics)
    assert any("val_nll" in p.metrics and "train_nll" in p.metrics for p in seen)
    assert any(p.samples for p in seen)
    assert result.metrics["val_ppl"] == pytest.approx(math.exp(result.metrics["val_nll"]))


def test_same_seed_same_run(names_file: Path, tmp_path: Path) -> None:
    config = preset_config("fast", names=str(names_file), hidden=8, steps=15, seed=9, out=str(tmp_path / "a.npz"))
    first = train(config, control=Control()).metrics
    second = train(config, control=Control()).metrics
    assert first["val_nll"] == second["val_nll"] and first["train_nll"] == second["train_nll"]


def test_early_stopping_keeps_the_best_checkpoint(names_file: Path, tmp_path: Path) -> None:
    # 21 training names, no dropout, a big step: it memorises them and the held-out loss turns up.
    config = preset_config("fast", names=str(names_file), hidden=16, dropout=0.0, lr=0.05, eval_every=5,
                           patience=3, steps=5000, out=str(tmp_path / "m.npz"), sample_every=10_000)
    result = train(config, control=Control())
    assert result.metrics["stopped_early"] and result.steps < 5000
    assert result.metrics["best_step"] <= result.steps - 15
    # The saved model is the best one seen, not the last.
    assert evaluate(load_model(result.model_path or ""), list(result.payload["model"].val_names)).nll_per_char == \
        pytest.approx(result.metrics["val_nll"], rel=1e-6)


def test_stop_saves_the_model_and_reports_stopped(names_file: Path, tmp_path: Path) -> None:
    control = Control()
    seen: list[Progress] = []

    def on_progress(progress: Progress) -> None:
        seen.append(progress)
        if progress.step >= 5:
            control.stop()

    config = preset_config("fast", names=str(names_file), hidden=8, steps=10_000, out=str(tmp_path / "s.npz"))
    result = train(config, control=control, on_progress=on_progress)
    assert result.status == "stopped" and result.steps < 10_000
    model = load_model(tmp_path / "s.npz")
    assert model.cell == "gru" and math.isfinite(model.metrics["val_nll"])
    last = seen[-1].metrics  # what the panel shows last: the kept model's figures, consistent
    assert last["best_val_nll"] == last["val_nll"] == model.metrics["val_nll"]


def test_pause_and_resume_across_threads(names_file: Path, tmp_path: Path) -> None:
    control = Control()
    control.pause()
    config = preset_config("fast", names=str(names_file), hidden=8, steps=20, out=str(tmp_path / "p.npz"))
    box: dict[str, object] = {}
    worker = threading.Thread(target=lambda: box.update(result=train(config, control=control)))
    worker.start()
    worker.join(0.3)
    assert worker.is_alive()  # waiting at the first checkpoint
    control.resume()
    worker.join(30)
    assert box["result"].status == "finished"  # type: ignore[attr-defined]


def test_training_runs_in_a_spawned_process(names_file: Path, tmp_path: Path) -> None:
    config = preset_config("fast", names=str(names_file), hidden=8, steps=20, out=str(tmp_path / "iso.npz"))
    seen: list[Progress] = []
    result = run_job(TrainingJob("seqtui_models.dinos:train", config, isolate=True), on_progress=seen.append)
    assert result.status == "finished" and seen and (tmp_path / "iso.npz").is_file()
    assert isinstance(result.payload["model"], CharModel)
