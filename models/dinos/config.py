"""Dinosaur Island's hyperparameters: one frozen :class:`TrainConfig`, two presets, and their checks."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any, Literal

from seqtui_models.core.errors import InvalidInput
from seqtui_models.core.paths import check_writable
from seqtui_models.core.training import check_ranges, config_from_mapping, config_from_preset
from seqtui_models.dinos import net

Preset = Literal["course", "fast"]
PRESET_NAMES: tuple[str, ...] = ("course", "fast")
OPTIMIZERS: tuple[str, ...] = ("sgd", "adam")


def check_preset(preset: str) -> None:
    """Raise :class:`InvalidInput` unless ``preset`` is one of :data:`PRESET_NAMES`."""
    if preset not in PRESET_NAMES:
        raise InvalidInput(f"Unknown preset {preset!r}: choose course or fast.")


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
        out: Where to also save the model (every run keeps one in its run folder).
        resume: A run id to continue: its last weights and optimiser state, its step count and
            its best model so far; ``steps`` more steps are trained.
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
    resume: str | None = None

    def validated(self) -> TrainConfig:
        """Return this config after checking every field, or raise :class:`InvalidInput`."""
        check_preset(self.preset)
        if self.cell not in net.CELLS:
            raise InvalidInput(f"Unknown cell {self.cell!r}: choose rnn, lstm or gru.")
        if self.optimizer not in OPTIMIZERS:
            raise InvalidInput(f"Unknown optimizer {self.optimizer!r}: choose sgd or adam.")
        if self.preset == "course":
            self._check_course()
        check_ranges((
            ("hidden size n_a", self.hidden, 1, 1024),
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
        if self.out is not None:
            check_writable(self.out)  # before the run, not after it
        return self

    def _check_course(self) -> None:
        """The course preset is the assignment's loop: refuse every setting it does not have."""
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

CLI_FLAGS: dict[str, str] = {
    "names": "--names", "steps": "--steps", "hidden": "--hidden", "cell": "--cell", "optimizer": "--optimizer",
    "batch": "--batch", "lr": "--lr", "dropout": "--dropout", "weight_decay": "--weight-decay",
    "patience": "--patience", "max_seconds": "--max-seconds", "seed": "--seed", "resume": "--resume",
}
"""The ``seqtui dinos train`` option of each setting: a run's recorded command is written with them."""


def preset_config(preset: str = "fast", **overrides: Any) -> TrainConfig:
    """A validated config: the preset's values, then every override that is not ``None``.

    Raises:
        InvalidInput: an unknown preset, or an override the preset cannot take (e.g. an LSTM
            for the course loop).
    """
    check_preset(preset)
    return config_from_preset(TrainConfig, PRESETS[preset], overrides, "dinos")


def resumed_config(run_id: str, **overrides: Any) -> TrainConfig:
    """The config to continue run ``run_id``: its own settings, then every override that is not ``None``.

    Raises:
        InvalidInput: an unknown run, a run of another task, or an override it cannot take.
    """
    from seqtui_models.core.runs import find_run

    run = find_run(run_id, "dinos")
    saved = {k: v for k, v in run.config.items() if k not in ("out", "resume")}
    values = {**saved, **{k: v for k, v in overrides.items() if v is not None}, "resume": run.id}
    return config_from_mapping(TrainConfig, values).validated()
