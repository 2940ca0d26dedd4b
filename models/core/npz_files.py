"""numpy model files (``.npz``): opened without unpickling, checked for their format entry.

Every ``.npz`` model seqtui writes has a ``format`` entry naming its kind and version, so a file
of another task or version is refused with one message instead of failing on a missing array.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from seqtui_models.core.errors import InvalidInput, ModelFileError


@contextmanager
def open_npz(path: str | Path, fmt: str, what: str, hint: str) -> Iterator[Any]:
    """Open a model file of format ``fmt`` (``allow_pickle=False``) for reading its arrays.

    Args:
        path: The ``.npz`` file.
        fmt: The ``format`` entry it must have, e.g. ``"seqtui-emojify-v1/1"``.
        what: What it should be, for messages ("Dinosaur Island model").
        hint: What the user can do instead, ending the messages.

    Raises:
        ModelFileError: missing, not an .npz (zip) archive, without or with another ``format`` entry, or an
            error while the ``with`` block reads it (a missing array, a bad value …).
    """
    path = Path(path)
    article = "an" if what[:1].lower() in "aeiou" else "a"
    if not path.is_file():
        raise ModelFileError(f"No such model file: {path} — {hint}.")
    if not zipfile.is_zipfile(path):  # numpy would take any other file for a pickle and say so
        raise ModelFileError(f"{path} is not {article} {what} (not an .npz archive) — {hint}.")
    try:
        with np.load(path, allow_pickle=False) as data:
            if "format" not in data.files:
                raise ModelFileError(f"{path} is not {article} {what} (no 'format' entry; it may belong to "
                                     f"another seqtui task) — {hint}.")
            found = str(data["format"])
            if found != fmt:
                raise ModelFileError(f"{path} is a {found!r} file, not {fmt!r} — {hint}.")
            yield data
    except ModelFileError:
        raise
    except (OSError, ValueError, KeyError, TypeError, EOFError, InvalidInput, zipfile.BadZipFile) as exc:
        raise ModelFileError(f"{path} is not a readable {what} ({exc}) — {hint}.") from None
