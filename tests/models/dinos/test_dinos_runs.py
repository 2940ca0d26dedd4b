"""Dinos runs in the registry: each kept, reproducible from its recorded command, and resumable."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from seqtui_models.core.errors import InvalidInput
from seqtui_models.core.runs import find_run
from seqtui_models.core.training import Control
from seqtui_models.dinos import load_model, preset_config, resumed_config, train
from run_helpers import rerun, two_runs


def small(names_file: Path, **overrides: object) -> dict[str, object]:
    return dict(names=str(names_file), hidden=8, eval_every=10, patience=0, sample_every=1000, seed=4, **overrides)


def test_every_run_is_kept_with_its_model_and_the_out_copy(names_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine.npz"
    first = train(preset_config("fast", steps=20, out=str(out), **small(names_file)), control=Control())
    second = train(preset_config("fast", steps=20, **small(names_file)), control=Control())
    a, b = two_runs("dinos", first, second, ".npz")
    assert out.is_file() and first.model_path == str(out)  # --out gets its copy; the run keeps its own
    assert a.metrics["val_nll"] == b.metrics["val_nll"]  # same settings, same seed: the same run
    assert a.data["path"] == str(names_file) and len(a.data["sha256"]) == 64
    assert a.headline == ("val_nll", a.metrics["val_nll"]) and len(a.history) >= 20
    assert load_model(a.model_path).metrics["val_nll"] == pytest.approx(a.metrics["val_nll"])


def test_the_recorded_command_reproduces_the_run(names_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = train(preset_config("fast", steps=25, lr=0.02, dropout=0.1, **small(names_file)), control=Control())
    run = find_run(result.metrics["run"])
    assert "--lr 0.02" in run.command and "--seed 4" in run.command and "--names" in run.command
    again = rerun(run.command, "dinos", capsys)
    assert again.id != run.id and again.metrics["val_nll"] == run.metrics["val_nll"]


@pytest.mark.parametrize("preset, steps", [("fast", 40), ("course", 3000)])
def test_resume_continues_where_the_run_stopped(names_file: Path, preset: str, steps: int) -> None:
    overrides = {} if preset == "fast" else {"eval_every": 500}
    first = train(preset_config(preset, steps=steps, **{**small(names_file), **overrides}), control=Control())
    fresh = train(preset_config(preset, steps=steps, **{**small(names_file), **overrides}), control=Control())
    config = resumed_config(first.metrics["run"], steps=steps // 2)
    assert config.hidden == 8 and config.names == str(names_file)  # the run's own settings
    resumed = train(config, control=Control())
    steps_seen = [s for s, _ in resumed.history]
    assert steps_seen[0] == steps + 1 and resumed.total == steps + steps // 2
    # its first losses are where the other run ended, not where a fresh start begins
    window = 5 if preset == "fast" else 200
    first_losses = np.mean([loss for _, loss in resumed.history[:window]])
    assert first_losses < np.mean([loss for _, loss in fresh.history[:window]]) - 0.3
    assert abs(first_losses - np.mean([loss for _, loss in first.history[-window:]])) < 0.5
    run = find_run(resumed.metrics["run"])
    assert run.resumed_from == first.metrics["run"] and f"--resume {first.metrics['run']}" in run.command
    assert run.metrics["val_nll"] <= find_run(first.metrics["run"]).metrics["val_nll"] + 1e-9  # its best is kept


def test_resume_refuses_what_does_not_fit(names_file: Path, tmp_path: Path) -> None:
    first = train(preset_config("fast", steps=10, **small(names_file)), control=Control())
    with pytest.raises(InvalidInput, match="another hidden size 16"):
        train(resumed_config(first.metrics["run"], hidden=16), control=Control())
    other = tmp_path / "other.txt"
    other.write_text("xyzzy\nqwerty\nplugh\nfrobozz\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="alphabet"):
        train(resumed_config(first.metrics["run"], names=str(other)), control=Control())
    with pytest.raises(InvalidInput, match="No run"):
        resumed_config("dinos-1999")
    (find_run(first.metrics["run"]).folder / "resume.npz").unlink()
    with pytest.raises(InvalidInput, match="kept no state"):
        train(resumed_config(first.metrics["run"]), control=Control())
