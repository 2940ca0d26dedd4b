"""Model files, one format for every task: a zip archive with ``seqtui.json`` inside.

A numpy model is an ``.npz`` (``np.savez``), a Keras model a ``.keras`` file; both are zip
archives, and both carry the same metadata member, ``seqtui.json``: the file's ``format``
(task and version, e.g. ``"seqtui-dinos/2"``) and whatever the task needs to use the weights
(vocabulary, labels, config, metrics …). So:

- a model and its metadata are written in one atomic step (a temporary file, then a rename);
- :func:`read_meta` reads any model file's metadata without numpy arrays or Keras;
- a file of another task or version is refused with one message naming what it is.

Arrays are read with ``allow_pickle=False`` and Keras networks with ``safe_mode=True``: no code
ever runs from a model file. ``.npz`` files written before ``seqtui.json`` existed kept their
format in an array named ``format``; they are still read.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from seqtui_models.core.errors import InvalidInput, ModelFileError
from seqtui_models.core.paths import atomic_write

META_NAME = "seqtui.json"
"""The metadata member of every model file."""

_UNREADABLE = (OSError, ValueError, KeyError, TypeError, EOFError, InvalidInput, zipfile.BadZipFile)


def article(what: str) -> str:
    """The indefinite article of ``what``: "an" before a vowel ("an emojify run"), else "a"."""
    return "an" if what[:1].lower() in "aeiou" else "a"


def _check_suffix(path: Path, suffix: str, what: str) -> None:
    if path.suffix != suffix:
        raise InvalidInput(f"{what} files end in {suffix} (got {path.name}); pass --out NAME{suffix}.")


def _append_meta(archive_path: Path, meta: Mapping[str, Any]) -> None:
    if "format" not in meta:
        raise ValueError("model metadata must name its format")
    with zipfile.ZipFile(archive_path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(META_NAME, json.dumps(dict(meta), ensure_ascii=False, default=float))


def save_npz(path: str | Path, arrays: Mapping[str, Any], meta: Mapping[str, Any], what: str) -> Path:
    """Write numpy arrays and their metadata to one ``.npz`` file, atomically.

    Args:
        path: The file to write (it must end in ``.npz``).
        arrays: The weights; every value becomes a plain numpy array (no object arrays: they
            would need pickling, which is refused).
        meta: JSON-ready metadata holding at least the file's ``format``.
        what: What the file is, for the message about a wrong suffix ("Dinosaur Island model").

    Raises:
        InvalidInput: the path does not end in ``.npz``.
    """
    path = Path(path)
    _check_suffix(path, ".npz", what)
    plain = {name: np.asarray(value) for name, value in arrays.items()}
    if META_NAME in plain or any(value.dtype == object for value in plain.values()):
        raise ValueError("arrays must be plain numbers or strings, and not named like the metadata")

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as handle:
            np.savez(handle, allow_pickle=False, **plain)
        _append_meta(tmp, meta)

    return atomic_write(path, write)


def save_keras(path: str | Path, net: Any, meta: Mapping[str, Any], what: str) -> Path:
    """Write a Keras network and its metadata to one ``.keras`` file, atomically.

    Keras ignores archive members it does not know, so ``seqtui.json`` rides along.

    Raises:
        InvalidInput: the path does not end in ``.keras`` (Keras refuses other names).
    """
    path = Path(path)
    _check_suffix(path, ".keras", what)

    def write(tmp: Path) -> None:
        net.save(tmp)
        _append_meta(tmp, meta)

    return atomic_write(path, write)


def read_meta(path: str | Path, fmt: str, what: str, hint: str) -> dict[str, Any]:
    """The metadata of a model file (either kind), checked to be of format ``fmt``.

    Args:
        path: The file.
        fmt: The ``format`` it must declare (e.g. ``"seqtui-dates/1"``).
        what: What it should be, for messages ("date model").
        hint: What the user can do instead, ending the messages.

    Raises:
        ModelFileError: missing, a folder, not a zip archive, without metadata, or of another format.
    """
    path = Path(path)
    an = article(what)
    if not path.exists():
        raise ModelFileError(f"No such model file: {path} — {hint}.")
    if not path.is_file():
        raise ModelFileError(f"{path} is a folder, not {an} {what} — {hint}.")
    try:
        if not zipfile.is_zipfile(path):  # numpy would take any other file for a pickle and say so
            raise ModelFileError(f"{path} is not {an} {what} (not a model archive) — {hint}.")
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if META_NAME in names:
                meta = json.loads(archive.read(META_NAME).decode("utf-8"))
            elif "format.npy" in names:  # an .npz written before seqtui.json existed
                with np.load(path, allow_pickle=False) as data:
                    meta = {"format": str(data["format"])}
            else:
                raise ModelFileError(f"{path} is not {an} {what} (no {META_NAME} inside; it may belong to "
                                     f"another program) — {hint}.")
    except ModelFileError:
        raise
    except _UNREADABLE as exc:
        raise ModelFileError(f"{path} is not a readable {what} ({exc}) — {hint}.") from None
    found = meta.get("format") if isinstance(meta, dict) else None
    if found != fmt:
        raise ModelFileError(f"{path} is a {found!r} file, not {an} {what} ({fmt!r}) — {hint}.")
    return meta  # type: ignore[no-any-return]


@contextmanager
def open_npz(path: str | Path, fmt: str, what: str, hint: str) -> Iterator[tuple[Any, dict[str, Any]]]:
    """Open an ``.npz`` model of format ``fmt`` (``allow_pickle=False``): yields its arrays and metadata.

    Raises:
        ModelFileError: as :func:`read_meta`, or an error while the ``with`` block reads it (a
            missing array, a bad value …).
    """
    meta = read_meta(path, fmt, what, hint)
    try:
        with np.load(path, allow_pickle=False) as data:
            yield data, meta
    except ModelFileError:
        raise
    except _UNREADABLE as exc:
        raise ModelFileError(f"{path} is not a readable {what} ({exc}) — {hint}.") from None


_KERAS_UNREADABLE = (TypeError, ValueError, KeyError, IndexError, OSError, EOFError, zipfile.BadZipFile)
"""What Keras raises for a damaged .keras file (found by truncating and flipping bytes of real ones, and of
their config.json and weights inside: TypeError and ValueError from deserialising, UnicodeDecodeError,
JSONDecodeError, BadZipFile)."""


def load_net(path: str | Path, hint: str) -> Any:
    """Load the Keras network of a model file with ``safe_mode=True`` (uncompiled).

    Raises:
        ModelFileError: Keras cannot load it.
    """
    import keras

    try:
        return keras.saving.load_model(path, safe_mode=True, compile=False)
    except _KERAS_UNREADABLE as exc:  # other kinds (AttributeError, NameError…) are bugs: they go on up
        raise ModelFileError(f"{path} could not be loaded by Keras ({type(exc).__name__}: {exc}) — {hint}.") from None
