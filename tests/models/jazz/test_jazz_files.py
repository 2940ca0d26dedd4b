"""Jazz model files: one .keras with seqtui.json inside, older models with a _values.json, broken files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from seqtui_models import jazz
from seqtui_models.core.errors import InvalidInput, ModelFileError
from seqtui_models.core.model_files import META_NAME, read_meta
from seqtui_models.core.paths import data_file
from seqtui_models.jazz.files import FORMAT, LEGACY_FORMAT
from seqtui_models.jazz.stats import SoloStats
from music_files import toy_model


def copy_with_meta(source: Path, target: Path, meta: dict[str, Any] | None) -> Path:
    """``source``'s archive with its ``seqtui.json`` replaced by ``meta`` (or left out when None)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            if item.filename != META_NAME:
                new.writestr(item, old.read(item))
        if meta is not None:
            new.writestr(META_NAME, json.dumps(meta))
    return target


def bundled_meta() -> dict[str, Any]:
    with zipfile.ZipFile(data_file(jazz.DEFAULT_MODEL)) as archive:
        return json.loads(archive.read(META_NAME))  # type: ignore[no-any-return]


def as_legacy(folder: Path, name: str = "old") -> Path:
    """The bundled model as seqtui saved models before: the network alone, its metadata in NAME_values.json."""
    path = copy_with_meta(data_file(jazz.DEFAULT_MODEL), folder / f"{name}.keras", None)
    (folder / f"{name}_values.json").write_text(json.dumps({**bundled_meta(), "format": LEGACY_FORMAT}))
    return path


def test_the_bundled_model_is_one_file_in_the_current_format() -> None:
    path = data_file(jazz.DEFAULT_MODEL)
    meta = read_meta(path, FORMAT, "jazz model", "reinstall seqtui")
    assert meta["format"] == "seqtui-jazz/2" and len(meta["values"]) == 111
    assert not path.with_name("jazz_values.json").exists()


def test_loading_the_bundled_model_needs_neither_keras_nor_tensorflow() -> None:
    code = ("import sys; from seqtui_models import jazz; model = jazz.default_model(); "
            "print(model.n_values, sorted({'keras', 'tensorflow'} & set(sys.modules)))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["111", "[]"]


@pytest.mark.slow
def test_the_bundled_model_improvises_at_once() -> None:
    model = jazz.default_model()
    assert model.pieces and model.train_stats is not None and model.n_values > 50
    imp = jazz.generate(model, jazz.GenerateConfig(bars=8, temperature=0.7, seed=0))
    assert imp.solo.bars == 8 and len(imp.solo.melody) > 8
    assert abs(imp.stats.chord_tones - model.train_stats.chord_tones) < 0.3


@pytest.mark.slow
def test_a_model_round_trips_through_one_file(tmp_path: Path) -> None:
    stats = SoloStats.from_dict(bundled_meta()["train_stats"])
    model = replace(toy_model(), config=jazz.preset_config("course", epochs=7), train_stats=stats,
                    metrics={"loss": 1.25, "epochs": 7})
    path = jazz.save_model(tmp_path / "m.keras", model)
    assert os.listdir(tmp_path) == ["m.keras"]  # one file, written atomically: no sidecar, no temporary
    assert read_meta(path, FORMAT, "jazz model", "train one")["values"] == list(model.values)
    loaded = jazz.load_model(path)
    assert loaded == replace(model, weights=loaded.weights, path=str(path))
    for name, array in model.weights.as_arrays().items():
        np.testing.assert_array_equal(loaded.weights.as_arrays()[name], array.astype(np.float32))  # Keras keeps float32
    through_keras = jazz.load_model(path, with_keras=True)
    for name, array in through_keras.weights.as_arrays().items():
        np.testing.assert_array_equal(array, loaded.weights.as_arrays()[name])
    with pytest.raises(InvalidInput, match="pass --out NAME.keras"):
        jazz.save_model(tmp_path / "m.npz", model)


def test_an_older_model_with_its_values_json_still_loads(tmp_path: Path) -> None:
    old = jazz.load_model(as_legacy(tmp_path))
    new = jazz.default_model()
    assert replace(old, path=None) == replace(new, weights=old.weights, path=None)
    for name, array in old.weights.as_arrays().items():
        np.testing.assert_array_equal(array, new.weights.as_arrays()[name])
    sidecar = tmp_path / "old_values.json"
    sidecar.write_text("{not json")
    with pytest.raises(ModelFileError, match="old_values.json is broken"):
        jazz.load_model(tmp_path / "old.keras")
    sidecar.write_text(json.dumps({**bundled_meta(), "format": "something/1"}))
    with pytest.raises(ModelFileError, match="not a seqtui jazz model description"):
        jazz.load_model(tmp_path / "old.keras")
    meta = bundled_meta()
    sidecar.write_text(json.dumps({**meta, "format": LEGACY_FORMAT, "values": meta["values"] + ["R,3.000"]}))
    with pytest.raises(ModelFileError, match="old.keras predicts 111 values but old_values.json lists 112"):
        jazz.load_model(tmp_path / "old.keras")


def test_a_file_without_metadata_gets_one_clear_error(tmp_path: Path) -> None:
    bare = copy_with_meta(data_file(jazz.DEFAULT_MODEL), tmp_path / "bare.keras", None)  # a Keras file, no sidecar
    with pytest.raises(ModelFileError) as caught:
        jazz.load_model(bare)
    message = str(caught.value)
    assert f"no {META_NAME} inside" in message and "seqtui jazz train" in message
    assert caught.value.__cause__ is None and caught.value.__context__ is None  # one error, nothing chained to it


def test_broken_and_foreign_model_files_get_clear_messages(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="No such model"):
        jazz.load_model(tmp_path / "none.keras")
    text = tmp_path / "notes.keras"
    text.write_bytes(b"not a zip")
    with pytest.raises(ModelFileError, match="not a model archive"):
        jazz.load_model(text)
    with pytest.raises(ModelFileError, match="seqtui-dates"):
        jazz.load_model(data_file("dates.keras"))
    meta = bundled_meta()
    source = data_file(jazz.DEFAULT_MODEL)
    more = copy_with_meta(source, tmp_path / "more.keras", {**meta, "values": meta["values"] + ["R,3.000"]})
    with pytest.raises(ModelFileError, match="predicts 111 values but more.keras's seqtui.json lists 112"):
        jazz.load_model(more)
    broken = copy_with_meta(source, tmp_path / "broken.keras", {**meta, "anchor": "high"})
    with pytest.raises(ModelFileError, match="broken.keras's seqtui.json is broken"):
        jazz.load_model(broken)
    stray = copy_with_meta(source, tmp_path / "stray.keras", {**meta, "pieces": [
        {**meta["pieces"][0], "values": [0, 111]}]})
    with pytest.raises(ModelFileError, match="refers to values it does not list"):
        jazz.load_model(stray)
