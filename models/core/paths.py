"""Where seqtui finds its bundled data and keeps the user's models."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

from seqtui_models.core.errors import DataFileError, InvalidInput


def data_dir() -> Path:
    """Return the folder of bundled data (the package ``seqtui_models.data``, ``data/`` in a checkout).

    ``SEQTUI_DATA`` overrides it (useful for tests and packagers).
    """
    override = os.environ.get("SEQTUI_DATA")
    if override:
        return Path(override)
    try:
        root = files("seqtui_models.data")
    except ModuleNotFoundError as exc:  # pragma: no cover - a broken install
        raise DataFileError("seqtui's bundled data is missing — reinstall seqtui (pip install seqtui).") from exc
    if not isinstance(root, Path):  # pragma: no cover - e.g. imported from a zip file
        raise DataFileError("seqtui's bundled data must be installed as files — reinstall seqtui with pip.")
    return root


def data_file(name: str) -> Path:
    """Return the path of a bundled data file, or raise a clear error if it is missing."""
    path = data_dir() / name
    if not path.is_file():
        raise DataFileError(f"Bundled file {name} is missing from {path.parent} — reinstall seqtui.")
    return path


def seqtui_home() -> Path:
    """Return the seqtui home: ``SEQTUI_HOME``, else the platform's (``~/.local/share/seqtui`` on Linux).

    It holds ``models/`` (the user's own models), ``runs/`` (the run registry), ``logs/`` and
    ``cache/``. Not created here: each user of a subfolder creates it.
    """
    override = os.environ.get("SEQTUI_HOME")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path("seqtui", appauthor=False)


def user_models_dir() -> Path:
    """Return (and create) the per-user folder where trained models are saved (in :func:`seqtui_home`)."""
    folder = seqtui_home() / "models"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def check_writable(path: str | Path) -> Path:
    """Check, before any long work, that a file can be written at ``path``; return it.

    The folder must exist already (a typo in it is not silently created) and take a new file
    (probed by creating and removing one: this also catches read-only mounts and /proc); the
    path must not be a folder.

    Raises:
        InvalidInput: with what is wrong and what to do.
    """
    path = Path(path).expanduser()
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder: give a file name in it (for example {path / 'model'}…).")
    folder = path.parent
    if not folder.is_dir():
        what = "is a file, not a folder" if folder.exists() else "does not exist"
        raise InvalidInput(f"Cannot save {path.name}: the folder {folder} {what} — create it or choose another.")
    try:
        fd, probe = tempfile.mkstemp(prefix=".seqtui-probe-", dir=folder)
    except OSError as exc:
        raise InvalidInput(f"Cannot save in {folder} ({exc.strerror or exc}) — choose a folder you can write to.") from None
    os.close(fd)
    os.unlink(probe)
    return path


def atomic_write(path: Path, write: Callable[[Path], None]) -> Path:
    """Write a file atomically: ``write`` fills a temporary file that is then renamed.

    A crash or Ctrl+C midway leaves the old file (if any) untouched and no half-written file.

    Args:
        path: The final destination.
        write: Called with the temporary path; it must create that file. The temporary name
            keeps ``path``'s suffix, so writers that check extensions (numpy, Keras) are happy.

    Returns:
        ``path``, for chaining.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the usual mode
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path
