"""Tests for seqtui_models.emojify.training: V1 runs through the training protocol, saved and reloaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from emojify_helpers import write
from seqtui_models import emojify
from seqtui_models.core.errors import DataFileError, InvalidInput
from seqtui_models.core.training import Control
from seqtui_models.emojify.data import COURSE_LABELS


def test_train_protocol_saves_a_loadable_model(tmp_path: Path) -> None:
    out = tmp_path / "v1.npz"
    events: list[object] = []
    config = emojify.preset_config("v1", epochs=60, out=str(out))
    result = emojify.train(config, control=Control(), on_progress=events.append)
    assert result.status == "finished" and result.steps == 60 and out.is_file()
    assert 0.6 < result.metrics["train_accuracy"] <= 1 and 0.4 < result.metrics["test_accuracy"] <= 1
    assert events and "accuracy" in events[-1].metrics  # type: ignore[attr-defined]
    model = emojify.load_model(out)
    assert model.labels == COURSE_LABELS and model.metrics["epochs"] == 60
    assert emojify.evaluate(model, emojify.load_test()).accuracy == pytest.approx(result.metrics["test_accuracy"])


def test_the_course_preset_stops_at_a_target_accuracy(tmp_path: Path) -> None:
    config = emojify.preset_config("v1", "course", epochs=400, target_accuracy=0.5, out=str(tmp_path / "c.npz"))
    result = emojify.train(config, control=Control())
    assert result.steps < 400 and result.metrics["train_accuracy"] >= 0.5


def test_a_stop_saves_the_weights_so_far(tmp_path: Path) -> None:
    control = Control()
    control.stop()
    result = emojify.train(emojify.preset_config("v1", out=str(tmp_path / "s.npz")), control=control)
    assert result.status == "stopped" and result.steps == 1 and (tmp_path / "s.npz").is_file()


def test_training_on_your_own_classes(tmp_path: Path) -> None:
    rows = ["woof woof,0", "the dog barked,0", "puppy fetch ball,0", "meow meow,1", "the cat purred,1",
            "kitten yarn,1", "fish in the bowl,2", "goldfish swimming,2", "the fish swam,2"]
    path = write(tmp_path, "sentence,label\n" + "\n".join(rows) + "\n")
    config = emojify.preset_config("v1", data=(str(path),), labels="🐶 dog, 🐱 cat, 🐟 fish", epochs=200,
                                   out=str(tmp_path / "pets.npz"))
    result = emojify.train(config, control=Control())
    assert result.metrics["classes"] == 3 and result.metrics["test_accuracy"] is None
    model = emojify.load_model(tmp_path / "pets.npz")
    assert model.labels.emoji == ("🐶", "🐱", "🐟")
    assert emojify.predict(model, "my kitten").emoji == "🐱"
    with pytest.raises(InvalidInput, match="labelled with other classes"):
        emojify.evaluate(model, emojify.data_file("emojify_test.csv"))


def test_runs_save_to_their_run_folder_unless_told_otherwise(seqtui_home: Path) -> None:
    result = emojify.train(emojify.preset_config("v1", "course", epochs=2), control=Control())
    path = Path(result.model_path or "")
    assert path.name == "model.npz" and path.parent.name == result.metrics["run"]
    assert path.is_relative_to(seqtui_home / "runs")
