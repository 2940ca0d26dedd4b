"""The LSTM cell in numpy, forward and backward: the course's functions and their fused sequence path.

    concat  = [a_prev; xt]                                   (n_a + n_x, m), a_prev first
    ft = σ(Wf concat + bf)    it = σ(Wi concat + bi)    ot = σ(Wo concat + bo)
    cct = tanh(Wc concat + bc)
    c_next  = ft * c_prev + it * cct                         (n_a, m)
    a_next  = ot * tanh(c_next)                              (n_a, m)
    yt_pred = softmax(Wy a_next + by)                        (n_y, m)

As in the course, ``dft, dit, dcct, dot`` are the gradients w.r.t. the gates' *pre-activations*.
``lstm_cell_forward`` / ``lstm_cell_backward`` are the course's, line for line;
``lstm_forward`` / ``lstm_backward`` keep their signatures and caches but run on the time-major
buffers of :mod:`seqtui_models.cells.fused`, all four gates in one matmul per step in the fused
order [o, f, i, c] (why, and what was measured, is written there). The notation is the
package's (:mod:`seqtui_models.cells`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import numpy as np

from seqtui_models.cells.fused import (
    Parameters,
    TapedCaches,
    carve,
    check_sequence,
    fill_concat_rows,
    readonly,
    sigmoid,
    softmax,
    softmax_outputs,
)

LSTMCellCache = tuple[
    np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray,
    np.ndarray, np.ndarray, np.ndarray, np.ndarray, Parameters,
]
"""(a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters), the course's LSTM cache."""

LSTM_PARAMETERS = ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo")
"""The LSTM parameters that ``lstm_backward`` differentiates (Wy, by only feed yt_pred)."""

_GATES = "ofic"  # the fused gate order: block k of the 4 n_a axis is gate _GATES[k]
_O, _F, _I, _C = range(4)


def init_lstm_parameters(
    n_x: int, n_a: int, n_y: int, rng: np.random.Generator, dtype: Any = np.float32
) -> Parameters:
    """Draw W* ~ N(0, 1/(n_a + n_x)) of shape (n_a, n_a + n_x), b* = 0 except bf = 1, for an LSTM.

    bf = 1 starts the forget gate mostly open, so the cell state (and its gradient) survives
    many steps from the start (Jozefowicz et al. 2015; Keras' ``unit_forget_bias``).
    """
    fan_in = n_a + n_x
    parameters: Parameters = {}
    for gate in "fico":
        parameters["W" + gate] = (
            rng.standard_normal((n_a, fan_in)) / np.sqrt(fan_in)
        ).astype(dtype)  # (n_a, n_a + n_x)
        parameters["b" + gate] = np.full((n_a, 1), 1.0 if gate == "f" else 0.0, dtype)  # (n_a, 1)
    parameters["Wy"] = (rng.standard_normal((n_y, n_a)) / np.sqrt(n_a)).astype(dtype)  # (n_y, n_a)
    parameters["by"] = np.zeros((n_y, 1), dtype)  # (n_y, 1)
    return parameters


# --------------------------------------------------------------------------------------------
# The course's cell, one step


def lstm_cell_forward(
    xt: np.ndarray, a_prev: np.ndarray, c_prev: np.ndarray, parameters: Parameters
) -> tuple[np.ndarray, np.ndarray, np.ndarray, LSTMCellCache]:
    """One LSTM step: c_next = ft * c_prev + it * cct, a_next = ot * tanh(c_next).

    Also yt_pred = softmax(Wy a_next + by).

    Returns ``(a_next, c_next, yt_pred, cache)`` with cache =
    (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters).
    """
    concat = np.concatenate([a_prev, xt], axis=0)  # (n_a + n_x, m)
    ft = sigmoid(parameters["Wf"] @ concat + parameters["bf"])  # (n_a, m)
    it = sigmoid(parameters["Wi"] @ concat + parameters["bi"])  # (n_a, m)
    cct = np.tanh(parameters["Wc"] @ concat + parameters["bc"])  # (n_a, m)
    c_next = ft * c_prev + it * cct  # (n_a, m)
    ot = sigmoid(parameters["Wo"] @ concat + parameters["bo"])  # (n_a, m)
    a_next = ot * np.tanh(c_next)  # (n_a, m)
    yt_pred = softmax(parameters["Wy"] @ a_next + parameters["by"])  # (n_y, m)
    cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
    return a_next, c_next, yt_pred, cache


