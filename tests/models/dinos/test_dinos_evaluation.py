"""Scoring names files: nats per character, perplexity, names the model cannot read."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from dinos_helpers import random_model, write

from seqtui_models.core.errors import DataFileError
from seqtui_models.dinos import evaluate, name_logprob


def test_evaluate_counts_and_skips_unknown_characters(tmp_path: Path) -> None:
    model = random_model("lstm")
    path = write(tmp_path / "eval.txt", "Allosaurus\nMary-Jane\n\nallosaurus\nzzz9\n")
    result = evaluate(model, path)
    # "zzz" has z, which the test vocabulary lacks; "mary-jane" has '-', 'y', 'j'.
    assert result.names == 2 and result.skipped == 2 and "-" in result.unknown_chars
    assert result.chars == 2 * len("allosaurus\n")
    assert result.nll_per_char == pytest.approx(-name_logprob(model, "allosaurus") / 11)
    assert result.perplexity == pytest.approx(math.exp(result.nll_per_char))
    with pytest.raises(DataFileError, match="None of the"):
        evaluate(model, write(tmp_path / "none.txt", "zzz\nmary-jane\n"))
