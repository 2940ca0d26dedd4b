"""The optimiser every numpy trainer shares: SGD or Adam, global-norm clipping, weight decay."""

from __future__ import annotations

import math

import numpy as np


class Optimizer:
    """SGD or Adam over a dict of parameters, updated in place.

    Adam: m ← β1 m + (1 − β1) g; v ← β2 v + (1 − β2) g²; θ ← θ − lr (m̂ / (√v̂ + ε) + λ θ),
    with the decoupled decay λθ (AdamW) only on weight matrices (decaying biases buys nothing).

    Args:
        params: The parameters it will update (their shapes size the moment buffers).
        kind: ``"adam"`` or ``"sgd"``.
        lr: Learning rate.
        clip: The gradient is rescaled when its global norm exceeds this (exploding
            gradients); rescaling rather than truncating keeps its direction.
        weight_decay: λ, per step, times lr; applied to parameters whose name starts with W.
    """

    def __init__(
        self, params: dict[str, np.ndarray], kind: str, lr: float, clip: float, weight_decay: float = 0.0
    ) -> None:
        self.adam = kind == "adam"
        self.lr, self.clip, self.decay = lr, clip, weight_decay
        self.t = 0
        self.m = {k: np.zeros_like(v) for k, v in params.items()}
        self.v = {k: np.zeros_like(v) for k, v in params.items()}

    def step(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> float:
        """Update ``params`` in place; return the gradient's global norm before clipping."""
        norm = math.sqrt(sum(float(np.vdot(g, g)) for g in grads.values()))
        scale = self.clip / norm if norm > self.clip else 1.0
        self.t += 1
        b1, b2, eps = 0.9, 0.999, 1e-8
        for name, g in grads.items():
            p = params[name]
            if scale != 1.0:
                g = g * scale
            if self.decay and name.startswith("W"):
                p -= (self.lr * self.decay) * p
            if not self.adam:
                p -= self.lr * g
                continue
            m, v = self.m[name], self.v[name]
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * (g * g)
            # Bias correction folded into the step size.
            step = self.lr * math.sqrt(1 - b2**self.t) / (1 - b1**self.t)
            p -= step * m / (np.sqrt(v) + eps)
        return norm
