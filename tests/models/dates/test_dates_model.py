"""Model files: saved and loaded in Keras' safe mode, broken files refused, the bundled file's metadata."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from seqtui_models.dates import BEST_VOCAB, DEFAULT_MODEL, DateModel, load_model, save_model
from seqtui_models.dates.model import FORMAT
from seqtui_models.core.errors import InvalidInput, ModelFileError
from seqtui_models.core.model_files import read_meta
from seqtui_models.core.paths import data_file
from seqtui_models.core.training import RunResult


@pytest.mark.slow
def test_saved_models_load_in_keras_safe_mode(tiny_course: RunResult, tiny_best: RunResult) -> None:
    import keras

    for result in (tiny_course, tiny_best):
        path = result.model_path
        raw = keras.saving.load_model(path, safe_mode=True, compile=False)
        loaded = load_model(path)
        original: DateModel = result.payload["model"]
        assert loaded.preset == original.preset and loaded.vocab == original.vocab
        assert raw.count_params() == original.translator.count_params()
        for a, b in zip(raw.get_weights(), original.translator.get_weights()):
            np.testing.assert_array_equal(a, b)
        with zipfile.ZipFile(path) as archive:
            assert not any("lambda" in name.lower() for name in archive.namelist())
            assert b"Lambda" not in archive.read("config.json")
    assert load_model(tiny_course.model_path).translator.count_params() == 52_960
    texts = ["3 May 1979", "the 4th of july 1976"]  # predictions too (ours: cheap to compile)
    np.testing.assert_allclose(load_model(tiny_best.model_path).predict(texts)[0],
                               tiny_best.payload["model"].predict(texts)[0], atol=1e-6)


def write_zip(path: Path, members: dict[str, object]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content if isinstance(content, (str, bytes)) else json.dumps(content))
    return path


def test_broken_model_files_are_refused_before_keras_reads_them(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="No such model file"):
        load_model(tmp_path / "missing.keras")
    with pytest.raises(ModelFileError, match="is a folder, not a date model"):
        load_model(tmp_path)
    junk = tmp_path / "junk.keras"
    junk.write_bytes(b"not a zip at all")
    with pytest.raises(ModelFileError, match="not a date model \\(not a model archive\\)"):
        load_model(junk)
    with pytest.raises(ModelFileError, match="not a date model \\(no seqtui.json inside"):
        load_model(write_zip(tmp_path / "other.keras", {"config.json": "{}"}))
    with pytest.raises(ModelFileError, match="'seqtui-other/9' file, not a date model"):
        load_model(write_zip(tmp_path / "wrong.keras", {"seqtui.json": {"format": "seqtui-other/9"}}))
    with pytest.raises(ModelFileError, match="unknown preset 'huge'"):
        load_model(write_zip(tmp_path / "huge.keras", {"seqtui.json": {"format": FORMAT, "preset": "huge", "chars": "ab", "tx": 9}}))
    with pytest.raises(ModelFileError, match="not a readable date model"):
        load_model(write_zip(tmp_path / "short.keras", {"seqtui.json": {"format": FORMAT, "preset": "best"}}))


def test_models_are_saved_as_keras_files_only(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"Date model files end in \.keras \(got m\.npz\)"):
        save_model(tmp_path / "m.npz", DateModel("best", BEST_VOCAB, translator=None))  # refused before Keras saves
    assert not (tmp_path / "m.npz").exists()


def test_the_bundled_file_is_a_best_date_model() -> None:
    meta = read_meta(data_file(DEFAULT_MODEL), FORMAT, "date model", "reinstall seqtui")
    assert meta["format"] == "seqtui-dates/1" and meta["preset"] == "best"
    assert (meta["tx"], meta["chars"]) == (BEST_VOCAB.tx, BEST_VOCAB.chars)
    assert meta["metrics"]["exact_match"] >= 0.99


@pytest.mark.slow
def test_networks_that_do_not_fit_their_metadata_are_refused(tmp_path: Path, tiny_best: RunResult) -> None:
    def copy_with(name: str, meta: dict | None) -> Path:
        path = tmp_path / name
        with zipfile.ZipFile(tiny_best.model_path) as src, zipfile.ZipFile(path, "w") as dst:
            for item in src.namelist():
                data = src.read(item)
                if item == "seqtui.json":
                    data = json.dumps({**json.loads(data), **meta}).encode() if meta is not None else data
                elif meta is None:
                    continue  # the metadata alone: nothing for Keras to load
                dst.writestr(item, data)
        return path

    with pytest.raises(ModelFileError, match="could not be loaded by Keras"):
        load_model(copy_with("empty.keras", None))
    with pytest.raises(ModelFileError, match="do not match a best date model with T_x 40 and 12 input characters"):
        load_model(copy_with("fewer.keras", {"chars": "0123456789"}))
