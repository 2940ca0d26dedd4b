"""The RNN cell in numpy, forward and backward: the course's functions and their fused sequence path.

    a_next  = tanh(Waa a_prev + Wax xt + ba)                 (n_a, m)
    yt_pred = softmax(Wya a_next + by)                       (n_y, m)

``rnn_cell_forward`` / ``rnn_cell_backward`` are the course's, line for line; ``rnn_forward`` /
``rnn_backward`` keep their signatures and caches but run on the time-major buffers of
:mod:`seqtui_models.cells.fused` (why, and what was measured, is written there). The notation
is the package's (:mod:`seqtui_models.cells`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from seqtui_models.cells.fused import (
    Parameters,
    TapedCaches,
    carve,
    check_sequence,
    fill_concat_rows,
    readonly,
    softmax,
    softmax_outputs,
)

RNNCellCache = tuple[np.ndarray, np.ndarray, np.ndarray, Parameters]
"""(a_next, a_prev, xt, parameters): what rnn_cell_backward needs from rnn_cell_forward."""

RNN_PARAMETERS = ("Wax", "Waa", "ba")
"""The RNN parameters that ``rnn_backward`` differentiates (Wya, by only feed yt_pred)."""


def init_rnn_parameters(
    n_x: int, n_a: int, n_y: int, rng: np.random.Generator, dtype: Any = np.float32
) -> Parameters:
    """Draw W ~ N(0, 1/fan_in), b = 0 for an RNN: Wax (n_a, n_x), Waa (n_a, n_a), Wya (n_y, n_a).

    1/fan_in keeps Waa a_prev + Wax xt of order one, so tanh starts neither saturated nor linear.
    """
    fan_in = n_a + n_x
    return {
        "Wax": (rng.standard_normal((n_a, n_x)) / np.sqrt(fan_in)).astype(dtype),  # (n_a, n_x)
        "Waa": (rng.standard_normal((n_a, n_a)) / np.sqrt(fan_in)).astype(dtype),  # (n_a, n_a)
        "Wya": (rng.standard_normal((n_y, n_a)) / np.sqrt(n_a)).astype(dtype),  # (n_y, n_a)
        "ba": np.zeros((n_a, 1), dtype),  # (n_a, 1)
        "by": np.zeros((n_y, 1), dtype),  # (n_y, 1)
    }


# --------------------------------------------------------------------------------------------
# The course's cell, one step


def rnn_cell_forward(
    xt: np.ndarray, a_prev: np.ndarray, parameters: Parameters
) -> tuple[np.ndarray, np.ndarray, RNNCellCache]:
    """One RNN step: a_next = tanh(Waa a_prev + Wax xt + ba), yt_pred = softmax(Wya a_next + by).

    Returns ``(a_next, yt_pred, cache)`` with cache = (a_next, a_prev, xt, parameters).
    """
    Wax, Waa, Wya = parameters["Wax"], parameters["Waa"], parameters["Wya"]
    ba, by = parameters["ba"], parameters["by"]
    a_next = np.tanh(Waa @ a_prev + Wax @ xt + ba)  # (n_a, m)
    yt_pred = softmax(Wya @ a_next + by)  # (n_y, m)
    cache = (a_next, a_prev, xt, parameters)
    return a_next, yt_pred, cache


def rnn_cell_backward(da_next: np.ndarray, cache: RNNCellCache) -> dict[str, np.ndarray]:
    """Backprop one RNN step through a_next = tanh(z), z = Waa a_prev + Wax xt + ba.

    Returns ``dxt, da_prev, dWax, dWaa, dba`` (dba of shape (n_a, 1)).
    """
    a_next, a_prev, xt, parameters = cache
    Wax, Waa = parameters["Wax"], parameters["Waa"]
    # tanh'(z) = 1 - tanh(z)², and tanh(z) is a_next itself: no need to keep z.
    dtanh = (1 - a_next**2) * da_next  # (n_a, m)
    # z is linear in each input, so each gradient is the other factor transposed times dz.
    dxt = Wax.T @ dtanh  # (n_x, m)
    dWax = dtanh @ xt.T  # (n_a, n_x)
    da_prev = Waa.T @ dtanh  # (n_a, m)
    dWaa = dtanh @ a_prev.T  # (n_a, n_a)
    # ba is broadcast over the m examples, so its gradient sums over them.
    dba = np.sum(dtanh, axis=1, keepdims=True)  # (n_a, 1)
    return {"dxt": dxt, "da_prev": da_prev, "dWax": dWax, "dWaa": dWaa, "dba": dba}


# --------------------------------------------------------------------------------------------
# The sequence, on the fused path


@dataclass(frozen=True)
class _RNNTape:
    """What rnn_backward needs from rnn_forward, in time-major rows."""

    h: np.ndarray  # (T_x + 1, m, n_a + n_x + 1)  row t = [a⟨t-1⟩, x⟨t⟩, 1]; a⟨T_x⟩ in the last
    Wax: np.ndarray  # (n_a, n_x)
    Waa: np.ndarray  # (n_a, n_a)


def rnn_forward(
    x: np.ndarray, a0: np.ndarray, parameters: Parameters
) -> tuple[np.ndarray, np.ndarray, tuple[list[RNNCellCache], np.ndarray]]:
    """Run an RNN over T_x steps: a⟨t⟩ = tanh(Waa a⟨t-1⟩ + Wax x⟨t⟩ + ba).

    Also ŷ⟨t⟩ = softmax(Wya a⟨t⟩ + by) for every step.

    Args:
        x: Inputs, (n_x, m, T_x).
        a0: Initial hidden state, (n_a, m).
        parameters: Wax (n_a, n_x), Waa (n_a, n_a), Wya (n_y, n_a), ba (n_a, 1), by (n_y, 1).

    Returns:
        ``(a, y_pred, caches)``: a (n_a, m, T_x), y_pred (n_y, m, T_x), caches =
        (list of the T_x cell caches, x). ``a``, ``y_pred`` and the caches' arrays are
        read-only views.

    Raises:
        InvalidInput: x is not (n_x, m, T_x) or a0 not (n_a, m) for these parameters.
    """
    Wax, Waa, ba = parameters["Wax"], parameters["Waa"], parameters["ba"]
    dtype = Wax.dtype
    n_a, n_x = Wax.shape
    check_sequence(x, a0, n_x, n_a, "rnn_forward")
    _, m, T_x = x.shape
    (H,) = carve(dtype, (T_x + 1, m, n_a + n_x + 1))
    fill_concat_rows(H, x, a0)
    A = H[:, :, :n_a]  # (T_x + 1, m, n_a)  A[t] = a⟨t-1⟩ as rows, a view
    # Rows: z = [a_prev, xt, 1] @ [Waaᵀ; Waxᵀ; baᵀ], the course's Waa a_prev + Wax xt + ba.
    Wb_T = np.concatenate([Waa.T, Wax.T, ba.T], axis=0)  # (n_a + n_x + 1, n_a)
    for t in range(T_x):
        a_t = A[t + 1]  # (m, n_a)
        np.matmul(H[t], Wb_T, out=a_t)
        np.tanh(a_t, out=a_t)
    y_pred = softmax_outputs(A, parameters["Wya"], parameters["by"])  # (n_y, m, T_x)
    readonly(H)
    A = H[:, :, :n_a]  # (T_x + 1, m, n_a)  again, now read-only like every view made from here
    tape = _RNNTape(h=H, Wax=Wax, Waa=Waa)
    steps = [(A[t + 1].T, A[t].T, H[t, :, n_a:-1].T, parameters) for t in range(T_x)]
    a = A[1:].transpose(2, 1, 0)  # (n_a, m, T_x)
    return a, y_pred, (TapedCaches(steps, tape), x)


def _rnn_tape(caches: tuple[list[RNNCellCache], np.ndarray]) -> _RNNTape:
    """The fused buffers behind ``caches``: rnn_forward's, or packed from a loop of cells."""
    steps, x = caches
    if isinstance(steps, TapedCaches) and isinstance(steps.tape, _RNNTape):
        return steps.tape
    parameters = steps[0][3]
    Wax, Waa = parameters["Wax"], parameters["Waa"]
    n_a, n_x = Wax.shape
    H = np.empty((len(steps) + 1, x.shape[1], n_a + n_x + 1), Wax.dtype)  # (T_x + 1, m, ·)
    fill_concat_rows(H, x, steps[0][1])
    for t, (a_next, *_) in enumerate(steps):
        H[t + 1, :, :n_a] = a_next.T
    return _RNNTape(h=H, Wax=Wax, Waa=Waa)


