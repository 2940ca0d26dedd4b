"""RNN and LSTM cells in numpy: the course's API outside, a fused batched path inside.

Notation (Sequence Models, week 1, "Building your RNN step by step"), used throughout:

    n_x inputs, n_a hidden units, n_y outputs, m examples in the batch, T_x time steps.
    xt (n_x, m) is the input at step t; a_prev / a_next (n_a, m) the hidden state before / after
    it; c_prev / c_next (n_a, m) the LSTM's cell state. ``*`` is the element-wise product.

    RNN   a_next  = tanh(Waa a_prev + Wax xt + ba)
          yt_pred = softmax(Wya a_next + by)
    LSTM  concat  = [a_prev; xt]                                       (n_a + n_x, m), a_prev first
          ft = σ(Wf concat + bf)    it = σ(Wi concat + bi)    ot = σ(Wo concat + bo)
          cct = tanh(Wc concat + bc)
          c_next  = ft * c_prev + it * cct
          a_next  = ot * tanh(c_next)
          yt_pred = softmax(Wy a_next + by)

    A gradient is named after what it differentiates: ``da_prev`` is ∂L/∂a_prev. As in the
    course, ``dft, dit, dcct, dot`` are the gradients w.r.t. the gates' *pre-activations*, and
    the upstream ``da`` (n_a, m, T_x) is ∂L/∂a⟨t⟩ from outside the recurrence at every step.

The cell functions (``rnn_cell_forward`` ...) are the course's, line for line: they are what a
learner reads and the reference the tests hold the fast path to. The sequence functions keep the
course's signatures, return values and cache formats, but compute differently; each choice below
was measured (tests/benchmarks/cells.py), and the rejected alternatives are noted.

- Time-major rows inside: every buffer is (T_x, m, ·), so one step is a contiguous (m, ·) slab
  and all steps together are one (T_x·m, ·) matrix without a copy. The course's (n_a, m) cache
  arrays and (n_a, m, T_x) outputs are transposed, read-only *views* of these buffers.
- One buffer holds every step's concat as a row [a⟨t-1⟩, x⟨t⟩, 1]. A step's pre-activations are
  then one matmul, bias included (for the LSTM all four gates: one (n_a + n_x + 1, 4 n_a)
  product), and after the backward loop all weight and bias gradients are one matmul over the
  T_x·m rows. Projecting every step's input up front with one big matmul was no faster and
  costs an extra pass over the gates.
- The LSTM's fused gate order is [o, f, i, c]: the three σ-gates are contiguous, so turning
  their tanh into σ is one slice of the step's gates.
- σ(z) = ½ tanh(z/2) + ½, with the halving folded into the weights, so one ``tanh`` call
  activates all four gates (and σ cannot overflow).
- The backward loop works on per-step (m, ·) slabs, which stay in cache; computing the
  non-recurrent factors for all steps at once (or in chunks of steps) before the loop was slower.
- Each call carves its buffers out of one allocation, which glibc recycles from call to call; a
  dozen separate arrays were handed back to the OS and paid page faults every call.
- Everything stays in the parameters' dtype (float32 by default; float64 for gradient checks).

``rnn_backward`` and ``lstm_backward`` also accept caches built by looping the cell functions
(a plain list): they pack them into the same buffers first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, cast

import numpy as np

from seqtui_models.core.errors import InvalidInput

Parameters = dict[str, np.ndarray]
RNNCellCache = tuple[np.ndarray, np.ndarray, np.ndarray, Parameters]
LSTMCellCache = tuple[
    np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray,
    np.ndarray, np.ndarray, np.ndarray, np.ndarray, Parameters,
]

GRADCHECK_THRESHOLD = 1e-7
"""Largest relative error :func:`gradient_check` accepts (float64 typically gives ~1e-10)."""

RNN_PARAMETERS = ("Wax", "Waa", "ba")
"""The RNN parameters that ``rnn_backward`` differentiates (Wya, by only feed yt_pred)."""

LSTM_PARAMETERS = ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo")
"""The LSTM parameters that ``lstm_backward`` differentiates (Wy, by only feed yt_pred)."""

_GATES = "ofic"  # the fused gate order: block k of the 4 n_a axis is gate _GATES[k]
_O, _F, _I, _C = range(4)


# --------------------------------------------------------------------------------------------
# Helpers


def softmax(x: np.ndarray, axis: int = 0) -> np.ndarray:
    """softmax(x)_k = exp(x_k - max x) / Σ_j exp(x_j - max x), over ``axis`` (the course's 0)."""
    # Subtracting the max changes nothing mathematically and keeps exp from overflowing.
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """σ(x) = 1 / (1 + exp(-x)), computed as ½ tanh(x/2) + ½ (no overflow for large -x)."""
    return 0.5 * np.tanh(0.5 * x) + 0.5


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


def _readonly(*arrays: np.ndarray) -> None:
    """Freeze buffers whose views are handed out, so editing an output cannot corrupt a cache."""
    for array in arrays:
        array.flags.writeable = False


def _check_sequence(x: np.ndarray, a0: np.ndarray, n_x: int, n_a: int, name: str) -> None:
    """Raise InvalidInput unless x is (n_x, m, T_x) and a0 is (n_a, m)."""
    if x.ndim != 3 or x.shape[0] != n_x or x.shape[2] == 0:
        raise InvalidInput(
            f"{name}: x has shape {x.shape}; pass (n_x, m, T_x) with n_x = {n_x} and T_x ≥ 1."
        )
    if a0.shape != (n_a, x.shape[1]):
        raise InvalidInput(
            f"{name}: a0 has shape {a0.shape}; pass (n_a, m) = {(n_a, x.shape[1])}."
        )


def _carve(dtype: Any, *shapes: tuple[int, ...]) -> list[np.ndarray]:
    """Allocate several arrays as views of one block, each 64-byte aligned.

    Why one block: a call needs ~10 MB of buffers, and faulting fresh pages in cost more than the
    arithmetic on them (~0.3 ms per MB in the VM the benchmark ran in). glibc keeps freed memory
    for reuse unless much more than its adaptive threshold (which grows to the largest block freed)
    is free at once; one block per call is recycled call after call, where a dozen separate arrays
    went back to the OS each time (measured: ~3,500 page faults per lstm_forward + lstm_backward
    at the benchmark's size before, none after).
    """
    itemsize = np.dtype(dtype).itemsize
    align = max(1, 64 // itemsize)
    sizes = [int(np.prod(shape)) for shape in shapes]
    starts = np.cumsum([0] + [-(-n // align) * align for n in sizes])
    block = np.empty(int(starts[-1]) + align, dtype)
    skip = (-(block.ctypes.data // itemsize)) % align  # first 64-byte boundary in the block
    return [
        block[skip + start : skip + start + n].reshape(shape)
        for start, n, shape in zip(starts[:-1], sizes, shapes)
    ]


def _fill_concat_rows(H: np.ndarray, x: np.ndarray, a0: np.ndarray) -> None:
    """Fill H (T_x + 1, m, n_a + n_x + 1) with every step's concat as a row: [a⟨t-1⟩, x⟨t⟩, 1].

    Why rows of [a_prev, xt, 1]: a step's pre-activation is then one matmul (the bias rides on
    the column of ones), and the weight and bias gradients one matmul over all T_x·m rows. The
    sequence writes a⟨t⟩ into row t + 1 as it goes; row T_x holds only a⟨T_x⟩.
    """
    n_a, T_x = a0.shape[0], x.shape[2]
    H[0, :, :n_a] = a0.T
    H[:T_x, :, n_a:-1] = x.transpose(2, 1, 0)
    H[T_x, :, n_a:-1] = 0  # no input after the last step
    H[:, :, -1] = 1


def _softmax_outputs(A: np.ndarray, Wy: np.ndarray, by: np.ndarray) -> np.ndarray:
    """ŷ⟨t⟩ = softmax(Wy a⟨t⟩ + by) for all steps at once, from the rows A (T_x + 1, m, n_a).

    One (T_x·m, n_a) @ (n_a, n_y) matmul and one softmax over each row, instead of T_x of each.
    """
    T_x, m, n_a = A.shape[0] - 1, A.shape[1], A.shape[2]
    logits = A[1:].reshape(T_x * m, n_a) @ Wy.T  # (T_x·m, n_y)
    logits += by[:, 0]
    y = softmax(logits, axis=1).reshape(T_x, m, -1)  # (T_x, m, n_y)
    y.flags.writeable = False
    return y.transpose(2, 1, 0)  # (n_y, m, T_x)


class _TapedCaches(list[Any]):
    """The course's list of per-step caches, also carrying the fused path's buffers (``tape``)."""

    def __init__(self, steps: list[Any], tape: _RNNTape | _LSTMTape) -> None:
        super().__init__(steps)
        self.tape = tape


# --------------------------------------------------------------------------------------------
# RNN


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
    _check_sequence(x, a0, n_x, n_a, "rnn_forward")
    _, m, T_x = x.shape
    (H,) = _carve(dtype, (T_x + 1, m, n_a + n_x + 1))
    _fill_concat_rows(H, x, a0)
    A = H[:, :, :n_a]  # (T_x + 1, m, n_a)  A[t] = a⟨t-1⟩ as rows, a view
    # Rows: z = [a_prev, xt, 1] @ [Waaᵀ; Waxᵀ; baᵀ], the course's Waa a_prev + Wax xt + ba.
    Wb_T = np.concatenate([Waa.T, Wax.T, ba.T], axis=0)  # (n_a + n_x + 1, n_a)
    for t in range(T_x):
        a_t = A[t + 1]  # (m, n_a)
        np.matmul(H[t], Wb_T, out=a_t)
        np.tanh(a_t, out=a_t)
    y_pred = _softmax_outputs(A, parameters["Wya"], parameters["by"])  # (n_y, m, T_x)
    _readonly(H)
    A = H[:, :, :n_a]  # (T_x + 1, m, n_a)  again, now read-only like every view made from here
    tape = _RNNTape(h=H, Wax=Wax, Waa=Waa)
    steps = [(A[t + 1].T, A[t].T, H[t, :, n_a:-1].T, parameters) for t in range(T_x)]
    a = A[1:].transpose(2, 1, 0)  # (n_a, m, T_x)
    return a, y_pred, (_TapedCaches(steps, tape), x)


def _rnn_tape(caches: tuple[list[RNNCellCache], np.ndarray]) -> _RNNTape:
    """The fused buffers behind ``caches``: rnn_forward's, or packed from a loop of cells."""
    steps, x = caches
    if isinstance(steps, _TapedCaches) and isinstance(steps.tape, _RNNTape):
        return steps.tape
    parameters = steps[0][3]
    Wax, Waa = parameters["Wax"], parameters["Waa"]
    n_a, n_x = Wax.shape
    H = np.empty((len(steps) + 1, x.shape[1], n_a + n_x + 1), Wax.dtype)  # (T_x + 1, m, ·)
    _fill_concat_rows(H, x, steps[0][1])
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
    dZ, da_rec, da_t = _carve(dtype, (T_x, m, n_a), (m, n_a), (m, n_a))
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


# --------------------------------------------------------------------------------------------
# LSTM


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
    _check_sequence(x, a0, n_x, n_a, "lstm_forward")
    _, m, T_x = x.shape
    H, C, G, TC, ic = _carve(
        dtype,
        (T_x + 1, m, n_a + n_x + 1),  # H: rows [a⟨t-1⟩, x⟨t⟩, 1], see _fill_concat_rows
        (T_x + 1, m, n_a),  # C: c⟨t-1⟩ at t, c⟨0⟩ = 0
        (T_x, m, 4, n_a),  # G: gates o, f, i, c of each step, activated
        (T_x, m, n_a),  # TC: tanh(c⟨t⟩), kept for the backward pass
        (m, n_a),  # ic: scratch for it * cct
    )
    _fill_concat_rows(H, x, a0)
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
    y = _softmax_outputs(A, parameters["Wy"], parameters["by"])  # (n_y, m, T_x)
    _readonly(H, C, G, TC)
    A = H[:, :, :n_a]  # (T_x + 1, m, n_a)  again, now read-only like every view made from here
    tape = _LSTMTape(h=H, c=C, gates=G, tanh_c=TC, W=W)
    steps = [
        (A[t + 1].T, C[t + 1].T, A[t].T, C[t].T,
         G[t, :, _F].T, G[t, :, _I].T, G[t, :, _C].T, G[t, :, _O].T, H[t, :, n_a:-1].T, parameters)
        for t in range(T_x)
    ]
    a = A[1:].transpose(2, 1, 0)  # (n_a, m, T_x)
    c = C[1:].transpose(2, 1, 0)  # (n_a, m, T_x)
    return a, y, c, (_TapedCaches(steps, tape), x)


def _lstm_tape(caches: tuple[list[LSTMCellCache], np.ndarray]) -> _LSTMTape:
    """The fused buffers behind ``caches``: lstm_forward's, or packed from a loop of cells."""
    steps, x = caches
    if isinstance(steps, _TapedCaches) and isinstance(steps.tape, _LSTMTape):
        return steps.tape
    W, _ = _fuse_lstm(steps[0][9])
    dtype = W.dtype
    n_a = W.shape[0] // 4

    def rows(index: int) -> np.ndarray:
        """Part ``index`` of every step's cache, stacked as rows."""
        return np.stack([cast(np.ndarray, cache[index]).T for cache in steps]).astype(dtype)

    H = np.empty((len(steps) + 1, x.shape[1], W.shape[1] + 1), dtype)  # (T_x + 1, m, n_a + n_x + 1)
    _fill_concat_rows(H, x, steps[0][2])
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
    dG, da_rec, dc, da_t, dc_t, p, q, tmp = _carve(dtype, (T_x, m, 4, n_a), *[(m, n_a)] * 7)
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


# --------------------------------------------------------------------------------------------
# Gradient check


def _relative_error(numeric: np.ndarray, analytic: np.ndarray) -> float:
    """‖g_num − g_ana‖ / (‖g_num‖ + ‖g_ana‖), or 0 when both are zero."""
    denominator = np.linalg.norm(numeric) + np.linalg.norm(analytic)
    return float(np.linalg.norm(numeric - analytic) / denominator) if denominator else 0.0


def gradient_check(
    cell: Literal["rnn", "lstm"],
    *,
    n_x: int = 3,
    n_a: int = 5,
    m: int = 4,
    T_x: int = 6,
    seed: int = 0,
    eps: float = 1e-6,
) -> dict[str, float]:
    """Compare rnn_backward / lstm_backward with centred differences of L = Σ a * R, in float64.

    R is a fixed random (n_a, m, T_x) array, so ∂L/∂a = R is the ``da`` given to the backward
    pass. Each entry θ is nudged both ways: ∂L/∂θ ≈ (L(θ + eps) − L(θ − eps)) / (2 eps).

    Returns:
        The relative error per parameter (Wax, Waa, ba or Wf, bf, Wi, bi, Wc, bc, Wo, bo) and
        for "x" and "a0"; each should be below :data:`GRADCHECK_THRESHOLD`.
    """
    if cell not in ("rnn", "lstm"):
        raise InvalidInput(f"gradient_check: unknown cell {cell!r}; pass 'rnn' or 'lstm'.")
    rng = np.random.default_rng(seed)
    init = init_rnn_parameters if cell == "rnn" else init_lstm_parameters
    parameters = init(n_x, n_a, 2, rng, dtype=np.float64)
    # Random biases too (init gives zeros): a wrong bias term must not hide behind a zero.
    for name, value in parameters.items():
        if name.startswith("b"):
            value += 0.5 * rng.standard_normal(value.shape)
    x = rng.standard_normal((n_x, m, T_x))  # (n_x, m, T_x)
    a0 = rng.standard_normal((n_a, m))  # (n_a, m)
    R = rng.standard_normal((n_a, m, T_x))  # (n_a, m, T_x)

    def hidden_states() -> np.ndarray:
        if cell == "rnn":
            return rnn_forward(x, a0, parameters)[0]
        return lstm_forward(x, a0, parameters)[0]

    def loss() -> float:
        return float(np.sum(hidden_states() * R))

    if cell == "rnn":
        analytic = rnn_backward(R, rnn_forward(x, a0, parameters)[2])
    else:
        analytic = lstm_backward(R, lstm_forward(x, a0, parameters)[3])
    names = RNN_PARAMETERS if cell == "rnn" else LSTM_PARAMETERS
    checked = {**{name: parameters[name] for name in names}, "x": x, "a0": a0}
    errors: dict[str, float] = {}
    for name, array in checked.items():
        numeric = np.empty_like(array)
        for index in np.ndindex(array.shape):
            kept = array[index]
            array[index] = kept + eps
            plus = loss()
            array[index] = kept - eps
            minus = loss()
            array[index] = kept
            numeric[index] = (plus - minus) / (2 * eps)
        errors[name] = _relative_error(numeric, analytic["d" + name])
    return errors
