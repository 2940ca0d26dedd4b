"""``seqtui vectors …``: JSON shapes, text output, exit codes and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from seqtui_models.core.word_vectors import WordVectors, load_default, save_glove
from cli_helpers import run_cli


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    code, out, err = run_cli(capsys, "vectors", *argv, "--json")
    assert code == 0, err
    assert out.count("\n") == 1  # exactly one JSON object
    return json.loads(out)


@pytest.fixture(scope="module")
def glove_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 5,000 most frequent GloVe words as a GloVe text file."""
    wv = load_default()
    small = WordVectors(words=wv.words[:5000], vectors=np.array(wv.vectors[:5000]), source="small")
    return save_glove(small, tmp_path_factory.mktemp("vectors") / "glove.small.txt")


def test_similarity(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_json(capsys, "similarity", "father", "mother")["similarity"] == pytest.approx(0.8909, abs=1e-4)
    code, out, _ = run_cli(capsys, "vectors", "similarity", "ball", "crocodile")
    assert code == 0 and "0.2744" in out


def test_analogy_restricted_and_unrestricted(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_json(capsys, "analogy", "man", "king", "woman", "--top", "3")
    assert [a["word"] for a in result["answers"]][0] == "queen" and len(result["answers"]) == 3
    assert set(result["answers"][0]) == {"word", "score"}
    assert [h["word"] for h in result["hidden_by_restriction"]] == ["king"]
    unrestricted = run_json(capsys, "analogy", "man", "king", "woman", "--unrestricted")
    assert [a["word"] for a in unrestricted["answers"]] == ["king"]
    for method in ("add", "mul", "course"):
        answers = run_json(capsys, "analogy", "italy", "italian", "spain", "--method", method)["answers"]
        assert answers[0]["word"] == "spanish"
    code, out, _ = run_cli(capsys, "vectors", "analogy", "man", "king", "woman")
    assert code == 0 and "queen" in out and "unrestricted search would rank first: king" in out


def test_neighbors_of_a_word_and_an_expression(capsys: pytest.CaptureFixture[str]) -> None:
    found = run_json(capsys, "neighbors", "frog", "--top", "4")["neighbors"]
    assert len(found) == 4 and "frog" not in [n["word"] for n in found]
    expression = run_json(capsys, "neighbors", "king", "-", "man", "+", "woman", "--top", "1")
    assert expression["neighbors"][0]["word"] == "queen"


def test_doesnt_match(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_json(capsys, "doesnt-match", "breakfast", "cereal", "dinner", "lunch")
    assert result["odd_one_out"] == "cereal" and len(result["ranking"]) == 4
    code, out, _ = run_cli(capsys, "vectors", "doesnt-match", "france", "germany", "banana")
    assert code == 0 and out.strip() == "banana"


def test_project_presets_and_axes(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_json(capsys, "project", "--preset", "names")
    assert result["axis"] == "woman − man" and len(result["projections"]) == 10
    assert result["projections"][0] == {"word": "john", "cosine": pytest.approx(-0.2316, abs=1e-4)}
    rich_poor = run_json(capsys, "project", "millionaire", "beggar", "--axis", "rich", "poor")
    assert rich_poor["axis"] == "rich − poor"
    pca = run_json(capsys, "project", "she", "he", "--bolukbasi", "--axis-method", "pca")
    assert pca["projections"][0]["cosine"] > 0 > pca["projections"][1]["cosine"]
    code, out, _ = run_cli(capsys, "vectors", "project", "--preset", "occupations")
    assert code == 0 and "receptionist" in out and "│" in out and "█" in out


def test_project_draws_each_cosine_as_a_bar_on_its_side_of_the_axis(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "vectors", "project", "john", "marie")
    john, marie = out.splitlines()[1:]
    assert john.split()[:2] == ["john", "-0.232"] and marie.split()[:2] == ["marie", "+0.316"]
    left, right = john.split(" -0.232 ")[1].split("│")
    assert left == " " * 23 + "█" * 7 and right == ""  # 0.232 of 30 cells, leftwards
    left, right = marie.split(" +0.316 ")[1].split("│")
    assert left == " " * 30 and right == "█" * 9  # rightwards (the line is stripped)


def test_neutralize_and_equalize(capsys: pytest.CaptureFixture[str]) -> None:
    neutral = run_json(capsys, "neutralize", "receptionist")
    assert neutral["cos_before"] == pytest.approx(0.3308, abs=1e-4) and abs(neutral["cos_after"]) < 1e-10
    equal = run_json(capsys, "equalize", "man", "woman")
    assert equal["cos_before"] == pytest.approx([-0.1171, 0.3567], abs=1e-4)
    assert equal["cos_after"] == pytest.approx([-0.7004, 0.7004], abs=1e-4)
    code, out, _ = run_cli(capsys, "vectors", "neutralize", "receptionist")
    assert code == 0 and "cos(receptionist, g) before" in out


def test_benchmark_json_and_table(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    report = run_json(capsys, "benchmark", "--restrict", "5000")
    assert set(report) >= {"accuracy", "correct", "total", "sections", "seconds"}
    assert len(report["sections"]) == 14 and 0 < report["accuracy"] < 1
    assert report["correct"] == sum(s["correct"] for s in report["sections"].values())
    questions = tmp_path / "q.txt"
    questions.write_text(": family\nman woman king queen\nboy girl brother sister\n: plural\ncat cats dog dogs\n")
    code, out, _ = run_cli(capsys, "vectors", "benchmark", str(questions), "--method", "mul")
    assert code == 0 and "family" in out and "plural" in out and "total" in out


def test_other_vector_files(capsys: pytest.CaptureFixture[str], glove_file: Path, tmp_path: Path) -> None:
    result = run_json(capsys, "similarity", "father", "mother", "--vectors", str(glove_file))
    assert result["similarity"] == pytest.approx(0.8909, abs=1e-4)
    lines = glove_file.read_text(encoding="utf-8").splitlines()
    lines[6] = "broken 1.0 2.0"
    bad = tmp_path / "bad.txt"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "vectors", "similarity", "father", "mother", "--vectors", str(bad))
    assert code == 2 and out == "" and "line 7" in err and len(err.strip().splitlines()) == 1
    code, out, err = run_cli(capsys, "vectors", "similarity", "father", "mother", "--vectors", str(bad), "--skip-malformed")
    assert code == 0 and "line 7 skipped" in err


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["similarity", "father", "mothr"], "'mothr' is not in the vocabulary"),
        (["analogy", "man", "woman", "kingg"], "'kingg'"),
        (["neutralize", "zzqqx"], "'zzqqx'"),
        (["analogy", "a", "b", "c", "--top", "0"], "--top"),
        (["similarity", "father", "mother", "--vectors", "/no/such/file.txt"], "No such file"),
        (["benchmark", "/no/such/questions.txt"], "No such file"),
        (["project"], "--preset"),
    ],
)
def test_errors_exit_2_with_one_line(capsys: pytest.CaptureFixture[str], argv: list[str], needle: str) -> None:
    code, out, err = run_cli(capsys, "vectors", *argv)
    assert code == 2 and out == ""
    assert needle in err and len(err.strip().splitlines()) == 1


def test_a_pasted_4000_letter_word_is_echoed_shortened(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "vectors", "similarity", "q" * 4000, "king")
    assert code == 2 and len(err) < 200 and "…" in err and err.count("\n") == 1


def test_bolukbasi_with_an_axis_is_refused_and_the_benchmark_restricts_alike_in_the_tab(
        capsys: pytest.CaptureFixture[str]) -> None:
    from seqtui.tabs.vectors.benchmark import BENCH_RESTRICT
    from seqtui_models.vectors.bench import GENSIM_RESTRICT_VOCAB

    code, _, err = run_cli(capsys, "vectors", "project", "nurse", "doctor", "--bolukbasi", "--axis", "he", "she")
    assert code == 2 and "give one of them" in err
    code, out, _ = run_cli(capsys, "vectors", "project", "nurse", "doctor", "--bolukbasi")
    assert code == 0 and "nurse" in out
    assert BENCH_RESTRICT == GENSIM_RESTRICT_VOCAB


def test_unknown_words_are_left_out_of_a_projection_and_an_odd_one_out_with_a_warning(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "vectors", "doesnt-match", "breakfast", "xyzzyq", "lunch", "dinner", "cereal")
    assert code == 0 and out.strip() == "cereal" and "left out: xyzzyq" in err
    code, out, err = run_cli(capsys, "vectors", "project", "nurse", "xyzzyq", "doctor", "--json")
    assert code == 0 and [p["word"] for p in json.loads(out)["projections"]] == ["nurse", "doctor"]
    assert "left out: xyzzyq" in err
    code, _, err = run_cli(capsys, "vectors", "doesnt-match", "breakfast", "xyzzyq", "lunch")
    assert code == 2 and "xyzzyq" in err and len(err.strip().splitlines()) == 1  # two known words are too few
    code, _, err = run_cli(capsys, "vectors", "project", "xyzzyq")
    assert code == 2 and "xyzzyq" in err


def test_map_draws_a_neighbourhood_and_lists_every_place_in_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "vectors", "map", "king", "--width", "60", "--height", "12")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("neighbourhood of king: x PC1 (") and "% of the variance" in lines[0]
    frame = [line for line in lines if line.startswith("│")]
    assert len(frame) == 12 and all(len(line) == 62 for line in frame)  # the plot keeps its size
    assert "king" in out and "queen" in out
    result = run_json(capsys, "map", "king", "queen", "man", "woman", "--axis", "woman", "man")
    assert result["axes"] == ["woman − man", "PC1 ⊥ axis"] and result["centre"] is None
    x = {p["word"]: p["x"] for p in result["points"]}
    assert x["queen"] > x["king"] and x["woman"] > x["man"]
    assert result["points"][0]["nearest"][0] == "queen"
    assert len(run_json(capsys, "map", "paris", "--size", "12")["points"]) == 12


@pytest.mark.parametrize(("argv", "says"), [
    (["king", "queen"], "three different words"),
    (["kingg"], "not in the vocabulary"),
    (["king", "--size", "1000"], "3 to 500"),
    (["king", "--axis", "woman"], "pair of words"),
    (["king", "--width", "5000"], "lower --width"),
])
def test_map_refuses_in_one_line(capsys: pytest.CaptureFixture[str], argv: list[str], says: str) -> None:
    code, out, err = run_cli(capsys, "vectors", "map", *argv)
    assert code == 2 and not out
    assert len(err.strip().splitlines()) == 1 and says in err
