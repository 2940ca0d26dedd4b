"""Emojify V2: a two-layer LSTM reads the sentence's word vectors in order (Keras).

The course's Emojify_V2, with its function names:

    sentence_indices (m, T_x)  --pretrained_embedding_layer (frozen GloVe)-->  (m, T_x, n + 1)
      --LSTM(128, return_sequences)--Dropout(0.5)--LSTM(128)--Dropout(0.5)--Dense(C)--softmax-->  (m, C)

Indices: 0 is padding (masked: the LSTMs skip it), 1 is the reserved index of every unknown
word, 2 … are the known words. The embedding's rows are ``[e_w, 0]`` for a word, ``[0 … 0, 1]``
for "unknown" (an extra input channel says "a word was here, but I do not know it") and all
zeros for padding. The embedding is frozen, so training only changes the LSTM and Dense weights.

What is saved, and why it is small: the embedding is frozen GloVe, so the saved ``.keras`` file
holds only the part after it (the "reader": vectors in, probabilities out; 0.9 MB per network)
and names the word vectors it was trained with. At load time the lookup is rebuilt from those
vectors for *every* word they have (400,000 for GloVe 6B), not only the training words: a
sentence about a food the training file never mentions still gets that food's vector. Saving
the full 400,001 × 51 embedding would make an 80 MB file to hold numbers GloVe already has.
The training run itself builds the course's full model — ``pretrained_embedding_layer`` over the
words of the training sentences, then the reader — and its embedding rows equal the rows the
loader rebuilds, so predictions are identical (a test checks it).

``members`` networks trained from different seeds are averaged (``keras.layers.Average``) into
one saved model; their answer is then blended with a bag-of-words softmax trained on the same
sentences and calibrated (:mod:`.blend`). By default each learns from every training sentence for a fixed number of
epochs; with ``val_fraction`` > 0 each holds out its own stratified split to watch (and, with
``patience``, to stop early on).

Files load with ``keras.saving.load_model(path, safe_mode=True)``: only built-in layers, no
Lambda. The seqtui metadata (labels, vectors, metrics) rides in the same zip as
``seqtui.json``, which Keras ignores.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import numpy as np

from seqtui_models.core.errors import InvalidInput, ModelFileError, SeqtuiError
from seqtui_models.core.frameworks import quiet_tensorflow
from seqtui_models.core.model_files import load_net, read_meta, save_keras
from seqtui_models.core.training import Control, ProgressCallback, Reporter, RunResult, keras_callback
from seqtui_models.core.word_vectors import WordVectors
from seqtui_models.emojify import blend as blending
from seqtui_models.emojify.blend import Blend
from seqtui_models.emojify.calibration import NONE, Calibration, calibrate, scale
from seqtui_models.emojify.config import TrainConfig, preset_config, word_vectors
from seqtui_models.emojify.data import LabelSet, accuracy, load_test, load_training_data, tokenize, validation_split
from seqtui_models.emojify.explain import Prediction, make_prediction
from seqtui_models.emojify.files import ModelInfo, model_meta, read_info, vectors_for
from seqtui_models.core.runs import keep_model
from seqtui_models.emojify.training import cross_fit_v1, final_metrics, finish_run, record_run
from seqtui_models.emojify.v1 import averages, fit_fast, token_averages
from seqtui_models.emojify.words import read_as, rows_of

# TensorFlow writes start-up notices straight to file descriptor 2 when it is first imported; in
# the app that is the screen. These keep it quiet (a user's own settings win). Keras is imported
# only after this module (the tab's DeferredImport imports this module first).
quiet_tensorflow()

FORMAT = "seqtui-emojify-v2/1"
WHAT = "emojify V2 model"
HINT = "train one with 'seqtui emojify train --model v2', or use the bundled model (--model v2)"
PADDING = 0
UNKNOWN = 1
FIRST_WORD = 2
PREDICT_BATCH = 256


# --------------------------------------------------------------------------------------------
# The course's functions


def build_word_to_index(sentences: Sequence[str], wv: WordVectors) -> dict[str, int]:
    """Index 2, 3, … for every distinct known word of ``sentences`` (0 pads, 1 is unknown)."""
    words = sorted({w for s in sentences for w in tokenize(s) if w in wv})
    return {w: FIRST_WORD + i for i, w in enumerate(words)}


def sentences_to_indices(
    X: Sequence[str] | np.ndarray, word_to_index: Mapping[str, int], max_len: int, unknown_index: int = UNKNOWN
) -> np.ndarray:
    """The course's ``sentences_to_indices``: ``(m, max_len)`` word indices, 0-padded at the end.

    Unknown words get ``unknown_index`` (the course raised a KeyError); words past ``max_len``
    are cut.
    """
    m = len(X)
    X_indices = np.zeros((m, max_len), dtype=np.int32)  # (m, max_len), 0 = padding
    for i in range(m):
        for j, w in enumerate(tokenize(str(X[i]))[:max_len]):
            X_indices[i, j] = word_to_index.get(w, unknown_index)
    return X_indices


def embedding_rows(wv: WordVectors, rows: Sequence[int | None]) -> np.ndarray:
    """The ``(len(rows), n + 1)`` embedding of GloVe rows: ``[e_w, 0]``, or ``[0…0, 1]`` for None."""
    out = np.zeros((len(rows), wv.dim + 1), dtype=np.float32)  # (k, n + 1)
    known = [(j, i) for j, i in enumerate(rows) if i is not None]
    if known:
        where, which = zip(*known)
        out[list(where), : wv.dim] = wv.vectors[np.array(which)]
    out[[j for j, i in enumerate(rows) if i is None], wv.dim] = 1.0
    return out


def pretrained_embedding_layer(word_to_vec_map: WordVectors, word_to_index: Mapping[str, int]) -> Any:
    """The course's ``pretrained_embedding_layer``: a frozen Keras Embedding holding the vectors.

    Row 0 (padding) is zero, row 1 is the "unknown word" vector ``[0 … 0, 1]``, row
    ``word_to_index[w]`` is ``[e_w, 0]``.
    """
    import keras

    vocab_size = max(word_to_index.values(), default=UNKNOWN) + 1
    emb_dim = word_to_vec_map.dim + 1
    emb_matrix = np.zeros((vocab_size, emb_dim), dtype=np.float32)  # (V + 2, n + 1)
    emb_matrix[UNKNOWN, word_to_vec_map.dim] = 1.0
    words = list(word_to_index)
    if words:
        rows = [word_to_vec_map.index(w) for w in words]
        emb_matrix[[word_to_index[w] for w in words]] = embedding_rows(word_to_vec_map, rows)
    embedding_layer = keras.layers.Embedding(vocab_size, emb_dim, trainable=False, name="glove")
    embedding_layer.build((None,))
    embedding_layer.set_weights([emb_matrix])
    return embedding_layer


def reader(
    n_in: int, num_classes: int, units: int = 128, dropout: float = 0.5, seed: int = 0, name: str = "reader",
    noise: float = 0.0,
) -> Any:
    """Everything after the embedding: vectors ``(m, T, n + 1)`` → probabilities ``(m, C)``.

    ``noise`` > 0 adds Gaussian noise of that standard deviation to the word vectors while
    training (a no-op at prediction time): the LSTMs then learn from a cloud around each
    training word rather than the exact point, which helps with the unseen words of new
    sentences.
    """
    import keras

    vectors = keras.Input(shape=(None, n_in), name="vectors")
    X = keras.layers.Masking(mask_value=0.0)(vectors)  # padding rows are all zero: skipped
    if noise > 0:
        X = keras.layers.GaussianNoise(noise, seed=seed)(X)  # keeps the mask; padding stays skipped
    X = keras.layers.LSTM(units, return_sequences=True, seed=seed)(X)
    X = keras.layers.Dropout(dropout, seed=seed)(X)
    X = keras.layers.LSTM(units, return_sequences=False, seed=seed + 1)(X)  # the last state only
    X = keras.layers.Dropout(dropout, seed=seed + 1)(X)
    X = keras.layers.Dense(num_classes)(X)
    out = keras.layers.Softmax(axis=-1)(X)
    return keras.Model(inputs=vectors, outputs=out, name=name)


def Emojify_V2(  # noqa: N802 - the course's name
    input_shape: tuple[int], word_to_vec_map: WordVectors, word_to_index: Mapping[str, int],
    num_classes: int = 5, units: int = 128, dropout: float = 0.5, seed: int = 0, reader_name: str = "reader",
    noise: float = 0.0,
) -> Any:
    """The course's Emojify_V2: indices ``(m, T_x)`` → frozen embedding → 2 × LSTM → softmax ``(m, C)``."""
    import keras

    sentence_indices = keras.Input(shape=input_shape, dtype="int32", name="indices")
    embeddings = pretrained_embedding_layer(word_to_vec_map, word_to_index)(sentence_indices)
    body = reader(word_to_vec_map.dim + 1, num_classes, units, dropout, seed, name=reader_name, noise=noise)
    return keras.Model(inputs=sentence_indices, outputs=body(embeddings), name="emojify_v2")


