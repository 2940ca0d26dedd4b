"""Emojify: give a short sentence the right emoji, with two models side by side.

What the emojify tab and ``seqtui emojify`` call. Dataclasses in, dataclasses out:

- Data (:mod:`seqtui_models.emojify.data`): :func:`read_csv` (any ``sentence,label`` CSV, bad rows
  reported by line), :func:`load_training_data`, :func:`load_train` / :func:`load_test` (the
  bundled, hand-written sentences), :class:`LabelSet` (the classes' emoji and names; five
  course classes by default, any number in a CSV of your own), :func:`tokenize`.
- V1 (:mod:`seqtui_models.emojify.v1`, numpy): the course's ``sentence_to_avg``, ``model``,
  ``predict``; a vectorised trainer; :class:`V1Model`.
- V2 (:mod:`seqtui_models.emojify.v2`, Keras): the course's ``sentences_to_indices``,
  ``pretrained_embedding_layer``, ``Emojify_V2``; :class:`V2Model`.
- :func:`preset_config` / :class:`TrainConfig` → :func:`train` (the protocol of
  :mod:`seqtui_models.core.training`: ``TrainingJob("seqtui_models.emojify:train", config, isolate=...)``: V1 in a
  spawned process, V2 in a thread).
- :func:`load_model` (a path, or ``"v1"`` / ``"v2"`` for the bundled models),
  :func:`predict` → :class:`Prediction` (emoji, probabilities, per-word explanation, unknown
  words), :func:`evaluate` → :class:`EvalResult` (accuracy, confusion matrix, mistakes).

The bundled models are ``data/emojify_v1.npz`` and ``data/emojify_v2.keras`` (made by
``seqtui emojify train``; the commands are in data/README.md).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

import numpy as np

from seqtui_models.emojify.config import PRESETS, TrainConfig, preset_config, word_vectors
from seqtui_models.emojify.data import (
    COURSE_LABELS,
    TEST_FILE,
    TRAIN_FILE,
    BadRow,
    LabelSet,
    SentenceSet,
    accuracy,
    append_row,
    default_labels,
    has_negation,
    load_test,
    load_train,
    load_training_data,
    make_set,
    parse_labels,
    read_csv,
    tokenize,
)
from seqtui_models.emojify.explain import Prediction, WordScore
from seqtui_models.emojify.v1 import V1Model, averages, fit_fast, model as course_model, sentence_to_avg
from seqtui_models.emojify.v1 import predict as course_predict
from seqtui_models.emojify.v1 import save_model as save_v1
from seqtui_models.core.errors import InvalidInput
from seqtui_models.core.paths import data_file, user_models_dir
from seqtui_models.core.training import Control, ProgressCallback, Reporter, RunResult
from seqtui_models.core.word_vectors import WordVectors

__all__ = [
    "BadRow", "COURSE_LABELS", "DEFAULT_V1", "DEFAULT_V2", "EvalResult", "LabelSet", "Mistake", "Model", "PRESETS",
    "Prediction", "SentenceSet", "TrainConfig", "V1Model", "WordScore", "append_row", "course_model",
    "course_predict", "default_labels", "evaluate", "load_model", "load_test", "load_train", "load_training_data",
    "make_set", "parse_labels", "predict", "preset_config", "read_csv", "sentence_to_avg", "tokenize", "train",
    "user_csv_path", "word_vectors", "TEST_FILE", "TRAIN_FILE", "has_negation",
]

DEFAULT_V1 = "emojify_v1.npz"
DEFAULT_V2 = "emojify_v2.keras"
USER_CSV = "emojify-my-sentences.csv"

Model = Union[V1Model, Any]  # V1Model or emojify_v2.V2Model (Keras is imported lazily)


def user_csv_path() -> Path:
    """The CSV that the tab's add-a-sentence form appends to (in the per-user models folder)."""
    return user_models_dir() / USER_CSV


# --------------------------------------------------------------------------------------------
# Loading


def model_kind(path: str | Path) -> str:
    """"v1" for a ``.npz`` file, "v2" for a ``.keras`` file."""
    suffix = Path(path).suffix
    if suffix == ".npz":
        return "v1"
    if suffix == ".keras":
        return "v2"
    raise InvalidInput(f"{path} is neither a V1 (.npz) nor a V2 (.keras) emojify model — pass one of those, or v1 / v2.")


