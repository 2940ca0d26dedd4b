"""``seqtui dinos``: JSON shapes, exit codes, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from seqtui.cli import main
from cli_helpers import run_cli

NAMES = "tyrannosaurus\ntriceratops\nstegosaurus\nvelociraptor\nallosaurus\nbrachiosaurus\ndiplodocus\n" \
        "iguanodon\nspinosaurus\nankylosaurus\nparasaurolophus\ngallimimus\ntroodon\nbaryonyx\n"


@pytest.fixture(scope="module")
def model_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small model trained through the CLI on the bundled names."""
    path = tmp_path_factory.mktemp("cli") / "tiny.npz"
    try:
        main(["dinos", "train", "--hidden", "12", "--steps", "60", "--seed", "1", "--out", str(path), "--json"])
    except SystemExit:
        pass
    assert path.is_file()
    return path


def test_train_json_has_the_promised_figures(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_path = tmp_path / "m.npz"
    code, out, err = run_cli(capsys, "dinos", "train", "--hidden", "8", "--steps", "30", "--cell", "lstm",
                             "--batch", "32", "--seed", "2", "--out", str(out_path), "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert {"train_nll", "val_nll", "steps", "seconds", "chars_per_s", "model"} <= set(summary)
    assert summary["model"] == str(out_path) and out_path.is_file()
    assert summary["steps"] == 30 and summary["cell"] == "lstm" and summary["status"] == "finished"
    assert 0 < summary["val_nll"] < 3.3 and summary["chars_per_s"] > 0  # below ln 27: it learned something
    assert "dinos fast lstm" in err  # progress went to stderr


def test_train_course_preset_on_a_names_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    names = tmp_path / "names.txt"
    names.write_text(NAMES)
    code, out, err = run_cli(capsys, "dinos", "train", "--preset", "course", "--names", str(names), "--hidden", "10",
                             "--steps", "200", "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["preset"] == "course" and summary["hidden"] == 10 and summary["steps"] == 200
    assert Path(summary["model"]).is_file()  # the per-user models folder (a temporary one in tests)
    assert summary["train_names"] + summary["val_names"] == len(NAMES.split())


def test_sample_json_shape_and_seed(capsys: pytest.CaptureFixture[str], model_path: Path) -> None:
    args = ("dinos", "sample", "--model", str(model_path), "-n", "6", "--seed", "4", "--json")
    code, out, err = run_cli(capsys, *args)
    assert code == 0, err
    names = json.loads(out)["names"]
    assert len(names) == 6
    for entry in names:
        assert set(entry) == {"name", "logprob", "novelty"}
        assert entry["novelty"] in ("train", "val", "new") and entry["logprob"] < 0
    assert json.loads(run_cli(capsys, *args)[1])["names"] == names


def test_sample_with_prefix_temperature_top_k(capsys: pytest.CaptureFixture[str], model_path: Path) -> None:
    code, out, _ = run_cli(capsys, "dinos", "sample", "--model", str(model_path), "--prefix", "Tyranno",
                           "--temperature", "0.7", "--top-k", "3", "-n", "4", "--json")
    assert code == 0
    assert all(n["name"].startswith("tyranno") for n in json.loads(out)["names"])


def test_beam_search_json_is_sorted(capsys: pytest.CaptureFixture[str], model_path: Path) -> None:
    code, out, _ = run_cli(capsys, "dinos", "sample", "--model", str(model_path), "--beam", "10", "-n", "5", "--json")
    assert code == 0
    logprobs = [n["logprob"] for n in json.loads(out)["names"]]
    assert len(logprobs) == 5 and logprobs == sorted(logprobs, reverse=True)


def test_sample_text_output_uses_the_bundled_model(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "dinos", "sample", "-n", "3", "--seed", "0")
    assert code == 0, err
    lines = out.strip().splitlines()
    assert len(lines) == 3 and all(line.split()[-1] in ("train", "val", "new") for line in lines)


def test_eval_json_counts_skipped_names(capsys: pytest.CaptureFixture[str], model_path: Path, tmp_path: Path) -> None:
    names = tmp_path / "eval.txt"
    names.write_text("Allosaurus\r\nT-Rex\r\nmei\r\n\r\nÉoraptor\r\n")  # T-Rex has '-', unknown to a–z
    code, out, err = run_cli(capsys, "dinos", "eval", "--model", str(model_path), "--names", str(names), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert {"nll_per_char", "names", "skipped"} <= set(report)
    assert report["names"] == 3 and report["skipped"] == 1 and report["unknown_chars"] == "-"
    assert report["chars"] == len("allosaurus") + len("mei") + len("eoraptor") + 3
    assert 0 < report["nll_per_char"] < 5 and report["perplexity"] > 1


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["dinos", "train", "--steps", "0"], "--steps"),
        (["dinos", "train", "--cell", "transformer"], "invalid choice"),
        (["dinos", "train", "--preset", "course", "--cell", "lstm"], "course preset"),
        (["dinos", "train", "--preset", "course", "--optimizer", "adam"], "course preset"),
        (["dinos", "train", "--names", "no-such-names.txt"], "No such file"),
        (["dinos", "train", "--out", "model.txt"], ".npz"),
        (["dinos", "train", "--dropout", "1.5"], "dropout"),
        (["dinos", "train", "--lr", "-1"], "--lr"),
        (["dinos", "sample", "--model", "no-such-model.npz"], "No such model file"),
        (["dinos", "sample", "--temperature", "0"], "--temperature"),
        (["dinos", "sample", "--top-k", "-2"], "top-k"),
        (["dinos", "sample", "--prefix", "123"], "no letters"),
        (["dinos", "sample", "--beam", "3", "--temperature", "0.5"], "--temperature only applies to sampling"),
        (["dinos", "sample", "--beam", "3", "--temperature", "0.5", "--top-k", "3"], "only apply to sampling"),
        (["dinos", "sample", "--prefix", "tyrannosaurusrex", "--max-length", "10"], "shorten the prefix"),
        (["dinos", "sample", "--prefix", "ñ?x!é"], None),
        (["dinos", "sample", "--beam", "3", "--temperature", "2"], "--beam"),
        (["dinos", "eval"], "--names"),
        (["dinos", "eval", "--names", "no-such-names.txt"], "No such file"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str], needle: str | None) -> None:
    code, out, err = run_cli(capsys, *argv)
    if needle is None:  # accents are stripped: "ñ?x!é" is the prefix "n xe", whose space a–z lacks
        needle = "does not know"
    assert code == 2, (out, err)
    assert out == ""
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and needle in lines[0], err
    assert "Traceback" not in err


def test_bad_files_are_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "names.bin"
    binary.write_bytes(bytes(range(256)) * 8)
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    for argv, needle in (
        (["dinos", "train", "--names", str(empty)], "empty"),
        (["dinos", "train", "--names", str(binary)], "binary"),
        (["dinos", "eval", "--names", str(binary)], "binary"),
        (["dinos", "sample", "--model", str(broken)], "not a Dinosaur Island model (not a model archive)"),
        (["dinos", "eval", "--model", str(broken), "--names", str(empty)], "not a model archive"),
    ):
        code, out, err = run_cli(capsys, *argv)
        lines = [line for line in err.splitlines() if line.strip()]
        assert code == 2 and out == "" and len(lines) == 1 and needle in lines[0], (argv, err)


def test_help_lists_the_verbs(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "dinos", "--help")
    assert code == 0 and all(verb in out for verb in ("train", "sample", "eval"))
    code, out, _ = run_cli(capsys, "--help")
    assert "dinos" in out


def test_a_run_that_learned_nothing_says_so_and_the_vocab_prints_on_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # one step at lr 1e-6 from seed 1 ends a hair above ln 27 = 3.296 nats/char (measured: 3.300)
    code, out, err = run_cli(capsys, "dinos", "train", "--steps", "1", "--lr", "0.000001", "--seed", "1",
                             "--out", str(tmp_path / "d.npz"))
    assert code == 0 and "warning: The model scores" in err and "ln 27" in err
    assert "vocab: \\nabcdefghijklmnopqrstuvwxyz" in out
    code, out, err = run_cli(capsys, "dinos", "train", "--steps", "300", "--out", str(tmp_path / "e.npz"))
    assert code == 0 and "warning" not in err
