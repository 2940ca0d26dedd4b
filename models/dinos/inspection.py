"""Looking inside the model: each character's probability, and the next character's candidates.

The "look inside" view (:func:`inspect_name`) and the "pick the next character yourself" mode
(:func:`next_char_candidates`) read the same thing: the distribution ŷ⟨t⟩ = softmax(Wy a⟨t⟩ + by)
over the next character, after the start and after each character of a name.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from seqtui_models.core.errors import InvalidInput
from seqtui_models.dinos.data import END, Novelty, normalise_name
from seqtui_models.dinos.model import CharModel


@dataclass(frozen=True)
class Candidate:
    """One possible next character.

    Attributes:
        char: The character ('\\n' is the end of the name).
        prob: The model's probability of it.
        logprob: Its natural log.
    """

    char: str
    prob: float
    logprob: float

    @property
    def label(self) -> str:
        """The character for display ("⏎" for the end)."""
        return "⏎" if self.char == END else self.char


@dataclass(frozen=True)
class CharStep:
    """What the model believed at one position of a name.

    Attributes:
        char: The character that came ('\\n' for the end of the name).
        prob: The probability the model gave it.
        logprob: Its natural log.
        rank: 1 if it was the model's first choice, 2 if second ...
        alternatives: The top candidates at this position, likeliest first (may include ``char``).
    """

    char: str
    prob: float
    logprob: float
    rank: int
    alternatives: tuple[Candidate, ...]


@dataclass(frozen=True)
class NameInspection:
    """A name, character by character, as the model sees it.

    Attributes:
        name: The (normalised) name.
        steps: One per character, then one for the end token.
        logprob: Σ of the steps' log-probabilities = log P(name, then '\\n').
        nll_per_char: −logprob / len(steps).
        novelty: "train", "val" or "new".
    """

    name: str
    steps: tuple[CharStep, ...]
    logprob: float
    nll_per_char: float
    novelty: Novelty


def _distributions(model: CharModel, indices: np.ndarray) -> np.ndarray:
    """log ŷ before each of ``indices`` and after the last: (len + 1, n_y)."""
    state, logp = model.start(1)
    rows = [logp[0]]
    for ix in indices:
        state, logp = model.advance(state, np.array([ix]))
        rows.append(logp[0])
    return np.array(rows)


def _candidates(model: CharModel, logp: np.ndarray, top_k: int | None) -> tuple[Candidate, ...]:
    """The characters by log P (``logp``, (n_y,)), likeliest first; the first ``top_k`` if given."""
    order = np.argsort(-logp, kind="stable")
    if top_k:
        order = order[:top_k]
    return tuple(Candidate(model.vocab.chars[i], float(np.exp(logp[i])), float(logp[i])) for i in order)


def inspect_name(model: CharModel, name: str, top_k: int = 5) -> NameInspection:
    """Each character of a name with the probability the model gave it and its top alternatives.

    log P(name, then '\\n') = Σ_t log ŷ⟨t⟩[char t], the end token's term last.

    Raises:
        InvalidInput: the name is empty or has characters the model does not know.
    """
    text = normalise_name(name)
    if not text:
        raise InvalidInput(f"{name!r} has no letters; type a name, e.g. 'tyrannosaurus'.")
    indices = model.vocab.encode(text)
    dists = _distributions(model, indices)  # (len + 1, n_y)
    targets = list(indices) + [0]
    steps = []
    for logp, ix in zip(dists, targets):
        rank = int((logp > logp[ix]).sum()) + 1
        steps.append(CharStep(model.vocab.chars[ix], float(np.exp(logp[ix])), float(logp[ix]), rank, _candidates(model, logp, top_k)))
    total = float(sum(s.logprob for s in steps))
    return NameInspection(text, tuple(steps), total, -total / len(steps), model.novelty(text))


def name_logprob(model: CharModel, name: str) -> float:
    """log P(name, then '\\n') under the model."""
    return inspect_name(model, name, top_k=1).logprob


def prefix_logprob(model: CharModel, prefix: str) -> float:
    """log P(a name starts with ``prefix``): the sum of its characters' log-probabilities, without
    the end of the name (:func:`name_logprob` adds that: a prefix is likelier than the whole name)."""
    prefix_ix = model.encode_prefix(prefix)
    dists = _distributions(model, prefix_ix)  # (len + 1, n_y)
    return float(sum(dists[i, ix] for i, ix in enumerate(prefix_ix)))


def next_char_candidates(model: CharModel, prefix: str = "", top_k: int | None = 5) -> tuple[Candidate, ...]:
    """The likeliest next characters after ``prefix`` (the end token included), likeliest first.

    Args:
        model: The model.
        prefix: What has been typed or picked so far ("" is the start of a name).
        top_k: How many candidates (``None``: every character).
    """
    prefix_ix = model.encode_prefix(prefix)
    return _candidates(model, _distributions(model, prefix_ix)[-1], top_k)
