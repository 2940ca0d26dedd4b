"""Tests for seqtui_models.cells.numpy_cells: the course's numbers, gradient checks, fused path vs cell loop, Keras.

The course-compatibility tests rebuild the notebook's test cases ("Building your RNN step by
step": np.random.seed(1), then randn draws in the notebook's order) with a local
``np.random.RandomState(1)`` — the same stream, no global seeding — and compare with the values
the notebook prints as expected output.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import numpy as np
import pytest

from seqtui_models.cells import numpy_cells as cells
from seqtui_models.cells.numpy_cells import (
    GRADCHECK_THRESHOLD,
    LSTM_PARAMETERS,
    RNN_PARAMETERS,
    gradient_check,
    init_lstm_parameters,
    init_rnn_parameters,
    lstm_backward,
    lstm_cell_backward,
    lstm_cell_forward,
    lstm_forward,
    rnn_backward,
    rnn_cell_backward,
    rnn_cell_forward,
    rnn_forward,
    sigmoid,
    softmax,
)
from seqtui_models.core.errors import InvalidInput

# The notebook draws the LSTM parameters in this order (columns: n_a + n_x = 8, or 1 for a bias).
LSTM_ORDER = [
    ("Wf", 8), ("bf", 1), ("Wi", 8), ("bi", 1), ("Wo", 8), ("bo", 1), ("Wc", 8), ("bc", 1)
]


def course_rnn_parameters(r: np.random.RandomState, order: tuple[str, ...]) -> dict[str, Any]:
    """The notebook's RNN test parameters (n_x=3, n_a=5, n_y=2), drawn in the notebook's order."""
    shapes = {"Waa": (5, 5), "Wax": (5, 3), "Wya": (2, 5), "ba": (5, 1), "by": (2, 1)}
    return {name: r.randn(*shapes[name]) for name in order}


def course_lstm_parameters(r: np.random.RandomState) -> dict[str, Any]:
    """The notebook's LSTM test parameters (n_x=3, n_a=5, n_y=2), drawn in the notebook's order."""
    parameters = {name: r.randn(5, columns) for name, columns in LSTM_ORDER}
    parameters["Wy"] = r.randn(2, 5)
    parameters["by"] = r.randn(2, 1)
    return parameters


def random_parameters(
    cell: str, n_x: int, n_a: int, n_y: int, rng: np.random.Generator, dtype: Any = np.float64
) -> dict[str, np.ndarray]:
    """Initialised parameters with random (not zero) biases, so every term is exercised."""
    init = init_rnn_parameters if cell == "rnn" else init_lstm_parameters
    parameters = init(n_x, n_a, n_y, rng, dtype=dtype)
    for name, value in parameters.items():
        if name.startswith("b"):
            value += (0.5 * rng.standard_normal(value.shape)).astype(dtype)
    return parameters


def course_lstm_loop(
    x: np.ndarray, a0: np.ndarray, parameters: dict[str, np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[tuple[Any, ...]]]:
    """The course's lstm_forward: lstm_cell_forward applied step by step."""
    a_next, c_next = a0, np.zeros_like(a0)
    a, y, c, steps = [], [], [], []
    for t in range(x.shape[2]):
        a_next, c_next, yt, cache = lstm_cell_forward(x[:, :, t], a_next, c_next, parameters)
        a.append(a_next)
        c.append(c_next)
        y.append(yt)
        steps.append(cache)
    return np.stack(a, axis=2), np.stack(y, axis=2), np.stack(c, axis=2), steps


def course_rnn_loop(
    x: np.ndarray, a0: np.ndarray, parameters: dict[str, np.ndarray]
) -> tuple[np.ndarray, np.ndarray, list[tuple[Any, ...]]]:
    """The course's rnn_forward: rnn_cell_forward applied step by step."""
    a_next = a0
    a, y, steps = [], [], []
    for t in range(x.shape[2]):
        a_next, yt, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a.append(a_next)
        y.append(yt)
        steps.append(cache)
    return np.stack(a, axis=2), np.stack(y, axis=2), steps


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
    assert set(gradients) == set(expected)
    for name, (shape, index, value) in expected.items():
        assert gradients[name].shape == shape, name
        assert gradients[name][index] == pytest.approx(value, abs=1e-8), name


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
    assert set(gradients) == set(expected)
    for name, (shape, index, value) in expected.items():
        assert gradients[name].shape == shape, name
        assert gradients[name][index] == pytest.approx(value, abs=1e-8), name


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


