"""Training an emojify model: V1 here (numpy, the course loop or the vectorised trainer), V2 in :mod:`.v2`.

:func:`train` follows the protocol of :mod:`seqtui_models.core.training`
(``TrainingJob("seqtui_models.emojify:train", config, isolate=...)``): V1 runs in a spawned process,
V2 in a thread. Both record the same final figures (:func:`final_metrics`), and every run is kept
in the run registry (:func:`record_run`, :mod:`seqtui_models.core.runs`): its own folder with its
model, and a copy where the config's ``out`` says.
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np

from seqtui_models.core.errors import InvalidInput
from seqtui_models.core.paths import data_file
from seqtui_models.core.runs import RunRecorder, keep_model, start_run, train_command
from seqtui_models.core.training import Control, ProgressCallback, Reporter, RunResult
from seqtui_models.core.word_vectors import WordVectors
from seqtui_models.emojify.calibration import NONE, Calibration, calibrate
from seqtui_models.emojify.config import CLI_FLAGS, PRESETS, TrainConfig, word_vectors
from seqtui_models.emojify.data import (
    COURSE_LABELS,
    TRAIN_FILE,
    Classifier,
    SentenceSet,
    accuracy,
    folds,
    load_test,
    load_training_data,
    tokenize,
)
from seqtui_models.emojify.v1 import V1Model, averages, fit_fast, model as course_model, save_model, softmax

CALIBRATION_FOLDS = 5
"""V1 fast fits its temperature on out-of-fold probabilities from this many folds."""


def record_run(config: TrainConfig) -> RunRecorder:
    """Start recording a V1 or V2 run: its config, the ``seqtui emojify train`` command that
    reproduces it, and the CSV files it learns from (the bundled one when none was given)."""
    # --model is always written: the preset's own value would otherwise leave it out, and the CLI's default is v1
    preset = {k: v for k, v in PRESETS[(config.model, config.preset)].items() if k != "model"}
    return start_run("emojify", config, train_command("emojify", config, preset, CLI_FLAGS),
                     data_path=config.data or data_file(TRAIN_FILE))


def finish_run(record: RunRecorder, result: RunResult) -> RunResult:
    """Complete a run's record; its headline is the test accuracy, or the training accuracy when
    the test file was not scored (other classes, or ``config.test`` off)."""
    headline = "test_accuracy" if result.metrics.get("test_accuracy") is not None else "train_accuracy"
    record.finish(result, headline=headline)
    return result


def final_metrics(model: Classifier, data: SentenceSet, config: TrainConfig, wv: WordVectors) -> dict[str, Any]:
    """What every run records: its accuracy on the training sentences and on the bundled test file
    (None unless it learnt the course's classes, or with ``config.test`` off), and its data's size.
    """
    test_accuracy = None
    if config.test and data.labels_set == COURSE_LABELS:
        test_accuracy = accuracy(model, load_test())
    unknown = {w for s in data.sentences for w in tokenize(s) if w not in wv}
    return {
        "train_accuracy": accuracy(model, data),
        "test_accuracy": test_accuracy,
        "sentences": len(data),
        "classes": data.num_classes,
        "unknown_words": len(unknown),
        "trained_at": time.strftime("%Y-%m-%d"),
    }


def cross_fit_v1(A: np.ndarray, Y: np.ndarray, C: int, config: TrainConfig, control: Control) -> Calibration:
    """V1's temperature, fitted on out-of-fold probabilities of its own training sentences.

    The sentences are split into :data:`CALIBRATION_FOLDS` stratified folds; a V1 with the run's
    settings learns from all folds but one and gives its probabilities for that one. Every
    sentence is so scored by a model that never saw it, and T is fitted on those
    (:func:`~seqtui_models.emojify.calibration.calibrate`). Costs five more fast fits (~0.6 s
    each on the bundled file); a stop during it skips calibration (T 1).

    Args:
        A: ``(m, n)`` the sentences' averages; Y: ``(m,)`` their labels.
    """
    fold = folds(Y, CALIBRATION_FOLDS, config.seed)  # (m,)
    if len(Y) < 2 * CALIBRATION_FOLDS or len(np.unique(fold)) < CALIBRATION_FOLDS:
        return NONE  # too few sentences to hold any out
    held = np.zeros((len(Y), C))  # (m, C) out-of-fold probabilities
    for k in range(CALIBRATION_FOLDS):
        if control.checkpoint():
            return NONE
        train_rows, test_rows = fold != k, fold == k
        W, b = fit_fast(A[train_rows], Y[train_rows], C, epochs=config.epochs, lr=config.lr, batch=config.batch,
                        seed=config.seed + k + 1)
        held[test_rows] = softmax(A[test_rows] @ W.T + b)
    return calibrate(held, Y, f"{CALIBRATION_FOLDS}-fold cross-fit on the {len(Y):,} training sentences")


def train(config: TrainConfig, *, control: Control, on_progress: ProgressCallback | None = None) -> RunResult:
    """Train V1 or V2 (the protocol of :mod:`seqtui_models.core.training`).

    V1 runs the course loop (``preset="course"``) or the vectorised Adam trainer (``"fast"``);
    it reports every epoch (the epoch's loss, the training accuracy). V2 is
    :func:`seqtui_models.emojify.v2.train`. A stopped run saves the weights it has.

    Every run is recorded in the run registry (:func:`record_run`); with ``config.out`` its
    model is also saved there, and ``model_path`` is that copy.

    Returns:
        ``metrics``: train_accuracy, test_accuracy (the bundled test file; None for other
        classes), epochs, sentences, classes, unknown_words, run (its id); ``payload``: ``{"kind",
        "labels"}`` (small: a V1 run may come back from a spawned process; load the model
        from ``model_path``) — V2 adds ``"model"``.
    """
    config = config.validated()
    if config.model == "v2":
        from seqtui_models.emojify import v2 as emojify_v2

        return emojify_v2.train(config, control=control, on_progress=on_progress)
    data = load_training_data(config.data, config.labels, config.skip_bad_rows)
    wv = word_vectors(config.vectors)
    record = record_run(config)  # once the data and vectors are read: a bad file fails before a run is kept
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
    calibration = NONE
    if config.preset == "fast" and not stopped:  # the course loop stays the course's (T 1)
        calibration = cross_fit_v1(A, data.labels, C, config, control)
    model = V1Model(W, b, data.labels_set, wv, config, calibration=calibration)
    model.metrics = {**final_metrics(model, data, config, wv), "epochs": epochs_done, "train_seconds": seconds,
                     "calibration": None if calibration is NONE else calibration.to_dict()}
    path = keep_model(record, lambda where: save_model(where, model), ".npz", config.out)
    result = reporter.result(stopped, epochs_done, metrics={**model.metrics, "run": record.id}, model_path=str(path),
                             payload={"kind": "v1", "labels": data.labels_set})
    return finish_run(record, result)
