"""Tests for seqtui_models.cells.rnn: the course's numbers, the fused path vs the cell loop, Keras."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from cells_helpers import (
    assert_course_values,
    assert_same_gradients,
    course_rnn_loop,
    course_rnn_parameters,
    keras_parity_case,
    random_parameters,
)
from seqtui_models.cells.rnn import init_rnn_parameters, rnn_backward, rnn_cell_backward, rnn_cell_forward, rnn_forward


# --------------------------------------------------------------------------------------------
# The course's test cases: shapes, caches and expected values


def test_rnn_cell_forward_matches_course() -> None:
    r = np.random.RandomState(1)
    xt, a_prev = r.randn(3, 10), r.randn(5, 10)
    parameters = course_rnn_parameters(r, ("Waa", "Wax", "Wya", "ba", "by"))
    a_next, yt_pred, cache = rnn_cell_forward(xt, a_prev, parameters)
    assert a_next.shape == (5, 10) and yt_pred.shape == (2, 10)
    np.testing.assert_allclose(
        a_next[4],
        [0.59584544, 0.18141802, 0.61311866, 0.99808218, 0.85016201,
         0.99980978, -0.18887155, 0.99815551, 0.6531151, 0.82872037],
        atol=1e-8,
    )
    np.testing.assert_allclose(
        yt_pred[1],
        [0.9888161, 0.01682021, 0.21140899, 0.36817467, 0.98988387,
         0.88945212, 0.36920224, 0.9966312, 0.9982559, 0.17746526],
        atol=1e-8,
    )
    assert len(cache) == 4
    assert cache[0] is a_next and cache[1] is a_prev and cache[2] is xt and cache[3] is parameters


def test_rnn_forward_matches_course() -> None:
    r = np.random.RandomState(1)
    x, a0 = r.randn(3, 10, 4), r.randn(5, 10)
    parameters = course_rnn_parameters(r, ("Waa", "Wax", "Wya", "ba", "by"))
    a, y_pred, caches = rnn_forward(x, a0, parameters)
    assert a.shape == (5, 10, 4) and y_pred.shape == (2, 10, 4)
    np.testing.assert_allclose(
        a[4][1], [-0.99999375, 0.77911235, -0.99861469, -0.99833267], atol=1e-8
    )
    np.testing.assert_allclose(
        y_pred[1][3], [0.79560373, 0.86224861, 0.11118257, 0.81515947], atol=1e-8
    )
    # caches = (list of cell caches, x); the notebook prints caches[1][1][3], a row of x.
    assert len(caches) == 2 and caches[1] is x and len(caches[0]) == 4
    np.testing.assert_allclose(
        caches[1][1][3], [-1.1425182, -0.34934272, -0.20889423, 0.58662319], atol=1e-8
    )
    for t, (a_next, a_prev, xt, params) in enumerate(caches[0]):
        assert a_next.shape == (5, 10) and a_prev.shape == (5, 10) and xt.shape == (3, 10)
        np.testing.assert_array_equal(a_next, a[:, :, t])
        np.testing.assert_array_equal(a_prev, a0 if t == 0 else a[:, :, t - 1])
        np.testing.assert_array_equal(xt, x[:, :, t])
        assert params is parameters


def test_rnn_cell_backward_matches_course() -> None:
    r = np.random.RandomState(1)
    xt, a_prev = r.randn(3, 10), r.randn(5, 10)
    parameters = course_rnn_parameters(r, ("Wax", "Waa", "Wya", "ba", "by"))
    _, _, cache = rnn_cell_forward(xt, a_prev, parameters)
    gradients = rnn_cell_backward(r.randn(5, 10), cache)
    expected = {
        "dxt": ((3, 10), (1, 2), -1.3872130506),
        "da_prev": ((5, 10), (2, 3), -0.152399493774),
        "dWax": ((5, 3), (3, 1), 0.410772824935),
        "dWaa": ((5, 5), (1, 2), 1.15034506685),
        "dba": ((5, 1), (4, 0), 0.20023491),
    }
    assert_course_values(gradients, expected)


def test_rnn_backward_matches_course() -> None:
    r = np.random.RandomState(1)
    x, a0 = r.randn(3, 10, 4), r.randn(5, 10)
    parameters = course_rnn_parameters(r, ("Wax", "Waa", "Wya", "ba", "by"))
    _, _, caches = rnn_forward(x, a0, parameters)
    gradients = rnn_backward(r.randn(5, 10, 4), caches)
    assert set(gradients) == {"dx", "da0", "dWax", "dWaa", "dba"}
    assert gradients["dx"].shape == (3, 10, 4) and gradients["da0"].shape == (5, 10)
    assert gradients["dWax"].shape == (5, 3) and gradients["dWaa"].shape == (5, 5)
    assert gradients["dba"].shape == (5, 1)
    np.testing.assert_allclose(
        gradients["dx"][1][2], [-2.07101689, -0.59255627, 0.02466855, 0.01483317], atol=1e-8
    )
    assert gradients["da0"][2][3] == pytest.approx(-0.314942375127, abs=1e-10)
    assert gradients["dWax"][3][1] == pytest.approx(11.2641044965, abs=1e-9)
    assert gradients["dWaa"][1][2] == pytest.approx(2.30333312658, abs=1e-9)
    assert gradients["dba"][4][0] == pytest.approx(-0.74747722, abs=1e-8)


def test_init_rnn_parameters_shapes_dtype_and_seeding() -> None:
    rnn = init_rnn_parameters(3, 5, 2, np.random.default_rng(0), dtype=np.float64)
    assert {k: v.shape for k, v in rnn.items()} == {
        "Wax": (5, 3), "Waa": (5, 5), "Wya": (2, 5), "ba": (5, 1), "by": (2, 1)
    }
    assert all(v.dtype == np.float64 for v in rnn.values())
    again = init_rnn_parameters(3, 5, 2, np.random.default_rng(0), dtype=np.float64)
    other = init_rnn_parameters(3, 5, 2, np.random.default_rng(1), dtype=np.float64)
    np.testing.assert_array_equal(rnn["Waa"], again["Waa"])
    assert not np.array_equal(rnn["Waa"], other["Waa"])


# --------------------------------------------------------------------------------------------
# The fused sequence functions against the course's step-by-step loop


def test_rnn_forward_equals_cell_loop() -> None:
    rng = np.random.default_rng(12)
    n_x, n_a, n_y, m, T_x = 4, 6, 3, 5, 8
    parameters = random_parameters("rnn", n_x, n_a, n_y, rng)
    x, a0 = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m))
    a, y, (steps, _) = rnn_forward(x, a0, parameters)
    a_ref, y_ref, steps_ref = course_rnn_loop(x, a0, parameters)
    np.testing.assert_allclose(a, a_ref, atol=1e-6)
    np.testing.assert_allclose(y, y_ref, atol=1e-6)
    for cache, cache_ref in zip(steps, steps_ref):
        for part, part_ref in zip(cache[:3], cache_ref[:3]):
            np.testing.assert_allclose(part, part_ref, atol=1e-6)


def test_rnn_backward_equals_cell_loop_and_accepts_course_caches() -> None:
    rng = np.random.default_rng(14)
    n_x, n_a, m, T_x = 4, 6, 5, 8
    parameters = random_parameters("rnn", n_x, n_a, 2, rng)
    x, a0 = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m))
    da = rng.standard_normal((n_a, m, T_x))
    fast = rnn_backward(da, rnn_forward(x, a0, parameters)[2])
    *_, steps = course_rnn_loop(x, a0, parameters)
    da_prev = np.zeros((n_a, m))
    loop: dict[str, Any] = {"dx": np.zeros_like(x)}
    for t in reversed(range(T_x)):
        step = rnn_cell_backward(da[:, :, t] + da_prev, steps[t])
        da_prev = step["da_prev"]
        loop["dx"][:, :, t] = step["dxt"]
        for name in ("dWax", "dWaa", "dba"):
            loop[name] = loop.get(name, 0) + step[name]
    loop["da0"] = da_prev
    packed = rnn_backward(da, (steps, x))
    assert_same_gradients(loop, fast, packed)


# --------------------------------------------------------------------------------------------
# Keras parity: the same weights give the same hidden states


@pytest.mark.slow
def test_rnn_forward_matches_keras_simple_rnn() -> None:
    keras, parameters, x, a0 = keras_parity_case("rnn", seed=21)
    n_a, m = a0.shape
    a, _, _ = rnn_forward(x, a0, parameters)
    layer = keras.layers.SimpleRNN(n_a, return_sequences=True)
    x_k = x.transpose(1, 2, 0)  # (m, T_x, n_x), Keras' batch-major layout
    layer(x_k, initial_state=[a0.T])  # builds the weights
    layer.set_weights([parameters["Wax"].T, parameters["Waa"].T, parameters["ba"][:, 0]])
    h = keras.ops.convert_to_numpy(layer(x_k, initial_state=[a0.T]))  # (m, T_x, n_a)
    np.testing.assert_allclose(a, h.transpose(2, 0, 1), atol=1e-5, rtol=0)
    assert np.abs(a).max() > 0.1  # the comparison is not between two arrays of zeros
