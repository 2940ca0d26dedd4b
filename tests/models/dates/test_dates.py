"""Dates with Keras: the course's model, ours, attention, training, files, translation, evaluation."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest

from seqtui_models import dates
from seqtui_models.dates import BEST_VOCAB, COURSE_VOCAB, DateModel, TY, load_model, preset_config, train, translate
from seqtui_models.core.errors import DataFileError, InvalidInput, ModelFileError
from seqtui_models.core.training import Control, Progress, RunResult

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bundled() -> DateModel:
    return dates.default_model()


@pytest.fixture(scope="module")
def tiny_course(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    """The course's model after a handful of steps on its own data."""
    out = tmp_path_factory.mktemp("course") / "course.keras"
    config = preset_config("course", examples=600, epochs=2, eval_every=0, val_examples=30, out=str(out))
    return train(config, control=Control())


@pytest.fixture(scope="module")
def tiny_best(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    """Ours, small, stopped by the user after 30 of its 40 steps."""
    out = tmp_path_factory.mktemp("best") / "best.keras"
    config = preset_config("best", examples=1280, epochs=2, batch=64, eval_every=10, val_examples=30,
                           n_a=16, units=16, n_s=32, out=str(out))
    control = Control()
    seen: list = []

    def record(progress: Progress) -> None:
        seen.append(progress)
        if progress.step >= 30:
            control.stop()

    result = train(config, control=control, on_progress=record)
    result.payload["progress"] = seen
    return result


def course_batch(*texts: str) -> list[str]:
    """``texts`` repeated to the 30 rows the course fixture's scoring compiled (one more compile costs seconds)."""
    return [texts[i % len(texts)] for i in range(30)]


# --------------------------------------------------------------------------------------------
# The networks


def test_course_model_has_the_assignments_52960_parameters() -> None:
    from seqtui_models.dates import net as dates_net

    model = dates_net.modelf(30, 10, 32, 64, COURSE_VOCAB.size, len(dates.MACHINE_CHARS))
    assert model.count_params() == 52_960
    assert [tuple(t.shape) for t in model.inputs] == [(None, 30, 37), (None, 64), (None, 64)]
    assert len(model.outputs) == 10 and all(tuple(t.shape) == (None, 11) for t in model.outputs)
    counts = {layer.name: layer.count_params() for layer in model.layers if layer.count_params()}
    assert counts == {"encoder": 17_920, "densor1": 1_290, "densor2": 11, "post_attention_lstm": 33_024,
                      "output_layer": 715}


def test_attention_rows_are_distributions(tiny_course: RunResult) -> None:
    from seqtui_models.dates import net as dates_net

    course: DateModel = tiny_course.payload["model"]
    probs, attention = course.predict(course_batch("saturday may 9 2018", "9/10/70", "1 jan 1999"))
    assert attention.shape == (30, TY, 30) and probs.shape == (30, TY, 11)
    np.testing.assert_allclose(attention.sum(-1), 1.0, atol=1e-5)  # the course attends over all 30 positions
    np.testing.assert_allclose(probs.sum(-1), 1.0, atol=1e-5)

    _, best = dates_net.build_best(BEST_VOCAB.size, TY, 11, n_a=8, n_s=8, units=8, embedding=4)
    ids = np.stack([BEST_VOCAB.encode("may 9 2018"), BEST_VOCAB.encode("9/10/70")])
    _, attention = best.predict_on_batch(ids)
    np.testing.assert_allclose(attention.sum(-1), 1.0, atol=1e-5)
    assert np.all(attention[0, :, 10:] == 0) and np.all(attention[1, :, 7:] == 0)  # padding gets nothing
    assert np.all(attention[1, :, :7] > 0)


def test_our_model_ignores_padding() -> None:
    """The mask makes a date's translation independent of how far it is padded."""
    from seqtui_models.dates import net as dates_net

    _, best = dates_net.build_best(BEST_VOCAB.size, TY, 11, n_a=8, n_s=8, units=8, embedding=4)
    ids = BEST_VOCAB.encode("the 4th of july 1976")[None, :]  # (1, 40)
    full, attention_full = best.predict_on_batch(ids)
    short, attention_short = best.predict_on_batch(ids[:, :20])
    np.testing.assert_allclose(full, short, atol=1e-6)
    np.testing.assert_allclose(attention_full[:, :, :20], attention_short, atol=1e-6)


# --------------------------------------------------------------------------------------------
# Training


def test_tiny_training_lowers_the_loss(tiny_best: RunResult) -> None:
    losses = [loss for _, loss in tiny_best.history]
    assert np.mean(losses[-5:]) < 0.8 * np.mean(losses[:5])
    evaluations = [p.metrics for p in tiny_best.payload["progress"] if "val_exact" in p.metrics]
    assert evaluations and all(0 <= m["val_exact"] <= 1 for m in evaluations)
    assert evaluations[-1]["val_loss"] < evaluations[0]["val_loss"]
    summary = tiny_best.summary()
    assert {"exact_match", "seconds", "model"} <= set(summary) and Path(summary["model"]).is_file()


def test_a_stopped_run_keeps_its_model(tiny_best: RunResult) -> None:
    assert tiny_best.status == "stopped" and 30 <= tiny_best.steps < 40
    assert Path(tiny_best.model_path or "").is_file() and tiny_best.metrics["budget_reached"] is False


def test_course_outputs_change_with_the_input(tiny_course: RunResult) -> None:
    """The Keras-3 port failure: a model that gives the same output whatever the input."""
    model: DateModel = tiny_course.payload["model"]
    probs, attention = model.predict(course_batch("saturday may 9 2018", "9/10/70", "1 jan 1999"))
    assert np.abs(probs[0] - probs[1]).max() > 1e-3 and np.abs(probs[1] - probs[2]).max() > 1e-3
    assert np.abs(attention[0] - attention[1]).max() > 1e-3
    # ... and from step to step: the post-attention state carries on (not restarted at zero)
    assert np.abs(probs[0, 0] - probs[0, 5]).max() > 1e-3
    assert tiny_course.summary()["loss"] < 2.3  # below a uniform guess, log(11) = 2.4


# --------------------------------------------------------------------------------------------
# Files


def test_saved_models_load_in_keras_safe_mode(tiny_course: RunResult, tiny_best: RunResult) -> None:
    import keras

    for result in (tiny_course, tiny_best):
        path = result.model_path
        raw = keras.saving.load_model(path, safe_mode=True, compile=False)
        loaded = load_model(path)
        original: DateModel = result.payload["model"]
        assert loaded.preset == original.preset and loaded.vocab == original.vocab
        assert raw.count_params() == original.translator.count_params()
        for a, b in zip(raw.get_weights(), original.translator.get_weights()):
            np.testing.assert_array_equal(a, b)
        with zipfile.ZipFile(path) as archive:
            assert not any("lambda" in name.lower() for name in archive.namelist())
            assert b"Lambda" not in archive.read("config.json")
    assert load_model(tiny_course.model_path).translator.count_params() == 52_960
    texts = ["3 May 1979", "the 4th of july 1976"]  # predictions too (ours: cheap to compile)
    np.testing.assert_allclose(load_model(tiny_best.model_path).predict(texts)[0],
                               tiny_best.payload["model"].predict(texts)[0], atol=1e-6)


def test_broken_model_files_are_refused(tmp_path: Path, tiny_best: RunResult) -> None:
    with pytest.raises(ModelFileError, match="No such model file"):
        load_model(tmp_path / "missing.keras")
    junk = tmp_path / "junk.keras"
    junk.write_bytes(b"not a zip at all")
    with pytest.raises(ModelFileError, match="not a seqtui date model: it cannot be read"):
        load_model(junk)
    other = tmp_path / "other.keras"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("config.json", "{}")
    with pytest.raises(ModelFileError, match="not a seqtui date model"):
        load_model(other)
    wrong = tmp_path / "wrong.keras"
    with zipfile.ZipFile(tiny_best.model_path) as src, zipfile.ZipFile(wrong, "w") as dst:
        for item in src.namelist():
            data = src.read(item)
            dst.writestr(item, data.replace(b"seqtui-dates/1", b"seqtui-other/9") if item == "seqtui.json" else data)
    with pytest.raises(ModelFileError, match="seqtui-other/9"):
        load_model(wrong)


# --------------------------------------------------------------------------------------------
# The bundled model: translation, validation, evaluation


@pytest.mark.parametrize("text,iso", [
    ("3 May 1979", "1979-05-03"),
    ("the 4th of July 1976", "1976-07-04"),
    ("saturday may 9 2018", "2018-05-09"),
    ("9/10/70", "1970-09-10"),
    ("09.10.70", "1970-10-09"),
    ("21th of august 2016", "2016-08-21"),
    ("4-JUL-1976", "1976-07-04"),
    ("1976-07-04", "1976-07-04"),
])
def test_bundled_model_translates(bundled: DateModel, text: str, iso: str) -> None:
    result = translate(bundled, text)
    assert result.iso == iso and result.valid_date and not result.truncated
    assert result.attention.shape == (TY, len(text))
    np.testing.assert_allclose(result.attention.sum(axis=1), 1.0, atol=1e-5)
    assert 0 < result.confidence <= min(result.char_probs) + 1e-9 or result.confidence <= 1


def test_an_impossible_date_is_flagged(bundled: DateModel) -> None:
    result = translate(bundled, "1979-05-33")  # the model copies ISO input, day 33 included
    assert result.iso == "1979-05-33"
    assert result.valid_date is False and "31 days" in result.problem
    assert result.to_dict()["valid_date"] is False


def test_long_empty_and_unreadable_inputs(bundled: DateModel) -> None:
    long = "wednesday the twenty-first of september 2016"
    result = translate(bundled, long)
    assert result.truncated and result.read == long[:40] and result.attention.shape == (TY, 40)
    assert any("first 40 of 44" in note for note in result.notes)
    with pytest.raises(InvalidInput, match="Type a date"):
        translate(bundled, "  ")
    with pytest.raises(InvalidInput, match="unknown"):
        translate(bundled, "§¤¤ ©®")
    odd = translate(bundled, "3 May 1979 ©")
    assert odd.unknown == "©" and any("<unk>" in note for note in odd.notes)


def test_years_the_model_never_saw_are_flagged(bundled: DateModel) -> None:
    assert dates.years_outside_training("4 july 1850, 3 may 1979 or 2099-01-01") == [1850, 2099]
    assert dates.years_outside_training("12345 and 1970 and 2030") == []  # five digits are not a year
    guessed = translate(bundled, "4 july 1850")
    assert any("1970–2030" in note and "1850" in note for note in guessed.notes)
    assert not any("1970–2030" in note for note in translate(bundled, "4 july 1976").notes)


def test_bundled_model_on_held_out_dates(bundled: DateModel) -> None:
    pairs = dates.heldout_pairs(400, seed=123, max_length=40)
    result = dates.evaluate(bundled, pairs, max_mistakes=5)
    assert result.n == 400 and result.exact_match >= 0.99
    assert set(result.by_format) <= set(dates.dates_data.FAMILIES)
    assert sum(score.n for score in result.by_format.values()) == 400
    assert len(result.mistakes) <= 5 and result.wrong == round((1 - result.exact_match) * 400)


def test_evaluate_counts_mistakes_per_family(bundled: DateModel) -> None:
    pairs = [dates.DatePair("3 May 1979", "1979-05-03", "mine"), dates.DatePair("3 May 1979", "1979-05-04", "mine"),
             dates.DatePair("9/10/70", "1970-09-10", "other")]
    result = dates.evaluate(bundled, pairs)
    assert result.exact_match == pytest.approx(2 / 3) and result.wrong == 1
    assert result.by_format["mine"].exact_match == 0.5 and result.by_format["other"].exact_match == 1.0
    assert result.mistakes[0].expected == "1979-05-04" and result.mistakes[0].got == "1979-05-03"
    with pytest.raises(DataFileError):
        dates.evaluate(bundled, [])


def test_fuzz_draws_held_out_real_world_dates(bundled: DateModel) -> None:
    pair, result = dates.fuzz(bundled, seed=5)
    assert pair == dates.fuzz(bundled, seed=5)[0]
    assert dates.dates_data.FAMILIES[pair.family].kind == "real"
    assert dates.dates_data.is_heldout(__import__("datetime").date.fromisoformat(pair.iso))
    assert result.input == pair.human
