"""Analogies a : b :: c : ? by three objectives, with the inputs scored too.

Notation (the course's): ``e_w`` is the embedding of word w, ``u_w = e_w / ‖e_w‖``.

* 3CosAdd (gensim's ``most_similar``, word2vec's ``word-analogy``): the answer maximises
  ``cos(e_w, u_b − u_a + u_c)``.
* 3CosMul (Levy & Goldberg 2014, gensim's ``most_similar_cosmul``): it maximises
  ``cos'(w, b) · cos'(w, c) / (cos'(w, a) + 1e-6)`` with ``cos' = (1 + cos) / 2`` in [0, 1].
* The course's ``complete_analogy``: it maximises ``cos(e_b − e_a, e_w − e_c)``.

By default a, b and c are excluded from the answers (as in gensim and the course: the
"restricted" search). ``restricted=False`` shows what the search would really return — often
one of the inputs (Nissim, van Noord & van der Goot 2020, "Fair is better than sensational").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from seqtui_models.core.errors import InvalidInput
from seqtui_models.core.word_vectors import WordVectors
from seqtui_models.vectors.ranking import COSMUL_EPSILON, Neighbour, hidden_by_restriction, mean_vector, top

Method = Literal["add", "mul", "course"]
METHODS: tuple[str, ...] = ("add", "mul", "course")
RERANK = 50  # the course's objective is re-scored in float64 on this many float32 finalists


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
        return hidden_by_restriction(self.restricted, self.answers, self.inputs)


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
        mean = mean_vector(wv, [(b, 1.0), (c, 1.0), (a, -1.0)]).astype(np.float32)
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
    answers = top(wv, scores, topn, rows if restricted else ())
    inputs = tuple(
        Neighbour(w, float(scores[i]) if i < clip else float("nan"), i) for w, i in zip((a, b, c), rows)
    )
    if method == "course":
        # inputs outside the finalists still need their exact scores
        exact = _course_scores(wv, ia, ib, ic, rows=np.array(rows))
        inputs = tuple(Neighbour(w, float(s), i) for w, s, i in zip((a, b, c), exact, rows))
    return AnalogyResult(a, b, c, method, restricted, tuple(answers), inputs)
