"""Tests for seqtui_models.emojify.calibration and calibrated models: temperature, ECE, files, the CLI verb."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emojify_helpers import glove  # noqa: F401 - fixture
from seqtui_models import emojify
from seqtui_models.core.errors import InvalidInput, ModelFileError
from seqtui_models.core.model_files import read_meta
from seqtui_models.core.training import Control
from seqtui_models.emojify.calibration import (
    NONE,
    Calibration,
    confident_mistakes,
    ece,
    fit_temperature,
    nll,
    scale,
)
from seqtui_models.emojify.v1 import V1Model, load_model, save_model


def _overconfident(T0: float, m: int = 4000, C: int = 5, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Labels drawn from softmax(z), reported as softmax(T0 · z): a model T0 times too sure."""
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((m, C)) * 1.5  # (m, C)
    q = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    y = np.array([rng.choice(C, p=row) for row in q])  # (m,)
    p = np.exp(T0 * z) / np.exp(T0 * z).sum(axis=1, keepdims=True)
    return p, y


@pytest.mark.parametrize("T0", [0.5, 1.0, 3.0])
def test_fit_temperature_recovers_how_overconfident_a_model_is(T0: float) -> None:
    p, y = _overconfident(T0)
    assert fit_temperature(p, y) == pytest.approx(T0, rel=0.1)


def test_scaling_by_the_fitted_temperature_lowers_ece_nll_and_confident_mistakes() -> None:
    p, y = _overconfident(3.0)
    fit, check = slice(0, 2000), slice(2000, 4000)  # fitted on one half, judged on the other
    T = fit_temperature(p[fit], y[fit])
    after = scale(p[check], T)
    assert ece(after, y[check]) < ece(p[check], y[check]) / 3
    assert nll(after, y[check]) < nll(p[check], y[check])
    assert confident_mistakes(after, y[check]) < confident_mistakes(p[check], y[check])


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0.01, 10.0), min_size=3, max_size=3), st.floats(0.1, 20.0))
def test_scaling_keeps_the_ranking_and_sums_to_one(raw: list[float], T: float) -> None:
    p = np.array(raw) / sum(raw)
    out = scale(p[None, :], T)[0]
    assert out.sum() == pytest.approx(1.0)
    assert np.array_equal(np.argsort(-p, kind="stable"), np.argsort(-out, kind="stable")) or np.allclose(out, out[0])


def test_ece_of_a_perfectly_calibrated_bin_is_zero_and_of_a_sure_wrong_one_is_one() -> None:
    p = np.array([[0.75, 0.25]] * 4)
    assert ece(p, np.array([0, 0, 0, 1])) == pytest.approx(0.0)
    assert ece(np.array([[1.0, 0.0]] * 3), np.array([1, 1, 1])) == pytest.approx(1.0)
    assert confident_mistakes(np.array([[0.95, 0.05], [0.6, 0.4]]), np.array([1, 1])) == 0.5


def test_fit_temperature_refuses_no_sentences_and_foreign_labels() -> None:
    with pytest.raises(InvalidInput, match="none were given"):
        fit_temperature(np.zeros((0, 5)), np.zeros(0, dtype=int))
    with pytest.raises(InvalidInput, match="classes 0–4"):
        fit_temperature(np.full((2, 5), 0.2), np.array([0, 7]))


def test_calibration_round_trips_through_a_mapping_and_rejects_a_broken_one() -> None:
    c = Calibration(2.0, 10, "x", 1.0, 0.5, 0.2, 0.1, 0.1, 0.0, 0.8, 0.7)
    again = Calibration.from_mapping(json.loads(json.dumps(c.to_dict())))
    assert again == c and again is not None and again.accuracy_before == 0.7
    saved_before = {k: v for k, v in c.to_dict().items() if k != "accuracy_before"}  # files saved before the field
    old = Calibration.from_mapping(saved_before)
    assert old is not None and old.temperature == 2.0 and math.isnan(old.accuracy_before)
    assert Calibration.from_mapping({"temperature": "hot"}) is None


# --------------------------------------------------------------------------------------------
# Real models


def _halves(data: emojify.SentenceSet) -> tuple[np.ndarray, np.ndarray]:
    even = np.arange(len(data)) % 2 == 0
    return even, ~even


