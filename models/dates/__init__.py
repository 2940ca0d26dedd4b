"""Date translation with attention: human-written dates in, ISO dates (YYYY-MM-DD) out.

What the dates tab and ``seqtui dates`` call. Dataclasses in, dataclasses out:

- :mod:`seqtui_models.dates.data` makes the (human, ISO, family) pairs; :func:`heldout_pairs` draws an
  evaluation set from days training never sees; :func:`read_pairs` reads ``input<TAB>iso`` files.
- :func:`preset_config` / :class:`TrainConfig` → :func:`train` (the protocol of
  :mod:`seqtui_models.core.training`; Keras, run in a thread: ``TrainingJob("seqtui_models.dates:train", config,
  isolate=False)``) → ``RunResult`` whose ``payload["model"]`` is the :class:`DateModel`.
- :func:`load_model` / :func:`save_model` / :func:`default_model` (the bundled ``data/dates.keras``).
- :func:`translate` → :class:`Translation`: the ISO string, each character's probability, the
  confidence, the attention matrix (T_y × the characters read), whether the output is a real
  calendar date, and whether the input was cut at T_x.
- :func:`evaluate` → :class:`EvalResult`: exact match overall and per format family, the mistakes.

Two presets (the networks are in :mod:`seqtui_models.dates.net`). ``course`` is the assignment: its
37-character input vocabulary (lower-case letters of English month and day names, digits, space,
'.', '/', <unk>, <pad>), its preprocessing (``string_to_int``: lower-case, commas dropped, cut at
T_x = 30), its model (52,960 parameters) and its optimiser (Adam, lr 0.005, decay 0.01 per step,
batch 100, categorical cross-entropy on each of the 10 outputs). ``best`` is ours: a vocabulary
of every letter, digit and the punctuation people type in dates (case folded: 'J' and 'j' are one
entry — the only normalisation; spaces, commas and everything else reach the network as typed),
T_x = 40, masked padding, attention for all steps at once with input-dependent queries, larger
batches, a higher learning rate with a cosine schedule, and half its data in real-world formats.

Losses are cross-entropies in nats per output character (the course's sum over its 10 outputs is
averaged instead; Adam is indifferent to that scale). Exact match counts a date right
only if all 10 characters are.

Model file (``.keras``, read with ``keras.saving.load_model(path, safe_mode=True)``): the
translator model (outputs: probabilities (m, 10, 11) and attention (m, 10, T_x)) plus
``seqtui.json`` in the same zip: format, preset, T_x, the input characters, the config, metrics.
"""

from __future__ import annotations

import calendar
import json
import math
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import numpy as np

from seqtui_models.dates import data as dates_data
from seqtui_models.dates.data import FAMILIES, DatePair, families, generate
from seqtui_models.core.frameworks import quiet_tensorflow
from seqtui_models.core.errors import DataFileError, InvalidInput, ModelFileError
from seqtui_models.core.keras_files import load_net, read_meta, save_keras
from seqtui_models.core.paths import data_file, user_models_dir
from seqtui_models.core.training import Control, ProgressCallback, Reporter, RunResult, check_ranges, config_from_mapping, config_from_preset, keras_callback

# TensorFlow writes start-up notices straight to file descriptor 2 when it is first imported; in
# the app that is the screen. Set before any Keras import below (a user's own settings win).
quiet_tensorflow()

__all__ = [
    "DatePair", "Vocab", "COURSE_VOCAB", "BEST_VOCAB", "MACHINE_CHARS", "TY",
    "TrainConfig", "PRESETS", "preset_config", "train", "DateModel",
    "save_model", "load_model", "default_model", "DEFAULT_MODEL", "default_model_path",
    "Translation", "translate", "translate_many", "check_iso",
    "EvalResult", "FamilyScore", "Mistake", "evaluate", "heldout_pairs", "read_pairs", "fuzz",
    "FAMILIES", "generate",
]

FORMAT = "seqtui-dates/1"
DEFAULT_MODEL = "dates.keras"
"""The pretrained model bundled in the data folder."""

Preset = Literal["course", "best"]
PRESET_NAMES: tuple[str, ...] = ("course", "best")

TY = 10
"""Output characters: "YYYY-MM-DD"."""
MACHINE_CHARS = "-0123456789"
"""The course's machine vocabulary, in its order (sorted): '-' is 0, '0' … '9' are 1 … 10."""
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_VAL_SEED = 7_000_001  # the held-out set followed during training: the same for every run
_PREDICT_BATCH = 256


