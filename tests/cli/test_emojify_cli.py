"""``seqtui emojify``: JSON shapes, exit codes, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_helpers import run_cli


def test_train_v1_json_has_the_promised_figures(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "v1.npz"
    code, stdout, err = run_cli(capsys, "emojify", "train", "--model", "v1", "--epochs", "80", "--seed", "3",
                                "--out", str(out), "--json")
    assert code == 0, err
    summary = json.loads(stdout)
    assert {"train_accuracy", "test_accuracy", "seconds", "model"} <= set(summary)
    assert summary["model"] == str(out) and out.is_file()
    assert 0.5 < summary["train_accuracy"] <= 1 and 0.5 < summary["test_accuracy"] <= 1 and summary["seconds"] > 0
    assert "emojify v1 fast" in err  # progress went to stderr


def test_train_on_your_own_csv_and_labels(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = tmp_path / "pets.csv"
    data.write_text("sentence,label\nwoof woof,0\nthe dog barked,0\nmeow meow,1\nthe cat purred,1\nbad row\n",
                    encoding="utf-8")
    code, _, err = run_cli(capsys, "emojify", "train", "--data", str(data), "--labels", "🐶 dog, 🐱 cat", "--json")
    assert code == 2 and "line 6" in err and err.count("\n") == 1
    code, stdout, err = run_cli(capsys, "emojify", "train", "--data", str(data), "--labels", "🐶 dog, 🐱 cat",
                                "--skip-bad-rows", "--epochs", "50", "--out", str(tmp_path / "pets.npz"), "--json")
    assert code == 0, err
    assert "skipped pets.csv, line 6" in err
    summary = json.loads(stdout)
    assert summary["classes"] == 2 and summary["test_accuracy"] is None
    code, stdout, _ = run_cli(capsys, "emojify", "predict", "--model", str(tmp_path / "pets.npz"), "my dog", "--json")
    assert code == 0 and json.loads(stdout)["emoji"] in ("🐶", "🐱")


def test_predict_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, err = run_cli(capsys, "emojify", "predict", "lets get pizza tonight zzqqx", "--json")
    assert code == 0, err
    result = json.loads(stdout)
    assert {"emoji", "label", "probabilities", "words", "unknown"} <= set(result)
    assert result["emoji"] == "🍴" and result["label"] == 4
    assert len(result["probabilities"]) == 5 and abs(sum(result["probabilities"]) - 1) < 1e-9
    assert [w["word"] for w in result["words"]] == ["lets", "get", "pizza", "tonight", "zzqqx"]
    assert all({"word", "contribution"} <= set(w) for w in result["words"])
    assert result["unknown"] == ["zzqqx"]


def test_predict_text_output_and_words_as_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, err = run_cli(capsys, "emojify", "predict", "we", "won", "the", "baseball", "game", "zzqqx")
    assert code == 0
    assert stdout.startswith("⚾") and "baseball" in stdout
    assert "not in the word vectors" in err and "zzqqx" in err


def test_eval_json_shape(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = tmp_path / "mine.csv"
    data.write_bytes("sentence,label,\r\n\"i love you, mom\",0,\r\n  we won the match ,1,\r\nsoup for lunch,4,\r\n".encode())
    code, stdout, err = run_cli(capsys, "emojify", "eval", "--csv", str(data), "--json")
    assert code == 0, err
    result = json.loads(stdout)
    assert {"accuracy", "n", "confusion"} <= set(result)
    assert result["n"] == 3 and len(result["confusion"]) == 5 and all(len(row) == 5 for row in result["confusion"])
    assert sum(map(sum, result["confusion"])) == 3
    assert 0 <= result["ece"] <= 1 and 0 <= result["confident_mistakes"] <= 1 and result["temperature"] > 0


def test_eval_defaults_to_the_bundled_test_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, _ = run_cli(capsys, "emojify", "eval", "--mistakes", "3")
    assert code == 0
    assert "emojify_test.csv: accuracy" in stdout and "mistakes" in stdout


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (("emojify", "predict", "?!", "--json"), "no words"),
        (("emojify", "predict", "--model", "nope.npz", "hi"), "No such model file"),
        (("emojify", "predict", "--model", "model.txt", "hi"), "neither a V1"),
        (("emojify", "eval", "--csv", "missing.csv"), "No such file"),
        (("emojify", "train", "--model", "v2", "--preset", "course"), "per-example loop"),
        (("emojify", "train", "--epochs", "0"), "expected a whole number ≥ 1"),
        (("emojify", "train", "--out", "model.keras"), ".npz"),
        (("emojify", "train", "--labels", "🐶 a, 🐶 b"), "own emoji"),
        (("emojify", "calibrate", "--model", "v1", "--csv", "x.csv"), "add --out"),
        (("emojify", "calibrate", "--model", "v1", "--csv", "x.csv", "--out", "c.keras"), "--out must end like"),
    ],
)
def test_bad_input_exits_2_with_one_line(capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], fragment: str) -> None:
    code, stdout, err = run_cli(capsys, *argv)
    assert code == 2 and stdout == ""
    assert fragment in err and err.count("\n") == 1 and "Traceback" not in err


def test_eval_bad_rows_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = tmp_path / "bad.csv"
    data.write_text("sentence,label\ngood,1\nlabel nine,9\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "emojify", "eval", "--csv", str(data))
    assert code == 2 and "line 3" in err and "not one of 0 … 4" in err
    code, stdout, err = run_cli(capsys, "emojify", "eval", "--csv", str(data), "--skip-bad-rows", "--json")
    assert code == 0 and json.loads(stdout)["n"] == 1 and "line 3" in err


@pytest.mark.slow
def test_predict_with_v2(capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, err = run_cli(capsys, "emojify", "predict", "--model", "v2", "lets have pizza and pasta for dinner",
                                "--json")
    assert code == 0, err
    result = json.loads(stdout)
    assert result["model"] == "v2" and result["method"] == "occlusion" and len(result["probabilities"]) == 5


@pytest.mark.parametrize("model", ["v1", pytest.param("v2", marks=pytest.mark.slow)])
def test_a_sentence_of_unknown_words_is_declined(capsys: pytest.CaptureFixture[str], model: str) -> None:
    code, stdout, err = run_cli(capsys, "emojify", "predict", "--model", model, "xzqwv plmoknb", "--json")
    assert code == 0, err
    result = json.loads(stdout)
    assert result["declined"] is True and result["emoji"] is None and result["label"] is None
    assert "no word the model knows" in result["reason"] and result["unknown"] == ["xzqwv", "plmoknb"]
    code, stdout, err = run_cli(capsys, "emojify", "predict", "--model", model, "lets eat pizza", "--json")
    assert json.loads(stdout)["declined"] is False and json.loads(stdout)["reason"] is None
    code, stdout, err = run_cli(capsys, "emojify", "predict", "--model", model, "skibidi", "xzqwv")
    assert code == 0 and stdout.startswith("no emoji") and "knows none of these words" in err


def test_v2_options_with_v1_and_a_folder_as_the_csv_are_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run_cli(capsys, "emojify", "train", "--patience", "3", "--out", str(tmp_path / "x.npz"))
    assert code == 2 and "--patience is for V2 (--model v2)" in err and err.count("\n") == 1
    assert not (tmp_path / "x.npz").exists()
    code, _, err = run_cli(capsys, "emojify", "train", "--members", "2", "--val-fraction", "0.1")
    assert code == 2 and "--val-fraction, --members are for V2" in err
    code, _, err = run_cli(capsys, "emojify", "eval", "--csv", str(tmp_path))
    assert code == 2 and "is a folder" in err and "No such file" not in err


def test_eval_text_aligns_the_confusion_matrix_and_marks_an_absent_class(capsys: pytest.CaptureFixture[str],
                                                                          tmp_path: Path) -> None:
    data = tmp_path / "no-food.csv"
    data.write_text("sentence,label\ni love you,0\nwe won the match,1\nwhat a great day,2\ni miss her so much,3\n",
                    encoding="utf-8")
    code, stdout, err = run_cli(capsys, "emojify", "eval", "--csv", str(data))
    assert code == 0, err
    from rich.cells import cell_len

    rows = [line for line in stdout.splitlines() if line.startswith(("true", "❤️", "⚾", "😄", "😞", "🍴"))]
    assert len(rows) == 6 and len({cell_len(line.rsplit("   ", 1)[0]) for line in rows}) == 1  # columns line up
    assert rows[-1].endswith("–") and "nan" not in stdout
    assert "calibration: ECE" in stdout


def test_calibrate_fits_saves_and_eval_reports_the_temperature(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    model = tmp_path / "v1.npz"
    assert run_cli(capsys, "emojify", "train", "--epochs", "40", "--out", str(model))[0] == 0
    held = tmp_path / "held.csv"
    held.write_text("sentence,label\nmy dog is my best friend,0\nthe team lost again,3\ncold pizza for breakfast,4\n"
                    "we scored in the last minute,1\nwhat a lovely surprise party,2\n", encoding="utf-8")
    code, stdout, err = run_cli(capsys, "emojify", "calibrate", "--model", str(model), "--csv", str(held), "--json")
    assert code == 0, err
    fitted = json.loads(stdout)
    assert fitted["n"] == 5 and fitted["temperature"] > 0 and fitted["nll_after"] <= fitted["nll_before"] + 1e-9
    code, stdout, _ = run_cli(capsys, "emojify", "eval", "--model", str(model), "--json")
    assert code == 0 and json.loads(stdout)["temperature"] == pytest.approx(fitted["temperature"])
    code, stdout, _ = run_cli(capsys, "emojify", "calibrate", "--model", str(model), "--csv", str(held))
    assert code == 0 and "confident mistakes" in stdout and f"saved {model}" in stdout


def test_five_unnamed_classes_are_said_to_be_read_as_the_course_ones(capsys: pytest.CaptureFixture[str],
                                                                      tmp_path: Path) -> None:
    pets = tmp_path / "pets.csv"
    pets.write_text("sentence,label\nwoof,0\nmeow,1\nblub blub,2\ntweet,3\nsqueak,4\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "emojify", "train", "--data", str(pets), "--epochs", "5",
                           "--out", str(tmp_path / "p.npz"))
    assert code == 0 and "read as the course's ❤️ ⚾ 😄 😞 🍴 — pass --labels" in err
    code, _, err = run_cli(capsys, "emojify", "train", "--data", str(pets), "--epochs", "5", "--labels",
                           "🐶 dog, 🐱 cat, 🐟 fish, 🐦 bird, 🐭 mouse", "--out", str(tmp_path / "q.npz"))
    assert code == 0 and "course's" not in err
