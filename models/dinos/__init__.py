"""Dinosaur Island: a character-level language model that learns names and invents new ones.

What the dinos tab and ``seqtui dinos`` call. Dataclasses in, dataclasses out:

- :func:`load_names` → :class:`NameSet` (any names file, normalised, split 90/10 with a fixed seed).
- :func:`preset_config` / :class:`TrainConfig` → :func:`train` (the protocol of
  :mod:`seqtui_models.core.training`; run it with ``TrainingJob("seqtui_models.dinos:train", config)``) →
  ``RunResult`` whose ``payload["model"]`` is the trained :class:`CharModel`.
- :func:`load_model` / :func:`save_model` / :func:`default_model` (the bundled ``data/dinos.npz``).
- :func:`sample_names` (temperature, top-k, prefix, seed, maximum length) and
  :func:`beam_search` → :class:`SampledName` (name, log-probability, novelty).
- :func:`inspect_name` → :class:`NameInspection` (each character's probability and the top
  alternatives: the "look inside" view); :func:`next_char_candidates` → :class:`Candidate`
  (the "pick the next character yourself" mode).
- :func:`evaluate` → :class:`EvalResult` (nats per character on any names file).

Two presets. ``course`` is the assignment's loop, run by the assignment's own functions (re-exported
here: ``clip``, ``sample``, ``optimize``, ``rnn_forward``, ``rnn_backward``,
``update_parameters``): a tanh RNN with 50 hidden units, one name per SGD step, every gradient
entry clipped to [−5, 5], learning rate 0.01, the hidden state carried from name to name.
``fast`` is the same kind of model trained on many names at once (:mod:`seqtui_models.dinos.net`:
padding and masking, Adam, RNN/LSTM/GRU cells, dropout and weight decay), with early stopping on
the validation loss.

Every loss is a **negative log-likelihood per character in nats**: −(1/N) Σ log P(next char),
over all N predicted characters *including* each name's end token; perplexity is exp of it.
A name's log-probability is log P(its characters, then '\\n') under the model at temperature 1.

Model file (``.npz``, read with ``allow_pickle=False``):

    format        "seqtui-dinos/1"
    config        the TrainConfig as JSON
    vocab         the characters, '\\n' first, as one string
    meta          JSON: cell, hidden size, final metrics
    train_names   the training names (strings), for novelty tags
    val_names     the held-out names
    <parameters>  the cell's arrays under the course's names: Wax, Waa, b, Wya, by (rnn);
                  Wf, bf, Wi, bi, Wc, bc, Wo, bo, Wy, by (lstm); Wr, br, Wu, bu, Wc, bc, Wy, by (gru)
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import numpy as np

from seqtui_models.dinos import net
from seqtui_models.dinos.course import (  # noqa: F401 - the course's helpers, re-exported
    clip,
    course_examples,
    initialize_parameters,
    optimize,
    rnn_backward,
    rnn_forward,
    rnn_step_backward,
    rnn_step_forward,
    sample,
    update_parameters,
)
from seqtui_models.dinos.data import END, NameSet, Novelty, Vocab, load_names, normalise_name, read_names
from seqtui_models.core.errors import DataFileError, InvalidInput, ModelFileError
from seqtui_models.core.npz_files import open_npz
from seqtui_models.core.optim import Optimizer
from seqtui_models.core.paths import atomic_write, data_file, user_models_dir
from seqtui_models.core.training import Control, ProgressCallback, Reporter, RunResult, check_ranges, config_from_mapping, config_from_preset

__all__ = [
    "END", "NameSet", "Vocab", "load_names", "read_names", "normalise_name",
    "TrainConfig", "PRESETS", "preset_config", "train", "CharModel",
    "save_model", "load_model", "default_model", "DEFAULT_MODEL",
    "SampledName", "sample_names", "beam_search",
    "CharStep", "NameInspection", "inspect_name", "Candidate", "next_char_candidates",
    "EvalResult", "evaluate", "name_logprob",
    "clip", "sample", "optimize", "rnn_forward", "rnn_backward", "update_parameters",
    "rnn_step_forward", "rnn_step_backward", "initialize_parameters",
]

FORMAT = "seqtui-dinos/1"
DEFAULT_MODEL = "dinos.npz"
"""The pretrained model bundled in the data folder."""

Preset = Literal["course", "fast"]
PRESET_NAMES: tuple[str, ...] = ("course", "fast")
OPTIMIZERS: tuple[str, ...] = ("sgd", "adam")


# --------------------------------------------------------------------------------------------
# Configuration


@dataclass(frozen=True)
class TrainConfig:
    """Hyperparameters of one run. The defaults are the ``fast`` preset.

    Attributes:
        preset: ``"course"`` runs the assignment's per-name loop (rnn, sgd, batch 1 only);
            ``"fast"`` the batched path.
        names: A names file; ``None`` is the bundled dinosaur names.
        cell: ``"rnn"`` (the course's tanh RNN), ``"lstm"`` or ``"gru"``. The GRU's gates let
            it generalise from ~1,200 names much better than the tanh RNN (held-out 1.68 vs
            1.76 nats/char at their best, measured), and it is cheaper per unit than the LSTM.
        hidden: n_a. 24 GRU units hold nearly all that ~1,200 names teach (held-out 1.70 nats/char
            vs 1.69 for 32 and 1.67–1.68 for 64, measured over seeds) at a fraction of the time per
            character (24: ~0.85M chars/s, 32: ~0.7M, 64: ~0.3M on one core).
        optimizer: ``"adam"`` adapts each weight's step (fast, forgiving); ``"sgd"`` is the
            course's plain θ ← θ − lr·dθ.
        batch: Names per step. 128 keeps each step's (n_a, m) slabs big enough that numpy's
            per-call overhead stops mattering, and still gives ~10 steps per epoch.
        lr: Learning rate (Adam ~0.01; the course's SGD on one name 0.01).
        steps: Optimiser steps (one name each for ``course``, one batch for ``fast``).
        dropout: Share of hidden units zeroed on their way to the output layer while training:
            the cheapest cure for memorising a small file (0.2–0.4 all did as well here).
        weight_decay: Decoupled (AdamW) decay of the weight matrices per step, times lr.
        clip: ``course``: every gradient entry is clipped to [−clip, clip] (the assignment's
            clip); ``fast``: the whole gradient is rescaled when its norm exceeds ``clip``.
        eval_every: Steps between two validation evaluations (and early-stopping checks).
        patience: Evaluations without a better validation loss before stopping early; 0 never
            stops early. The best checkpoint is kept either way.
        sample_every: Steps between two previews of freshly sampled names.
        preview: How many names a preview shows.
        max_seconds: Stop (as finished) after this much training time; ``None``: no limit.
        seed: Seeds the weights, the order of the names, dropout and the previews.
        val_fraction: Share of the names held out for validation.
        split_seed: Seeds the train/validation split (fixed, so runs stay comparable).
        out: Where to save the model (default: the per-user models folder).
    """

    preset: Preset = "fast"
    names: str | None = None
    cell: net.Cell = "gru"
    hidden: int = 24
    optimizer: Literal["sgd", "adam"] = "adam"
    batch: int = 128
    lr: float = 0.01
    steps: int = 3000
    dropout: float = 0.3
    weight_decay: float = 0.0
    clip: float = 5.0
    eval_every: int = 20
    patience: int = 15
    sample_every: int = 100
    preview: int = 5
    max_seconds: float | None = None
    seed: int = 0
    val_fraction: float = 0.1
    split_seed: int = 0
    out: str | None = None

    def validated(self) -> TrainConfig:
        """Return this config after checking every field, or raise :class:`InvalidInput`."""
        if self.preset not in PRESET_NAMES:
            raise InvalidInput(f"Unknown preset {self.preset!r}: choose course or fast.")
        if self.cell not in net.CELLS:
            raise InvalidInput(f"Unknown cell {self.cell!r}: choose rnn, lstm or gru.")
        if self.optimizer not in OPTIMIZERS:
            raise InvalidInput(f"Unknown optimizer {self.optimizer!r}: choose sgd or adam.")
        if self.preset == "course":
            wrong = [
                text for text, bad in (
                    (f"cell {self.cell}", self.cell != "rnn"),
                    (f"optimizer {self.optimizer}", self.optimizer != "sgd"),
                    (f"batch {self.batch}", self.batch != 1),
                    (f"dropout {self.dropout}", self.dropout != 0),
                    (f"weight decay {self.weight_decay}", self.weight_decay != 0),
                ) if bad
            ]
            if wrong:
                raise InvalidInput(
                    f"The course preset is the assignment's loop (rnn, sgd, one name per step), not "
                    f"{', '.join(wrong)}: use --preset fast for that."
                )
        check_ranges((
            ("hidden", self.hidden, 1, 1024),
            ("batch", self.batch, 1, 8192),
            ("steps", self.steps, 1, 100_000_000),
            ("eval_every", self.eval_every, 1, 100_000_000),
            ("patience", self.patience, 0, 1_000_000),
            ("sample_every", self.sample_every, 1, 100_000_000),
            ("preview", self.preview, 0, 100),
        ))
        if not (0 < self.lr <= 10 and math.isfinite(self.lr)):
            raise InvalidInput(f"lr must be in (0, 10] (got {self.lr}).")
        if not 0 <= self.dropout < 1:
            raise InvalidInput(f"dropout must be in [0, 1) (got {self.dropout}).")
        if not 0 <= self.weight_decay < 1:
            raise InvalidInput(f"weight_decay must be in [0, 1) (got {self.weight_decay}).")
        if not (self.clip > 0 and math.isfinite(self.clip)):
            raise InvalidInput(f"clip must be positive (got {self.clip}).")
        if self.max_seconds is not None and not self.max_seconds > 0:
            raise InvalidInput(f"max_seconds must be positive (got {self.max_seconds}).")
        if not 0 < self.val_fraction < 1:
            raise InvalidInput(f"val_fraction must be between 0 and 1 (got {self.val_fraction}).")
        if self.out is not None and not self.out.endswith(".npz"):
            raise InvalidInput(f"Model files end in .npz (got {self.out}); pass --out NAME.npz.")
        return self

    def to_json(self) -> str:
        """The config as a JSON string (as stored in model files)."""
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> TrainConfig:
        """Rebuild a config from :meth:`to_json`'s text (unknown keys are ignored)."""
        return config_from_mapping(cls, json.loads(text))


PRESETS: dict[str, dict[str, Any]] = {
    # The assignment: model(..., num_iterations=35000, n_a=50), optimize(..., learning_rate=0.01).
    "course": dict(
        preset="course", cell="rnn", hidden=50, optimizer="sgd", batch=1, lr=0.01, steps=35_000,
        dropout=0.0, weight_decay=0.0, clip=5.0, eval_every=1000, patience=0, sample_every=2000,
    ),
    "fast": {f.name: f.default for f in fields(TrainConfig) if f.name in (
        "preset", "cell", "hidden", "optimizer", "batch", "lr", "steps", "dropout",
        "weight_decay", "clip", "eval_every", "patience", "sample_every",
    )},
}
"""Each preset's hyperparameters; :func:`preset_config` applies overrides on top."""


def preset_config(preset: str = "fast", **overrides: Any) -> TrainConfig:
    """A validated config: the preset's values, then every override that is not ``None``.

    Raises:
        InvalidInput: an unknown preset, or an override the preset cannot take (e.g. an LSTM
            for the course loop).
    """
    if preset not in PRESETS:
        raise InvalidInput(f"Unknown preset {preset!r}: choose course or fast.")
    return config_from_preset(TrainConfig, PRESETS[preset], overrides, "dinos")


# --------------------------------------------------------------------------------------------
# The model


@dataclass(frozen=True)
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
    def _train_set(self) -> frozenset[str]:
        return frozenset(self.train_names)

    @cached_property
    def _val_set(self) -> frozenset[str]:
        return frozenset(self.val_names)

    def novelty(self, name: str) -> Novelty:
        """"train" if the model learned this name, "val" if it was held out, else "new"."""
        if name in self._train_set:
            return "train"
        return "val" if name in self._val_set else "new"

    def describe(self) -> str:
        """One line: cell, size, alphabet and held-out loss."""
        val = self.metrics.get("val_nll")
        loss = f", held-out {val:.3f} nats/char" if isinstance(val, (int, float)) else ""
        return f"{self.cell} n_a={self.hidden} ({self.config.preset}), alphabet {self.vocab.describe()}{loss}"


def _make_model(config: TrainConfig, data: NameSet, params: Mapping[str, np.ndarray], metrics: Mapping[str, Any] | None = None) -> CharModel:
    return CharModel(config.cell, data.vocab, dict(params), config, data.train, data.val, dict(metrics or {}))


# --------------------------------------------------------------------------------------------
# Save and load


def default_model_path(config: TrainConfig) -> Path:
    """Where a run saves its model unless ``config.out`` says otherwise."""
    if config.out:
        return Path(config.out)
    return user_models_dir() / f"dinos-{config.preset}-{config.cell}.npz"


def save_model(path: str | Path, model: CharModel) -> Path:
    """Save a model to ``.npz`` atomically (see the module docstring for the format; no pickle)."""
    path = Path(path)
    if path.suffix != ".npz":
        raise InvalidInput(f"Model files end in .npz (got {path.name}); pass --out NAME.npz.")
    meta = {"cell": model.cell, "hidden": model.hidden, "metrics": dict(model.metrics)}
    arrays: dict[str, Any] = {
        "format": np.array(FORMAT),
        "config": np.array(model.config.to_json()),
        "vocab": np.array(model.vocab.chars),
        "meta": np.array(json.dumps(meta, default=float)),
        "train_names": np.array(model.train_names, dtype=str),
        "val_names": np.array(model.val_names, dtype=str),
        **{name: np.asarray(value) for name, value in model.params.items()},
    }

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as handle:
            np.savez(handle, **arrays)

    return atomic_write(path, write)


def load_model(path: str | Path, *, vocab: Vocab | None = None) -> CharModel:
    """Load a model saved by :func:`save_model` (never unpickles).

    Args:
        path: The ``.npz`` file.
        vocab: If given, the model must have exactly this vocabulary (e.g. to continue on a
            names file).

    Raises:
        ModelFileError: the file is missing, broken, not a dinos model, inconsistent, or of
            another vocabulary than ``vocab``.
    """
    path = Path(path)
    hint = "train one with 'seqtui dinos train', or leave --model out to use the bundled one"
    with open_npz(path, FORMAT, "Dinosaur Island model", hint) as data:
        files = set(data.files)
        config = TrainConfig.from_json(str(data["config"]))
        chars = str(data["vocab"])
        meta = json.loads(str(data["meta"]))
        train_names = tuple(str(n) for n in data["train_names"])
        val_names = tuple(str(n) for n in data["val_names"])
        cell = str(meta["cell"])
        if cell not in net.CELLS:
            raise ModelFileError(f"{path} has an unknown cell {cell!r} — {hint}.")
        missing = [name for name in net.parameter_names(cell) if name not in files]
        if missing:
            raise ModelFileError(f"{path} lacks the {cell} parameters {', '.join(missing)} — {hint}.")
        params = {name: np.array(data[name]) for name in net.parameter_names(cell)}
    try:
        model_vocab = Vocab(chars)
    except InvalidInput:
        raise ModelFileError(f"{path} has a malformed vocabulary — {hint}.") from None
    _check_shapes(path, cell, params, model_vocab.size, hint)
    if vocab is not None and vocab.chars != model_vocab.chars:
        raise ModelFileError(
            f"{path} was trained on the alphabet {model_vocab.describe()}, but these names use "
            f"{vocab.describe()} — train a model on these names (seqtui dinos train --names FILE)."
        )
    return CharModel(cell, model_vocab, params, config, train_names, val_names, meta.get("metrics", {}))


def _check_shapes(path: Path, cell: str, params: dict[str, np.ndarray], n_x: int, hint: str) -> None:
    """Raise ModelFileError unless every array has the shape the vocabulary and n_a imply."""
    w, b = net.HEAD[cell]
    if params[w].ndim != 2 or params[w].shape[0] != n_x:
        raise ModelFileError(
            f"{path}: its output layer has {params[w].shape[0] if params[w].ndim == 2 else '?'} rows but its "
            f"vocabulary has {n_x} characters — the file is inconsistent; {hint}."
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
            raise ModelFileError(f"{path}: {name} has shape {value.shape}, expected {shape} — {hint}.")
        if not np.all(np.isfinite(value)):
            raise ModelFileError(f"{path}: {name} contains NaN or infinity — {hint}.")


def default_model() -> CharModel:
    """The pretrained model bundled with seqtui (``data/dinos.npz``)."""
    return load_model(data_file(DEFAULT_MODEL))


# --------------------------------------------------------------------------------------------
# Measuring


def _length_batches(encoded: Sequence[np.ndarray], size: int, start: int) -> Iterator[net.Batch]:
    """Batches of names of similar length (little padding), for evaluation."""
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]))
    for s in range(0, len(order), size):
        yield net.make_batch([encoded[i] for i in order[s : s + size]], start)


