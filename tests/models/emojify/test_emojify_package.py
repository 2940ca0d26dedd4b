"""Tests for the emojify door (seqtui_models.emojify): loading by name, predicting, warming up V2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import seqtui_models.emojify as emojify
from seqtui_models.core.errors import InvalidInput, ModelFileError


def test_every_exported_name_exists() -> None:
    missing = [name for name in emojify.__all__ if not hasattr(emojify, name)]
    assert not missing


def test_the_bundled_v1_predicts_and_explains() -> None:
    model = emojify.load_model("v1")
    assert model.kind == "v1" and model.labels == emojify.COURSE_LABELS
    assert emojify.predict(model, "lets eat pizza and pasta tonight").emoji == "🍴"
    assert emojify.predict(model, "we won the baseball game").emoji == "⚾"
    assert model.metrics["test_accuracy"] > 0.75
    with pytest.raises(InvalidInput, match="no words"):
        emojify.predict(model, "?!")


def test_files_are_chosen_by_suffix(tmp_path: Path) -> None:
    assert emojify.resolve("v1").name == "emojify_v1.npz" and emojify.resolve("v2").name == "emojify_v2.keras"
    assert (emojify.model_kind("a.npz"), emojify.model_kind("a.keras")) == ("v1", "v2")
    with pytest.raises(InvalidInput, match=r"neither a V1 \(.npz\) nor a V2 \(.keras\)"):
        emojify.load_model(tmp_path / "model.txt")
    with pytest.raises(ModelFileError, match="No such model file"):
        emojify.load_model(tmp_path / "missing.keras")  # refused before Keras is needed


def test_the_door_imports_neither_keras_nor_the_ui() -> None:
    code = (
        "import sys, seqtui_models.emojify; "
        "sys.exit(bool({'keras', 'tensorflow', 'textual', 'rich'} & set(sys.modules)))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


@pytest.mark.slow
def test_warm_up_imports_keras_and_v2() -> None:
    code = (
        "import sys, seqtui_models.emojify as e; e.warm_up(); "
        "sys.exit(not {'keras', 'seqtui_models.emojify.v2'} <= set(sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
