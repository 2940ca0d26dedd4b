"""Tests for seqtui_models.emojify.evaluation: accuracy, the confusion matrix and the mistakes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from emojify_helpers import write
from seqtui_models import emojify
from seqtui_models.core.errors import InvalidInput
from seqtui_models.core.training import Control
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


def test_a_model_is_not_scored_on_a_file_labelled_with_other_classes(tmp_path: Path) -> None:
    pets = write(tmp_path, "sentence,label,emoji,name\nwoof woof,0,🐶,dog\nthe dog barked,0,🐶,dog\nmeow,1,🐱,cat\n"
                           "the cat purred,1,🐱,cat\n", "pets.csv")
    course = emojify.load_model("v1")
    with pytest.raises(InvalidInput, match=r"pets.csv is labelled with other classes \(🐶 dog, 🐱 cat\)"):
        emojify.evaluate(course, pets)  # not "25%": label 0 is not ❤️
    result = emojify.train(emojify.preset_config("v1", data=(str(pets),), epochs=5, out=str(tmp_path / "pets.npz")),
                           control=Control())
    mine = emojify.load_model(result.model_path)
    with pytest.raises(InvalidInput, match=r"emojify_test.csv is labelled with other classes \(❤️ love"):
        emojify.evaluate(mine, emojify.data_file(emojify.TEST_FILE))  # not "fix 74 bad rows"
    assert emojify.evaluate(mine, pets).n == 4
    unnamed = write(tmp_path, "sentence,label\nmy puppy,0\nmy kitten,1\n", "unnamed.csv")
    assert emojify.evaluate(mine, unnamed).n == 2  # a file that names no classes is read with the model's




def test_evaluation_goes_in_chunks_with_progress_and_stops_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    from seqtui_models.core.word_vectors import Cancelled
    from seqtui_models.emojify import evaluation
    from seqtui_models.emojify.calibration import confident_mistakes, ece

    model = emojify.load_model("v1")
    data = emojify.load_test()
    whole = evaluation.evaluate(model, data)
    monkeypatch.setattr(evaluation, "CHUNK", 50)
    seen: list[tuple[int, int]] = []
    chunked = evaluation.evaluate(model, data, on_progress=lambda done, total: seen.append((done, total)))
    assert seen == [(50, 182), (100, 182), (150, 182), (182, 182)]
    assert chunked == whole
    probs = model.probabilities(list(data.sentences))
    assert chunked.ece == pytest.approx(ece(probs, data.labels))
    assert chunked.confident_mistakes == pytest.approx(confident_mistakes(probs, data.labels))
    calls = iter([False, False, True])
    with pytest.raises(Cancelled, match="after 100 of 182 sentences"):
        evaluation.evaluate(model, data, should_stop=lambda: next(calls))
