"""Tests for seqtui_models.cells.gradcheck: both backward passes pass, and a wrong gradient fails."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from seqtui_models.cells import gradcheck
from seqtui_models.cells.gradcheck import GRADCHECK_THRESHOLD, gradient_check
from seqtui_models.cells.lstm import LSTM_PARAMETERS
from seqtui_models.cells.rnn import RNN_PARAMETERS
from seqtui_models.core.errors import InvalidInput


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_gradient_check_passes(cell: str) -> None:
    errors = gradient_check(cell)  # type: ignore[arg-type]
    names = RNN_PARAMETERS if cell == "rnn" else LSTM_PARAMETERS
    assert set(errors) == {*names, "x", "a0"}
    assert max(errors.values()) < GRADCHECK_THRESHOLD, errors


def test_gradient_check_passes_at_other_sizes() -> None:
    errors = gradient_check("lstm", n_x=2, n_a=3, m=1, T_x=9, seed=7)
    assert max(errors.values()) < GRADCHECK_THRESHOLD, errors


@pytest.mark.parametrize(("cell", "wrong"), [("rnn", "dWaa"), ("lstm", "dbi"), ("lstm", "dx")])
def test_gradient_check_catches_a_wrong_gradient(
    monkeypatch: pytest.MonkeyPatch, cell: str, wrong: str
) -> None:
    """The check must be able to fail: a gradient off by 1 % is reported, the others are not."""
    name = "lstm_backward" if cell == "lstm" else "rnn_backward"
    backward = getattr(gradcheck, name)

    def off_by_one_percent(da: np.ndarray, caches: Any) -> dict[str, np.ndarray]:
        gradients = dict(backward(da, caches))
        gradients[wrong] = gradients[wrong] * 1.01
        return gradients

    monkeypatch.setattr(gradcheck, name, off_by_one_percent)
    errors = gradient_check(cell)  # type: ignore[arg-type]
    assert errors[wrong[1:]] > 1e-3
    assert max(e for k, e in errors.items() if k != wrong[1:]) < GRADCHECK_THRESHOLD


def test_gradient_check_refuses_an_unknown_cell() -> None:
    with pytest.raises(InvalidInput, match="unknown cell"):
        gradient_check("gru")  # type: ignore[arg-type]
