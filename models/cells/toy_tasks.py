"""Training the numpy RNN and LSTM cells on toy sequence tasks (TF Playground for sequences).

Three tasks, each a stream of freshly generated batches (so there is no overfitting to talk
about, only learning):

* ``recall``: the input is a random symbol from an alphabet of ``vocab`` at every step; the
  target at step t is the symbol seen at step t − k. To answer, the cell must carry a symbol
  for k steps. A plain tanh RNN's gradient through k steps is a product of k Jacobians
  ``diag(1 − a²) Waa`` and vanishes as k grows, so for large k it stays at chance (1/vocab)
  while the LSTM's additive cell state ``c⟨t⟩ = Γf ⊙ c⟨t−1⟩ + Γu ⊙ c̃⟨t⟩`` still learns.
* ``parity``: the input is a random bit; the target is the XOR of all bits so far.
* ``sine``: the input is a noisy sine wave; the target is the next clean value (regression).

The cells are the course-compatible functions of :mod:`seqtui_models.cells.rnn` and
:mod:`seqtui_models.cells.lstm`; the output layer, the loss and the optimiser live here. Gradients
come from our own backward passes.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from seqtui_models.cells.lstm import init_lstm_parameters, lstm_backward, lstm_forward
from seqtui_models.cells.rnn import init_rnn_parameters, rnn_backward, rnn_forward
from seqtui_models.core.errors import InvalidInput, ModelFileError
from seqtui_models.core.model_files import META_NAME, open_npz, save_npz
from seqtui_models.core.optim import Optimizer
from seqtui_models.core.paths import check_writable
from seqtui_models.core.runs import keep_model, start_run, train_command
from seqtui_models.core.training import Control, ProgressCallback, Reporter, RunResult, check_ranges, config_from_mapping

Task = Literal["recall", "parity", "sine"]
Cell = Literal["rnn", "lstm"]
TASKS: tuple[str, ...] = ("recall", "parity", "sine")
CELLS: tuple[str, ...] = ("rnn", "lstm")

FORMAT = "seqtui-cells/1"
"""The model file: the parameters as arrays; ``seqtui.json`` holds this format and the config."""
HINT = "train one with 'seqtui cells train'"


@dataclass(frozen=True)
class TrainConfig:
    """Hyperparameters of one toy-task run.

    Attributes:
        task: Which toy task (see the module docstring).
        cell: ``"rnn"`` (tanh) or ``"lstm"``.
        k: The recall delay, in steps (only ``recall``): the knob that shows vanishing gradients.
        length: Time steps per sequence, T_x; for ``recall`` at least k + 4 so that some targets
            exist (it is raised to that if needed).
        vocab: Alphabet size of ``recall`` (chance accuracy is 1/vocab).
        hidden: n_a, the size of the hidden state; small keeps numpy fast and the heatmaps legible.
        batch: m, sequences per step: enough for a smooth gradient, small enough to be quick.
        steps: Optimiser steps.
        lr: Learning rate; 0.01 suits Adam here; plain SGD wants ~0.1–0.5.
        optimizer: ``"adam"`` or ``"sgd"``.
        clip: Gradients are rescaled when their global norm exceeds this (exploding gradients).
        eval_every: Steps between two held-out evaluations (and sample previews).
        seed: Seeds the weights, the data stream and the held-out batch.
        out: Where to save the model (default: the per-user models folder).
    """

    task: Task = "recall"
    cell: Cell = "lstm"
    k: int = 5
    length: int = 20
    vocab: int = 4
    hidden: int = 32
    batch: int = 32
    steps: int = 1500
    lr: float = 0.01
    optimizer: Literal["adam", "sgd"] = "adam"
    clip: float = 5.0
    eval_every: int = 50
    seed: int = 0
    out: str | None = None

    def validated(self) -> TrainConfig:
        """Return this config after checking every field, or raise :class:`InvalidInput`."""
        if self.task not in TASKS:
            raise InvalidInput(f"Unknown task {self.task!r}: choose one of {', '.join(TASKS)}.")
        if self.cell not in CELLS:
            raise InvalidInput(f"Unknown cell {self.cell!r}: choose rnn or lstm.")
        if self.optimizer not in ("adam", "sgd"):
            raise InvalidInput(f"Unknown optimizer {self.optimizer!r}: choose adam or sgd.")
        checks = [
            ("k", self.k, 1, 200),
            ("length", self.length, 2, 500),
            ("vocab", self.vocab, 2, 26),
            ("hidden size n_a", self.hidden, 1, 1024),
            ("batch", self.batch, 1, 4096),
            ("steps", self.steps, 1, 10_000_000),
            ("eval_every", self.eval_every, 1, 10_000_000),
        ]
        check_ranges(checks)
        if not 0 < self.lr <= 10:
            raise InvalidInput(f"lr must be in (0, 10] (got {self.lr}).")
        if not self.clip > 0:
            raise InvalidInput(f"clip must be positive (got {self.clip}).")
        if self.out is not None and not self.out.endswith(".npz"):
            raise InvalidInput(f"Model files end in .npz (got {self.out}); pass --out NAME.npz.")
        if self.out is not None:
            check_writable(self.out)  # before the run, not after it
        return self

    @property
    def seq_len(self) -> int:
        """The sequence length actually used (recall needs k + 4 steps at least)."""
        return max(self.length, self.k + 4) if self.task == "recall" else self.length

    @property
    def sizes(self) -> tuple[int, int]:
        """(n_x, n_y) for this task."""
        if self.task == "recall":
            return self.vocab, self.vocab
        if self.task == "parity":
            return 2, 2
        return 1, 1


@dataclass(frozen=True)
class Batch:
    """One batch of a toy task.

    Attributes:
        x: Inputs, (n_x, m, T_x).
        targets: Class indices (m, T_x) for classification, values (m, T_x) for regression.
        mask: (m, T_x) booleans: which steps count in the loss.
    """

    x: np.ndarray
    targets: np.ndarray
    mask: np.ndarray


def make_batch(config: TrainConfig, m: int, rng: np.random.Generator) -> Batch:
    """Draw a fresh batch of ``m`` sequences of the config's task."""
    T = config.seq_len
    if config.task == "recall":
        symbols = rng.integers(0, config.vocab, size=(m, T))  # (m, T)
        x = np.eye(config.vocab, dtype=np.float32)[symbols].transpose(2, 0, 1)  # (V, m, T)
        targets = np.zeros_like(symbols)
        targets[:, config.k :] = symbols[:, : T - config.k]  # target(t) = input(t − k)
        mask = np.zeros((m, T), dtype=bool)
        mask[:, config.k :] = True
        return Batch(np.ascontiguousarray(x), targets, mask)
    if config.task == "parity":
        bits = rng.integers(0, 2, size=(m, T))  # (m, T)
        x = np.eye(2, dtype=np.float32)[bits].transpose(2, 0, 1)  # (2, m, T)
        targets = np.cumsum(bits, axis=1) % 2  # running XOR
        return Batch(np.ascontiguousarray(x), targets, np.ones((m, T), dtype=bool))
    # sine: random frequency and phase; predict the next clean value from noisy inputs
    omega = rng.uniform(0.15, 0.45, size=(m, 1))  # radians per step
    phase = rng.uniform(0, 2 * np.pi, size=(m, 1))
    t = np.arange(T + 1)[None, :]  # (1, T + 1)
    clean = np.sin(omega * t + phase)  # (m, T + 1)
    noisy = clean[:, :T] + rng.normal(0.0, 0.1, size=(m, T))
    x = noisy[None, :, :].astype(np.float32)  # (1, m, T)
    return Batch(x, clean[:, 1:].astype(np.float32), np.ones((m, T), dtype=bool))


