"""Tests for seqtui_models.emojify.v1: the course's functions, the vectorised trainer, explanations, files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from emojify_helpers import WORDS, glove, toy_vectors  # noqa: F401 - fixtures
from seqtui_models import emojify
from seqtui_models.core.errors import InvalidInput, ModelFileError
from seqtui_models.core.model_files import read_meta, save_npz
from seqtui_models.core.paths import data_file
from seqtui_models.core.word_vectors import WordVectors
from seqtui_models.emojify.config import TrainConfig
from seqtui_models.emojify.data import COURSE_LABELS, parse_labels
from seqtui_models.emojify.files import fingerprint
from seqtui_models.emojify.v1 import (
    FORMAT,
    FORMAT_1,
    V1Model,
    averages,
    convert_to_one_hot,
    fit_fast,
    load_model,
    loss_and_grads,
    model as course_model,
    predict as course_predict,
    save_model,
    sentence_to_avg,
    softmax,
)


# --------------------------------------------------------------------------------------------
# The course's functions


def test_sentence_to_avg_skips_unknown_words(toy_vectors: WordVectors) -> None:
    as_dict = {w: np.array(toy_vectors.vector(w), dtype=np.float64) for w in WORDS}
    expected = (as_dict["i"] + as_dict["love"] + as_dict["pizza"]) / 3
    for mapping in (as_dict, toy_vectors):
        assert np.allclose(sentence_to_avg("I love zzz pizza", mapping), expected)
    assert np.array_equal(sentence_to_avg("qqq www", toy_vectors), np.zeros(6))


def test_the_course_loop_learns_and_matches_predict(toy_vectors: WordVectors) -> None:
    X = ["i love you", "hug you", "pizza pasta", "i love pizza", "soccer game", "goal game", "happy joy", "sad cry"]
    Y = np.array([0, 0, 4, 4, 1, 1, 2, 3])
    costs: list[float] = []
    pred, W, b = course_model(X, Y, toy_vectors, learning_rate=0.1, num_iterations=200, num_classes=5,
                              on_epoch=lambda t, cost, W, b: costs.append(cost) and False)
    assert W.shape == (5, 6) and b.shape == (5,) and pred.shape == (8, 1)
    assert costs[-1] < 0.5 * costs[0]
    assert np.array_equal(pred, course_predict(X, Y, W, b, toy_vectors))
    assert np.mean(pred[:, 0] == Y) >= 0.75


def test_softmax_regression_gradient_matches_central_differences() -> None:
    rng = np.random.default_rng(1)
    A = rng.standard_normal((7, 4))
    Y_oh = convert_to_one_hot(rng.integers(0, 3, 7), 3)
    W, b = rng.standard_normal((3, 4)), rng.standard_normal(3)
    _, grads, P = loss_and_grads(W, b, A, Y_oh)
    assert np.allclose(P.sum(axis=1), 1)
    for name, param in (("W", W), ("b", b)):
        numeric = np.zeros_like(param)
        for idx in np.ndindex(param.shape):
            old = param[idx]
            param[idx] = old + 1e-6
            up = loss_and_grads(W, b, A, Y_oh)[0]
            param[idx] = old - 1e-6
            down = loss_and_grads(W, b, A, Y_oh)[0]
            param[idx] = old
            numeric[idx] = (up - down) / 2e-6
        assert np.abs(numeric - grads[name]).max() < 1e-7


# --------------------------------------------------------------------------------------------
# The vectorised path


def test_averages_match_sentence_to_avg(glove: WordVectors) -> None:
    sentences = ["I love you", "zzzqqq", "pizza, pasta and more pizza", "not happy at all"]
    result = averages(sentences, glove)
    for row, sentence in zip(result.A, sentences):
        assert np.allclose(row, sentence_to_avg(sentence, glove))
    assert result.known_counts.tolist() == [3, 0, 5, 4]
    assert result.unknown == ((), ("zzzqqq",), (), ())


def test_fast_trainer_loss_falls(glove: WordVectors) -> None:
    data = emojify.load_train()
    A = averages(data.sentences, glove).A
    losses: list[float] = []
    fit_fast(A, data.labels, 5, epochs=40, lr=0.05, seed=0, on_epoch=lambda e, loss, W, b: losses.append(loss) and False)
    assert losses[-1] < 0.6 * losses[0]
    assert all(b <= a + 1e-9 for a, b in zip(losses[:10], losses[1:11]))  # full-batch Adam: steady at first


# --------------------------------------------------------------------------------------------
# Explanations


def test_v1_contributions_plus_bias_are_the_logits(toy_vectors: WordVectors) -> None:
    rng = np.random.default_rng(2)
    model = V1Model(rng.standard_normal((5, 6)), rng.standard_normal(5), COURSE_LABELS, toy_vectors)
    prediction = model.explain("I love pizza xyzzy pizza")
    per_class = np.array([w.per_class for w in prediction.words])  # (T, C)
    logits = per_class.sum(axis=0) + np.array(prediction.bias)
    assert np.allclose(softmax(logits), prediction.probabilities)
    assert np.allclose(prediction.probabilities, model.probabilities(["I love pizza xyzzy pizza"])[0])
    assert prediction.unknown == ("xyzzy",)
    unknown = [w for w in prediction.words if not w.known]
    assert len(unknown) == 1 and unknown[0].per_class == (0.0,) * 5
    c, r = prediction.label, prediction.runner_up
    assert r == prediction.top(2)[1][0] and r != c
    assert [w.contribution for w in prediction.words] == [w.per_class[c] - w.per_class[r] for w in prediction.words]
    margin = sum(w.contribution for w in prediction.words) + prediction.bias[c] - prediction.bias[r]
    assert margin == pytest.approx(logits[c] - logits[r])  # signed shares add up to the margin over the runner-up
    assert prediction.top(3)[0] == (prediction.label, prediction.confidence)
    with pytest.raises(InvalidInput):
        model.explain("?!")


def test_the_bundled_v1_explanation_has_words_that_pull_both_ways(glove: WordVectors) -> None:
    """Raw shares of the answer's score are nearly all positive (GloVe's common direction); relative to
    the runner-up, a word of the other class pulls the other way."""
    prediction = emojify.load_model("v1", glove).explain("i love pizza but the game was sad")
    signs = {w.word: w.contribution > 0 for w in prediction.words}
    assert True in signs.values() and False in signs.values()
    assert prediction.to_dict()["runner_up"] == prediction.runner_up


# --------------------------------------------------------------------------------------------
# Model files


def toy_model(wv: WordVectors, seed: int = 0) -> V1Model:
    """A V1 model over ``wv`` with random weights, three named classes, a config and metrics."""
    rng = np.random.default_rng(seed)
    labels = parse_labels("🐶 dog, 🐱 cat, 🐟 fish")
    config = TrainConfig(epochs=12, lr=0.2, data=("pets.csv",), labels=labels.to_spec())
    return V1Model(rng.standard_normal((3, wv.dim)), rng.standard_normal(3), labels, wv, config,
                   {"train_accuracy": 0.75, "test_accuracy": None, "epochs": 12})


def test_a_saved_model_loads_the_same(tmp_path: Path, toy_vectors: WordVectors) -> None:
    model = toy_model(toy_vectors)
    path = save_model(tmp_path / "pets.npz", model)
    assert model.path == str(path)
    meta = read_meta(path, FORMAT, "emojify V1 model", "x")
    assert meta["format"] == "seqtui-emojify-v1/2" and meta["emoji"] == ["🐶", "🐱", "🐟"]
    assert meta["config"]["epochs"] == 12 and meta["metrics"]["train_accuracy"] == 0.75  # plain JSON, no text in text
    loaded = load_model(path, toy_vectors)
    np.testing.assert_array_equal(loaded.W, model.W)
    np.testing.assert_array_equal(loaded.b, model.b)
    assert (loaded.labels, loaded.config, loaded.metrics) == (model.labels, model.config, model.metrics)
    assert loaded.probabilities(["i love pizza"]).tolist() == model.probabilities(["i love pizza"]).tolist()


def test_files_of_format_1_still_load(tmp_path: Path, toy_vectors: WordVectors) -> None:
    """Format 1 kept everything in arrays, config and metrics as JSON text (the bundled V1 until re-saved)."""
    model = toy_model(toy_vectors, seed=1)
    old = tmp_path / "old.npz"
    np.savez(old, format=np.array(FORMAT_1), W=model.W, b=model.b, emoji=np.array(model.labels.emoji),
             names=np.array(model.labels.names), vectors=np.array("toy"), dim=np.array(6),
             fingerprint=fingerprint(toy_vectors), config=np.array(model.config.to_json()),
             metrics=np.array(json.dumps(model.metrics)))
    loaded = load_model(old, toy_vectors)
    np.testing.assert_array_equal(loaded.W, model.W)
    assert (loaded.labels, loaded.config, loaded.metrics) == (model.labels, model.config, model.metrics)


def test_the_bundled_model_is_of_the_current_format() -> None:
    meta = read_meta(data_file(emojify.DEFAULT_V1), FORMAT, "emojify V1 model", "x")
    assert meta["vectors"] == "GloVe 6B 50d" and meta["config"]["model"] == "v1"


def test_wrong_and_broken_files_are_refused(tmp_path: Path, toy_vectors: WordVectors) -> None:
    with pytest.raises(ModelFileError, match="No such model"):
        load_model(tmp_path / "none.npz")
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(ModelFileError, match="not an emojify V1 model"):
        load_model(tmp_path / "junk.npz")
    np.savez(tmp_path / "other.npz", x=np.zeros(3))
    with pytest.raises(ModelFileError, match="not an emojify V1 model"):
        load_model(tmp_path / "other.npz")
    cells = save_npz(tmp_path / "cells.npz", {"Wax": np.zeros((2, 2))}, {"format": "seqtui-cells/1"}, "Cells model")
    with pytest.raises(ModelFileError, match="'seqtui-cells/1' file, not an emojify V1 model"):
        load_model(cells)
    model = toy_model(toy_vectors)
    model.W = model.W[:, :4]  # weights for 4-d vectors, metadata for 6-d ones
    with pytest.raises(ModelFileError, match=r"W \(3, 4\) and b \(3,\) do not fit 3 classes of 6-d vectors"):
        load_model(save_model(tmp_path / "misfit.npz", model), toy_vectors)
    with pytest.raises(InvalidInput, match="end in .npz"):
        save_model(tmp_path / "model.txt", toy_model(toy_vectors))


def test_a_model_is_refused_with_other_word_vectors(tmp_path: Path, toy_vectors: WordVectors) -> None:
    rng = np.random.default_rng(0)
    save_model(tmp_path / "toy.npz", V1Model(rng.standard_normal((5, 6)), np.zeros(5), COURSE_LABELS, toy_vectors))
    with pytest.raises(ModelFileError, match="word vectors"):
        load_model(tmp_path / "toy.npz", emojify.word_vectors(None))
    assert load_model(tmp_path / "toy.npz", toy_vectors).W.shape == (5, 6)
