"""CharModel and its file: format 2 round trips, format 1 still loads, every wrong file is one ModelFileError."""

from __future__ import annotations

import json
import zipfile
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest
from dinos_helpers import NAMES, random_model, write

from seqtui_models import dinos
from seqtui_models.core.errors import InvalidInput, ModelFileError
from seqtui_models.core.model_files import META_NAME, read_meta, save_npz
from seqtui_models.core.paths import data_file
from seqtui_models.dinos import CharModel, Vocab, load_model, load_names, name_logprob, sample_names, save_model
from seqtui_models.dinos import net as dinos_net
from seqtui_models.dinos.model import DEFAULT_MODEL, FORMAT, FORMAT_1


def save_format_1(path: Path, model: CharModel) -> Path:
    """Write a model the way seqtui did before format 2: everything in arrays, the format among them."""
    meta = {"cell": model.cell, "hidden": model.hidden, "metrics": dict(model.metrics)}
    np.savez(
        path, format=np.array(FORMAT_1), config=np.array(json.dumps(asdict(model.config), sort_keys=True)),
        vocab=np.array(model.vocab.chars), meta=np.array(json.dumps(meta, default=float)),
        train_names=np.array(model.train_names, dtype=str), val_names=np.array(model.val_names, dtype=str),
        **model.params,
    )
    return path


def assert_same_model(loaded: CharModel, model: CharModel) -> None:
    assert loaded.cell == model.cell and loaded.vocab == model.vocab and loaded.config == model.config
    assert loaded.train_names == model.train_names and loaded.val_names == model.val_names
    assert dict(loaded.metrics) == dict(model.metrics)
    assert set(loaded.params) == set(model.params)
    for name, value in model.params.items():
        np.testing.assert_array_equal(loaded.params[name], value)
        assert loaded.params[name].dtype == value.dtype


def tampered(source: Path, target: Path, *, arrays: dict | None = None, meta: dict | None = None) -> Path:
    """A copy of a format-2 file with some arrays or metadata entries replaced."""
    with np.load(source, allow_pickle=False) as data:
        saved = {k: data[k] for k in data.files if k != META_NAME}
    return save_npz(target, {**saved, **(arrays or {})},
                    {**read_meta(source, FORMAT, "model", "hint"), **(meta or {})}, "test model")


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_format_2_round_trip(tmp_path: Path, cell: str) -> None:
    model = random_model(cell)
    model = CharModel(model.cell, model.vocab, model.params, model.config, model.train_names, model.val_names,
                      {"val_nll": 1.75, "stopped_early": True})
    path = save_model(tmp_path / "m.npz", model)
    with np.load(path, allow_pickle=False) as data:  # the weights as arrays, nothing else, no pickle needed
        assert set(data.files) == {META_NAME, *dinos_net.parameter_names(cell)}
    meta = read_meta(path, FORMAT, "Dinosaur Island model", "hint")  # the rest, readable without numpy
    assert meta["format"] == "seqtui-dinos/2" and meta["cell"] == cell and meta["hidden"] == 6
    assert meta["vocab"] == model.vocab.chars and meta["train_names"] == list(model.train_names)
    assert meta["config"]["cell"] == cell and meta["metrics"] == {"val_nll": 1.75, "stopped_early": True}
    loaded = load_model(path)
    assert_same_model(loaded, model)
    assert name_logprob(loaded, "allosaurus") == pytest.approx(name_logprob(model, "allosaurus"))


@pytest.mark.parametrize("cell", ["rnn", "gru"])
def test_format_1_files_still_load(tmp_path: Path, cell: str) -> None:
    model = random_model(cell)
    model = CharModel(model.cell, model.vocab, model.params, model.config, model.train_names, model.val_names,
                      {"val_nll": 1.9})
    path = save_format_1(tmp_path / "old.npz", model)
    loaded = load_model(path)
    assert_same_model(loaded, model)
    # Saved again, it is a format-2 file with the same model.
    again = save_model(tmp_path / "new.npz", loaded)
    assert read_meta(again, FORMAT, "model", "hint")["format"] == FORMAT
    assert_same_model(load_model(again), model)


