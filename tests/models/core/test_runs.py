"""The run registry: one folder per run, never overwritten; incomplete and damaged runs are recognised."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from seqtui_models.core.errors import InvalidInput
from seqtui_models.core.runs import (
    RUN_FILE,
    compare_runs,
    find_run,
    list_runs,
    looks_like_run_id,
    model_argument,
    read_run,
    remove_run,
    runs_dir,
    start_run,
    train_command,
)
from seqtui_models.core.training import RunResult


@dataclass(frozen=True)
class Config:
    preset: str = "fast"
    hidden: int = 24
    lr: float = 0.01
    names: str | None = None
    seed: int = 0
    out: str | None = None
    verbose: bool = False


def record(task: str = "dinos", hidden: int = 24, loss: float = 1.5, status: str = "finished") -> str:
    """A run recorded as a task's train function records it, with a model file."""
    recorder = start_run(task, Config(hidden=hidden), f"seqtui {task} train --hidden {hidden}")
    recorder.model_path(".npz").write_bytes(b"weights")
    result = RunResult(status, 10, 10, 1.0, loss, {"val_nll": loss, "best_step": 10}, None, ((1, 3.0), (10, loss)))
    run = recorder.finish(result, headline="val_nll")
    return run.id


def test_a_recorded_run_keeps_everything_about_it(seqtui_home: Path) -> None:
    run = find_run(record(loss=1.25))
    assert run.folder.parent == seqtui_home / "runs" and run.complete and run.status == "finished"
    assert run.task == "dinos" and run.config["hidden"] == 24 and run.seed == 0
    assert run.command == "seqtui dinos train --hidden 24"
    assert run.headline == ("val_nll", 1.25) and run.metrics["best_step"] == 10
    assert run.history == ((1, 3.0), (10, 1.25))
    assert run.model_path == run.folder / "model.npz"
    shown = run.to_dict()
    assert json.loads(json.dumps(shown))["command"] == run.command  # JSON-ready


def test_two_runs_with_the_same_settings_keep_two_folders() -> None:
    first, second = record(), record()
    assert first != second
    assert {r.id for r in list_runs("dinos")} == {first, second}
    assert all(r.model_path is not None and r.model_path.read_bytes() == b"weights" for r in list_runs())


def test_newest_first_and_by_task() -> None:
    ids = [record("dinos"), record("cells"), record("dinos")]
    assert {r.id for r in list_runs()} == set(ids)
    assert {r.id for r in list_runs("cells")} == {ids[1]}
    created = [r.created for r in list_runs()]
    assert created == sorted(created, reverse=True)


def test_a_run_killed_mid_training_is_incomplete_and_never_loaded(tmp_path: Path) -> None:
    # a real process starts a run and dies before finishing it (as kill -9 would leave it)
    code = ("from seqtui_models.core.runs import start_run\n"
            "r = start_run('dinos', {'preset': 'fast', 'seed': 1}, 'seqtui dinos train')\n"
            "r.model_path('.npz').write_bytes(b'half')\n"
            "import os; os._exit(9)\n")
    subprocess.run([sys.executable, "-c", code], check=False)
    (run,) = list_runs()
    assert run.status == "incomplete" and not run.complete
    assert "killed before it finished" in run.problem and "record was not completed" in run.problem
    with pytest.raises(InvalidInput, match="incomplete"):
        model_argument(run.id, "dinos")


def test_a_running_run_of_this_process_is_running() -> None:
    recorder = start_run("dinos", Config(), "seqtui dinos train")
    assert read_run(recorder.folder).status == "running"


@pytest.mark.parametrize("damage", [b"", b"{not json", b"[1, 2]", b'{"format": "seqtui-run/1"}', b"\xff\xfe"])
def test_a_damaged_record_is_listed_as_incomplete_with_the_reason(damage: bytes) -> None:
    run_id = record()
    (runs_dir() / run_id / RUN_FILE).write_bytes(damage)
    (run,) = list_runs()
    assert run.status == "incomplete" and run.problem and not run.complete