def ensemble(members: Sequence[Any], n_in: int) -> Any:
    """One model averaging the probabilities of several readers (just the reader if one)."""
    import keras

    if len(members) == 1:
        return members[0]
    vectors = keras.Input(shape=(None, n_in), name="vectors")
    out = keras.layers.Average()([member(vectors) for member in members])
    return keras.Model(inputs=vectors, outputs=out, name="emojify_v2_average")


# --------------------------------------------------------------------------------------------
# A trained model


@dataclass
class V2Model:
    """A trained V2 model (the reader or an average of readers) and its word vectors.

    Attributes:
        net: The Keras model: vectors ``(m, T, n + 1)`` → probabilities ``(m, C)``.
        labels: The classes.
        wv: The word vectors (not saved; the file names them).
        max_len: The padded length used in training (longer sentences are read whole at
            prediction time: the LSTMs take any length).
        config: How it was trained.
        metrics: Final figures of its run.
        path: The file it was loaded from or saved to.
        calibration: The temperature its probabilities are scaled by (:mod:`.calibration`): the
            blend's when it has one, else the networks'.
        blend: The bag-of-words model its networks' answer is averaged with (:mod:`.blend`);
            ``None`` for files saved before blends (the networks alone).
    """

    net: Any
    labels: LabelSet
    wv: WordVectors
    max_len: int
    config: TrainConfig = field(default_factory=TrainConfig)
    metrics: dict[str, Any] = field(default_factory=dict)
    path: str = ""
    kind: str = "v2"
    calibration: Calibration = NONE
    blend: Blend | None = None

    def describe(self) -> str:
        """One line: what it is and how good it was."""
        acc = self.metrics.get("test_accuracy")
        tail = f", test {acc:.1%}" if isinstance(acc, float) else ""
        members = int(self.metrics.get("members", 1) or 1)
        what = f"average of {members} LSTM nets" if members > 1 else "LSTM"
        if self.blend is not None:
            what += f" blended with a bag of words ({self.blend.weight:.0%})"
        return f"V2 {what}, {len(self.labels)} classes, {self.wv.source}{tail}"

    def embed(self, token_lists: Sequence[Sequence[str]]) -> np.ndarray:
        """The embedding of tokenised sentences, ``(m, T, n + 1)`` with T the longest (≥ 1)."""
        T = max([len(t) for t in token_lists] + [1])
        out = np.zeros((len(token_lists), T, self.wv.dim + 1), dtype=np.float32)  # (m, T, n + 1)
        for i, tokens in enumerate(token_lists):
            if tokens:
                out[i, : len(tokens)] = embedding_rows(self.wv, rows_of(self.wv, list(tokens)))
        return out

    def _run(self, batch: np.ndarray) -> np.ndarray:
        import keras

        return np.asarray(keras.ops.convert_to_numpy(self.net(batch, training=False)), dtype=np.float64)

    def finish(self, raw: np.ndarray, token_lists: Sequence[Sequence[str]]) -> np.ndarray:
        """The calibrated probabilities ``(m, C)`` from the networks' raw ones and the tokens."""
        if self.blend is None:
            return scale(raw, self.calibration.temperature)
        return scale(self.blend.mix(raw, token_averages(token_lists, self.wv).A), self.calibration.temperature)

    def probabilities(self, sentences: Sequence[str]) -> np.ndarray:
        """The calibrated class probabilities of every sentence, ``(m, C)``."""
        return self.finish(self.raw_probabilities(sentences), [tokenize(s) for s in sentences])

    def raw_probabilities(self, sentences: Sequence[str]) -> np.ndarray:
        """The networks' class probabilities of every sentence, ``(m, C)``: no blend, no calibration."""
        tokens = [tokenize(s) for s in sentences]
        order = np.argsort([len(t) for t in tokens], kind="stable")  # similar lengths share a batch
        out = np.zeros((len(sentences), len(self.labels)))  # (m, C)
        for s in range(0, len(order), PREDICT_BATCH):
            rows = order[s : s + PREDICT_BATCH]
            out[rows] = self._run(self.embed([tokens[i] for i in rows]))
        return out

    def explain(self, sentence: str) -> Prediction:
        """The prediction, with each word's occlusion score.

        One batch holds the sentence and its T copies with one word removed each; word j's
        contribution to class c is p(c | sentence) − p(c | sentence without word j).

        Raises:
            InvalidInput: the sentence has no words.
        """
        tokens = tokenize(sentence)
        if not tokens:
            raise InvalidInput("Type a sentence: it has no words yet.")
        variants = [tokens] + [tokens[:j] + tokens[j + 1 :] for j in range(len(tokens))]
        probs = self.finish(self._run(self.embed(variants)), variants)  # (T + 1, C) in one call
        full = probs[0]  # (C,)
        per_class = full[None, :] - probs[1:]  # (T, C): what removing word j takes away
        readings = [read_as(self.wv, w) for w in tokens]
        known = [row is not None for row, _ in readings]
        return make_prediction(sentence, "v2", self.labels, full, tokens, known, per_class, "occlusion",
                               read_as=[word for _, word in readings])