def _nll(cell: str, params: Mapping[str, np.ndarray], encoded: Sequence[np.ndarray], start: int) -> tuple[float, int]:
    """Summed NLL (nats) of encoded names, end tokens included, and the number of characters."""
    total, count = 0.0, 0
    for batch in _length_batches(encoded, 512, start):
        t, c = net.total_nll(cell, dict(params), batch)
        total += t
        count += c
    return total, count


@dataclass(frozen=True)
class EvalResult:
    """A model's loss on a names file.

    Attributes:
        nll_per_char: Mean negative log-likelihood per character (nats), end tokens included.
        perplexity: exp(nll_per_char): the model is as unsure as a fair die with this many faces.
        names: Names scored.
        chars: Characters scored (each name's letters plus its end token).
        skipped: Names left out because they use characters the model does not know.
        unknown_chars: Those characters.
        source: The file.
    """

    nll_per_char: float
    perplexity: float
    names: int
    chars: int
    skipped: int
    unknown_chars: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


def evaluate(model: CharModel, names: str | Path | Sequence[str]) -> EvalResult:
    """Score every name of a file (or a list) whose characters the model knows.

    Names are normalised like training data; each line counts (duplicates too).

    Raises:
        DataFileError: the file is unreadable or empty, or no name can be scored.
    """
    if isinstance(names, (str, Path)):
        source = str(names)
        listed = list(read_names(names, unique=False).names)
    else:
        source = "names"
        listed = [n for n in (normalise_name(x) for x in names) if n]
    known = [n for n in listed if not model.vocab.unknown(n)]
    unknown_chars = "".join(sorted({ch for n in listed for ch in model.vocab.unknown(n)}))
    if not known:
        raise DataFileError(
            f"None of the {len(listed)} names in {source} can be scored: they use characters the model "
            f"does not know ({unknown_chars!r}; it knows {model.vocab.describe()})."
        )
    encoded = [model.vocab.encode(n) for n in known]
    total, count = _nll(model.cell, model.params, encoded, model.vocab.size)
    nll = total / count
    return EvalResult(nll, math.exp(nll), len(known), count, len(listed) - len(known), unknown_chars, source)


