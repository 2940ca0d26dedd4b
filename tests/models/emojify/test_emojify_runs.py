"""Emojify runs in the registry: V1 and V2 each kept with their model, data and command; the tab's
retraining into its fixed file still works; a recorded command reproduces its run."""

from __future__ import annotations

from pathlib import Path

import pytest

from seqtui_models import emojify
from seqtui_models.core.paths import data_file
from seqtui_models.core.runs import file_sha256, find_run
from seqtui_models.core.training import Control
from run_helpers import rerun, tiny_emojify_csv, two_runs

@pytest.fixture()
def tiny_csv(tmp_path: Path) -> Path:
    """Fifteen sentences of the course's five classes (as the V2 tests train on)."""
    return tiny_emojify_csv(tmp_path)


def test_every_v1_run_is_kept_with_its_model_command_and_data(tmp_path: Path) -> None:
    out = tmp_path / "mine.npz"
    first = emojify.train(emojify.preset_config("v1", epochs=60, out=str(out)), control=Control())
    second = emojify.train(emojify.preset_config("v1", epochs=60), control=Control())
    a, b = two_runs("emojify", first, second, ".npz")
    assert out.is_file() and first.model_path == str(out) and second.model_path == str(b.model_path)
    bundled = data_file(emojify.TRAIN_FILE)
    assert a.data == {"path": str(bundled), "sha256": file_sha256(bundled)}
    assert a.headline == ("test_accuracy", first.metrics["test_accuracy"]) and len(a.history) == 60
    assert a.command == "seqtui emojify train --preset fast --epochs 60 --seed 1"
    assert a.metrics["test_accuracy"] == b.metrics["test_accuracy"]  # same settings and seed: the same run
    assert emojify.load_model(a.model_path).metrics["test_accuracy"] == first.metrics["test_accuracy"]


def test_the_tabs_retraining_keeps_its_file_and_records_a_run_with_both_files(tmp_path: Path, tiny_csv: Path) -> None:
    mine = tmp_path / "models" / "emojify-v1-mine.npz"
    mine.parent.mkdir()
    bundled = str(data_file(emojify.TRAIN_FILE))
    # what the tab's "Add" does: V1 fast on the bundled sentences and yours, into a fixed file
    config = emojify.preset_config("v1", "fast", data=(bundled, str(tiny_csv)),
                                   labels=emojify.COURSE_LABELS.to_spec(), skip_bad_rows=True, out=str(mine))
    result = emojify.train(config, control=Control())
    assert result.model_path == str(mine) and emojify.load_model(mine).metrics["sentences"] == result.metrics["sentences"]
    run = find_run(result.metrics["run"])
    assert run.complete and run.model_path is not None and run.model_path.name == "model.npz"
    assert run.data["path"] == f"{bundled} + {tiny_csv}" and len(run.data["sha256"]) == 64
    assert [f["sha256"] for f in run.data["files"]] == [file_sha256(bundled), file_sha256(tiny_csv)]
    assert f"--data {bundled} --data {tiny_csv}" in run.command and "--skip-bad-rows" in run.command
    assert "--out" not in run.command and "--model" not in run.command  # V1 is the CLI's default
    # (two V1 runs of the same settings give the same figures: see the test above)


@pytest.mark.slow
def test_a_v2_run_is_kept_and_its_command_reproduces_it(tiny_csv: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    config = emojify.preset_config("v2", data=(str(tiny_csv),), epochs=2, members=1, batch=5, seed=4)
    result = emojify.train(config, control=Control())
    run = find_run(result.metrics["run"])
    assert run.complete and run.model_path is not None and run.model_path.name == "model.keras"
    assert result.model_path == str(run.model_path) and result.payload["model"].metrics["members"] == 1
    assert run.headline == ("test_accuracy", result.metrics["test_accuracy"])
    assert run.data == {"path": str(tiny_csv), "sha256": file_sha256(tiny_csv)}
    assert run.command.startswith("seqtui emojify train --preset fast --model v2 --data ")
    assert "--members 1" in run.command and "--epochs 2" in run.command and "--batch 5" in run.command
    again = rerun(run.command, "emojify", capsys)
    assert again.id != run.id and again.complete and again.config == run.config and again.data == run.data
    assert emojify.load_model(again.model_path or "").config == emojify.load_model(run.model_path).config
    # Each network is seeded (Keras' global generator too): on one machine (CPU) the same command
    # gives the very same figures and loss curve, measured.
    same = lambda metrics: {k: v for k, v in metrics.items() if k not in ("run", "trained_at")}  # noqa: E731
    assert same(again.metrics) == same(run.metrics) and again.history == run.history
