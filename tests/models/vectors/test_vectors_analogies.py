"""Analogies: the course's cases by every method, restricted and unrestricted searches."""

from __future__ import annotations

import pytest

from seqtui_models.core.errors import InvalidInput
from seqtui_models.vectors import WordVectors, analogy, complete_analogy


@pytest.mark.parametrize(
    "a, b, c, expected",
    [
        ("italy", "italian", "spain", "spanish"),
        ("india", "delhi", "japan", "tokyo"),
        ("man", "woman", "boy", "girl"),
        ("small", "smaller", "large", "larger"),
    ],
)
def test_course_analogies_with_every_method(wv: WordVectors, a: str, b: str, c: str, expected: str) -> None:
    assert complete_analogy(wv, a.upper(), b, c) == expected  # the course lower-cases its inputs
    for method in ("course", "add", "mul"):
        assert analogy(wv, a, b, c, method=method).best == expected, method


def test_restricted_and_unrestricted_analogy(wv: WordVectors) -> None:
    restricted = analogy(wv, "man", "king", "woman", topn=3)
    assert restricted.best == "queen" and restricted.restricted
    assert [n.word for n in restricted.hidden_by_restriction] == ["king"]
    unrestricted = analogy(wv, "man", "king", "woman", topn=3, restricted=False)
    assert unrestricted.best == "king" and unrestricted.answers[1].word == "queen"
    assert unrestricted.hidden_by_restriction == ()
    same = analogy(wv, "man", "man", "man", topn=3)
    assert [n.word for n in same.hidden_by_restriction] == ["man"]  # one input word, named once
    course = analogy(wv, "man", "king", "woman", topn=2, method="course")
    assert course.answers[0].score >= course.answers[1].score
    with pytest.raises(InvalidInput, match="method"):
        analogy(wv, "a", "b", "c", method="nope")  # type: ignore[arg-type]


def test_an_input_word_outside_the_searched_words_scores_nan(wv: WordVectors) -> None:
    result = analogy(wv, "man", "king", "woman", topn=2, restrict_vocab=100)
    assert [n.word for n in result.inputs] == ["man", "king", "woman"]
    assert wv.index("king") >= 100 and result.inputs[1].score != result.inputs[1].score  # NaN: not searched
    assert "king" not in [n.word for n in result.hidden_by_restriction]
