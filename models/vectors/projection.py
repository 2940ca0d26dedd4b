"""A map of words: their unit vectors projected on a plane, as the TensorFlow Embedding Projector draws them.

Notation (the course's): ``u_w = e_w / ‖e_w‖``; ``U`` is the ``(k, n)`` matrix of the mapped words'
unit vectors, ``Ū`` its mean, ``X = U − Ū`` the centred matrix.

* **PCA** (the Projector's default): ``X = S Σ Vᵀ`` (SVD), and word i sits at
  ``(X_i · v_1, X_i · v_2)``; the share of the words' variance on each axis is
  ``σ_j² / Σ σ²``. Only the chosen words are decomposed (tens of rows), so a map is as fast on
  400,000 words as on 400.
* **A bias axis as x** (Bolukbasi et al.'s g, :mod:`.bias`): x is ``u_w · ĝ = cos(e_w, g)``,
  the very figure the bias lab draws (0 is neutral, so x is not centred), and y is the first
  principal component of what is left once the axis is taken out: ``R = U − (U ĝ) ĝᵀ``.

Each component's sign is fixed as scikit-learn fixes it (``svd_flip``): the word furthest along
it lies on its positive side, so the same words always give the same picture.

A word's **neighbours on the map** are the mapped words closest to it in the full n-dimensional
space (cosine), not on the plane: a projection can put far words side by side, and the
highlight shows when it does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from seqtui_models.core.errors import InvalidInput
from seqtui_models.core.word_vectors import WordVectors
from seqtui_models.vectors.bias import BiasAxis, bias_axis
from seqtui_models.vectors.queries import known_words, parse_pairs, resolve_pairs, resolve_word, split_words
from seqtui_models.vectors.ranking import most_similar

MAP_MIN_WORDS = 3
"""A plane needs two directions of spread: three words at least."""
MAP_MAX_WORDS = 500
"""More words than fit as labels on a screen; a neighbourhood is limited to this size too."""
MAP_DEFAULT_SIZE = 30
"""A neighbourhood's size when one word is typed: the word and its 29 nearest."""


@dataclass(frozen=True, eq=False)
class WordMap:
    """Words placed on a plane.

    Attributes:
        words: The mapped words, in the order given (for a neighbourhood: the centre, then its
            neighbours nearest first).
        xy: ``(k, 2)`` float64, each word's (x, y).
        axes: The two axes' names, e.g. ``("PC1", "PC2")`` or ``("woman − man", "PC1 ⊥ axis")``.
        explained: The share of the words' total variance along each axis.
        similarity: ``(k, k)`` cosines between the words in the full space.
        centre: The word whose neighbourhood this is; empty for a list of words.
        left_out: Typed words not in the vocabulary, left out of the map.
    """

    words: tuple[str, ...]
    xy: np.ndarray
    axes: tuple[str, str]
    explained: tuple[float, float]
    similarity: np.ndarray
    centre: str = ""
    left_out: tuple[str, ...] = ()

    def nearest(self, i: int, k: int = 5) -> list[int]:
        """The ``k`` mapped words closest to word ``i`` in the full space (cosine), nearest first."""
        order = np.argsort(-self.similarity[i], kind="stable")
        return [int(j) for j in order if j != i][:k]