# --------------------------------------------------------------------------------------------
# Sampling, beam search and the per-character view


@dataclass(frozen=True)
class SampledName:
    """A generated name.

    Attributes:
        name: The name (prefix included).
        logprob: log P(name, then '\\n') under the model at temperature 1 (without the end
            token's term if the name was cut at the maximum length).
        novelty: "train", "val" or "new".
        truncated: The name reached the maximum length before the model ended it.
    """

    name: str
    logprob: float
    novelty: Novelty
    truncated: bool = False

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"name": self.name, "logprob": self.logprob, "novelty": self.novelty, "truncated": self.truncated}


def _rng(seed: int | np.random.Generator | None) -> np.random.Generator:
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def _prefix(model: CharModel, prefix: str) -> np.ndarray:
    """The normalised prefix's indices (InvalidInput if the model cannot read it)."""
    text = normalise_name(prefix) if prefix else ""
    if prefix and not text:
        raise InvalidInput(f"The prefix {prefix!r} has no letters; type the start of a name, e.g. 'tyranno'.")
    if model.vocab.unknown(text):
        raise InvalidInput(
            f"The prefix {text!r} has characters the model does not know ({model.vocab.unknown(text)!r}); "
            f"it knows {model.vocab.describe()}."
        )
    return model.vocab.encode(text)


