"""Shared fixtures of the vectors tests: GloVe 6B 50d, and gensim holding the same vectors."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from seqtui_models.vectors import WordVectors, load_default


@pytest.fixture(scope="session")
def gensim_models() -> Any:
    """gensim's models module (a test-only dependency): tests that compare with it skip without it."""
    return pytest.importorskip("gensim.models")


@pytest.fixture(scope="session")
def wv() -> WordVectors:
    return load_default()


@pytest.fixture(scope="session")
def kv(wv: WordVectors, gensim_models: Any) -> Any:
    """gensim KeyedVectors holding exactly the same 400,000 vectors."""
    keyed = gensim_models.KeyedVectors(wv.dim)
    keyed.add_vectors(wv.words, np.ascontiguousarray(wv.vectors))
    return keyed