def lstm_cell_backward(
    da_next: np.ndarray, dc_next: np.ndarray, cache: LSTMCellCache
) -> dict[str, np.ndarray]:
    """Backprop one LSTM step through c_next = ft * c_prev + it * cct, a_next = ot * tanh(c_next).

    Returns ``dxt, da_prev, dc_prev, dWf, dWi, dWc, dWo, dbf, dbi, dbc, dbo``.
    """
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    n_a = a_next.shape[0]
    tanh_c = np.tanh(c_next)  # (n_a, m)
    # c_next reaches the loss twice: through the next step (dc_next) and through a_next.
    dc = dc_next + da_next * ot * (1 - tanh_c**2)  # (n_a, m)
    # Each gate's pre-activation: the product rule, then σ' = σ(1 - σ) or tanh' = 1 - tanh².
    dot = da_next * tanh_c * ot * (1 - ot)  # (n_a, m)
    dcct = dc * it * (1 - cct**2)  # (n_a, m)
    dit = dc * cct * it * (1 - it)  # (n_a, m)
    dft = dc * c_prev * ft * (1 - ft)  # (n_a, m)
    # Every gate is W* concat + b*, so dW* = d*t concatᵀ and db* sums d*t over the m examples.
    concat = np.concatenate([a_prev, xt], axis=0)  # (n_a + n_x, m)
    dWf, dWi, dWc, dWo = dft @ concat.T, dit @ concat.T, dcct @ concat.T, dot @ concat.T
    dbf, dbi, dbc, dbo = (np.sum(d, axis=1, keepdims=True) for d in (dft, dit, dcct, dot))
    # concat feeds all four gates, so its gradient sums over them; its top n_a rows are a_prev.
    dconcat = (
        parameters["Wf"].T @ dft
        + parameters["Wi"].T @ dit
        + parameters["Wc"].T @ dcct
        + parameters["Wo"].T @ dot
    )  # (n_a + n_x, m)
    da_prev, dxt = dconcat[:n_a], dconcat[n_a:]  # (n_a, m), (n_x, m)
    # c_prev enters c_next only through ft * c_prev.
    dc_prev = dc * ft  # (n_a, m)
    return {
        "dxt": dxt, "da_prev": da_prev, "dc_prev": dc_prev,
        "dWf": dWf, "dbf": dbf, "dWi": dWi, "dbi": dbi,
        "dWc": dWc, "dbc": dbc, "dWo": dWo, "dbo": dbo,
    }


# --------------------------------------------------------------------------------------------
# The sequence, on the fused path


@dataclass(frozen=True)
class _LSTMTape:
    """What lstm_backward needs from lstm_forward, in time-major rows and fused gate order."""

    h: np.ndarray  # (T_x + 1, m, n_a + n_x + 1)  row t = [a⟨t-1⟩, x⟨t⟩, 1]; a⟨T_x⟩ in the last
    c: np.ndarray  # (T_x + 1, m, n_a)  c[0] = 0, c[t + 1] = c⟨t⟩
    gates: np.ndarray  # (T_x, m, 4, n_a)  activated ot, ft, it, cct (order _GATES)
    tanh_c: np.ndarray  # (T_x, m, n_a)  tanh(c⟨t⟩)
    W: np.ndarray  # (4 n_a, n_a + n_x)  [Wo; Wf; Wi; Wc]


