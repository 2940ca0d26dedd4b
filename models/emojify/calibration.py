"""How far to trust a model's probabilities: temperature scaling and the figures that judge it.

A classifier trained until it fits its sentences (V2 reaches 99.9% on its own training file)
says 97% where it is right 70% of the time. *Temperature scaling* (Guo et al., 2017) divides the
log-probabilities by one number T > 0 fitted on labelled sentences the model did not learn from:

    p_T(c) = softmax(log p(c) / T)

T > 1 softens the answers, T < 1 sharpens them; the ranking of the classes (and so the accuracy)
does not change. T minimises the negative log-likelihood of the held-out labels; as a function
of β = 1/T that loss is convex, so a golden-section search on log β finds it.

The figures (:func:`report`):

* ``nll`` — mean negative log-likelihood of the true class (lower is better).
* ``ece`` — expected calibration error: sentences binned by confidence (10 equal-width bins),
  the gap |accuracy − mean confidence| of each bin weighted by its share of the sentences.
* ``confident_mistakes`` — the share of *all* sentences answered wrongly with a confidence of
  at least 0.9: the answers a user would believe and should not.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from seqtui_models.core.errors import InvalidInput

CONFIDENT = 0.9
"""A confidence at or above this counts as confident (the issue's "≥ 0.9")."""
BINS = 10
T_RANGE = (0.05, 50.0)
"""Temperatures the fit may return."""

_FLOOR = 1e-12


def scale(probabilities: np.ndarray, temperature: float) -> np.ndarray:
    """``softmax(log p / T)`` over the last axis: ``(…, C)`` → ``(…, C)``; T = 1 returns ``p`` itself."""
    p = np.asarray(probabilities, dtype=np.float64)
    if temperature == 1.0:
        return p
    z = np.log(np.clip(p, _FLOOR, 1.0)) / temperature
    z -= z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)  # type: ignore[no-any-return]


def nll(probabilities: np.ndarray, labels: np.ndarray) -> float:
    """Mean negative log-likelihood of ``labels`` ``(m,)`` under ``probabilities`` ``(m, C)``."""
    p = np.asarray(probabilities, dtype=np.float64)[np.arange(len(labels)), labels]  # (m,)
    return float(-np.mean(np.log(np.clip(p, _FLOOR, 1.0))))


def ece(probabilities: np.ndarray, labels: np.ndarray, bins: int = BINS) -> float:
    """Expected calibration error with ``bins`` equal-width confidence bins (0 = perfectly calibrated)."""
    p = np.asarray(probabilities, dtype=np.float64)
    confidence = p.max(axis=1)  # (m,)
    right = (p.argmax(axis=1) == labels).astype(np.float64)  # (m,)
    which = np.minimum((confidence * bins).astype(int), bins - 1)  # (m,) the bin of each sentence
    total = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            total += mask.mean() * abs(right[mask].mean() - confidence[mask].mean())
    return total


def confident_mistakes(probabilities: np.ndarray, labels: np.ndarray, threshold: float = CONFIDENT) -> float:
    """The share of sentences answered wrongly with confidence ≥ ``threshold``."""
    p = np.asarray(probabilities, dtype=np.float64)
    wrong = p.argmax(axis=1) != labels
    return float(np.mean(wrong & (p.max(axis=1) >= threshold)))


