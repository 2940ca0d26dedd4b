"""CharModel and its file: a round trip, and every broken or foreign file is a ModelFileError."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest
from dinos_helpers import NAMES, random_model, write

from seqtui_models import dinos
from seqtui_models.core.errors import InvalidInput, ModelFileError
from seqtui_models.dinos import Vocab, load_model, load_names, name_logprob, sample_names, save_model


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_save_and_load_round_trip(tmp_path: Path, cell: str) -> None:
    model = random_model(cell)
    path = save_model(tmp_path / "m.npz", model)
    with np.load(path, allow_pickle=False) as data:  # documented keys, no pickle needed
        assert str(data["format"]) == "seqtui-dinos/1" and str(data["vocab"]) == model.vocab.chars
    loaded = load_model(path)
    assert loaded.cell == cell and loaded.vocab == model.vocab and loaded.config == model.config
    assert loaded.train_names == model.train_names and loaded.val_names == model.val_names
    assert name_logprob(loaded, "allosaurus") == pytest.approx(name_logprob(model, "allosaurus"))


def test_broken_and_foreign_model_files(tmp_path: Path) -> None:
    good = save_model(tmp_path / "good.npz", random_model("gru"))
    cases = {
        "missing": tmp_path / "missing.npz",
        "garbage": write(tmp_path / "garbage.npz", b"this is not a zip file at all"),
        "truncated": write(tmp_path / "truncated.npz", good.read_bytes()[:300]),
    }
    foreign = tmp_path / "foreign.npz"
    np.savez(foreign, Wf=np.zeros((2, 2)), config=np.array("{}"))  # e.g. another task's model
    cases["foreign"] = foreign
    for name, path in cases.items():
        with pytest.raises(ModelFileError) as info:
            load_model(path)
        assert "seqtui dinos train" in str(info.value), name
    # A parameter of the wrong shape: rewrite the archive with one array replaced.
    tampered = tmp_path / "tampered.npz"
    with np.load(good, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    arrays["Wy"] = arrays["Wy"][:5]
    np.savez(tampered, **arrays)
    with pytest.raises(ModelFileError, match="rows but its vocabulary"):
        load_model(tampered)
    assert zipfile.is_zipfile(good)


def test_a_model_of_another_vocabulary_is_refused(tmp_path: Path) -> None:
    path = save_model(tmp_path / "m.npz", random_model("rnn"))
    other = load_names(write(tmp_path / "people.txt", "Mary-Jane\nann\nbo\nkim\n")).vocab
    with pytest.raises(ModelFileError, match="alphabet"):
        load_model(path, vocab=other)
    assert load_model(path, vocab=Vocab.from_names(NAMES)).cell == "rnn"


def test_bundled_model_loads_and_samples_new_names() -> None:
    model = dinos.default_model()
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
