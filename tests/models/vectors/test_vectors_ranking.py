"""Rankings: the course's similarities, gensim parity, and neighbours of a typed expression."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from seqtui_models.core.errors import InvalidInput
from seqtui_models.vectors import (
    WordVectors,
    cosine_similarity,
    doesnt_match,
    most_similar,
    most_similar_cosmul,
    neighbours,
    rank_by_centrality,
    search_neighbours,
    similarity,
)


def test_course_cosine_similarities(wv: WordVectors) -> None:
    assert similarity(wv, "father", "mother") == pytest.approx(0.890903844289, abs=1e-6)
    assert similarity(wv, "ball", "crocodile") == pytest.approx(0.274392462614, abs=1e-6)
    france_paris = wv.vector("france") - wv.vector("paris")
    rome_italy = wv.vector("rome") - wv.vector("italy")
    assert cosine_similarity(france_paris, rome_italy) == pytest.approx(-0.675147930817, abs=1e-6)


def _same_ranking(ours: list, theirs: list[tuple[str, float]], tol: float = 1e-5) -> None:
    assert [n.word for n in ours] == [w for w, _ in theirs]
    np.testing.assert_allclose([n.score for n in ours], [s for _, s in theirs], atol=tol)


@pytest.mark.parametrize("pair", [("father", "mother"), ("ball", "crocodile"), ("king", "queen"), ("the", "of")])
def test_similarity_matches_gensim(wv: WordVectors, kv: Any, pair: tuple[str, str]) -> None:
    assert similarity(wv, *pair) == pytest.approx(float(kv.similarity(*pair)), abs=1e-6)


@pytest.mark.parametrize(
    "positive, negative, topn, restrict",
    [
        (["king"], [], 10, None),
        (["woman", "king"], ["man"], 5, None),
        (["paris", "germany"], ["france"], 8, 30_000),
        ([("king", 2.0), "woman"], [("man", -0.5)], 6, 50_000),
    ],
)
def test_most_similar_matches_gensim(wv: WordVectors, kv: Any, positive: list, negative: list, topn: int, restrict: int | None) -> None:
    ours = most_similar(wv, positive, negative, topn=topn, restrict_vocab=restrict)
    _same_ranking(ours, kv.most_similar(positive=positive, negative=negative, topn=topn, restrict_vocab=restrict))


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("positive, negative", [(["woman", "king"], ["man"]), (["baghdad", "greece"], ["athens"]), (["cat"], [])])
def test_most_similar_cosmul_matches_gensim(wv: WordVectors, kv: Any, positive: list, negative: list) -> None:
    ours = most_similar_cosmul(wv, positive, negative, topn=7)
    _same_ranking(ours, kv.most_similar_cosmul(positive=positive, negative=negative, topn=7))


def test_neighbours_of_a_word_an_expression_and_a_vector(wv: WordVectors, kv: Any) -> None:
    _same_ranking(neighbours(wv, "frog", topn=5), kv.most_similar("frog", topn=5))
    _same_ranking(neighbours(wv, "king - man + woman", topn=5),
                  kv.most_similar(positive=["king", "woman"], negative=["man"], topn=5))
    vector = wv.vector("paris") * 0.5
    _same_ranking(neighbours(wv, vector, topn=5), kv.similar_by_vector(vector, topn=5))
    assert neighbours(wv, "king - man + woman", topn=1, exclude_inputs=False)[0].word == "king"


@pytest.mark.parametrize(
    "words",
    [["breakfast", "cereal", "dinner", "lunch"], ["france", "germany", "italy", "banana"], ["red", "green", "blue", "car", "yellow"]],
)
def test_doesnt_match_matches_gensim(wv: WordVectors, kv: Any, words: list[str]) -> None:
    assert doesnt_match(wv, words) == kv.doesnt_match(words)
    theirs = kv.rank_by_centrality(words)
    ours = rank_by_centrality(wv, words)
    assert [n.word for n in ours] == [w for _, w in theirs]
    np.testing.assert_allclose([n.score for n in ours], [s for s, _ in theirs], atol=1e-5)


def test_most_similar_method_mul_is_most_similar_cosmul(wv: WordVectors) -> None:
    by_method = most_similar(wv, ["woman", "king"], ["man"], topn=5, restrict_vocab=20_000, method="mul")
    assert by_method == most_similar_cosmul(wv, ["woman", "king"], ["man"], topn=5, restrict_vocab=20_000)
    assert by_method != most_similar(wv, ["woman", "king"], ["man"], topn=5, restrict_vocab=20_000)
    with pytest.raises(InvalidInput, match="add or mul"):
        most_similar(wv, ["king"], method="course")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="positive"):
        most_similar_cosmul(wv, [], ["king"])


def test_search_neighbours_reads_typed_text_and_scores_the_inputs(wv: WordVectors) -> None:
    search = search_neighbours(wv, "King - Man + WOMAN", topn=3)
    assert search.positive == (("king", 1.0), ("woman", 1.0)) and search.negative == (("man", -1.0),)
    assert search.input_words == {"king", "man", "woman"} and search.restricted
    assert [n.word for n in search.neighbours] == [n.word for n in neighbours(wv, "king - man + woman", topn=3)]
    assert [n.word for n in search.inputs] == ["king", "woman", "man"]
    top = search.neighbours[0].score
    assert [n.word for n in search.hidden_by_restriction] == [n.word for n in search.inputs if n.score > top] == ["king"]


def test_unrestricted_neighbours_may_be_inputs_and_hide_nothing(wv: WordVectors) -> None:
    search = search_neighbours(wv, "king - man + woman", topn=3, exclude_inputs=False)
    assert search.neighbours[0].word == "king" and not search.restricted
    assert search.hidden_by_restriction == ()
    # the same scores either way: only the exclusion differs
    restricted = search_neighbours(wv, "king - man + woman", topn=3)
    assert restricted.neighbours[0] in search.neighbours and restricted.inputs == search.inputs


def test_a_repeated_input_is_scored_once(wv: WordVectors) -> None:
    search = search_neighbours(wv, "paris + Paris + 0.5 * rome", topn=2)
    assert search.positive == (("paris", 1.0), ("paris", 1.0), ("rome", 0.5))
    assert [n.word for n in search.inputs] == ["paris", "rome"]
    assert "paris" not in [n.word for n in search.neighbours]


def test_neighbours_of_typed_text_fold_case_and_raise_for_unknown_words(wv: WordVectors) -> None:
    assert neighbours(wv, "Frog", topn=4) == neighbours(wv, "frog", topn=4)
    with pytest.raises(InvalidInput, match="'Frogg'.*Did you mean"):
        neighbours(wv, "Frogg")
    with pytest.raises(InvalidInput, match="topn"):
        search_neighbours(wv, "frog", topn=0)


def test_words_that_cancel_out_have_no_neighbours(wv: WordVectors) -> None:
    """"king - king" points nowhere: every cosine is 0, so any ranking would be arbitrary."""
    with pytest.raises(InvalidInput, match="cancel out"):
        most_similar(wv, positive=["king"], negative=["king"])
    with pytest.raises(InvalidInput, match="cancel out"):
        most_similar(wv, positive=[("king", 0.5), ("queen", 1.0)], negative=[("king", -0.5), ("queen", -1.0)])
    assert most_similar(wv, positive=["king"], negative=["man"], topn=1)  # a real direction still answers
