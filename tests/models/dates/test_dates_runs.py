"""Date runs in the registry: each kept with its model, data and command; a recorded command reproduces its run."""

from __future__ import annotations

from pathlib import Path

import pytest

from seqtui_models import dates
from seqtui_models.core.runs import file_sha256, find_run
from seqtui_models.core.training import Control
from run_helpers import rerun, two_runs

pytestmark = pytest.mark.slow  # TensorFlow


def tiny(**overrides: object) -> dates.TrainConfig:
    """Our model for one batch, evaluated only at the end (the course's unrolled model takes three
    times as long to build)."""
    return dates.preset_config("best", **{"examples": 256, "epochs": 1, "eval_every": 0, "seed": 3, **overrides})


def test_every_run_is_kept_with_its_model_command_and_data(tmp_path: Path) -> None:
    out = tmp_path / "mine.keras"
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("".join(f"{p.human}\t{p.iso}\n" for p in dates.generate(300, seed=4)), encoding="utf-8")
    first = dates.train(tiny(out=str(out)), control=Control())
    second = dates.train(tiny(data=str(pairs)), control=Control())
    a, b = two_runs("dates", first, second, ".keras")
    assert out.is_file() and first.model_path == str(out) and second.model_path == str(b.model_path)
    assert a.headline == ("exact_match", first.metrics["exact_match"]) and a.history == first.history
    assert a.command == "seqtui dates train --preset best --examples 256 --epochs 1 --eval-every 0 --seed 3"
    assert a.data == {"path": None, "sha256": None}  # generated from the seed: no file
    assert b.data == {"path": str(pairs), "sha256": file_sha256(pairs)}
    assert b.config["examples"] == 300 and "--examples 300" in b.command and f"--data {pairs}" in b.command
    assert dates.load_model(a.model_path).metrics["exact_match"] == first.metrics["exact_match"]


def test_the_recorded_command_reproduces_the_run(capsys: pytest.CaptureFixture[str]) -> None:
    result = dates.train(tiny(lr=0.02, batch=128, real_share=0.25), control=Control())
    run = find_run(result.metrics["run"])
    assert "--lr 0.02" in run.command and "--batch 128" in run.command and "--real-share 0.25" in run.command
    again = rerun(run.command, "dates", capsys)
    assert again.id != run.id and again.complete and again.config == run.config and again.data == run.data
    # Keras is seeded and the batches' order too: on one machine (CPU) the same command gives the
    # very same figures and loss curve, measured (the time spent generating the data aside).
    same = lambda metrics: {k: v for k, v in metrics.items() if k not in ("run", "data_seconds")}  # noqa: E731
    assert same(again.metrics) == same(run.metrics) and again.history == run.history
