"""The map of words: PCA of the chosen words, a bias axis as x, neighbourhoods, and what is refused."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seqtui_models.core.errors import InvalidInput
from seqtui_models.vectors import WordVectors, bias_axis, map_axis, map_query, map_words, most_similar, neighbourhood
from seqtui_models.vectors import project

FAMILY = ["king", "queen", "man", "woman", "prince", "princess", "boy", "girl"]


def test_pca_axes_are_the_words_principal_directions(wv: WordVectors) -> None:
    found = map_words(wv, FAMILY)
    u = np.stack([wv.unit_vector(w).astype(np.float64) for w in FAMILY])
    x = u - u.mean(axis=0)
    eigenvalues = np.sort(np.linalg.eigvalsh(x.T @ x))[::-1]
    # the variance along each axis is the covariance's largest eigenvalues, shares of its trace
    np.testing.assert_allclose((found.xy**2).sum(axis=0), eigenvalues[:2], rtol=1e-6)
    np.testing.assert_allclose(found.explained, eigenvalues[:2] / eigenvalues.sum(), rtol=1e-6)
    assert abs(float(found.xy[:, 0] @ found.xy[:, 1])) < 1e-9  # the two axes are uncorrelated
    assert found.axes == ("PC1", "PC2")
    assert found.centre == "" and found.left_out == ()


def test_the_picture_does_not_depend_on_the_order_words_are_typed(wv: WordVectors) -> None:
    # an SVD's signs are arbitrary; each component's largest score is made positive
    found = map_words(wv, FAMILY)
    backwards = map_words(wv, FAMILY[::-1])
    for word, xy in zip(found.words, found.xy):
        np.testing.assert_allclose(backwards.xy[backwards.words.index(word)], xy, atol=1e-9)
    assert (found.xy.max(axis=0) >= -found.xy.min(axis=0)).all()


def test_a_bias_axis_as_x_is_the_bias_labs_cosine(wv: WordVectors) -> None:
    axis = bias_axis(wv, (("woman", "man"),))
    found = map_words(wv, FAMILY, axis)
    cosines = [p.cosine for p in project(wv, FAMILY, axis)]
    np.testing.assert_allclose(found.xy[:, 0], cosines, atol=1e-6)
    assert found.axes == ("woman − man", "PC1 ⊥ axis")
    x = dict(zip(found.words, found.xy[:, 0]))
    y = dict(zip(found.words, found.xy[:, 1]))
    assert x["queen"] > x["king"] and x["girl"] > x["boy"]  # women to the right
    assert y["king"] * y["boy"] < 0  # and y, free of gender, parts royalty from the rest
    # y is the first principal direction of what is left once g is taken out of the centred vectors
    g = axis.vector / np.linalg.norm(axis.vector)
    u = np.stack([wv.unit_vector(w).astype(np.float64) for w in FAMILY])
    x_centred = u - u.mean(axis=0)
    rest = x_centred - np.outer(x_centred @ g, g)
    np.testing.assert_allclose((found.xy[:, 1] ** 2).sum(), np.linalg.eigvalsh(rest.T @ rest)[-1], rtol=1e-6)


def test_one_word_maps_its_neighbourhood(wv: WordVectors) -> None:
    found = map_query(wv, "King", size=12)  # typed as a person would: King means king
    assert found.centre == "king" and found.words[0] == "king" and len(found.words) == 12
    assert list(found.words[1:]) == [n.word for n in most_similar(wv, ["king"], topn=11)]
    assert found.axes == ("PC1", "PC2")


def test_neighbours_on_the_map_are_measured_in_all_dimensions(wv: WordVectors) -> None:
    found = map_words(wv, FAMILY)
    cosines = {w: float(wv.unit_vector("king") @ wv.unit_vector(w)) for w in FAMILY if w != "king"}
    expected = sorted(cosines, key=lambda w: -cosines[w])[:3]
    assert [found.words[j] for j in found.nearest(found.words.index("king"), 3)] == expected
    assert found.nearest(0, 100) == [j for j in found.nearest(0, 100) if j != 0]  # never itself


def test_several_words_leave_unknown_ones_out(wv: WordVectors) -> None:
    found = map_query(wv, "king, queen; zzqx man woman")
    assert found.words == ("king", "queen", "man", "woman") and found.left_out == ("zzqx",)


@pytest.mark.parametrize(("text", "message"), [
    ("", "Type a word"),
    ("kingg", "'kingg' is not in the vocabulary"),
    ("king queen", "three different words"),
    ("king king queen", "three different words"),
    ("zzqx zzqy zzqz", "not in the vocabulary"),
])
def test_what_cannot_be_mapped_is_said(wv: WordVectors, text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        map_query(wv, text)


def test_sizes_and_axes_are_checked(wv: WordVectors) -> None:
    with pytest.raises(InvalidInput, match="3 to 500"):
        neighbourhood(wv, "king", 2)
    with pytest.raises(InvalidInput, match="500 words at most"):
        map_words(wv, wv.words[:501])
    assert map_axis(wv, " PCA ") is None and map_axis(wv, "") is None
    assert map_axis(wv, "he she, man woman") is not None
    with pytest.raises(InvalidInput, match="pair of words"):
        map_axis(wv, "woman")


def test_words_that_do_not_spread_are_refused() -> None:
    same = WordVectors(["a", "b", "c"], np.ones((3, 4), dtype=np.float32))
    with pytest.raises(InvalidInput, match="no plane"):
        map_words(same, ["a", "b", "c"])


@settings(max_examples=60, deadline=None)
@given(text=st.text(st.sampled_from(list("kingqueabcz ,;-+*.")) | st.characters(), max_size=30),
       size=st.integers(-5, 600))
def test_any_text_is_mapped_or_refused_in_words(wv: WordVectors, text: str, size: int) -> None:
    try:
        found = map_query(wv, text, size)
    except InvalidInput as error:
        assert error.message and "\n" not in error.message
        return
    assert len(found.words) >= 3 and np.isfinite(found.xy).all()
    assert 0 <= found.explained[1] <= found.explained[0] <= 1