# --------------------------------------------------------------------------------------------
# Vocabularies


@dataclass(frozen=True)
class Vocab:
    """An input vocabulary and how text becomes indices.

    Attributes:
        kind: ``"course"``: the assignment's ``human_vocab`` (sorted characters, then ``<unk>``
            and ``<pad>``) and its ``string_to_int`` (lower-case, commas dropped, cut at T_x,
            padded with ``<pad>``); ``"best"``: ``<pad>`` = 0, ``<unk>`` = 1, then ``chars``,
            case folded, nothing dropped.
        chars: The known characters, in index order.
        tx: T_x, the most characters the model reads.
    """

    kind: Literal["course", "best"]
    chars: str
    tx: int

    @property
    def size(self) -> int:
        """Entries, ``<unk>`` and ``<pad>`` included."""
        return len(self.chars) + 2

    @property
    def unk(self) -> int:
        """Index of ``<unk>``."""
        return len(self.chars) if self.kind == "course" else 1

    @property
    def pad(self) -> int:
        """Index of ``<pad>``."""
        return len(self.chars) + 1 if self.kind == "course" else 0

    def _table(self) -> dict[str, int]:
        offset = 0 if self.kind == "course" else 2
        return {c: i + offset for i, c in enumerate(self.chars)}

    def fold(self, ch: str) -> str:
        """The vocabulary entry a typed character is looked up as (case folding only)."""
        low = ch.lower()
        return low if len(low) == 1 else ch

    def prepare(self, text: str) -> str:
        """The text before it is cut at T_x: the course's ``string_to_int`` lower-cases and drops
        commas; ours takes the text as typed."""
        return text.lower().replace(",", "") if self.kind == "course" else text

    def reads(self, text: str) -> tuple[str, bool]:
        """What the model reads of ``text`` and whether it was cut at T_x."""
        text = self.prepare(text)
        return text[: self.tx], len(text) > self.tx

    def unknown(self, text: str) -> str:
        """The distinct characters of ``text`` the vocabulary lacks, in order of appearance."""
        table = self._table()
        return "".join(dict.fromkeys(ch for ch in text if self.fold(ch) not in table))

    def encode(self, text: str, length: int | None = None) -> np.ndarray:
        """Indices of the characters read, padded to ``length`` (default T_x): (length,)."""
        read, _ = self.reads(text)
        table = self._table()
        out = np.full(length or self.tx, self.pad, dtype=np.int32)  # (T_x,)
        out[: len(read)] = [table.get(self.fold(ch), self.unk) for ch in read]
        return out

    def describe(self) -> str:
        """The characters, compactly (for messages)."""
        letters = "".join(c for c in self.chars if c.isalpha())
        digits = "".join(c for c in self.chars if c.isdigit())
        other = "".join(c for c in self.chars if not c.isalnum())
        case = "" if self.kind == "course" else " (either case)"
        shown = other.replace(" ", "space ")
        return f"{len(letters)} letters {letters}{case}, digits {digits[:1]}–{digits[-1:]}, {shown}"


COURSE_VOCAB = Vocab("course", " ./0123456789abcdefghijlmnoprstuvwy", 30)
"""The assignment's human vocabulary: 35 characters + <unk> + <pad> = 37 (no k, q, x, z: no
English month or day name has them)."""
BEST_VOCAB = Vocab("best", " 0123456789abcdefghijklmnopqrstuvwxyz.,/-'", 40)
"""Ours: every letter (case folded), digits, space and . , / - ' — 44 entries with <pad>, <unk>."""


def vocab_for(preset: str, tx: int | None = None) -> Vocab:
    """The input vocabulary of a preset (with T_x overridden if given)."""
    base = COURSE_VOCAB if preset == "course" else BEST_VOCAB
    return base if tx is None else Vocab(base.kind, base.chars, tx)


def decode(indices: Sequence[int]) -> str:
    """Machine-vocabulary indices → the output string."""
    return "".join(MACHINE_CHARS[int(i)] for i in indices)


def encode_iso(iso: str) -> np.ndarray:
    """"YYYY-MM-DD" → machine-vocabulary indices: (T_y,)."""
    return np.array([MACHINE_CHARS.index(ch) for ch in iso], dtype=np.int32)


