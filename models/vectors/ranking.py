"""Rankings with gensim's semantics: similarity, nearest neighbours of an expression, odd one out.

Notation (the course's): ``e_w`` is the embedding of word w, ``u_w = e_w / ‖e_w‖``,
``cos(u, v) = u·v / (‖u‖ ‖v‖)``; ``U`` is the ``(V, n)`` matrix of all ``u_w``.

* 3CosAdd (gensim's ``most_similar``): the words w maximising ``cos(e_w, m)``, where m is the
  weighted mean ``Σ weight·u / Σ|weight|`` of the inputs' unit vectors.
* 3CosMul (Levy & Goldberg 2014, gensim's ``most_similar_cosmul``): the words maximising
  ``Π cos'(w, p) / (Π cos'(w, q) + 1e-6)`` over positive p and negative q, with
  ``cos' = (1 + cos) / 2`` in [0, 1].

By default the input words are left out of the answers (gensim always does); with
``exclude_inputs=False`` they may be answers, and a restricted search reports the inputs that
would have come first (:attr:`NeighbourSearch.hidden_by_restriction`), exactly as an analogy does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, TypedDict, Union, Unpack

import numpy as np

from seqtui_models.core.errors import InvalidInput
from seqtui_models.core.word_vectors import WordVectors
from seqtui_models.vectors.bias import cosine_similarity
from seqtui_models.vectors.queries import resolve_expression

SearchMethod = Literal["add", "mul"]
Key = Union[str, np.ndarray]
Term = Union[Key, tuple[Key, float]]
COSMUL_EPSILON = 1e-6  # gensim's (and Levy & Goldberg's) guard against dividing by zero


@dataclass(frozen=True)
class Neighbour:
    """One word of a ranking, with its score (a cosine for most verbs)."""

    word: str
    score: float
    index: int = -1


class SearchOptions(TypedDict, total=False):
    """How :func:`most_similar` searches; the other searches pass these keywords on to it."""

    topn: int
    restrict_vocab: int | None
    exclude_inputs: bool


def hidden_by_restriction(restricted: bool, answers: Sequence[Neighbour], inputs: Sequence[Neighbour]) -> tuple[Neighbour, ...]:
    """Input words that beat the top answer and were only left out because they are inputs, best first."""
    if not restricted or not answers:
        return ()
    top = answers[0].score
    once = {n.word: n for n in inputs}.values()  # "man man man" is one input word, named once
    return tuple(sorted((n for n in once if n.score > top), key=lambda n: -n.score))


# --- single scores -------------------------------------------------------------------------------
def similarity(wv: WordVectors, w1: str, w2: str) -> float:
    """cos(e_w1, e_w2) (gensim's ``similarity``; the course's ``cosine_similarity``)."""
    return cosine_similarity(wv.vector(w1), wv.vector(w2))


# --- the search ----------------------------------------------------------------------------------
def _terms(wv: WordVectors, positive: Sequence[Term], negative: Sequence[Term]) -> tuple[list[tuple[Key, float]], list[int]]:
    """Normalise gensim-style arguments into (key, weight) pairs and the input rows."""
    if isinstance(positive, (str, np.ndarray)):
        positive = [positive]
    if isinstance(negative, (str, np.ndarray)):
        negative = [negative]
    terms: list[tuple[Key, float]] = []
    for items, sign in ((positive, 1.0), (negative, -1.0)):
        for item in items:
            if isinstance(item, tuple):
                key, weight = item
                terms.append((key, float(weight)))
            else:
                terms.append((item, sign))
    if not terms:
        raise InvalidInput("Give at least one word to compare with.")
    rows = [wv.index(key) for key, _ in terms if isinstance(key, str)]  # raises for unknown words
    return terms, rows


ZERO_NORM = 1e-6
"""A mean of unit vectors shorter than this points nowhere (float noise of a cancellation)."""


def mean_vector(wv: WordVectors, terms: Sequence[tuple[Key, float]]) -> np.ndarray:
    """gensim's ``get_mean_vector``: m = Σ weight·u (raw arrays unnormalised) / Σ|weight|, unit length."""
    mean = np.zeros(wv.dim, dtype=np.float64)  # (n,)
    total = 0.0
    for key, weight in terms:
        vec = wv.unit[wv.index(key)] if isinstance(key, str) else np.asarray(key, dtype=np.float64)
        if vec.shape != (wv.dim,):
            raise InvalidInput(f"A vector must have {wv.dim} numbers to match these word vectors (got {vec.shape}).")
        mean += weight * vec
        total += abs(weight)
    mean /= max(total, 1e-12)
    norm = np.linalg.norm(mean)
    if norm < ZERO_NORM:  # "king - king", "0*king": every cosine would be 0 and the ranking arbitrary
        raise InvalidInput("The words cancel out: their weighted mean is the zero vector, which has no direction, "
                           "so no word is nearer than another — change a word or a weight.")
    return mean / norm


