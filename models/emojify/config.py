"""Hyperparameters of an emojify training run, its presets, and the word vectors it uses.

Three presets (``preset_config(model, preset)``):

* ``v1`` / ``course`` — the assignment: per-example SGD, 400 epochs, learning rate 0.01, run
  by the course's own ``model()`` loop.
* ``v1`` / ``fast`` — the same softmax regression on the same averages, trained on the whole
  matrix of averages at once with Adam (vectorised): the same accuracy in a fraction of the time.
* ``v2`` / ``fast`` — the course's Emojify_V2 (two LSTM(128) layers, dropout 0.5): three
  independently seeded networks, each trained on every training sentence for a fixed 40
  epochs, averaged.

How the defaults were chosen: on the training file only (5-fold cross-validation for V1; for V2
a stratified 20% development split of the training file, every recipe trained on the other 80%).
The test file was not used to choose anything.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from typing import Any, Literal

from seqtui_models.core.errors import InvalidInput
from seqtui_models.core.paths import check_writable
from seqtui_models.core.training import check_ranges, config_from_mapping, config_from_preset
from seqtui_models.core.word_vectors import WordVectors, load_vectors

ModelKind = Literal["v1", "v2"]
MODEL_KINDS: tuple[str, ...] = ("v1", "v2")
PRESET_NAMES: tuple[str, ...] = ("course", "fast")


@dataclass(frozen=True)
class TrainConfig:
    """One emojify training run. Build it with :func:`preset_config`.

    Attributes:
        model: ``"v1"`` (average + softmax, numpy) or ``"v2"`` (2-layer LSTM, Keras).
        preset: ``"course"`` (V1 only: the assignment's per-example SGD loop) or ``"fast"``.
        data: CSV files to train on, merged; empty = the bundled ``emojify_train.csv``.
        labels: A label spec (``"🐶 dog, 🐱 cat"``) naming the classes of ``data``; ``None``
            takes them from the files (an ``emoji`` column) or uses the defaults.
        skip_bad_rows: Leave unusable CSV rows out (reported) instead of failing.
        vectors: A GloVe/word2vec file; ``None`` is GloVe 6B 50d.
        epochs: Passes over the data. V1 course: 400 (the assignment). V1 fast: 300 full-batch
            Adam steps (cross-validated accuracy is flat beyond). V2: 40, without early stopping
            (the validation loss turns up while the accuracy is still rising). docs/design.md
            has the measurements.
        lr: Learning rate. Course: 0.01 (plain SGD per example). V1 fast: 0.05 — full-batch
            Adam on a convex loss tolerates a large step. V2: Adam's usual 1e-3.
        batch: Sentences per step: 1 for the course loop, 0 (= all of them) for V1 fast,
            32 for V2 (the course's choice).
        seed: Seeds the initial weights, the shuffling, dropout and the validation split.
        val_fraction: V2: share of the training sentences each network holds out (per class;
            another split for each network) to watch, and with ``patience`` to decide when to
            stop. Default 0: every network learns from every sentence (see ``epochs``).
        patience: V2: epochs without a lower validation loss before stopping (the best weights
            are kept); 0 = run every epoch. Needs ``val_fraction`` > 0.
        members: V2: how many independently seeded networks are averaged. One network's
            development accuracy moves by ±1–2 points from seed to seed; averaging three
            removes most of that (five scored no better than three).
        units: V2: LSTM units per layer (the course's 128).
        dropout: V2: dropout after each LSTM layer (the course's 0.5).
        noise: V2: standard deviation of Gaussian noise added to the word vectors while
            training (not in the course; 0 = off). On the 3,351-sentence training file, three
            validation splits each, one network scored 0.880 without noise, 0.878 with 0.1 and
            0.878 with 0.2, so the course's model (no noise) is the default.
        max_len: V2: sentences are padded (or cut) to this many words for training; ``None``
            is the longest training sentence (as in the course).
        target_accuracy: Stop as soon as the training accuracy reaches this (the benchmark's
            "time to the same accuracy"); ``None`` runs every epoch.
        test: After training on the bundled data, also measure the bundled test file (only
            reported, never used to choose anything).
        out: Where to also save the model (``.npz`` for V1, ``.keras`` for V2); every run keeps
            one in its run folder (:mod:`seqtui_models.core.runs`).
    """

    model: ModelKind = "v1"
    preset: str = "fast"
    data: tuple[str, ...] = ()
    labels: str | None = None
    skip_bad_rows: bool = False
    vectors: str | None = None
    epochs: int = 300
    lr: float = 0.05
    batch: int = 0
    seed: int = 1
    val_fraction: float = 0.1
    patience: int = 8
    members: int = 3
    units: int = 128
    dropout: float = 0.5
    noise: float = 0.0
    max_len: int | None = None
    target_accuracy: float | None = None
    test: bool = True
    out: str | None = None

    def __post_init__(self) -> None:
        # JSON and the CLI hand over lists; a frozen config keeps a tuple (hashable, picklable)
        object.__setattr__(self, "data", tuple(self.data))

    def validated(self) -> TrainConfig:
        """Return this config after checking every field, or raise :class:`InvalidInput`."""
        if self.model not in MODEL_KINDS:
            raise InvalidInput(f"Unknown model {self.model!r}: choose v1 or v2.")
        if self.preset not in PRESET_NAMES:
            raise InvalidInput(f"Unknown preset {self.preset!r}: choose course or fast.")
        if self.model == "v2" and self.preset == "course":
            raise InvalidInput("The course preset is V1's per-example loop; V2 trains with --preset fast.")
        if self.model == "v1" and self.preset == "course" and self.batch != 1:
            raise InvalidInput("The course preset trains one sentence per step (batch 1); use --preset fast for batches.")
        check_ranges((
            ("epochs", self.epochs, 1, 1_000_000),
            ("batch", self.batch, 0, 1_000_000),
            ("patience", self.patience, 0, 10_000),
            ("members", self.members, 1, 10),
            ("units", self.units, 1, 4096),
        ))
        if self.model == "v2" and self.patience > 0 and self.val_fraction == 0:
            raise InvalidInput("Early stopping (patience) watches a validation split: add a val_fraction (e.g. --val-fraction 0.1).")
        if self.model == "v2" and self.batch < 1:
            raise InvalidInput("V2 trains in batches: batch must be at least 1.")
        if not (0 < self.lr <= 10 and math.isfinite(self.lr)):
            raise InvalidInput(f"lr must be in (0, 10] (got {self.lr}).")
        if not 0 <= self.dropout < 1:
            raise InvalidInput(f"dropout must be in [0, 1) (got {self.dropout}).")
        if not (0 <= self.noise <= 10 and math.isfinite(self.noise)):
            raise InvalidInput(f"noise must be in [0, 10] (got {self.noise}).")
        if not 0 <= self.val_fraction < 0.5:
            raise InvalidInput(f"val_fraction must be in [0, 0.5) (got {self.val_fraction}).")
        if self.max_len is not None and not 1 <= self.max_len <= 1000:
            raise InvalidInput(f"max_len must be between 1 and 1000 (got {self.max_len}).")
        if self.target_accuracy is not None and not 0 < self.target_accuracy <= 1:
            raise InvalidInput(f"target accuracy must be in (0, 1] (got {self.target_accuracy}).")
        suffix = ".npz" if self.model == "v1" else ".keras"
        if self.out is not None and not self.out.endswith(suffix):
            raise InvalidInput(f"{self.model.upper()} model files end in {suffix} (got {self.out}); pass --out NAME{suffix}.")
        if self.out is not None:
            check_writable(self.out)  # before the run, not after it
        return self

    def to_json(self) -> str:
        """The config as a JSON string (as stored in model files)."""
        data = asdict(self)
        data["data"] = list(self.data)
        return json.dumps(data, sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> TrainConfig:
        """Rebuild a config from :meth:`to_json`'s text (unknown keys are ignored)."""
        return config_from_mapping(cls, json.loads(text))


PRESETS: dict[tuple[str, str], dict[str, Any]] = {
    # The assignment: model(X, Y, word_to_vec_map, learning_rate=0.01, num_iterations=400).
    ("v1", "course"): dict(model="v1", preset="course", epochs=400, lr=0.01, batch=1),
    ("v1", "fast"): dict(model="v1", preset="fast", epochs=300, lr=0.05, batch=0),
    ("v2", "fast"): dict(model="v2", preset="fast", epochs=40, lr=1e-3, batch=32, patience=0, members=3,
                         units=128, dropout=0.5, noise=0.0, val_fraction=0.0),
}
"""Each preset's hyperparameters; :func:`preset_config` applies overrides on top."""

CLI_FLAGS: dict[str, str] = {
    "model": "--model", "data": "--data", "labels": "--labels", "skip_bad_rows": "--skip-bad-rows",
    "vectors": "--vectors", "epochs": "--epochs", "lr": "--lr", "batch": "--batch", "members": "--members",
    "val_fraction": "--val-fraction", "patience": "--patience", "seed": "--seed",
}
"""The ``seqtui emojify train`` option of each setting: a run's recorded command is written with them
(V2's units, dropout, noise and length have none: they are the preset's)."""


def preset_config(model: str = "v1", preset: str | None = None, **overrides: Any) -> TrainConfig:
    """A validated config: the preset's values, then every override that is not ``None``.

    Raises:
        InvalidInput: an unknown model or preset, or an override the preset cannot take.
    """
    preset = preset or "fast"
    if (model, preset) not in PRESETS:
        if model not in MODEL_KINDS:
            raise InvalidInput(f"Unknown model {model!r}: choose v1 or v2.")
        raise InvalidInput(f"There is no {preset!r} preset for {model}: choose " +
                           " or ".join(p for m, p in PRESETS if m == model) + ".")
    return config_from_preset(TrainConfig, PRESETS[(model, preset)], overrides, "emojify")


# --------------------------------------------------------------------------------------------
# Word vectors


def word_vectors(source: str | None) -> WordVectors:
    """The word vectors of ``source``: ``None`` (or the default's name) is GloVe 6B 50d, else a file."""
    from seqtui_models.core.word_vectors import DEFAULT_NAME

    return load_vectors(None if source in (None, "", DEFAULT_NAME) else source)
