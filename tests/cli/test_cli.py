"""The headless CLI: JSON shapes, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cli_helpers import run_cli


def test_cells_check_json_passes_for_both_cells(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "cells", "check", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert set(report) == {"rnn", "lstm"}
    assert set(report["rnn"]) >= {"Wax", "Waa", "ba"}
    assert set(report["lstm"]) >= {"Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo"}
    assert all(0 <= err < 1e-7 for cell in report.values() for err in cell.values())


def test_cells_check_one_cell_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "cells", "check", "--cell", "rnn")
    assert code == 0
    assert "Waa" in out and "pass" in out and "Wf" not in out


def test_cells_shapes_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "cells", "shapes", "--cell", "rnn", "--n-x", "4", "--m", "3", "--t-x", "6", "--json")
    assert code == 0
    shapes = json.loads(out)["shapes"]
    assert shapes["x"] == [4, 3, 6] and shapes["a"] == [5, 3, 6] and shapes["dWax"] == [5, 4]


def test_cells_train_json_and_saved_model(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_path = tmp_path / "m.npz"
    code, out, err = run_cli(
        capsys, "cells", "train", "--task", "recall", "--k", "2", "--steps", "60", "--hidden", "8",
        "--seed", "3", "--out", str(out_path), "--json",
    )
    assert code == 0, err
    summary = json.loads(out)
    assert summary["status"] == "finished" and summary["steps"] == 60
    assert summary["model"] == str(out_path) and out_path.is_file()
    assert summary["loss"] < 1.386  # below chance-level cross-entropy ln 4
    assert "60/60" in err  # progress went to stderr
    with np.load(out_path, allow_pickle=False) as data:
        assert data["Wf"].shape == (8, 12)


def test_cells_train_is_repeatable_with_a_seed(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    args = ("cells", "train", "--task", "sine", "--cell", "rnn", "--steps", "20", "--hidden", "6", "--seed", "7", "--json")
    first = json.loads(run_cli(capsys, *args, "--out", str(tmp_path / "a.npz"))[1])
    second = json.loads(run_cli(capsys, *args, "--out", str(tmp_path / "b.npz"))[1])
    assert first["loss"] == second["loss"] and first["val_loss"] == second["val_loss"]


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["cells", "train", "--steps", "0"], "--steps"),
        (["cells", "train", "--task", "nope"], "invalid choice"),
        (["cells", "check", "--cell", "gru"], "invalid choice"),
        (["nosuchtask"], "invalid choice"),
        (["cells", "train", "--out", "model.txt", "--steps", "1"], ".npz"),
        (["cells", "shapes", "--n-a", "100000"], "n_a must be between"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str], needle: str) -> None:
    code, out, err = run_cli(capsys, *argv)
    assert code == 2
    assert out == ""
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and needle in lines[0]
    assert "Traceback" not in err


def test_help_lists_tasks_and_verbs(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "--help")
    assert code == 0 and "cells" in out and "--tab" in out
    code, out, _ = run_cli(capsys, "cells", "--help")
    assert code == 0 and all(verb in out for verb in ("check", "train", "shapes"))


@pytest.mark.parametrize("task", ["cells", "dinos", "jazz", "vectors", "emojify", "dates"])
def test_a_task_without_a_verb_prints_its_help_as_a_usage_error(capsys: pytest.CaptureFixture[str], task: str) -> None:
    code, out, err = run_cli(capsys, task)
    assert code == 2 and out == "" and f"usage: seqtui {task}" in err and "VERB" in err


def test_console_script_runs_without_textual_or_tensorflow() -> None:
    """The headless path imports neither the UI toolkit nor TensorFlow."""
    code = (
        "import sys; from seqtui.cli import main; rc = main(['cells', 'shapes', '--json']);"
        "bad = [m for m in ('textual', 'tensorflow', 'keras', 'music21') if m in sys.modules];"
        "print(bad, file=sys.stderr); sys.exit(rc or (3 if bad else 0))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["cell"] == "lstm"


def test_python_dash_m_entry_point() -> None:
    proc = subprocess.run([sys.executable, "-m", "seqtui", "--version"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.startswith("seqtui ")


@pytest.mark.parametrize("argv", [
    ["cells", "check"], ["cells", "shapes"], ["cells", "train"], ["dinos", "sample"], ["dinos", "train"],
    ["jazz", "generate"], ["jazz", "train"], ["emojify", "train"], ["dates", "train"], ["dates", "eval"],
    ["dates", "generate"],
])
@pytest.mark.parametrize("seed", ["-1", "4294967296", "1.5"])
def test_a_bad_seed_is_refused_before_any_work(capsys: pytest.CaptureFixture[str], argv: list[str], seed: str) -> None:
    code, out, err = run_cli(capsys, *argv, "--seed", seed)
    assert code == 2 and "--seed" in err and "from 0 to 4,294,967,295" in err and seed in err
    assert len(err.strip().splitlines()) == 1 and not out


@pytest.mark.parametrize("argv", [
    ["cells", "train", "--out", "{dir}/x.npz"], ["dinos", "train", "--out", "{dir}/x.npz"],
    ["emojify", "train", "--model", "v1", "--out", "{dir}/x.npz"], ["emojify", "train", "--model", "v2", "--out", "{dir}/x.keras"],
    ["dates", "train", "--out", "{dir}/x.keras"], ["jazz", "train", "--out", "{dir}/x.keras"],
    ["jazz", "generate", "--midi-out", "{dir}/x.mid"], ["jazz", "generate", "--wav-out", "{dir}/x.wav"],
])
@pytest.mark.parametrize("folder", ["/proc", "{tmp}/missing"])
def test_an_output_path_is_checked_before_the_work(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                   argv: list[str], folder: str) -> None:
    where = folder.format(tmp=tmp_path)
    code, out, err = run_cli(capsys, *[a.format(dir=where) for a in argv])
    assert code == 2 and "Cannot save" in err and len(err.strip().splitlines()) == 1 and not out
    assert not (tmp_path / "missing").exists()
