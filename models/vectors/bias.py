"""The bias lab: a bias axis, projections on it, and the course's neutralize and equalize.

After Bolukbasi et al. 2016, "Man is to computer programmer as woman is to homemaker?", as the
course teaches it. Notation: ``g`` is the bias axis (the course's ``g = e_woman − e_man``),
``e`` a word's embedding, ``e_B = (e·g / ‖g‖²) g`` its component along ``g``, ``e⊥ = e − e_B``.
Everything here is float64, like the course's vectors read from text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from seqtui_models.core.errors import InvalidInput
from seqtui_models.core.word_vectors import WordVectors

AxisMethod = Literal["mean", "pca"]

# the course's lists: first names, and words that should be gender-neutral
COURSE_NAMES: tuple[str, ...] = (
    "john", "marie", "sophie", "ronaldo", "priya", "rahul", "danielle", "reza", "katy", "yasmin",
)
COURSE_WORDS: tuple[str, ...] = (
    "lipstick", "guns", "science", "arts", "literature", "warrior", "doctor", "tree", "receptionist",
    "technology", "fashion", "teacher", "engineer", "pilot", "computer", "singer",
)
PRESETS: dict[str, tuple[str, ...]] = {"names": COURSE_NAMES, "occupations": COURSE_WORDS}
# Bolukbasi et al.'s ten definitional pairs (female first, so the axis points towards "female")
BOLUKBASI_PAIRS: tuple[tuple[str, str], ...] = (
    ("woman", "man"), ("girl", "boy"), ("she", "he"), ("mother", "father"), ("daughter", "son"),
    ("gal", "guy"), ("female", "male"), ("her", "his"), ("herself", "himself"), ("mary", "john"),
)


def cosine_similarity(u: np.ndarray, v: np.ndarray) -> float:
    """The course's cosine_similarity: u·v / (‖u‖ ‖v‖), 0 when either vector is zero."""
    u = np.asarray(u, dtype=np.float64)
    v = np.asarray(v, dtype=np.float64)
    norms = np.linalg.norm(u) * np.linalg.norm(v)
    return float(u @ v / norms) if norms > 0 else 0.0


@dataclass(frozen=True)
class BiasAxis:
    """A direction in embedding space, e.g. woman − man.

    Attributes:
        vector: g, float64 ``(n,)``. For one pair it is exactly e_first − e_second (the
            course's g); for several pairs see :func:`bias_axis`.
        pairs: The (positive end, negative end) pairs it was built from.
        method: ``"mean"`` (mean of the differences) or ``"pca"`` (first principal component).
        explained: For PCA, the share of variance of the first components (Bolukbasi et al.'s
            figure: a dominant first one means the pairs agree on one direction); else ``()``.
    """

    vector: np.ndarray
    pairs: tuple[tuple[str, str], ...]
    method: str = "mean"
    explained: tuple[float, ...] = ()

    @property
    def label(self) -> str:
        """``"woman − man"`` for one pair, ``"woman − man (+9 pairs, pca)"`` for several."""
        first = f"{self.pairs[0][0]} − {self.pairs[0][1]}"
        if len(self.pairs) == 1:
            return first
        return f"{first} (+{len(self.pairs) - 1} pairs, {self.method})"


def bias_axis(
    wv: WordVectors,
    pairs: Sequence[tuple[str, str]] = (("woman", "man"),),
    method: AxisMethod = "mean",
) -> BiasAxis:
    """Build a bias axis g from one or several (positive, negative) word pairs.

    * ``"mean"``: g = mean over pairs of (e_positive − e_negative). With one pair, the course's
      ``g = e_woman − e_man`` exactly.
    * ``"pca"``: Bolukbasi et al.'s: unit-normalise every word, centre each pair on its
      midpoint, stack the 2 × pairs centred vectors and take the first principal component
      (unit length, oriented so that the positive ends project positively).

    Any pair gives any axis: ("young", "old"), ("rich", "poor") …
    """
    if method not in ("mean", "pca"):
        raise InvalidInput(f"Unknown axis method {method!r}: choose mean or pca.")
    pairs = tuple((str(p), str(n)) for p, n in pairs)
    if not pairs:
        raise InvalidInput("Give at least one word pair for the axis, e.g. woman man.")
    for p, n in pairs:
        if p == n:
            raise InvalidInput(f"The two words of an axis must differ (got {p!r} twice).")
    e = {w: np.asarray(wv.vector(w), dtype=np.float64) for pair in pairs for w in pair}  # raises if unknown
    differences = np.stack([e[p] - e[n] for p, n in pairs])  # (pairs, n)
    if method == "mean":
        return BiasAxis(differences.mean(axis=0), pairs, "mean")
    rows = []
    for p, n in pairs:
        up, un = e[p] / np.linalg.norm(e[p]), e[n] / np.linalg.norm(e[n])
        centre = (up + un) / 2
        rows += [up - centre, un - centre]
    matrix = np.stack(rows)  # (2·pairs, n): already centred, so SVD is PCA
    _, singular, vt = np.linalg.svd(matrix - matrix.mean(axis=0), full_matrices=False)
    g = vt[0]
    if g @ differences.sum(axis=0) < 0:
        g = -g  # point towards the positive ends
    variance = singular**2
    explained = tuple(float(x) for x in (variance / variance.sum())[:10])
    return BiasAxis(g, pairs, "pca", explained)