def init_parameters(config: TrainConfig, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Fresh float32 parameters for the config's cell and task sizes."""
    n_x, n_y = config.sizes
    if config.cell == "rnn":
        return init_rnn_parameters(n_x, config.hidden, n_y, rng)
    return init_lstm_parameters(n_x, config.hidden, n_y, rng)


def _output_names(cell: str) -> tuple[str, str]:
    return ("Wya", "by") if cell == "rnn" else ("Wy", "by")


def forward_loss(
    config: TrainConfig, params: dict[str, np.ndarray], batch: Batch, backward: bool = True
) -> tuple[float, float, np.ndarray, dict[str, np.ndarray]]:
    """Run the cell over a batch, score it and (optionally) backpropagate.

    Classification uses the course's softmax output ŷ⟨t⟩ = softmax(Wy a⟨t⟩ + by) and the mean
    cross-entropy over the masked steps; regression uses a linear output ŷ⟨t⟩ = Wy a⟨t⟩ + by
    and the mean squared error.

    Returns:
        ``(loss, accuracy, predictions, grads)``: accuracy is NaN for regression; predictions
        are class indices or values (m, T_x); grads is empty when ``backward`` is false.
    """
    n_x, n_y = config.sizes
    m = batch.x.shape[1]
    a0 = np.zeros((config.hidden, m), dtype=params["by"].dtype)  # (n_a, m)
    caches: Any
    if config.cell == "rnn":
        a, y, caches = rnn_forward(batch.x, a0, params)  # a: (n_a, m, T)
    else:
        a, y, _c, caches = lstm_forward(batch.x, a0, params)
    w_name, b_name = _output_names(config.cell)
    Wy, by = params[w_name], params[b_name]
    mask = batch.mask  # (m, T)
    count = max(int(mask.sum()), 1)

    if config.task == "sine":
        # Linear head: the softmax ŷ of the course's forward is meaningless for n_y = 1.
        pred = np.einsum("ya,amt->ymt", Wy, a) + by[:, :, None]  # (1, m, T)
        err = (pred[0] - batch.targets) * mask  # (m, T)
        loss = float((err**2).sum() / count)
        accuracy = float("nan")
        predictions = pred[0]
        dz = (2.0 / count) * err[None, :, :]  # dL/dŷ, (1, m, T)
    else:
        T = batch.x.shape[2]
        picked = y[batch.targets, np.arange(m)[:, None], np.arange(T)[None, :]]  # (m, T)
        loss = float(-(np.log(np.maximum(picked, 1e-12)) * mask).sum() / count)
        predictions = y.argmax(axis=0)  # (m, T)
        accuracy = float(((predictions == batch.targets) & mask).sum() / count)
        # Softmax + cross-entropy: dL/dz = ŷ − onehot(target), averaged over counted steps.
        dz = y.copy()  # (n_y, m, T)
        dz[batch.targets, np.arange(m)[:, None], np.arange(T)[None, :]] -= 1.0
        dz *= mask[None, :, :] / count
    if not backward:
        return loss, accuracy, predictions, {}

    dz = dz.astype(a.dtype, copy=False)
    grads: dict[str, np.ndarray] = {
        w_name: np.einsum("ymt,amt->ya", dz, a),  # dL/dWy = Σ_t dz⟨t⟩ a⟨t⟩ᵀ, (n_y, n_a)
        b_name: dz.sum(axis=(1, 2))[:, None],  # (n_y, 1)
    }
    # The loss reaches every hidden state through the head: da⟨t⟩ = Wyᵀ dz⟨t⟩.
    da = np.einsum("ya,ymt->amt", Wy, dz)  # (n_a, m, T)
    if config.cell == "rnn":
        g = rnn_backward(da, caches)
        grads.update(Wax=g["dWax"], Waa=g["dWaa"], ba=g["dba"])
    else:
        g = lstm_backward(da, caches)
        for name in ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo"):
            grads[name] = g["d" + name]
    return loss, accuracy, predictions, grads


def describe_example(config: TrainConfig, batch: Batch, predictions: np.ndarray, width: int = 40) -> tuple[str, ...]:
    """Show the first sequence of a batch as ``input / target / predicted`` lines."""
    if config.task == "sine":
        want = batch.targets[0, -8:]
        got = predictions[0, -8:]
        return ("last 8 targets " + " ".join(f"{v:+.2f}" for v in want),
                "predicted      " + " ".join(f"{v:+.2f}" for v in got))
    symbols = batch.x[:, 0, :].argmax(axis=0)[:width]
    mask = batch.mask[0, :width]
    alphabet = "abcdefghijklmnopqrstuvwxyz" if config.task == "recall" else "01"
    shown = lambda row: "".join(alphabet[int(s)] if ok else "·" for s, ok in zip(row, mask))  # noqa: E731
    return (
        "input  " + "".join(alphabet[int(s)] for s in symbols),
        "target " + shown(batch.targets[0, :width]),
        "model  " + shown(predictions[0, :width]),
    )


CLI_FLAGS: dict[str, str] = {
    "task": "--task", "cell": "--cell", "k": "--k", "length": "--length", "hidden": "--hidden", "batch": "--batch",
    "steps": "--steps", "lr": "--lr", "optimizer": "--optimizer", "clip": "--clip", "seed": "--seed",
}
"""The ``seqtui cells train`` option of each setting: a run's recorded command is written with them."""


def save_model(path: Path, config: TrainConfig, params: dict[str, np.ndarray]) -> Path:
    """Save parameters (arrays) and config (metadata) to one ``.npz`` file, atomically (no pickle)."""
    return save_npz(path, params, {"format": FORMAT, "config": asdict(config)}, "Cells model")


def _is_legacy(path: Path) -> bool:
    """Whether ``path`` was saved before cells files named their format (the config was an array)."""
    if not zipfile.is_zipfile(path):
        return False  # missing or not an archive: open_npz says which
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
    return "config.npy" in names and not names & {META_NAME, "format.npy"}


def load_model(path: str | Path) -> tuple[TrainConfig, dict[str, np.ndarray]]:
    """Load a model saved by :func:`save_model`, or by seqtui before cells files had a format.

    Raises:
        ModelFileError: missing, not a cells model, unreadable, or with a config out of range.
    """
    path = Path(path)
    try:
        if _is_legacy(path):
            with np.load(path, allow_pickle=False) as data:
                saved = json.loads(str(data["config"]))
                params = {name: np.array(data[name]) for name in data.files if name != "config"}
        else:
            with open_npz(path, FORMAT, "cells model", HINT) as (data, meta):
                saved = meta.get("config")
                params = {name: np.array(data[name]) for name in data.files if name != META_NAME}
        config = config_from_mapping(TrainConfig, saved).validated()
    except ModelFileError:
        raise
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile, InvalidInput) as exc:
        raise ModelFileError(f"{path} is not a readable cells model ({exc}) — {HINT}.") from None
    return config, params


