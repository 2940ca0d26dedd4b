"""Jazz model files: save and load a :class:`~seqtui_models.jazz.trained.JazzModel` (nothing is unpickled or executed).

Model files: ``NAME.keras`` (the one-step model, built-in layers only, loaded in safe mode) and
``NAME_values.json`` beside it::

    format          "seqtui-jazz/1"
    values          the vocabulary: value strings, index = position
    config          the TrainConfig
    pieces          per training piece: name, its value indices (for the novelty figure), its
                    chords [[start, duration, symbol], …] (to improvise over), beats per bar, tempo
    register        [lowest, highest] MIDI pitch a solo may use (the training melody's 2nd–98th
                    percentile)
    anchor          the pitch a first note is drawn near (the training melody's median)
    train_stats     the training music's statistics (:mod:`seqtui_models.jazz.stats`)
    metrics         loss (mean nats per value), epochs, seconds …
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np

from seqtui_models.core.errors import InvalidInput, ModelFileError
from seqtui_models.core.paths import atomic_write, data_file, user_models_dir
from seqtui_models.jazz.config import TrainConfig
from seqtui_models.jazz.grammar import parse_value
from seqtui_models.jazz.model import CellWeights
from seqtui_models.jazz.stats import SoloStats
from seqtui_models.jazz.trained import JazzModel, PieceValues

FORMAT = "seqtui-jazz/1"
DEFAULT_MODEL = "jazz.keras"
"""The pretrained model bundled in the data folder (with ``jazz_values.json`` beside it)."""


def default_model_path(config: TrainConfig) -> Path:
    """Where a run saves its model unless ``config.out`` says otherwise."""
    if config.out:
        return Path(config.out)
    source = "corpus" if config.midi is None else Path(config.midi).stem
    return user_models_dir() / f"jazz-{config.preset}-{source}.keras"


def sidecar_path(path: str | Path) -> Path:
    """The JSON file beside a ``.keras`` model: ``jazz.keras`` → ``jazz_values.json``."""
    path = Path(path)
    return path.with_name(f"{path.stem}_values.json")


def save_model(path: str | Path, model: JazzModel) -> Path:
    """Save the one-step Keras model (``.keras``) and its ``_values.json``, each atomically."""
    from seqtui_models.jazz import model as jm

    path = Path(path)
    if path.suffix != ".keras":
        raise InvalidInput(f"Jazz models are .keras files (got {path.name}); pass --out NAME.keras.")
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
    text = json.dumps(meta, default=float)

    def write_meta(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    def write_model(tmp: Path) -> None:
        step.save(str(tmp))

    atomic_write(sidecar_path(path), write_meta)
    return atomic_write(path, write_model)


def _weights_with_keras(path: Path, hint: str) -> CellWeights:
    """The weights, through ``keras.saving.load_model(safe_mode=True)``."""
    import keras

    from seqtui_models.jazz import model as jm

    try:
        step = keras.saving.load_model(str(path), safe_mode=True, compile=False)
        _, LSTM_cell, densor = jm.layers_of(step)
        return jm.weights_of(LSTM_cell, densor)
    except (OSError, ValueError, KeyError, TypeError, InvalidInput) as exc:
        raise ModelFileError(f"{path.name} is not a readable jazz model ({str(exc)[:160]}) — {hint}.") from None


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


def load_model(path: str | Path, *, with_keras: bool = False) -> JazzModel:
    """Load a model saved by :func:`save_model` (nothing is unpickled or executed).

    The weights are read from the archive directly (fast: no Keras import) when it has the
    expected layout, else — or with ``with_keras`` — by ``keras.saving.load_model(path,
    safe_mode=True)``.

    Raises:
        ModelFileError: the file or its ``_values.json`` is missing, broken or inconsistent.
    """
    path = Path(path)
    hint = "train one with 'seqtui jazz train', or leave --model out to use the bundled one"
    if not path.is_file():
        raise ModelFileError(f"No such model file: {path} — {hint}.")
    if path.suffix != ".keras":
        raise ModelFileError(f"{path.name} is not a .keras file — {hint}.")
    meta_path = sidecar_path(path)
    if not meta_path.is_file():
        raise ModelFileError(f"{path.name} has no {meta_path.name} beside it (its values) — {hint}.")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            raise ModelFileError(f"{meta_path.name} is not a seqtui jazz model description — {hint}.")
        values = tuple(str(v) for v in meta["values"])
        for v in values:
            parse_value(v)
        config = TrainConfig.from_dict(meta.get("config", {}))
        pieces = tuple(PieceValues.from_dict(p) for p in meta.get("pieces", []))
        register = (int(meta["register"][0]), int(meta["register"][1]))
        anchor = int(meta["anchor"])
        stats = SoloStats.from_dict(meta["train_stats"]) if meta.get("train_stats") else None
        metrics = dict(meta.get("metrics", {}))
    except ModelFileError:
        raise
    except (OSError, ValueError, KeyError, TypeError, IndexError, InvalidInput) as exc:
        raise ModelFileError(f"{meta_path.name} is broken ({exc}) — {hint}.") from None
    if any(i >= len(values) or i < 0 for p in pieces for i in p.values):
        raise ModelFileError(f"{meta_path.name} refers to values it does not list — {hint}.")
    weights = _weights_from_archive(path) if not with_keras else None
    if weights is None:
        weights = _weights_with_keras(path, hint)
    if weights.n_values != len(values):
        raise ModelFileError(
            f"{path.name} predicts {weights.n_values} values but {meta_path.name} lists {len(values)} — {hint}."
        )
    if not all(np.isfinite(a).all() for a in weights.as_arrays().values()):
        raise ModelFileError(f"{path.name} contains NaN or infinite weights — {hint}.")
    return JazzModel(values, weights, config, pieces, register, anchor, stats, metrics, str(path))


def default_model() -> JazzModel:
    """The pretrained model bundled with seqtui (``data/jazz.keras``)."""
    return load_model(data_file(DEFAULT_MODEL))

