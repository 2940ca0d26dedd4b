"""What an emojify model says about one sentence: the emoji, the probabilities, and why.

Both models answer with a :class:`Prediction`. Its ``words`` explain the answer word by word:

* V1 (average + softmax) is linear in the words, so the explanation is exact. The class
  scores are z = W·avg + b with avg = (1/k) Σ_j e_j over the k known words, hence
  z_c = b_c + Σ_j (1/k) W_c·e_j: word j *contributes* (1/k) W_c·e_j to class c, and the
  contributions plus the bias add up to the score (the logit) exactly. GloVe vectors share a
  common direction, so nearly every word adds to every class's score; what decides the answer
  is the *difference* from the runner-up class r. A word's ``contribution`` is therefore
  (1/k) (W_c − W_r)·e_j: positive if it pulls towards the answer c, negative if towards r; the
  contributions plus b_c − b_r add up to the margin z_c − z_r exactly.
* V2 (LSTM) is not additive, so it is explained by *occlusion*: the contribution of word j
  is p(c | sentence) − p(c | sentence without word j) for the predicted class c — how much
  the prediction leans on that word. These do not sum to anything in particular.

Unknown words (not in the word vectors) are listed in ``unknown``: V1 skips them, V2 reads
them as its reserved "unknown" index. A sentence with no known word at all is *declined*: the
model's probabilities are then its prior, not a reading of the text ("xzqwv plmoknb" → 🍴 99.9%
was the bias speaking), so no emoji is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from seqtui_models.emojify.data import LabelSet

UNSURE_BELOW = 0.6
"""An answer whose calibrated probability is below this is shown as "not sure": at least 4 in 10 such answers are wrong."""


@dataclass(frozen=True)
class WordScore:
    """One word of a sentence and what it did to the prediction.

    Attributes:
        word: The token.
        known: Whether the word vectors have it.
        contribution: Its effect on the predicted class (V1: its share of the score margin
            over the runner-up class, signed; V2: change of probability when it is removed).
        per_class: The same effect on every class (V1: logit contributions; V2: the change of
            each class's probability when the word is removed).
        read_as: The word it was read as, when not as written: an emoji's or emoticon's meaning
            ("🙂" → smile) or the known word a typo was meant to be ("lvoe" → love).
    """

    word: str
    known: bool
    contribution: float
    per_class: tuple[float, ...]
    read_as: str = ""


@dataclass(frozen=True)
class Prediction:
    """A model's answer for one sentence.

    Attributes:
        sentence: The sentence as given.
        model: "v1" or "v2".
        label: The predicted class.
        emoji: Its emoji.
        name: Its name.
        probabilities: One per class, summing to 1.
        words: The explanation, one entry per token (see the module docstring).
        unknown: Tokens the word vectors do not have, in order (repeats removed).
        bias: V1 only: the bias of every class (contributions + bias = logits).
        method: How ``words`` was computed: "linear" (V1) or "occlusion" (V2).
        declined: No emoji is given: the sentence has no word the model knows, so its
            probabilities are the model's prior (V1: the bias alone), not a reading of the text.
        reason: Why it was declined ("" when it was not).
        runner_up: The second likeliest class (V1's contributions are relative to it); −1 with one class.
    """

    sentence: str
    model: str
    label: int
    emoji: str
    name: str
    probabilities: tuple[float, ...]
    words: tuple[WordScore, ...]
    unknown: tuple[str, ...]
    bias: tuple[float, ...] = ()
    method: str = "linear"
    declined: bool = False
    reason: str = ""
    runner_up: int = -1

    def top(self, k: int = 3) -> list[tuple[int, float]]:
        """The ``k`` likeliest classes as ``(label, probability)``, likeliest first."""
        order = np.argsort(-np.asarray(self.probabilities), kind="stable")[:k]
        return [(int(i), float(self.probabilities[i])) for i in order]

    @property
    def confidence(self) -> float:
        """The probability of the predicted class."""
        return float(self.probabilities[self.label])

    @property
    def unsure(self) -> bool:
        """Answered, but with a (calibrated) probability below :data:`UNSURE_BELOW`: shown as a guess."""
        return not self.declined and self.confidence < UNSURE_BELOW

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``seqtui emojify predict --json``."""
        return {
            "emoji": None if self.declined else self.emoji,
            "label": None if self.declined else self.label,
            "name": None if self.declined else self.name,
            "probabilities": [float(p) for p in self.probabilities],
            "words": [
                {"word": w.word, "contribution": w.contribution, "known": w.known, "per_class": list(w.per_class),
                 "read_as": w.read_as or None}
                for w in self.words
            ],
            "unknown": list(self.unknown),
            "method": self.method,
            "model": self.model,
            "declined": self.declined,
            "reason": self.reason or None,
            "confidence": None if self.declined else self.confidence,
            "unsure": self.unsure,
            "runner_up": self.runner_up if self.runner_up >= 0 else None,
        }


def make_prediction(
    sentence: str,
    model: str,
    labels: LabelSet,
    probabilities: np.ndarray,
    tokens: list[str],
    known: list[bool],
    per_class: np.ndarray,
    method: str,
    bias: np.ndarray | None = None,
    read_as: list[str] | None = None,
) -> Prediction:
    """Assemble a :class:`Prediction` from a model's raw numbers.

    Args:
        probabilities: ``(C,)``.
        tokens: The sentence's tokens.
        known: Whether each token has a vector.
        per_class: ``(len(tokens), C)`` effect of each token on each class.
        read_as: What each token was read as ("" when as written).
    """
    order = np.argsort(-np.asarray(probabilities), kind="stable")
    label = int(order[0])
    runner_up = int(order[1]) if len(order) > 1 else -1
    versus = runner_up if method == "linear" and runner_up >= 0 else None

    def effect(row: np.ndarray) -> float:
        return float(row[label] - row[versus]) if versus is not None else float(row[label])

    words = tuple(
        WordScore(word, bool(k), effect(row), tuple(float(x) for x in row), as_word)
        for word, k, row, as_word in zip(tokens, known, per_class, read_as or [""] * len(tokens))
    )
    unknown = tuple(dict.fromkeys(word for word, k in zip(tokens, known) if not k))
    declined = not any(known)
    reason = f"not sure: no word the model knows ({', '.join(unknown)})" if declined else ""
    return Prediction(
        sentence=sentence,
        model=model,
        label=label,
        emoji=labels.emoji[label],
        name=labels.names[label],
        probabilities=tuple(float(p) for p in probabilities),
        words=words,
        unknown=unknown,
        bias=tuple(float(x) for x in bias) if bias is not None else (),
        method=method,
        declined=declined,
        reason=reason,
        runner_up=runner_up,
    )