# --------------------------------------------------------------------------------------------
# Configuration


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
            the model (after 1,000 steps the rate is a tenth): 20 epochs with it reached 13.6%
            exact match on course-style dates in 143 s, without it 99.95% in 90 s (measured, on
            the course's own formats). ``--decay 0`` is the course model at its best.
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
        out: Where to save the model (default: the per-user models folder).
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
        if self.preset not in PRESET_NAMES:
            raise InvalidInput(f"Unknown preset {self.preset!r}: choose course or best.")
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


def preset_config(preset: str = "best", **overrides: Any) -> TrainConfig:
    """A validated config: the preset's values, then every override that is not ``None``.

    Raises:
        InvalidInput: an unknown preset or setting, or a size the course preset cannot take.
    """
    if preset not in PRESETS:
        raise InvalidInput(f"Unknown preset {preset!r}: choose course or best.")
    return config_from_preset(TrainConfig, PRESETS[preset], overrides, "dates")


# --------------------------------------------------------------------------------------------
# The model


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
    """

    preset: str
    vocab: Vocab
    translator: Any
    config: TrainConfig = field(default_factory=TrainConfig)
    metrics: Mapping[str, Any] = field(default_factory=dict)
    path: str | None = None

    def describe(self) -> str:
        """One line: preset, parameters, held-out exact match."""
        exact = self.metrics.get("exact_match")
        score = f", held-out exact match {exact:.2%}" if isinstance(exact, (int, float)) else ""
        return f"{self.preset} ({self.translator.count_params():,} parameters, T_x {self.vocab.tx}){score}"

    def predict(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Probabilities (m, T_y, 11) and attention (m, T_y, T_x) for a batch of texts.

        Every text is padded to T_x, so the compiled prediction is traced once per batch size.
        """
        ids = np.stack([self.vocab.encode(t) for t in texts]) if texts else np.zeros((0, self.vocab.tx), np.int32)
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


def default_model_path(config: TrainConfig) -> Path:
    """Where a run saves its model unless ``config.out`` says otherwise."""
    if config.out:
        return Path(config.out)
    return user_models_dir() / f"dates-{config.preset}.keras"


def save_model(path: str | Path, model: DateModel) -> Path:
    """Save a model atomically: the Keras translator, with ``seqtui.json`` in the same zip."""
    meta = {
        "format": FORMAT, "preset": model.preset, "tx": model.vocab.tx, "chars": model.vocab.chars,
        "config": json.loads(model.config.to_json()), "metrics": dict(model.metrics),
    }
    return save_keras(path, model.translator, meta, "Date models")


def load_model(path: str | Path) -> DateModel:
    """Load a model saved by :func:`save_model` (``safe_mode=True``: no code runs from the file).

    Raises:
        ModelFileError: the file is missing, not a date model, broken or inconsistent.
    """
    path = Path(path)
    hint = "train one with 'seqtui dates train', or leave --model out to use the bundled one"
    meta = read_meta(path, FORMAT, "a seqtui date model", hint)
    try:
        preset = str(meta["preset"])
        if preset not in PRESET_NAMES:
            raise ModelFileError(f"{path} names an unknown preset {preset!r} — {hint}.")
        vocab = Vocab("course" if preset == "course" else "best", str(meta["chars"]), int(meta["tx"]))
        config = TrainConfig.from_json(json.dumps(meta.get("config", {})))
        metrics = meta.get("metrics", {})
    except ModelFileError:
        raise
    except (ValueError, KeyError, TypeError) as exc:
        raise ModelFileError(f"{path} is not a readable date model ({exc}) — {hint}.") from None

    from seqtui_models.dates import net as dates_net  # noqa: F401 - registers the custom layers before loading

    translator = load_net(path, hint)
    _check_shapes(path, preset, vocab, translator, hint)
    return DateModel(preset, vocab, translator, config, metrics, str(path))


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


# --------------------------------------------------------------------------------------------
# Translating


def check_iso(text: str) -> tuple[bool, str]:
    """Whether ``text`` is a real calendar date written YYYY-MM-DD, and if not, why.

    Returns:
        ``(True, "")`` or ``(False, reason)``, e.g. ``"May 1979 has 31 days, not 33"``.
    """
    match = _ISO.fullmatch(text)
    if not match:
        return False, f"{text!r} is not of the form YYYY-MM-DD"
    year, month, day = (int(g) for g in match.groups())
    if year < 1:
        return False, "there is no year 0000"
    if not 1 <= month <= 12:
        return False, f"there is no month {month:02d}"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return False, f"{calendar.month_name[month]} {year} has {days} days, not {day}"
    return True, ""


@dataclass(frozen=True)
class Translation:
    """One date, translated.

    Attributes:
        input: The text as given.
        read: The characters the model read (the course's preprocessing lower-cases and drops
            commas; both cut at T_x). The attention's columns are these characters.
        iso: The model's output, always 10 characters (most probable character at each step).
        valid_date: Whether ``iso`` is a real calendar date.
        problem: Why it is not ("" when it is).
        confidence: P(this output | input) = Π of the character probabilities (the 10 outputs
            are independent given the input in both models).
        char_probs: The probability of each output character, (T_y,).
        attention: α, (T_y, len(read)): row t is where output character t looked.
        pad_attention: Per output step, the attention that went to padding (the course model
            attends over all 30 positions; ours gives padding exactly 0).
        truncated: The input was longer than T_x and only its start was read.
        unknown: Characters the vocabulary lacks (read as <unk>).
        notes: What the user should know (truncation, unknown characters), as sentences.
    """

    input: str
    read: str
    iso: str
    valid_date: bool
    problem: str
    confidence: float
    char_probs: tuple[float, ...]
    attention: np.ndarray
    pad_attention: tuple[float, ...]
    truncated: bool
    unknown: str
    notes: tuple[str, ...] = ()

    def to_dict(self, attention: bool = False) -> dict[str, Any]:
        """A JSON-ready dict (the attention matrix only if asked)."""
        out: dict[str, Any] = {
            "input": self.input, "iso": self.iso, "valid_date": self.valid_date, "confidence": self.confidence,
            "problem": self.problem or None, "char_probs": list(self.char_probs), "read": self.read,
            "truncated": self.truncated, "unknown": self.unknown, "notes": list(self.notes),
        }
        if attention:
            out["attention"] = [[round(float(v), 5) for v in row] for row in self.attention]
            out["attention_columns"] = list(self.read)
        return out


_FOUR_DIGITS = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def years_outside_training(text: str) -> list[int]:
    """The four-digit years in ``text`` that lie outside the training range (1970–2030).

    The models only ever saw those years, so for any other year they answer with one they know
    (a plausible-looking but wrong date); the translation says so instead of staying silent.
    """
    years = (int(m) for m in _FOUR_DIGITS.findall(text))
    return [y for y in years if not dates_data.FIRST_DAY.year <= y <= dates_data.LAST_DAY.year]


def _notes(vocab: Vocab, text: str, read: str, truncated: bool, unknown: str) -> tuple[str, ...]:
    notes = []
    outside = years_outside_training(text)
    if outside:
        notes.append(
            f"The model learned only the years {dates_data.FIRST_DAY.year}–{dates_data.LAST_DAY.year}; "
            f"{outside[0]} is outside them, so the year it gives is a guess."
        )
    if truncated:
        notes.append(
            f"Only the first {vocab.tx} of {len(vocab.prepare(text))} characters were read (the model's T_x): "
            f"{read!r}. Shorten the date."
        )
    if unknown:
        notes.append(f"The model does not know {', '.join(repr(c) for c in unknown)} and read it as <unk>.")
    return tuple(notes)


def check_readable(vocab: Vocab, text: str) -> None:
    """Raise :class:`InvalidInput` if ``text`` is empty or mostly characters the model lacks."""
    if not text.strip():
        raise InvalidInput("Type a date, e.g. '3 May 1979' or 'the 4th of july 76'.", "Nothing to translate")
    read, _ = vocab.reads(text)
    visible = [ch for ch in read if not ch.isspace()]
    unknown = [ch for ch in visible if vocab.unknown(ch)]
    if len(unknown) * 2 > len(visible):
        raise InvalidInput(
            f"{len(unknown)} of the {len(visible)} characters of {text!r} are unknown to the model "
            f"({vocab.unknown(read)!r}); it reads {vocab.describe()}.",
            "Not a date the model can read",
        )


def translate_many(model: DateModel, texts: Sequence[str]) -> list[Translation]:
    """Translate a batch of texts (no input checks: see :func:`translate` for one text)."""
    probs, attention = model.predict(texts)  # (m, T_y, 11), (m, T_y, T_x)
    out = []
    for i, text in enumerate(texts):
        read, truncated = model.vocab.reads(text)
        best = probs[i].argmax(axis=-1)  # (T_y,) greedy: each step's most probable character
        char_probs = probs[i][np.arange(TY), best]  # (T_y,)
        iso = decode(best)
        valid, problem = check_iso(iso)
        unknown = model.vocab.unknown(read)
        out.append(Translation(
            input=text, read=read, iso=iso, valid_date=valid, problem=problem,
            confidence=float(np.prod(char_probs.astype(np.float64))),
            char_probs=tuple(float(p) for p in char_probs),
            attention=np.asarray(attention[i][:, : len(read)], dtype=np.float64),  # (T_y, len(read))
            pad_attention=tuple(float(v) for v in attention[i][:, len(read):].sum(axis=-1)),
            truncated=truncated, unknown=unknown, notes=_notes(model.vocab, text, read, truncated, unknown),
        ))
    return out


def translate(model: DateModel, text: str) -> Translation:
    """Translate one human-written date.

    Raises:
        InvalidInput: the text is empty or mostly characters the model does not know. A text
            longer than T_x is not an error: its start is read and ``truncated`` says so.
    """
    check_readable(model.vocab, text)
    return translate_many(model, [text])[0]


def fuzz(model: DateModel, seed: int | np.random.Generator | None = None) -> tuple[DatePair, Translation]:
    """A tricky held-out real-world date (:func:`seqtui_models.dates.data.tricky`) and its translation."""
    pair = dates_data.tricky(seed, max_length=model.vocab.tx)
    return pair, translate_many(model, [pair.human])[0]


# --------------------------------------------------------------------------------------------
# Evaluating


@dataclass(frozen=True)
class FamilyScore:
    """Exact match within one format family."""

    exact_match: float
    n: int
    kind: str


@dataclass(frozen=True)
class Mistake:
    """A pair the model got wrong."""

    input: str
    expected: str
    got: str
    family: str
    confidence: float
    valid_date: bool


@dataclass(frozen=True)
class EvalResult:
    """A model's exact match on a set of pairs.

    Attributes:
        exact_match: Share of pairs whose 10 output characters are all right.
        n: Pairs scored.
        by_format: Exact match per format family (families in report order).
        invalid_dates: Outputs that are not real calendar dates.
        truncated: Inputs longer than T_x (only their start was read).
        mistakes: Up to ``max_mistakes`` of the wrong pairs, least confident first.
        wrong: How many pairs were wrong in all.
        source: Where the pairs came from.
    """

    exact_match: float
    n: int
    by_format: Mapping[str, FamilyScore]
    invalid_dates: int
    truncated: int
    mistakes: tuple[Mistake, ...]
    wrong: int
    source: str

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "exact_match": self.exact_match, "n": self.n,
            "by_format": {k: asdict(v) for k, v in self.by_format.items()},
            "invalid_dates": self.invalid_dates, "truncated": self.truncated, "wrong": self.wrong,
            "mistakes": [asdict(m) for m in self.mistakes], "source": self.source,
        }