# --------------------------------------------------------------------------------------------
# Gradient checks


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_gradient_check_passes(cell: str) -> None:
    errors = gradient_check(cell)  # type: ignore[arg-type]
    names = RNN_PARAMETERS if cell == "rnn" else LSTM_PARAMETERS
    assert set(errors) == {*names, "x", "a0"}
    assert max(errors.values()) < GRADCHECK_THRESHOLD, errors


def test_gradient_check_passes_at_other_sizes() -> None:
    errors = gradient_check("lstm", n_x=2, n_a=3, m=1, T_x=9, seed=7)
    assert max(errors.values()) < GRADCHECK_THRESHOLD, errors


@pytest.mark.parametrize(("cell", "wrong"), [("rnn", "dWaa"), ("lstm", "dbi"), ("lstm", "dx")])
def test_gradient_check_catches_a_wrong_gradient(
    monkeypatch: pytest.MonkeyPatch, cell: str, wrong: str
) -> None:
    """The check must be able to fail: a gradient off by 1 % is reported, the others are not."""
    name = "lstm_backward" if cell == "lstm" else "rnn_backward"
    backward = getattr(cells, name)

    def off_by_one_percent(da: np.ndarray, caches: Any) -> dict[str, np.ndarray]:
        gradients = dict(backward(da, caches))
        gradients[wrong] = gradients[wrong] * 1.01
        return gradients

    monkeypatch.setattr(cells, name, off_by_one_percent)
    errors = gradient_check(cell)  # type: ignore[arg-type]
    assert errors[wrong[1:]] > 1e-3
    assert max(e for k, e in errors.items() if k != wrong[1:]) < GRADCHECK_THRESHOLD


# --------------------------------------------------------------------------------------------
# The fused sequence functions against the course's step-by-step loops


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
    assert set(fast) == set(loop) == set(packed)
    for name in loop:
        np.testing.assert_allclose(fast[name], loop[name], atol=1e-10, err_msg=name)
        np.testing.assert_allclose(packed[name], loop[name], atol=1e-10, err_msg=name)


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
    assert set(fast) == set(loop) == set(packed)
    for name in loop:
        np.testing.assert_allclose(fast[name], loop[name], atol=1e-10, err_msg=name)
        np.testing.assert_allclose(packed[name], loop[name], atol=1e-10, err_msg=name)


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
# dtypes, read-only views, errors, helpers


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sequence_functions_stay_in_the_parameters_dtype(dtype: Any) -> None:
    rng = np.random.default_rng(4)
    x = rng.standard_normal((3, 4, 5))  # float64 on purpose: the parameters decide
    a0 = rng.standard_normal((6, 4))
    da = rng.standard_normal((6, 4, 5))
    p_lstm = init_lstm_parameters(3, 6, 2, rng, dtype=dtype)
    a, y, c, caches = lstm_forward(x, a0, p_lstm)
    grads = lstm_backward(da, caches)
    p_rnn = init_rnn_parameters(3, 6, 2, rng, dtype=dtype)
    a_r, y_r, caches_r = rnn_forward(x, a0, p_rnn)
    grads_r = rnn_backward(da, caches_r)
    arrays = [a, y, c, a_r, y_r, *grads.values(), *grads_r.values(), *caches[0][0][:9]]
    assert {array.dtype for array in arrays} == {np.dtype(dtype)}


def test_outputs_are_read_only_so_caches_stay_intact() -> None:
    rng = np.random.default_rng(5)
    x, a0 = rng.standard_normal((3, 2, 5)), rng.standard_normal((4, 2))
    a, y, c, caches = lstm_forward(x, a0, random_parameters("lstm", 3, 4, 2, rng))
    a_r, y_r, caches_r = rnn_forward(x, a0, random_parameters("rnn", 3, 4, 2, rng))
    views = [a, y, c, a_r, y_r, *caches[0][2][:9], *caches_r[0][2][:3]]
    for view in views:
        with pytest.raises(ValueError, match="read-only"):
            view[0] = 0.0


def test_wrong_shapes_raise_invalid_input() -> None:
    rng = np.random.default_rng(6)
    p_lstm = init_lstm_parameters(3, 4, 2, rng)
    p_rnn = init_rnn_parameters(3, 4, 2, rng)
    with pytest.raises(InvalidInput, match="x has shape"):
        lstm_forward(np.zeros((2, 5, 6)), np.zeros((4, 5)), p_lstm)  # n_x = 2, not 3
    with pytest.raises(InvalidInput, match="a0 has shape"):
        rnn_forward(np.zeros((3, 5, 6)), np.zeros((4, 4)), p_rnn)  # m = 4, not 5
    with pytest.raises(InvalidInput, match="unknown cell"):
        gradient_check("gru")  # type: ignore[arg-type]