def _flip(components: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Fix each component's sign so that its largest score is positive (scikit-learn's svd_flip)."""
    signs = np.sign(scores[np.argmax(np.abs(scores), axis=0), np.arange(scores.shape[1])])  # (c,)
    signs[signs == 0] = 1.0
    return components * signs[:, None], scores * signs


def map_words(wv: WordVectors, words: Sequence[str], axis: BiasAxis | None = None, centre: str = "",
              left_out: Sequence[str] = ()) -> WordMap:
    """Project ``words`` (vocabulary spellings) on their first two principal components, or on
    ``axis`` and the first component orthogonal to it.

    Raises:
        InvalidInput: fewer than three different words, or words whose vectors do not spread in
            two directions (all equal).
    """
    words = tuple(dict.fromkeys(words))  # a word typed twice is one point
    if len(words) < MAP_MIN_WORDS:
        raise InvalidInput(
            f"A map needs three different words or more (got {len(words)}): type one word to map "
            "its neighbourhood, or a list such as king queen man woman.",
            title="Too few words",
        )
    if len(words) > MAP_MAX_WORDS:
        raise InvalidInput(f"A map shows {MAP_MAX_WORDS} words at most (got {len(words)}): its labels would not fit.")
    u = np.asarray(wv.unit[wv.indices(words)], dtype=np.float64)  # (k, n)
    x = u - u.mean(axis=0)  # (k, n): centred, so SVD is PCA
    total = float((x**2).sum())
    if total <= 1e-12:
        raise InvalidInput(f"{', '.join(words)}: the words' vectors point the same way, so there is no plane to draw.")
    if axis is None:
        _, s, vt = np.linalg.svd(x, full_matrices=False)
        vt, xy = _flip(vt[:2], x @ vt[:2].T)  # (2, n), (k, 2)
        explained = (float(s[0] ** 2 / total), float(s[1] ** 2 / total) if len(s) > 1 else 0.0)
        names = ("PC1", "PC2")
    else:
        g = axis.vector / np.linalg.norm(axis.vector)  # ĝ, (n,)
        along = u @ g  # (k,): cos(e_w, g), since u and ĝ are unit vectors
        rest = x - np.outer(x @ g, g)  # (k, n): the centred vectors with the axis taken out
        _, s, vt = np.linalg.svd(rest, full_matrices=False)
        _, y = _flip(vt[:1], rest @ vt[:1].T)  # (k, 1)
        xy = np.column_stack([along, y[:, 0]])
        explained = (float(((along - along.mean()) ** 2).sum() / total), float(s[0] ** 2 / total))
        names = (axis.label, "PC1 ⊥ axis")
    return WordMap(words, xy, names, explained, u @ u.T, centre, tuple(left_out))


def neighbourhood(wv: WordVectors, word: str, size: int = MAP_DEFAULT_SIZE) -> list[str]:
    """``word`` and its ``size − 1`` nearest words (cosine, the whole vocabulary), nearest first."""
    if not MAP_MIN_WORDS <= size <= MAP_MAX_WORDS:
        raise InvalidInput(f"A neighbourhood has {MAP_MIN_WORDS} to {MAP_MAX_WORDS} words (got {size}).")
    return [word] + [n.word for n in most_similar(wv, [word], topn=size - 1)]


def map_axis(wv: WordVectors, text: str) -> BiasAxis | None:
    """The x axis typed: empty or ``pca`` for principal components, else a bias axis (a pair,
    pairs separated by commas, or ``bolukbasi``; several pairs are averaged)."""
    if text.strip().lower() in ("", "pca"):
        return None
    return bias_axis(wv, resolve_pairs(wv, parse_pairs(text)))


def map_query(wv: WordVectors, text: str, size: int = MAP_DEFAULT_SIZE, axis: BiasAxis | None = None) -> WordMap:
    """What a person types, mapped: one word maps its neighbourhood of ``size`` words; several
    words (separated by spaces, commas or semicolons) map those words, unknown ones left out.
    ``axis`` (see :func:`map_axis`) is the x axis, or None for principal components.

    Raises:
        InvalidInput: no word, an unknown single word, fewer than three known words.
    """
    typed = split_words(text)
    if not typed:
        raise InvalidInput("Type a word (to map its neighbourhood) or a list of words, e.g. king queen man woman.",
                           title="No word")
    if len(typed) == 1:
        centre = resolve_word(wv, typed[0])
        return map_words(wv, neighbourhood(wv, centre, size), axis, centre=centre)
    left_out: list[str] = []
    return map_words(wv, known_words(wv, typed, left_out), axis, left_out=left_out)
