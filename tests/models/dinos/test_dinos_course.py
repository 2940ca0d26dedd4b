"""The assignment's functions (seqtui_models.dinos.course): gradients, clipping, SGD and its seeding."""

from __future__ import annotations

import math

import numpy as np
import pytest
from dinos_helpers import course_parameters, gradient_errors

from seqtui_models.dinos import course as dinos_course


def test_course_rnn_backward_matches_centred_differences() -> None:
    params = course_parameters(5, 7, seed=0)
    X, Y = [None, 3, 1, 4, 1], [3, 1, 4, 1, 0]
    a0 = np.random.default_rng(1).standard_normal((5, 1))
    _, cache = dinos_course.rnn_forward(X, Y, a0, params)
    grads, _ = dinos_course.rnn_backward(X, Y, params, cache)
    analytic = {name: grads["d" + name] for name in params}
    errors = gradient_errors(lambda: dinos_course.rnn_forward(X, Y, a0, params)[0], params, analytic, eps=1e-6)
    assert max(errors.values()) < 1e-7, errors


def test_course_clip_and_optimize() -> None:
    grads = {k: np.full((2, 2), v) for k, v in (("dWaa", 10.0), ("dWax", -10.0), ("dWya", 0.5), ("db", 7.0), ("dby", -0.1))}
    clipped = dinos_course.clip(grads, 5)
    assert set(clipped) == {"dWaa", "dWax", "dWya", "db", "dby"}
    assert clipped["dWaa"].max() == 5 and clipped["dWax"].min() == -5 and clipped["dby"][0, 0] == -0.1
    params = dinos_course.initialize_parameters(8, 6, 6)
    before = {k: v.copy() for k, v in params.items()}
    loss, grads, a_last = dinos_course.optimize([None, 1, 2, 3], [1, 2, 3, 0], np.zeros((8, 1)), params, 0.01)
    assert loss == pytest.approx(4 * math.log(6), rel=0.01)  # small weights: near-uniform guesses
    assert a_last.shape == (8, 1) and all(np.abs(g).max() <= 5 for g in grads.values())
    for name in params:
        np.testing.assert_allclose(params[name], before[name] - 0.01 * grads["d" + name])


def test_course_initialisation_and_sample_reproduce_the_assignment_global_seeding() -> None:
    """Our local RandomState draws are exactly the assignment's np.random.seed draws."""
    saved = np.random.get_state()
    try:
        np.random.seed(1)
        expected_Wax = np.random.randn(10, 27) * 0.01
        params = course_parameters(10, 27, seed=3)
        char_to_ix = {ch: i for i, ch in enumerate("\nabcdefghijklmnopqrstuvwxyz")}
        # The assignment's sample(), with its global seeding, written out.
        x, a_prev, indices, idx, counter, seed = np.zeros((27, 1)), np.zeros((10, 1)), [], -1, 0, 0
        while idx != 0 and counter != 50:
            a = np.tanh(params["Wax"] @ x + params["Waa"] @ a_prev + params["b"])
            y = dinos_course.softmax(params["Wya"] @ a + params["by"])
            np.random.seed(counter + seed)
            idx = np.random.choice(list(range(27)), p=y.ravel())
            indices.append(idx)
            x = np.zeros((27, 1))
            x[idx] = 1
            a_prev, seed, counter = a, seed + 1, counter + 1
        if counter == 50:
            indices.append(0)
        state_after = np.random.get_state()[1].copy()
        ours = dinos_course.sample(params, char_to_ix, 0)
        assert np.array_equal(np.random.get_state()[1], state_after)  # global state untouched
    finally:
        np.random.set_state(saved)
    np.testing.assert_array_equal(dinos_course.initialize_parameters(10, 27, 27)["Wax"], expected_Wax)
    assert ours == [int(i) for i in indices] and ours[-1] == 0
