"""Jazz runs in the registry: each kept in its own folder with its model, and reproducible from its command."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from seqtui_models import jazz
from seqtui_models.core.runs import file_sha256, find_run
from seqtui_models.core.training import Control
from seqtui_models.jazz.corpus import DEFAULT_CORPUS, corpus_files
from music_files import write_band
from run_helpers import rerun

pytestmark = pytest.mark.slow


def small(midi: Path, **overrides: object) -> jazz.TrainConfig:
    """The smallest run the training tests use: 3 epochs over 16 windows of 8 values."""
    return jazz.preset_config("fast", midi=str(midi), epochs=3, Tx=8, windows=16, seed=2, **overrides)


def test_a_run_is_kept_with_its_model_command_and_data(tmp_path: Path) -> None:
    midi = write_band(tmp_path / "band.mid", drums=False)
    out = tmp_path / "mine.keras"
    first = jazz.train(small(midi, out=str(out)), control=Control())
    a = find_run(first.metrics["run"])
    assert a.complete and a.model_path is not None and a.model_path.name == "model.keras"
    assert out.is_file() and first.model_path == str(out)  # --out gets its copy; the run keeps its own
    assert a.data == {"path": str(midi), "sha256": file_sha256(midi)}
    assert a.headline == ("loss", first.loss) and first.metrics["loss"] == first.loss  # the final loss
    assert a.history == first.history and a.history[-1][0] == first.steps and a.status == "finished"
    assert a.command.startswith("seqtui jazz train --preset fast --midi ")
    for option in ("--epochs 3", "--windows 16", "--tx 8", "--seed 2"):
        assert option in a.command
    assert "--out" not in a.command and "--hidden" not in a.command  # n_a is the preset's
    kept = jazz.load_model(a.model_path)
    np.testing.assert_allclose(kept.weights.kernel, first.payload["model"].weights.kernel, atol=1e-6)


def test_the_recorded_command_reproduces_the_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    midi = write_band(tmp_path / "band.mid", drums=False)
    result = jazz.train(small(midi, n_a=12), control=Control())
    run = find_run(result.metrics["run"])
    assert "--hidden 12" in run.command
    again = rerun(run.command, "jazz", capsys)
    assert again.id != run.id and again.complete and again.model_path != run.model_path  # two runs, two files
    assert again.config == run.config and again.command == run.command and again.data == run.data
    # The windows are drawn from the seed, the weights are seeded and the batches are not shuffled:
    # on one machine (CPU) the same command gives the very same figures, measured.
    assert {k: v for k, v in again.metrics.items() if k != "run"} == {k: v for k, v in run.metrics.items() if k != "run"}
    assert again.headline == run.headline and again.history == run.history


def test_the_default_corpus_is_recorded_by_its_files() -> None:
    files = corpus_files()
    assert len(files) == len(DEFAULT_CORPUS) and all(f.is_file() for f in files)
