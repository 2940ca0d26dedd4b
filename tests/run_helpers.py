"""What the run-registry tests of every task share: re-running a recorded command, two runs side by side."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import pytest

from seqtui_models.core.runs import Run, list_runs
from seqtui.cli import main as cli_main


def rerun(command: str, task: str, capsys: pytest.CaptureFixture[str]) -> Run:
    """Run a recorded ``seqtui TASK train …`` command through the CLI; return the new run."""
    argv = shlex.split(command)
    assert argv[:3] == ["seqtui", task, "train"]
    before = {r.id for r in list_runs(task)}
    assert cli_main([*argv[1:], "--json"]) == 0
    capsys.readouterr()
    (new,) = [r for r in list_runs(task) if r.id not in before]
    assert list_runs(task)[0] == new  # and it is listed first, newest first
    return new


def two_runs(task: str, first: Any, second: Any, suffix: str) -> tuple[Run, Run]:
    """The runs of two results, each complete with its own model file (``model`` + ``suffix``)."""
    runs = {r.id: r for r in list_runs(task)}
    assert set(runs) == {first.metrics["run"], second.metrics["run"]}
    a, b = runs[first.metrics["run"]], runs[second.metrics["run"]]
    assert a.complete and b.complete and a.model_path is not None and b.model_path is not None
    assert a.model_path.name == f"model{suffix}" and a.model_path != b.model_path  # two runs, two files
    return a, b


def tiny_emojify_csv(folder: Path) -> Path:
    """Fifteen sentences of the course's five classes, three each (what the V2 tests train on)."""
    rows = [
        ("i love you so much", 0), ("my heart is yours", 0), ("hugs for my sweet dog", 0),
        ("we play soccer tonight", 1), ("the baseball game is on", 1), ("he scored a goal", 1),
        ("i am so happy today", 2), ("what a great day", 2), ("i got the job", 2),
        ("i feel sad and alone", 3), ("i miss you and cry", 3), ("the trip was cancelled", 3),
        ("pizza for dinner", 4), ("i want pasta and bread", 4), ("lets eat sushi", 4),
    ]
    path = folder / "tiny.csv"
    path.write_text("sentence,label\n" + "".join(f"{s},{label}\n" for s, label in rows), encoding="utf-8")
    return path