def _after_prefix(model: CharModel, prefix_ix: np.ndarray, m: int) -> tuple[net.State, np.ndarray, float]:
    """Run m copies of the model through the start and the prefix.

    Returns:
        (state after the last prefix char, log-probabilities of the next char (m, n_y),
        log P(prefix)).
    """
    fused = model.fused
    state = net.initial_state(fused, m)
    inputs = np.full(m, fused.start)
    logp_prefix = 0.0
    state = net.step(fused, state, inputs)
    logp = net.head_log_probs(model.cell, model.params64, state[0])
    for ix in prefix_ix:
        logp_prefix += float(logp[0, ix])
        state = net.step(fused, state, np.full(m, ix))
        logp = net.head_log_probs(model.cell, model.params64, state[0])
    return state, logp, logp_prefix


def _check_sampling(temperature: float, top_k: int, max_length: int) -> None:
    if not (0 < temperature <= 100 and math.isfinite(temperature)):
        raise InvalidInput(f"temperature must be in (0, 100] (got {temperature}); 1 samples the model as it is.")
    if top_k < 0:
        raise InvalidInput(f"top-k must be 0 (all characters) or more (got {top_k}).")
    if not 1 <= max_length <= 200:
        raise InvalidInput(f"max length must be between 1 and 200 (got {max_length}).")


