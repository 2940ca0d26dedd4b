"""The bias lab: the course's neutralize, equalize and name projections; axes from any pairs."""

from __future__ import annotations

import numpy as np
import pytest

from seqtui_models.core.errors import InvalidInput
from seqtui_models.vectors import (
    BOLUKBASI_PAIRS,
    COURSE_NAMES,
    WordVectors,
    bias_axis,
    cosine_similarity,
    equalize,
    neutralize,
    project,
)


def test_course_neutralize(wv: WordVectors) -> None:
    g = bias_axis(wv)  # the course's g = e_woman − e_man
    np.testing.assert_array_equal(g.vector, wv.vector("woman").astype(np.float64) - wv.vector("man"))
    result = neutralize(wv, "receptionist", g)
    assert result.cos_before == pytest.approx(0.330779417506, abs=1e-6)
    assert abs(result.cos_after) < 1e-12
    assert np.allclose(result.debiased + result.bias_component, result.e)
    assert [label for label, _ in result.steps()][0].startswith("cos(receptionist")


def test_course_equalize(wv: WordVectors) -> None:
    result = equalize(wv, ("man", "woman"), bias_axis(wv))
    assert result.cos_before == pytest.approx((-0.117110957653, 0.356666188463), abs=1e-6)
    assert result.cos_after == pytest.approx((-0.700436428931, 0.700436428931), abs=1e-6)
    # the equalised pair is symmetric about μ⊥ and both have the same length
    assert np.linalg.norm(result.e1) == pytest.approx(np.linalg.norm(result.e2))
    with pytest.raises(InvalidInput):
        equalize(wv, ("man", "man"), bias_axis(wv))


def test_course_name_projections(wv: WordVectors) -> None:
    values = {p.word: p.cosine for p in project(wv, COURSE_NAMES, bias_axis(wv))}
    assert values["john"] == pytest.approx(-0.23163356146, abs=1e-6)
    assert values["marie"] == pytest.approx(0.315597935396, abs=1e-6)
    assert values["ronaldo"] < 0 < values["priya"]


def test_axes_from_several_pairs_and_any_pair(wv: WordVectors) -> None:
    mean = bias_axis(wv, BOLUKBASI_PAIRS)
    pca = bias_axis(wv, BOLUKBASI_PAIRS, method="pca")
    assert pca.method == "pca" and np.linalg.norm(pca.vector) == pytest.approx(1.0)
    assert pca.explained[0] > pca.explained[1] > 0 and sum(pca.explained) <= 1 + 1e-9
    assert cosine_similarity(mean.vector, pca.vector) > 0.8
    for axis in (mean, pca):
        she, he = project(wv, ["she", "he"], axis)
        assert she.cosine > 0 > he.cosine
    age = bias_axis(wv, [("young", "old")])
    assert age.label == "young − old" and project(wv, ["youth"], age)[0].cosine > 0 > project(wv, ["retired"], age)[0].cosine
    with pytest.raises(InvalidInput):
        bias_axis(wv, [("old", "old")])
    with pytest.raises(InvalidInput, match="zzqqx"):
        bias_axis(wv, [("zzqqx", "old")])
