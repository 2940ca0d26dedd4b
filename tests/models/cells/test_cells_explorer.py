"""Tests for seqtui_models.cells.explorer: one pass kept whole, step by step."""

from __future__ import annotations

import numpy as np
import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

from seqtui_models.cells.explorer import estimate_bytes, explore
from seqtui_models.core.errors import InvalidInput


def test_lstm_run_keeps_every_array_and_the_gates() -> None:
    run = explore("lstm", n_x=3, n_a=4, n_y=2, m=5, T_x=6, seed=1)
    shapes = run.shapes()
    assert shapes["x"] == (3, 5, 6) and shapes["a"] == (4, 5, 6) and shapes["c"] == (4, 5, 6)
    assert shapes["dWf"] == (4, 7) and shapes["dx"] == (3, 5, 6) and shapes["gate f"] == (4, 5, 6)
    assert run.T_x == 6
    state = run.step_state(2, example=3)
    np.testing.assert_array_equal(state["a"], run.arrays["a"][:, 3, 2])
    # The gates are the step's own: a⟨t⟩ = ot * tanh(c⟨t⟩).
    np.testing.assert_allclose(state["a"], state["o"] * np.tanh(state["c"]), rtol=1e-5)
    assert set(state) == {"a", "c", "f", "i", "c~", "o"}


def test_rnn_run_has_no_gates_and_is_seeded() -> None:
    run = explore("rnn", T_x=4, seed=3)
    assert run.gates == {} and set(run.step_state(0)) == {"a"}
    assert "dWaa" in run.arrays and "c" not in run.arrays
    again, other = explore("rnn", T_x=4, seed=3), explore("rnn", T_x=4, seed=4)
    np.testing.assert_array_equal(run.arrays["dWaa"], again.arrays["dWaa"])
    assert not np.array_equal(run.arrays["x"], other.arrays["x"])


def test_unknown_cell_and_sizes_out_of_range_are_refused() -> None:
    with pytest.raises(InvalidInput, match="rnn or lstm"):
        explore("gru")
    with pytest.raises(InvalidInput, match="T_x"):
        explore("rnn", T_x=0)


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(["rnn", "lstm"]), st.integers(1, 40), st.integers(1, 96), st.integers(1, 40),
       st.integers(1, 96), st.integers(1, 40))
def test_the_memory_estimate_bounds_what_a_run_takes(cell: str, n_x: int, n_a: int, n_y: int, m: int, T_x: int) -> None:
    import tracemalloc

    sizes = dict(n_x=n_x, n_a=n_a, n_y=n_y, m=m, T_x=T_x)
    tracemalloc.start()
    try:
        explore(cell, **sizes)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak <= 1.2 * estimate_bytes(cell, **sizes) + 256 * 1024  # within a small fixed overhead


def test_sizes_beyond_the_memory_budget_are_refused_with_the_estimate() -> None:
    with pytest.raises(InvalidInput, match=r"need about 16\.6 GB of memory; one run may use 1\.0 GB"):
        explore("lstm", n_a=512, m=1024, T_x=500)
