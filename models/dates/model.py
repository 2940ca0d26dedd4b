"""A trained date translator (:class:`DateModel`) and its file: save, load, the bundled model.

Model file (``.keras``, read with ``keras.saving.load_model(path, safe_mode=True)``): the
translator network (outputs: probabilities (m, T_y, 11) and attention (m, T_y, T_x)) plus
``seqtui.json`` in the same zip (:mod:`seqtui_models.core.model_files`): the format
``seqtui-dates/1``, the preset, T_x, the input characters, the config and the run's metrics.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from seqtui_models.core.errors import ModelFileError
from seqtui_models.core.model_files import load_net, read_meta, save_keras
from seqtui_models.core.paths import data_file
from seqtui_models.dates.config import PRESET_NAMES, TrainConfig
from seqtui_models.dates.data import FIRST_DAY, LAST_DAY
from seqtui_models.dates.vocab import MACHINE_CHARS, TY, Vocab

FORMAT = "seqtui-dates/1"
DEFAULT_MODEL = "dates.keras"
"""The pretrained model bundled in the data folder."""
_PREDICT_BATCH = 256
_OLD_YEARS = (1970, 2030)
"""The years of every model saved before files recorded theirs."""


@dataclass(frozen=True)
class DateModel:
    """A trained translator and what is needed to use it.

    Attributes:
        preset: "course" or "best".
        vocab: Its input vocabulary (and T_x).
        translator: The Keras model: inputs as the preset's (course: one-hot X, s0, c0; best:
            indices), outputs ``[probabilities (m, T_y, 11), attention (m, T_y, T_x)]``.
        config: How it was trained.
        metrics: Final figures of its run (exact match …).
        path: The file it was loaded from or saved to.
        years: The first and last year of the dates it was trained on (files from before the
            range was widened say nothing and learned 1970–2030).
    """

    preset: str
    vocab: Vocab
    translator: Any
    config: TrainConfig = field(default_factory=TrainConfig)
    metrics: Mapping[str, Any] = field(default_factory=dict)
    path: str | None = None
    years: tuple[int, int] = (FIRST_DAY.year, LAST_DAY.year)

    def describe(self) -> str:
        """One line: preset, parameters, held-out exact match."""
        exact = self.metrics.get("exact_match")
        score = f", held-out exact match {exact:.2%}" if isinstance(exact, (int, float)) else ""
        return f"{self.preset} ({self.translator.count_params():,} parameters, T_x {self.vocab.tx}){score}"

    def predict(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Probabilities (m, T_y, 11) and attention (m, T_y, T_x) for a batch of texts.

        Every text is padded to T_x, so the compiled prediction is traced once per batch size.
        """
        ids = self.vocab.encode_all(texts)  # (m, T_x)
        probs, attention = [], []
        for s in range(0, len(ids), _PREDICT_BATCH):
            chunk = ids[s : s + _PREDICT_BATCH]  # (b, T_x)
            size = len(chunk)
            if len(ids) > _PREDICT_BATCH and size < _PREDICT_BATCH:
                # Pad the last chunk of a long batch: one traced shape for all chunks (tracing the
                # course's unrolled graph costs seconds).
                chunk = np.concatenate([chunk, np.full((_PREDICT_BATCH - size, self.vocab.tx), self.vocab.pad, np.int32)])
            p, a = self.translator.predict_on_batch(_model_inputs(self.preset, self.vocab, chunk))
            probs.append(np.asarray(p)[:size])
            attention.append(np.asarray(a)[:size])
        if not probs:
            return np.zeros((0, TY, len(MACHINE_CHARS))), np.zeros((0, TY, self.vocab.tx))
        return np.concatenate(probs), np.concatenate(attention)


def _model_inputs(preset: str, vocab: Vocab, ids: np.ndarray) -> Any:
    """What the Keras model takes for a batch of indices (m, T_x)."""
    if preset == "course":
        onehot = np.eye(vocab.size, dtype=np.float32)[ids]  # (m, T_x, 37), the course's Xoh
        zeros = np.zeros((len(ids), 64), dtype=np.float32)  # s0 and c0, the course's initial states
        return [onehot, zeros, zeros]
    return ids


def save_model(path: str | Path, model: DateModel) -> Path:
    """Save a model atomically: the Keras translator, with ``seqtui.json`` in the same zip."""
    meta = {
        "format": FORMAT, "preset": model.preset, "tx": model.vocab.tx, "chars": model.vocab.chars,
        "config": json.loads(model.config.to_json()), "metrics": dict(model.metrics), "years": list(model.years),
    }
    return save_keras(path, model.translator, meta, "Date model")


def load_model(path: str | Path) -> DateModel:
    """Load a model saved by :func:`save_model` (``safe_mode=True``: no code runs from the file).

    Raises:
        ModelFileError: the file is missing, not a date model, broken or inconsistent.
    """
    path = Path(path)
    hint = "train one with 'seqtui dates train', or leave --model out to use the bundled one"
    meta = read_meta(path, FORMAT, "date model", hint)
    try:
        preset = str(meta["preset"])
        if preset not in PRESET_NAMES:
            raise ModelFileError(f"{path} names an unknown preset {preset!r} — {hint}.")
        vocab = Vocab("course" if preset == "course" else "best", str(meta["chars"]), int(meta["tx"]))
        config = TrainConfig.from_json(json.dumps(meta.get("config", {})))
        metrics = meta.get("metrics", {})
        first, last = (int(y) for y in meta.get("years", _OLD_YEARS))
        if not 1 <= first <= last <= 9999:
            raise ValueError(f"years {first}–{last}")
    except ModelFileError:
        raise
    except (ValueError, KeyError, TypeError) as exc:
        raise ModelFileError(f"{path} is not a readable date model ({exc}) — {hint}.") from None

    from seqtui_models.dates import net as dates_net  # noqa: F401 - registers the custom layers before loading

    translator = load_net(path, hint)
    _check_shapes(path, preset, vocab, translator, hint)
    return DateModel(preset, vocab, translator, config, metrics, str(path), (first, last))


def _check_shapes(path: Path, preset: str, vocab: Vocab, translator: Any, hint: str) -> None:
    """Raise ModelFileError unless the network's inputs and outputs match the metadata."""
    outputs = [tuple(t.shape) for t in translator.outputs]
    inputs = [tuple(t.shape) for t in translator.inputs]
    expected_in = [(None, vocab.tx, vocab.size), (None, 64), (None, 64)] if preset == "course" else [(None, None)]
    ok = (
        len(outputs) == 2 and outputs[0] == (None, TY, len(MACHINE_CHARS))
        and outputs[1][:2] == (None, TY) and inputs == expected_in
    )
    if ok and preset == "best":
        ok = translator.get_layer("embedding").input_dim == vocab.size
    if not ok:
        raise ModelFileError(
            f"{path}: the network's inputs {inputs} and outputs {outputs} do not match a {preset} date model "
            f"with T_x {vocab.tx} and {vocab.size} input characters — {hint}."
        )


@lru_cache(maxsize=1)
def default_model() -> DateModel:
    """The pretrained model bundled with seqtui (``data/dates.keras``), loaded once per process.

    Loading and compiling its prediction take a second or two; the tab, the CLI and the tests
    share the one copy (Keras models can predict from several threads at once).
    """
    return load_model(data_file(DEFAULT_MODEL))