def save_model(path: str | Path, m: V2Model) -> Path:
    """Save a V2 model atomically: the Keras reader, plus ``seqtui.json`` in the same zip."""
    meta = model_meta(FORMAT, m.labels, m.wv, m.config, m.metrics, m.calibration)
    meta["config"] = m.config.to_json()  # format 1 of V2 files holds the config's JSON text
    meta["max_len"] = m.max_len
    if m.blend is not None:
        meta["blend"] = m.blend.to_dict()
    saved = save_keras(path, m.net, meta, "V2 model")
    m.path = str(saved)
    return saved


def read_header(path: str | Path) -> tuple[ModelInfo, int, Blend | None]:
    """What a V2 file says about its network, its ``max_len`` and its blend, without Keras (ModelFileError if it is not one)."""
    meta = read_meta(path, FORMAT, WHAT, HINT)
    info = read_info(path, meta, WHAT, HINT)
    try:
        saved = meta.get("blend")
        blend = None if saved is None else Blend.from_mapping(saved, len(info.labels), info.dim)
        return info, int(meta["max_len"]), blend
    except (ValueError, KeyError, TypeError) as exc:
        raise ModelFileError(f"{path} is not a readable {WHAT} ({exc}) — {HINT}.") from None


def load_model(path: str | Path, wv: WordVectors | None = None) -> V2Model:
    """Load a V2 model with ``safe_mode=True``; its word vectors are loaded too unless given.

    Raises:
        ModelFileError: not a V2 model, broken, or trained with other word vectors.
    """
    info, max_len, blend = read_header(path)
    wv = vectors_for(path, info, wv)
    net = load_net(path, "retrain it")
    shape = tuple(net.output_shape)
    if shape[-1] != len(info.labels) or tuple(net.input_shape)[-1] != info.dim + 1:
        raise ModelFileError(f"{path}: the network's shapes {net.input_shape} → {shape} do not fit its labels — retrain it.")
    return V2Model(net, info.labels, wv, max_len, info.config, info.metrics, str(path), calibration=info.calibration,
                   blend=blend)