def _fuse_lstm(parameters: Parameters) -> tuple[np.ndarray, np.ndarray]:
    """Stack the gates' weights and biases in the fused order: W = [Wo; Wf; Wi; Wc], b likewise."""
    W = np.concatenate([parameters["W" + g] for g in _GATES], axis=0)  # (4 n_a, n_a + n_x)
    b = np.concatenate([parameters["b" + g] for g in _GATES], axis=0)[:, 0]  # (4 n_a,)
    return W, b


def lstm_forward(
    x: np.ndarray, a0: np.ndarray, parameters: Parameters
) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[list[LSTMCellCache], np.ndarray]]:
    """Run an LSTM over T_x steps from c⟨0⟩ = 0: a⟨t⟩, c⟨t⟩ = LSTM(x⟨t⟩, a⟨t-1⟩, c⟨t-1⟩).

    Also ŷ⟨t⟩ = softmax(Wy a⟨t⟩ + by) for every step.

    Args:
        x: Inputs, (n_x, m, T_x).
        a0: Initial hidden state, (n_a, m).
        parameters: Wf, Wi, Wc, Wo (n_a, n_a + n_x); bf, bi, bc, bo (n_a, 1); Wy (n_y, n_a);
            by (n_y, 1).

    Returns:
        ``(a, y, c, caches)``: a, c (n_a, m, T_x), y (n_y, m, T_x), caches = (list of the
        T_x cell caches, x). ``a``, ``y``, ``c`` and the caches' arrays are read-only views.

    Raises:
        InvalidInput: x is not (n_x, m, T_x) or a0 not (n_a, m) for these parameters.
    """
    W, b = _fuse_lstm(parameters)  # (4 n_a, n_a + n_x), (4 n_a,)
    dtype = W.dtype
    n_a = W.shape[0] // 4
    n_x = W.shape[1] - n_a
    check_sequence(x, a0, n_x, n_a, "lstm_forward")
    _, m, T_x = x.shape
    H, C, G, TC, ic = carve(
        dtype,
        (T_x + 1, m, n_a + n_x + 1),  # H: rows [a⟨t-1⟩, x⟨t⟩, 1], see fill_concat_rows
        (T_x + 1, m, n_a),  # C: c⟨t-1⟩ at t, c⟨0⟩ = 0
        (T_x, m, 4, n_a),  # G: gates o, f, i, c of each step, activated
        (T_x, m, n_a),  # TC: tanh(c⟨t⟩), kept for the backward pass
        (m, n_a),  # ic: scratch for it * cct
    )
    fill_concat_rows(H, x, a0)
    A = H[:, :, :n_a]  # (T_x + 1, m, n_a)  A[t] = a⟨t-1⟩ as rows, a view
    # σ(z) = ½ tanh(z/2) + ½: halve the σ-gates' rows once, and one tanh serves all four gates.
    half = np.ones(4 * n_a, dtype)  # (4 n_a,)
    half[: 3 * n_a] = 0.5  # o, f, i are the first three blocks
    Wb_half_T = np.empty((n_a + n_x + 1, 4 * n_a), dtype)  # (n_a + n_x + 1, 4 n_a)
    Wb_half_T[:-1] = (W * half[:, None]).T
    Wb_half_T[-1] = b * half
    C[0] = 0
    Z = G.reshape(T_x, m, 4 * n_a)  # (T_x, m, 4 n_a)  the same memory, gates side by side
    for t in range(T_x):
        z = Z[t]  # (m, 4 n_a)
        np.matmul(H[t], Wb_half_T, out=z)
        np.tanh(z, out=z)
        sig = z[:, : 3 * n_a]  # (m, 3 n_a)  tanh(z/2) of o, f, i → σ(z)
        sig *= 0.5
        sig += 0.5
        g = G[t]  # (m, 4, n_a)
        np.multiply(g[:, _F], C[t], out=C[t + 1])
        np.multiply(g[:, _I], g[:, _C], out=ic)
        C[t + 1] += ic
        np.tanh(C[t + 1], out=TC[t])
        np.multiply(g[:, _O], TC[t], out=A[t + 1])
    y = softmax_outputs(A, parameters["Wy"], parameters["by"])  # (n_y, m, T_x)
    readonly(H, C, G, TC)
    A = H[:, :, :n_a]  # (T_x + 1, m, n_a)  again, now read-only like every view made from here
    tape = _LSTMTape(h=H, c=C, gates=G, tanh_c=TC, W=W)
    steps = [
        (A[t + 1].T, C[t + 1].T, A[t].T, C[t].T,
         G[t, :, _F].T, G[t, :, _I].T, G[t, :, _C].T, G[t, :, _O].T, H[t, :, n_a:-1].T, parameters)
        for t in range(T_x)
    ]
    a = A[1:].transpose(2, 1, 0)  # (n_a, m, T_x)
    c = C[1:].transpose(2, 1, 0)  # (n_a, m, T_x)
    return a, y, c, (TapedCaches(steps, tape), x)


