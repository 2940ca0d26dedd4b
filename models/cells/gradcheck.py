"""Gradient checks: the RNN's and the LSTM's backward passes against centred differences."""

from __future__ import annotations

from typing import Literal

import numpy as np

from seqtui_models.cells.lstm import LSTM_PARAMETERS, init_lstm_parameters, lstm_backward, lstm_forward
from seqtui_models.cells.rnn import RNN_PARAMETERS, init_rnn_parameters, rnn_backward, rnn_forward
from seqtui_models.core.errors import InvalidInput

GRADCHECK_THRESHOLD = 1e-7
"""Largest relative error :func:`gradient_check` accepts (float64 typically gives ~1e-10)."""


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
