"""Emojify backend (numpy parts): the CSV loader, labels, V1's course functions, the fast trainer,
explanations, evaluation and model files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from seqtui_models import emojify
from seqtui_models.emojify.data import (
    COURSE_LABELS,
    append_row,
    load_training_data,
    parse_labels,
    read_csv,
    tokenize,
    validation_split,
)
from seqtui_models.emojify.v1 import (
    V1Model,
    averages,
    convert_to_one_hot,
    fit_fast,
    loss_and_grads,
    model as course_model,
    predict as course_predict,
    sentence_to_avg,
    softmax,
)
from seqtui_models.core.errors import DataFileError, InvalidInput, ModelFileError
from seqtui_models.core.training import Control
from seqtui_models.vectors import WordVectors

WORDS = ["i", "love", "you", "pizza", "pasta", "soccer", "game", "happy", "sad", "cry", "goal", "hug", "joy", "not"]


@pytest.fixture(scope="module")
def toy_vectors() -> WordVectors:
    """14 random 6-d word vectors: enough to check the maths exactly, in microseconds."""
    rng = np.random.default_rng(0)
    return WordVectors(words=list(WORDS), vectors=rng.standard_normal((len(WORDS), 6)).astype(np.float32), source="toy")


@pytest.fixture(scope="module")
def glove() -> WordVectors:
    return emojify.word_vectors(None)


def write(tmp_path: Path, text: str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


# --- the tokenizer and the loader -------------------------------------------------------------


def test_tokenize_follows_glove() -> None:
    assert tokenize("I don't LIKE it, I'm sure!") == ["i", "do", "n't", "like", "it", "i", "'m", "sure"]
    assert tokenize("dont cant can't") == ["do", "n't", "cant", "ca", "n't"]
    assert tokenize("O'Neil’s café") == ["o'neil", "'s", "café"]
    assert tokenize("  ... !!") == []


def test_negations_are_found_in_tokens() -> None:
    from seqtui_models.emojify.data import has_negation

    assert has_negation(tokenize("i didnt enjoy it")) and has_negation(tokenize("Never again"))
    assert not has_negation(tokenize("my flight got cancelled")) and not has_negation(tokenize("nothingness"))


def test_loader_accepts_the_common_layouts(tmp_path: Path) -> None:
    text = (
        "\ufeffsentence,label,,\r\n"
        '  "hello, there"  ,2,,\r\n'
        '\t"tabs\tinside"\t,  3 ,\r\n'
        ",,,\r\n"
        "\r\n"
        "plain   words,4.0\r\n"
    )
    data = read_csv(write(tmp_path, text))
    assert data.sentences == ("hello, there", "tabs inside", "plain words")
    assert data.labels.tolist() == [2, 3, 4]
    assert data.lines == (2, 3, 6)
    assert data.labels_set == COURSE_LABELS  # five classes, unnamed: the course's emoji


def test_loader_without_header_and_with_lf(tmp_path: Path) -> None:
    data = read_csv(write(tmp_path, "i love you,0\nlets eat,4\n"))
    assert data.sentences == ("i love you", "lets eat") and data.lines == (1, 2)


def test_bad_rows_are_reported_with_their_line_numbers(tmp_path: Path) -> None:
    path = write(tmp_path, "sentence,label\ngood one,1\nbad label,x\nno label here\n\"   \",2\nlabel too big,7\nok,0\n")
    with pytest.raises(DataFileError) as caught:
        read_csv(path, labels=COURSE_LABELS)
    message = str(caught.value)
    for line in ("line 3", "line 4", "line 5", "line 6"):
        assert line in message
    data = read_csv(path, labels=COURSE_LABELS, skip_bad_rows=True)
    assert data.sentences == ("good one", "ok")
    assert [b.line for b in data.skipped] == [3, 4, 5, 6]
    assert "not a whole number" in data.skipped[0].reason and "not one of 0 … 4" in data.skipped[3].reason


def test_unreadable_files_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="No such file"):
        read_csv(tmp_path / "missing.csv")
    with pytest.raises(DataFileError, match="empty"):
        read_csv(write(tmp_path, "  \n"))
    with pytest.raises(DataFileError, match="binary"):
        read_csv(write(tmp_path, "a\0b,1\n", "bin.csv"))
    (tmp_path / "latin.csv").write_bytes("caf\xe9,2\n".encode("latin-1"))
    with pytest.raises(DataFileError, match="line 1: not UTF-8"):
        read_csv(tmp_path / "latin.csv")
    with pytest.raises(DataFileError, match="no usable"):
        read_csv(write(tmp_path, "sentence,label\n"))


def test_custom_classes_from_an_emoji_column(tmp_path: Path) -> None:
    path = write(tmp_path, "sentence,label,emoji,name\nwoof woof,0,🐶,dog\nmeow,1,🐱,cat\nbark at the mailman,0,,\nbubbles,2,🐟,\n")
    data = read_csv(path)
    assert data.labels_set.emoji == ("🐶", "🐱", "🐟")
    assert data.labels_set.names == ("dog", "cat", "class 2")
    clash = write(tmp_path, "sentence,label,emoji\nwoof,0,🐶\nwoof woof,0,🐕\nmeow,1,🐱\n", "clash.csv")
    with pytest.raises(DataFileError, match="line 3"):
        read_csv(clash)


def test_label_specs_and_defaults(tmp_path: Path) -> None:
    labels = parse_labels("🐶 dog, 🐱 cat,🐟")
    assert labels.emoji == ("🐶", "🐱", "🐟") and labels.names == ("dog", "cat", "class 2")
    assert parse_labels(labels.to_spec()) == labels
    for bad in ("", "🐶 dog,,🐱", "🐶 a, 🐶 b"):
        with pytest.raises(InvalidInput):
            parse_labels(bad)
    three = read_csv(write(tmp_path, "a b,0\nc d,1\ne f,2\n"))
    assert three.labels_set.emoji[0] == "0\ufe0f\u20e3"  # keycaps for an unnamed set of three


def test_merging_the_bundled_file_with_a_user_csv_keeps_the_course_labels(tmp_path: Path) -> None:
    user = tmp_path / "mine.csv"
    append_row(user, "my  cat sleeps on my lap", 0, "❤️")
    append_row(user, "tennis at noon", 1, "⚾")
    assert user.read_text(encoding="utf-8").splitlines() == ["sentence,label,emoji", "my cat sleeps on my lap,0,❤️",
                                                             "tennis at noon,1,⚾"]
    merged = load_training_data([emojify.data_file("emojify_train.csv"), user])
    assert merged.labels_set == COURSE_LABELS
    assert merged.sentences[-2:] == ("my cat sleeps on my lap", "tennis at noon")
    with pytest.raises(InvalidInput):
        append_row(user, " ?! ", 1)


def test_validation_split_is_stratified_and_disjoint() -> None:
    labels = np.repeat(np.arange(5), [20, 30, 10, 10, 1])
    train_rows, val_rows = validation_split(labels, 0.1, seed=3)
    assert not set(train_rows) & set(val_rows) and len(train_rows) + len(val_rows) == len(labels)
    assert np.bincount(labels[val_rows], minlength=5).tolist() == [2, 3, 1, 1, 0]
    again = validation_split(labels, 0.1, seed=3)
    assert np.array_equal(again[1], val_rows)


def test_bundled_files_load_with_the_course_labels() -> None:
    train, test = emojify.load_train(), emojify.load_test()
    assert len(train) >= 500 and len(test) >= 150
    assert train.labels_set == test.labels_set == COURSE_LABELS
    assert sorted(set(train.labels.tolist())) == [0, 1, 2, 3, 4]


# --- V1: the course's functions ---------------------------------------------------------------


def test_sentence_to_avg_skips_unknown_words(toy_vectors: WordVectors) -> None:
    as_dict = {w: np.array(toy_vectors.vector(w), dtype=np.float64) for w in WORDS}
    expected = (as_dict["i"] + as_dict["love"] + as_dict["pizza"]) / 3
    for mapping in (as_dict, toy_vectors):
        assert np.allclose(sentence_to_avg("I love zzz pizza", mapping), expected)
    assert np.array_equal(sentence_to_avg("qqq www", toy_vectors), np.zeros(6))


def test_the_course_loop_learns_and_matches_predict(toy_vectors: WordVectors) -> None:
    X = ["i love you", "hug you", "pizza pasta", "i love pizza", "soccer game", "goal game", "happy joy", "sad cry"]
    Y = np.array([0, 0, 4, 4, 1, 1, 2, 3])
    costs: list[float] = []
    pred, W, b = course_model(X, Y, toy_vectors, learning_rate=0.1, num_iterations=200, num_classes=5,
                              on_epoch=lambda t, cost, W, b: costs.append(cost) and False)
    assert W.shape == (5, 6) and b.shape == (5,) and pred.shape == (8, 1)
    assert costs[-1] < 0.5 * costs[0]
    assert np.array_equal(pred, course_predict(X, Y, W, b, toy_vectors))
    assert np.mean(pred[:, 0] == Y) >= 0.75


def test_softmax_regression_gradient_matches_central_differences() -> None:
    rng = np.random.default_rng(1)
    A = rng.standard_normal((7, 4))
    Y_oh = convert_to_one_hot(rng.integers(0, 3, 7), 3)
    W, b = rng.standard_normal((3, 4)), rng.standard_normal(3)
    _, grads, P = loss_and_grads(W, b, A, Y_oh)
    assert np.allclose(P.sum(axis=1), 1)
    for name, param in (("W", W), ("b", b)):
        numeric = np.zeros_like(param)
        for idx in np.ndindex(param.shape):
            old = param[idx]
            param[idx] = old + 1e-6
            up = loss_and_grads(W, b, A, Y_oh)[0]
            param[idx] = old - 1e-6
            down = loss_and_grads(W, b, A, Y_oh)[0]
            param[idx] = old
            numeric[idx] = (up - down) / 2e-6
        assert np.abs(numeric - grads[name]).max() < 1e-7


def test_averages_match_sentence_to_avg(glove: WordVectors) -> None:
    sentences = ["I love you", "zzzqqq", "pizza, pasta and more pizza", "not happy at all"]
    result = averages(sentences, glove)
    for row, sentence in zip(result.A, sentences):
        assert np.allclose(row, sentence_to_avg(sentence, glove))
    assert result.known_counts.tolist() == [3, 0, 5, 4]
    assert result.unknown == ((), ("zzzqqq",), (), ())


def test_fast_trainer_loss_falls(glove: WordVectors) -> None:
    data = emojify.load_train()
    A = averages(data.sentences, glove).A
    losses: list[float] = []
    fit_fast(A, data.labels, 5, epochs=40, lr=0.05, seed=0, on_epoch=lambda e, loss, W, b: losses.append(loss) and False)
    assert losses[-1] < 0.6 * losses[0]
    assert all(b <= a + 1e-9 for a, b in zip(losses[:10], losses[1:11]))  # full-batch Adam: steady at first


# --- explanations ------------------------------------------------------------------------------


def test_v1_contributions_plus_bias_are_the_logits(toy_vectors: WordVectors) -> None:
    rng = np.random.default_rng(2)
    model = V1Model(rng.standard_normal((5, 6)), rng.standard_normal(5), COURSE_LABELS, toy_vectors)
    prediction = model.explain("I love pizza xyzzy pizza")
    per_class = np.array([w.per_class for w in prediction.words])  # (T, C)
    logits = per_class.sum(axis=0) + np.array(prediction.bias)
    assert np.allclose(softmax(logits), prediction.probabilities)
    assert np.allclose(prediction.probabilities, model.probabilities(["I love pizza xyzzy pizza"])[0])
    assert prediction.unknown == ("xyzzy",)
    unknown = [w for w in prediction.words if not w.known]
    assert len(unknown) == 1 and unknown[0].per_class == (0.0,) * 5
    assert [w.contribution for w in prediction.words] == [w.per_class[prediction.label] for w in prediction.words]
    assert prediction.top(3)[0] == (prediction.label, prediction.confidence)
    with pytest.raises(InvalidInput):
        model.explain("?!")


# --- training, files, evaluation ---------------------------------------------------------------


def test_train_protocol_saves_a_loadable_model(tmp_path: Path) -> None:
    out = tmp_path / "v1.npz"
    events: list[object] = []
    config = emojify.preset_config("v1", epochs=60, out=str(out))
    result = emojify.train(config, control=Control(), on_progress=events.append)
    assert result.status == "finished" and result.steps == 60 and out.is_file()
    assert 0.6 < result.metrics["train_accuracy"] <= 1 and 0.4 < result.metrics["test_accuracy"] <= 1
    assert events and "accuracy" in events[-1].metrics  # type: ignore[attr-defined]
    model = emojify.load_model(out)
    assert model.labels == COURSE_LABELS and model.metrics["epochs"] == 60
    assert emojify.evaluate(model, emojify.load_test()).accuracy == pytest.approx(result.metrics["test_accuracy"])


def test_the_course_preset_stops_at_a_target_accuracy(tmp_path: Path) -> None:
    config = emojify.preset_config("v1", "course", epochs=400, target_accuracy=0.5, out=str(tmp_path / "c.npz"))
    result = emojify.train(config, control=Control())
    assert result.steps < 400 and result.metrics["train_accuracy"] >= 0.5


def test_a_stop_saves_the_weights_so_far(tmp_path: Path) -> None:
    control = Control()
    control.stop()
    result = emojify.train(emojify.preset_config("v1", out=str(tmp_path / "s.npz")), control=control)
    assert result.status == "stopped" and result.steps == 1 and (tmp_path / "s.npz").is_file()


def test_training_on_your_own_classes(tmp_path: Path) -> None:
    rows = ["woof woof,0", "the dog barked,0", "puppy fetch ball,0", "meow meow,1", "the cat purred,1",
            "kitten yarn,1", "fish in the bowl,2", "goldfish swimming,2", "the fish swam,2"]
    path = write(tmp_path, "sentence,label\n" + "\n".join(rows) + "\n")
    config = emojify.preset_config("v1", data=(str(path),), labels="🐶 dog, 🐱 cat, 🐟 fish", epochs=200,
                                   out=str(tmp_path / "pets.npz"))
    result = emojify.train(config, control=Control())
    assert result.metrics["classes"] == 3 and result.metrics["test_accuracy"] is None
    model = emojify.load_model(tmp_path / "pets.npz")
    assert model.labels.emoji == ("🐶", "🐱", "🐟")
    assert emojify.predict(model, "my kitten").emoji == "🐱"
    with pytest.raises(DataFileError, match="not one of 0 … 2"):
        emojify.evaluate(model, emojify.data_file("emojify_test.csv"))


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


def test_bundled_v1_predicts_and_explains() -> None:
    model = emojify.load_model("v1")
    assert emojify.predict(model, "lets eat pizza and pasta tonight").emoji == "🍴"
    assert emojify.predict(model, "we won the baseball game").emoji == "⚾"
    assert model.metrics["test_accuracy"] > 0.75


def test_model_files_are_checked(tmp_path: Path, toy_vectors: WordVectors) -> None:
    with pytest.raises(ModelFileError, match="No such model"):
        emojify.load_model(tmp_path / "none.npz")
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(ModelFileError):
        emojify.load_model(tmp_path / "junk.npz")
    np.savez(tmp_path / "other.npz", x=np.zeros(3))
    with pytest.raises(ModelFileError, match="not an emojify V1"):
        emojify.load_model(tmp_path / "other.npz")
    with pytest.raises(InvalidInput):
        emojify.load_model(tmp_path / "model.txt")
    # a model trained with other vectors is refused when loaded with GloVe
    rng = np.random.default_rng(0)
    from seqtui_models.emojify.v1 import save_model

    save_model(tmp_path / "toy.npz", V1Model(rng.standard_normal((5, 6)), np.zeros(5), COURSE_LABELS, toy_vectors))
    with pytest.raises(ModelFileError, match="word vectors"):
        emojify.load_model(tmp_path / "toy.npz", emojify.word_vectors(None))
    loaded = emojify.load_model(tmp_path / "toy.npz", toy_vectors)
    assert loaded.W.shape == (5, 6)


def test_config_validation() -> None:
    with pytest.raises(InvalidInput):
        emojify.preset_config("v3")
    with pytest.raises(InvalidInput):
        emojify.preset_config("v2", "course")
    with pytest.raises(InvalidInput):
        emojify.preset_config("v1", "course", batch=8)
    with pytest.raises(InvalidInput, match=".keras"):
        emojify.preset_config("v2", out="model.npz")
    with pytest.raises(InvalidInput):
        emojify.preset_config("v1", lr=-1.0)
    assert emojify.preset_config("v1", "course").epochs == 400
    with pytest.raises(InvalidInput, match="val_fraction"):
        emojify.preset_config("v2", patience=5)  # early stopping with nothing held out to watch
    assert emojify.preset_config("v2", patience=5, val_fraction=0.1).patience == 5


def test_a_bad_first_row_is_reported_not_taken_for_a_header(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="line 1"):
        read_csv(write(tmp_path, "hello there,x\ni love you,0\n"))
    swapped = read_csv(write(tmp_path, "label,text\n2,what a day\n", "swapped.csv"))
    assert swapped.sentences == ("what a day",) and swapped.labels.tolist() == [2]
