"""The jazz LSTM in Keras: the course's models, numpy parity, training, safe save/load, the bundled model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from seqtui_models import jazz
from seqtui_models.jazz import model as jm
from seqtui_models.core.errors import DataFileError, InvalidInput, ModelFileError
from seqtui_models.core.training import Control
from music_files import write_band

def test_data_processing_follows_the_course() -> None:
    sequences = [list(range(10)) * 3, [1, 2]]
    X, Y = jm.data_processing(sequences, 10, m=7, Tx=5, rng=np.random.default_rng(0))
    assert X.shape == Y.shape == (7, 5, 10)
    assert not X[:, 0].any()  # x⟨0⟩ = 0
    assert (X[:, 1:].sum(-1) == 1).all() and (Y.sum(-1) == 1).all()
    np.testing.assert_array_equal(Y[:, :-1], X[:, 1:])  # the target at t is the input at t + 1
    # each window is consecutive values of one piece (the short one holds no window)
    for row in np.argmax(Y, -1):
        assert all((b - a) % 10 == 1 for a, b in zip(row, row[1:]))
    with pytest.raises(InvalidInput, match="window needs 6"):
        jm.data_processing([[1, 2, 3]], 4, m=2, Tx=5)


@pytest.mark.slow
def test_the_numpy_cell_is_the_keras_cell() -> None:
    reshaper, cell, densor = jm.make_layers(12, 8, seed=3)
    step = jm.step_model(cell, densor, reshaper)
    weights = jm.weights_of(cell, densor)
    ours = jm.NumpyCell(weights)
    a = np.zeros((1, 8), dtype=np.float32)
    c = np.zeros((1, 8), dtype=np.float32)
    x = np.zeros((1, 12), dtype=np.float32)
    for index in (None, 3, 7, 7, 0, 11):
        if index is not None:
            x = np.eye(12, dtype=np.float32)[[index]]
        probs, a, c = (np.asarray(t) for t in step([x, a, c]))
        np.testing.assert_allclose(jm.softmax(ours.step(index)), probs[0], atol=1e-5)
        np.testing.assert_allclose(ours.a, a[0], atol=1e-5)


@pytest.mark.slow
def test_the_fused_loop_computes_the_unrolled_djmodel() -> None:
    Tx, n_values, n_a = 6, 9, 5
    reshaper, cell, densor = jm.make_layers(n_values, n_a, seed=1)
    course = jm.djmodel(Tx, cell, densor, reshaper)
    fused, lstm = jm.fused_training_model(Tx, n_values, n_a, seed=1)
    lstm.set_weights(cell.get_weights())
    fused.get_layer(jm.DENSOR).set_weights(densor.get_weights())
    X, Y = jm.data_processing([list(range(9)) * 4], n_values, m=3, Tx=Tx, rng=np.random.default_rng(2))
    zeros = np.zeros((3, n_a), dtype=np.float32)
    unrolled = np.stack([np.asarray(o) for o in course([X, zeros, zeros])], axis=1)  # (m, Tx, n_values)
    np.testing.assert_allclose(np.asarray(fused([X, zeros, zeros])), unrolled, atol=1e-5)
    assert len(course.outputs) == Tx
    # the loss reported after training is the mean cross-entropy of these outputs
    cross_entropy = -np.mean(np.sum(Y * np.log(unrolled), axis=-1))
    assert jm.window_loss(jm.weights_of(cell, densor), X, Y) == pytest.approx(cross_entropy, rel=1e-4)


@pytest.mark.slow
def test_course_inference_is_greedy_numpy_sampling() -> None:
    reshaper, cell, densor = jm.make_layers(10, 6, seed=4)
    jm.step_model(cell, densor, reshaper)  # builds the layers
    inference = jm.music_inference_model(cell, densor, Ty=7)
    results, indices = jm.predict_and_sample(
        inference, np.zeros((1, 1, 10), dtype=np.float32), np.zeros((1, 6), dtype=np.float32),
        np.zeros((1, 6), dtype=np.float32),
    )
    assert results.shape == (7, 10) and indices.shape == (7, 1)
    ours = jm.NumpyCell(jm.weights_of(cell, densor))
    expected, index = [], None
    for _ in range(7):
        index = int(np.argmax(ours.step(index)))
        expected.append(index)
    assert indices[:, 0].tolist() == expected


@pytest.mark.slow
def test_training_on_a_midi_file_learns_saves_and_loads(tmp_path: Path) -> None:
    path = write_band(tmp_path / "band.mid", drums=False)
    out = tmp_path / "m.keras"
    config = jazz.preset_config("fast", midi=str(path), epochs=12, Tx=8, windows=24, seed=1, out=str(out))
    seen = []
    result = jazz.train(config, control=Control(), on_progress=seen.append)
    assert result.status == "finished" and result.steps == 12
    assert result.history[0][1] > result.loss + 0.5  # the loss falls
    assert any(p.samples for p in seen)  # values sampled along the way
    model = result.payload["model"]
    assert out.is_file() and jazz.sidecar_path(out).is_file() and model.path == str(out)
    assert result.metrics["values"] == model.n_values and model.pieces[0].name == "band.mid"
    assert model.train_stats is not None and model.train_stats.notes == 96
    loaded = jazz.load_model(out)
    np.testing.assert_allclose(loaded.weights.kernel, model.weights.kernel, atol=1e-6)
    through_keras = jazz.load_model(out, with_keras=True)  # keras.saving.load_model(safe_mode=True)
    for name, array in through_keras.weights.as_arrays().items():
        np.testing.assert_array_equal(array, loaded.weights.as_arrays()[name])
    assert loaded.values == model.values and loaded.pieces == model.pieces
    a = jazz.generate(loaded, jazz.GenerateConfig(bars=4, seed=2))
    b = jazz.generate(model, jazz.GenerateConfig(bars=4, seed=2))
    assert a.values == b.values and len(a.solo.melody) > 0
    assert [c.symbol for c in a.solo.chords[:4]] == ["Dm7", "G7", "Cmaj7", "A7"]  # the piece's chords


@pytest.mark.slow
def test_the_course_preset_trains_the_unrolled_model_and_a_stop_saves(tmp_path: Path) -> None:
    path = write_band(tmp_path / "band.mid", drums=False)
    control = Control()
    control.stop()  # stops after the first batch; the model is saved all the same
    config = jazz.preset_config("course", midi=str(path), epochs=50, Tx=3, windows=8, out=str(tmp_path / "c.keras"))
    result = jazz.train(config, control=control)
    assert result.status == "stopped" and result.steps == 1 and Path(result.model_path or "").is_file()
    assert jazz.load_model(tmp_path / "c.keras").config.preset == "course"


def test_bad_training_settings() -> None:
    with pytest.raises(InvalidInput, match="course or fast"):
        jazz.preset_config("big")
    with pytest.raises(InvalidInput, match="--midi"):
        jazz.preset_config("fast", track=2)
    with pytest.raises(InvalidInput, match=".keras"):
        jazz.preset_config("fast", out="m.npz")
    with pytest.raises(DataFileError, match="No such file"):
        jazz.train(jazz.preset_config("fast", midi="/nope.mid"), control=Control())


@pytest.mark.slow
def test_the_bundled_model_improvises_at_once() -> None:
    model = jazz.default_model()
    assert model.pieces and model.train_stats is not None and model.n_values > 50
    imp = jazz.generate(model, jazz.GenerateConfig(bars=8, temperature=0.7, seed=0))
    assert imp.solo.bars == 8 and len(imp.solo.melody) > 8
    assert abs(imp.stats.chord_tones - model.train_stats.chord_tones) < 0.3


@pytest.mark.slow
def test_broken_model_files_get_clear_messages(tmp_path: Path) -> None:
    from seqtui_models.core.paths import data_file

    with pytest.raises(ModelFileError, match="No such model"):
        jazz.load_model(tmp_path / "none.keras")
    with pytest.raises(ModelFileError, match=".keras"):
        jazz.load_model(data_file("jazz_values.json"))
    copy = tmp_path / "m.keras"
    shutil.copy(data_file("jazz.keras"), copy)
    with pytest.raises(ModelFileError, match="m_values.json"):
        jazz.load_model(copy)
    meta = json.loads(data_file("jazz_values.json").read_text())
    jazz.sidecar_path(copy).write_text("{not json")
    with pytest.raises(ModelFileError, match="broken"):
        jazz.load_model(copy)
    jazz.sidecar_path(copy).write_text(json.dumps({**meta, "values": meta["values"] + ["R,3.000"]}))
    with pytest.raises(ModelFileError, match="predicts"):
        jazz.load_model(copy)
    jazz.sidecar_path(copy).write_text(json.dumps(meta))
    copy.write_bytes(b"not a zip")
    with pytest.raises(ModelFileError, match="not a readable"):
        jazz.load_model(copy)  # the archive reader gives up, and Keras says why
