"""How a date translator is trained: :class:`TrainConfig`, the two presets and :func:`preset_config`.

``course`` is the assignment's model, vocabulary and optimiser; ``best`` is ours (the defaults of
:class:`TrainConfig`). Every other option overrides the preset.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, fields
from typing import Any, Literal

from seqtui_models.core.errors import InvalidInput
from seqtui_models.core.paths import check_writable
from seqtui_models.core.training import check_ranges, config_from_mapping, config_from_preset

Preset = Literal["course", "best"]
PRESET_NAMES: tuple[str, ...] = ("course", "best")


def check_preset(preset: str) -> None:
    """Raise :class:`InvalidInput` unless ``preset`` is one of :data:`PRESET_NAMES`."""
    if preset not in PRESET_NAMES:
        raise InvalidInput(f"Unknown preset {preset!r}: choose course or best.")


@dataclass(frozen=True)
class TrainConfig:
    """Hyperparameters of one run. The defaults are the ``best`` preset.

    Attributes:
        preset: ``"course"`` (the assignment's model, vocabulary and optimiser) or ``"best"``.
        examples: Training pairs generated. The course used m = 10,000; ours sees each pair about
            once within its time, so more distinct pairs cost nothing but generation (~15 µs each).
        epochs: Passes over the examples (a time limit may end the run sooner).
        batch: Pairs per step. The course: 100. Ours: 256 — a step costs nearly the same per
            example from 256 up, and fewer steps mean less per-step overhead on a CPU.
        lr: Peak learning rate. The course: 0.005. Ours: 0.01 with the cosine schedule (0.02
            learned no faster and was noisier, measured).
        schedule: ``"inverse-time"`` is the course's Keras-2 ``decay``: lr / (1 + decay · step);
            ``"cosine"`` warms up over the first 3% and falls to 2% of the peak at the end —
            the end of the run, step count or time limit whichever comes first — so the last
            steps polish rather than bounce.
        decay: The course's per-step decay (inverse-time only): 0.01, as in the assignment, where
            it was harmless over the single epoch of 100 steps it ran. Over longer runs it starves
            the model (after 1,000 steps the rate is a tenth; docs/design.md has the measurement).
            ``--decay 0`` is the course model at its best.
        real_share: Share of real-world formats in the training pairs. The course: 0 (its list
            only). Ours: 0.5 — the course's formats are learned quickly, and the real-world ones
            need the examples.
        emphasis: How much more often the all-digit families (:data:`NUMERIC_FAMILIES`: 5/9/18,
            04.07.76, 1976-07-04, 04JUL1976 …) are drawn than their weights say. The course: 1.
            Ours: 3 — they are the last a model learns (measured: ISO dates lagged every other
            family), and letters-only formats lose nothing by being seen a little less.
        tx: T_x, characters read. The course: 30. Ours: 40, so "Wednesday, the 21st of September
            2016" fits; the masked encoder costs only what each batch's longest input needs.
        n_a: Encoder LSTM units per direction (the course: 32).
        n_s: The course: the post-attention LSTM's units (64). Ours: the per-step output layer's.
        units: Hidden units of the attention's energy network (the course: 10; ours 32).
        embedding: Size of a character embedding (ours; the course feeds one-hot vectors).
        eval_every: Steps between two evaluations on the held-out set (the exact match the
            panel shows); 0 evaluates only at the end.
        val_examples: Held-out pairs for those evaluations (half course formats, half real-world;
            always the same pairs, from days training never uses).
        max_seconds: Stop (as finished) after this much training time; ``None``: no limit.
        seed: Seeds the data, the weights and the order of the batches.
        data: A file of ``input<TAB>iso`` lines (:func:`read_pairs`) to train on instead of
            generated pairs (``examples``, ``real_share`` and ``emphasis`` are then unused);
            e.g. to train two presets on the very same pairs.
        out: Where to also save the model (``.keras``); every run keeps one in its run folder
            (:mod:`seqtui_models.core.runs`).
    """

    preset: Preset = "best"
    examples: int = 100_000
    epochs: int = 3
    batch: int = 256
    lr: float = 0.01
    schedule: Literal["inverse-time", "cosine"] = "cosine"
    decay: float = 0.0
    real_share: float = 0.5
    emphasis: float = 3.0
    tx: int = 40
    n_a: int = 32
    n_s: int = 64
    units: int = 32
    embedding: int = 16
    eval_every: int = 100
    val_examples: int = 1000
    max_seconds: float | None = None
    seed: int = 0
    data: str | None = None
    out: str | None = None

    def validated(self) -> TrainConfig:
        """Return this config after checking every field, or raise :class:`InvalidInput`."""
        check_preset(self.preset)
        if self.schedule not in ("inverse-time", "cosine"):
            raise InvalidInput(f"Unknown schedule {self.schedule!r}: choose inverse-time or cosine.")
        if self.preset == "course":
            wrong = [text for text, bad in (
                (f"T_x {self.tx}", self.tx != 30), (f"n_a {self.n_a}", self.n_a != 32),
                (f"n_s {self.n_s}", self.n_s != 64), (f"attention units {self.units}", self.units != 10),
                (f"embedding {self.embedding}", self.embedding != 0)) if bad]
            if wrong:
                raise InvalidInput(
                    f"The course preset is the assignment's model (T_x 30, n_a 32, n_s 64, one-hot input), not {', '.join(wrong)}: "
                    "use --preset best for other sizes."
                )
        check_ranges((
            ("examples", self.examples, 100, 5_000_000),
            ("epochs", self.epochs, 1, 10_000),
            ("batch", self.batch, 1, 8192),
            ("tx", self.tx, 12, 200),
            ("n_a", self.n_a, 1, 1024),
            ("n_s", self.n_s, 1, 1024),
            ("units", self.units, 1, 1024),
            ("embedding", self.embedding, 0 if self.preset == "course" else 1, 1024),
            ("eval_every", self.eval_every, 0, 100_000_000),
            ("val_examples", self.val_examples, 10, 100_000),
        ))
        if not (0 < self.lr <= 1 and math.isfinite(self.lr)):
            raise InvalidInput(f"lr must be in (0, 1] (got {self.lr}).")
        if not (0 <= self.decay <= 10 and math.isfinite(self.decay)):
            raise InvalidInput(f"decay must be in [0, 10] (got {self.decay}).")
        if not (0 < self.emphasis <= 100 and math.isfinite(self.emphasis)):
            raise InvalidInput(f"emphasis must be in (0, 100] (got {self.emphasis}).")
        if not 0 <= self.real_share <= 1:
            raise InvalidInput(f"real_share must be between 0 and 1 (got {self.real_share}).")
        if self.max_seconds is not None and not (self.max_seconds > 0 and math.isfinite(self.max_seconds)):
            raise InvalidInput(f"max_seconds must be positive (got {self.max_seconds}).")
        if self.out is not None and not self.out.endswith(".keras"):
            raise InvalidInput(f"Date models are .keras files (got {self.out}); pass --out NAME.keras.")
        if self.out is not None:
            check_writable(self.out)  # before the run, not after it
        return self

    @property
    def steps_per_epoch(self) -> int:
        """Batches in one pass over the examples."""
        return math.ceil(self.examples / self.batch)

    @property
    def total_steps(self) -> int:
        """Batches the run does if no time limit or stop ends it sooner."""
        return self.epochs * self.steps_per_epoch

    def to_json(self) -> str:
        """The config as a JSON string (as stored in model files)."""
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> TrainConfig:
        """Rebuild a config from :meth:`to_json`'s text (unknown keys are ignored)."""
        return config_from_mapping(cls, json.loads(text))


PRESETS: dict[str, dict[str, Any]] = {
    # The assignment: m = 10,000, Adam(lr=0.005, beta_1=0.9, beta_2=0.999, decay=0.01), batch 100,
    # its own formats only. It fit 1 epoch and then loaded weights trained longer; 20 epochs here.
    "course": dict(preset="course", examples=10_000, epochs=20, batch=100, lr=0.005, schedule="inverse-time",
                   decay=0.01, real_share=0.0, emphasis=1.0, tx=30, n_a=32, n_s=64, units=10, embedding=0),
    "best": {f.name: f.default for f in fields(TrainConfig) if f.name in (
        "preset", "examples", "epochs", "batch", "lr", "schedule", "decay", "real_share", "emphasis", "tx", "n_a", "n_s",
        "units", "embedding")},
}
"""Each preset's hyperparameters; :func:`preset_config` applies overrides on top."""

CLI_FLAGS: dict[str, str] = {
    "examples": "--examples", "epochs": "--epochs", "batch": "--batch", "lr": "--lr", "decay": "--decay",
    "real_share": "--real-share", "max_seconds": "--max-seconds", "eval_every": "--eval-every", "data": "--data",
    "seed": "--seed",
}
"""The ``seqtui dates train`` option of each setting: a run's recorded command is written with them
(the sizes and the schedule have none: they are the preset's)."""


def preset_config(preset: str = "best", **overrides: Any) -> TrainConfig:
    """A validated config: the preset's values, then every override that is not ``None``.

    Raises:
        InvalidInput: an unknown preset or setting, or a size the course preset cannot take.
    """
    check_preset(preset)
    return config_from_preset(TrainConfig, PRESETS[preset], overrides, "dates")
