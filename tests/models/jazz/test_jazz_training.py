"""Training runs: a MIDI file learned, saved and loaded; the course preset; a stop that saves; bad music."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from seqtui_models import jazz
from seqtui_models.core.errors import DataFileError
from seqtui_models.core.training import Control
from music_files import write_band


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
    assert out.is_file() and model.path == str(out) and not (tmp_path / "m_values.json").exists()  # one file
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


def test_music_that_cannot_be_read_stops_a_run_before_it_starts() -> None:
    with pytest.raises(DataFileError, match="No such file"):
        jazz.train(jazz.preset_config("fast", midi="/nope.mid"), control=Control())
