"""Atomic saves and the per-user models folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from seqtui_models.core.paths import atomic_write, user_models_dir


def test_atomic_write_replaces_whole_files(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "model.npz"
    atomic_write(target, lambda p: p.write_bytes(b"first"))
    atomic_write(target, lambda p: p.write_bytes(b"second"))
    assert target.read_bytes() == b"second"
    assert sorted(os.listdir(target.parent)) == ["model.npz"]  # no temporary files left
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_a_failed_write_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "model.npz"
    target.write_bytes(b"old")

    def broken(path: Path) -> None:
        path.write_bytes(b"half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, broken)
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["model.npz"]


def test_models_folder_follows_seqtui_home(seqtui_home: Path) -> None:
    assert user_models_dir() == seqtui_home / "models" and user_models_dir().is_dir()


def test_check_writable_refuses_before_any_work(tmp_path: Path) -> None:
    from seqtui_models.core.errors import InvalidInput
    from seqtui_models.core.paths import check_writable

    assert check_writable(tmp_path / "model.npz") == tmp_path / "model.npz"
    assert list(tmp_path.iterdir()) == []  # the probe leaves nothing behind
    with pytest.raises(InvalidInput, match="does not exist — create it"):
        check_writable(tmp_path / "missing" / "model.npz")
    assert not (tmp_path / "missing").exists()  # no folder is made on the way
    with pytest.raises(InvalidInput, match="is a folder"):
        check_writable(tmp_path)
    (tmp_path / "file").write_text("x")
    with pytest.raises(InvalidInput, match="is a file, not a folder"):
        check_writable(tmp_path / "file" / "model.npz")
    with pytest.raises(InvalidInput, match="Cannot save in /proc"):
        check_writable("/proc/model.npz")
