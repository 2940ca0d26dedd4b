"""Training a date translator: :func:`train`, the protocol of :mod:`seqtui_models.core.training`.

Keras trains in the calling thread (``TrainingJob("seqtui_models.dates:train", config,
isolate=False)``): TensorFlow releases the GIL in its kernels, so the UI stays responsive. Pairs
are generated (or read from ``config.data``), encoded once, and streamed by ``tf.data``; a
callback runs the learning-rate schedule, the time limit and the held-out evaluations.

Losses are cross-entropies in nats per output character (the course's sum over its 10 outputs is
averaged instead; Adam is indifferent to that scale).
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from seqtui_models.core.errors import DataFileError, InvalidInput
from seqtui_models.core.runs import keep_model, start_run, train_command
from seqtui_models.core.training import Control, ProgressCallback, Reporter, RunResult, keras_callback
from seqtui_models.dates import data as dates_data
from seqtui_models.dates.config import CLI_FLAGS, PRESETS, TrainConfig
from seqtui_models.dates.data import DatePair
from seqtui_models.dates.evaluation import heldout_pairs, read_pairs
from seqtui_models.dates.model import DateModel, save_model
from seqtui_models.dates.vocab import MACHINE_CHARS, TY, Vocab, encode_isos, vocab_for

_VAL_SEED = 7_000_001  # the held-out set followed during training: the same for every run


def _encode_pairs(vocab: Vocab, pairs: Sequence[DatePair]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Indices (n, T_x), targets (n, T_y) and the lengths read (n,)."""
    X = vocab.encode_all([p.human for p in pairs])  # (n, T_x)
    Y = encode_isos([p.iso for p in pairs])  # (n, T_y)
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
    Y = encode_isos([p.iso for p in pairs])  # (n, T_y)
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

    Every run is recorded in the run registry (:mod:`seqtui_models.core.runs`): its own folder
    with its model, config, command, data file and hash (none: generated pairs), metrics and loss
    history, and ``exact_match`` as its headline; with ``config.out`` the model is also saved there.

    Returns:
        The run's result; ``metrics`` has exact_match (held-out, all formats), course_exact,
        real_exact, val_loss, examples, epochs_done, data_seconds, budget_reached and run (its
        id); ``payload["model"]`` is the :class:`DateModel`.
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
    # recorded once the data are read (an unreadable file fails before a run is kept), with the
    # config that trains: from a file, its number of pairs
    record = start_run("dates", config, train_command("dates", config, PRESETS[config.preset], CLI_FLAGS),
                       data_path=config.data)
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
    path = keep_model(record, lambda where: save_model(where, date_model), ".keras", config.out)
    date_model = DateModel(config.preset, vocab, translator, config, out, str(path))
    reporter.report(run.step, reporter.last_loss, final, force=True)
    result = reporter.result(stopped, run.step, metrics={**out, "run": record.id}, model_path=str(path),
                             payload={"model": date_model})
    # The summary's seconds are the training's (fit and its evaluations), not the final scoring.
    result = RunResult(result.status, result.steps, result.total, seconds, result.loss, result.metrics,
                       result.model_path, result.history, result.payload)
    record.finish(result, headline="exact_match")
    return result
