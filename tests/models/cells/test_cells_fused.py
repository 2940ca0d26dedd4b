"""Tests for seqtui_models.cells.fused: the activations, and what both cells' fused paths promise.

Both sequence functions stay in the parameters' dtype, hand out read-only views (so editing an
output cannot corrupt a cache) and refuse inputs of the wrong shape.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from cells_helpers import random_parameters
from seqtui_models.cells.fused import carve, sigmoid, softmax
from seqtui_models.cells.lstm import init_lstm_parameters, lstm_backward, lstm_forward
from seqtui_models.cells.rnn import init_rnn_parameters, rnn_backward, rnn_forward
from seqtui_models.core.errors import InvalidInput


def test_softmax_and_sigmoid() -> None:
    z = np.array([[1000.0, -1000.0, 0.0], [1001.0, 0.0, 0.0]])  # (n_y=2, m=3), huge on purpose
    s = softmax(z)
    np.testing.assert_allclose(s.sum(axis=0), 1.0)
    np.testing.assert_allclose(s[:, 0], [1 / (1 + np.e), np.e / (1 + np.e)])
    x = np.linspace(-30, 30, 61)
    with np.errstate(all="raise"):
        np.testing.assert_allclose(sigmoid(x), 1 / (1 + np.exp(-x)), rtol=1e-6, atol=1e-15)
        assert sigmoid(np.array([-1000.0, 1000.0])).tolist() == [0.0, 1.0]


def test_carve_gives_aligned_separate_arrays_of_one_block() -> None:
    parts = carve(np.float32, (3, 5), (7,), (2, 2, 2))
    assert [p.shape for p in parts] == [(3, 5), (7,), (2, 2, 2)]
    assert all(p.ctypes.data % 64 == 0 and p.dtype == np.float32 for p in parts)
    for k, part in enumerate(parts):
        part[...] = k
    assert [float(p.min()) for p in parts] == [float(p.max()) for p in parts] == [0.0, 1.0, 2.0]
    assert parts[0].base is parts[1].base is parts[2].base


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
