"""V2's blend with a bag of words: the mixing arithmetic, fitting it on held-out sentences, files."""

from __future__ import annotations

import json
import math
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seqtui_models import emojify
from seqtui_models.core.errors import ModelFileError
from seqtui_models.core.training import Control
from seqtui_models.emojify.blend import Blend, fit
from seqtui_models.emojify.calibration import nll, scale
from seqtui_models.emojify.data import accuracy
from seqtui_models.emojify.v1 import token_averages


def _blend(C: int = 3, n: int = 3, **kw: float) -> Blend:
    return Blend(np.eye(C, n) * 3.0, np.zeros(C), 1.0, **kw)


@settings(max_examples=60, deadline=None)
@given(st.floats(0, 1), st.floats(0.2, 5), st.lists(st.floats(0.01, 1), min_size=3, max_size=3),
       st.lists(st.floats(-2, 2), min_size=3, max_size=3))
def test_the_mixture_is_a_distribution_between_its_two_parts(w: float, T: float, p: list[float], a: list[float]) -> None:
    blend = _blend(weight=w, lstm_temperature=T)
    lstm = np.array([p]) / sum(p)  # (1, C)
    A = np.array([a])  # (1, n)
    mixed = blend.mix(lstm, A)
    assert mixed.sum() == pytest.approx(1) and (mixed >= 0).all()
    lo = np.minimum(scale(lstm, T), blend.bag(A))
    hi = np.maximum(scale(lstm, T), blend.bag(A))
    assert (mixed >= lo - 1e-12).all() and (mixed <= hi + 1e-12).all()


def test_weight_zero_is_the_networks_alone_and_one_the_bag_alone() -> None:
    lstm, A = np.array([[0.7, 0.2, 0.1]]), np.array([[0.0, 1.0, 0.0]])
    assert np.allclose(_blend(weight=0, lstm_temperature=2).mix(lstm, A), scale(lstm, 2))
    bag = _blend(weight=1).mix(lstm, A)
    assert bag.argmax() == 1 and np.allclose(bag, _blend().bag(A))


def _synthetic(m: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Networks right 75% of the time but always 99% sure; a bag of words right ~70%, mildly sure."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, m)
    guess = np.where(rng.random(m) < 0.75, y, (y + rng.integers(1, 3, m)) % 3)
    lstm = np.full((m, 3), 0.005)
    lstm[np.arange(m), guess] = 0.99
    A = np.eye(3)[y] * 0.6 + rng.normal(0, 0.45, (m, 3))  # the bag sees the truth through noise
    return lstm, A, y


def test_fitting_on_one_half_gives_the_bag_a_say_and_helps_on_the_other_half() -> None:
    lstm, A, y = _synthetic(4000, 0)
    fit_rows, check = np.arange(2000), np.arange(2000, 4000)
    blend, calibration = fit(_blend(), lstm[fit_rows], A[fit_rows], y[fit_rows], "half")
    assert 0 < blend.weight < 1 and blend.lstm_temperature > 1  # the sure networks are softened
    final = scale(blend.mix(lstm[check], A[check]), calibration.temperature)
    alone = scale(lstm[check], blend.lstm_temperature)
    assert nll(final, y[check]) < nll(alone, y[check])
    assert np.mean(final.argmax(1) == y[check]) > np.mean(lstm[check].argmax(1) == y[check])
    # "before" is the raw networks: their 99% answers are wrong a quarter of the time
    assert calibration.confident_before > 0.2 and calibration.confident_after < calibration.confident_before
    assert calibration.accuracy_before == pytest.approx(np.mean(lstm[fit_rows].argmax(1) == y[fit_rows]))


def test_a_blend_round_trips_and_a_broken_one_is_refused() -> None:
    blend = _blend(weight=0.35, lstm_temperature=2.5)
    again = Blend.from_mapping(json.loads(json.dumps(blend.to_dict())), 3, 3)
    assert np.array_equal(again.W, blend.W) and again.weight == 0.35 and again.lstm_temperature == 2.5
    for broken in ({**blend.to_dict(), "weight": 1.5}, {**blend.to_dict(), "W": [[1, 2]]},
                   {**blend.to_dict(), "lstm_temperature": 0}, {"W": "x"}, {**blend.to_dict(), "b": [math.nan] * 3}):
        with pytest.raises(ValueError):
            Blend.from_mapping(broken, 3, 3)


@pytest.fixture(scope="module")
def small_v2(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-network, one-epoch V2 on the bundled sentences (its bag of words trains with it)."""
    out = tmp_path_factory.mktemp("blend") / "v2.keras"
    emojify.train(emojify.preset_config("v2", epochs=1, members=1, units=8, out=str(out), test=False),
                  control=Control())
    return out


@pytest.mark.slow
def test_a_trained_v2_carries_its_bag_of_words_and_answers_with_it(small_v2: Path) -> None:
    model = emojify.load_model(small_v2)
    assert model.blend is not None and model.blend.W.shape == (5, model.wv.dim)
    sentences = ["i love you", "lets eat", "zzqqx"]
    tokens = [emojify.tokenize(s) for s in sentences]
    raw = model.raw_probabilities(sentences)
    expected = scale(model.blend.mix(raw, token_averages(tokens, model.wv).A), model.calibration.temperature)
    assert np.allclose(model.probabilities(sentences), expected)
    prediction = model.explain("i love you")
    assert np.allclose(prediction.probabilities, model.probabilities(["i love you"])[0])


@pytest.mark.slow
def test_calibrating_a_v2_refits_its_blend_and_saves_it(small_v2: Path, tmp_path: Path) -> None:
    model = emojify.load_model(small_v2)
    data = emojify.load_test()
    out = tmp_path / "cal.keras"
    calibration = emojify.calibrate_model(model, list(data.sentences), data.labels, "test", out)
    again = emojify.load_model(out)
    assert again.blend is not None and again.blend.weight == model.blend.weight  # type: ignore[union-attr]
    assert again.calibration.temperature == pytest.approx(calibration.temperature)
    assert calibration.nll_after < calibration.nll_before
    # the answers changed with the blend: the run's figures are measured again, not kept stale
    assert again.metrics["train_accuracy"] == pytest.approx(accuracy(again, emojify.load_train()))


@pytest.mark.slow
def test_a_v2_file_without_a_blend_is_the_networks_alone_and_a_broken_blend_is_refused(small_v2: Path,
                                                                                      tmp_path: Path) -> None:
    def rewrite(target: Path, change: dict[str, object] | None) -> None:
        with zipfile.ZipFile(small_v2) as source, zipfile.ZipFile(target, "w") as out:
            for name in source.namelist():
                data = source.read(name)
                if name == "seqtui.json":
                    meta = json.loads(data)
                    meta.pop("blend")
                    if change:
                        meta.update(change)
                    data = json.dumps(meta).encode()
                out.writestr(name, data)

    old = tmp_path / "old.keras"
    rewrite(old, None)
    model = emojify.load_model(old)
    assert model.blend is None
    assert np.allclose(model.probabilities(["i love you"]),
                       scale(model.raw_probabilities(["i love you"]), model.calibration.temperature))
    broken = tmp_path / "broken.keras"
    rewrite(broken, {"blend": {"W": [[0.0]], "b": [0.0], "bag_temperature": 1, "weight": 0.5, "lstm_temperature": 1}})
    with pytest.raises(ModelFileError, match="blend"):
        emojify.load_model(broken)
