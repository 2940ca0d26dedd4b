"""Emojify: give a short sentence the right emoji, with two models side by side.

What the emojify tab and ``seqtui emojify`` call. Dataclasses in, dataclasses out:

- Data (:mod:`.data`): :func:`read_csv` (any ``sentence,label`` CSV, bad rows reported by
  line), :func:`load_training_data`, :func:`load_train` / :func:`load_test` (the bundled,
  hand-written sentences), :class:`LabelSet` (the classes' emoji and names; five course classes
  by default, any number in a CSV of your own), :func:`tokenize`.
- V1 (:mod:`.v1`, numpy): the course's ``sentence_to_avg``, ``model``, ``predict``; a
  vectorised trainer; :class:`V1Model`.
- V2 (:mod:`.v2`, Keras): the course's ``sentences_to_indices``, ``pretrained_embedding_layer``,
  ``Emojify_V2``; ``V2Model``. :func:`warm_up` imports Keras and V2 ahead of time.
- :func:`preset_config` / :class:`TrainConfig` (:mod:`.config`) → :func:`train` (:mod:`.training`;
  the protocol of :mod:`seqtui_models.core.training`:
  ``TrainingJob("seqtui_models.emojify:train", config, isolate=...)``: V1 in a spawned process,
  V2 in a thread).
- :func:`load_model` (a path, or ``"v1"`` / ``"v2"`` for the bundled models; the files are
  described in :mod:`.files`), :func:`predict` → :class:`Prediction` (:mod:`.explain`: emoji,
  probabilities, per-word explanation, unknown words), :func:`evaluate` → :class:`EvalResult`
  (:mod:`.evaluation`: accuracy, confusion matrix, mistakes, calibration error).
- :func:`calibrate_model` fits a model's temperature on labelled sentences it did not learn
  from (:mod:`.calibration`); training V1 fast fits one by cross-fitting, V2 on its networks'
  held-out splits when it has them.

The bundled models are ``data/emojify_v1.npz`` and ``data/emojify_v2.keras`` (made by
``seqtui emojify train``; the commands are in data/README.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Union

import numpy as np

from seqtui_models.core.errors import InvalidInput
from seqtui_models.core.paths import data_file, user_models_dir
from seqtui_models.core.word_vectors import WordVectors
from seqtui_models.emojify.calibration import Calibration, calibrate
from seqtui_models.emojify.config import PRESETS, TrainConfig, preset_config, word_vectors
from seqtui_models.emojify.data import (
    COURSE_LABELS,
    TEST_FILE,
    TRAIN_FILE,
    BadRow,
    LabelSet,
    SentenceSet,
    append_row,
    find_sentence,
    default_labels,
    has_negation,
    load_test,
    load_train,
    load_training_data,
    make_set,
    parse_labels,
    read_csv,
    remove_row,
    same_sentence,
    tokenize,
)
from seqtui_models.emojify.evaluation import EvalResult, Mistake, evaluate
from seqtui_models.emojify.explain import Prediction, WordScore
from seqtui_models.emojify.training import train
from seqtui_models.emojify.v1 import V1Model, averages, fit_fast, model as course_model, sentence_to_avg
from seqtui_models.emojify.v1 import load_model as load_v1
from seqtui_models.emojify.v1 import save_model as save_v1
from seqtui_models.emojify.v1 import predict as course_predict

__all__ = [
    "BadRow", "COURSE_LABELS", "Calibration", "DEFAULT_V1", "DEFAULT_V2", "EvalResult", "LabelSet", "Mistake",
    "Model", "PRESETS", "Prediction", "SentenceSet", "TEST_FILE", "TRAIN_FILE", "TrainConfig", "V1Model",
    "WordScore", "append_row", "averages", "calibrate_model", "course_model", "course_predict", "data_file",
    "default_labels", "evaluate", "find_sentence", "fit_fast", "has_negation", "load_model",
    "load_test", "load_train", "load_training_data", "make_set", "model_kind", "parse_labels", "predict",
    "preset_config", "read_csv", "remove_row", "resolve", "same_sentence", "sentence_to_avg", "tokenize", "train",
    "user_csv_path", "user_models_dir", "warm_up", "word_vectors",
]

DEFAULT_V1 = "emojify_v1.npz"
DEFAULT_V2 = "emojify_v2.keras"
USER_CSV = "emojify-my-sentences.csv"

Model = Union[V1Model, Any]  # V1Model or emojify_v2.V2Model (Keras is imported lazily)


def user_csv_path() -> Path:
    """The CSV that the tab's add-a-sentence form appends to (in the per-user models folder)."""
    return user_models_dir() / USER_CSV


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
        return load_v1(path, wv)
    from seqtui_models.emojify import v2 as emojify_v2

    return emojify_v2.load_model(path, wv)


def warm_up() -> None:
    """Import what V2 needs (TensorFlow's Keras and :mod:`.v2`), so a tab can pay for it in the background.

    Takes seconds the first time and nothing after; loading or training a V2 model needs it
    anyway. V2's module is imported first: it quiets TensorFlow's start-up notices.
    """
    from seqtui_models.emojify import v2  # noqa: F401 - imported for its side effect: the modules load

    import keras  # noqa: F401


def calibrate_model(model: Model, sentences: Sequence[str], labels: np.ndarray, source: str,
                    out: str | Path | None = None) -> Calibration:
    """Fit ``model``'s temperature on labelled sentences it did not learn from; set it, and save to ``out``.

    Args:
        model: A loaded V1 or V2 model (its calibration is replaced).
        sentences, labels: ``(m,)`` the sentences and their classes.
        source: What they are, recorded with the temperature.
        out: Where to save the calibrated model (same kind of file), or ``None`` to keep it in memory.

    Raises:
        InvalidInput: no sentences.
    """
    if isinstance(model, V1Model):
        calibration = calibrate(model.raw_probabilities(list(sentences)), np.asarray(labels), source)
        model.calibration = calibration
    else:
        from seqtui_models.emojify import v2 as emojify_v2

        calibration = emojify_v2.calibrate_blend(model, sentences, labels, source)
    if out is not None:
        if isinstance(model, V1Model):
            save_v1(out, model)
        else:
            from seqtui_models.emojify import v2 as emojify_v2

            emojify_v2.save_model(out, model)
    return calibration


def predict(model: Model, sentence: str) -> Prediction:
    """The model's emoji for ``sentence``, its probabilities and the per-word explanation.

    Raises:
        InvalidInput: the sentence has no words.
    """
    return model.explain(sentence)  # type: ignore[no-any-return]
