"""Reading what a person types: case folding, word lists, pairs and weighted expressions.

Besides worked examples, each reader is checked on a few hundred generated inputs (seeded, so a
failure names the seed that reproduces it): random case, random separators, weights written
``0.5*paris`` or ``0.5 * paris``, random signs and spacing.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from seqtui_models.core.errors import InvalidInput
from seqtui_models.vectors import (
    BOLUKBASI_PAIRS,
    WordVectors,
    odd_one_out_words,
    parse_expression,
    parse_pairs,
    resolve_expression,
    resolve_pairs,
    resolve_word,
    resolve_words,
    split_words,
)

#: lower-case words (GloVe's kind), one word also capitalised, one only upper-case, and words
#: that look like operators, numbers or punctuation
TOY_WORDS = ["king", "queen", "man", "woman", "paris", "Paris", "rome", "x-ray", "new_york", "1990", "*", ",",
             "NASA", "café", "he", "she"]
LOWER = [w for w in TOY_WORDS if w.isalpha() and w == w.lower()]
SEEDS = range(150)


@pytest.fixture(scope="module")
def toy() -> WordVectors:
    rng = np.random.default_rng(0)
    return WordVectors(words=TOY_WORDS, vectors=rng.standard_normal((len(TOY_WORDS), 4)).astype(np.float32), source="toy")


def random_case(rng: random.Random, word: str) -> str:
    """``word`` with each letter upper- or lower-cased at random."""
    return "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in word)


# --- words ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, words",
    [
        ("breakfast cereal dinner lunch", ["breakfast", "cereal", "dinner", "lunch"]),
        ("France, Germany,banana", ["France", "Germany", "banana"]),
        (" ,a;; b ,\tc\n", ["a", "b", "c"]),
        ("x-ray new_york", ["x-ray", "new_york"]),
        ("", []),
        (" , ; ", []),
    ],
)
def test_split_words_examples(text: str, words: list[str]) -> None:
    assert split_words(text) == words


@pytest.mark.parametrize("seed", SEEDS)
def test_split_words_gives_back_the_words_whatever_the_separators(seed: int) -> None:
    rng = random.Random(seed)
    # any word without a separator in it (so not GloVe's ",": a comma always separates)
    words = [rng.choice([w for w in TOY_WORDS if w != ","] + ["don't", "a.b"]) for _ in range(rng.randint(0, 6))]
    separators = [" ", ",", ", ", " ,", ";", "\t", "\n", ",,", " ; "]
    text = rng.choice(["", " ", ","]) + "".join(w + rng.choice(separators) for w in words)
    assert split_words(text) == words


def test_resolve_word_keeps_known_spellings_and_folds_unknown_ones(toy: WordVectors) -> None:
    assert resolve_word(toy, "king") == "king"
    assert resolve_word(toy, "King") == resolve_word(toy, "KING") == resolve_word(toy, " kInG ") == "king"
    assert resolve_word(toy, "Paris") == "Paris" and resolve_word(toy, "PARIS") == "paris"  # both are words
    assert resolve_word(toy, "NASA") == "NASA"
    assert resolve_word(toy, "CAFÉ") == "café" and resolve_word(toy, "X-Ray") == "x-ray"
    assert resolve_words(toy, ["Man", "woman", "ROME"]) == ["man", "woman", "rome"]


@pytest.mark.parametrize("seed", SEEDS)
def test_any_case_of_a_lower_case_word_resolves_to_it(toy: WordVectors, seed: int) -> None:
    rng = random.Random(seed)
    word = rng.choice(LOWER)
    typed = random_case(rng, word)
    assert resolve_word(toy, typed) == (typed if typed in toy else word)


def test_an_unknown_word_is_named_as_typed_with_suggestions(toy: WordVectors) -> None:
    with pytest.raises(InvalidInput, match=r"'Kingg' is not in the vocabulary of toy\. Did you mean 'king'\?") as info:
        resolve_word(toy, "Kingg")
    assert info.value.title == "Unknown word"
    with pytest.raises(InvalidInput, match="'Nasa'"):
        resolve_word(toy, "Nasa")  # case is folded down only: NASA is not nasa
    with pytest.raises(InvalidInput, match="Type a word"):
        resolve_word(toy, "  ")
    with pytest.raises(InvalidInput, match="'zzz'"):
        resolve_words(toy, ["king", "zzz", "yyy"])


@pytest.mark.parametrize("text", ["king queen, man", "King Queen Man woman", "he;she;man"])
def test_an_odd_one_out_question_is_three_resolved_words_or_more(toy: WordVectors, text: str) -> None:
    words = odd_one_out_words(toy, text)
    assert words == [resolve_word(toy, w) for w in split_words(text)] and len(words) >= 3


@pytest.mark.parametrize("text, got", [("king queen", "got 2: king queen"), ("King", "got 1: King"), (" , ", "got none")])
def test_an_odd_one_out_question_of_fewer_than_three_words_is_refused(toy: WordVectors, text: str, got: str) -> None:
    with pytest.raises(InvalidInput, match="three words or more") as info:
        odd_one_out_words(toy, text)
    assert got in info.value.message and info.value.title == "Too few words"


def test_an_odd_one_out_question_names_its_unknown_word(toy: WordVectors) -> None:
    with pytest.raises(InvalidInput, match="'Kingg'"):
        odd_one_out_words(toy, "Kingg queen man")


# --- pairs ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, pairs",
    [
        ("woman man", (("woman", "man"),)),
        ("he she, man woman", (("he", "she"), ("man", "woman"))),
        ("he she man woman", (("he", "she"), ("man", "woman"))),
        ("he she; man woman,", (("he", "she"), ("man", "woman"))),
        ("Woman Man", (("Woman", "Man"),)),  # case is the resolver's business
        (" Bolukbasi ", BOLUKBASI_PAIRS),
    ],
)
def test_parse_pairs_examples(text: str, pairs: tuple[tuple[str, str], ...]) -> None:
    assert parse_pairs(text) == pairs


@pytest.mark.parametrize("text", ["", "woman", "a b c", "a b, c", "a b, c d e f", ", ,"])
def test_parse_pairs_refuses_what_is_not_pairs(text: str) -> None:
    with pytest.raises(InvalidInput, match="pair of words"):
        parse_pairs(text)


@pytest.mark.parametrize("seed", SEEDS)
def test_pairs_read_back_however_they_are_joined(seed: int) -> None:
    rng = random.Random(seed)
    pairs = tuple((rng.choice(TOY_WORDS[:9]), rng.choice(TOY_WORDS[:9])) for _ in range(rng.randint(1, 5)))
    written = [f"{a}{rng.choice([' ', '  ', chr(9)])}{b}" for a, b in pairs]
    commas = rng.choice([",", ", ", " ,", ";", "; "]).join(written)
    assert parse_pairs(commas) == pairs
    assert parse_pairs(" ".join(written)) == pairs  # an even run of words, read two by two


def test_resolve_pairs_folds_both_words(toy: WordVectors) -> None:
    assert resolve_pairs(toy, parse_pairs("She He, WOMAN man")) == (("she", "he"), ("woman", "man"))
    with pytest.raises(InvalidInput, match="'Shee'"):
        resolve_pairs(toy, [("Shee", "he")])


# --- expressions ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, positive, negative",
    [
        ("king - man + woman", [("king", 1.0), ("woman", 1.0)], [("man", -1.0)]),
        ("0.5*paris + x-ray", [("paris", 0.5), ("x-ray", 1.0)], []),
        ("0.5 * paris + x-ray", [("paris", 0.5), ("x-ray", 1.0)], []),
        ("0.5* paris", [("paris", 0.5)], []),
        ("0.5 *paris", [("paris", 0.5)], []),
        (".5 * Paris", [("Paris", 0.5)], []),
        ("king - 2 * man", [("king", 1.0)], [("man", -2.0)]),
        ("-0.5*paris + rome", [("rome", 1.0)], [("paris", -0.5)]),
        ("- cold", [], [("cold", -1.0)]),
        ("- - cold", [("cold", 1.0)], []),
        ("king + *", [("king", 1.0), ("*", 1.0)], []),
        ("1990 + 3 * 1990", [("1990", 1.0), ("1990", 3.0)], []),
        ("  king\t-\nman  ", [("king", 1.0)], [("man", -1.0)]),
    ],
)
def test_parse_expression_examples(text: str, positive: list, negative: list) -> None:
    assert parse_expression(text) == (positive, negative)


@pytest.mark.parametrize(
    "text, needle",
    [
        ("", "Type a word"),
        ("king man", "Put \\+ or - between"),
        ("king -", "ends with an operator"),
        ("0.5*", "needs a word after it"),
        ("king + 0.5 *", "needs a word after it"),
        ("0*paris", "weight of 0"),
        ("king + 0 * man", "weight of 0 leaves 'man'"),
        ("0.5 * paris rome", "before 'rome'"),
    ],
)
def test_parse_expression_refuses_malformed_text(text: str, needle: str) -> None:
    with pytest.raises(InvalidInput, match=needle):
        parse_expression(text)


def _weighted(rng: random.Random, word: str, weight: float | None) -> str:
    """``word`` with its weight written one of the ways a person might."""
    if weight is None:
        return word
    number = rng.choice([f"{weight}", f"{weight:.2f}", f"{weight:g}"])
    return number + rng.choice(["*", " * ", "* ", " *", "  *  "]) + word


@pytest.mark.parametrize("seed", SEEDS)
def test_generated_expressions_parse_and_resolve(toy: WordVectors, seed: int) -> None:
    rng = random.Random(seed)
    words = [w for w in TOY_WORDS if w not in ("*", ",", "1990")]
    text = ""
    expected_positive: list[tuple[str, float]] = []
    expected_negative: list[tuple[str, float]] = []
    typed_positive: list[tuple[str, float]] = []
    typed_negative: list[tuple[str, float]] = []
    for i in range(rng.randint(1, 5)):
        word = rng.choice(words)
        typed = random_case(rng, word) if word == word.lower() else word
        weight = rng.choice([None, None, 0.5, 2.0, 1.25, 3.0])
        sign = -1.0 if (i > 0 or rng.random() < 0.3) and rng.random() < 0.5 else 1.0
        operator = ("- " if sign < 0 else ("+ " if i > 0 else ""))
        text += rng.choice([" ", "  ", ""]) * (i == 0) + operator + _weighted(rng, typed, weight) + rng.choice([" ", "  ", "\t"])
        value = sign * (weight if weight is not None else 1.0)
        resolved = typed if typed in toy else typed.lower()
        (expected_positive if value > 0 else expected_negative).append((resolved, value))
        (typed_positive if value > 0 else typed_negative).append((typed, value))
    assert parse_expression(text) == (typed_positive, typed_negative), text
    assert resolve_expression(toy, text) == (expected_positive, expected_negative), text


def test_resolve_expression_names_the_unknown_word(toy: WordVectors) -> None:
    with pytest.raises(InvalidInput, match="'Qeen'.*Did you mean 'queen'"):
        resolve_expression(toy, "King - man + 0.5 * Qeen")
