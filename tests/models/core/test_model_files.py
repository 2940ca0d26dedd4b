"""Model files: one format (a zip with seqtui.json) for .npz and .keras, one message per way it can be wrong."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seqtui_models.core.errors import InvalidInput, ModelFileError
from seqtui_models.core.model_files import META_NAME, open_npz, read_meta, save_npz


def test_arrays_and_metadata_are_written_together_and_read_back(tmp_path: Path) -> None:
    path = save_npz(tmp_path / "m.npz", {"W": np.ones((2, 3)), "chars": np.array(["a", "b"])},
                    {"format": "kind/1", "config": {"n_a": 4}}, "example model")
    assert META_NAME in zipfile.ZipFile(path).namelist()
    assert read_meta(path, "kind/1", "example model", "train one") == {"format": "kind/1", "config": {"n_a": 4}}
    with open_npz(path, "kind/1", "example model", "train one") as (data, meta):
        assert data["W"].shape == (2, 3) and list(data["chars"]) == ["a", "b"]
        assert meta["config"] == {"n_a": 4}
    assert os.listdir(tmp_path) == ["m.npz"]  # written in one step: no temporary file left


def test_a_model_file_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"end in \.npz"):
        save_npz(tmp_path / "m.keras", {"W": np.ones(2)}, {"format": "kind/1"}, "Example model")
    with pytest.raises(ValueError):
        save_npz(tmp_path / "m.npz", {"W": np.array([{"a": 1}], dtype=object)}, {"format": "kind/1"}, "Example model")
    assert os.listdir(tmp_path) == []


def test_files_written_before_seqtui_json_still_open(tmp_path: Path) -> None:
    legacy = tmp_path / "legacy.npz"
    np.savez(legacy, format=np.array("kind/1"), W=np.ones(2))
    with open_npz(legacy, "kind/1", "example model", "train one") as (data, meta):
        assert meta == {"format": "kind/1"} and data["W"].shape == (2,)


def test_every_bad_file_gets_one_message(tmp_path: Path) -> None:
    good = save_npz(tmp_path / "good.npz", {"W": np.ones((2, 3))}, {"format": "kind/1"}, "example model")
    other = save_npz(tmp_path / "other.npz", {"W": np.ones(2)}, {"format": "kind/2"}, "example model")
    no_meta = tmp_path / "no_meta.npz"
    np.savez(no_meta, W=np.ones(2))
    text = tmp_path / "text.npz"
    text.write_text("not numpy")
    objects = tmp_path / "objects.npz"
    np.savez(objects, format=np.array("kind/1"), W=np.array([{"a": 1}], dtype=object))
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    bad_json = tmp_path / "bad_json.npz"
    with zipfile.ZipFile(bad_json, "w") as archive:
        archive.writestr(META_NAME, "{not json")
    for path, needle in (
        (tmp_path / "missing.npz", "No such model file"),
        (tmp_path, "is a folder"),
        (text, "not an example model (not a model archive)"),
        (truncated, "not an example model (not a model archive)"),
        (no_meta, f"no {META_NAME} inside"),
        (bad_json, "not a readable example model"),
        (other, "'kind/2' file, not an example model ('kind/1')"),
        (good, "not a readable example model"),  # an array the reader asks for is missing
        (objects, "not a readable example model"),  # pickled objects are refused, never loaded
    ):
        with pytest.raises(ModelFileError, match="train one") as caught:
            with open_npz(path, "kind/1", "example model", "train one") as (data, _):
                data["missing" if path == good else "W"]
        assert needle in str(caught.value)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(inner=st.sampled_from(["", "config.json", "model.weights.h5"]), cut=st.floats(0.0, 1.0),
       flips=st.lists(st.tuples(st.floats(0.0, 1.0), st.integers(0, 255)), max_size=10))
def test_a_damaged_keras_file_is_a_model_file_error_never_another_exception(
        tmp_path_factory: pytest.TempPathFactory, inner: str, cut: float, flips: list[tuple[float, int]]) -> None:
    """The bundled dates network, damaged as a whole or inside (its config or weights): loading it gives
    a network or ModelFileError; load_net catches what Keras raises for broken files, not everything."""
    from seqtui_models.core.model_files import load_net
    from seqtui_models.core.paths import data_file

    def damage(data: bytes) -> bytes:
        out = bytearray(data)
        for where, value in flips:
            out[int(where * (len(out) - 1))] = value
        return bytes(out[: max(1, int(cut * len(out)))]) if cut < 1 else bytes(out)

    source = data_file("dates.keras").read_bytes()
    path = tmp_path_factory.mktemp("keras") / "damaged.keras"
    if inner:
        import io

        with zipfile.ZipFile(io.BytesIO(source)) as original, zipfile.ZipFile(path, "w") as copy:
            for name in original.namelist():
                data = original.read(name)
                copy.writestr(name, damage(data) if name == inner else data)
    else:
        path.write_bytes(damage(source))
    try:
        load_net(path, "retrain it")
    except ModelFileError as exc:
        assert "damaged.keras" in str(exc)
