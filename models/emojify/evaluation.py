"""Scoring a trained emojify model on labelled sentences: accuracy, confusion matrix, mistakes."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from seqtui_models.core.errors import InvalidInput, SeqtuiError
from seqtui_models.core.word_vectors import WordVectors
from seqtui_models.core.vector_readers import Cancelled
from seqtui_models.emojify.calibration import BINS, CONFIDENT
from seqtui_models.emojify.data import BadRow, LabelSet, SentenceSet, read_csv, tokenize


CHUNK = 2000
"""Sentences scored at a time."""


class Scorable(Protocol):
    """A trained model (V1 or V2), as :func:`evaluate` sees it."""

    labels: LabelSet
    wv: WordVectors

    def probabilities(self, sentences: Sequence[str]) -> np.ndarray: ...


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
        ece: Expected calibration error of the model's (calibrated) probabilities on these sentences.
        confident_mistakes: Share of the sentences answered wrongly with confidence ≥ 0.9.
        temperature: The model's calibration temperature (1 = uncalibrated).
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
    ece: float = math.nan
    confident_mistakes: float = math.nan
    temperature: float = 1.0

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
            "ece": None if math.isnan(self.ece) else self.ece,
            "confident_mistakes": None if math.isnan(self.confident_mistakes) else self.confident_mistakes,
            "temperature": self.temperature,
        }


def _spec(labels: LabelSet) -> str:
    return ", ".join(f"{e} {n}" for e, n in zip(labels.emoji, labels.names))


def check_classes(labels: LabelSet, path: str | Path) -> None:
    """Refuse to score a model on a file whose classes are not its own.

    The bundled test file is labelled with the course's five classes; a file with an ``emoji``
    column names its own. Either, when it differs from the model's classes, would be scored
    label number against label number ("V2: 25%" for a pets file) or fail with every row bad.

    Raises:
        InvalidInput: the classes differ (the message names both).
    """
    from seqtui_models.core.paths import data_file
    from seqtui_models.emojify.data import COURSE_LABELS, TEST_FILE, default_labels, names_its_classes

    path = Path(path)
    if path.is_file() and path.resolve() == data_file(TEST_FILE).resolve():
        own = COURSE_LABELS
    else:
        if not names_its_classes(path):
            return  # its labels are numbers: read with the model's classes (no second reading of a big file)
        try:
            own = read_csv(path, skip_bad_rows=True).labels_set
        except SeqtuiError:
            return  # unreadable: reading it with the model's classes says why
        if own == default_labels(len(own)):
            return  # an emoji column left empty: the labels are the model's numbers
    if own != labels:
        raise InvalidInput(f"{path.name} is labelled with other classes ({_spec(own)}) than the model's ({_spec(labels)}) — "
                           "score the model on sentences labelled with its own classes.")


def evaluate(
    model: Scorable,
    data: SentenceSet | str | Path,
    *,
    skip_bad_rows: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> EvalResult:
    """Accuracy, confusion matrix and mistakes of ``model`` on labelled sentences.

    Args:
        model: A loaded model.
        data: Sentences, or a CSV file (read with the model's classes: a label the model does
            not have is a bad row).
        skip_bad_rows: For a file: leave unusable rows out (reported) instead of failing.
        on_progress: Called with (sentences scored, sentences) after every chunk of :data:`CHUNK`.
        should_stop: Polled before every chunk; returning True raises :class:`Cancelled`.

    The sentences are scored :data:`CHUNK` at a time, so memory stays bounded however long the
    file (300,000 rows: the per-sentence figures are a few numbers each).

    Raises:
        DataFileError: the file is unusable.
        Cancelled: ``should_stop`` said so.
    """
    labels_set: LabelSet = model.labels
    if isinstance(data, (str, Path)):
        check_classes(labels_set, data)
        data = read_csv(data, labels=labels_set, skip_bad_rows=skip_bad_rows)
    elif data.num_classes > len(labels_set):
        raise InvalidInput(f"These sentences have {data.num_classes} classes; the model knows {len(labels_set)}.")
    C = len(labels_set)
    m = len(data)
    confusion = np.zeros((C, C), dtype=np.int64)  # (C, C): rows true, columns predicted
    pred = np.zeros(m, dtype=np.int64)  # (m,)
    confidence = np.zeros(m)  # (m,)
    bins = np.zeros((BINS, 3))  # per confidence bin: sentences, right, sum of confidences (for the ECE)
    confident = 0
    for start in range(0, m, CHUNK):  # in chunks: bounded memory, progress, and a chance to stop
        if should_stop is not None and should_stop():
            raise Cancelled(f"Stopped evaluating {data.source} after {start:,} of {m:,} sentences — run it again to finish.")
        rows = slice(start, min(m, start + CHUNK))
        probs = model.probabilities(list(data.sentences[rows]))  # (chunk, C)
        y = data.labels[rows]
        pred[rows] = probs.argmax(axis=1)
        confidence[rows] = probs.max(axis=1)
        np.add.at(confusion, (y, pred[rows]), 1)
        right = pred[rows] == y
        which = np.minimum((confidence[rows] * BINS).astype(int), BINS - 1)
        np.add.at(bins, which, np.stack([np.ones(len(y)), right, confidence[rows]], axis=1))
        confident += int(np.sum(~right & (confidence[rows] >= CONFIDENT)))
        if on_progress is not None:
            on_progress(rows.stop, m)
    wrong = np.flatnonzero(pred != data.labels)
    order = wrong[np.argsort(-confidence[wrong], kind="stable")]
    lines = data.lines or (0,) * len(data)
    mistakes = tuple(
        Mistake(data.sentences[i], int(data.labels[i]), int(pred[i]), float(confidence[i]), int(lines[i])) for i in order
    )
    filled = bins[:, 0] > 0
    calibration_error = float(np.sum(np.abs(bins[filled, 1] - bins[filled, 2])) / m) if m else math.nan
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
        ece=calibration_error,
        confident_mistakes=confident / m if m else math.nan,
        temperature=float(getattr(getattr(model, "calibration", None), "temperature", 1.0)),
    )