def evaluate(model: DateModel, pairs: Sequence[DatePair], *, max_mistakes: int = 50, source: str = "pairs") -> EvalResult:
    """Translate every pair and count exact matches, overall and per family.

    Raises:
        DataFileError: there are no pairs.
    """
    if not pairs:
        raise DataFileError(f"No pairs to evaluate in {source}.")
    results = translate_many(model, [p.human for p in pairs])
    right = np.array([r.iso == p.iso for r, p in zip(results, pairs)])  # (n,)
    order = [f for f in families() if any(p.family == f for p in pairs)]
    order += sorted({p.family for p in pairs} - set(order))
    by_format = {}
    for fam in order:
        mask = np.array([p.family == fam for p in pairs])
        kind = dates_data.FAMILIES[fam].kind if fam in dates_data.FAMILIES else "file"
        by_format[fam] = FamilyScore(float(right[mask].mean()), int(mask.sum()), kind)
    wrong = [Mistake(p.human, p.iso, r.iso, p.family, r.confidence, r.valid_date)
             for r, p, ok in zip(results, pairs, right) if not ok]
    wrong.sort(key=lambda m: m.confidence)
    return EvalResult(
        exact_match=float(right.mean()), n=len(pairs), by_format=by_format,
        invalid_dates=sum(not r.valid_date for r in results), truncated=sum(r.truncated for r in results),
        mistakes=tuple(wrong[:max_mistakes]), wrong=len(wrong), source=source,
    )