def top(wv: WordVectors, scores: np.ndarray, topn: int, exclude: Sequence[int]) -> list[Neighbour]:
    """The ``topn`` best rows of ``scores`` (best first), leaving out the rows in ``exclude``."""
    if topn < 1:
        raise InvalidInput(f"topn must be at least 1 (got {topn}).")
    scores = np.array(scores, dtype=np.float64)  # a copy: the masking below must not leak
    excluded = [i for i in set(exclude) if i < len(scores)]
    scores[excluded] = -np.inf
    scores[np.isnan(scores)] = -np.inf
    k = min(topn, len(scores) - len(excluded))
    if k <= 0:
        return []
    best = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
    best = best[np.argsort(-scores[best], kind="stable")]
    return [Neighbour(wv.words[i], float(scores[i]), int(i)) for i in best]


def scored_rows(wv: WordVectors, scores: np.ndarray, rows: Sequence[int]) -> tuple[Neighbour, ...]:
    """The words of ``rows`` (each once, in order) with their scores; NaN outside the searched words."""
    return tuple(
        Neighbour(wv.words[i], float(scores[i]) if i < len(scores) else float("nan"), i) for i in dict.fromkeys(rows)
    )


def _cosmul_scores(wv: WordVectors, terms: list[tuple[Key, float]], clip: int) -> np.ndarray:
    """3CosMul: Π cos'(w, p) / (Π cos'(w, q) + 1e-6) for the first ``clip`` words, float32 ``(clip,)``."""
    numerator = np.ones(clip, dtype=np.float32)  # (clip,)
    denominator = np.ones(clip, dtype=np.float32)
    positives = 0
    for key, weight in terms:
        term = wv.unit[wv.index(key)] if isinstance(key, str) else np.asarray(key, dtype=np.float32)
        shifted = (1 + wv.unit[:clip] @ term) / 2  # (clip,) cos' in [0, 1]
        if weight > 0:
            numerator *= shifted
            positives += 1
        else:
            denominator *= shifted
    if positives == 0:
        raise InvalidInput("3CosMul needs at least one positive word.")
    has_negative = any(weight < 0 for _, weight in terms)
    return numerator / ((denominator if has_negative else 1.0) + COSMUL_EPSILON)  # (clip,)


def search_scores(
    wv: WordVectors, positive: Sequence[Term], negative: Sequence[Term], restrict_vocab: int | None, method: SearchMethod
) -> tuple[np.ndarray, list[int]]:
    """Every searched word's score, ``(clip,)``, and the rows of the input words."""
    if method not in ("add", "mul"):
        raise InvalidInput(f"Unknown search method {method!r}: choose add or mul.")
    terms, rows = _terms(wv, positive, negative)
    clip = wv.clip(restrict_vocab)
    if method == "mul":
        return _cosmul_scores(wv, terms, clip), rows
    mean = mean_vector(wv, terms).astype(np.float32)  # (n,)
    return wv.unit[:clip] @ mean, rows  # (clip,) cosines, since every row of U has unit length


def most_similar(
    wv: WordVectors,
    positive: Sequence[Term] = (),
    negative: Sequence[Term] = (),
    topn: int = 10,
    restrict_vocab: int | None = None,
    exclude_inputs: bool = True,
    method: SearchMethod = "add",
) -> list[Neighbour]:
    """gensim's ``most_similar`` (3CosAdd), or its ``most_similar_cosmul`` (3CosMul).

    Args:
        positive: Words (or ``(word, weight)`` pairs, or raw vectors) that pull towards them.
        negative: Words that push away (weight −1 unless given).
        topn: How many words to return.
        restrict_vocab: Search only the first ``restrict_vocab`` (most frequent) words.
        exclude_inputs: Leave the input words out of the answers (gensim always does).
        method: ``"add"`` scores cos(e_w, m) with m the weighted mean of the inputs; ``"mul"``
            is 3CosMul (weights only give the sign; gensim has none either).

    Returns:
        ``topn`` neighbours, best first.
    """
    scores, rows = search_scores(wv, positive, negative, restrict_vocab, method)
    return top(wv, scores, topn, rows if exclude_inputs else ())


