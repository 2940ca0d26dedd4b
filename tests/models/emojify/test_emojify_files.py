"""Tests for seqtui_models.emojify.files: the metadata V1 and V2 files share, and the vectors check."""

from __future__ import annotations

import json

import numpy as np
import pytest

from emojify_helpers import WORDS, toy_vectors  # noqa: F401 - fixtures
from seqtui_models.core.errors import ModelFileError
from seqtui_models.core.word_vectors import WordVectors
from seqtui_models.emojify.config import TrainConfig
from seqtui_models.emojify.data import COURSE_LABELS
from seqtui_models.emojify.files import fingerprint, model_meta, read_info, vectors_for


def test_metadata_round_trips_through_json_with_the_config_as_object_or_text(toy_vectors: WordVectors) -> None:
    config = TrainConfig(model="v2", preset="fast", data=("a.csv", "b.csv"), epochs=7, seed=3)
    meta = json.loads(json.dumps(model_meta("kind/1", COURSE_LABELS, toy_vectors, config, {"epochs": 7})))
    assert meta["format"] == "kind/1" and meta["dim"] == 6 and meta["vectors"] == "toy"
    info = read_info("m", meta, "emojify model", "retrain")
    assert (info.labels, info.config, info.metrics, info.dim) == (COURSE_LABELS, config, {"epochs": 7}, 6)
    np.testing.assert_allclose(info.fingerprint, fingerprint(toy_vectors))
    as_text = {**meta, "config": config.to_json()}  # how V2 files (format 1) keep it
    assert read_info("m", as_text, "emojify model", "retrain").config == config


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"emoji": None}, "NoneType"),
        ({"dim": "fifty"}, "fifty"),
        ({"config": ["not", "an", "object"]}, "config is not a JSON object"),
        ({"names": ["one"]}, "one emoji and one name per class"),
    ],
)
def test_damaged_metadata_is_a_model_file_error(toy_vectors: WordVectors, change: dict[str, object], why: str) -> None:
    meta = {**model_meta("kind/1", COURSE_LABELS, toy_vectors, TrainConfig(), {}), **change}
    with pytest.raises(ModelFileError, match=f"m.keras is not a readable emojify V2 model .*{why}.* — retrain"):
        read_info("m.keras", meta, "emojify V2 model", "retrain")


def test_missing_metrics_are_an_empty_dict(toy_vectors: WordVectors) -> None:
    meta = model_meta("kind/1", COURSE_LABELS, toy_vectors, TrainConfig(), {})
    del meta["metrics"]
    assert read_info("m", meta, "emojify model", "retrain").metrics == {}


def test_vectors_must_be_the_ones_the_model_was_trained_with(toy_vectors: WordVectors) -> None:
    info = read_info("m", model_meta("kind/1", COURSE_LABELS, toy_vectors, TrainConfig(), {}), "emojify model", "x")
    assert vectors_for("m", info, toy_vectors) is toy_vectors
    nudged = WordVectors(words=list(WORDS), vectors=toy_vectors.vectors + np.float32(0.01), source="toy")
    with pytest.raises(ModelFileError, match="trained with the word vectors toy .6 dimensions., not toy .6."):
        vectors_for("m", info, nudged)
    shorter = WordVectors(words=list(WORDS), vectors=toy_vectors.vectors[:, :4], source="small")
    with pytest.raises(ModelFileError, match="not small .4."):
        vectors_for("m", info, shorter)