def sample_names(
    model: CharModel,
    n: int = 10,
    *,
    temperature: float = 1.0,
    top_k: int = 0,
    prefix: str = "",
    max_length: int = 30,
    min_length: int = 1,
    seed: int | np.random.Generator | None = None,
    new_only: bool = False,
) -> list[SampledName]:
    """Sample names character by character from softmax(logits / temperature).

    Args:
        model: The model.
        n: How many names.
        temperature: < 1 sharpens the distribution (safer, more repetitive names), > 1 flattens it.
        top_k: Only the k likeliest characters can be drawn at each step (0: all of them).
        prefix: The start of every name ("tyranno"); it is normalised like the data.
        max_length: Names are cut at this many characters (and marked ``truncated``).
        min_length: The end token cannot be drawn before this many characters (1: no empty
            names; the model gives an empty name about 1% here). Log-probabilities stay the
            model's own, not renormalised.
        seed: An int or a ``np.random.Generator``; ``None`` draws fresh randomness.
        new_only: Keep drawing until ``n`` distinct names that are in neither the training nor
            the validation names (gives up after 50 rounds and returns what it found).

    Returns:
        The names in the order drawn, each with its log-probability at temperature 1 and its
        novelty tag.
    """
    if not 1 <= n <= 10_000:
        raise InvalidInput(f"n must be between 1 and 10000 (got {n}).")
    _check_sampling(temperature, top_k, max_length)
    rng = _rng(seed)
    prefix_ix = _prefix(model, prefix)
    if len(prefix_ix) >= max_length:
        raise InvalidInput(f"The prefix is {len(prefix_ix)} characters long: raise max length above that.")
    if not 0 <= min_length <= max_length:
        raise InvalidInput(f"min length must be between 0 and the max length {max_length} (got {min_length}).")
    if not new_only:
        return _sample_batch(model, n, temperature, top_k, prefix_ix, max_length, min_length, rng)
    found: list[SampledName] = []
    seen: set[str] = set()
    for _round in range(50):
        m = max(2 * (n - len(found)), 8)
        for s in _sample_batch(model, m, temperature, top_k, prefix_ix, max_length, min_length, rng):
            if s.novelty == "new" and s.name not in seen and not s.truncated:
                seen.add(s.name)
                found.append(s)
                if len(found) == n:
                    return found
    return found


def _sample_batch(
    model: CharModel, m: int, temperature: float, top_k: int, prefix_ix: np.ndarray, max_length: int,
    min_length: int, rng: np.random.Generator,
) -> list[SampledName]:
    """Draw m names in parallel (one row each)."""
    fused = model.fused
    state, logp, logp_prefix = _after_prefix(model, prefix_ix, m)
    total = np.full(m, logp_prefix)  # log P so far, at temperature 1
    chars = np.zeros((m, max_length), dtype=np.intp)  # the drawn indices
    chars[:, : len(prefix_ix)] = prefix_ix
    length = np.full(m, len(prefix_ix))
    done = np.zeros(m, dtype=bool)
    rows = np.arange(m)
    for t in range(len(prefix_ix), max_length):  # t: the index of the character being drawn
        scaled = logp / temperature  # (m, n_y)
        if t < min_length:
            scaled = scaled.copy()
            scaled[:, 0] = -np.inf  # too short to end here
        if 0 < top_k < scaled.shape[1]:
            # Everything below the k-th largest is out of the draw.
            kth = np.partition(scaled, -top_k, axis=1)[:, -top_k][:, None]
            scaled = np.where(scaled >= kth, scaled, -np.inf)
        p = np.exp(scaled - scaled.max(axis=1, keepdims=True))  # (m, n_y)
        cdf = np.cumsum(p, axis=1)
        # Inverse-CDF draw: the first index whose cumulative weight exceeds u·total. "≤" skips
        # zero-weight entries even when u is exactly 0.
        drawn = (cdf <= rng.random(m)[:, None] * cdf[:, -1:]).sum(axis=1)
        drawn = np.minimum(drawn, p.shape[1] - 1)
        live = ~done
        total[live] += logp[rows[live], drawn[live]]
        ended = live & (drawn == 0)
        growing = live & (drawn != 0)
        chars[growing, t] = drawn[growing]
        length[growing] += 1
        done |= ended
        if done.all():
            break
        state = net.step(fused, state, drawn)
        logp = net.head_log_probs(model.cell, model.params64, state[0])
    out: list[SampledName] = []
    for j in range(m):
        name = "".join(model.vocab.chars[i] for i in chars[j, : length[j]])
        truncated = not done[j] and length[j] >= max_length
        out.append(SampledName(name, float(total[j]), model.novelty(name), bool(truncated)))
    return out


