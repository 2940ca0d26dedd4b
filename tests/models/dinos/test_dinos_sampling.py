"""Sampling and beam search: sorted, reproducible, honest log-probabilities and novelty tags."""

from __future__ import annotations

import numpy as np
import pytest

from seqtui_models.core.errors import InvalidInput
from seqtui_models.dinos import CharModel, beam_search, name_logprob, sample_names


def test_beam_search_is_sorted_and_beats_many_samples(trained: CharModel) -> None:
    beams = beam_search(trained, 50, n=8)
    logprobs = [b.logprob for b in beams]
    assert len(beams) == 8 and logprobs == sorted(logprobs, reverse=True)
    assert all(len(b.name) >= 3 for b in beams)
    samples = sample_names(trained, 2000, seed=0)
    best_sampled = max(s.logprob for s in samples if len(s.name) >= 3 and not s.truncated)
    assert beams[0].logprob >= best_sampled - 1e-9
    for b in beams[:3]:
        assert b.logprob == pytest.approx(name_logprob(trained, b.name), abs=1e-9)


def test_beam_search_with_a_prefix_and_raw_search(trained: CharModel) -> None:
    assert all(b.name.startswith("tyr") for b in beam_search(trained, 4, prefix="Tyr"))
    raw = beam_search(trained, 20, n=20, min_length=1)
    assert [b.logprob for b in raw] == sorted((b.logprob for b in raw), reverse=True)


def test_sampled_logprob_is_the_name_logprob_and_novelty_is_right(trained: CharModel) -> None:
    samples = sample_names(trained, 40, seed=1, temperature=0.8, top_k=5)
    for s in samples[:10]:
        if not s.truncated:
            assert s.logprob == pytest.approx(name_logprob(trained, s.name), abs=1e-9)
    for s in samples:
        expected = "train" if s.name in trained.train_names else ("val" if s.name in trained.val_names else "new")
        assert s.novelty == expected
    assert trained.novelty(trained.train_names[0]) == "train" and trained.novelty(trained.val_names[0]) == "val"
    assert trained.novelty("qqqqsaurus") == "new"


def test_sampling_options(trained: CharModel) -> None:
    assert sample_names(trained, 5, seed=3) == sample_names(trained, 5, seed=3)
    greedy = sample_names(trained, 3, top_k=1, seed=None)
    assert len({g.name for g in greedy}) == 1  # top-1 is the argmax path
    assert all(s.name.startswith("tyranno") for s in sample_names(trained, 5, prefix="Tyranno", seed=0))
    short = sample_names(trained, 20, max_length=4, seed=0, temperature=3.0)
    assert all(len(s.name) <= 4 for s in short) and any(s.truncated for s in short)
    new = sample_names(trained, 5, new_only=True, seed=0)
    assert len(new) == 5 and all(s.novelty == "new" for s in new) and len({s.name for s in new}) == 5
    hot, cold = sample_names(trained, 300, temperature=2.0, seed=0), sample_names(trained, 300, temperature=0.5, seed=0)
    assert np.mean([s.logprob for s in cold]) > np.mean([s.logprob for s in hot])


@pytest.mark.parametrize("kwargs, needle", [
    (dict(temperature=0.0), "temperature"),
    (dict(top_k=-1), "top-k"),
    (dict(prefix="tyrann0!"), None),
    (dict(prefix="123"), "no letters"),
    (dict(prefix="αβ"), "does not know"),
    (dict(max_length=0), "max length"),
])
def test_bad_sampling_options(trained: CharModel, kwargs: dict, needle: str | None) -> None:
    if needle is None:
        assert sample_names(trained, 1, seed=0, **kwargs)[0].name.startswith("tyrann")
        return
    with pytest.raises(InvalidInput, match=needle):
        sample_names(trained, 1, **kwargs)


def test_beam_search_new_only_finds_n_new_names() -> None:
    from seqtui_models.dinos import default_model

    bundled = default_model()  # many of its most probable names are real ones: new ones need a wider search
    found = beam_search(bundled, 32, n=10, new_only=True)
    assert len(found) == 10 and all(item.novelty == "new" for item in found)
    scores = [item.logprob for item in found]
    assert scores == sorted(scores, reverse=True)
    plain = [i for i in beam_search(bundled, 32, n=10) if i.novelty == "new"]
    assert len(plain) < 10  # filtering a plain search afterwards (what the CLI did) came up short