def resolve(which: str | Path) -> Path:
    """A model path: ``"v1"`` / ``"v2"`` are the bundled models, anything else a file."""
    if str(which) == "v1":
        return data_file(DEFAULT_V1)
    if str(which) == "v2":
        return data_file(DEFAULT_V2)
    return Path(which)


def load_model(which: str | Path = "v1", wv: WordVectors | None = None) -> Model:
    """Load ``"v1"``, ``"v2"`` (the bundled models) or a model file (.npz = V1, .keras = V2).

    Args:
        which: The model.
        wv: The word vectors, if already loaded (else the ones the file names are loaded).

    Raises:
        ModelFileError: the file is missing, broken or was trained with other vectors.
    """
    path = resolve(which)
    if model_kind(path) == "v1":
        from seqtui_models.emojify import v1 as emojify_v1

        return emojify_v1.load_model(path, wv)
    from seqtui_models.emojify import v2 as emojify_v2

    return emojify_v2.load_model(path, wv)


# --------------------------------------------------------------------------------------------
# Predicting and evaluating


def predict(model: Model, sentence: str) -> Prediction:
    """The model's emoji for ``sentence``, its probabilities and the per-word explanation.

    Raises:
        InvalidInput: the sentence has no words.
    """
    return model.explain(sentence)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Mistake:
    """A sentence the model got wrong."""

    sentence: str
    label: int
    predicted: int
    confidence: float
    line: int