def beam_search(
    model: CharModel, width: int = 32, *, n: int | None = None, prefix: str = "", max_length: int = 30,
    min_length: int = 3,
) -> list[SampledName]:
    """Find the most probable names (with the prefix) by beam search.

    At each length the ``width`` likeliest unfinished names are extended by every character; an
    extension by '\\n' is a finished name. Search stops once no unfinished name can beat the
    n-th best finished one (log-probabilities only fall as names grow) or at ``max_length``.

    Args:
        model: The model.
        width: Unfinished names kept at each length. Narrow beams prune the start of the best
            name early (width 8 lost "saurus" to "rosaurus" in a test); 32 costs little.
        n: How many names to return (default ``width``).
        prefix: The start of every name.
        max_length: The longest name considered.
        min_length: The shortest name returned. Very short strings ("a", "an") are among the most
            probable under any character model, yet no dinosaur is called that; 1 gives the raw
            search.

    Returns:
        Up to ``n`` names, most probable first.
    """
    if not 1 <= width <= 1000:
        raise InvalidInput(f"beam width must be between 1 and 1000 (got {width}).")
    n = width if n is None else n
    if not 1 <= n <= 1000:
        raise InvalidInput(f"n must be between 1 and 1000 (got {n}).")
    _check_sampling(1.0, 0, max_length)
    if not 1 <= min_length <= max_length:
        raise InvalidInput(f"min length must be between 1 and the max length {max_length} (got {min_length}).")
    prefix_ix = _prefix(model, prefix)
    if len(prefix_ix) >= max_length:
        raise InvalidInput(f"The prefix is {len(prefix_ix)} characters long: raise max length above that.")
    fused = model.fused
    state, logp, score0 = _after_prefix(model, prefix_ix, 1)
    seqs: list[list[int]] = [list(prefix_ix)]
    scores = np.array([score0])  # (k,) log P of each unfinished beam
    finished: list[tuple[float, str]] = []
    V = logp.shape[1]
    for length in range(len(prefix_ix), max_length + 1):
        # Finishing every beam here: add the end token.
        for j, seq in enumerate(seqs):
            if len(seq) < min_length:
                continue
            finished.append((float(scores[j] + logp[j, 0]), "".join(model.vocab.chars[i] for i in seq)))
        finished.sort(key=lambda item: -item[0])
        del finished[n:]
        if length == max_length:
            break
        if len(finished) == n and scores.max() <= finished[-1][0]:
            break  # no unfinished beam can still beat the n-th best name
        cand = (scores[:, None] + logp[:, 1:]).reshape(-1)  # (k·(V − 1),) extensions by a character
        keep = min(width, cand.size)
        best = np.argpartition(-cand, keep - 1)[:keep]
        best = best[np.argsort(-cand[best])]
        beam, char = best // (V - 1), best % (V - 1) + 1
        seqs = [seqs[b] + [int(c)] for b, c in zip(beam, char)]
        scores = cand[best]
        state = tuple(s[:, beam] for s in state)
        state = net.step(fused, state, char)
        logp = net.head_log_probs(model.cell, model.params64, state[0])
    return [SampledName(name, score, model.novelty(name)) for score, name in finished]


@dataclass(frozen=True)
class Candidate:
    """One possible next character.

    Attributes:
        char: The character ('\\n' is the end of the name).
        prob: The model's probability of it.
        logprob: Its natural log.
    """

    char: str
    prob: float
    logprob: float

    @property
    def label(self) -> str:
        """The character for display ("⏎" for the end)."""
        return "⏎" if self.char == END else self.char


@dataclass(frozen=True)
class CharStep:
    """What the model believed at one position of a name.

    Attributes:
        char: The character that came ('\\n' for the end of the name).
        prob: The probability the model gave it.
        logprob: Its natural log.
        rank: 1 if it was the model's first choice, 2 if second ...
        alternatives: The top candidates at this position, likeliest first (may include ``char``).
    """

    char: str
    prob: float
    logprob: float
    rank: int
    alternatives: tuple[Candidate, ...]


@dataclass(frozen=True)
class NameInspection:
    """A name, character by character, as the model sees it.

    Attributes:
        name: The (normalised) name.
        steps: One per character, then one for the end token.
        logprob: Σ of the steps' log-probabilities = log P(name, then '\\n').
        nll_per_char: −logprob / len(steps).
        novelty: "train", "val" or "new".
    """

    name: str
    steps: tuple[CharStep, ...]
    logprob: float
    nll_per_char: float
    novelty: Novelty


def _distributions(model: CharModel, indices: np.ndarray) -> np.ndarray:
    """log P(next char) before each of ``indices`` and after the last: (len + 1, n_y)."""
    fused = model.fused
    state = net.step(fused, net.initial_state(fused, 1), np.array([fused.start]))
    rows = [net.head_log_probs(model.cell, model.params64, state[0])[0]]
    for ix in indices:
        state = net.step(fused, state, np.array([ix]))
        rows.append(net.head_log_probs(model.cell, model.params64, state[0])[0])
    return np.array(rows)


