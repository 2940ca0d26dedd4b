"""Emojify V1: average a sentence's word vectors, then one softmax layer (numpy).

The course's model, with its notation: for a sentence of words w_1 … w_k,

    avg = (1/k) Σ_j e_{w_j}            (n,)     the mean of the GloVe vectors (sentence_to_avg)
    z   = W · avg + b                  (C,)     one score per class
    a   = softmax(z)                   (C,)     the probabilities
    L   = − Σ_c y_c log a_c                     cross-entropy with the one-hot label y

and its gradient, dz = a − y, dW = dz · avgᵀ, db = dz. Unknown words are skipped (k counts
the known ones); a sentence without a known word averages to the zero vector, so only b
speaks for it.

Two ways to train the same model:

* the course's :func:`model` (the ``course`` preset): one sentence at a time, plain SGD,
  ``sentence_to_avg`` recomputed for every sentence of every epoch;
* :func:`fit_fast` (the ``fast`` preset): the averages are computed once into a matrix
  A ``(m, n)`` and each step is three matrix products over all sentences, with Adam.

Model file (``.npz``, read with ``allow_pickle=False``): the arrays W ``(C, n)`` and b ``(C,)``
(float64), and ``seqtui.json`` with the format ``"seqtui-emojify-v1/2"``, the labels, the word
vectors' name and fingerprint, the config and the run's metrics (see
:mod:`seqtui_models.emojify.files`). Files of format 1 kept all of that in arrays; they still load.
"""

from __future__ import annotations

import json
import math
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

import numpy as np

from seqtui_models.core.errors import InvalidInput, ModelFileError
from seqtui_models.core.model_files import META_NAME, open_npz, save_npz
from seqtui_models.core.optim import Optimizer
from seqtui_models.core.word_vectors import WordVectors
from seqtui_models.emojify.config import TrainConfig
from seqtui_models.emojify.data import LabelSet, tokenize
from seqtui_models.emojify.explain import Prediction, make_prediction
from seqtui_models.emojify.calibration import NONE, Calibration
from seqtui_models.emojify.files import ModelInfo, model_meta, read_info, vectors_for
from seqtui_models.emojify.words import read_as, rows_of

FORMAT = "seqtui-emojify-v1/2"
FORMAT_1 = "seqtui-emojify-v1/1"  # everything in arrays, the format among them; still read
WHAT = "emojify V1 model"
HINT = "train one with 'seqtui emojify train --model v1', or use the bundled model (--model v1)"
WordToVec = Union[Mapping[str, np.ndarray], WordVectors]


# --------------------------------------------------------------------------------------------
# The course's functions (same names, signatures and results)


def _vector(word_to_vec_map: WordToVec, word: str) -> np.ndarray | None:
    """e_w from a course-style dict or a WordVectors, or None for an unknown word."""
    if isinstance(word_to_vec_map, WordVectors):
        i = word_to_vec_map.get_index(word)
        return None if i is None else np.asarray(word_to_vec_map.vectors[i], dtype=np.float64)
    vec = word_to_vec_map.get(word)
    return None if vec is None else np.asarray(vec, dtype=np.float64)


def _dim(word_to_vec_map: WordToVec) -> int:
    if isinstance(word_to_vec_map, WordVectors):
        return word_to_vec_map.dim
    return int(len(next(iter(word_to_vec_map.values()))))


def sentence_to_avg(sentence: str, word_to_vec_map: WordToVec) -> np.ndarray:
    """avg = (1/k) Σ e_w over the sentence's k known words (the course's ``sentence_to_avg``).

    Args:
        sentence: A sentence (tokenised by :func:`~seqtui_models.emojify.data.tokenize`: lower case,
            punctuation dropped).
        word_to_vec_map: The course's dict word → vector, or a :class:`WordVectors`.

    Returns:
        ``(n,)`` float64; zeros when no word is known.
    """
    avg = np.zeros(_dim(word_to_vec_map))  # (n,)
    count = 0
    for w in tokenize(sentence):
        vec = _vector(word_to_vec_map, w)
        if vec is not None:  # unknown words are skipped, as in the course's later versions
            avg += vec
            count += 1
    return avg / count if count > 0 else avg


def softmax(z: np.ndarray) -> np.ndarray:
    """softmax over the last axis, shifted by its max so exp never overflows."""
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)  # type: ignore[no-any-return]


def convert_to_one_hot(Y: np.ndarray, C: int) -> np.ndarray:
    """The course's one-hot helper: ``(m,)`` labels → ``(m, C)``."""
    return np.eye(C)[np.asarray(Y, dtype=np.int64).reshape(-1)]  # (m, C)


