"""V2's blend: the LSTM networks' answer averaged with a bag-of-words softmax, then calibrated.

The LSTMs read word order (they can see "not happy"), but on sentences by other people they
fail with great confidence where a single unusual phrase throws them; V1's softmax over the
average word vector is blunter and much less sure of itself. Their errors differ, so their
average is right more often than either (leave-one-author-out over six independent authors:
LSTMs alone 78.3%, V1 alone 72.3%, the blend about 81%; README's Performance section).

For a sentence with LSTM-average probabilities ``p_lstm`` ``(C,)`` and word-vector average
``avg`` ``(n,)``:

    p_bag = softmax((W · avg + b) / T_bag)                      the bag-of-words model, calibrated
    p_mix = (1 − w) · softmax(log p_lstm / T_lstm) + w · p_bag  the two calibrated answers averaged
    p     = softmax(log p_mix / T)                               the mixture calibrated (V2's calibration)

``W`` ``(C, n)`` and ``b`` ``(C,)`` are a V1 "fast" model trained on V2's own training sentences
at the end of V2's training (seconds), ``T_bag`` its 5-fold cross-fitted temperature. ``w``,
``T_lstm`` and ``T`` are fitted by :func:`fit` on labelled sentences the model never learnt
from (``seqtui emojify calibrate``); until then they are :data:`DEFAULT_WEIGHT`,
:data:`DEFAULT_LSTM_TEMPERATURE` and :data:`DEFAULT_TEMPERATURE`, chosen on the
leave-one-author-out splits of ``tests/benchmarks/emojify_authors.py`` (never on a test file).
The blend is stored in the model file's ``seqtui.json`` under ``"blend"``; files without one
(older V2 files) are the LSTMs alone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from seqtui_models.emojify.calibration import (
    NONE,
    Calibration,
    calibrate,
    confident_mistakes,
    ece,
    fit_temperature,
    nll,
    scale,
)
from seqtui_models.emojify.v1 import softmax

WEIGHTS = tuple(round(0.05 * k, 2) for k in range(17))
"""The bag-of-words shares :func:`fit` tries (0 … 0.8)."""
DEFAULT_WEIGHT = 0.5
DEFAULT_LSTM_TEMPERATURE = 3.0
DEFAULT_TEMPERATURE = 0.6
"""Before any fit: the values leave-one-author-out chose on each fold (w 0.5–0.55, T_lstm 2.9–3.3, T 0.5–0.6)."""


@dataclass(frozen=True)
class Blend:
    """The bag-of-words model and how it is mixed with the LSTMs.

    Attributes:
        W: ``(C, n)``; b: ``(C,)``: the bag-of-words softmax (V1's model).
        bag_temperature: T_bag, its own calibration.
        weight: w, its share of the average.
        lstm_temperature: T_lstm, the LSTMs' calibration before mixing.
    """

    W: np.ndarray
    b: np.ndarray
    bag_temperature: float
    weight: float = DEFAULT_WEIGHT
    lstm_temperature: float = DEFAULT_LSTM_TEMPERATURE

    def bag(self, A: np.ndarray) -> np.ndarray:
        """p_bag for averages ``A`` ``(m, n)``: ``(m, C)``."""
        return softmax((A @ self.W.T + self.b) / self.bag_temperature)  # (m, C)

    def mix(self, lstm: np.ndarray, A: np.ndarray) -> np.ndarray:
        """p_mix ``(m, C)`` from the LSTMs' raw probabilities ``(m, C)`` and the averages ``(m, n)``."""
        return (1 - self.weight) * scale(lstm, self.lstm_temperature) + self.weight * self.bag(A)

    def with_fit(self, weight: float, lstm_temperature: float) -> Blend:
        """This blend with other mixing settings."""
        return Blend(self.W, self.b, self.bag_temperature, weight, lstm_temperature)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (as stored in the model file)."""
        return {
            "W": np.asarray(self.W, dtype=np.float64).tolist(),
            "b": np.asarray(self.b, dtype=np.float64).tolist(),
            "bag_temperature": self.bag_temperature,
            "weight": self.weight,
            "lstm_temperature": self.lstm_temperature,
        }

    @classmethod
    def from_mapping(cls, data: Any, classes: int, dim: int) -> Blend:
        """The stored blend, checked against the model's classes and vector size.

        Raises:
            ValueError: it is unreadable or does not fit.
        """
        try:
            W = np.asarray(data["W"], dtype=np.float64)
            b = np.asarray(data["b"], dtype=np.float64)
            numbers = [float(data[k]) for k in ("bag_temperature", "weight", "lstm_temperature")]
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"unreadable blend ({exc})") from None
        if W.shape != (classes, dim) or b.shape != (classes,) or not (np.isfinite(W).all() and np.isfinite(b).all()):
            raise ValueError(f"a blend of shape {W.shape} does not fit {classes} classes of {dim}-d vectors")
        T_bag, w, T_lstm = numbers
        if not (0 < T_bag < math.inf and 0 <= w <= 1 and 0 < T_lstm < math.inf):
            raise ValueError(f"blend settings out of range: T_bag {T_bag}, w {w}, T_lstm {T_lstm}")
        return cls(W, b, T_bag, w, T_lstm)


DEFAULT_CALIBRATION = replace(NONE, temperature=DEFAULT_TEMPERATURE, source="default (chosen on leave-one-author-out splits)")
"""The mixture's temperature before :func:`fit` (a V2 file stores it like any calibration)."""


def fit(blend: Blend, lstm: np.ndarray, A: np.ndarray, labels: np.ndarray, source: str,
        weights: Sequence[float] = WEIGHTS) -> tuple[Blend, Calibration]:
    """Fit T_lstm, w and T on labelled sentences the model never learnt from.

    T_lstm by negative log-likelihood of the LSTMs alone; then, for each w in ``weights``, the
    mixture's T; the pair with the lowest negative log-likelihood wins.

    Args:
        blend: The blend to refit (its W, b and T_bag are kept).
        lstm: ``(m, C)`` the LSTMs' raw probabilities; A: ``(m, n)`` the sentences' averages;
        labels: ``(m,)``.
        source: What the sentences were (recorded with the calibration).

    Returns:
        The refitted blend and the mixture's calibration. Its "before" figures are the networks'
        raw probabilities (no blend, T 1), its "after" ones the model's answers now.
    """
    y = np.asarray(labels)
    T_lstm = fit_temperature(lstm, y)
    best: tuple[float, float] | None = None
    for w in weights:
        mixed = blend.with_fit(w, T_lstm).mix(lstm, A)
        loss = nll(scale(mixed, fit_temperature(mixed, y)), y)
        if best is None or loss < best[0] - 1e-12:
            best = (loss, w)
    assert best is not None
    fitted = blend.with_fit(best[1], T_lstm)
    after = calibrate(fitted.mix(lstm, A), y, source)
    # "Before" is the networks alone, raw: what the model answered before it was blended and calibrated.
    return fitted, replace(after, nll_before=nll(lstm, y), ece_before=ece(lstm, y),
                           confident_before=confident_mistakes(lstm, y),
                           accuracy_before=float(np.mean(lstm.argmax(axis=1) == y)))


__all__ = ["Blend", "DEFAULT_CALIBRATION", "NONE", "fit"]