def _candidates(model: CharModel, logp: np.ndarray, top_k: int | None) -> tuple[Candidate, ...]:
    order = np.argsort(-logp, kind="stable")
    if top_k:
        order = order[:top_k]
    return tuple(Candidate(model.vocab.chars[i], float(np.exp(logp[i])), float(logp[i])) for i in order)


def inspect_name(model: CharModel, name: str, top_k: int = 5) -> NameInspection:
    """Each character of a name with the probability the model gave it and its top alternatives.

    Raises:
        InvalidInput: the name is empty or has characters the model does not know.
    """
    text = normalise_name(name)
    if not text:
        raise InvalidInput(f"{name!r} has no letters; type a name, e.g. 'tyrannosaurus'.")
    indices = model.vocab.encode(text)
    dists = _distributions(model, indices)  # (len + 1, n_y)
    targets = list(indices) + [0]
    steps = []
    for logp, ix in zip(dists, targets):
        rank = int((logp > logp[ix]).sum()) + 1
        steps.append(CharStep(model.vocab.chars[ix], float(np.exp(logp[ix])), float(logp[ix]), rank, _candidates(model, logp, top_k)))
    total = float(sum(s.logprob for s in steps))
    return NameInspection(text, tuple(steps), total, -total / len(steps), model.novelty(text))


def name_logprob(model: CharModel, name: str) -> float:
    """log P(name, then '\\n') under the model."""
    return inspect_name(model, name, top_k=1).logprob


def next_char_candidates(model: CharModel, prefix: str = "", top_k: int | None = 5) -> tuple[Candidate, ...]:
    """The likeliest next characters after ``prefix`` (the end token included), likeliest first.

    Args:
        model: The model.
        prefix: What has been typed or picked so far ("" is the start of a name).
        top_k: How many candidates (``None``: every character).
    """
    prefix_ix = _prefix(model, prefix)
    return _candidates(model, _distributions(model, prefix_ix)[-1], top_k)


# --------------------------------------------------------------------------------------------
# Training


def _batches(encoded: Sequence[np.ndarray], size: int, start: int, rng: np.random.Generator) -> Iterator[net.Batch]:
    """Endless epochs of shuffled batches; names of similar length share a batch.

    Each epoch shuffles the names, sorts each run of 8 batches' worth by length and cuts it into
    batches (so padding is small but batches still differ epoch to epoch), then shuffles the
    batches. Batches are sliced from one padded matrix of all the names (no Python loop per name).
    """
    size = min(size, len(encoded))
    lengths = np.array([len(e) for e in encoded])  # (n,)
    padded = np.zeros((len(encoded), int(lengths.max()) + 1), dtype=np.intp)  # (n, L + 1), 0 = end
    for i, e in enumerate(encoded):
        padded[i, : len(e)] = e
    while True:
        perm = rng.permutation(len(encoded))
        cuts: list[np.ndarray] = []
        for s in range(0, len(perm), 8 * size):
            chunk = perm[s : s + 8 * size]
            chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
            cuts.extend(chunk[j : j + size] for j in range(0, len(chunk), size))
        for k in rng.permutation(len(cuts)):
            idx = cuts[k]
            T = int(lengths[idx].max()) + 1
            targets = np.ascontiguousarray(padded[idx, :T].T)  # (T, m)
            inputs = np.empty_like(targets)
            inputs[0] = start
            inputs[1:] = targets[:-1]
            yield net.Batch(inputs, targets, np.arange(T)[:, None] <= lengths[idx][None, :])


def _encode_all(vocab: Vocab, names: Iterable[str]) -> list[np.ndarray]:
    return [vocab.encode(n) for n in names]