def heldout_pairs(n: int, *, seed: int = 1, mix: dates_data.Mix = "mixed", real_share: float = 0.5,
                  max_length: int | None = None) -> list[DatePair]:
    """``n`` pairs on days no training run uses (see :mod:`seqtui_models.dates.data`)."""
    return dates_data.generate(n, seed=seed, mix=mix, real_share=real_share, split="heldout", max_length=max_length)


def read_pairs(path: str | Path) -> list[DatePair]:
    """Read ``input<TAB>YYYY-MM-DD`` lines (an optional third column names the family).

    A first line whose second column is not a date is a header and skipped; blank lines are
    skipped. Rows without a family column get the family "file".

    Raises:
        DataFileError: the file is missing, not UTF-8 text, has a malformed line (the message
            gives its number) or has no pairs.
    """
    path = Path(path)
    layout = "each line is: the date as written, a tab, the date as YYYY-MM-DD (and optionally a tab and a family name)"
    if not path.is_file():
        raise DataFileError(f"No such file: {path} — pass a text file where {layout}.")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DataFileError(f"{path} is not UTF-8 text — pass a text file where {layout}.") from None
    except OSError as exc:
        raise DataFileError(f"{path} cannot be read ({exc.strerror}).") from None
    pairs: list[DatePair] = []
    seen_content = False
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split("\t")
        first = not seen_content
        seen_content = True
        if len(parts) == 1:
            raise DataFileError(f"{path}, line {number}: no tab found — {layout}.")
        if len(parts) > 3:
            raise DataFileError(f"{path}, line {number}: {len(parts)} tab-separated fields, expected 2 or 3 — {layout}.")
        human, iso = parts[0], parts[1].strip()
        valid, problem = check_iso(iso)
        if not valid:
            if first:
                continue  # a header line such as "input<TAB>iso"
            raise DataFileError(f"{path}, line {number}: {problem} (second column) — {layout}.")
        if not human.strip():
            raise DataFileError(f"{path}, line {number}: the first column (the date as written) is empty.")
        family = parts[2].strip() if len(parts) == 3 and parts[2].strip() else "file"
        pairs.append(DatePair(human, iso, family))
    if not pairs:
        raise DataFileError(f"{path} holds no pairs — {layout}.")
    return pairs


