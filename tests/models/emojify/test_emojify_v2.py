"""Emojify V2 (Keras): the course's functions, a tiny training run, safe-mode files, occlusion."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from seqtui_models import emojify
from seqtui_models.emojify.data import COURSE_LABELS
from seqtui_models.core.errors import ModelFileError
from seqtui_models.core.training import Control
from run_helpers import tiny_emojify_csv

pytestmark = pytest.mark.slow



@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any, Path]:
    """A tiny V2 (2 networks of 6 units, 3 epochs) trained through the protocol and saved."""
    folder = tmp_path_factory.mktemp("v2")
    csv = tiny_emojify_csv(folder)
    out = folder / "tiny.keras"
    events: list[Any] = []
    config = emojify.preset_config("v2", data=(str(csv),), epochs=3, members=2, units=6, batch=5, patience=0,
                                   val_fraction=0.0, seed=4, out=str(out))
    result = emojify.train(config, control=Control(), on_progress=events.append)
    return result, events, out


def test_sentences_to_indices_pads_cuts_and_marks_unknown_words() -> None:
    from seqtui_models.emojify.v2 import UNKNOWN, sentences_to_indices

    word_to_index = {"i": 2, "love": 3, "pizza": 4}
    X = sentences_to_indices(["I love pizza", "zork pizza i love pizza", ""], word_to_index, max_len=4)
    assert X.tolist() == [[2, 3, 4, 0], [UNKNOWN, 4, 2, 3], [0, 0, 0, 0]]


def test_pretrained_embedding_layer_is_frozen_glove() -> None:
    from seqtui_models.emojify.v2 import pretrained_embedding_layer

    wv = emojify.word_vectors(None)
    layer = pretrained_embedding_layer(wv, {"love": 2, "pizza": 3})
    matrix = layer.get_weights()[0]
    assert matrix.shape == (4, wv.dim + 1) and not layer.trainable
    assert not matrix[0].any()  # padding
    assert matrix[1, : wv.dim].sum() == 0 and matrix[1, wv.dim] == 1  # the unknown-word row
    assert np.allclose(matrix[3, : wv.dim], wv.vector("pizza")) and matrix[3, wv.dim] == 0


def test_tiny_training_reports_progress_and_saves(tiny: tuple[Any, Any, Path]) -> None:
    result, events, out = tiny
    assert result.status == "finished" and out.is_file()
    assert result.metrics["members"] == 2 and result.metrics["epochs"] == [3, 3]
    steps = [e.step for e in events]
    assert steps == sorted(steps) and steps[-1] == result.steps == 2 * 3 * 3  # members × epochs × batches
    assert "accuracy" in events[-2].metrics
    assert result.metrics["test_accuracy"] is not None  # course labels: the bundled test file is scored
    assert out.stat().st_size < 200_000  # the GloVe matrix is not in the file
    names = zipfile.ZipFile(out).namelist()
    assert "seqtui.json" in names and "model.weights.h5" in names


def test_saved_model_loads_in_safe_mode_and_predicts_the_same(tiny: tuple[Any, Any, Path]) -> None:
    import keras

    result, _, out = tiny
    trained = result.payload["model"]
    net = keras.saving.load_model(out, safe_mode=True)  # no Lambda, no custom code
    assert net.output_shape[-1] == 5
    loaded = emojify.load_model(out)
    sentences = ["i love pizza", "zzqqx the game", "we lost and i cry"]
    assert np.allclose(trained.probabilities(sentences), loaded.probabilities(sentences), atol=1e-6)
    assert loaded.labels == COURSE_LABELS and loaded.metrics["members"] == 2


def test_the_reader_matches_the_course_model_with_its_embedding_layer(tiny: tuple[Any, Any, Path]) -> None:
    """The saved reader on numpy-embedded vectors = Emojify_V2 (embedding layer + reader) on indices."""
    import keras

    from seqtui_models.emojify.v2 import build_word_to_index, sentences_to_indices

    model = tiny[0].payload["model"]
    reader = model.net.get_layer("reader_0")
    sentences = ["i love pizza so much", "zzqqx soccer"]
    word_to_index = build_word_to_index(sentences, model.wv)
    X = sentences_to_indices(sentences, word_to_index, max_len=6)
    from seqtui_models.emojify.v2 import pretrained_embedding_layer

    indices = keras.Input(shape=(6,), dtype="int32")
    full = keras.Model(indices, reader(pretrained_embedding_layer(model.wv, word_to_index)(indices)))
    via_indices = keras.ops.convert_to_numpy(full(X))
    from seqtui_models.emojify.v2 import V2Model

    single = V2Model(reader, model.labels, model.wv, 6)
    assert np.allclose(via_indices, single.probabilities(sentences), atol=1e-5)


def test_occlusion_is_the_probability_lost_without_each_word(tiny: tuple[Any, Any, Path]) -> None:
    model = tiny[0].payload["model"]
    prediction = emojify.predict(model, "i love zzqqx pizza")
    assert prediction.method == "occlusion" and prediction.unknown == ("zzqqx",)
    assert [w.known for w in prediction.words] == [True, True, False, True]
    full = model.probabilities(["i love zzqqx pizza"])[0]
    assert np.allclose(prediction.probabilities, full, atol=1e-6)
    without_love = model.probabilities(["i zzqqx pizza"])[0]
    c = prediction.label
    assert prediction.words[1].contribution == pytest.approx(full[c] - without_love[c], abs=1e-5)


def test_unknown_words_are_not_padding(tiny: tuple[Any, Any, Path]) -> None:
    model = tiny[0].payload["model"]
    embedded = model.embed([["zzqqx", "pizza"]])
    assert embedded[0, 0, -1] == 1 and embedded[0, 0, :-1].sum() == 0  # the reserved "unknown" input
    a, b = model.probabilities(["pizza", "zzqqx pizza"])
    assert not np.allclose(a, b)  # the unknown word is read, not skipped


def test_bad_v2_files_are_refused(tmp_path: Path, tiny: tuple[Any, Any, Path]) -> None:
    with pytest.raises(ModelFileError, match="No such"):
        emojify.load_model(tmp_path / "none.keras")
    (tmp_path / "junk.keras").write_bytes(b"junk")
    with pytest.raises(ModelFileError):
        emojify.load_model(tmp_path / "junk.keras")
    # a plain Keras file without our metadata
    bare = tmp_path / "bare.keras"
    with zipfile.ZipFile(tiny[2]) as source, zipfile.ZipFile(bare, "w") as target:
        for name in source.namelist():
            if name != "seqtui.json":
                target.writestr(name, source.read(name))
    with pytest.raises(ModelFileError, match="not an emojify V2"):
        emojify.load_model(bare)


def test_bundled_v2_loads_and_predicts() -> None:
    model = emojify.load_model("v2")
    assert model.kind == "v2" and model.labels == COURSE_LABELS
    assert emojify.predict(model, "lets have pizza and pasta for dinner").emoji == "🍴"
