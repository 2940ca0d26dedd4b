"""The hyperparameters of a jazz training run: :class:`TrainConfig` and its two presets.

Both presets have the course's hyperparameters (LSTM n_a = 64, Tx = 30, 60 random windows, Adam
lr 0.01 with the course's decay 0.01, batch 32). ``course`` trains the course's ``djmodel``
itself: the shared cell unrolled 30 times, 100 epochs. ``fast`` trains the very same function
with Keras' own loop over the window (``LSTM(return_sequences=True)``; a test checks that both
compute the same thing) for 25 epochs: it compiles in a few seconds instead of half a minute.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Literal

from seqtui_models.core.errors import InvalidInput
from seqtui_models.core.paths import check_writable
from seqtui_models.core.training import check_ranges, config_from_mapping, config_from_preset

Preset = Literal["course", "fast"]
PRESET_NAMES: tuple[str, ...] = ("course", "fast")


@dataclass(frozen=True)
class TrainConfig:
    """Hyperparameters and music of one run. The defaults are the course's.

    Attributes:
        preset: ``"course"`` trains the unrolled djmodel, ``"fast"`` the same model with Keras'
            own loop over the window (see the module docstring).
        midi: A MIDI or MusicXML file to learn from; ``None`` is the default ragtime corpus.
        track: The melody's track number in ``midi`` (default: the heuristic's pick).
        chord_track: A track to take the chords from (default: chord symbols, else the
            accompaniment, see :func:`seqtui_models.jazz.lead_sheet.extract`).
        n_a: LSTM units. The course's 64 learn a few hundred values' worth of patterns without
            taking long on a CPU.
        Tx: Values per training window: 30 is about two bars of eighths, long enough to learn
            phrase shapes, short enough for a small corpus to give many different windows.
        windows: How many random windows (the course's m = 60): with two rags (~650 values) they
            cover most of the music a few times over.
        epochs: Passes over the windows (the course's 100; the loss flattens before that).
        batch: Windows per step (Keras' default 32, as the course's ``fit`` call used).
        lr: Adam's learning rate (the course's 0.01: large, but a small model on little data).
        decay: The course's Adam(decay=0.01): lr_t = lr / (1 + decay · step). Keras 3 dropped
            the argument; an InverseTimeDecay schedule does the same.
        seed: Seeds the windows and the initial weights (the batches are not shuffled, so a run
            repeats exactly).
        out: Where to also save the model (``.keras``); every run keeps one in its run folder
            (:mod:`seqtui_models.core.runs`).
    """

    preset: Preset = "course"
    midi: str | None = None
    track: int | None = None
    chord_track: int | None = None
    n_a: int = 64
    Tx: int = 30
    windows: int = 60
    epochs: int = 100
    batch: int = 32
    lr: float = 0.01
    decay: float = 0.01
    seed: int = 0
    out: str | None = None

    @property
    def unrolled(self) -> bool:
        """Whether training builds the course's unrolled djmodel."""
        return self.preset == "course"

    def validated(self) -> TrainConfig:
        """Return this config after checking every field, or raise :class:`InvalidInput`."""
        if self.preset not in PRESET_NAMES:
            raise InvalidInput(f"Unknown preset {self.preset!r}: choose course or fast.")
        check_ranges((
            ("n_a", self.n_a, 1, 1024),
            ("Tx", self.Tx, 2, 400),
            ("windows", self.windows, 1, 1_000_000),
            ("epochs", self.epochs, 1, 100_000),
            ("batch", self.batch, 1, 100_000),
        ))
        for name, number in (("track", self.track), ("chord_track", self.chord_track)):
            if number is not None and number < 1:
                raise InvalidInput(f"{name} numbers start at 1 (got {number}); see 'seqtui jazz tracks FILE'.")
        if (self.track is not None or self.chord_track is not None) and self.midi is None:
            raise InvalidInput("--track and --chord-track choose tracks of your file: pass it with --midi FILE.")
        if not (0 < self.lr <= 10 and math.isfinite(self.lr)):
            raise InvalidInput(f"lr must be in (0, 10] (got {self.lr}).")
        if not (0 <= self.decay < 100 and math.isfinite(self.decay)):
            raise InvalidInput(f"decay must be in [0, 100) (got {self.decay}).")
        if self.out is not None and not self.out.endswith(".keras"):
            raise InvalidInput(f"Jazz models are .keras files (got {self.out}); pass --out NAME.keras.")
        if self.out is not None:
            check_writable(self.out)  # before the run, not after it
        return self

    def to_dict(self) -> dict[str, Any]:
        """The config as a JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TrainConfig:
        """Rebuild a config (unknown keys are ignored)."""
        return config_from_mapping(cls, data)


PRESETS: dict[str, dict[str, Any]] = {
    # The assignment: djmodel(Tx=30, LSTM(64)), 60 windows, Adam(lr=0.01, decay=0.01), 100 epochs.
    "course": dict(preset="course", n_a=64, Tx=30, windows=60, epochs=100, batch=32, lr=0.01, decay=0.01),
    # The same model and data, Keras' own loop, and 25 epochs: measured on the default corpus, the
    # median longest copied run at temperature 0.7 is 4 values at 25 epochs, 12 at 50, 18 at 100.
    "fast": dict(preset="fast", n_a=64, Tx=30, windows=60, epochs=25, batch=32, lr=0.01, decay=0.01),
}
"""Each preset's hyperparameters; :func:`preset_config` applies overrides on top."""

CLI_FLAGS: dict[str, str] = {
    "midi": "--midi", "track": "--track", "chord_track": "--chord-track", "epochs": "--epochs",
    "windows": "--windows", "Tx": "--tx", "n_a": "--hidden", "seed": "--seed",
}
"""The ``seqtui jazz train`` option of each setting: a run's recorded command is written with them
(lr, batch and decay have none: every run, from the CLI or the tab, takes its preset's)."""


def preset_config(preset: str = "fast", **overrides: Any) -> TrainConfig:
    """A validated config: the preset's values, then every override that is not ``None``."""
    if preset not in PRESETS:
        raise InvalidInput(f"Unknown preset {preset!r}: choose course or fast.")
    return config_from_preset(TrainConfig, PRESETS[preset], overrides, "jazz")
