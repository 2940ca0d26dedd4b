"""Tests for seqtui_models.cells.lstm: the course's numbers, the fused path vs the cell loop, Keras."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from cells_helpers import (
    assert_course_values,
    assert_same_gradients,
    course_lstm_loop,
    course_lstm_parameters,
    keras_parity_case,
    random_parameters,
)
from seqtui_models.cells.lstm import (
    init_lstm_parameters,
    lstm_backward,
    lstm_cell_backward,
    lstm_cell_forward,
    lstm_forward,
)


# --------------------------------------------------------------------------------------------
# The course's test cases: shapes, caches and expected values


def test_lstm_cell_forward_matches_course() -> None:
    r = np.random.RandomState(1)
    xt, a_prev, c_prev = r.randn(3, 10), r.randn(5, 10), r.randn(5, 10)
    parameters = course_lstm_parameters(r)
    a_next, c_next, yt, cache = lstm_cell_forward(xt, a_prev, c_prev, parameters)
    assert a_next.shape == (5, 10) and c_next.shape == (5, 10) and yt.shape == (2, 10)
    np.testing.assert_allclose(
        a_next[4],
        [-0.66408471, 0.0036921, 0.02088357, 0.22834167, -0.85575339,
         0.00138482, 0.76566531, 0.34631421, -0.00215674, 0.43827275],
        atol=1e-8,
    )
    np.testing.assert_allclose(
        c_next[2],
        [0.63267805, 1.00570849, 0.35504474, 0.20690913, -1.64566718,
         0.11832942, 0.76449811, -0.0981561, -0.74348425, -0.26810932],
        atol=1e-8,
    )
    np.testing.assert_allclose(
        yt[1],
        [0.79913913, 0.15986619, 0.22412122, 0.15606108, 0.97057211,
         0.31146381, 0.00943007, 0.12666353, 0.39380172, 0.07828381],
        atol=1e-8,
    )
    np.testing.assert_allclose(
        cache[1][3],
        [-0.16263996, 1.03729328, 0.72938082, -0.54101719, 0.02752074,
         -0.30821874, 0.07651101, -1.03752894, 1.41219977, -0.37647422],
        atol=1e-8,
    )
    # (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
    assert len(cache) == 10
    assert cache[0] is a_next and cache[1] is c_next
    assert cache[2] is a_prev and cache[3] is c_prev and cache[8] is xt and cache[9] is parameters
    ft, it, cct, ot = cache[4:8]
    np.testing.assert_allclose(c_next, ft * c_prev + it * cct, atol=1e-12)
    np.testing.assert_allclose(a_next, ot * np.tanh(c_next), atol=1e-12)
    for gate in (ft, it, ot):
        assert gate.shape == (5, 10) and np.all((gate > 0) & (gate < 1))


def test_lstm_forward_matches_course() -> None:
    r = np.random.RandomState(1)
    x, a0 = r.randn(3, 10, 7), r.randn(5, 10)
    parameters = course_lstm_parameters(r)
    a, y, c, caches = lstm_forward(x, a0, parameters)
    assert a.shape == (5, 10, 7) and y.shape == (2, 10, 7) and c.shape == (5, 10, 7)
    assert a[4][3][6] == pytest.approx(0.172117767533, abs=1e-10)
    assert y[1][4][3] == pytest.approx(0.95087346185, abs=1e-10)
    assert c[1][2][1] == pytest.approx(-0.855544916718, abs=1e-10)
    assert len(caches) == 2 and caches[1] is x and len(caches[0]) == 7
    np.testing.assert_allclose(
        caches[1][1][1],
        [0.82797464, 0.23009474, 0.76201118, -0.22232814, -0.20075807, 0.18656139, 0.41005165],
        atol=1e-8,
    )
    shapes = [(5, 10)] * 8 + [(3, 10)]
    for cache in caches[0]:
        assert len(cache) == 10 and cache[9] is parameters
        assert [part.shape for part in cache[:9]] == shapes


def test_lstm_cell_backward_matches_course() -> None:
    r = np.random.RandomState(1)
    xt, a_prev, c_prev = r.randn(3, 10), r.randn(5, 10), r.randn(5, 10)
    parameters = course_lstm_parameters(r)
    *_, cache = lstm_cell_forward(xt, a_prev, c_prev, parameters)
    da_next, dc_next = r.randn(5, 10), r.randn(5, 10)
    gradients = lstm_cell_backward(da_next, dc_next, cache)
    expected = {
        "dxt": ((3, 10), (1, 2), 3.23055911511),
        "da_prev": ((5, 10), (2, 3), -0.0639621419711),
        "dc_prev": ((5, 10), (2, 3), 0.797522038797),
        "dWf": ((5, 8), (3, 1), -0.147954838164),
        "dWi": ((5, 8), (1, 2), 1.05749805523),
        "dWc": ((5, 8), (3, 1), 2.30456216369),
        "dWo": ((5, 8), (1, 2), 0.331311595289),
        "dbf": ((5, 1), (4, 0), 0.18864637),
        "dbi": ((5, 1), (4, 0), -0.40142491),
        "dbc": ((5, 1), (4, 0), 0.25587763),
        "dbo": ((5, 1), (4, 0), 0.13893342),
    }
    assert_course_values(gradients, expected)


def test_lstm_backward_shapes() -> None:
    rng = np.random.default_rng(3)
    n_x, n_a, m, T_x = 3, 5, 10, 7
    parameters = random_parameters("lstm", n_x, n_a, 2, rng)
    x, a0 = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m))
    *_, caches = lstm_forward(x, a0, parameters)
    gradients = lstm_backward(rng.standard_normal((n_a, m, T_x)), caches)
    expected = {"dx": (n_x, m, T_x), "da0": (n_a, m)}
    expected |= {"dW" + g: (n_a, n_a + n_x) for g in "fico"} | {"db" + g: (n_a, 1) for g in "fico"}
    assert {name: value.shape for name, value in gradients.items()} == expected


def test_init_lstm_parameters_shapes_and_dtype() -> None:
    lstm = init_lstm_parameters(3, 5, 2, np.random.default_rng(0))
    assert {k: v.shape for k, v in lstm.items()} == {
        **{"W" + g: (5, 8) for g in "fico"}, **{"b" + g: (5, 1) for g in "fico"},
        "Wy": (2, 5), "by": (2, 1),
    }
    assert all(v.dtype == np.float32 for v in lstm.values())
    np.testing.assert_array_equal(lstm["bf"], 1.0)  # forget gate open at the start


# --------------------------------------------------------------------------------------------
# The fused sequence functions against the course's step-by-step loop


def test_lstm_forward_equals_cell_loop() -> None:
    rng = np.random.default_rng(11)
    n_x, n_a, n_y, m, T_x = 4, 6, 3, 5, 8
    parameters = random_parameters("lstm", n_x, n_a, n_y, rng)
    x, a0 = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m))
    a, y, c, (steps, x_cached) = lstm_forward(x, a0, parameters)
    a_ref, y_ref, c_ref, steps_ref = course_lstm_loop(x, a0, parameters)
    np.testing.assert_allclose(a, a_ref, atol=1e-6)
    np.testing.assert_allclose(y, y_ref, atol=1e-6)
    np.testing.assert_allclose(c, c_ref, atol=1e-6)
    assert x_cached is x and len(steps) == T_x
    for cache, cache_ref in zip(steps, steps_ref):
        for part, part_ref in zip(cache[:9], cache_ref[:9]):
            np.testing.assert_allclose(part, part_ref, atol=1e-6)
        assert cache[9] is parameters


def test_lstm_backward_equals_cell_loop_and_accepts_course_caches() -> None:
    rng = np.random.default_rng(13)
    n_x, n_a, m, T_x = 4, 6, 5, 8
    parameters = random_parameters("lstm", n_x, n_a, 2, rng)
    x, a0 = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m))
    da = rng.standard_normal((n_a, m, T_x))
    fast = lstm_backward(da, lstm_forward(x, a0, parameters)[3])
    # The course's lstm_backward: lstm_cell_backward from the last step to the first.
    *_, steps = course_lstm_loop(x, a0, parameters)
    da_prev, dc_prev = np.zeros((n_a, m)), np.zeros((n_a, m))
    loop: dict[str, Any] = {"dx": np.zeros_like(x)}
    for t in reversed(range(T_x)):
        step = lstm_cell_backward(da[:, :, t] + da_prev, dc_prev, steps[t])
        da_prev, dc_prev = step["da_prev"], step["dc_prev"]
        loop["dx"][:, :, t] = step["dxt"]
        for name in ("dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo"):
            loop[name] = loop.get(name, 0) + step[name]
    loop["da0"] = da_prev
    # Caches a learner built with the cell functions (a plain list) work too.
    packed = lstm_backward(da, (steps, x))
    assert_same_gradients(loop, fast, packed)


def test_backward_can_run_twice_on_the_same_caches() -> None:
    rng = np.random.default_rng(15)
    parameters = random_parameters("lstm", 3, 4, 2, rng)
    x, a0 = rng.standard_normal((3, 2, 5)), rng.standard_normal((4, 2))
    *_, caches = lstm_forward(x, a0, parameters)
    da = rng.standard_normal((4, 2, 5))
    first, second = lstm_backward(da, caches), lstm_backward(da, caches)
    for name in first:
        np.testing.assert_array_equal(first[name], second[name])


# --------------------------------------------------------------------------------------------
# Keras parity: the same weights give the same hidden states


@pytest.mark.slow
def test_lstm_forward_matches_keras_lstm() -> None:
    keras, parameters, x, a0 = keras_parity_case("lstm", seed=22)
    n_a, m = a0.shape
    a, _, c, _ = lstm_forward(x, a0, parameters)
    # Keras stacks the gates as i, f, c, o, and splits W* into its x- and a-columns.
    order = "ifco"
    kernel = np.concatenate([parameters["W" + g][:, n_a:].T for g in order], axis=1)  # (n_x, ·)
    recurrent = np.concatenate([parameters["W" + g][:, :n_a].T for g in order], axis=1)  # (n_a, ·)
    bias = np.concatenate([parameters["b" + g][:, 0] for g in order])  # (4 n_a,)
    layer = keras.layers.LSTM(n_a, return_sequences=True, return_state=True)
    x_k = x.transpose(1, 2, 0)  # (m, T_x, n_x)
    state = [a0.T, np.zeros((m, n_a), np.float32)]  # the course starts from c⟨0⟩ = 0
    layer(x_k, initial_state=state)  # builds the weights
    layer.set_weights([kernel, recurrent, bias])
    h, _, c_last = (keras.ops.convert_to_numpy(t) for t in layer(x_k, initial_state=state))
    np.testing.assert_allclose(a, h.transpose(2, 0, 1), atol=1e-5, rtol=0)
    np.testing.assert_allclose(c[:, :, -1], c_last.T, atol=1e-5, rtol=0)
    assert np.abs(a).max() > 0.1
