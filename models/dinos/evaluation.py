"""Measuring a model: the negative log-likelihood per character of a list of names.

    NLL = −(1/N) Σ log P(next char)     over all N predicted characters, each name's end token
                                        included; perplexity = exp(NLL)

Training uses :func:`nll_sum` for its validation checks, :func:`evaluate` scores any names file.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from seqtui_models.core.errors import DataFileError
from seqtui_models.dinos import net
from seqtui_models.dinos.data import normalise_name, read_names
from seqtui_models.dinos.model import CharModel


def _length_batches(encoded: Sequence[np.ndarray], size: int, start: int) -> Iterator[net.Batch]:
    """Batches of names of similar length (little padding), for evaluation."""
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]))
    for s in range(0, len(order), size):
        yield net.make_batch([encoded[i] for i in order[s : s + size]], start)


def nll_sum(cell: str, params: Mapping[str, np.ndarray], encoded: Sequence[np.ndarray], start: int) -> tuple[float, int]:
    """−Σ log P(next char) in nats over encoded names, end tokens included, and N, the characters counted.

    Args:
        cell: The model's cell.
        params: Its parameters.
        encoded: The names as index arrays (no end token).
        start: The index of the zero input at t = 0 (n_x).
    """
    total, count = 0.0, 0
    for batch in _length_batches(encoded, 512, start):
        t, c = net.total_nll(cell, dict(params), batch)
        total += t
        count += c
    return total, count


@dataclass(frozen=True)
class EvalResult:
    """A model's loss on a names file.

    Attributes:
        nll_per_char: Mean negative log-likelihood per character (nats), end tokens included.
        perplexity: exp(nll_per_char): the model is as unsure as a fair die with this many faces.
        names: Names scored.
        chars: Characters scored (each name's letters plus its end token).
        skipped: Names left out because they use characters the model does not know.
        unknown_chars: Those characters.
        source: The file.
    """

    nll_per_char: float
    perplexity: float
    names: int
    chars: int
    skipped: int
    unknown_chars: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


def evaluate(model: CharModel, names: str | Path | Sequence[str]) -> EvalResult:
    """Score every name of a file (or a list) whose characters the model knows.

    Names are normalised like training data; each line counts (duplicates too).

    Raises:
        DataFileError: the file is unreadable or empty, or no name can be scored.
    """
    if isinstance(names, (str, Path)):
        source = str(names)
        listed = list(read_names(names, unique=False).names)
    else:
        source = "names"
        listed = [n for n in (normalise_name(x) for x in names) if n]
    known = [n for n in listed if not model.vocab.unknown(n)]
    unknown_chars = "".join(sorted({ch for n in listed for ch in model.vocab.unknown(n)}))
    if not known:
        raise DataFileError(
            f"None of the {len(listed)} names in {source} can be scored: they use characters the model "
            f"does not know ({unknown_chars!r}; it knows {model.vocab.describe()})."
        )
    encoded = [model.vocab.encode(n) for n in known]
    total, count = nll_sum(model.cell, model.params, encoded, model.vocab.size)
    nll = total / count
    return EvalResult(nll, math.exp(nll), len(known), count, len(listed) - len(known), unknown_chars, source)