def most_similar_cosmul(
    wv: WordVectors, positive: Sequence[Term] = (), negative: Sequence[Term] = (), **options: Unpack[SearchOptions]
) -> list[Neighbour]:
    """gensim's ``most_similar_cosmul`` (3CosMul): ``most_similar(…, method="mul")``.

    Unlike gensim 4.4, ``restrict_vocab`` is honoured.
    """
    return most_similar(wv, positive, negative, method="mul", **options)


def rank_by_centrality(wv: WordVectors, words: Sequence[str]) -> list[Neighbour]:
    """gensim's ``rank_by_centrality``: words sorted by cosine to the mean of their unit vectors."""
    if len(words) < 2:
        raise InvalidInput("Give at least two words to compare.")
    rows = wv.indices(words)
    units = np.array(wv.unit[rows], dtype=np.float64)  # (k, n)
    mean = units.mean(axis=0)
    mean /= np.linalg.norm(mean) or 1.0
    scores = units @ mean  # (k,)
    order = np.argsort(-scores, kind="stable")
    return [Neighbour(words[i], float(scores[i]), rows[i]) for i in order]


def doesnt_match(wv: WordVectors, words: Sequence[str]) -> str:
    """gensim's ``doesnt_match``: the word furthest from the mean of all the words."""
    return rank_by_centrality(wv, words)[-1].word


# --- neighbours of what a person types -----------------------------------------------------------
@dataclass(frozen=True)
class NeighbourSearch:
    """The words nearest to a typed expression, and the words it was made of.

    Attributes:
        positive: The expression's terms that pull, as (vocabulary spelling, weight).
        negative: The terms that push away; their weights are negative.
        restricted: True when the input words were left out of the answers.
        neighbours: The nearest words, best first.
        inputs: Each input word (once) scored like the answers: in a restricted search, any
            input scoring above ``neighbours[0]`` is what an unrestricted search would return.
    """

    positive: tuple[tuple[str, float], ...]
    negative: tuple[tuple[str, float], ...]
    restricted: bool
    neighbours: tuple[Neighbour, ...]
    inputs: tuple[Neighbour, ...]

    @property
    def input_words(self) -> frozenset[str]:
        """The words of the expression (to mark them when they come up as answers)."""
        return frozenset(w for w, _ in self.positive + self.negative)

    @property
    def hidden_by_restriction(self) -> tuple[Neighbour, ...]:
        """Input words that beat the top answer and were only left out because they are inputs."""
        return hidden_by_restriction(self.restricted, self.neighbours, self.inputs)


def search_neighbours(
    wv: WordVectors, text: str, topn: int = 10, restrict_vocab: int | None = None, exclude_inputs: bool = True
) -> NeighbourSearch:
    """The nearest words to a typed word or expression (``"King - man + woman"``, ``"0.5 * paris + rome"``).

    The words are read as :func:`~seqtui_models.vectors.queries.resolve_expression` reads them
    (case folded when only the lower case is known); the ranking is :func:`most_similar`'s.
    """
    positive, negative = resolve_expression(wv, text)
    scores, rows = search_scores(wv, positive, negative, restrict_vocab, "add")
    found = top(wv, scores, topn, rows if exclude_inputs else ())
    return NeighbourSearch(tuple(positive), tuple(negative), exclude_inputs, tuple(found), scored_rows(wv, scores, rows))


def neighbours(wv: WordVectors, query: str | np.ndarray, **options: Unpack[SearchOptions]) -> list[Neighbour]:
    """Nearest neighbours of a word, an expression (``"king - man + woman"``) or a raw vector.

    A text is read by :func:`search_neighbours`; a vector is searched as is (it has no input words).
    """
    if isinstance(query, np.ndarray):
        return most_similar(wv, [query], **options)
    return list(search_neighbours(wv, query, **options).neighbours)
