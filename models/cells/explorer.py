"""One forward and backward pass of a cell, kept whole so it can be looked at step by step."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from seqtui_models.cells.lstm import init_lstm_parameters, lstm_backward, lstm_forward
from seqtui_models.cells.rnn import init_rnn_parameters, rnn_backward, rnn_forward
from seqtui_models.core.errors import InvalidInput
from seqtui_models.core.training import check_ranges

LIMITS = {"n_x": (1, 512), "n_a": (1, 512), "n_y": (1, 512), "m": (1, 1024), "T_x": (1, 500)}


@dataclass(frozen=True)
class ExploreRun:
    """Every array of one forward and backward pass.

    Attributes:
        cell: ``"rnn"`` or ``"lstm"``.
        arrays: Inputs, parameters, outputs and gradients by the course's names.
        gates: For the LSTM, ``{"f": (n_a, m, T_x), "i": ..., "c~": ..., "o": ...}``.
    """

    cell: Literal["rnn", "lstm"]
    arrays: dict[str, np.ndarray]
    gates: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def T_x(self) -> int:
        """Number of time steps."""
        return int(self.arrays["x"].shape[2])

    def shapes(self) -> dict[str, tuple[int, ...]]:
        """Every array's shape, in the order inputs, parameters, outputs, gradients."""
        out = {name: tuple(arr.shape) for name, arr in self.arrays.items()}
        out.update({f"gate {name}": tuple(arr.shape) for name, arr in self.gates.items()})
        return out

    def step_state(self, t: int, example: int = 0) -> dict[str, np.ndarray]:
        """The vectors of time step ``t`` for one example: a⟨t⟩ (and c⟨t⟩, the four gates)."""
        out = {"a": self.arrays["a"][:, example, t]}
        if self.cell == "lstm":
            out["c"] = self.arrays["c"][:, example, t]
            for name, values in self.gates.items():
                out[name] = values[:, example, t]
        return out


MEMORY_BUDGET = 1 << 30
"""The most memory one exploration may take (1 GiB): the lesson needs small sizes, and the app
shares the machine (with other sessions, when served)."""


def estimate_bytes(cell: str, *, n_x: int, n_a: int, n_y: int, m: int, T_x: int) -> int:
    """About how many bytes :func:`explore` allocates at its peak (measured with tracemalloc,
    rounded up): every step's cache holds a few (n_a, m) arrays — about 17 for the LSTM (the
    concatenation, four gates, the candidate, both states, their gradients), 4 for the RNN."""
    per_column = (17 * n_a + 4 * n_x + 4 * n_y) if cell == "lstm" else (4 * n_a + 4 * n_x + 2 * n_y)
    weights = 4 * 8 * (n_a + n_x + n_y) * n_a  # parameters and gradients, float64 at worst
    return 4 * m * T_x * per_column + weights


def _gigabytes(n: int) -> str:
    return f"{n / (1 << 30):.1f} GB" if n >= 1 << 30 else f"{n / (1 << 20):.0f} MB"


def explore(
    cell: str, *, n_x: int = 3, n_a: int = 5, n_y: int = 2, m: int = 10, T_x: int = 7, seed: int = 0
) -> ExploreRun:
    """Run ``cell`` forward over random inputs and backward from a random upstream ``da``."""
    if cell not in ("rnn", "lstm"):
        raise InvalidInput(f"Unknown cell {cell!r}: choose rnn or lstm.")
    sizes = {"n_x": n_x, "n_a": n_a, "n_y": n_y, "m": m, "T_x": T_x}
    check_ranges((name, value, *LIMITS[name]) for name, value in sizes.items())
    need = estimate_bytes(cell, **sizes)
    if need > MEMORY_BUDGET:
        raise InvalidInput(
            f"These sizes need about {_gigabytes(need)} of memory; one run may use {_gigabytes(MEMORY_BUDGET)}. "
            f"Lower m, T_x or n_a (the memory grows with n_a × m × T_x)."
        )
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n_x, m, T_x)).astype(np.float32)  # (n_x, m, T_x)
    a0 = rng.standard_normal((n_a, m)).astype(np.float32)  # (n_a, m)
    da = rng.standard_normal((n_a, m, T_x)).astype(np.float32)  # upstream dL/da, (n_a, m, T_x)
    arrays: dict[str, np.ndarray] = {"x": x, "a0": a0}
    gates: dict[str, np.ndarray] = {}
    if cell == "rnn":
        params = init_rnn_parameters(n_x, n_a, n_y, rng)
        a, y, rnn_caches = rnn_forward(x, a0, params)
        arrays.update(params)
        arrays.update(a=a, y_pred=y, da=da)
        grads = rnn_backward(da, rnn_caches)
    else:
        params = init_lstm_parameters(n_x, n_a, n_y, rng)
        a, y, c, lstm_caches = lstm_forward(x, a0, params)
        arrays.update(params)
        arrays.update(a=a, c=c, y=y, da=da)
        # Course cache: (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
        for name, gate in (("f", 4), ("i", 5), ("c~", 6), ("o", 7)):
            per_step = [np.asarray(step[gate]) for step in lstm_caches[0]]
            gates[name] = np.stack(per_step, axis=-1)  # (n_a, m, T_x)
        grads = lstm_backward(da, lstm_caches)
    arrays.update(grads)
    return ExploreRun(cell=cell, arrays=arrays, gates=gates)  # type: ignore[arg-type]
