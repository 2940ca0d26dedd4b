"""Tests for the cells door (seqtui_models.cells): what it exports, and that it imports no UI."""

from __future__ import annotations

import subprocess
import sys

import seqtui_models.cells as cells


def test_the_door_exports_the_course_functions_and_the_tab_s_api() -> None:
    for name in cells.__all__:
        assert callable(getattr(cells, name)) or name.isupper(), name
    course = {f"{cell}_{part}" for cell in ("rnn", "lstm") for part in ("cell_forward", "cell_backward", "forward", "backward")}
    assert course | {"gradient_check", "explore", "train", "load_model", "TrainConfig"} <= set(cells.__all__)
    assert cells.train.__module__ == "seqtui_models.cells.toy_tasks"  # the function, not a module of that name


def test_cells_package_imports_no_ui_and_no_keras() -> None:
    code = (
        "import sys, seqtui_models.cells; "
        "sys.exit(bool({'textual', 'rich', 'keras', 'tensorflow'} & set(sys.modules)))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