def model(
    X: Sequence[str] | np.ndarray,
    Y: np.ndarray,
    word_to_vec_map: WordToVec,
    learning_rate: float = 0.01,
    num_iterations: int = 400,
    *,
    num_classes: int | None = None,
    seed: int = 1,
    on_epoch: Callable[[int, float, np.ndarray, np.ndarray], bool | None] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The course's V1 training loop: per-sentence SGD on cross-entropy (the ``course`` preset).

    Args:
        X: ``(m,)`` sentences.
        Y: ``(m,)`` labels in 0 … C−1.
        word_to_vec_map: The course's dict word → vector, or a :class:`WordVectors`.
        learning_rate: α of θ ← θ − α dθ.
        num_iterations: Epochs (passes over all sentences).
        num_classes: C; the course uses the number of distinct labels in Y.
        seed: Seeds W's initialisation (the course calls ``np.random.seed(1)``; here a local
            generator, so no global state changes).
        on_epoch: Called after each epoch with ``(epoch, mean cost over the epoch, W, b)``;
            returning True stops the loop (the weights so far are returned).

    Returns:
        ``(pred, W, b)``: predictions ``(m, 1)`` of the final weights, W ``(C, n)``, b ``(C,)``.
    """
    Y = np.asarray(Y, dtype=np.int64).reshape(-1)  # (m,)
    m = Y.shape[0]
    n_y = num_classes if num_classes is not None else len(np.unique(Y))
    n_h = _dim(word_to_vec_map)
    rng = np.random.default_rng(seed)
    # Xavier initialisation, as in the course: W ~ N(0, 1/n_h).
    W = rng.standard_normal((n_y, n_h)) / np.sqrt(n_h)  # (C, n)
    b = np.zeros((n_y,))  # (C,)
    Y_oh = convert_to_one_hot(Y, C=n_y)  # (m, C)
    for t in range(num_iterations):
        cost = 0.0
        for i in range(m):
            avg = sentence_to_avg(X[i], word_to_vec_map)  # (n,) recomputed every time, as in the course
            z = np.dot(W, avg) + b  # (C,) forward
            a = softmax(z)  # (C,)
            cost += -float(np.sum(Y_oh[i] * np.log(a + 1e-300)))  # cross-entropy of this sentence
            # Backward: softmax + cross-entropy gives dz = a − y; W and b are one linear layer.
            dz = a - Y_oh[i]  # (C,)
            dW = np.dot(dz.reshape(n_y, 1), avg.reshape(1, n_h))  # (C, n)
            db = dz  # (C,)
            # Plain SGD, one sentence at a time.
            W = W - learning_rate * dW
            b = b - learning_rate * db
        if on_epoch is not None and on_epoch(t + 1, cost / m, W, b):
            break
    pred = predict(X, Y, W, b, word_to_vec_map)
    return pred, W, b


def predict(
    X: Sequence[str] | np.ndarray, Y: np.ndarray | None, W: np.ndarray, b: np.ndarray, word_to_vec_map: WordToVec
) -> np.ndarray:
    """The course's ``predict``: argmax of softmax(W·avg + b) for every sentence, ``(m, 1)``.

    ``Y`` is accepted for the course's signature (the course prints the accuracy with it);
    compare ``pred[:, 0] == Y`` for that.
    """
    m = len(X)
    pred = np.zeros((m, 1))  # (m, 1), floats as in the course
    for j in range(m):
        avg = sentence_to_avg(X[j], word_to_vec_map)  # (n,)
        z = np.dot(W, avg) + b  # (C,)
        pred[j] = np.argmax(softmax(z))
    return pred


# --------------------------------------------------------------------------------------------
# The vectorised path


@dataclass(frozen=True)
class Averages:
    """The averaged word vectors of many sentences, and which words were unknown.

    Attributes:
        A: ``(m, n)`` float64: row i is sentence_to_avg(sentence i).
        known_counts: ``(m,)`` how many known words each sentence has (k).
        unknown: Per sentence, its unknown tokens.
    """

    A: np.ndarray
    known_counts: np.ndarray
    unknown: tuple[tuple[str, ...], ...]


def averages(sentences: Sequence[str], wv: WordVectors) -> Averages:
    """sentence_to_avg for many sentences at once: one gather of rows, then a mean per sentence."""
    return token_averages([tokenize(s) for s in sentences], wv)


def token_averages(tokens: Sequence[Sequence[str]], wv: WordVectors) -> Averages:
    """:func:`averages` of sentences already tokenised (V2's occlusion drops one word at a time)."""
    rows = [rows_of(wv, list(ts)) for ts in tokens]
    flat = np.array([i for r in rows for i in r if i is not None], dtype=np.int64)  # all known rows
    counts = np.array([sum(i is not None for i in r) for r in rows], dtype=np.int64)  # (m,)
    vectors = np.asarray(wv.vectors[np.sort(flat)], dtype=np.float64) if flat.size else np.zeros((0, wv.dim))
    # Memory maps read fastest in sorted order; map each known row back to its place.
    order = np.argsort(flat, kind="stable")
    gathered = np.empty_like(vectors)  # (total known words, n)
    gathered[order] = vectors
    owner = np.repeat(np.arange(len(tokens)), counts)  # (total,) sentence of each known word
    A = np.zeros((len(tokens), wv.dim))  # (m, n)
    np.add.at(A, owner, gathered)
    A /= np.maximum(counts, 1)[:, None]  # the mean; zero rows stay zero
    unknown = tuple(tuple(w for w, i in zip(ts, r) if i is None) for ts, r in zip(tokens, rows))
    return Averages(A, counts, unknown)


def loss_and_grads(W: np.ndarray, b: np.ndarray, A: np.ndarray, Y_oh: np.ndarray) -> tuple[float, dict[str, np.ndarray], np.ndarray]:
    """Mean cross-entropy over a batch and its gradients (the course's equations, all rows at once).

    Args:
        W: ``(C, n)``; b: ``(C,)``; A: ``(m, n)`` averages; Y_oh: ``(m, C)`` one-hot labels.

    Returns:
        ``(loss, {"W": dW, "b": db}, probabilities (m, C))``.
    """
    m = A.shape[0]
    Z = A @ W.T + b  # (m, C): z = W·avg + b for every sentence
    P = softmax(Z)  # (m, C)
    loss = -float(np.sum(Y_oh * np.log(P + 1e-300))) / m
    dZ = (P - Y_oh) / m  # (m, C): softmax + cross-entropy, averaged over the batch
    return loss, {"W": dZ.T @ A, "b": dZ.sum(axis=0)}, P  # dW (C, n), db (C,)


def fit_fast(
    A: np.ndarray,
    Y: np.ndarray,
    num_classes: int,
    *,
    epochs: int,
    lr: float,
    batch: int = 0,
    seed: int = 1,
    on_epoch: Callable[[int, float, np.ndarray, np.ndarray], bool | None] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Softmax regression on precomputed averages with Adam (the ``fast`` preset).

    Args:
        A: ``(m, n)`` averages (see :func:`averages`).
        Y: ``(m,)`` labels.
        num_classes: C.
        epochs: Passes over the data.
        lr: Adam's step size.
        batch: Sentences per step; 0 = all of them (one step per epoch).
        seed: Seeds W's initialisation (same scheme as the course) and the batch order.
        on_epoch: As in :func:`model`: ``(epoch, loss of the epoch's last step, W, b)``.

    Returns:
        ``(W (C, n), b (C,))``.
    """
    m, n = A.shape
    rng = np.random.default_rng(seed)
    params = {
        "W": rng.standard_normal((num_classes, n)) / np.sqrt(n),  # (C, n) as the course
        "b": np.zeros(num_classes),  # (C,)
    }
    Y = np.asarray(Y, dtype=np.int64)
    Y_oh = convert_to_one_hot(Y, num_classes)  # (m, C)
    optimizer = Optimizer(params, "adam", lr, clip=1e9)
    size = m if batch <= 0 else min(batch, m)
    for epoch in range(1, epochs + 1):
        order = np.arange(m) if size == m else rng.permutation(m)
        loss = math.nan
        for s in range(0, m, size):
            rows = order[s : s + size]
            loss, grads, _ = loss_and_grads(params["W"], params["b"], A[rows], Y_oh[rows])
            optimizer.step(params, grads)
        if on_epoch is not None and on_epoch(epoch, loss, params["W"], params["b"]):
            break
    return params["W"], params["b"]


# --------------------------------------------------------------------------------------------
# A trained model


@dataclass
class V1Model:
    """A trained V1 model and the word vectors it reads.

    Attributes:
        W: ``(C, n)``; b: ``(C,)``.
        labels: The classes.
        wv: The word vectors (not saved; the file names them).
        config: How it was trained.
        metrics: Final figures of its run.
        path: The file it was loaded from or saved to.
        calibration: The temperature its probabilities are divided by (:mod:`.calibration`).
    """

    W: np.ndarray
    b: np.ndarray
    labels: LabelSet
    wv: WordVectors
    config: TrainConfig = field(default_factory=TrainConfig)
    metrics: dict[str, Any] = field(default_factory=dict)
    path: str = ""
    kind: str = "v1"
    calibration: Calibration = NONE

    def describe(self) -> str:
        """One line: what it is and how good it was."""
        acc = self.metrics.get("test_accuracy")
        tail = f", test {acc:.1%}" if isinstance(acc, float) else ""
        return f"V1 average + softmax, {len(self.labels)} classes, {self.wv.source}{tail}"

    def raw_probabilities(self, sentences: Sequence[str]) -> np.ndarray:
        """softmax(W·avg + b) for every sentence, ``(m, C)``: the course's, before calibration."""
        A = averages(sentences, self.wv).A  # (m, n)
        return softmax(A @ self.W.T + self.b)  # (m, C)

    def probabilities(self, sentences: Sequence[str]) -> np.ndarray:
        """softmax((W·avg + b) / T) for every sentence, ``(m, C)``: calibrated (T is the model's temperature)."""
        A = averages(sentences, self.wv).A  # (m, n)
        return softmax((A @ self.W.T + self.b) / self.calibration.temperature)  # (m, C)

    def explain(self, sentence: str) -> Prediction:
        """The prediction with each word's exact share of every class score.

        z_c = b_c + Σ_j (1/k) W_c·e_j, so word j contributes (1/k) W_c·e_j to class c (zero for
        unknown words); the contributions plus the bias equal the logits. All are divided by the
        model's temperature T, so they add up to the calibrated logits z / T.

        Raises:
            InvalidInput: the sentence has no words.
        """
        tokens = tokenize(sentence)
        if not tokens:
            raise InvalidInput("Type a sentence: it has no words yet.")
        readings = [read_as(self.wv, w) for w in tokens]
        rows = [row for row, _ in readings]
        known = [i is not None for i in rows]
        k = max(sum(known), 1)
        E = np.zeros((len(tokens), self.wv.dim))  # (T, n): e_j, zero for unknown words
        for t, i in enumerate(rows):
            if i is not None:
                E[t] = self.wv.vectors[i]
        temperature = self.calibration.temperature
        per_class = (E @ self.W.T) / (k * temperature)  # (T, C): (1/k) W_c·e_j / T
        bias = self.b / temperature  # (C,)
        z = per_class.sum(axis=0) + bias  # (C,) the calibrated logits
        return make_prediction(sentence, "v1", self.labels, softmax(z), tokens, known, per_class, "linear", bias,
                               [word for _, word in readings])


def save_model(path: str | Path, m: V1Model) -> Path:
    """Save a V1 model to ``.npz`` atomically: W and b as arrays, the rest in ``seqtui.json`` (no pickle)."""
    arrays = {"W": np.asarray(m.W, dtype=np.float64), "b": np.asarray(m.b, dtype=np.float64)}  # (C, n), (C,)
    saved = save_npz(path, arrays, model_meta(FORMAT, m.labels, m.wv, m.config, m.metrics, m.calibration),
                     "V1 model")
    m.path = str(saved)
    return saved


def _is_format_1(path: Path) -> bool:
    """Whether ``path`` is a V1 file of format 1 (a ``format`` array, no ``seqtui.json``)."""
    if not zipfile.is_zipfile(path):
        return False  # missing or not an archive: open_npz says which
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
    return "format.npy" in names and META_NAME not in names


def _format_1_meta(data: Any) -> dict[str, Any]:
    """The metadata of a format-1 file, which kept it in arrays (config and metrics as JSON text)."""
    return {
        "emoji": [str(e) for e in data["emoji"]],
        "names": [str(n) for n in data["names"]],
        "vectors": str(data["vectors"]),
        "dim": int(data["dim"]),
        "fingerprint": np.asarray(data["fingerprint"], dtype=np.float64).tolist(),
        "config": str(data["config"]),
        "metrics": json.loads(str(data["metrics"])),
    }


def read_header(path: str | Path) -> tuple[np.ndarray, np.ndarray, ModelInfo]:
    """W ``(C, n)``, b ``(C,)`` and what a V1 file says about them, without word vectors.

    Raises:
        ModelFileError: not a V1 model, or weights that do not fit its labels and vectors.
    """
    path = Path(path)
    old = _is_format_1(path)
    with open_npz(path, FORMAT_1 if old else FORMAT, WHAT, HINT) as (data, meta):
        W = np.array(data["W"], dtype=np.float64)  # (C, n)
        b = np.array(data["b"], dtype=np.float64)  # (C,)
        if old:
            meta = _format_1_meta(data)
    info = read_info(path, meta, WHAT, HINT)
    C = len(info.labels)
    if W.ndim != 2 or W.shape != (C, info.dim) or b.shape != (C,):
        raise ModelFileError(f"{path}: W {W.shape} and b {b.shape} do not fit {C} classes of "
                             f"{info.dim}-d vectors — {HINT}.")
    if not (np.all(np.isfinite(W)) and np.all(np.isfinite(b))):
        raise ModelFileError(f"{path} contains NaN or infinity — {HINT}.")
    return W, b, info


def load_model(path: str | Path, wv: WordVectors | None = None) -> V1Model:
    """Load a V1 model; its word vectors are loaded too unless ``wv`` is given.

    Raises:
        ModelFileError: not a V1 model, broken, or trained with other word vectors.
    """
    W, b, info = read_header(path)
    wv = vectors_for(path, info, wv)
    return V1Model(W, b, info.labels, wv, info.config, info.metrics, str(path), calibration=info.calibration)
