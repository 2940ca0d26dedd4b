"""Run ids wherever jazz, emojify and dates take ``--model``: a trained run is used by its id, an
unknown or wrong one is one line and exit 2, and a run's model is never calibrated in place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_helpers import run_cli
from music_files import write_band


def train(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    code, out, err = run_cli(capsys, *argv, "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["run"] and summary["model"].endswith(f"{summary['run']}/model{Path(summary['model']).suffix}")
    return summary


@pytest.mark.slow
def test_jazz_generate_takes_a_run(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    midi = write_band(tmp_path / "band.mid", drums=False)
    run = train(capsys, "jazz", "train", "--midi", str(midi), "--epochs", "2", "--tx", "8", "--windows", "16",
                "--seed", "2")["run"]
    code, out, err = run_cli(capsys, "jazz", "generate", "--model", run, "--bars", "2", "--seed", "1", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["model"].endswith(f"{run}/model.keras") and report["notes"]
    code, out, err = run_cli(capsys, "runs", "list", "--task", "jazz", "--json")
    assert [r["headline"]["name"] for r in json.loads(out)["runs"]] == ["loss"]


def test_emojify_predict_and_eval_take_a_run_and_calibrate_keeps_it_as_trained(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    summary = train(capsys, "emojify", "train", "--epochs", "40", "--seed", "3")
    run, model = summary["run"], Path(summary["model"])
    code, out, err = run_cli(capsys, "emojify", "predict", "--model", run, "i", "love", "pizza", "--json")
    assert code == 0, err
    assert json.loads(out)["emoji"]
    code, out, err = run_cli(capsys, "emojify", "eval", "--model", run[:-1], "--json")  # any unique start
    assert code == 0, err
    assert json.loads(out)["accuracy"] == pytest.approx(summary["test_accuracy"])
    held = tmp_path / "held.csv"
    held.write_text("sentence,label\nmy dog is my best friend,0\nthe team lost again,3\ncold pizza for breakfast,4\n",
                    encoding="utf-8")
    before = model.read_bytes()
    for which in (run, str(model)):  # by its id or by its file: a run's model is not rewritten
        code, out, err = run_cli(capsys, "emojify", "calibrate", "--model", which, "--csv", str(held))
        assert code == 2 and not out and len(err.strip().splitlines()) == 1 and "--out PATH" in err
    assert model.read_bytes() == before
    mine = tmp_path / "calibrated.npz"
    code, out, err = run_cli(capsys, "emojify", "calibrate", "--model", run, "--csv", str(held), "--out", str(mine),
                             "--json")
    assert code == 0 and json.loads(out)["model"] == str(mine) and mine.is_file(), err


@pytest.mark.slow
def test_dates_translate_and_eval_take_a_run(capsys: pytest.CaptureFixture[str]) -> None:
    run = train(capsys, "dates", "train", "--examples", "256", "--epochs", "1", "--eval-every", "0")["run"]
    code, out, err = run_cli(capsys, "dates", "translate", "--model", run, "3 may 1979", "--json")
    assert code == 0, err
    assert len(json.loads(out)["output"]) == 10
    code, out, err = run_cli(capsys, "dates", "eval", "--model", run, "-n", "20", "--json")
    assert code == 0 and 0 <= json.loads(out)["exact_match"] <= 1, err
    code, out, err = run_cli(capsys, "emojify", "predict", "--model", run, "hello")  # a run of another task
    assert code == 2 and not out and f"Run {run} is a dates run, not an emojify one" in err


@pytest.mark.parametrize("argv", [
    ("jazz", "generate", "--model", "jazz-1999-0101"),
    ("emojify", "predict", "--model", "emojify-1999-0101", "hello"),
    ("emojify", "eval", "--model", "emojify-1999-0101"),
    ("emojify", "calibrate", "--model", "emojify-1999-0101", "--csv", "x.csv"),
    ("dates", "translate", "--model", "dates-1999-0101", "3 may 1979"),
    ("dates", "eval", "--model", "dates-1999-0101"),
])
def test_an_unknown_run_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]) -> None:
    code, out, err = run_cli(capsys, *argv)
    assert code == 2 and not out and len(err.strip().splitlines()) == 1 and "No such file or run" in err


@pytest.mark.parametrize("task, verbs", [("jazz", ["generate"]), ("emojify", ["predict", "eval", "calibrate"]),
                                         ("dates", ["translate", "eval"])])
def test_every_model_option_says_it_takes_a_run(capsys: pytest.CaptureFixture[str], task: str, verbs: list[str]) -> None:
    for verb in verbs:
        code, out, _ = run_cli(capsys, task, verb, "--help")
        assert code == 0 and "PATH|RUN" in out and "run id" in out