def _lstm_tape(caches: tuple[list[LSTMCellCache], np.ndarray]) -> _LSTMTape:
    """The fused buffers behind ``caches``: lstm_forward's, or packed from a loop of cells."""
    steps, x = caches
    if isinstance(steps, TapedCaches) and isinstance(steps.tape, _LSTMTape):
        return steps.tape
    W, _ = _fuse_lstm(steps[0][9])
    dtype = W.dtype
    n_a = W.shape[0] // 4

    def rows(index: int) -> np.ndarray:
        """Part ``index`` of every step's cache, stacked as rows."""
        return np.stack([cast(np.ndarray, cache[index]).T for cache in steps]).astype(dtype)

    H = np.empty((len(steps) + 1, x.shape[1], W.shape[1] + 1), dtype)  # (T_x + 1, m, n_a + n_x + 1)
    fill_concat_rows(H, x, steps[0][2])
    H[1:, :, :n_a] = rows(0)
    C = np.concatenate([steps[0][3].T[None].astype(dtype), rows(1)])  # (T_x + 1, m, n_a)
    # The cache holds (…, ft, it, cct, ot, …) at indices 4..7; the fused order is o, f, i, c.
    G = np.stack([rows(7), rows(4), rows(5), rows(6)], axis=2)  # (T_x, m, 4, n_a)
    return _LSTMTape(h=H, c=C, gates=G, tanh_c=np.tanh(C[1:]), W=W)