# --------------------------------------------------------------------------------------------
# Training


def _encode_pairs(vocab: Vocab, pairs: Sequence[DatePair]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Indices (n, T_x), targets (n, T_y) and the lengths read (n,)."""
    X = np.stack([vocab.encode(p.human) for p in pairs]) if pairs else np.zeros((0, vocab.tx), np.int32)  # (n, T_x)
    Y = np.stack([encode_iso(p.iso) for p in pairs]) if pairs else np.zeros((0, TY), np.int32)  # (n, T_y)
    L = np.array([len(vocab.reads(p.human)[0]) for p in pairs], dtype=np.int32)  # (n,)
    return X, Y, L


BUCKETS = (8, 12, 16, 20, 24, 28, 32, 40, 60, 100)
"""Upper bounds of the length buckets of training batches (dates of similar length share one)."""


def _dataset(config: TrainConfig, vocab: Vocab, X: np.ndarray, Y: np.ndarray, L: np.ndarray) -> Any:
    """An endless ``tf.data`` stream of shuffled training batches in the preset's input layout.

    Ours: dates of similar length share a batch, which is cut to its longest date — the mask
    makes padding irrelevant to the result, so this only saves time (a 12-character date no
    longer pays for 40 steps of the encoder). The course: its fixed (m, 30, 37) one-hot batches.
    Every batch is full (the remainder waits for the next pass), so the loss of a batch can be
    recovered from Keras' running mean. The stream is pure TensorFlow: no Python runs per batch.
    """
    import tensorflow as tf

    n = len(X)
    size = min(config.batch, n)
    data = tf.data.Dataset.from_tensor_slices((X, Y, L)).shuffle(n, seed=config.seed, reshuffle_each_iteration=True).repeat()
    if config.preset == "best":
        bounds = [b for b in BUCKETS if b < config.tx]
        batches = data.bucket_by_sequence_length(
            lambda x, y, length: length, bucket_boundaries=[b + 1 for b in bounds],
            bucket_batch_sizes=[size] * (len(bounds) + 1), drop_remainder=True,
        )
        return batches.map(lambda x, y, length: (x[:, : tf.maximum(tf.reduce_max(length), 1)], y)).prefetch(2)

    n_x, n_y = vocab.size, len(MACHINE_CHARS)

    def to_course(ids: Any, y: Any, length: Any) -> Any:
        # The course's Xoh, s0, c0 and its one-hot targets (stacked: (b, T_y, 11)).
        zeros = tf.zeros((tf.shape(ids)[0], 64))
        return (tf.one_hot(ids, n_x), zeros, zeros), tf.one_hot(y, n_y)

    return data.batch(size, drop_remainder=True).map(to_course).prefetch(2)


def _build(config: TrainConfig, vocab: Vocab) -> tuple[Any, Any]:
    """(the model that trains, the translator that shares its layers), compiled."""
    import keras

    from seqtui_models.dates import net as dates_net

    n_y = len(MACHINE_CHARS)
    if config.preset == "course":
        _course_model, translator = dates_net.build_course(vocab.tx, TY, config.n_a, config.n_s, vocab.size, n_y)
        # The course's model with its T_y outputs stacked: the same layers and weights, and one
        # categorical cross-entropy over (m, T_y) — the course's ten losses averaged, not summed
        # (Adam is indifferent to the scale), and no per-output figures cluttering the logs.
        model = keras.Model(translator.inputs, translator.outputs[0], name="course_stacked")
        lr = keras.optimizers.schedules.InverseTimeDecay(config.lr, decay_steps=1, decay_rate=config.decay)
        model.compile(optimizer=keras.optimizers.Adam(lr, beta_1=0.9, beta_2=0.999), loss="categorical_crossentropy")
    else:
        model, translator = dates_net.build_best(
            vocab.size, TY, n_y, n_a=config.n_a, n_s=config.n_s, units=config.units, embedding=config.embedding
        )
        model.compile(optimizer=keras.optimizers.Adam(config.lr), loss="sparse_categorical_crossentropy")
    return model, translator


def cosine_lr(peak: float, progress: float, warmup: float = 0.03, floor: float = 0.02) -> float:
    """The learning rate at ``progress`` ∈ [0, 1] of a run: linear warm-up, then cosine to floor·peak."""
    progress = min(max(progress, 0.0), 1.0)
    if progress < warmup:
        return peak * max(progress / warmup, 0.05)
    t = (progress - warmup) / (1 - warmup)
    return peak * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * t)))


def _scores(model: DateModel, pairs: Sequence[DatePair]) -> dict[str, float]:
    """Exact match (all, course formats, real-world formats) and the loss on ``pairs``."""
    probs, _ = model.predict([p.human for p in pairs])  # (n, T_y, 11)
    Y = np.stack([encode_iso(p.iso) for p in pairs])  # (n, T_y)
    right = (probs.argmax(axis=-1) == Y).all(axis=1)  # (n,)
    p_true = np.take_along_axis(probs, Y[:, :, None], axis=-1)[..., 0]  # (n, T_y)
    loss = float(-np.log(np.clip(p_true, 1e-12, 1.0)).mean())  # nats per output character
    course = np.array([dates_data.FAMILIES[p.family].kind == "course" for p in pairs])
    return {
        "val_loss": loss,
        "val_exact": float(right.mean()),
        "val_course": float(right[course].mean()) if course.any() else float("nan"),
        "val_real": float(right[~course].mean()) if (~course).any() else float("nan"),
    }


def validation_pairs(config: TrainConfig) -> list[DatePair]:
    """The held-out pairs a run follows (the same for every run of that T_x and size)."""
    return heldout_pairs(config.val_examples, seed=_VAL_SEED, mix="mixed", real_share=0.5, max_length=config.tx)


def train(config: TrainConfig, *, control: Control, on_progress: ProgressCallback | None = None) -> RunResult:
    """Train a date translator (the protocol of :mod:`seqtui_models.core.training`).

    Progress: every batch its loss (nats per output character); every ``eval_every`` batches the
    held-out ``val_loss``, ``val_exact`` (exact match), ``val_course`` and ``val_real``. A stop
    (or the time limit) ends the run after the current batch; the model is saved either way.

    Keras trains in the calling thread (run it with ``isolate=False``): TensorFlow releases the
    GIL in its kernels, so the UI stays responsive.

    Returns:
        The run's result; ``metrics`` has exact_match (held-out, all formats), course_exact,
        real_exact, val_loss, examples, epochs_done, data_seconds and budget_reached;
        ``payload["model"]`` is the :class:`DateModel`.
    """
    config = config.validated()
    import keras

    vocab = vocab_for(config.preset, config.tx)
    data_seq = np.random.SeedSequence(config.seed)
    began = time.perf_counter()
    if config.data:
        pairs = read_pairs(config.data)
        if len(pairs) < config.batch:
            raise DataFileError(f"{config.data} holds {len(pairs)} pairs, fewer than one batch ({config.batch}).")
        config = replace(config, examples=len(pairs))
    else:
        pairs = dates_data.generate(config.examples, seed=np.random.default_rng(data_seq), mix="mixed",
                                    real_share=config.real_share, split="train", max_length=config.tx,
                                    emphasis=config.emphasis)
    val = validation_pairs(config)
    X, Y, L = _encode_pairs(vocab, pairs)
    data_seconds = time.perf_counter() - began

    keras.utils.set_random_seed(config.seed)  # Keras initialises weights from its global generator
    model, translator = _build(config, vocab)
    date_model = DateModel(config.preset, vocab, translator, config)
    dataset = _dataset(config, vocab, X, Y, L)

    total = config.total_steps
    chunk = min(config.eval_every or total, total)  # Keras "epochs" of this many batches
    reporter = Reporter(total, on_progress, control, unit="batch", items_per_step=config.batch,
                        item_unit="dates", min_interval=0.1)
    state = {"budget": False}
    metrics: dict[str, float] = {}

    class _Run(keras.callbacks.Callback):  # type: ignore[misc]
        """Learning-rate schedule, time limit, end of the planned steps, held-out evaluations."""

        def __init__(self) -> None:
            super().__init__()
            self.step = 0
            self.mean = 0.0
            self.last = math.nan

        def _progress(self) -> float:
            done = self.step / total
            if config.max_seconds is not None:
                done = max(done, reporter.elapsed / config.max_seconds)
            return done

        def on_train_batch_begin(self, batch: int, logs: Mapping[str, Any] | None = None) -> None:
            if config.schedule == "cosine":
                self.model.optimizer.learning_rate.assign(cosine_lr(config.lr, self._progress()))

        def on_epoch_begin(self, epoch: int, logs: Mapping[str, Any] | None = None) -> None:
            self.mean = 0.0

        def on_train_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
            self.step += 1
            logs = logs if logs is not None else {}
            # Keras logs the running mean of this epoch's batches; the protocol wants each
            # batch's own loss (the chart smooths). Batches are equal-sized, so
            # loss_k = (k + 1)·mean_k − k·mean_(k−1). The dict is shared: the progress
            # callback after this one sees the batch's loss.
            mean = float(logs.get("loss", 0.0))
            loss = (batch + 1) * mean - batch * self.mean
            self.mean = mean
            logs["loss"] = loss
            self.last = loss
            if not math.isfinite(loss):
                raise InvalidInput(f"The loss diverged at batch {self.step}: lower the learning rate (now {config.lr}).")
            if self.step >= total:
                self.model.stop_training = True
            if config.max_seconds is not None and reporter.elapsed >= config.max_seconds:
                state["budget"] = True
                self.model.stop_training = True

        def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
            if logs is not None:
                logs["loss"] = self.last  # not the epoch's mean: the chart wants the latest batch
            if config.eval_every and not control.stopped:
                metrics.update(_scores(date_model, val))
                reporter.report(self.step, reporter.last_loss, metrics, force=True)

    run = _Run()
    progress = keras_callback(reporter, control, chunk, batch_losses=False)  # _Run already made them per-batch
    model.fit(dataset, steps_per_epoch=chunk, epochs=math.ceil(total / chunk), verbose=0, shuffle=False,
              callbacks=[run, progress])
    seconds = reporter.elapsed
    stopped = bool(progress.stopped) and not state["budget"]

    final = _scores(date_model, val)
    out = {
        "exact_match": final["val_exact"], "course_exact": final["val_course"], "real_exact": final["val_real"],
        "val_loss": final["val_loss"], "examples": config.examples, "batches": run.step,
        "epochs_done": run.step / config.steps_per_epoch,
        "data_seconds": data_seconds, "budget_reached": state["budget"], "preset": config.preset,
    }
    date_model = DateModel(config.preset, vocab, translator, config, out)
    path = save_model(default_model_path(config), date_model)
    date_model = DateModel(config.preset, vocab, translator, config, out, str(path))
    reporter.report(run.step, reporter.last_loss, final, force=True)
    result = reporter.result(stopped, run.step, metrics=out, model_path=str(path), payload={"model": date_model})
    # The summary's seconds are the training's (fit and its evaluations), not the final scoring.
    return RunResult(result.status, result.steps, result.total, seconds, result.loss, result.metrics,
                     result.model_path, result.history, result.payload)


def describe_preset(preset: str) -> str:
    """One line about a preset, for help texts."""
    values = PRESETS[preset]
    return (f"{preset}: {values['examples']:,} examples × {values['epochs']} epochs, batch {values['batch']}, "
            f"lr {values['lr']} ({values['schedule']}), real-world share {values['real_share']}")
