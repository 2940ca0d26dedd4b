"""Generating names: sampling character by character, and beam search for the most probable ones.

Both read the model one step at a time (:meth:`CharModel.advance`) with m names side by side
as the columns of the state, (n_a, m). A name's log-probability is always the model's own at
temperature 1: log P(its characters, then '\\n') = Σ_t log ŷ⟨t⟩[next char].
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from seqtui_models.core.errors import InvalidInput
from seqtui_models.dinos import net
from seqtui_models.dinos.data import Novelty
from seqtui_models.dinos.model import CharModel


@dataclass(frozen=True)
class SampledName:
    """A generated name.

    Attributes:
        name: The name (prefix included).
        logprob: log P(name, then '\\n') under the model at temperature 1 (without the end
            token's term if the name was cut at the maximum length).
        novelty: "train", "val" or "new".
        truncated: The name reached the maximum length before the model ended it.
    """

    name: str
    logprob: float
    novelty: Novelty
    truncated: bool = False

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"name": self.name, "logprob": self.logprob, "novelty": self.novelty, "truncated": self.truncated}


def _rng(seed: int | np.random.Generator | None) -> np.random.Generator:
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def _after_prefix(model: CharModel, prefix_ix: np.ndarray, m: int) -> tuple[net.State, np.ndarray, float]:
    """Run m copies of the model through the start and the prefix.

    Returns:
        (state after the last prefix char, log-probabilities of the next char (m, n_y),
        log P(prefix) = Σ log ŷ⟨t⟩[prefix char t]).
    """
    state, logp = model.start(m)
    logp_prefix = 0.0
    for ix in prefix_ix:
        logp_prefix += float(logp[0, ix])
        state, logp = model.advance(state, np.full(m, ix))
    return state, logp, logp_prefix


def _checked_prefix(model: CharModel, prefix: str, max_length: int) -> np.ndarray:
    """The prefix's indices, or InvalidInput if it leaves no room below ``max_length``."""
    prefix_ix = model.encode_prefix(prefix)
    if len(prefix_ix) >= max_length:
        raise InvalidInput(f"The prefix is {len(prefix_ix)} characters long, but names stop at {max_length}: "
                           "shorten the prefix (in the CLI, or raise --max-length).")
    return prefix_ix


def _check_sampling(temperature: float, top_k: int, max_length: int) -> None:
    if not (0 < temperature <= 100 and math.isfinite(temperature)):
        raise InvalidInput(f"temperature must be in (0, 100] (got {temperature}); 1 samples the model as it is.")
    if top_k < 0:
        raise InvalidInput(f"top-k must be 0 (all characters) or more (got {top_k}).")
    if not 1 <= max_length <= 200:
        raise InvalidInput(f"max length must be between 1 and 200 (got {max_length}).")


def sample_names(
    model: CharModel,
    n: int = 10,
    *,
    temperature: float = 1.0,
    top_k: int = 0,
    prefix: str = "",
    max_length: int = 30,
    min_length: int = 1,
    seed: int | np.random.Generator | None = None,
    new_only: bool = False,
) -> list[SampledName]:
    """Sample names character by character from softmax(logits / temperature).

    Args:
        model: The model.
        n: How many names.
        temperature: < 1 sharpens the distribution (safer, more repetitive names), > 1 flattens it.
        top_k: Only the k likeliest characters can be drawn at each step (0: all of them).
        prefix: The start of every name ("tyranno"); it is normalised like the data.
        max_length: Names are cut at this many characters (and marked ``truncated``).
        min_length: The end token cannot be drawn before this many characters (1: no empty
            names; the model gives an empty name about 1% here). Log-probabilities stay the
            model's own, not renormalised.
        seed: An int or a ``np.random.Generator``; ``None`` draws fresh randomness.
        new_only: Keep drawing until ``n`` distinct names that are in neither the training nor
            the validation names (gives up after 50 rounds and returns what it found).

    Returns:
        The names in the order drawn, each with its log-probability at temperature 1 and its
        novelty tag.
    """
    if not 1 <= n <= 10_000:
        raise InvalidInput(f"n must be between 1 and 10000 (got {n}).")
    _check_sampling(temperature, top_k, max_length)
    rng = _rng(seed)
    prefix_ix = _checked_prefix(model, prefix, max_length)
    if not 0 <= min_length <= max_length:
        raise InvalidInput(f"min length must be between 0 and the max length {max_length} (got {min_length}).")
    if not new_only:
        return _sample_batch(model, n, temperature, top_k, prefix_ix, max_length, min_length, rng)
    found: list[SampledName] = []
    seen: set[str] = set()
    for _round in range(50):
        m = max(2 * (n - len(found)), 8)
        for s in _sample_batch(model, m, temperature, top_k, prefix_ix, max_length, min_length, rng):
            if s.novelty == "new" and s.name not in seen and not s.truncated:
                seen.add(s.name)
                found.append(s)
                if len(found) == n:
                    return found
    return found


def _sample_batch(
    model: CharModel, m: int, temperature: float, top_k: int, prefix_ix: np.ndarray, max_length: int,
    min_length: int, rng: np.random.Generator,
) -> list[SampledName]:
    """Draw m names in parallel (one column of the state each)."""
    state, logp, logp_prefix = _after_prefix(model, prefix_ix, m)
    total = np.full(m, logp_prefix)  # (m,) log P so far, at temperature 1
    chars = np.zeros((m, max_length), dtype=np.intp)  # (m, max_length) the drawn indices
    chars[:, : len(prefix_ix)] = prefix_ix
    length = np.full(m, len(prefix_ix))  # (m,)
    done = np.zeros(m, dtype=bool)  # (m,)
    rows = np.arange(m)
    for t in range(len(prefix_ix), max_length):  # t: the index of the character being drawn
        scaled = logp / temperature  # (m, n_y)
        if t < min_length:
            scaled = scaled.copy()
            scaled[:, 0] = -np.inf  # too short to end here
        if 0 < top_k < scaled.shape[1]:
            # Everything below the k-th largest is out of the draw.
            kth = np.partition(scaled, -top_k, axis=1)[:, -top_k][:, None]  # (m, 1)
            scaled = np.where(scaled >= kth, scaled, -np.inf)
        p = np.exp(scaled - scaled.max(axis=1, keepdims=True))  # (m, n_y) unnormalised softmax
        cdf = np.cumsum(p, axis=1)  # (m, n_y)
        # Inverse-CDF draw: the first index whose cumulative weight exceeds u·total. "≤" skips
        # zero-weight entries even when u is exactly 0.
        drawn = (cdf <= rng.random(m)[:, None] * cdf[:, -1:]).sum(axis=1)  # (m,)
        drawn = np.minimum(drawn, p.shape[1] - 1)
        live = ~done
        total[live] += logp[rows[live], drawn[live]]
        ended = live & (drawn == 0)
        growing = live & (drawn != 0)
        chars[growing, t] = drawn[growing]
        length[growing] += 1
        done |= ended
        if done.all():
            break
        state, logp = model.advance(state, drawn)
    out: list[SampledName] = []
    for j in range(m):
        name = "".join(model.vocab.chars[i] for i in chars[j, : length[j]])
        truncated = not done[j] and length[j] >= max_length
        out.append(SampledName(name, float(total[j]), model.novelty(name), bool(truncated)))
    return out


def beam_search(
    model: CharModel, width: int = 32, *, n: int | None = None, prefix: str = "", max_length: int = 30,
    min_length: int = 3, new_only: bool = False,
) -> list[SampledName]:
    """Find the most probable names (with the prefix) by beam search.

    At each length the ``width`` likeliest unfinished names are extended by every character; an
    extension by '\\n' is a finished name. Search stops once no unfinished name can beat the
    n-th best finished one (log-probabilities only fall as names grow) or at ``max_length``.

    Args:
        model: The model.
        width: Unfinished names kept at each length. Narrow beams prune the start of the best
            name early (width 8 lost "saurus" to "rosaurus" in a test); 32 costs little.
        n: How many names to return (default ``width``).
        prefix: The start of every name.
        max_length: The longest name considered.
        min_length: The shortest name returned. Very short strings ("a", "an") are among the most
            probable under any character model, yet no dinosaur is called that; 1 gives the raw
            search.
        new_only: Only names in neither the training nor the held-out names: the search goes on
            (wider) until it has ``n`` of them or no wider search is allowed.

    Returns:
        Up to ``n`` names, most probable first.
    """
    if new_only:
        n = width if n is None else n
        wanted = n
        while True:
            found = [s for s in beam_search(model, width, n=min(1000, wanted), prefix=prefix, max_length=max_length,
                                            min_length=min_length) if s.novelty == "new"]
            if len(found) >= n or wanted >= 1000:
                return found[:n]
            wanted, width = min(1000, wanted * 4), min(1000, max(width, wanted * 4))
    if not 1 <= width <= 1000:
        raise InvalidInput(f"beam width must be between 1 and 1000 (got {width}).")
    n = width if n is None else n
    if not 1 <= n <= 1000:
        raise InvalidInput(f"n must be between 1 and 1000 (got {n}).")
    _check_sampling(1.0, 0, max_length)
    if not 1 <= min_length <= max_length:
        raise InvalidInput(f"min length must be between 1 and the max length {max_length} (got {min_length}).")
    prefix_ix = _checked_prefix(model, prefix, max_length)
    state, logp, score0 = _after_prefix(model, prefix_ix, 1)
    seqs: list[list[int]] = [list(prefix_ix)]
    scores = np.array([score0])  # (k,) log P of each unfinished beam
    finished: list[tuple[float, str]] = []
    V = logp.shape[1]
    for length in range(len(prefix_ix), max_length + 1):
        # Finishing every beam here: add the end token.
        for j, seq in enumerate(seqs):
            if len(seq) < min_length:
                continue
            finished.append((float(scores[j] + logp[j, 0]), "".join(model.vocab.chars[i] for i in seq)))
        finished.sort(key=lambda item: -item[0])
        del finished[n:]
        if length == max_length:
            break
        if len(finished) == n and scores.max() <= finished[-1][0]:
            break  # no unfinished beam can still beat the n-th best name
        cand = (scores[:, None] + logp[:, 1:]).reshape(-1)  # (k·(V − 1),) extensions by a character
        keep = min(width, cand.size)
        best = np.argpartition(-cand, keep - 1)[:keep]
        best = best[np.argsort(-cand[best])]
        beam, char = best // (V - 1), best % (V - 1) + 1
        seqs = [seqs[b] + [int(c)] for b, c in zip(beam, char)]
        scores = cand[best]
        state, logp = model.advance(tuple(s[:, beam] for s in state), char)
    return [SampledName(name, score, model.novelty(name)) for score, name in finished]
