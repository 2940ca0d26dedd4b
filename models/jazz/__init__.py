"""Jazz improvisation: an LSTM learns a solo's musical values and improvises new ones over chords.

What the jazz tab and ``seqtui jazz`` call. Dataclasses in, dataclasses out:

- :func:`training_music` → the :class:`~seqtui_models.jazz.music.Piece` list a run learns from: the
  default ragtime corpus, or a melody track of your MIDI/MusicXML file
  (:func:`~seqtui_models.jazz.tracks.open_music` lists its tracks).
- :func:`preset_config` / :class:`TrainConfig` → :func:`train` (the protocol of
  :mod:`seqtui_models.core.training`; run it with ``TrainingJob("seqtui_models.jazz:train", config, isolate=False)``)
  → ``RunResult`` whose ``payload["model"]`` is the trained :class:`JazzModel`.
- :func:`save_model` / :func:`load_model` / :func:`default_model` (the bundled ``data/jazz.keras``).
- :func:`generate` (:class:`GenerateConfig`: bars, temperature, top-k, seed, chords, primer)
  → :class:`Improvisation` (the :class:`~seqtui_models.jazz.notes.Solo`, its values, its statistics).
- :func:`export_midi` / :func:`export_wav` (the WAV by :mod:`seqtui_models.jazz.audio`).

The pipeline, as in the course: music → values (:mod:`seqtui_models.jazz.grammar`: kind of note over
the chord, duration, interval bounds) → an LSTM over one-hot values (:mod:`seqtui_models.jazz.model`)
→ sampled values → notes over a chord progression → MIDI / WAV / piano roll.

Two presets with the course's hyperparameters (LSTM n_a = 64, Tx = 30, 60 random windows, 100
epochs, Adam lr 0.01 with the course's decay 0.01, batch 32). ``course`` trains the course's
``djmodel`` itself: the shared cell unrolled 30 times. ``fast`` trains the very same function with
Keras' own loop over the window (``LSTM(return_sequences=True)``; a test checks that both compute
the same thing): it compiles in a few seconds instead of half a minute.

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
import math
import time
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np

from seqtui_models.core.errors import InvalidInput, ModelFileError
from seqtui_models.jazz.chords import TimedChord, loop_progression, parse_chord, parse_progression, progression_text
from seqtui_models.jazz.grammar import Value, decode, encode, parse_value
from seqtui_models.jazz.model import CellWeights, NumpyCell, choose
from seqtui_models.jazz.corpus import corpus_pieces, load_piece
from seqtui_models.jazz.midi_out import write_midi
from seqtui_models.jazz.music import Piece, make_solo
from seqtui_models.jazz.playback import Player, audio_status
from seqtui_models.jazz.wav import read_wav_info
from seqtui_models.jazz.music import SUFFIXES, note_name
from seqtui_models.jazz.tracks import file_solo, open_music
from seqtui_models.jazz.notes import CHORD, Solo, pitch_name
from seqtui_models.jazz.stats import SoloStats, longest_copied_run, solo_stats
from seqtui_models.core.paths import atomic_write, data_file, user_models_dir
from seqtui_models.core.training import Control, ProgressCallback, Reporter, RunResult, check_ranges, config_from_mapping, config_from_preset, keras_callback

__all__ = [
    "TrainConfig", "PRESETS", "preset_config", "train", "training_music", "JazzModel", "PieceValues",
    "save_model", "load_model", "default_model", "DEFAULT_MODEL", "GenerateConfig", "Improvisation",
    "generate", "export_midi", "export_wav", "values_of", "chord_symbols_at", "check_chords", "training_stats",
    "sidecar_path", "Player", "audio_status", "read_wav_info", "SUFFIXES", "file_solo", "note_name",
    "open_music", "CHORD", "Solo", "pitch_name",
]

FORMAT = "seqtui-jazz/1"
DEFAULT_MODEL = "jazz.keras"
"""The pretrained model bundled in the data folder (with ``jazz_values.json`` beside it)."""
Preset = Literal["course", "fast"]
PRESET_NAMES: tuple[str, ...] = ("course", "fast")


# --------------------------------------------------------------------------------------------
# Configuration


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
        out: Where to save the model (``.keras``; default: the per-user models folder).
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


def preset_config(preset: str = "fast", **overrides: Any) -> TrainConfig:
    """A validated config: the preset's values, then every override that is not ``None``."""
    if preset not in PRESETS:
        raise InvalidInput(f"Unknown preset {preset!r}: choose course or fast.")
    return config_from_preset(TrainConfig, PRESETS[preset], overrides, "jazz")