def rnn_backward(
    da: np.ndarray, caches: tuple[list[RNNCellCache], np.ndarray]
) -> dict[str, np.ndarray]:
    """Backprop through time for rnn_forward, given da = ∂L/∂a⟨t⟩ (n_a, m, T_x) from outside.

    Returns ``dx`` (n_x, m, T_x), ``da0`` (n_a, m), ``dWax``, ``dWaa``, ``dba`` (n_a, 1).
    """
    tape = _rnn_tape(caches)
    H, Wax, Waa = tape.h, tape.Wax, tape.Waa
    dtype = H.dtype
    n_a, n_x = Wax.shape
    T_x, m = H.shape[0] - 1, H.shape[1]
    A = H[:, :, :n_a]  # (T_x + 1, m, n_a)
    DA = np.asarray(da, dtype=dtype).transpose(2, 1, 0)  # (T_x, m, n_a)
    dZ, da_rec, da_t = carve(dtype, (T_x, m, n_a), (m, n_a), (m, n_a))
    da_rec[:] = 0  # ∂L/∂a⟨t⟩ through step t+1: none after the last step
    for t in reversed(range(T_x)):
        # a⟨t⟩ feeds both the loss directly (da) and the next step (da_rec): the gradients add.
        np.add(DA[t], da_rec, out=da_t)
        # tanh'(z) = 1 - tanh(z)² = 1 - a⟨t⟩²: a⟨t⟩ is all we kept, and all we need.
        dz = dZ[t]  # (m, n_a)
        np.multiply(A[t + 1], A[t + 1], out=dz)
        np.subtract(1, dz, out=dz)
        dz *= da_t
        # z = a_prev Waaᵀ + ... in rows, so ∂L/∂a_prev = dz Waa.
        np.matmul(dz, Waa, out=da_rec)
    # Weights are shared across steps, so their gradients sum over steps and examples: one
    # matmul over all T_x·m rows of [a_prev, x, 1] gives dWaa, dWax and (last column) dba.
    dZ_all = dZ.reshape(T_x * m, n_a)  # (T_x·m, n_a)
    dWb = dZ_all.T @ H[:T_x].reshape(T_x * m, n_a + n_x + 1)  # (n_a, n_a + n_x + 1)
    # dx and da0 get their own memory: views would keep all of dZ alive.
    dx = (dZ_all @ Wax).reshape(T_x, m, n_x).transpose(2, 1, 0)  # (n_x, m, T_x)
    return {
        "dx": dx,
        "da0": da_rec.T.copy(),
        "dWax": dWb[:, n_a:-1],
        "dWaa": dWb[:, :n_a],
        "dba": dWb[:, -1:],
    }
