"""The course's jazz models in Keras: data processing, the numpy cell's parity, the fused loop, inference."""

from __future__ import annotations

import numpy as np
import pytest

from seqtui_models.core.errors import InvalidInput
from seqtui_models.jazz import model as jm


def test_data_processing_follows_the_course() -> None:
    sequences = [list(range(10)) * 3, [1, 2]]
    X, Y = jm.data_processing(sequences, 10, m=7, Tx=5, rng=np.random.default_rng(0))
    assert X.shape == Y.shape == (7, 5, 10)
    assert not X[:, 0].any()  # x⟨0⟩ = 0
    assert (X[:, 1:].sum(-1) == 1).all() and (Y.sum(-1) == 1).all()
    np.testing.assert_array_equal(Y[:, :-1], X[:, 1:])  # the target at t is the input at t + 1
    # each window is consecutive values of one piece (the short one holds no window)
    for row in np.argmax(Y, -1):
        assert all((b - a) % 10 == 1 for a, b in zip(row, row[1:]))
    with pytest.raises(InvalidInput, match="window needs 6"):
        jm.data_processing([[1, 2, 3]], 4, m=2, Tx=5)


@pytest.mark.slow
def test_the_numpy_cell_is_the_keras_cell() -> None:
    reshaper, cell, densor = jm.make_layers(12, 8, seed=3)
    step = jm.step_model(cell, densor, reshaper)
    weights = jm.weights_of(cell, densor)
    ours = jm.NumpyCell(weights)
    a = np.zeros((1, 8), dtype=np.float32)
    c = np.zeros((1, 8), dtype=np.float32)
    x = np.zeros((1, 12), dtype=np.float32)
    for index in (None, 3, 7, 7, 0, 11):
        if index is not None:
            x = np.eye(12, dtype=np.float32)[[index]]
        probs, a, c = (np.asarray(t) for t in step([x, a, c]))
        np.testing.assert_allclose(jm.softmax(ours.step(index)), probs[0], atol=1e-5)
        np.testing.assert_allclose(ours.a, a[0], atol=1e-5)


@pytest.mark.slow
def test_the_fused_loop_computes_the_unrolled_djmodel() -> None:
    Tx, n_values, n_a = 6, 9, 5
    reshaper, cell, densor = jm.make_layers(n_values, n_a, seed=1)
    course = jm.djmodel(Tx, cell, densor, reshaper)
    fused, lstm = jm.fused_training_model(Tx, n_values, n_a, seed=1)
    lstm.set_weights(cell.get_weights())
    fused.get_layer(jm.DENSOR).set_weights(densor.get_weights())
    X, Y = jm.data_processing([list(range(9)) * 4], n_values, m=3, Tx=Tx, rng=np.random.default_rng(2))
    zeros = np.zeros((3, n_a), dtype=np.float32)
    unrolled = np.stack([np.asarray(o) for o in course([X, zeros, zeros])], axis=1)  # (m, Tx, n_values)
    np.testing.assert_allclose(np.asarray(fused([X, zeros, zeros])), unrolled, atol=1e-5)
    assert len(course.outputs) == Tx
    # the loss reported after training is the mean cross-entropy of these outputs
    cross_entropy = -np.mean(np.sum(Y * np.log(unrolled), axis=-1))
    assert jm.window_loss(jm.weights_of(cell, densor), X, Y) == pytest.approx(cross_entropy, rel=1e-4)


@pytest.mark.slow
def test_course_inference_is_greedy_numpy_sampling() -> None:
    reshaper, cell, densor = jm.make_layers(10, 6, seed=4)
    jm.step_model(cell, densor, reshaper)  # builds the layers
    inference = jm.music_inference_model(cell, densor, Ty=7)
    results, indices = jm.predict_and_sample(
        inference, np.zeros((1, 1, 10), dtype=np.float32), np.zeros((1, 6), dtype=np.float32),
        np.zeros((1, 6), dtype=np.float32),
    )
    assert results.shape == (7, 10) and indices.shape == (7, 1)
    ours = jm.NumpyCell(jm.weights_of(cell, densor))
    expected, index = [], None
    for _ in range(7):
        index = int(np.argmax(ours.step(index)))
        expected.append(index)
    assert indices[:, 0].tolist() == expected
