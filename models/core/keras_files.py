"""Keras model files with seqtui's metadata: one ``.keras`` zip, ``seqtui.json`` inside.

Keras ignores files it does not know in its archive, so the metadata a task needs to use a
network (its vocabulary, labels, config, metrics) travels in the same file and can be read
without importing Keras. Networks load with ``safe_mode=True``: no code runs from a file.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

from seqtui_models.core.errors import InvalidInput, ModelFileError
from seqtui_models.core.paths import atomic_write

META_NAME = "seqtui.json"


def save_keras(path: str | Path, net: Any, meta: dict[str, Any], what: str) -> Path:
    """Save ``net`` and ``meta`` atomically (a temporary file, then a rename).

    Args:
        path: The ``.keras`` file to write.
        net: The Keras model.
        meta: JSON-ready metadata; it must hold the file's ``format``.
        what: What the file is, for the message about a wrong suffix ("Date models").

    Raises:
        InvalidInput: the path does not end in ``.keras`` (Keras refuses other names).
    """
    path = Path(path)
    if path.suffix != ".keras":
        raise InvalidInput(f"{what} are .keras files (got {path.name}); pass --out NAME.keras.")

    def write(tmp: Path) -> None:
        net.save(tmp)
        with zipfile.ZipFile(tmp, "a", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(META_NAME, json.dumps(meta, ensure_ascii=False, default=float))

    return atomic_write(path, write)


def read_meta(path: str | Path, fmt: str, what: str, hint: str) -> dict[str, Any]:
    """The metadata of a file written by :func:`save_keras`, without importing Keras.

    Args:
        path: The file.
        fmt: The ``format`` it must declare (e.g. ``"seqtui-dates/1"``).
        what: What it should be, with its article ("a seqtui date model").
        hint: What the user can do instead, ending the messages.

    Raises:
        ModelFileError: missing, not a zip, without our metadata, or of another format.
    """
    path = Path(path)
    if not path.is_file():
        raise ModelFileError(f"No such model file: {path} — {hint}.")
    try:
        with zipfile.ZipFile(path) as archive:
            if META_NAME not in archive.namelist():
                raise ModelFileError(f"{path} is not {what} (no {META_NAME} inside) — {hint}.")
            meta = json.loads(archive.read(META_NAME).decode("utf-8"))
    except ModelFileError:
        raise
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        raise ModelFileError(f"{path} is not {what}: it cannot be read ({exc}) — {hint}.") from None
    found = meta.get("format") if isinstance(meta, dict) else None
    if found != fmt:
        raise ModelFileError(f"{path} is a {found!r} file, not {what} ({fmt!r}) — {hint}.")
    return meta  # type: ignore[no-any-return]


def load_net(path: str | Path, hint: str) -> Any:
    """Load the Keras network of a model file with ``safe_mode=True`` (uncompiled).

    Raises:
        ModelFileError: Keras cannot load it.
    """
    import keras

    try:
        return keras.saving.load_model(path, safe_mode=True, compile=False)
    except Exception as exc:  # noqa: BLE001 - Keras raises many kinds for a broken file; all mean "not loadable"
        raise ModelFileError(f"{path} could not be loaded by Keras ({type(exc).__name__}: {exc}) — {hint}.") from None