def fit_temperature(probabilities: np.ndarray, labels: np.ndarray) -> float:
    """The temperature that minimises the held-out NLL of ``labels`` (see the module docstring).

    Args:
        probabilities: ``(m, C)`` the model's (uncalibrated) probabilities.
        labels: ``(m,)`` the true classes.

    Raises:
        InvalidInput: no sentences, or labels outside the classes.
    """
    p = np.asarray(probabilities, dtype=np.float64)
    y = np.asarray(labels)
    if p.ndim != 2 or len(p) == 0 or len(y) != len(p):
        raise InvalidInput("Calibration needs labelled sentences: none were given.")
    if y.min() < 0 or y.max() >= p.shape[1]:
        raise InvalidInput(f"Calibration labels must be classes 0–{p.shape[1] - 1}.")
    logp = np.log(np.clip(p, _FLOOR, 1.0))  # (m, C)
    picked = logp[np.arange(len(y)), y]  # (m,)

    def loss(log_beta: float) -> float:
        beta = math.exp(log_beta)
        z = beta * logp
        top = z.max(axis=1, keepdims=True)
        lse = top[:, 0] + np.log(np.exp(z - top).sum(axis=1))  # (m,)
        return float(np.mean(lse - beta * picked))

    lo, hi = math.log(1 / T_RANGE[1]), math.log(1 / T_RANGE[0])
    ratio = (math.sqrt(5) - 1) / 2
    a, b = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
    fa, fb = loss(a), loss(b)
    for _ in range(80):  # the bracket shrinks by 0.618 per step: far below float noise at the end
        if fa < fb:
            hi, b, fb = b, a, fa
            a = hi - ratio * (hi - lo)
            fa = loss(a)
        else:
            lo, a, fa = a, b, fb
            b = lo + ratio * (hi - lo)
            fb = loss(b)
    return float(1 / math.exp((lo + hi) / 2))


OPTIONAL = ("accuracy_before",)
"""Fields a stored calibration may lack (added after files were saved)."""


@dataclass(frozen=True)
class Calibration:
    """A fitted temperature and what it did on the sentences it was fitted on.

    Attributes:
        temperature: T (1 = the raw probabilities).
        n: Sentences it was fitted on.
        source: What they were ("5-fold cross-fit on the training sentences", file names…).
        nll_before, nll_after: Mean negative log-likelihood with T = 1 and with T.
        ece_before, ece_after: Expected calibration error with T = 1 and with T.
        confident_before, confident_after: Share of confident (≥ 0.9) mistakes with T = 1 and with T.
        accuracy: Share right (the same with any T).
        accuracy_before: Share right before: the same as ``accuracy`` for a temperature alone;
            for V2's blend, the networks' own (:func:`seqtui_models.emojify.blend.fit`). Files
            saved without it read NaN.
    """

    temperature: float
    n: int
    source: str
    nll_before: float
    nll_after: float
    ece_before: float
    ece_after: float
    confident_before: float
    confident_after: float
    accuracy: float
    accuracy_before: float = field(default=math.nan, compare=False)  # NaN in old files: never equal to itself

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (as stored in a model file's metadata)."""
        return asdict(self)

    @classmethod
    def from_mapping(cls, data: Any) -> Calibration | None:
        """The calibration stored in a model file, or ``None`` if there is none (or it is unreadable)."""
        try:
            values = {name: data[name] for name in NONE.to_dict() if name not in OPTIONAL or name in data}
            return cls(**{name: type(getattr(NONE, name))(value) for name, value in values.items()})
        except (KeyError, TypeError, ValueError):
            return None


NONE = Calibration(1.0, 0, "", math.nan, math.nan, math.nan, math.nan, math.nan, math.nan, math.nan)
"""No calibration: the raw probabilities (T = 1)."""


def calibrate(probabilities: np.ndarray, labels: np.ndarray, source: str) -> Calibration:
    """Fit T on held-out ``probabilities`` ``(m, C)`` and ``labels`` ``(m,)``, with the before/after figures."""
    y = np.asarray(labels)
    T = fit_temperature(probabilities, y)
    after = scale(probabilities, T)
    accuracy = float(np.mean(np.asarray(probabilities).argmax(axis=1) == y))
    return Calibration(
        temperature=T,
        n=len(y),
        source=source,
        nll_before=nll(probabilities, y),
        nll_after=nll(after, y),
        ece_before=ece(probabilities, y),
        ece_after=ece(after, y),
        confident_before=confident_mistakes(probabilities, y),
        confident_after=confident_mistakes(after, y),
        accuracy=accuracy,
        accuracy_before=accuracy,
    )
