"""What the RNN and the LSTM share: the course's activations and the fused batched path's buffers.

The cell functions (``rnn_cell_forward`` ...) are the course's, line for line: they are what a
learner reads and the reference the tests hold the fast path to. The sequence functions
(``rnn_forward`` ...) keep the course's signatures, return values and cache formats, but compute
differently; each choice below was measured (tests/benchmarks/cells.py), and the rejected
alternatives are noted.

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

from typing import Any

import numpy as np

from seqtui_models.core.errors import InvalidInput

Parameters = dict[str, np.ndarray]
"""A cell's parameters by the course's names (Wax, Waa, ba … or Wf, bf, … Wy, by)."""


# --------------------------------------------------------------------------------------------
# The course's activations


def softmax(x: np.ndarray, axis: int = 0) -> np.ndarray:
    """softmax(x)_k = exp(x_k - max x) / Σ_j exp(x_j - max x), over ``axis`` (the course's 0)."""
    # Subtracting the max changes nothing mathematically and keeps exp from overflowing.
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """σ(x) = 1 / (1 + exp(-x)), computed as ½ tanh(x/2) + ½ (no overflow for large -x)."""
    return 0.5 * np.tanh(0.5 * x) + 0.5


# --------------------------------------------------------------------------------------------
# The fused path's buffers


def readonly(*arrays: np.ndarray) -> None:
    """Freeze buffers whose views are handed out, so editing an output cannot corrupt a cache."""
    for array in arrays:
        array.flags.writeable = False


def check_sequence(x: np.ndarray, a0: np.ndarray, n_x: int, n_a: int, name: str) -> None:
    """Raise InvalidInput unless x is (n_x, m, T_x) and a0 is (n_a, m)."""
    if x.ndim != 3 or x.shape[0] != n_x or x.shape[2] == 0:
        raise InvalidInput(
            f"{name}: x has shape {x.shape}; pass (n_x, m, T_x) with n_x = {n_x} and T_x ≥ 1."
        )
    if a0.shape != (n_a, x.shape[1]):
        raise InvalidInput(
            f"{name}: a0 has shape {a0.shape}; pass (n_a, m) = {(n_a, x.shape[1])}."
        )


def carve(dtype: Any, *shapes: tuple[int, ...]) -> list[np.ndarray]:
    """Allocate several arrays as views of one block, each 64-byte aligned.

    Why one block: a call needs ~10 MB of buffers, and faulting fresh pages in costs more than the
    arithmetic on them. glibc keeps freed memory for reuse unless much more than its adaptive
    threshold (which grows to the largest block freed) is free at once; one block per call is
    recycled call after call, where a dozen separate arrays went back to the OS each time
    (docs/design.md has the measurement).
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


def fill_concat_rows(H: np.ndarray, x: np.ndarray, a0: np.ndarray) -> None:
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


def softmax_outputs(A: np.ndarray, Wy: np.ndarray, by: np.ndarray) -> np.ndarray:
    """ŷ⟨t⟩ = softmax(Wy a⟨t⟩ + by) for all steps at once, from the rows A (T_x + 1, m, n_a).

    One (T_x·m, n_a) @ (n_a, n_y) matmul and one softmax over each row, instead of T_x of each.
    """
    T_x, m, n_a = A.shape[0] - 1, A.shape[1], A.shape[2]
    logits = A[1:].reshape(T_x * m, n_a) @ Wy.T  # (T_x·m, n_y)
    logits += by[:, 0]
    y = softmax(logits, axis=1).reshape(T_x, m, -1)  # (T_x, m, n_y)
    y.flags.writeable = False
    return y.transpose(2, 1, 0)  # (n_y, m, T_x)


class TapedCaches(list[Any]):
    """The course's list of per-step caches, also carrying the fused path's buffers (``tape``)."""

    def __init__(self, steps: list[Any], tape: object) -> None:
        super().__init__(steps)
        self.tape = tape