def test_init_parameters_shapes_dtype_and_seeding() -> None:
    lstm = init_lstm_parameters(3, 5, 2, np.random.default_rng(0))
    assert {k: v.shape for k, v in lstm.items()} == {
        **{"W" + g: (5, 8) for g in "fico"}, **{"b" + g: (5, 1) for g in "fico"},
        "Wy": (2, 5), "by": (2, 1),
    }
    assert all(v.dtype == np.float32 for v in lstm.values())
    np.testing.assert_array_equal(lstm["bf"], 1.0)  # forget gate open at the start
    rnn = init_rnn_parameters(3, 5, 2, np.random.default_rng(0), dtype=np.float64)
    assert {k: v.shape for k, v in rnn.items()} == {
        "Wax": (5, 3), "Waa": (5, 5), "Wya": (2, 5), "ba": (5, 1), "by": (2, 1)
    }
    again = init_rnn_parameters(3, 5, 2, np.random.default_rng(0), dtype=np.float64)
    other = init_rnn_parameters(3, 5, 2, np.random.default_rng(1), dtype=np.float64)
    np.testing.assert_array_equal(rnn["Waa"], again["Waa"])
    assert not np.array_equal(rnn["Waa"], other["Waa"])


def test_softmax_and_sigmoid() -> None:
    z = np.array([[1000.0, -1000.0, 0.0], [1001.0, 0.0, 0.0]])  # (n_y=2, m=3), huge on purpose
    s = softmax(z)
    np.testing.assert_allclose(s.sum(axis=0), 1.0)
    np.testing.assert_allclose(s[:, 0], [1 / (1 + np.e), np.e / (1 + np.e)])
    x = np.linspace(-30, 30, 61)
    with np.errstate(all="raise"):
        np.testing.assert_allclose(sigmoid(x), 1 / (1 + np.exp(-x)), rtol=1e-6, atol=1e-15)
        assert sigmoid(np.array([-1000.0, 1000.0])).tolist() == [0.0, 1.0]


def test_cells_module_imports_no_ui() -> None:
    code = "import sys, seqtui_models.cells.numpy_cells; sys.exit(bool({'textual', 'rich'} & set(sys.modules)))"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# --------------------------------------------------------------------------------------------
# Keras parity: the same weights give the same hidden states


def import_keras() -> Any:
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    return keras


@pytest.mark.slow
def test_rnn_forward_matches_keras_simple_rnn() -> None:
    keras = import_keras()
    rng = np.random.default_rng(21)
    n_x, n_a, m, T_x = 4, 7, 3, 9
    parameters = random_parameters("rnn", n_x, n_a, 2, rng, dtype=np.float32)
    x = rng.standard_normal((n_x, m, T_x), dtype=np.float32)  # (n_x, m, T_x)
    a0 = rng.standard_normal((n_a, m), dtype=np.float32)  # (n_a, m)
    a, _, _ = rnn_forward(x, a0, parameters)
    layer = keras.layers.SimpleRNN(n_a, return_sequences=True)
    x_k = x.transpose(1, 2, 0)  # (m, T_x, n_x), Keras' batch-major layout
    layer(x_k, initial_state=[a0.T])  # builds the weights
    layer.set_weights([parameters["Wax"].T, parameters["Waa"].T, parameters["ba"][:, 0]])
    h = keras.ops.convert_to_numpy(layer(x_k, initial_state=[a0.T]))  # (m, T_x, n_a)
    np.testing.assert_allclose(a, h.transpose(2, 0, 1), atol=1e-5, rtol=0)
    assert np.abs(a).max() > 0.1  # the comparison is not between two arrays of zeros


@pytest.mark.slow
def test_lstm_forward_matches_keras_lstm() -> None:
    keras = import_keras()
    rng = np.random.default_rng(22)
    n_x, n_a, m, T_x = 4, 7, 3, 9
    parameters = random_parameters("lstm", n_x, n_a, 2, rng, dtype=np.float32)
    x = rng.standard_normal((n_x, m, T_x), dtype=np.float32)  # (n_x, m, T_x)
    a0 = rng.standard_normal((n_a, m), dtype=np.float32)  # (n_a, m)
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
