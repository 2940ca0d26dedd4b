"""``seqtui vectors …`` reads typed words as the tab does: case folding, commas, pairs, weights."""

from __future__ import annotations

import json

import pytest

from cli_helpers import run_cli


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    code, out, err = run_cli(capsys, "vectors", *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def test_similarity_folds_king_to_the_lower_case_word(capsys: pytest.CaptureFixture[str]) -> None:
    folded = run_json(capsys, "similarity", "King", "QUEEN")
    plain = run_json(capsys, "similarity", "king", "queen")
    assert folded == plain and folded["words"] == ["king", "queen"]
    code, out, err = run_cli(capsys, "vectors", "similarity", "King", "Queen")
    assert code == 0 and err == "" and out.strip() == f"cos(king, queen) = {plain['similarity']:.4f}"


def test_an_unknown_capitalised_word_is_named_as_typed_with_suggestions(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "vectors", "similarity", "Kingg", "queen")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "'Kingg' is not in the vocabulary" in err and "Did you mean 'king'" in err


def test_analogy_with_capitals_answers_as_in_lower_case(capsys: pytest.CaptureFixture[str]) -> None:
    typed = run_json(capsys, "analogy", "Man", "King", "Woman", "--top", "3")
    plain = run_json(capsys, "analogy", "man", "king", "woman", "--top", "3")
    assert typed == plain and typed["question"] == ["man", "king", "woman"]
    assert typed["answers"][0]["word"] == "queen"


def test_neighbors_of_a_capitalised_weighted_expression(capsys: pytest.CaptureFixture[str]) -> None:
    spaced = run_json(capsys, "neighbors", "King", "-", "Man", "+", "0.5", "*", "woman", "--top", "3")
    glued = run_json(capsys, "neighbors", "king - man + 0.5*woman", "--top", "3")
    assert spaced["neighbors"] == glued["neighbors"]
    assert spaced["positive"] == [["king", 1.0], ["woman", 0.5]] and spaced["negative"] == [["man", -1.0]]
    assert [h["word"] for h in spaced["hidden_by_restriction"]] == ["king"]


def test_neighbors_unrestricted_marks_the_input_words(capsys: pytest.CaptureFixture[str]) -> None:
    restricted = run_json(capsys, "neighbors", "King - man + woman", "--top", "2")
    assert "king" not in [n["word"] for n in restricted["neighbors"]] and restricted["restricted"]
    unrestricted = run_json(capsys, "neighbors", "King - man + woman", "--top", "2", "--unrestricted")
    assert unrestricted["neighbors"][0]["word"] == "king" and unrestricted["hidden_by_restriction"] == []
    code, out, _ = run_cli(capsys, "vectors", "neighbors", "King - man + woman", "--top", "2", "--unrestricted")
    assert code == 0 and "king" in out and "(an input word)" in out.splitlines()[0]


def test_doesnt_match_takes_commas_and_capitals(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_json(capsys, "doesnt-match", "France,", "Germany,Italy", "BANANA")
    assert result["odd_one_out"] == "banana" and len(result["ranking"]) == 4


def test_doesnt_match_needs_three_words_as_the_tab_does(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "vectors", "doesnt-match", "france,", "banana")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "three words or more" in err and "got 2: france banana" in err


def test_axis_pairs_are_read_as_in_the_tab(capsys: pytest.CaptureFixture[str]) -> None:
    one = run_json(capsys, "project", "she", "he", "--axis", "Woman", "Man")
    assert one["axis"] == "woman − man"
    commas = run_json(capsys, "project", "she", "he", "--axis", "she he, woman man")
    flat = run_json(capsys, "project", "she", "he", "--axis", "she", "he", "woman", "man")
    assert commas == flat and commas["axis"] == "she − he (+1 pairs, mean)"
    named = run_json(capsys, "project", "she", "--axis", "bolukbasi")
    assert named == run_json(capsys, "project", "she", "--bolukbasi")
    code, out, err = run_cli(capsys, "vectors", "project", "she", "--axis", "woman", "man", "girl")
    assert code == 2 and out == "" and "pair of words" in err


def test_bias_verbs_fold_case(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_json(capsys, "neutralize", "Receptionist") == run_json(capsys, "neutralize", "receptionist")
    assert run_json(capsys, "equalize", "Man", "WOMAN")["pair"] == ["man", "woman"]
    projected = run_json(capsys, "project", "John,", "Marie")["projections"]
    assert [p["word"] for p in projected] == ["john", "marie"]
