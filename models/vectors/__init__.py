"""Word-vector verbs with gensim's semantics: similarity, neighbours, analogies, odd one out.

Everything takes a :class:`~seqtui_models.core.word_vectors.WordVectors` first (``load_vectors()`` gives the
default GloVe 6B 50d) and returns plain values or frozen dataclasses; unknown words raise
:class:`~seqtui_models.core.errors.InvalidInput` naming the word and suggesting close spellings.

Notation (the course's): ``e_w`` is the embedding of word w, ``u_w = e_w / ‖e_w‖``,
``cos(u, v) = u·v / (‖u‖ ‖v‖)``; ``U`` is the ``(V, n)`` matrix of all ``u_w``.

* 3CosAdd (gensim's ``most_similar``, word2vec's ``word-analogy``): the answer to a : b :: c : ?
  maximises ``cos(e_w, u_b − u_a + u_c)``.
* 3CosMul (Levy & Goldberg 2014, gensim's ``most_similar_cosmul``): it maximises
  ``cos'(w, b) · cos'(w, c) / (cos'(w, a) + 1e-6)`` with ``cos' = (1 + cos) / 2`` in [0, 1].
* The course's ``complete_analogy``: it maximises ``cos(e_b − e_a, e_w − e_c)``.

By default the input words are excluded from the answers (as in gensim and the course: the
"restricted" search). ``exclude_inputs=False`` shows what the search would really return —
often one of the inputs (Nissim, van Noord & van der Goot 2020, "Fair is better than
sensational").

The loader, the bias lab and the analogy benchmark live in ``vectors_io``, ``vectors_bias``
and ``vectors_bench``; the names the tab needs are re-exported here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Union

import numpy as np

from seqtui_models.core.errors import InvalidInput
from seqtui_models.vectors.bench import AnalogyReport, BenchmarkProgress, SectionScore, evaluate_analogies, read_questions
from seqtui_models.vectors.bias import (
    BOLUKBASI_PAIRS,
    COURSE_NAMES,
    COURSE_WORDS,
    PRESETS,
    BiasAxis,
    EqualizeResult,
    NeutralizeResult,
    Projection,
    bias_axis,
    cosine_similarity,
    equalize,
    neutralize,
    project,
)
from seqtui_models.core.word_vectors import (
    Cancelled,
    LoadProgress,
    SkippedLine,
    WordVectors,
    load_default,
    load_vectors,
)

__all__ = [
    "AnalogyReport", "AnalogyResult", "BOLUKBASI_PAIRS", "BenchmarkProgress", "BiasAxis", "COURSE_NAMES",
    "COURSE_WORDS", "Cancelled", "EqualizeResult", "LoadProgress", "Neighbour", "NeutralizeResult", "PRESETS",
    "Projection", "SectionScore", "SkippedLine", "WordVectors", "analogy", "bias_axis", "complete_analogy",
    "cosine_similarity", "doesnt_match", "equalize", "evaluate_analogies", "load_default", "load_vectors",
    "most_similar", "most_similar_cosmul", "neighbours", "neutralize", "parse_expression", "project",
    "rank_by_centrality", "read_questions", "similarity",
]

Method = Literal["add", "mul", "course"]
METHODS: tuple[str, ...] = ("add", "mul", "course")
Key = Union[str, np.ndarray]
Term = Union[Key, tuple[Key, float]]
COSMUL_EPSILON = 1e-6  # gensim's (and Levy & Goldberg's) guard against dividing by zero
RERANK = 50  # the course's objective is re-scored in float64 on this many float32 finalists


@dataclass(frozen=True)
class Neighbour:
    """One word of a ranking, with its score (a cosine for most verbs)."""

    word: str
    score: float
    index: int = -1


@dataclass(frozen=True)
class AnalogyResult:
    """The answers to a : b :: c : ?, best first.

    Attributes:
        a, b, c: The question's words.
        method: ``"add"`` (3CosAdd), ``"mul"`` (3CosMul) or ``"course"`` (complete_analogy).
        restricted: True when the input words were excluded from the answers.
        answers: The top answers with their scores.
        inputs: a, b and c scored by the same objective: in a restricted search, any input
            scoring above ``answers[0]`` is what an unrestricted search would have returned.
    """

    a: str
    b: str
    c: str
    method: str
    restricted: bool
    answers: tuple[Neighbour, ...]
    inputs: tuple[Neighbour, ...]

    @property
    def best(self) -> str:
        """The top answer."""
        return self.answers[0].word

    @property
    def hidden_by_restriction(self) -> tuple[Neighbour, ...]:
        """Input words that beat the top answer and were only left out because they are inputs."""
        if not self.restricted or not self.answers:
            return ()
        top = self.answers[0].score
        return tuple(sorted((n for n in self.inputs if n.score > top), key=lambda n: -n.score))


# --- single scores -------------------------------------------------------------------------------
def similarity(wv: WordVectors, w1: str, w2: str) -> float:
    """cos(e_w1, e_w2) (gensim's ``similarity``; the course's ``cosine_similarity``)."""
    return cosine_similarity(wv.vector(w1), wv.vector(w2))


# --- rankings ------------------------------------------------------------------------------------
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


def _mean_vector(wv: WordVectors, terms: list[tuple[Key, float]]) -> np.ndarray:
    """gensim's ``get_mean_vector``: Σ weight·u (raw arrays unnormalised) / Σ|weight|, unit length."""
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
    return mean / norm if norm > 0 else mean


