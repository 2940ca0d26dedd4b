"""What the cells tests share: the notebook's test parameters, random ones, the course's loops, Keras.

The course-compatibility tests rebuild the notebook's test cases ("Building your RNN step by
step": np.random.seed(1), then randn draws in the notebook's order) with a local
``np.random.RandomState(1)`` — the same stream, no global seeding — and compare with the values
the notebook prints as expected output.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pytest

from seqtui_models.cells.lstm import init_lstm_parameters, lstm_cell_forward
from seqtui_models.cells.rnn import init_rnn_parameters, rnn_cell_forward

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


def import_keras() -> Any:
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    return keras


def assert_course_values(gradients: dict[str, np.ndarray], expected: dict[str, Any]) -> None:
    """``expected`` maps each gradient's name to (shape, an index, the notebook's value there)."""
    assert set(gradients) == set(expected)
    for name, (shape, index, value) in expected.items():
        assert gradients[name].shape == shape, name
        assert gradients[name][index] == pytest.approx(value, abs=1e-8), name


def assert_same_gradients(reference: dict[str, Any], *others: dict[str, np.ndarray]) -> None:
    """Every gradient dict in ``others`` has the reference's names and values (to 1e-10)."""
    for other in others:
        assert set(other) == set(reference)
        for name in reference:
            np.testing.assert_allclose(other[name], reference[name], atol=1e-10, err_msg=name)


def keras_parity_case(cell: str, seed: int) -> tuple[Any, dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Keras, and float32 parameters, x (n_x, m, T_x) and a0 (n_a, m) for n_x=4, n_a=7, m=3, T_x=9."""
    keras = import_keras()
    rng = np.random.default_rng(seed)
    n_x, n_a, m, T_x = 4, 7, 3, 9
    parameters = random_parameters(cell, n_x, n_a, 2, rng, dtype=np.float32)
    x = rng.standard_normal((n_x, m, T_x), dtype=np.float32)  # (n_x, m, T_x)
    a0 = rng.standard_normal((n_a, m), dtype=np.float32)  # (n_a, m)
    return keras, parameters, x, a0
