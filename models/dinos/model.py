"""A trained Dinosaur Island model (:class:`CharModel`) and its file.

Model file: an ``.npz`` written by :func:`seqtui_models.core.model_files.save_npz` (read with
``allow_pickle=False``). The weights are arrays under the course's names: Wax, Waa, b, Wya, by
(rnn); Wf, bf, Wi, bi, Wc, bc, Wo, bo, Wy, by (lstm); Wr, br, Wu, bu, Wc, bc, Wy, by (gru).
Everything else is in its ``seqtui.json``:

    format        "seqtui-dinos/2"
    cell, hidden  "rnn", "lstm" or "gru"; n_a
    vocab         the characters, '\\n' first, as one string
    config        the TrainConfig (an object)
    metrics       final figures of the run (train_nll, val_nll …)
    train_names   the training names, for novelty tags
    val_names     the held-out names

Files of format ``"seqtui-dinos/1"`` kept all of that in arrays (``format``, ``config`` and
``meta`` as JSON text, ``vocab``, ``train_names``, ``val_names``); they still load.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from seqtui_models.core.errors import InvalidInput, ModelFileError
from seqtui_models.core.model_files import open_npz, read_meta, save_npz
from seqtui_models.core.paths import data_file, user_models_dir
from seqtui_models.core.training import config_from_mapping
from seqtui_models.dinos import net
from seqtui_models.dinos.config import TrainConfig
from seqtui_models.dinos.data import Novelties, Vocab, normalise_name

FORMAT = "seqtui-dinos/2"
FORMAT_1 = "seqtui-dinos/1"  # everything in arrays, the format among them; still read
WHAT = "Dinosaur Island model"
HINT = "train one with 'seqtui dinos train', or leave --model out to use the bundled one"

DEFAULT_MODEL = "dinos.npz"
"""The pretrained model bundled in the data folder."""


@dataclass(frozen=True, eq=False)
class CharModel:
    """A trained character-level model and everything needed to use it.

    Attributes:
        cell: "rnn", "lstm" or "gru".
        vocab: Its characters.
        params: The arrays, under the course's names (see :mod:`seqtui_models.dinos.net`).
        config: How it was trained.
        train_names: The names it learned from (for novelty tags).
        val_names: The names held out while it trained.
        metrics: Final figures of its run (train_nll, val_nll ...).
    """

    cell: str
    vocab: Vocab
    params: Mapping[str, np.ndarray]
    config: TrainConfig = field(default_factory=TrainConfig)
    train_names: tuple[str, ...] = ()
    val_names: tuple[str, ...] = ()
    metrics: Mapping[str, Any] = field(default_factory=dict)

    @property
    def hidden(self) -> int:
        """n_a."""
        return net.sizes(self.cell, dict(self.params))[1]

    @cached_property
    def fused(self) -> net.Fused:
        """The weights as float64 rows, for exact probabilities when sampling and inspecting."""
        return net.fuse(self.cell, self.params64)

    @cached_property
    def params64(self) -> dict[str, np.ndarray]:
        """The parameters in float64 (the output layer reads these when sampling)."""
        return {k: v.astype(np.float64) for k, v in self.params.items()}

    @cached_property
    def novelty(self) -> Novelties:
        """Tags a name "train" if the model learned it, "val" if it was held out, else "new"."""
        return Novelties(frozenset(self.train_names), frozenset(self.val_names))

    def describe(self) -> str:
        """One line: cell, size, alphabet and held-out loss."""
        val = self.metrics.get("val_nll")
        loss = f", held-out {val:.3f} nats/char" if isinstance(val, (int, float)) else ""
        return f"{self.cell} n_a={self.hidden} ({self.config.preset}), alphabet {self.vocab.describe()}{loss}"

    def encode_prefix(self, prefix: str) -> np.ndarray:
        """The indices of the normalised start of a name, ``(len,)``.

        Raises:
            InvalidInput: the prefix has no letters, or characters the model does not know.
        """
        text = normalise_name(prefix) if prefix else ""
        if prefix and not text:
            raise InvalidInput(f"The prefix {prefix!r} has no letters; type the start of a name, e.g. 'tyranno'.")
        if self.vocab.unknown(text):
            raise InvalidInput(
                f"The prefix {text!r} has characters the model does not know ({self.vocab.unknown(text)!r}); "
                f"it knows {self.vocab.describe()}."
            )
        return self.vocab.encode(text)

    def start(self, m: int) -> tuple[net.State, np.ndarray]:
        """m copies of the model after the zero input of t = 0: the state and log P(first char), (m, n_y)."""
        fused = self.fused
        return self.advance(net.initial_state(fused, m), np.full(m, fused.start))

    def advance(self, state: net.State, inputs: np.ndarray) -> tuple[net.State, np.ndarray]:
        """One step on the characters ``inputs`` (m,): the new state and log P(next char), (m, n_y).

        log ŷ⟨t⟩ = log softmax(Wy a⟨t⟩ + by), in float64 so that probabilities add up exactly.
        """
        state = net.step(self.fused, state, inputs)
        return state, net.head_log_probs(self.cell, self.params64, state[0])


# --------------------------------------------------------------------------------------------
# Save and load


def save_model(path: str | Path, model: CharModel) -> Path:
    """Save a model atomically: the weights as arrays, the rest in ``seqtui.json`` (no pickle)."""
    meta = {
        "format": FORMAT,
        "cell": model.cell,
        "hidden": model.hidden,
        "vocab": model.vocab.chars,
        "config": asdict(model.config),
        "metrics": dict(model.metrics),
        "train_names": list(model.train_names),
        "val_names": list(model.val_names),
    }
    return save_npz(path, model.params, meta, WHAT)


def _file_format(path: Path) -> str:
    """:data:`FORMAT_1` for a file saved before ``seqtui.json`` existed, else :data:`FORMAT`.

    Any other file is taken for :data:`FORMAT`, so that opening it says what it is instead.
    """
    try:
        read_meta(path, FORMAT_1, WHAT, HINT)
    except ModelFileError:
        return FORMAT
    return FORMAT_1


def _format_1_meta(data: Any) -> dict[str, Any]:
    """The metadata of a format-1 file, which kept it in arrays (config and meta as JSON text)."""
    saved = json.loads(str(data["meta"]))
    return {
        "cell": saved["cell"],
        "vocab": str(data["vocab"]),
        "config": json.loads(str(data["config"])),
        "metrics": saved.get("metrics", {}),
        "train_names": [str(n) for n in data["train_names"]],
        "val_names": [str(n) for n in data["val_names"]],
    }


def _strings(meta: Mapping[str, Any], key: str) -> tuple[str, ...]:
    """The list of strings ``meta[key]`` (ValueError if it is anything else)."""
    value = meta[key]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"{key} is not a list of names")
    return tuple(value)


def load_model(path: str | Path, *, vocab: Vocab | None = None) -> CharModel:
    """Load a model saved by :func:`save_model`, or by seqtui before format 2 (never unpickles).

    Args:
        path: The ``.npz`` file.
        vocab: If given, the model must have exactly this vocabulary (e.g. to continue on a
            names file).

    Raises:
        ModelFileError: the file is missing, broken, not a dinos model, inconsistent, or of
            another vocabulary than ``vocab``.
    """
    path = Path(path)
    fmt = _file_format(path)
    with open_npz(path, fmt, WHAT, HINT) as (data, meta):
        if fmt == FORMAT_1:
            meta = _format_1_meta(data)
        cell = meta["cell"]
        if cell not in net.CELLS:
            raise ModelFileError(f"{path} has an unknown cell {cell!r} — {HINT}.")
        missing = [name for name in net.parameter_names(cell) if name not in data.files]
        if missing:
            raise ModelFileError(f"{path} lacks the {cell} parameters {', '.join(missing)} — {HINT}.")
        params = {name: np.array(data[name]) for name in net.parameter_names(cell)}
        config = config_from_mapping(TrainConfig, meta["config"])
        train_names, val_names = _strings(meta, "train_names"), _strings(meta, "val_names")
        metrics = meta.get("metrics", {})
        chars = meta["vocab"]
    try:
        if not isinstance(chars, str):
            raise InvalidInput("the vocabulary is not text")
        model_vocab = Vocab(chars)
    except InvalidInput:
        raise ModelFileError(f"{path} has a malformed vocabulary — {HINT}.") from None
    _check_shapes(path, cell, params, model_vocab.size)
    if vocab is not None and vocab.chars != model_vocab.chars:
        raise ModelFileError(
            f"{path} was trained on the alphabet {model_vocab.describe()}, but these names use "
            f"{vocab.describe()} — train a model on these names (seqtui dinos train --names FILE)."
        )
    return CharModel(cell, model_vocab, params, config, train_names, val_names, dict(metrics))


def _check_shapes(path: Path, cell: str, params: dict[str, np.ndarray], n_x: int) -> None:
    """Raise ModelFileError unless every array has the shape the vocabulary and n_a imply."""
    w, b = net.HEAD[cell]
    if params[w].ndim != 2 or params[w].shape[0] != n_x:
        raise ModelFileError(
            f"{path}: its output layer has {params[w].shape[0] if params[w].ndim == 2 else '?'} rows but its "
            f"vocabulary has {n_x} characters — the file is inconsistent; {HINT}."
        )
    n_a = params[w].shape[1]
    expected = {w: (n_x, n_a), b: (n_x, 1)}
    if cell == "rnn":
        expected.update(Wax=(n_a, n_x), Waa=(n_a, n_a), b=(n_a, 1))
    else:
        for name in net.CELL_WEIGHTS[cell]:
            expected[name] = (n_a, n_a + n_x) if name.startswith("W") else (n_a, 1)
    for name, shape in expected.items():
        value = params[name]
        if value.shape != shape or not np.issubdtype(value.dtype, np.floating):
            raise ModelFileError(f"{path}: {name} has shape {value.shape}, expected {shape} — {HINT}.")
        if not np.all(np.isfinite(value)):
            raise ModelFileError(f"{path}: {name} contains NaN or infinity — {HINT}.")


def default_model() -> CharModel:
    """The pretrained model bundled with seqtui (``data/dinos.npz``)."""
    return load_model(data_file(DEFAULT_MODEL))