def test_a_missing_model_or_record_is_incomplete() -> None:
    run_id = record()
    (runs_dir() / run_id / "model.npz").unlink()
    assert find_run(run_id).status == "incomplete" and "model file is missing" in find_run(run_id).problem
    other = record()
    (runs_dir() / other / RUN_FILE).unlink()
    assert "missing" in find_run(other).problem


def test_ids_may_be_shortened_to_any_unique_start() -> None:
    run_id = record()
    assert find_run(run_id[:-2]).id == run_id
    record()
    with pytest.raises(InvalidInput, match="starts 2 run ids"):
        find_run("dinos-")
    with pytest.raises(InvalidInput, match="No run 'dinos-1999'"):
        find_run("dinos-1999")
    with pytest.raises(InvalidInput, match="not a cells one"):
        find_run(run_id, "cells")


def test_remove_deletes_the_folder() -> None:
    run_id = record()
    assert remove_run(run_id).id == run_id
    assert not (runs_dir() / run_id).exists() and not list_runs()


def test_compare_lines_up_settings_and_metrics() -> None:
    a, b = find_run(record(hidden=24, loss=1.5)), find_run(record(hidden=64, loss=1.4))
    comparison = compare_runs([a, b])
    assert comparison["differences"] == ["hidden"]
    assert comparison["config"]["hidden"] == [24, 64] and comparison["metrics"]["val_nll"] == [1.5, 1.4]


def test_model_arguments_are_paths_or_run_ids(tmp_path: Path) -> None:
    run_id = record()
    assert model_argument(run_id, "dinos") == str(runs_dir() / run_id / "model.npz")
    assert model_argument("some/model.npz", "dinos") == "some/model.npz"  # a path is left to the loader
    lookalike = tmp_path / "dinos-2026"
    lookalike.write_bytes(b"x")
    assert model_argument(str(lookalike), "dinos") == str(lookalike)  # an existing file wins
    with pytest.raises(InvalidInput, match="No such file or run"):
        model_argument("dinos-2026-nope", "dinos")
    assert looks_like_run_id("jazz-20261204") and not looks_like_run_id("models/dinos-x.npz")


def test_the_command_names_what_differs_from_the_preset() -> None:
    preset = {"preset": "fast", "hidden": 24, "lr": 0.01}
    flags = {"hidden": "--hidden", "lr": "--lr", "names": "--names", "seed": "--seed", "verbose": "--verbose"}
    assert train_command("dinos", Config(), preset, flags) == "seqtui dinos train --preset fast --seed 0"
    config = Config(hidden=64, names="my names.txt", seed=3, verbose=True, out="x.npz")
    assert train_command("dinos", config, preset, flags) == (
        "seqtui dinos train --preset fast --hidden 64 --names 'my names.txt' --seed 3 --verbose"
    )


def test_the_model_a_tab_used_is_remembered_until_it_is_gone(seqtui_home: Path) -> None:
    from seqtui_models.core.runs import forget_model, remember_model, remembered_model, run_of

    assert remembered_model("dinos") is None
    run_id = record()
    path = runs_dir() / run_id / "model.npz"
    remember_model("dinos", path)
    assert remembered_model("dinos") == str(path.resolve()) and remembered_model("cells") is None
    assert run_of(path) is not None and run_of(path).id == run_id  # type: ignore[union-attr]
    assert run_of(seqtui_home / "elsewhere.npz") is None
    (seqtui_home / "chosen-models.json").write_text("{broken", encoding="utf-8")
    assert remembered_model("dinos") is None  # a damaged note is no error
    remember_model("dinos", path)
    path.unlink()
    assert remembered_model("dinos") is None  # its file is gone
    forget_model("dinos")
    assert "dinos" not in (seqtui_home / "chosen-models.json").read_text(encoding="utf-8")