# --------------------------------------------------------------------------------------------
# Training


class _OffsetReporter:
    """Passes a member's batch steps on to the run's reporter, shifted past earlier members."""

    def __init__(self, reporter: Reporter, offset: int) -> None:
        self.reporter = reporter
        self.offset = offset

    @property
    def last_loss(self) -> float:
        return self.reporter.last_loss

    def report(self, step: int, loss: float, metrics: Mapping[str, float] | None = None,
               samples: tuple[str, ...] = (), force: bool = False) -> None:
        self.reporter.report(step + self.offset, loss, metrics, samples, force)


def train(config: TrainConfig, *, control: Control, on_progress: ProgressCallback | None = None) -> RunResult:
    """Train V2 (the protocol of :mod:`seqtui_models.core.training`; run it in a thread: ``isolate=False``).

    Each of ``config.members`` networks trains from its own initial weights on every sentence
    for ``epochs`` epochs, or, when ``val_fraction`` > 0, holds out its own stratified share
    (split seed ``seed + k``) to watch and stops when its validation loss has not improved for
    ``patience`` epochs (its best weights are kept). Their average is saved.
    Progress: every batch (loss, accuracy), every epoch (val_loss, val_accuracy if split). A stop keeps
    the networks trained so far (one stopped in its first epoch is dropped unless it is the
    only one).

    Returns:
        ``metrics``: train_accuracy (the average on all the sentences), val_accuracy (the
        mean over members of each network alone on its own held-out sentences; None without
        a split), test_accuracy
        (the bundled test file, course labels only; else None), members, epochs per member,
        unknown words, run (its id in the run registry); ``payload["model"]`` is the :class:`V2Model`.
    """
    import keras

    config = config.validated()
    data = load_training_data(config.data, config.labels, config.skip_bad_rows)
    wv = word_vectors(config.vectors)
    record = record_run(config)  # once the data and vectors are read: a bad file fails before a run is kept
    C = data.num_classes
    max_len = config.max_len or max(len(tokenize(s)) for s in data.sentences)
    word_to_index = build_word_to_index(data.sentences, wv)
    X = sentences_to_indices(data.sentences, word_to_index, max_len)  # (m, max_len)
    Y = data.labels.astype(np.int32)  # (m,)
    splits = [validation_split(data.labels, config.val_fraction, config.seed + k) for k in range(config.members)]
    steps_per_epoch = math.ceil(len(splits[0][0]) / config.batch)
    total = config.members * config.epochs * steps_per_epoch
    reporter = Reporter(total, on_progress, control, unit="batch", items_per_step=config.batch,
                        item_unit="sentences", min_interval=0.1)

    members: list[Any] = []
    epochs_run: list[int] = []
    val_scores: list[float] = []
    held_probs: list[np.ndarray] = []  # each member's probabilities on its own held-out sentences
    held_labels: list[np.ndarray] = []
    offset = 0
    stopped = False
    for k, (train_rows, val_rows) in enumerate(splits):
        keras.utils.set_random_seed(config.seed * 1000 + k)  # Keras shuffles with its global generator
        full = Emojify_V2((max_len,), wv, word_to_index, C, config.units, config.dropout, seed=config.seed * 1000 + k,
                          reader_name=f"reader_{k}", noise=config.noise)
        full.compile(optimizer=keras.optimizers.Adam(config.lr), loss="sparse_categorical_crossentropy",
                     metrics=["accuracy"])
        progress = keras_callback(cast(Reporter, _OffsetReporter(reporter, offset)), control, steps_per_epoch)
        callbacks = [progress]
        validation = (X[val_rows], Y[val_rows]) if len(val_rows) else None
        if validation is not None and config.patience > 0:
            callbacks.append(keras.callbacks.EarlyStopping(monitor="val_loss", patience=config.patience,
                                                           restore_best_weights=True))
        history = full.fit(X[train_rows], Y[train_rows], validation_data=validation, epochs=config.epochs,
                           batch_size=config.batch, shuffle=True, verbose=0, callbacks=callbacks)
        ran = len(history.history.get("loss", []))
        offset += ran * steps_per_epoch
        if ran >= 1 or not members:
            members.append(full.get_layer(f"reader_{k}"))
            epochs_run.append(ran)
            if validation is not None:
                val_probs = keras.ops.convert_to_numpy(full(validation[0], training=False))
                val_scores.append(float(np.mean(val_probs.argmax(axis=1) == validation[1])))
                held_probs.append(np.asarray(val_probs, dtype=np.float64))
                held_labels.append(validation[1])
        if getattr(progress, "stopped", False):
            stopped = True
            break
    net = ensemble(members, wv.dim + 1)
    held = NONE
    if held_probs and not stopped:
        # Each network alone on sentences it did not see: a little surer than their average is,
        # so T errs on the soft side.
        held = calibrate(np.concatenate(held_probs), np.concatenate(held_labels),
                         f"each network's own {config.val_fraction:.0%} held-out split")
    blend = fit_bag(data.sentences, data.labels, C, wv, config, control)
    if held is not NONE:
        blend = blend.with_fit(blend.weight, held.temperature)
    model = V2Model(net, data.labels_set, wv, max_len, config, calibration=blending.DEFAULT_CALIBRATION, blend=blend)
    model.metrics = {
        **final_metrics(model, data, config, wv),
        "val_accuracy": float(np.mean(val_scores)) if val_scores else None,
        "members": len(members),
        "epochs": epochs_run,
        "calibration": None if held is NONE else held.to_dict(),
        "blend_weight": blend.weight,
    }
    path = keep_model(record, lambda where: save_model(where, model), ".keras", config.out)
    reporter.report(reporter.history[-1][0] if reporter.history else 0, reporter.last_loss,
                    {"train_accuracy": model.metrics["train_accuracy"]}, force=True)
    steps = offset
    result = reporter.result(stopped, steps, metrics={**model.metrics, "run": record.id}, model_path=str(path),
                             payload={"model": model})
    return finish_run(record, result)