def train(config: TrainConfig, *, control: Control, on_progress: ProgressCallback | None = None) -> RunResult:
    """Train a character-level model on a names file (the protocol of :mod:`seqtui_models.core.training`).

    Progress: ``loss`` is the step's training NLL (nats/char); every ``eval_every`` steps the
    metrics carry ``val_nll`` and ``train_nll`` (the latter on up to 500 training names,
    without dropout) and ``best_val_nll``; every ``sample_every`` steps ``samples`` holds fresh
    names. The model with the lowest validation loss seen is kept and saved, also when the run
    is stopped (status "stopped") or stops early (patience; status "finished").

    Run it through ``run_job(TrainingJob("seqtui_models.dinos:train", config))``: the spawned process
    keeps the UI responsive and has one BLAS thread, which trains these small matrices 2.7x
    faster than two threads fighting over two cores (measured).

    Returns:
        The run's result; ``metrics`` has train_nll, val_nll (full sets, kept model),
        perplexities, chars, chars_per_s (characters per second of training steps,
        evaluation excluded), best_step and stopped_early; ``payload["model"]`` is the
        :class:`CharModel`.
    """
    config = config.validated()
    data = load_names(config.names, val_fraction=config.val_fraction, split_seed=config.split_seed)
    vocab = data.vocab
    n_x = vocab.size
    init_seq, order_seq, drop_seq, preview_seq = np.random.SeedSequence(config.seed).spawn(4)
    preview_rng = np.random.default_rng(preview_seq)
    train_enc = _encode_all(vocab, data.train)
    val_enc = _encode_all(vocab, data.val)
    # A fixed subset of the training names, to follow the training loss without dropout.
    probe_rng = np.random.default_rng(config.split_seed + 1)
    probe = [train_enc[i] for i in probe_rng.permutation(len(train_enc))[:500]]
    chars_per_name = float(np.mean([len(e) + 1 for e in train_enc]))

    if config.preset == "course":
        # The assignment's N(0, 0.01²) initialisation, in float64 like the assignment.
        params = initialize_parameters(config.hidden, n_x, n_x, seed=config.seed)
        items_per_step = chars_per_name
        unit = "name"
    else:
        params = net.init_parameters(config.cell, n_x, config.hidden, np.random.default_rng(init_seq))
        items_per_step = chars_per_name * min(config.batch, len(train_enc))
        unit = "batch"
    reporter = Reporter(config.steps, on_progress, control, unit=unit, items_per_step=items_per_step,
                        item_unit="chars", min_interval=0.1)

    best: dict[str, np.ndarray] = {k: v.copy() for k, v in params.items()}
    best_val, best_step, evals_since_best, evaluated_at = math.inf, 0, 0, 0
    chars_done, step_seconds = 0, 0.0
    stopped = stopped_early = False
    metrics: dict[str, float] = {}

    def evaluate_now(step: int) -> bool:
        """Validation check; returns True when patience has run out."""
        nonlocal best, best_val, best_step, evals_since_best, evaluated_at
        evaluated_at = step
        val_total, val_count = _nll(config.cell, params, val_enc, n_x)
        probe_total, probe_count = _nll(config.cell, params, probe, n_x)
        val_nll = val_total / val_count
        if not math.isfinite(val_nll):
            raise InvalidInput(f"The loss diverged at step {step}: lower the learning rate (now {config.lr}).")
        if val_nll < best_val - 1e-4:
            best = {k: v.copy() for k, v in params.items()}
            best_val, best_step, evals_since_best = val_nll, step, 0
        else:
            evals_since_best += 1
        metrics.update(val_nll=val_nll, train_nll=probe_total / probe_count, best_val_nll=best_val)
        return config.patience > 0 and evals_since_best >= config.patience

    def preview() -> tuple[str, ...]:
        if not config.preview:
            return ()
        model = _make_model(config, data, params)
        return tuple(s.name for s in sample_names(model, config.preview, seed=preview_rng))

    step = 0
    if config.preset == "course":
        examples = course_examples(list(data.train), vocab.char_to_ix)
        order = np.random.default_rng(order_seq).permutation(len(examples))
        a_prev = np.zeros((config.hidden, 1))  # carried from name to name, as in the assignment
    else:
        batches = _batches(train_enc, config.batch, n_x, np.random.default_rng(order_seq))
        optimizer = Optimizer(params, config.optimizer, config.lr, config.clip, config.weight_decay)
        drop_rng = np.random.default_rng(drop_seq)
    while step < config.steps:
        if control.checkpoint():
            stopped = True
            break
        if config.max_seconds is not None and reporter.elapsed >= config.max_seconds:
            break
        began = time.perf_counter()
        if config.preset == "course":
            X, Y = examples[order[step % len(examples)]]
            loss_sum, _grads, a_prev = optimize(X, Y, a_prev, params, config.lr)
            loss, chars = loss_sum / len(Y), len(Y)
        else:
            batch = next(batches)
            loss, grads = net.loss_and_gradients(config.cell, params, batch, dropout=config.dropout, rng=drop_rng)
            optimizer.step(params, grads)
            chars = batch.count
        step_seconds += time.perf_counter() - began
        chars_done += chars
        step += 1
        if not math.isfinite(loss):
            raise InvalidInput(f"The loss diverged at step {step}: lower the learning rate (now {config.lr}).")
        force = False
        if step % config.eval_every == 0 or step == config.steps:
            stopped_early = evaluate_now(step)
            force = True
        samples = preview() if step % config.sample_every == 0 else ()
        reporter.report(step, loss, metrics, samples=samples, force=force or bool(samples))
        if stopped_early:
            break

    if step > evaluated_at:
        evaluate_now(step)  # the last steps may hold the best model
    train_total, train_count = _nll(config.cell, best, train_enc, n_x)
    val_total, val_count = _nll(config.cell, best, val_enc, n_x)
    final = {
        "train_nll": train_total / train_count,
        "val_nll": val_total / val_count,
        "train_ppl": math.exp(train_total / train_count),
        "val_ppl": math.exp(val_total / val_count),
        "best_step": best_step,
        "chars": chars_done,
        "chars_per_s": chars_done / step_seconds if step_seconds > 0 else 0.0,
        "stopped_early": stopped_early,
    }
    model = _make_model(config, data, best, final)
    path = save_model(default_model_path(config), model)
    last = tuple(s.name for s in sample_names(model, config.preview, seed=preview_rng)) if config.preview else ()
    reporter.report(step, reporter.last_loss if step else float("nan"),
                    {k: final[k] for k in ("train_nll", "val_nll")}, samples=last, force=True)
    return reporter.result(stopped, step, metrics=final, model_path=str(path), payload={"model": model})
