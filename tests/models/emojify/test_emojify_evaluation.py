"""Tests for seqtui_models.emojify.evaluation: accuracy, the confusion matrix and the mistakes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from emojify_helpers import write
from seqtui_models import emojify
from seqtui_models.core.errors import InvalidInput
from seqtui_models.emojify.data import make_set, parse_labels


def test_evaluate_confusion_and_mistakes(tmp_path: Path) -> None:
    model = emojify.load_model("v1")
    path = write(tmp_path, "sentence,label\ni love you so much,0\nlets get pizza,4\nwe won the soccer game,1\n"
                           "i love you so much,3\nzzqqx pizza,4\n")
    result = emojify.evaluate(model, path)
    assert result.n == 5 and sum(map(sum, result.confusion)) == 5
    assert sum(result.confusion[i][i] for i in range(5)) == round(result.accuracy * 5)
    assert any(m.line == 5 and m.label == 3 for m in result.mistakes)
    assert result.unknown == (("zzqqx", 1),)
    shape = result.to_dict()
    assert {"accuracy", "n", "confusion", "mistakes"} <= set(shape) and len(shape["confusion"]) == 5
    json.dumps(shape)


def test_sentences_of_more_classes_than_the_model_knows_are_refused() -> None:
    model = emojify.load_model("v1")
    six = make_set([("a dog", 5)], parse_labels("❤️ a, ⚾ b, 😄 c, 😞 d, 🍴 e, 🐶 f"))
    with pytest.raises(InvalidInput, match="6 classes; the model knows 5"):
        emojify.evaluate(model, six)
