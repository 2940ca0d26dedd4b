"""seqtui installs under its own import names only, and a user's own `models/` cannot shadow it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import seqtui
import seqtui_models
from seqtui_models.core.paths import data_dir

ROOT = Path(__file__).resolve().parents[1]
OUR_TOP_LEVEL = {"seqtui", "seqtui_models"}


def test_backends_come_from_this_checkout() -> None:
    folder = Path(seqtui_models.__file__).resolve().parent
    assert folder == ROOT / "models"
    assert Path(seqtui.__file__).resolve().parent == ROOT / "seqtui"


def test_data_is_found_from_the_checkout() -> None:
    assert data_dir() == ROOT / "data"
    assert (data_dir() / "README.md").is_file()


def make_lookalike_project(folder: Path) -> Path:
    """A user's ML project with its own `models` and `data` packages, which must not shadow ours."""
    for name in ("models", "data", "seqtui_data"):
        package = folder / name
        package.mkdir(parents=True)
        (package / "__init__.py").write_text(f"raise ImportError('the user project\\'s own {name} was imported')\n")
    (folder / "models" / "training.py").write_text("raise ImportError('the user project\\'s models.training')\n")
    return folder


def run_cells_check(cwd: Path, prelude: str = "") -> dict[str, object]:
    code = f"{prelude}import runpy, sys; sys.argv = ['seqtui', 'cells', 'check', '--json']; runpy.run_module('seqtui', run_name='__main__')"
    proc = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def test_cli_runs_in_a_folder_with_its_own_models_and_data(tmp_path: Path) -> None:
    project = make_lookalike_project(tmp_path / "project")
    report = run_cells_check(project)
    assert set(report) >= {"rnn", "lstm"}


@pytest.mark.slow
def test_wheel_installs_only_our_names_and_works_beside_a_lookalike_project(tmp_path: Path) -> None:
    # Built from a copy of the tracked files: a stale build/ folder in the checkout cannot leak in.
    source = tmp_path / "source"
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for name in tracked:
        if name.split("/")[0] in {"seqtui", "models", "data", "pyproject.toml", "README.md"}:
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    wheel = next(tmp_path.glob("seqtui-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    top_level = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert top_level == OUR_TOP_LEVEL
    assert {"seqtui/app.tcss", "seqtui_models/data/README.md", "seqtui_models/data/dinos.npz",
            "seqtui_models/core/training.py", "seqtui_models/dinos/__init__.py"} <= names
    assert "seqtui/tabs/cells.py" in names and "seqtui/cli/cells.py" in names
    # Installed from the wheel (no checkout around it) and run from a project with its own
    # `models/` and `data/` packages, seqtui finds its own code and data.
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    project = make_lookalike_project(tmp_path / "project")
    prelude = f"import sys; sys.path.insert(0, {str(target)!r}); "
    found = subprocess.run(
        [sys.executable, "-c", prelude + "from seqtui_models.core.paths import data_dir; print(data_dir())"],
        cwd=project, capture_output=True, text=True, timeout=60,
    )
    assert found.returncode == 0, found.stderr
    assert Path(found.stdout.strip()) == target / "seqtui_models" / "data"
    assert set(run_cells_check(project, prelude)) >= {"rnn", "lstm"}