# --------------------------------------------------------------------------------------------
# The model


@dataclass(frozen=True)
class PieceValues:
    """A training piece as the model remembers it.

    Attributes:
        name: The piece.
        values: Its value indices (the novelty figure looks for copies of these).
        chords: Its chords, shifted so the one sounding when the melody begins starts at 0.
        beats_per_bar: Quarter notes per bar.
        tempo: Quarter notes per minute.
    """

    name: str
    values: tuple[int, ...]
    chords: tuple[TimedChord, ...]
    beats_per_bar: int
    tempo: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "name": self.name, "values": list(self.values),
            "chords": [[c.start, c.duration, c.chord.symbol] for c in self.chords],
            "beats_per_bar": self.beats_per_bar, "tempo": self.tempo,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PieceValues:
        """Rebuild from :meth:`to_dict`."""
        return cls(
            name=str(data["name"]), values=tuple(int(v) for v in data["values"]),
            chords=tuple(TimedChord(float(s), float(d), parse_chord(str(sym))) for s, d, sym in data["chords"]),
            beats_per_bar=int(data["beats_per_bar"]), tempo=float(data["tempo"]),
        )


@dataclass(frozen=True)
class JazzModel:
    """A trained jazz model and everything needed to improvise with it (numpy only).

    Attributes:
        values: The vocabulary of value strings (index = one-hot position).
        weights: The LSTM cell and Dense weights.
        config: How it was trained.
        pieces: The training pieces' values and chords.
        register: Lowest and highest pitch a solo may use.
        anchor: Where a first note is drawn.
        train_stats: Statistics of the training music.
        metrics: Final figures of its run.
        path: The file it was loaded from or saved to, if any.
    """

    values: tuple[str, ...]
    weights: CellWeights
    config: TrainConfig = field(default_factory=TrainConfig)
    pieces: tuple[PieceValues, ...] = ()
    register: tuple[int, int] = (55, 84)
    anchor: int = 67
    train_stats: SoloStats | None = None
    metrics: Mapping[str, Any] = field(default_factory=dict)
    path: str | None = None

    @property
    def n_values(self) -> int:
        """Size of the vocabulary."""
        return len(self.values)

    def index(self, value: str) -> int:
        """The index of a value string (InvalidInput with examples if the model does not know it)."""
        try:
            return self.values.index(str(parse_value(value)))
        except ValueError:
            kind = value.strip()[:1]
            examples = [v for v in self.values if v.startswith(kind)][:3] or list(self.values[:3])
            raise InvalidInput(
                f"The model does not know the value {value!r}; it knows {self.n_values} values such as "
                f"{', '.join(examples)}."
            ) from None

    @property
    def parsed(self) -> tuple[Value, ...]:
        """The vocabulary as :class:`~seqtui_models.jazz.grammar.Value` objects."""
        cached = self.__dict__.get("_parsed")
        if cached is None:
            cached = tuple(parse_value(v) for v in self.values)
            object.__setattr__(self, "_parsed", cached)
        return cached  # type: ignore[no-any-return]

    def describe(self) -> str:
        """One line: size, vocabulary, training music, loss."""
        loss = self.metrics.get("loss")
        loss_text = f", loss {loss:.3f} nats/value" if isinstance(loss, (int, float)) and math.isfinite(loss) else ""
        music = ", ".join(p.name for p in self.pieces) or "?"
        return f"LSTM n_a={self.weights.n_a} ({self.config.preset}), {self.n_values} values from {music}{loss_text}"


def values_of(pieces: Sequence[Piece]) -> list[list[str]]:
    """Each piece's melody over its chords as value strings."""
    return [[str(v) for v in encode(p.melody, p.chords)] for p in pieces]


def training_music(config: TrainConfig) -> list[Piece]:
    """The pieces a run learns from (the default corpus, or a track of ``config.midi``)."""
    if config.midi is None:
        return corpus_pieces()
    return [load_piece(config.midi, config.track, config.chord_track)]


def _progression_from(piece: Piece) -> tuple[TimedChord, ...]:
    """A piece's chords from the one sounding when its melody begins, moved to start at 0."""
    if not piece.chords:
        return ()
    first = piece.melody[0].start if piece.melody else piece.chords[0].start
    start = piece.chords[0].start
    for timed in piece.chords:
        if timed.start <= first + 1e-9:
            start = timed.start
    return tuple(TimedChord(c.start - start, c.duration, c.chord) for c in piece.chords if c.start >= start - 1e-9)