@dataclass(frozen=True)
class EvalResult:
    """How a model does on labelled sentences.

    Attributes:
        accuracy: Share labelled right.
        n: Sentences scored.
        confusion: ``confusion[i][j]`` = sentences of class i labelled j (C × C).
        mistakes: The sentences it got wrong, most confident mistakes first.
        per_class: Recall of each class (right / sentences of that class; NaN if none).
        labels: The classes.
        unknown: Words of the file the word vectors do not have, with their counts.
        source: The file.
        skipped: Rows of the file that were skipped.
    """

    accuracy: float
    n: int
    confusion: tuple[tuple[int, ...], ...]
    mistakes: tuple[Mistake, ...]
    per_class: tuple[float, ...]
    labels: LabelSet
    unknown: tuple[tuple[str, int], ...] = ()
    source: str = ""
    skipped: tuple[BadRow, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``seqtui emojify eval --json``."""
        return {
            "accuracy": self.accuracy,
            "n": self.n,
            "confusion": [list(row) for row in self.confusion],
            "labels": [{"label": i, "emoji": e, "name": n} for i, (e, n) in enumerate(zip(self.labels.emoji, self.labels.names))],
            "per_class": list(self.per_class),
            "mistakes": [
                {"sentence": m.sentence, "label": m.label, "predicted": m.predicted, "confidence": m.confidence, "line": m.line}
                for m in self.mistakes
            ],
            "unknown": {w: c for w, c in self.unknown},
            "skipped": [{"line": b.line, "reason": b.reason} for b in self.skipped],
            "source": self.source,
        }


def evaluate(
    model: Model, data: SentenceSet | str | Path, *, skip_bad_rows: bool = False
) -> EvalResult:
    """Accuracy, confusion matrix and mistakes of ``model`` on labelled sentences.

    Args:
        model: A loaded model.
        data: Sentences, or a CSV file (read with the model's classes: a label the model does
            not have is a bad row).
        skip_bad_rows: For a file: leave unusable rows out (reported) instead of failing.

    Raises:
        DataFileError: the file is unusable.
    """
    labels_set: LabelSet = model.labels
    if isinstance(data, (str, Path)):
        data = read_csv(data, labels=labels_set, skip_bad_rows=skip_bad_rows)
    elif data.num_classes > len(labels_set):
        raise InvalidInput(f"These sentences have {data.num_classes} classes; the model knows {len(labels_set)}.")
    C = len(labels_set)
    probs = model.probabilities(list(data.sentences))  # (m, C)
    pred = probs.argmax(axis=1)  # (m,)
    confusion = np.zeros((C, C), dtype=np.int64)  # (C, C): rows true, columns predicted
    np.add.at(confusion, (data.labels, pred), 1)
    wrong = np.flatnonzero(pred != data.labels)
    order = wrong[np.argsort(-probs[wrong, pred[wrong]], kind="stable")]
    lines = data.lines or (0,) * len(data)
    mistakes = tuple(
        Mistake(data.sentences[i], int(data.labels[i]), int(pred[i]), float(probs[i, pred[i]]), int(lines[i])) for i in order
    )
    totals = confusion.sum(axis=1)
    per_class = tuple(float(confusion[c, c] / totals[c]) if totals[c] else math.nan for c in range(C))
    counts: dict[str, int] = {}
    wv: WordVectors = model.wv
    for sentence in data.sentences:
        for w in tokenize(sentence):
            if w not in wv:
                counts[w] = counts.get(w, 0) + 1
    unknown = tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    return EvalResult(
        accuracy=float(np.mean(pred == data.labels)) if len(data) else math.nan,
        n=len(data),
        confusion=tuple(tuple(int(x) for x in row) for row in confusion),
        mistakes=mistakes,
        per_class=per_class,
        labels=labels_set,
        unknown=unknown,
        source=data.source,
        skipped=data.skipped,
    )


# --------------------------------------------------------------------------------------------
# Training


def default_model_path(config: TrainConfig) -> Path:
    """Where a run saves its model unless ``config.out`` says otherwise."""
    if config.out:
        return Path(config.out)
    if config.model == "v1":
        return user_models_dir() / f"emojify-v1-{config.preset}.npz"
    return user_models_dir() / "emojify-v2.keras"


def train(config: TrainConfig, *, control: Control, on_progress: ProgressCallback | None = None) -> RunResult:
    """Train V1 or V2 (the protocol of :mod:`seqtui_models.core.training`).

    V1 runs the course loop (``preset="course"``) or the vectorised Adam trainer (``"fast"``);
    it reports every epoch (the epoch's loss, the training accuracy). V2 is
    :func:`seqtui_models.emojify.v2.train`. A stopped run saves the weights it has.

    Returns:
        ``metrics``: train_accuracy, test_accuracy (the bundled test file; None for other
        classes), epochs, sentences, classes, unknown_words; ``payload``: ``{"kind",
        "labels"}`` (small: a V1 run may come back from a spawned process; load the model
        from ``model_path``) — V2 adds ``"model"``.
    """
    config = config.validated()
    if config.model == "v2":
        from seqtui_models.emojify import v2 as emojify_v2

        return emojify_v2.train(config, control=control, on_progress=on_progress)
    data = load_training_data(config.data, config.labels, config.skip_bad_rows)
    wv = word_vectors(config.vectors)
    C = data.num_classes
    reporter = Reporter(config.epochs, on_progress, control, unit="epoch", items_per_step=len(data),
                        item_unit="sentences", min_interval=0.05)
    stopped = False
    epochs_done = 0
    A = averages(data.sentences, wv).A  # (m, n): for the accuracy after each epoch (and the fast path)

    def on_epoch(epoch: int, loss: float, W: np.ndarray, b: np.ndarray) -> bool:
        nonlocal stopped, epochs_done
        epochs_done = epoch
        if not math.isfinite(loss):
            raise InvalidInput(f"The loss diverged at epoch {epoch}: lower the learning rate (now {config.lr}).")
        acc = float(np.mean((A @ W.T + b).argmax(axis=1) == data.labels))  # the weights' training accuracy
        reporter.report(epoch, loss, {"accuracy": acc}, force=epoch == config.epochs)
        if config.target_accuracy is not None and acc >= config.target_accuracy:
            return True
        if control.checkpoint():
            stopped = True
            return True
        return False

    began = time.perf_counter()
    if config.preset == "course":
        _, W, b = course_model(list(data.sentences), data.labels, wv, config.lr, config.epochs,
                               num_classes=C, seed=config.seed, on_epoch=on_epoch)
    else:
        W, b = fit_fast(A, data.labels, C, epochs=config.epochs, lr=config.lr, batch=config.batch,
                        seed=config.seed, on_epoch=on_epoch)
    seconds = time.perf_counter() - began
    model = V1Model(W, b, data.labels_set, wv, config)
    train_accuracy = accuracy(model, data)
    test_accuracy = None
    if config.test and data.labels_set == COURSE_LABELS:
        test_accuracy = accuracy(model, load_test())
    unknown = sorted({w for s in data.sentences for w in tokenize(s) if w not in wv})
    model.metrics = {
        "train_accuracy": train_accuracy,
        "test_accuracy": test_accuracy,
        "epochs": epochs_done,
        "train_seconds": seconds,
        "sentences": len(data),
        "classes": C,
        "unknown_words": len(unknown),
        "trained_at": time.strftime("%Y-%m-%d"),
    }
    path = save_v1(default_model_path(config), model)
    return reporter.result(stopped, epochs_done, metrics=model.metrics, model_path=str(path),
                           payload={"kind": "v1", "labels": data.labels_set})
