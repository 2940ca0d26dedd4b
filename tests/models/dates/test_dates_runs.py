"""Date runs in the registry: each kept with its model, data and command; a recorded command reproduces its run."""

from __future__ import annotations

from pathlib import Path

import pytest

from seqtui_models import dates
from seqtui_models.core.runs import file_sha256, find_run
from seqtui_models.core.training import Control
from run_helpers import rerun

pytestmark = pytest.mark.slow  # TensorFlow


def tiny(**overrides: object) -> dates.TrainConfig:
    """Our model for one batch, evaluated only at the end (the course's unrolled model takes three
    times as long to build)."""
    return dates.preset_config("best", **{"examples": 256, "epochs": 1, "eval_every": 0, "seed": 3, **overrides})


def test_a_run_is_kept_with_its_model_command_and_data(tmp_path: Path) -> None:
    out = tmp_path / "mine.keras"
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("".join(f"{p.human}\t{p.iso}\n" for p in dates.generate(300, seed=4)), encoding="utf-8")
    result = dates.train(tiny(data=str(pairs), out=str(out)), control=Control())
    run = find_run(result.metrics["run"])
    assert run.complete and run.model_path is not None and run.model_path.name == "model.keras"
    assert out.is_file() and result.model_path == str(out)  # --out gets its copy; the run keeps its own
    assert run.headline == ("exact_match", result.metrics["exact_match"]) and run.history == result.history
    assert run.data == {"path": str(pairs), "sha256": file_sha256(pairs)}
    assert run.config["examples"] == 300 and "--examples 300" in run.command and f"--data {pairs}" in run.command
    assert dates.load_model(run.model_path).metrics["exact_match"] == result.metrics["exact_match"]


def test_the_recorded_command_reproduces_the_run(capsys: pytest.CaptureFixture[str]) -> None:
    result = dates.train(tiny(lr=0.02, batch=128, real_share=0.25), control=Control())
    run = find_run(result.metrics["run"])
    assert "--lr 0.02" in run.command and "--batch 128" in run.command and "--real-share 0.25" in run.command
    assert run.data == {"path": None, "sha256": None}  # generated from the seed: no file
    again = rerun(run.command, "dates", capsys)
    assert again.id != run.id and again.complete and again.config == run.config and again.data == run.data
    assert again.model_path != run.model_path  # the same settings twice: two runs, two files
    # Keras is seeded and the batches' order too: on one machine (CPU) the same command gives the
    # very same figures and loss curve, measured (the time spent generating the data aside).
    same = lambda metrics: {k: v for k, v in metrics.items() if k not in ("run", "data_seconds")}  # noqa: E731
    assert same(again.metrics) == same(run.metrics) and again.history == run.history