def _summaries(pieces: Sequence[Piece], sequences: Sequence[Sequence[str]], index: Mapping[str, int]) -> tuple[PieceValues, ...]:
    return tuple(
        PieceValues(p.name, tuple(index[v] for v in seq), _progression_from(p), p.beats_per_bar, p.tempo)
        for p, seq in zip(pieces, sequences)
    )


def _register(pieces: Sequence[Piece]) -> tuple[tuple[int, int], int]:
    pitches = np.array([n.pitch for p in pieces for n in p.melody], dtype=np.float64)  # (notes,)
    if pitches.size == 0:
        return (55, 84), 67
    low, high = np.percentile(pitches, [2, 98])
    low, high = int(math.floor(low)), int(math.ceil(high))
    if high - low < 12:  # at least an octave to move in
        middle = (low + high) // 2
        low, high = middle - 6, middle + 6
    return (low, high), int(round(float(np.median(pitches))))


def training_stats(pieces: Sequence[Piece]) -> SoloStats:
    """Statistics of the training music (all pieces pooled)."""
    return solo_stats([(p.melody, p.chords, (p.melody[-1].end - p.melody[0].start) / p.beats_per_bar)
                       for p in pieces if p.melody])


# --------------------------------------------------------------------------------------------
# Training


def _preview(weights: CellWeights, values: Sequence[str], rng: np.random.Generator, n: int = 8) -> str:
    """A few values sampled at temperature 0.7 from the weights so far (for the panel)."""
    cell = NumpyCell(weights)
    logits = cell.step(None)
    out = []
    for _ in range(n):
        index = choose(logits, 0.7, 0, rng)
        out.append(values[index])
        logits = cell.step(index)
    return " ".join(out)