def _component(e: np.ndarray, g: np.ndarray) -> np.ndarray:
    """e_B = (e·g / ‖g‖²) g: the projection of e on the axis."""
    return (e @ g) / (g @ g) * g


@dataclass(frozen=True)
class Projection:
    """A word's position on a bias axis: cos(e_w, g), signed (positive: towards the first word)."""

    word: str
    cosine: float


def project(wv: WordVectors, words: Sequence[str], axis: BiasAxis) -> list[Projection]:
    """cos(e_w, g) for each word, in the given order (the course's name and word lists)."""
    return [Projection(w, cosine_similarity(wv.vector(w), axis.vector)) for w in words]


@dataclass(frozen=True)
class NeutralizeResult:
    """The course's neutralize, step by step.

    Attributes:
        word: The word neutralised.
        e: Its embedding.
        bias_component: e_B = (e·g / ‖g‖²) g.
        debiased: e − e_B, orthogonal to g.
        cos_before: cos(e, g).
        cos_after: cos(e − e_B, g), zero up to rounding.
    """

    word: str
    e: np.ndarray
    bias_component: np.ndarray
    debiased: np.ndarray
    cos_before: float
    cos_after: float

    def steps(self) -> list[tuple[str, float]]:
        """Labelled figures for a step-by-step display."""
        return [
            (f"cos({self.word}, g) before", self.cos_before),
            ("‖e_B‖ = |e·g| / ‖g‖", float(np.linalg.norm(self.bias_component))),
            ("‖e − e_B‖", float(np.linalg.norm(self.debiased))),
            (f"cos({self.word}, g) after", self.cos_after),
        ]


def neutralize(wv: WordVectors, word: str, axis: BiasAxis) -> NeutralizeResult:
    """Remove the bias component: e_debiased = e − (e·g / ‖g‖²) g (the course's ``neutralize``)."""
    g = axis.vector
    e = np.asarray(wv.vector(word), dtype=np.float64)  # (n,)
    e_b = _component(e, g)
    debiased = e - e_b
    return NeutralizeResult(word, e, e_b, debiased, cosine_similarity(e, g), cosine_similarity(debiased, g))


@dataclass(frozen=True)
class EqualizeResult:
    """The course's equalize for a pair, step by step.

    Attributes:
        pair: (w1, w2), e.g. ("man", "woman").
        mu: μ = (e_w1 + e_w2) / 2.
        mu_b: μ_B, μ's component along g.
        mu_orth: μ⊥ = μ − μ_B, shared by both results.
        e1, e2: The equalised vectors: μ⊥ plus a bias part of the same size, opposite signs.
        cos_before: (cos(e_w1, g), cos(e_w2, g)).
        cos_after: (cos(e1, g), cos(e2, g)): equal and opposite.
    """

    pair: tuple[str, str]
    mu: np.ndarray
    mu_b: np.ndarray
    mu_orth: np.ndarray
    e1: np.ndarray
    e2: np.ndarray
    cos_before: tuple[float, float]
    cos_after: tuple[float, float]

    def steps(self) -> list[tuple[str, float]]:
        """Labelled figures for a step-by-step display."""
        w1, w2 = self.pair
        return [
            (f"cos({w1}, g) before", self.cos_before[0]),
            (f"cos({w2}, g) before", self.cos_before[1]),
            ("‖μ⊥‖", float(np.linalg.norm(self.mu_orth))),
            (f"cos({w1}, g) after", self.cos_after[0]),
            (f"cos({w2}, g) after", self.cos_after[1]),
        ]


def equalize(wv: WordVectors, pair: tuple[str, str], axis: BiasAxis) -> EqualizeResult:
    """The course's equalize: make w1 and w2 differ only along g, by equal and opposite amounts.

    μ = (e_w1 + e_w2)/2, μ_B = (μ·g/‖g‖²) g, μ⊥ = μ − μ_B;
    e_wiB = (e_wi·g/‖g‖²) g;
    corrected_e_wiB = √|1 − ‖μ⊥‖²| · (e_wiB − μ_B) / ‖e_wi − μ⊥ − μ_B‖;
    e_i = corrected_e_wiB + μ⊥.
    """
    w1, w2 = pair
    if w1 == w2:
        raise InvalidInput(f"Equalize needs two different words (got {w1!r} twice).")
    g = axis.vector
    e_w1 = np.asarray(wv.vector(w1), dtype=np.float64)  # (n,)
    e_w2 = np.asarray(wv.vector(w2), dtype=np.float64)
    mu = (e_w1 + e_w2) / 2
    mu_b = _component(mu, g)
    mu_orth = mu - mu_b
    e_w1b, e_w2b = _component(e_w1, g), _component(e_w2, g)
    # the pair's bias parts are rescaled so that both results have the same length
    scale = np.sqrt(np.abs(1 - mu_orth @ mu_orth))
    corrected_1 = scale * (e_w1b - mu_b) / np.linalg.norm(e_w1 - mu_orth - mu_b)
    corrected_2 = scale * (e_w2b - mu_b) / np.linalg.norm(e_w2 - mu_orth - mu_b)
    e1, e2 = corrected_1 + mu_orth, corrected_2 + mu_orth
    return EqualizeResult(
        (w1, w2), mu, mu_b, mu_orth, e1, e2,
        (cosine_similarity(e_w1, g), cosine_similarity(e_w2, g)),
        (cosine_similarity(e1, g), cosine_similarity(e2, g)),
    )
