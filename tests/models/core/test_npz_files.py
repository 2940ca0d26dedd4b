"""open_npz: one ModelFileError for every way a .npz model file can be wrong."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from seqtui_models.core.errors import ModelFileError
from seqtui_models.core.npz_files import open_npz


def test_a_good_file_opens_and_every_bad_one_gets_one_message(tmp_path: Path) -> None:
    good = tmp_path / "good.npz"
    np.savez(good, format=np.array("kind/1"), W=np.ones((2, 3)))
    with open_npz(good, "kind/1", "example model", "train one") as data:
        assert data["W"].shape == (2, 3)

    other = tmp_path / "other.npz"
    np.savez(other, format=np.array("kind/2"))
    no_format = tmp_path / "no_format.npz"
    np.savez(no_format, W=np.ones(2))
    text = tmp_path / "text.npz"
    text.write_text("not numpy")
    objects = tmp_path / "objects.npz"
    np.savez(objects, format=np.array("kind/1"), W=np.array([{"a": 1}], dtype=object))
    for path, needle in (
        (tmp_path / "missing.npz", "No such model file"),
        (text, "not an example model (not an .npz archive)"),
        (no_format, "no 'format' entry"),
        (other, "'kind/2' file, not 'kind/1'"),
        (good, "not a readable example model"),  # an array the reader asks for is missing
        (objects, "not a readable example model"),  # pickled objects are refused, never loaded
    ):
        with pytest.raises(ModelFileError, match="train one") as caught:
            with open_npz(path, "kind/1", "example model", "train one") as data:
                data["missing" if path == good else "W"]
        assert needle in str(caught.value)
