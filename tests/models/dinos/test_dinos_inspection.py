"""Looking inside: each character's probability, its rank and alternatives, the next-character candidates."""

from __future__ import annotations

import math

import pytest

from seqtui_models.dinos import CharModel, inspect_name, name_logprob, next_char_candidates
from seqtui_models.dinos import net as dinos_net


def test_per_character_view_matches_the_model(trained: CharModel) -> None:
    """Each step's probability is exp of the model's log-softmax; their logs sum to the name's."""
    view = inspect_name(trained, "Tyrannosaurus", top_k=4)
    assert view.name == "tyrannosaurus" and len(view.steps) == len("tyrannosaurus") + 1
    assert view.steps[-1].char == "\n" and view.novelty in ("train", "val")
    assert view.logprob == pytest.approx(sum(math.log(s.prob) for s in view.steps), abs=1e-9)
    # The batched training forward (float32) gives the same total.
    batch = dinos_net.make_batch([trained.vocab.encode(view.name)], trained.vocab.size)
    total, count = dinos_net.total_nll(trained.cell, dict(trained.params), batch)
    assert count == len(view.steps) and -total == pytest.approx(view.logprob, abs=1e-3)
    for step in view.steps:
        probs = [c.prob for c in step.alternatives]
        assert probs == sorted(probs, reverse=True) and len(probs) == 4
        assert step.rank >= 1 and (step.rank <= 4) == (step.char in [c.char for c in step.alternatives])
    # Position by position it is the next-character distribution after the prefix.
    candidates = next_char_candidates(trained, "tyr", top_k=None)
    assert sum(c.prob for c in candidates) == pytest.approx(1.0)
    chosen = {c.char: c.prob for c in candidates}["a"]
    assert chosen == pytest.approx(view.steps[3].prob)


def test_prefix_logprob_is_the_start_without_the_end(trained: CharModel) -> None:
    from seqtui_models.dinos import prefix_logprob

    view = inspect_name(trained, "tyro", top_k=1)
    assert prefix_logprob(trained, "") == 0.0
    assert math.isclose(prefix_logprob(trained, "tyro"), sum(s.logprob for s in view.steps[:-1]), abs_tol=1e-9)
    assert prefix_logprob(trained, "t") > name_logprob(trained, "t")  # a start is likelier than that whole name
    assert prefix_logprob(trained, "ty") <= prefix_logprob(trained, "t")  # longer starts only get less likely
