"""What the emojify tests share: toy word vectors, the bundled GloVe, and writing a CSV."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from seqtui_models import emojify
from seqtui_models.core.word_vectors import WordVectors

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