def fit_bag(sentences: Sequence[str], labels: np.ndarray, C: int, wv: WordVectors, config: TrainConfig,
            control: Control) -> Blend:
    """The bag-of-words half of V2's blend: a V1 "fast" model on the same sentences, its temperature cross-fitted.

    Takes seconds (six fast fits). Its mixing settings start at :mod:`.blend`'s defaults.
    """
    bag_config = preset_config("v1", "fast", seed=config.seed)
    A = averages(sentences, wv).A  # (m, n)
    W, b = fit_fast(A, labels, C, epochs=bag_config.epochs, lr=bag_config.lr, batch=bag_config.batch, seed=config.seed)
    return Blend(W, b, cross_fit_v1(A, labels, C, bag_config, control).temperature)


def calibrate_blend(model: V2Model, sentences: Sequence[str], labels: np.ndarray, source: str) -> Calibration:
    """Refit ``model``'s blend (w, T_lstm) and its temperature on labelled sentences it never learnt from.

    A model without a blend (an older file) gets its networks' temperature only.
    """
    raw = model.raw_probabilities(list(sentences))  # (m, C)
    if model.blend is None:
        model.calibration = calibrate(raw, np.asarray(labels), source)
    else:
        model.blend, model.calibration = blending.fit(model.blend, raw, averages(sentences, model.wv).A,
                                                      np.asarray(labels), source)
        _rescore(model)
    return model.calibration


def _rescore(model: V2Model) -> None:
    """A new blend changes the answers: measure the run's accuracies again (or drop one that cannot be)."""
    if model.metrics.get("test_accuracy") is not None:
        model.metrics["test_accuracy"] = accuracy(model, load_test())
    if "train_accuracy" in model.metrics:
        try:
            data = load_training_data(model.config.data, model.config.labels, model.config.skip_bad_rows)
        except SeqtuiError:  # the training file moved: better no figure than a stale one
            model.metrics["train_accuracy"] = None
        else:
            model.metrics["train_accuracy"] = accuracy(model, data)
