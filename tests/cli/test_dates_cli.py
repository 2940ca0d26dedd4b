"""``seqtui dates``: JSON shapes, exit codes, one-line errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from cli_helpers import run_cli

pytestmark = pytest.mark.slow  # TensorFlow


def test_translate_json_with_attention(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "dates", "translate", "the", "4th", "of", "july", "1976", "--attention", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["input"] == "the 4th of july 1976" and result["iso"] == "1976-07-04"  # words joined
    assert result["valid_date"] is True and 0.5 < result["confidence"] <= 1
    assert result["declined"] is False and result["reason"] is None and result["ambiguous"] is False
    assert result["readings"] == [] and result["output"] == "1976-07-04"
    assert len(result["char_probs"]) == 10 and result["truncated"] is False
    attention = result["attention"]
    assert result["read"] == "4th of july 1976"  # the date's stretch of the input
    assert len(attention) == 10 and all(len(row) == len(result["read"]) for row in attention)
    assert all(abs(sum(row) - 1) < 1e-3 for row in attention)
    code, out, err = run_cli(capsys, "dates", "translate", "9/10/70", "--attention")
    assert code == 0 and out.startswith("ambiguous: 1970-09-10 or 1970-10-09") and "attention 0 … 1" in out


def test_translate_flags_an_impossible_date(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "dates", "translate", "1979-05-33", "--json")
    assert code == 0
    result = json.loads(out)
    assert result["valid_date"] is False and "31 days" in result["problem"] and "attention" not in result


def test_translate_long_input_is_marked_truncated(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "dates", "translate", "wednesday the twenty-first of september 2016")
    assert code == 0 and out.startswith("no date  (not a date: no day;")  # "twenty-first" is not a number
    assert "Only the first 40 of 44 characters were read" in err


@pytest.mark.parametrize("argv,message", [
    (("dates", "translate", "   "), "Type a date"),
    (("dates", "translate", "§§§ ¤¤"), "unknown"),
    (("dates", "translate", "3 may 1979", "--model", "/nonexistent/m.keras"), "No such model file"),
    (("dates", "train", "--preset", "other"), "invalid choice"),
    (("dates", "train", "--examples", "0"), "expected a whole number ≥ 1"),
    (("dates", "train", "--out", "m.npz"), ".keras"),
    (("dates", "eval", "--file", "/nonexistent/pairs.tsv"), "No such file"),
    (("dates", "generate", "--family", "nope"), "Unknown date format family"),
])
def test_bad_input_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str) -> None:
    code, out, err = run_cli(capsys, *argv)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1 and not out


def test_eval_a_tsv_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "pairs.tsv"
    path.write_text("input\tiso\n3 May 1979\t1979-05-03\n12/25/70\t1970-12-25\tslashes\n1 jan 2000\t2000-01-02\n")
    code, out, err = run_cli(capsys, "dates", "eval", "--file", str(path), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["n"] == 3 and report["exact_match"] == pytest.approx(2 / 3)
    assert report["by_format"]["slashes"] == {"exact_match": 1.0, "n": 1, "kind": "file", "right": 1, "declined": 0}
    assert report["right"] == 2 and report["told_wrong"] + report["declined"] == 1
    assert report["by_format"]["file"]["n"] == 2 and report["wrong"] == 1
    assert report["mistakes"][0]["expected"] == "2000-01-02"


def test_eval_a_bad_line_names_it(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "pairs.tsv"
    path.write_text("3 May 1979\t1979-05-03\n9/10/70\t1970-09-10\nbroken line without a tab\n")
    code, out, err = run_cli(capsys, "dates", "eval", "--file", str(path))
    assert code == 2 and "line 3" in err and "no tab" in err


def test_eval_generated_held_out_pairs(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "dates", "eval", "-n", "120", "--mix", "real", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["n"] == 120 and report["exact_match"] >= 0.97
    assert all(score["kind"] == "real" for score in report["by_format"].values())


def test_generate_makes_an_eval_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run_cli(capsys, "dates", "generate", "-n", "5", "--seed", "3", "--heldout")
    assert code == 0 and len(out.splitlines()) == 5 and all(line.count("\t") == 2 for line in out.splitlines())
    path = tmp_path / "g.tsv"
    path.write_text(out)
    code, report, err = run_cli(capsys, "dates", "eval", "--file", str(path))
    assert code == 0 and "exact match" in report and "of 5" in report
    code, out, err = run_cli(capsys, "dates", "generate", "--families", "--json")
    families = json.loads(out)["families"]
    assert {"iso", "the-of", "full", "dd.MM.yy"} <= {f["family"] for f in families}


def test_train_json_on_a_file_within_a_time_limit(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run_cli(capsys, "dates", "generate", "-n", "300", "--seed", "4")
    data = tmp_path / "pairs.tsv"
    data.write_text(out)
    out_path = tmp_path / "tiny.keras"
    code, out, err = run_cli(capsys, "dates", "train", "--data", str(data), "--epochs", "1000", "--batch", "100",
                             "--max-seconds", "1", "--eval-every", "0", "--seed", "1", "--out", str(out_path), "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert {"exact_match", "seconds", "model", "course_exact", "real_exact"} <= set(summary)
    assert summary["model"] == str(out_path) and out_path.is_file() and 0 <= summary["exact_match"] <= 1
    assert summary["examples"] == 300 and summary["total"] == 3000  # the file's 300 pairs, 3 batches an epoch
    assert summary["status"] == "finished" and summary["budget_reached"] is True and summary["steps"] < 3000
    assert "dates best" in err  # progress went to stderr
    code, out, err = run_cli(capsys, "dates", "translate", "--model", str(out_path), "3 may 1979", "--json")
    assert code == 0 and len(json.loads(out)["output"]) == 10
    code, out, err = run_cli(capsys, "dates", "train", "--data", str(tmp_path / "missing.tsv"))
    assert code == 2 and "No such file" in err


def test_translate_a_file_of_lines_and_stdin(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "lines.txt"
    path.write_text("Sent: Friday, October 12, 2018 3:47 PM\n\nbanana\n03/04/2023\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "dates", "translate", "--file", str(path), "--json")
    assert code == 0, err
    date, banana, ambiguous = json.loads(out)["results"]
    assert date["iso"] == "2018-10-12" and date["valid_date"] and not date["declined"] and date["readings"] == []
    assert banana["iso"] is None and banana["declined"] and banana["reason"].startswith("not a date")
    assert banana["valid_date"] is False and banana["output"] and len(banana["output"]) == 10
    assert ambiguous["ambiguous"] and ambiguous["iso"] is None and sorted(ambiguous["readings"]) == ["2023-03-04", "2023-04-03"]
    monkeypatch.setattr("sys.stdin", io.StringIO("3 may 1979\n"))
    code, out, err = run_cli(capsys, "dates", "translate", "--file", "-")
    assert code == 0 and out == "3 may 1979\t1979-05-03  (a date; confidence " + out.split("confidence ")[1]


@pytest.mark.parametrize("argv,message", [
    (("dates", "translate"), "Give a date to translate"),
    (("dates", "translate", "3 may 1979", "--file", "x.txt"), "either a date or --file"),
    (("dates", "translate", "--file", "/nonexistent/lines.txt"), "No such file"),
    (("dates", "translate", "--file", "/"), "is a folder"),
])
def test_translate_bad_arguments_are_one_line(capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str) -> None:
    code, out, err = run_cli(capsys, *argv)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1 and not out


def test_eval_scores_lines_that_must_be_declined_or_flagged(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "expected.tsv"
    path.write_text("# a comment\nbanana\tnone\n03/04/2023\tambiguous:2023-04-03|2023-03-04\n"
                    "Sat, 15 Jan 2021\tnone\n12 October 2018\t2018-10-12\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "dates", "eval", "--file", str(path), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["n"] == 4 and report["right"] == 4 and report["declined"] == 0 and report["told_wrong"] == 0
    path.write_text("feb 30 2021\t2021-02-30\n", encoding="utf-8")  # not a header: an impossible date
    code, out, err = run_cli(capsys, "dates", "eval", "--file", str(path))
    assert code == 2 and "line 1" in err and "28 days, not 30" in err