def train(config: TrainConfig, *, control: Control, on_progress: ProgressCallback | None = None) -> RunResult:
    """Train a cell on a toy task (the training protocol of :mod:`seqtui_models.core.training`).

    On a stop the parameters reached so far are saved, like at the end of a full run.
    """
    config = config.validated()
    record = start_run("cells", config, train_command("cells", config, {}, CLI_FLAGS))
    rng = np.random.default_rng(config.seed)
    params = init_parameters(config, rng)
    held_out = make_batch(config, 256, np.random.default_rng(config.seed + 1_000_003))
    optimizer = Optimizer(params, config.optimizer, config.lr, config.clip)
    reporter = Reporter(
        config.steps, on_progress, control, unit="step", items_per_step=config.batch, item_unit="sequences", min_interval=0.1
    )
    metrics: dict[str, float] = {}
    step, stopped = 0, False
    while step < config.steps:
        if control.checkpoint():
            stopped = True
            break
        batch = make_batch(config, config.batch, rng)
        loss, accuracy, _pred, grads = forward_loss(config, params, batch)
        if not np.isfinite(loss):
            raise InvalidInput(f"The loss diverged at step {step + 1}: lower the learning rate (now {config.lr}).")
        grad_norm = optimizer.step(params, grads)
        step += 1
        samples: tuple[str, ...] = ()
        force = False
        if step % config.eval_every == 0 or step == config.steps:
            val_loss, val_acc, predictions, _ = forward_loss(config, params, held_out, backward=False)
            metrics = {"val_loss": val_loss, "grad_norm": grad_norm}
            if config.task != "sine":
                metrics["val_acc"] = val_acc
            samples = describe_example(config, held_out, predictions)
            force = True
        reporter.report(step, loss, metrics, samples=samples, force=force)

    val_loss, val_acc, _, _ = forward_loss(config, params, held_out, backward=False)
    final = {"val_loss": val_loss, "train_loss": reporter.last_loss}
    if config.task != "sine":
        final["val_acc"] = val_acc
        final["chance_acc"] = 1.0 / config.sizes[1]
    path = keep_model(record, lambda where: save_model(where, config, params), ".npz", config.out)
    payload = {"params": params, "config": config}
    result = reporter.result(stopped, step, metrics={**final, "run": record.id}, model_path=str(path), payload=payload)
    record.finish(result, headline="val_acc" if config.task != "sine" else "val_loss")
    return result
