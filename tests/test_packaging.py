"""The installed packages are ours, and the wheel carries the app's styles and the data."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import models
import seqtui
from models.paths import data_dir

ROOT = Path(__file__).resolve().parents[1]


def test_top_level_models_package_is_ours() -> None:
    # `models` is a common name: make sure no other distribution shadows it.
    assert set(importlib.metadata.packages_distributions()["models"]) == {"seqtui"}
    folder = Path(models.__file__).resolve().parent
    assert (folder / "training.py").is_file() and (folder / "cells.py").is_file()
    assert folder.parent == Path(seqtui.__file__).resolve().parent.parent


def test_data_is_found_from_the_checkout() -> None:
    assert (data_dir() / "README.md").is_file()


@pytest.mark.slow
def test_wheel_carries_styles_and_data(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    wheel = next(tmp_path.glob("seqtui-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"seqtui/app.tcss", "seqtui_data/README.md", "seqtui_data/__init__.py", "models/cells.py"} <= names
    assert "seqtui/tabs/cells.py" in names and "seqtui/cli/cells.py" in names
    assert not any(name.startswith("tests/") for name in names)
    # Installed from the wheel (no checkout around it), the data is found as `seqtui_data`.
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    code = f"import sys; sys.path.insert(0, {str(target)!r}); from models.paths import data_dir; print(data_dir())"
    found = subprocess.run([sys.executable, "-I", "-S", "-c", code], capture_output=True, text=True, timeout=60)
    assert found.returncode == 0, found.stderr
    assert Path(found.stdout.strip()) == target / "seqtui_data"
