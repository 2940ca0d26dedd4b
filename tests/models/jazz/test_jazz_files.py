"""Jazz model files: the bundled model, and broken files that get clear messages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from seqtui_models import jazz
from seqtui_models.core.errors import ModelFileError


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