def test_a_file_of_another_format_is_one_model_file_error(tmp_path: Path) -> None:
    weights = {"Wax": np.zeros((2, 2))}
    old_layout = tmp_path / "emojify.npz"
    np.savez(old_layout, format=np.array("seqtui-emojify-v1/1"), W=np.zeros((2, 2)))  # a format array, no seqtui.json
    cases = {
        save_npz(tmp_path / "cells.npz", weights, {"format": "seqtui-cells/1"}, "cells model"): "'seqtui-cells/1'",
        save_npz(tmp_path / "future.npz", weights, {"format": "seqtui-dinos/3"}, "model"): "'seqtui-dinos/3'",
        old_layout: "'seqtui-emojify-v1/1'",
    }
    for path, found in cases.items():
        with pytest.raises(ModelFileError) as info:
            load_model(path)
        message = str(info.value)
        assert f"is a {found} file, not a Dinosaur Island model ('seqtui-dinos/2')" in message, message
        assert "seqtui dinos train" in message
        assert info.value.__cause__ is None and info.value.__context__ is None  # one error, not a chain


def test_broken_and_foreign_model_files(tmp_path: Path) -> None:
    good = save_model(tmp_path / "good.npz", random_model("gru"))
    cases = {
        "missing": tmp_path / "missing.npz",
        "folder": tmp_path,
        "garbage": write(tmp_path / "garbage.npz", b"this is not a zip file at all"),
        "truncated": write(tmp_path / "truncated.npz", good.read_bytes()[:300]),
        "no cell": tampered(good, tmp_path / "no-cell.npz", meta={"cell": "transformer"}),
        "names": tampered(good, tmp_path / "names.npz", meta={"train_names": "tyrannosaurus"}),
        "config": tampered(good, tmp_path / "config.npz", meta={"config": ["not", "an", "object"]}),
        "vocab": tampered(good, tmp_path / "vocab.npz", meta={"vocab": ["\n", "a"]}),
    }
    foreign = tmp_path / "foreign.npz"
    np.savez(foreign, Wf=np.zeros((2, 2)), config=np.array("{}"))  # e.g. another program's arrays
    cases["foreign"] = foreign
    for name, path in cases.items():
        with pytest.raises(ModelFileError) as info:
            load_model(path)
        assert "seqtui dinos train" in str(info.value), name
    # A parameter of the wrong shape, a missing one, a NaN.
    with np.load(good, allow_pickle=False) as data:
        Wy, Wr = data["Wy"], data["Wr"]
    with pytest.raises(ModelFileError, match="rows but its vocabulary"):
        load_model(tampered(good, tmp_path / "rows.npz", arrays={"Wy": Wy[:5]}))
    with pytest.raises(ModelFileError, match="Wr has shape"):
        load_model(tampered(good, tmp_path / "shape.npz", arrays={"Wr": Wr[:, :3]}))
    with pytest.raises(ModelFileError, match="NaN"):
        load_model(tampered(good, tmp_path / "nan.npz", arrays={"Wr": np.full_like(Wr, np.nan)}))
    assert zipfile.is_zipfile(good)


def test_only_npz_names_are_saved(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"end in \.npz"):
        save_model(tmp_path / "model.keras", random_model("rnn"))
    assert not list(tmp_path.iterdir())


def test_a_model_of_another_vocabulary_is_refused(tmp_path: Path) -> None:
    path = save_model(tmp_path / "m.npz", random_model("rnn"))
    other = load_names(write(tmp_path / "people.txt", "Mary-Jane\nann\nbo\nkim\n")).vocab
    with pytest.raises(ModelFileError, match="alphabet"):
        load_model(path, vocab=other)
    assert load_model(path, vocab=Vocab.from_names(NAMES)).cell == "rnn"


def test_bundled_model_loads_and_samples_new_names() -> None:
    model = dinos.default_model()
    assert read_meta(data_file(DEFAULT_MODEL), FORMAT, "model", "hint")["cell"] == model.cell == "lstm"
    assert model.vocab.chars == "\nabcdefghijklmnopqrstuvwxyz" and len(model.train_names) > 1000
    assert model.metrics["val_nll"] < 1.8
    names = sample_names(model, 50, seed=0)
    assert sum(s.novelty == "new" for s in names) >= 30


def test_prefixes_are_normalised_and_checked() -> None:
    model = random_model("lstm")
    assert model.vocab.decode(model.encode_prefix(" Tyr")) == "tyr"
    assert len(model.encode_prefix("")) == 0
    with pytest.raises(InvalidInput, match="no letters"):
        model.encode_prefix("42")
    with pytest.raises(InvalidInput, match="does not know"):
        model.encode_prefix("zzz")  # the test names have no z
