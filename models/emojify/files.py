"""What V1 and V2 model files share: the metadata that names the classes, the word vectors and the run.

Both kinds of file are zip archives with ``seqtui.json`` inside (:mod:`seqtui_models.core.model_files`);
V1 adds its weights as arrays, V2 its Keras network. The metadata they share:

    format         "seqtui-emojify-v1/2" or "seqtui-emojify-v2/1"
    emoji, names   the label set, C of each
    vectors        the word vectors' source ("GloVe 6B 50d" or a file path)
    dim            n, the vectors' dimension
    fingerprint    (8,) numbers that identify the vectors (see :func:`fingerprint`)
    config         the TrainConfig: an object (V1), or its JSON text (V2)
    metrics        final figures of the run
    calibration    the temperature that calibrates its probabilities and how it was fitted
                   (:class:`~seqtui_models.emojify.calibration.Calibration`; absent = T 1)

Neither kind stores the word vectors (400,000 × 50 numbers GloVe already has): a file names them,
and loading checks the fingerprint, so a model is never run on vectors it was not trained with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from seqtui_models.core.errors import InvalidInput, ModelFileError
from seqtui_models.core.training import config_from_mapping
from seqtui_models.core.word_vectors import WordVectors
from seqtui_models.emojify.calibration import NONE, Calibration
from seqtui_models.emojify.config import TrainConfig, word_vectors
from seqtui_models.emojify.data import LabelSet


@dataclass(frozen=True)
class ModelInfo:
    """What a model file says about its model besides the weights.

    Attributes:
        labels: The classes.
        vectors: The source of the word vectors it was trained with.
        dim: Their dimension, n.
        fingerprint: ``(8,)`` numbers that identify them.
        config: How it was trained.
        metrics: Final figures of its run.
        calibration: Its temperature (T 1 when the file has none).
    """

    labels: LabelSet
    vectors: str
    dim: int
    fingerprint: np.ndarray
    config: TrainConfig
    metrics: dict[str, Any] = field(default_factory=dict)
    calibration: Calibration = NONE


def fingerprint(wv: WordVectors) -> np.ndarray:
    """A few numbers that identify a vectors file: the row sums of its first 8 vectors, ``(8,)``.

    A model records them; loading it with other vectors (same size, other values) is refused
    instead of silently giving nonsense.
    """
    rows = min(8, len(wv))
    return np.asarray(wv.vectors[:rows], dtype=np.float64).sum(axis=1)  # (8,)


def model_meta(fmt: str, labels: LabelSet, wv: WordVectors, config: TrainConfig, metrics: Mapping[str, Any],
               calibration: Calibration = NONE) -> dict[str, Any]:
    """The JSON-ready metadata of a model file of format ``fmt`` (the config as an object)."""
    meta = {
        "format": fmt,
        "emoji": list(labels.emoji),
        "names": list(labels.names),
        "vectors": wv.source,
        "dim": wv.dim,
        "fingerprint": [float(x) for x in fingerprint(wv)],
        "config": asdict(config),
        "metrics": dict(metrics),
    }
    if calibration is not NONE:
        meta["calibration"] = calibration.to_dict()
    return meta


def read_info(path: str | Path, meta: Mapping[str, Any], what: str, hint: str) -> ModelInfo:
    """The shared part of a model file's metadata, checked.

    Args:
        path: The file, for messages.
        meta: Its metadata (see the module docstring).
        what: What it should be, for messages ("emojify V1 model").
        hint: What the user can do instead, ending the messages.

    Raises:
        ModelFileError: an entry is missing or of the wrong kind.
    """
    try:
        saved = meta["config"]
        config = TrainConfig.from_json(saved) if isinstance(saved, str) else config_from_mapping(TrainConfig, saved)
        metrics = meta.get("metrics")
        return ModelInfo(
            labels=LabelSet(tuple(str(e) for e in meta["emoji"]), tuple(str(n) for n in meta["names"])),
            vectors=str(meta["vectors"]),
            dim=int(meta["dim"]),
            fingerprint=np.array(meta["fingerprint"], dtype=np.float64),  # (8,)
            config=config,
            metrics=dict(metrics) if isinstance(metrics, Mapping) else {},
            calibration=_calibration(meta.get("calibration")),
        )
    except (ValueError, KeyError, TypeError, InvalidInput) as exc:
        raise ModelFileError(f"{path} is not a readable {what} ({exc}) — {hint}.") from None


def _calibration(saved: Any) -> Calibration:
    """The stored calibration; T 1 when there is none, a broken one raises ValueError."""
    if saved is None:
        return NONE
    calibration = Calibration.from_mapping(saved)
    if calibration is None or not (0 < calibration.temperature < float("inf")):
        raise ValueError(f"unreadable calibration {saved!r}")
    return calibration


def vectors_for(path: str | Path, info: ModelInfo, wv: WordVectors | None = None) -> WordVectors:
    """The word vectors a model was trained with: ``wv`` if given, else the ones its file names.

    Raises:
        ModelFileError: they are not the vectors it was trained with (dimension or fingerprint).
    """
    wv = wv if wv is not None else word_vectors(info.vectors)
    mine = fingerprint(wv)  # (8,)
    if wv.dim != info.dim or info.fingerprint.shape != mine.shape or not np.allclose(info.fingerprint, mine, atol=1e-3):
        raise ModelFileError(
            f"{path} was trained with the word vectors {info.vectors} ({info.dim} dimensions), not "
            f"{wv.source or 'these'} ({wv.dim}) — pass the same vectors (--vectors), or retrain."
        )
    return wv