def _top(wv: WordVectors, scores: np.ndarray, topn: int, exclude: Sequence[int]) -> list[Neighbour]:
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


def most_similar(
    wv: WordVectors,
    positive: Sequence[Term] = (),
    negative: Sequence[Term] = (),
    topn: int = 10,
    restrict_vocab: int | None = None,
    exclude_inputs: bool = True,
) -> list[Neighbour]:
    """gensim's ``most_similar``: the words closest to the mean of the (weighted) inputs.

    Args:
        positive: Words (or ``(word, weight)`` pairs, or raw vectors) that pull towards them.
        negative: Words that push away (weight −1 unless given).
        topn: How many words to return.
        restrict_vocab: Search only the first ``restrict_vocab`` (most frequent) words.
        exclude_inputs: Leave the input words out of the answers (gensim always does).

    Returns:
        ``topn`` neighbours, best first, scored by cos(e_w, mean).
    """
    terms, rows = _terms(wv, positive, negative)
    mean = _mean_vector(wv, terms).astype(np.float32)  # (n,)
    clip = wv.clip(restrict_vocab)
    scores = wv.unit[:clip] @ mean  # (clip,) cosines, since every row of U has unit length
    return _top(wv, scores, topn, rows if exclude_inputs else ())


def most_similar_cosmul(
    wv: WordVectors,
    positive: Sequence[Term] = (),
    negative: Sequence[Term] = (),
    topn: int = 10,
    restrict_vocab: int | None = None,
    exclude_inputs: bool = True,
) -> list[Neighbour]:
    """gensim's ``most_similar_cosmul`` (3CosMul): Π cos'(w, p) / (Π cos'(w, n) + 1e-6).

    ``cos' = (1 + cos) / 2`` shifts cosines into [0, 1]. Unlike gensim 4.4, ``restrict_vocab``
    is honoured. Weights in ``(word, weight)`` pairs are not supported (gensim has none either).
    """
    terms, rows = _terms(wv, positive, negative)
    clip = wv.clip(restrict_vocab)
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
    scores = numerator / ((denominator if has_negative else 1.0) + COSMUL_EPSILON)
    return _top(wv, scores, topn, rows if exclude_inputs else ())


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


_WEIGHTED = re.compile(r"^(?P<w>[+-]?\d+(?:\.\d*)?|[+-]?\.\d+)\*(?P<word>.+)$")


def parse_expression(text: str) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
    """Split ``"king - man + woman"`` (or ``"0.5*paris + rome"``) into positive and negative terms.

    ``+`` and ``-`` must stand alone between spaces (words such as ``x-ray`` contain hyphens).

    Returns:
        ``(positive, negative)`` lists of ``(word, weight)``; negative weights are negative.
    """
    tokens = text.split()
    if not tokens:
        raise InvalidInput("Type a word or an expression such as 'king - man + woman'.")
    positive: list[tuple[str, float]] = []
    negative: list[tuple[str, float]] = []
    sign = 1.0
    expect_word = True
    for token in tokens:
        if token in ("+", "-"):
            if token == "-":
                sign = -sign
            expect_word = True
            continue
        if not expect_word:
            raise InvalidInput(f"Put + or - between the words of {text!r} (before {token!r}).")
        weight = 1.0
        match = _WEIGHTED.match(token)
        if match:
            weight, token = float(match["w"]), match["word"]
        weight *= sign
        (positive if weight > 0 else negative).append((token, weight))
        sign, expect_word = 1.0, False
    if expect_word:
        raise InvalidInput(f"{text!r} ends with an operator — add a word after it.")
    return positive, negative


