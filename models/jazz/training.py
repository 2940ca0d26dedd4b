"""Training the jazz LSTM: the music as values, the course's windows, a Keras run, the saved model.

:func:`train` follows the protocol of :mod:`seqtui_models.core.training` (``control`` to stop,
``on_progress`` for the panel) and saves the model it has even when stopped. The data, as in the
course: every piece's melody over its chords becomes a sequence of values
(:mod:`seqtui_models.jazz.grammar`); the vocabulary is every value seen; ``windows`` random windows
of ``Tx`` values are the training examples (:func:`seqtui_models.jazz.model.data_processing`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from seqtui_models.core.runs import keep_model, start_run, train_command
from seqtui_models.core.training import Control, ProgressCallback, Reporter, RunResult, keras_callback
from seqtui_models.jazz.chords import TimedChord
from seqtui_models.jazz.config import CLI_FLAGS, PRESETS, TrainConfig
from seqtui_models.jazz.corpus import corpus_files, corpus_pieces, load_piece
from seqtui_models.jazz.files import save_model
from seqtui_models.jazz.grammar import encode
from seqtui_models.jazz.model import CellWeights, NumpyCell, choose
from seqtui_models.jazz.music import Piece, ReadCallback
from seqtui_models.jazz.stats import SoloStats, solo_stats
from seqtui_models.jazz.trained import JazzModel, PieceValues


REST_BARS = 2
"""A silence in the training music longer than this many bars is cut to it (see :func:`values_of`)."""


def values_of(pieces: Sequence[Piece]) -> list[list[str]]:
    """Each piece's melody over its chords as value strings; silences longer than
    :data:`REST_BARS` bars are cut to that (a part that waits for its entries teaches rests)."""
    return [[str(v) for v in encode(p.melody, p.chords, max_rest=REST_BARS * p.beats_per_bar)] for p in pieces]


def training_music(config: TrainConfig, *, on_progress: ReadCallback | None = None) -> list[Piece]:
    """The pieces a run learns from (the default corpus, or a track of ``config.midi``), parsed once
    and cached: call it before :func:`train` to show ``on_progress`` (each track as ``config.midi``
    is read), and the run finds the music in the cache."""
    if config.midi is None:
        return corpus_pieces()
    return [load_piece(config.midi, config.track, config.chord_track, on_progress=on_progress)]


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

    Every run is recorded in the run registry (:mod:`seqtui_models.core.runs`): its own folder
    with its model, config, command, the music's files and hashes, metrics and loss history; with
    ``config.out`` the model is also saved there. ``metrics`` has ``loss`` (the final weights on
    every window, the run's headline) and ``run`` (its id).

    Raises:
        DataFileError: the music cannot be read or is too short.
        InvalidInput: a bad setting.
    """
    import keras

    from seqtui_models.jazz import model as jm

    config = config.validated()
    pieces = training_music(config)  # unreadable music fails here, before a run is recorded
    record = start_run("jazz", config, train_command("jazz", config, PRESETS[config.preset], CLI_FLAGS),
                       data_path=config.midi or corpus_files())
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
    last_batch = reporter.last_loss
    # One last event names both figures, so the progress line (a batch's loss) and the run's result
    # (the final weights on every window) are never two unexplained numbers.
    reporter.report(progress.step, last_batch, {"all_windows_loss": final_loss}, force=True)
    register, anchor = _register(pieces)
    epochs_done = min(config.epochs, math.ceil(progress.step / steps_per_epoch)) if progress.step else 0
    metrics = {
        "loss": final_loss, "values": n_values, "windows": m, "epochs": epochs_done,
        "train_values": sum(len(s) for s in encoded), "pieces": len(pieces),
        "last_batch_loss": last_batch, "run": record.id,
    }
    jazz = JazzModel(
        values=tuple(vocabulary), weights=weights, config=config, pieces=_summaries(pieces, sequences, index),
        register=register, anchor=anchor, train_stats=training_stats(pieces),
        metrics={"loss": final_loss, "epochs": epochs_done, "seconds": reporter.elapsed},
    )
    path = keep_model(record, lambda where: save_model(where, jazz), ".keras", config.out)
    jazz = replace(jazz, path=str(path))
    result = reporter.result(control.stopped, progress.step, metrics=metrics, model_path=str(path), payload={"model": jazz})
    result = replace(result, loss=final_loss)
    record.finish(result, headline="loss")
    return result

