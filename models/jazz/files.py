"""Jazz model files: one ``.keras`` archive holding the network and its metadata (nothing is unpickled or run).

A model is ``NAME.keras`` (:func:`seqtui_models.core.model_files.save_keras`): the one-step
network (built-in layers only, loaded in safe mode) and, inside the same zip, ``seqtui.json``,
written together in one atomic step::

    format          "seqtui-jazz/2"
    values          the vocabulary: value strings, index = position
    config          the TrainConfig
    pieces          per training piece: name, its value indices (for the novelty figure), its
                    chords [[start, duration, symbol], …] (to improvise over), beats per bar, tempo
    register        [lowest, highest] MIDI pitch a solo may use (the training melody's 2nd–98th
                    percentile)
    anchor          the pitch a first note is drawn near (the training melody's median)
    train_stats     the training music's statistics (:mod:`seqtui_models.jazz.stats`)
    metrics         loss (mean nats per value), epochs, seconds …

Loading reads the weights straight from the archive's HDF5 member with h5py (no Keras import:
the tab shows the bundled model at once), or through Keras when asked or when the layout is not
the expected one. Models saved before this format (``"seqtui-jazz/1"``) kept the same metadata
in ``NAME_values.json`` beside the ``.keras`` file; they still load.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from seqtui_models.core.errors import InvalidInput, ModelFileError
from seqtui_models.core.model_files import META_NAME, load_net, read_meta, save_keras
from seqtui_models.core.paths import data_file
from seqtui_models.jazz.config import TrainConfig
from seqtui_models.jazz.grammar import parse_value
from seqtui_models.jazz.model import CellWeights
from seqtui_models.jazz.stats import SoloStats
from seqtui_models.jazz.trained import JazzModel, PieceValues

FORMAT = "seqtui-jazz/2"
"""The format of a jazz model file: one ``.keras`` archive with ``seqtui.json`` inside."""
LEGACY_FORMAT = "seqtui-jazz/1"
"""The format of models whose metadata sat beside them in ``NAME_values.json``."""
DEFAULT_MODEL = "jazz.keras"
"""The pretrained model bundled in the data folder."""
WHAT = "jazz model"
HINT = "train one with 'seqtui jazz train', or leave --model out to use the bundled one"
_BROKEN = (OSError, ValueError, KeyError, TypeError, IndexError, InvalidInput)


def save_model(path: str | Path, model: JazzModel) -> Path:
    """Save the one-step network and its metadata to one ``.keras`` file, atomically.

    Raises:
        InvalidInput: the path does not end in ``.keras``.
    """
    from seqtui_models.jazz import model as jm

    reshaper, LSTM_cell, densor = jm.make_layers(model.n_values, model.weights.n_a)
    step = jm.step_model(LSTM_cell, densor, reshaper)
    w = model.weights
    LSTM_cell.set_weights([w.kernel, w.recurrent, w.bias])
    densor.set_weights([w.dense_kernel, w.dense_bias])
    meta = {
        "format": FORMAT, "values": list(model.values), "config": model.config.to_dict(),
        "pieces": [p.to_dict() for p in model.pieces], "register": list(model.register), "anchor": model.anchor,
        "train_stats": model.train_stats.to_dict() if model.train_stats else None,
        "metrics": dict(model.metrics),
    }
    return save_keras(path, step, meta, "Jazz model")


def _weights_with_keras(path: Path) -> CellWeights:
    """The weights, through ``keras.saving.load_model(safe_mode=True)``."""
    from seqtui_models.jazz import model as jm

    step = load_net(path, HINT)
    try:
        _, LSTM_cell, densor = jm.layers_of(step)
        return jm.weights_of(LSTM_cell, densor)
    except _BROKEN as exc:
        raise ModelFileError(f"{path.name} is not a readable {WHAT} ({str(exc)[:160]}) — {HINT}.") from None


def _weights_from_archive(path: Path) -> CellWeights | None:
    """The weights read straight from the ``.keras`` archive, without importing Keras.

    A ``.keras`` file is a zip of ``config.json`` and ``model.weights.h5``; for the one-step
    model (one LSTM with tanh/sigmoid, one softmax Dense) the arrays sit at fixed places in the
    HDF5 file. Only arrays are read — nothing is deserialised or executed. Returns ``None`` when
    the archive is laid out in any other way (another Keras version, say): the caller then asks
    Keras itself, which takes seconds to import.
    """
    try:
        import h5py
    except ImportError:  # pragma: no cover - h5py comes with Keras
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            config = json.loads(archive.read("config.json"))
            data = archive.read("model.weights.h5")
        layers = {layer["class_name"]: layer["config"] for layer in config["config"]["layers"]}
        kinds = [layer["class_name"] for layer in config["config"]["layers"]]
        if kinds.count("LSTM") != 1 or kinds.count("Dense") != 1:
            return None
        lstm, dense = layers["LSTM"], layers["Dense"]
        if (lstm.get("activation"), lstm.get("recurrent_activation"), lstm.get("use_bias"), dense.get("activation"),
                dense.get("use_bias")) != ("tanh", "sigmoid", True, "softmax", True):
            return None
        with h5py.File(io.BytesIO(data), "r") as weights_file:
            kernel, recurrent, bias = (np.array(weights_file[f"layers/lstm/cell/vars/{i}"], dtype=np.float64) for i in range(3))
            dense_kernel, dense_bias = (np.array(weights_file[f"layers/dense/vars/{i}"], dtype=np.float64) for i in range(2))
        return CellWeights(kernel, recurrent, bias, dense_kernel, dense_bias).check()
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile, InvalidInput):
        return None


def _legacy_meta(path: Path) -> dict[str, Any] | None:
    """The metadata of a ``"seqtui-jazz/1"`` model: ``NAME_values.json`` beside a ``.keras`` without its own.

    Returns ``None`` for any other file (:func:`read_meta` then says what it is).

    Raises:
        ModelFileError: the ``_values.json`` is broken or describes something else.
    """
    sidecar = path.with_name(f"{path.stem}_values.json")
    if path.suffix != ".keras" or not sidecar.is_file() or not zipfile.is_zipfile(path):
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            if META_NAME in archive.namelist():
                return None
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        raise ModelFileError(f"{sidecar.name} is broken ({exc}) — {HINT}.") from None
    if not isinstance(meta, dict) or meta.get("format") != LEGACY_FORMAT:
        raise ModelFileError(f"{sidecar.name} is not a seqtui jazz model description — {HINT}.")
    return meta


def _fields(meta: Mapping[str, Any], source: str) -> dict[str, Any]:
    """The metadata as :class:`JazzModel` fields, checked (``source`` names it in messages)."""
    try:
        fields: dict[str, Any] = {
            "values": tuple(str(v) for v in meta["values"]),
            "config": TrainConfig.from_dict(meta.get("config", {})),
            "pieces": tuple(PieceValues.from_dict(p) for p in meta.get("pieces", [])),
            "register": (int(meta["register"][0]), int(meta["register"][1])),
            "anchor": int(meta["anchor"]),
            "train_stats": SoloStats.from_dict(meta["train_stats"]) if meta.get("train_stats") else None,
            "metrics": dict(meta.get("metrics", {})),
        }
        for value in fields["values"]:
            parse_value(value)
    except _BROKEN as exc:
        raise ModelFileError(f"{source} is broken ({exc}) — {HINT}.") from None
    n_values = len(fields["values"])
    if any(not 0 <= i < n_values for p in fields["pieces"] for i in p.values):
        raise ModelFileError(f"{source} refers to values it does not list — {HINT}.")
    return fields


def load_model(path: str | Path, *, with_keras: bool = False) -> JazzModel:
    """Load a model saved by :func:`save_model` (or an older one with its ``_values.json``).

    The weights are read from the archive directly (fast: no Keras import) when it has the
    expected layout, else — or with ``with_keras`` — by ``keras.saving.load_model(path,
    safe_mode=True)``.

    Raises:
        ModelFileError: the file is missing, of another kind or version, broken or inconsistent.
    """
    path = Path(path)
    meta = _legacy_meta(path)
    if meta is not None:
        source = path.with_name(f"{path.stem}_values.json").name
    else:
        meta, source = read_meta(path, FORMAT, WHAT, HINT), f"{path.name}'s {META_NAME}"
    fields = _fields(meta, source)
    weights = _weights_from_archive(path) if not with_keras else None
    if weights is None:
        weights = _weights_with_keras(path)
    if weights.n_values != len(fields["values"]):
        raise ModelFileError(
            f"{path.name} predicts {weights.n_values} values but {source} lists {len(fields['values'])} — {HINT}."
        )
    if not all(np.isfinite(a).all() for a in weights.as_arrays().values()):
        raise ModelFileError(f"{path.name} contains NaN or infinite weights — {HINT}.")
    return JazzModel(weights=weights, path=str(path), **fields)


def default_model() -> JazzModel:
    """The pretrained model bundled with seqtui (``data/jazz.keras``)."""
    return load_model(data_file(DEFAULT_MODEL))