def lstm_backward(
    da: np.ndarray, caches: tuple[list[LSTMCellCache], np.ndarray]
) -> dict[str, np.ndarray]:
    """Backprop through time for lstm_forward, given da = ∂L/∂a⟨t⟩ (n_a, m, T_x) from outside.

    Returns ``dx`` (n_x, m, T_x), ``da0`` (n_a, m), and ``dWf, dbf, dWi, dbi, dWc, dbc, dWo,
    dbo`` in the parameters' shapes.
    """
    tape = _lstm_tape(caches)
    H, C, G, TC, W = tape.h, tape.c, tape.gates, tape.tanh_c, tape.W
    dtype = H.dtype
    T_x, m, n_a = TC.shape
    n_x = W.shape[1] - n_a
    A = H[:, :, :n_a]  # (T_x + 1, m, n_a)  A[t + 1] = a⟨t⟩
    DA = np.asarray(da, dtype=dtype).transpose(2, 1, 0)  # (T_x, m, n_a)
    dG, da_rec, dc, da_t, dc_t, p, q, tmp = carve(dtype, (T_x, m, 4, n_a), *[(m, n_a)] * 7)
    dZ = dG.reshape(T_x, m, 4 * n_a)  # (T_x, m, 4 n_a)
    Wa = np.ascontiguousarray(W[:, :n_a])  # (4 n_a, n_a)
    da_rec[:] = 0  # (m, n_a)  ∂L/∂a⟨t⟩ through step t+1; none after the end
    dc[:] = 0  # (m, n_a)  ∂L/∂c⟨t⟩ through step t+1
    # Each product below is written to need the fewest passes over (m, n_a) arrays, using the
    # forward's own results: σ' = σ (1 − σ), tanh' = 1 − tanh², and a⟨t⟩ = ot tanh(c⟨t⟩).
    for t in reversed(range(T_x)):
        g, dg, tc, a = G[t], dG[t], TC[t], A[t + 1]  # (m, 4, n_a), (m, 4, n_a), (m, n_a) ×2
        ot, ft, it, cct = g[:, _O], g[:, _F], g[:, _I], g[:, _C]  # (m, n_a) each
        # a⟨t⟩ feeds both the loss directly (da) and the next step (da_rec): the gradients add.
        np.add(DA[t], da_rec, out=da_t)
        # a = ot tanh(c): dot = da tanh(c) ot (1 − ot) = da (a − a ot).
        np.multiply(a, ot, out=tmp)
        np.subtract(a, tmp, out=tmp)
        np.multiply(tmp, da_t, out=dg[:, _O])
        # c⟨t⟩ reaches the loss through the next cell state (dc) and through a⟨t⟩, where
        # ∂a/∂c = ot (1 − tanh² c) = ot − a tanh(c): dc_t = dc + da (ot − a tanh(c)).
        np.multiply(a, tc, out=tmp)
        np.subtract(ot, tmp, out=tmp)
        tmp *= da_t
        np.add(tmp, dc, out=dc_t)
        # c = ft c_prev + it cct, so each of these gates gets dc_t times its partner, times
        # its own derivative. dft = dc c_prev ft (1 − ft) = r − r ft, with r = dc c_prev ft.
        np.multiply(dc_t, C[t], out=tmp)
        tmp *= ft
        np.multiply(tmp, ft, out=p)
        np.subtract(tmp, p, out=dg[:, _F])
        # dit = dc cct it (1 − it) = q − q it and dcct = dc it (1 − cct²) = p − q cct,
        # sharing p = dc it and q = p cct.
        np.multiply(dc_t, it, out=p)
        np.multiply(p, cct, out=q)
        np.multiply(q, it, out=tmp)
        np.subtract(q, tmp, out=dg[:, _I])
        np.multiply(q, cct, out=tmp)
        np.subtract(p, tmp, out=dg[:, _C])
        # c⟨t-1⟩ reaches c⟨t⟩ only through ft * c_prev.
        np.multiply(dc_t, ft, out=dc)
        # All four gates read a⟨t-1⟩ through W's first n_a columns: da_prev = dz Wa (rows).
        np.matmul(dZ[t], Wa, out=da_rec)
    # Weights are shared across steps, so their gradients sum over steps and examples: one
    # matmul over all T_x·m rows of [a_prev, x, 1] gives dW and (last column) db together.
    dZ_all = dZ.reshape(T_x * m, 4 * n_a)  # (T_x·m, 4 n_a)
    dWb = dZ_all.T @ H[:T_x].reshape(T_x * m, n_a + n_x + 1)  # (4 n_a, n_a + n_x + 1)
    # dx and da0 get their own memory: returning views would keep all of dG alive.
    dx = (dZ_all @ W[:, n_a:]).reshape(T_x, m, n_x).transpose(2, 1, 0)  # (n_x, m, T_x)
    gradients = {"dx": dx, "da0": da_rec.T.copy()}
    for k, gate in enumerate(_GATES):
        block = dWb[k * n_a : (k + 1) * n_a]  # (n_a, n_a + n_x + 1)
        gradients["dW" + gate] = block[:, :-1]  # (n_a, n_a + n_x)
        gradients["db" + gate] = block[:, -1:]  # (n_a, 1)
    return gradients