def neighbours(
    wv: WordVectors,
    query: str | np.ndarray,
    topn: int = 10,
    restrict_vocab: int | None = None,
    exclude_inputs: bool = True,
) -> list[Neighbour]:
    """Nearest neighbours of a word, an expression (``"king - man + woman"``) or a raw vector.

    An expression is gensim's weighted mean of unit vectors (see :func:`most_similar`).
    """
    if isinstance(query, np.ndarray):
        return most_similar(wv, [query], topn=topn, restrict_vocab=restrict_vocab)
    positive, negative = parse_expression(query)
    return most_similar(wv, positive, negative, topn=topn, restrict_vocab=restrict_vocab, exclude_inputs=exclude_inputs)


# --- analogies -----------------------------------------------------------------------------------
def _course_scores(wv: WordVectors, a: int, b: int, c: int, rows: np.ndarray | None = None) -> np.ndarray:
    """cos(e_b − e_a, e_w − e_c) for the words ``rows`` (all when None), float64.

    ‖e_w − e_c‖² = ‖e_w‖² − 2 e_w·e_c + ‖e_c‖² lets one matrix product do all the words.
    """
    e_a, e_b, e_c = (np.asarray(wv.vectors[i], dtype=np.float64) for i in (a, b, c))
    d = e_b - e_a  # (n,)
    E = wv.vectors if rows is None else np.asarray(wv.vectors[rows])
    if rows is None:
        dots_d = (E @ d.astype(np.float32)).astype(np.float64)  # (V,)
        dots_c = (E @ e_c.astype(np.float32)).astype(np.float64)
        sq = wv.norms.astype(np.float64) ** 2
    else:
        E = E.astype(np.float64)  # (k, n): the finalists, exactly
        dots_d, dots_c = E @ d, E @ e_c
        sq = np.einsum("ij,ij->i", E, E)
    numerator = dots_d - e_c @ d
    dist = np.sqrt(np.maximum(sq - 2 * dots_c + e_c @ e_c, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = numerator / (dist * np.linalg.norm(d))
    scores[~np.isfinite(scores)] = -np.inf  # e_w = e_c, or e_a = e_b
    return scores


def complete_analogy(wv: WordVectors, word_a: str, word_b: str, word_c: str) -> str:
    """The course's ``complete_analogy``: the word w maximising cos(e_b − e_a, e_w − e_c).

    As in the course, the words are lower-cased and a, b and c are never answers.
    """
    return analogy(wv, word_a.lower(), word_b.lower(), word_c.lower(), topn=1, method="course").best


def analogy(
    wv: WordVectors,
    a: str,
    b: str,
    c: str,
    *,
    topn: int = 1,
    method: Method = "add",
    restricted: bool = True,
    restrict_vocab: int | None = None,
) -> AnalogyResult:
    """Solve a : b :: c : ? and also score the inputs (for the restricted/unrestricted story).

    Args:
        a, b, c: The question's words (``man : woman :: king : ?``).
        topn: How many answers to return.
        method: ``"add"`` (3CosAdd, gensim's default), ``"mul"`` (3CosMul) or ``"course"``.
        restricted: Exclude a, b and c from the answers (gensim, the course); False shows what
            the objective really prefers.
        restrict_vocab: Search only the first ``restrict_vocab`` words.
    """
    if method not in METHODS:
        raise InvalidInput(f"Unknown analogy method {method!r}: choose add, mul or course.")
    rows = [wv.index(w) for w in (a, b, c)]
    ia, ib, ic = rows
    clip = wv.clip(restrict_vocab)
    if method == "add":
        mean = _mean_vector(wv, [(b, 1.0), (c, 1.0), (a, -1.0)]).astype(np.float32)
        scores = (wv.unit[:clip] @ mean).astype(np.float64)  # (clip,)
    elif method == "mul":
        ca, cb, cc = ((1 + wv.unit[:clip] @ wv.unit[i]) / 2 for i in rows)  # (clip,) each
        scores = (cb * cc / (ca + COSMUL_EPSILON)).astype(np.float64)
    else:
        scores = _course_scores(wv, ia, ib, ic)[:clip]
        # re-score the float32 finalists exactly (float64), as the course's loop would
        keep = min(max(RERANK, topn + 3), clip)
        finalists = np.argpartition(-scores, keep - 1)[:keep]
        scores = np.full(clip, -np.inf)
        scores[finalists] = _course_scores(wv, ia, ib, ic, rows=finalists)
    answers = _top(wv, scores, topn, rows if restricted else ())
    inputs = tuple(
        Neighbour(w, float(scores[i]) if i < clip else float("nan"), i) for w, i in zip((a, b, c), rows)
    )
    if method == "course":
        # inputs outside the finalists still need their exact scores
        exact = _course_scores(wv, ia, ib, ic, rows=np.array(rows))
        inputs = tuple(Neighbour(w, float(s), i) for w, s, i in zip((a, b, c), exact, rows))
    return AnalogyResult(a, b, c, method, restricted, tuple(answers), inputs)