def train(config: TrainConfig, *, control: Control, on_progress: ProgressCallback | None = None) -> RunResult:
    """Train the jazz LSTM on the config's music (the protocol of :mod:`seqtui_models.core.training`).

    A stopped run saves the model it has. ``payload["model"]`` is the trained :class:`JazzModel`.

    Raises:
        DataFileError: the music cannot be read or is too short.
        InvalidInput: a bad setting.
    """
    import keras

    from seqtui_models.jazz import model as jm

    config = config.validated()
    pieces = training_music(config)
    sequences = values_of(pieces)
    vocabulary = sorted({v for seq in sequences for v in seq})
    index = {v: i for i, v in enumerate(vocabulary)}
    encoded = [[index[v] for v in seq] for seq in sequences]
    rng = np.random.default_rng(config.seed)
    X, Y = jm.data_processing(encoded, len(vocabulary), config.windows, config.Tx, rng)  # (m, Tx, n_values)
    n_values, m = len(vocabulary), config.windows

    reshaper, LSTM_cell, densor = jm.make_layers(n_values, config.n_a, seed=config.seed)
    if config.unrolled:
        model = jm.unrolled_training_model(config.Tx, LSTM_cell, densor, reshaper)
        trained_lstm = LSTM_cell
    else:
        model, trained_lstm = jm.fused_training_model(config.Tx, n_values, config.n_a, seed=config.seed)
        densor = model.get_layer(jm.DENSOR)
    schedule = keras.optimizers.schedules.InverseTimeDecay(config.lr, decay_steps=1, decay_rate=config.decay)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=schedule, beta_1=0.9, beta_2=0.999),
                  loss="categorical_crossentropy")

    steps_per_epoch = math.ceil(m / config.batch)
    reporter = Reporter(config.epochs * steps_per_epoch, on_progress, control, unit="batch",
                        items_per_step=min(config.batch, m), item_unit="windows")
    progress = keras_callback(reporter, control, steps_per_epoch)
    preview_rng = np.random.default_rng(config.seed + 1)
    every = max(1, config.epochs // 10)

    class _Preview(keras.callbacks.Callback):  # type: ignore[misc]
        def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
            if (epoch + 1) % every == 0 or epoch + 1 == config.epochs:
                weights = jm.weights_of(trained_lstm, densor)
                sample = _preview(weights, vocabulary, preview_rng)
                reporter.report(progress.step, reporter.last_loss, samples=(f"epoch {epoch + 1}: {sample}",), force=True)

    zeros = np.zeros((m, config.n_a), dtype=np.float32)  # a0 = c0 = 0, as the course
    model.fit([X, zeros, zeros], Y, epochs=config.epochs, batch_size=config.batch, shuffle=False, verbose=0,
              callbacks=[progress, _Preview()])
    weights = jm.weights_of(trained_lstm, densor)
    # The loss of the final weights over all windows (the last batch's loss is noisier).
    final_loss = jm.window_loss(weights, X, Y)
    register, anchor = _register(pieces)
    epochs_done = min(config.epochs, math.ceil(progress.step / steps_per_epoch)) if progress.step else 0
    metrics = {
        "values": n_values, "windows": m, "epochs": epochs_done,
        "train_values": sum(len(s) for s in encoded), "pieces": len(pieces),
    }
    jazz = JazzModel(
        values=tuple(vocabulary), weights=weights, config=config, pieces=_summaries(pieces, sequences, index),
        register=register, anchor=anchor, train_stats=training_stats(pieces),
        metrics={"loss": final_loss, "epochs": epochs_done, "seconds": reporter.elapsed},
    )
    path = save_model(default_model_path(config), jazz)
    jazz = replace(jazz, path=str(path))
    result = reporter.result(control.stopped, progress.step, metrics=metrics, model_path=str(path), payload={"model": jazz})
    return replace(result, loss=final_loss)


# --------------------------------------------------------------------------------------------
# Save and load


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


# --------------------------------------------------------------------------------------------
# Improvising


@dataclass(frozen=True)
class GenerateConfig:
    """How to improvise.

    Attributes:
        bars: Length of the solo in bars.
        temperature: Sampling temperature: 0 is greedy (always the likeliest value), 1 the
            model's own distribution, above 1 wilder.
        top_k: Draw only among the k likeliest values (0: all).
        seed: Makes the draw repeatable (``None``: fresh randomness).
        chords: A typed progression ("Dm7 G7 Cmaj7 A7", one chord per bar, or with bar lines
            "Dm7 G7 | Cmaj7"); ``None`` uses the chords of a training piece.
        piece: Which training piece's chords (its index) when ``chords`` is ``None``.
        primer: Values to start from (strings separated by spaces), fed to the LSTM first and
            kept as the start of the solo.
        tempo: Quarter notes per minute (default: the piece's, 120 for typed chords).
    """

    bars: int = 8
    temperature: float = 0.7
    top_k: int = 0
    seed: int | None = None
    chords: str | None = None
    piece: int = 0
    primer: str | None = None
    tempo: float | None = None

    def validated(self) -> GenerateConfig:
        """Return this config after checking it, or raise :class:`InvalidInput`."""
        if not 1 <= self.bars <= 256:
            raise InvalidInput(f"bars must be between 1 and 256 (got {self.bars}).")
        if not (0 <= self.temperature <= 10 and math.isfinite(self.temperature)):
            raise InvalidInput(f"The temperature must be between 0 (greedy) and 10 (got {self.temperature}).")
        if self.top_k < 0:
            raise InvalidInput(f"top-k must be 0 (every value) or more (got {self.top_k}).")
        if self.tempo is not None and not (20 <= self.tempo <= 400):
            raise InvalidInput(f"The tempo must be between 20 and 400 quarter notes per minute (got {self.tempo}).")
        return self


@dataclass(frozen=True)
class Improvisation:
    """A generated solo.

    Attributes:
        solo: The notes and the voiced chords (for the piano roll, MIDI and WAV).
        values: The value strings it was decoded from (primer included; the last one may be
            shortened to end on the last bar line).
        primer: How many of ``values`` came from the primer.
        stats: Its statistics (novelty measured on the generated values only).
        train_stats: The training music's, to compare.
        chords: The progression as text, bar lines included.
        config: The settings it was made with (the seed actually used filled in).
        seconds: Time the sampling and decoding took.
    """

    solo: Solo
    values: tuple[str, ...]
    primer: int
    stats: SoloStats
    train_stats: SoloStats | None
    chords: str
    config: GenerateConfig
    seconds: float

    def summary(self) -> dict[str, Any]:
        """JSON-ready figures."""
        return {
            "notes": len(self.solo.melody), "bars": self.config.bars, "seconds": round(self.solo.seconds, 3),
            "tempo": self.solo.tempo, "chords": self.chords, "temperature": self.config.temperature,
            "top_k": self.config.top_k, "seed": self.config.seed, "values": list(self.values),
            "stats": self.stats.to_dict(),
            "train_stats": self.train_stats.to_dict() if self.train_stats else None,
        }


def _progression(model: JazzModel, config: GenerateConfig) -> tuple[list[TimedChord], int, float]:
    """The chords to play over, bars' length and tempo."""
    if config.chords is not None and config.chords.strip():
        chords = parse_progression(config.chords, 4)
        return chords, 4, config.tempo or 120.0
    if not model.pieces:
        raise InvalidInput("This model remembers no piece to take chords from: type a progression, e.g. Dm7 G7 Cmaj7 A7.")
    if not 0 <= config.piece < len(model.pieces):
        raise InvalidInput(f"Pick a piece from 0 to {len(model.pieces) - 1} for the chords (got {config.piece}).")
    piece = model.pieces[config.piece]
    if not piece.chords:
        raise InvalidInput(f"{piece.name} has no chords: type a progression, e.g. Dm7 G7 Cmaj7 A7.")
    return list(piece.chords), piece.beats_per_bar, config.tempo or piece.tempo


def generate(model: JazzModel, config: GenerateConfig | None = None) -> Improvisation:
    """Improvise a solo: sample values from the LSTM, then decode them over the chords.

    The cell starts from a⟨0⟩ = c⟨0⟩ = 0 and x⟨0⟩ = 0 (the course's initializers); the primer's
    values are fed first; then each step draws a value from softmax(z / T) (top-k applied) and
    feeds it back, until the values fill ``bars`` bars. The last value is shortened to end on
    the bar line. Decoding follows :func:`seqtui_models.jazz.grammar.decode` with the model's register.

    Raises:
        InvalidInput: a bad setting, an unknown chord symbol or primer value.
    """
    config = (config or GenerateConfig()).validated()
    started = time.perf_counter()
    seed = config.seed if config.seed is not None else int(np.random.default_rng().integers(2**31))
    config = replace(config, seed=seed)
    rng = np.random.default_rng(seed)
    progression, beats_per_bar, tempo = _progression(model, config)
    length = float(config.bars * beats_per_bar)
    chords = loop_progression(progression, length)
    parsed = model.parsed
    primer = [model.index(v) for v in (config.primer or "").split()]

    cell = NumpyCell(model.weights)
    logits = cell.step(None)  # x⟨0⟩ = 0: the distribution of a first value
    indices: list[int] = []
    clock = 0.0
    for index in primer:
        indices.append(index)
        clock += parsed[index].duration
        logits = cell.step(index)
    generated: list[int] = []
    limit = int(length * 48) + 1  # a value lasts at least 1/48 quarter
    while clock < length - 1e-9 and len(generated) < limit:
        index = choose(logits, config.temperature, config.top_k, rng)
        generated.append(index)
        indices.append(index)
        clock += parsed[index].duration
        logits = cell.step(index)

    # Keep what fits in the bars; shorten the value that crosses the last bar line.
    values: list[Value] = []
    used = 0.0
    for index in indices:
        value = parsed[index]
        if used >= length - 1e-9:
            break
        if used + value.duration > length + 1e-9:
            value = Value(value.kind, round((length - used) * 48) / 48, value.upper, value.lower)
        values.append(value)
        used += value.duration
    notes = decode(values, chords, anchor=model.anchor, register=model.register, rng=rng)
    novelty = longest_copied_run(generated, [p.values for p in model.pieces])
    stats = solo_stats([(notes, chords, float(config.bars))], longest_copy=novelty)
    solo = make_solo(notes, chords, tempo, beats_per_bar, shift=0.0)
    return Improvisation(
        solo=solo, values=tuple(str(v) for v in values), primer=min(len(primer), len(values)), stats=stats,
        train_stats=model.train_stats, chords=progression_text(chords, beats_per_bar, config.bars), config=config,
        seconds=time.perf_counter() - started,
    )


# --------------------------------------------------------------------------------------------
# Music out


def export_midi(improvisation: Improvisation | Solo, path: str | Path) -> Path:
    """Write the solo and its chords to a MIDI file (see :func:`seqtui_models.jazz.midi_out.write_midi`)."""
    solo = improvisation.solo if isinstance(improvisation, Improvisation) else improvisation
    return write_midi(solo, path)


def export_wav(improvisation: Improvisation | Solo, path: str | Path) -> Any:
    """Render the solo and its chords to a WAV file with seqtui's synthesizer (``seqtui_models.jazz.audio``)."""
    from seqtui_models.jazz import audio as jazz_audio

    solo = improvisation.solo if isinstance(improvisation, Improvisation) else improvisation
    path = Path(path)
    if path.suffix.lower() != ".wav":
        raise InvalidInput(f"WAV files end in .wav (got {path.name}); pass a path like solo.wav.")
    return jazz_audio.render_wav(solo, path)


def chord_symbols_at(model: JazzModel, piece: int = 0) -> str:
    """A training piece's progression as text (for showing it in the tab)."""
    if not 0 <= piece < len(model.pieces):
        return ""
    p = model.pieces[piece]
    return progression_text(list(p.chords), p.beats_per_bar)


def check_chords(text: str) -> str:
    """Validate a typed progression; return it normalised (raises InvalidInput with the bad symbol)."""
    return progression_text(parse_progression(text, 4), 4)