def test_an_overconfident_v1_is_better_calibrated_after_scaling_on_a_fixed_split(glove) -> None:  # noqa: F811
    """The bundled V1 made 4× too sure (its logits scaled up, as overtraining does), fitted on half of
    the bundled test file, judged on the other half: ECE, NLL and confident mistakes all drop."""
    bundled = emojify.load_model("v1", glove)
    sure = V1Model(bundled.W * 4, bundled.b * 4, bundled.labels, glove)
    data = emojify.load_test()
    fit, check = _halves(data)
    sentences = list(data.sentences)
    emojify.calibrate_model(sure, [s for s, f in zip(sentences, fit) if f], data.labels[fit], "half")
    assert sure.calibration.temperature > 2
    raw = sure.raw_probabilities(sentences)[check]
    calibrated = sure.probabilities(sentences)[check]
    y = data.labels[check]
    assert ece(calibrated, y) < ece(raw, y)
    assert nll(calibrated, y) < nll(raw, y)
    assert confident_mistakes(calibrated, y) < confident_mistakes(raw, y)
    assert np.array_equal(calibrated.argmax(axis=1), raw.argmax(axis=1))  # the answers do not change


def test_the_bundled_v2_scaled_on_one_half_of_the_test_file_has_a_lower_nll_on_the_other(glove) -> None:  # noqa: F811
    model = emojify.load_model("v2", glove)
    data = emojify.load_test()
    fit, check = _halves(data)
    raw = model.raw_probabilities(list(data.sentences))  # (m, C)
    T = fit_temperature(raw[fit], data.labels[fit])
    assert T > 1  # trained to 99.9% on its own sentences, V2 is too sure on others
    y = data.labels[check]
    assert nll(scale(raw[check], T), y) < nll(raw[check], y)
    assert confident_mistakes(scale(raw[check], T), y) <= confident_mistakes(raw[check], y)


def test_v1_fast_training_fits_a_temperature_by_cross_fitting_and_saves_it(tmp_path: Path, glove) -> None:  # noqa: F811
    out = tmp_path / "v1.npz"
    result = emojify.train(emojify.preset_config("v1", epochs=60, out=str(out), test=False), control=Control())
    calibration = result.metrics["calibration"]
    assert calibration["n"] == result.metrics["sentences"] and "5-fold" in calibration["source"]
    assert calibration["nll_after"] <= calibration["nll_before"]
    loaded = load_model(out, glove)
    assert loaded.calibration.temperature == pytest.approx(calibration["temperature"])
    assert read_meta(out, "seqtui-emojify-v1/2", "m", "h")["calibration"]["temperature"] == calibration["temperature"]


def test_the_course_preset_stays_uncalibrated(tmp_path: Path) -> None:
    rows = "sentence,label\n" + "".join(f"{s},{label}\n" for s, label in [
        ("i love you", 0), ("we play ball", 1), ("so happy today", 2), ("i feel sad", 3), ("pizza for lunch", 4)] * 3)
    csv = tmp_path / "small.csv"
    csv.write_text(rows, encoding="utf-8")
    result = emojify.train(emojify.preset_config("v1", "course", data=(str(csv),), epochs=2, out=str(tmp_path / "c.npz")),
                           control=Control())
    assert result.metrics["calibration"] is None


def test_a_calibrated_v1_explanation_adds_up_to_the_calibrated_logits(glove) -> None:  # noqa: F811
    model = emojify.load_model("v1", glove)
    model.calibration = Calibration(2.5, 1, "x", *([math.nan] * 6), 0.5)
    prediction = model.explain("we won the match today")
    z = np.sum([w.per_class for w in prediction.words], axis=0) + np.array(prediction.bias)
    p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    assert np.allclose(p, prediction.probabilities)
    assert np.allclose(prediction.probabilities, model.probabilities(["we won the match today"])[0])


def test_a_file_with_a_broken_calibration_is_refused(tmp_path: Path, glove) -> None:  # noqa: F811
    model = emojify.load_model("v1", glove)
    model.calibration = Calibration(-1.0, 1, "x", *([0.0] * 6), 0.5)
    path = save_model(tmp_path / "bad.npz", model)
    with pytest.raises(ModelFileError, match="calibration"):
        load_model(path, glove)
    model.calibration = NONE
    assert "calibration" not in read_meta(save_model(tmp_path / "none.npz", model), "seqtui-emojify-v1/2", "m", "h")
