"""``seqtui runs …`` and run ids wherever a model is taken: JSON shapes, text, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_helpers import run_cli

NAMES = "\n".join(["tyrannosaurus", "triceratops", "stegosaurus", "velociraptor", "allosaurus", "diplodocus",
                   "iguanodon", "spinosaurus", "ankylosaurus", "gallimimus", "oviraptor", "troodon"]) + "\n"


def train(capsys: pytest.CaptureFixture[str], names: Path, *extra: str) -> dict:
    code, out, err = run_cli(capsys, "dinos", "train", "--names", str(names), "--hidden", "8", "--steps", "20",
                             "--seed", "2", *extra, "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture()
def names(tmp_path: Path) -> Path:
    path = tmp_path / "names.txt"
    path.write_text(NAMES, encoding="utf-8")
    return path


def test_list_show_compare_and_remove(capsys: pytest.CaptureFixture[str], names: Path) -> None:
    code, out, _ = run_cli(capsys, "runs", "list")
    assert code == 0 and out.startswith("No runs yet")
    first = train(capsys, names)["run"]
    second = train(capsys, names, "--lr", "0.05")["run"]
    code, out, _ = run_cli(capsys, "runs", "list", "--json")
    listed = json.loads(out)["runs"]
    assert {r["id"] for r in listed} == {first, second}
    assert listed[0]["created"] >= listed[1]["created"]  # newest first
    assert set(listed[0]) == {"id", "task", "created", "preset", "headline", "status"}
    assert listed[0]["headline"]["name"] == "val_nll" and listed[0]["status"] == "finished"
    code, out, _ = run_cli(capsys, "runs", "list", "--task", "jazz", "--json")
    assert json.loads(out) == {"runs": []}
    code, out, _ = run_cli(capsys, "runs", "show", second, "--json")
    shown = json.loads(out)
    assert shown["command"].startswith("seqtui dinos train") and "--lr 0.05" in shown["command"]
    assert shown["model"].endswith("model.npz") and shown["history"][0][0] == 1
    code, out, _ = run_cli(capsys, "runs", "show", second)
    assert code == 0 and "command: seqtui dinos train" in out and "val_nll" in out
    code, out, _ = run_cli(capsys, "runs", "compare", first, second, "--json")
    comparison = json.loads(out)
    assert comparison["differences"] == ["lr"] and comparison["config"]["lr"] == [0.01, 0.05]
    code, out, _ = run_cli(capsys, "runs", "compare", first, second)
    assert code == 0 and "lr" in out and "val_nll" in out
    code, out, _ = run_cli(capsys, "runs", "rm", first, "--json")
    assert json.loads(out) == {"removed": first}
    code, out, _ = run_cli(capsys, "runs", "list", "--json")
    assert [r["id"] for r in json.loads(out)["runs"]] == [second]


@pytest.mark.parametrize("argv, says", [
    (["runs", "show", "dinos-1999"], "No run 'dinos-1999'"),
    (["runs", "rm", "nope"], "No run 'nope'"),
    (["runs", "compare", "nope", "nope"], "No run"),
    (["dinos", "sample", "--model", "dinos-1999-0101"], "No such file or run"),
    (["dinos", "train", "--resume", "dinos-1999"], "No run"),
])
def test_unknown_runs_are_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str], says: str) -> None:
    code, out, err = run_cli(capsys, *argv)
    assert code == 2 and not out and len(err.strip().splitlines()) == 1 and says in err


def test_a_run_id_is_a_model_and_a_run_can_be_resumed(capsys: pytest.CaptureFixture[str], names: Path) -> None:
    run = train(capsys, names)["run"]
    code, out, err = run_cli(capsys, "dinos", "sample", "--model", run[:-1], "-n", "3", "--seed", "1", "--json")
    assert code == 0, err
    assert len(json.loads(out)["names"]) == 3
    code, out, err = run_cli(capsys, "dinos", "eval", "--model", run, "--names", str(names), "--json")
    assert code == 0, err
    code, out, err = run_cli(capsys, "dinos", "train", "--resume", run, "--steps", "10", "--json")
    assert code == 0, err
    resumed = json.loads(out)
    assert resumed["steps"] == 30 and resumed["total"] == 30
    code, out, _ = run_cli(capsys, "runs", "show", resumed["run"], "--json")
    assert json.loads(out)["resumed_from"] == run
    code, out, err = run_cli(capsys, "runs", "compare", run, run)
    assert code == 2 and "two different runs" in err


def test_a_runs_state_string_and_a_bad_one(capsys: pytest.CaptureFixture[str], names: Path) -> None:
    from seqtui.cli import main
    from seqtui.state import decode_state
    from seqtui.tabs import TAB_IDS

    run = train(capsys, names)["run"]
    code, out, _ = run_cli(capsys, "runs", "show", run, "--json")
    state = decode_state(json.loads(out)["state"], tuple(TAB_IDS))
    assert state.tab == "dinos" and state.view == "view-train" and state.fields["dinos-hidden"] == "8"
    opened: list[tuple[object, object]] = []
    assert main(["--state", json.loads(out)["state"]], lambda tab, state=None: opened.append((tab, state)) or 0) == 0
    assert opened == [("dinos", state)]
    with pytest.raises(SystemExit) as exited:
        main(["--state", "seqtui1:garbage!"], lambda tab, state=None: 0)
    err = capsys.readouterr().err
    assert exited.value.code == 2 and "damaged" in err and len(err.strip().splitlines()) == 1
