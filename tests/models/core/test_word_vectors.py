"""WordVectors: the memory-mapped default, look-ups, unknown words, and what emojify needs."""

from __future__ import annotations

import numpy as np
import pytest

from seqtui_models.core.errors import DataFileError, InvalidInput
from seqtui_models.core.word_vectors import WordVectors, load_default, load_vectors


@pytest.fixture(scope="module")
def wv() -> WordVectors:
    return load_default()


@pytest.fixture(scope="module")
def small(wv: WordVectors) -> WordVectors:
    """The 3,000 most frequent GloVe words, in memory."""
    return WordVectors(words=wv.words[:3000], vectors=np.array(wv.vectors[:3000]), source="small")


def test_default_vectors_are_memory_mapped_glove(wv: WordVectors) -> None:
    assert len(wv) == 400_000 and wv.dim == 50 and wv.vectors.dtype == np.float32
    assert isinstance(wv.vectors, np.memmap) or isinstance(wv.vectors.base, np.memmap)
    assert wv.words[:3] == ["the", ",", "."] and wv.index("the") == 0 and "crocodile" in wv
    assert load_default() is wv  # loaded once per process
    assert wv.unit.flags.c_contiguous
    np.testing.assert_allclose(np.linalg.norm(wv.unit[:1000], axis=1), 1.0, rtol=1e-6)


def test_unknown_word_names_it_and_suggests_spellings(wv: WordVectors) -> None:
    with pytest.raises(InvalidInput) as info:
        wv.vector("fathr")
    assert "'fathr'" in str(info.value) and "'father'" in str(info.value) and info.value.title == "Unknown word"
    with pytest.raises(InvalidInput, match="'Father'.*'father'"):
        wv.index("Father")


def test_lookup_out_of_vocabulary_policies(wv: WordVectors) -> None:
    words = ["cat", "qwxzzy", "dog"]
    zero = wv.lookup(words, oov="zero")
    assert zero.shape == (3, 50) and not zero[1].any() and np.array_equal(zero[0], wv.vector("cat"))
    assert wv.lookup(words, oov="skip").shape == (2, 50)
    assert wv.indices(words, oov="skip") == [wv.index("cat"), wv.index("dog")]
    with pytest.raises(InvalidInput, match="qwxzzy"):
        wv.lookup(words)
    assert wv.get_index("qwxzzy") is None and wv.word_to_index["dog"] == wv.index("dog")


def test_embedding_matrix_and_padded_indices_for_emojify(small: WordVectors) -> None:
    matrix = small.embedding_matrix()
    assert matrix.shape == (3001, 50) and not matrix[0].any()
    assert np.array_equal(matrix[small.index("love") + 1], small.vector("love"))
    indices = small.padded_indices([["i", "love", "qwxzzy", "you"], ["happy"]], max_len=3)
    assert indices.shape == (2, 3)
    assert indices[0].tolist() == [small.index("i") + 1, small.index("love") + 1, 0]
    assert indices[1].tolist() == [small.index("happy") + 1, 0, 0]
    assert small.padded_indices([["i", "qwxzzy", "you"]], 3, oov="skip")[0, 1] == small.index("you") + 1
    with pytest.raises(InvalidInput, match="qwxzzy"):
        small.padded_indices([["qwxzzy"]], 2, oov="error")


def test_load_vectors_without_a_path_is_the_default(wv: WordVectors) -> None:
    assert load_vectors() is wv and wv.source == "GloVe 6B 50d"


def test_the_first_of_two_equal_words_wins_and_shapes_must_agree() -> None:
    matrix = np.arange(12, dtype=np.float32).reshape(3, 4)
    twice = WordVectors(words=["a", "b", "a"], vectors=matrix)
    assert twice.index("a") == 0 and len(twice) == 3 and twice.dim == 4
    with pytest.raises(DataFileError, match="one row per word"):
        WordVectors(words=["a", "b"], vectors=matrix)


def test_unit_vectors_norms_and_clipping() -> None:
    matrix = np.array([[3, 4], [0, 0], [1, 0]], dtype=np.float32)
    wv = WordVectors(words=["a", "zero", "b"], vectors=matrix)
    np.testing.assert_allclose(wv.norms, [5, 0, 1])
    np.testing.assert_allclose(wv.unit, [[0.6, 0.8], [0, 0], [1, 0]])  # a zero row stays zero, not NaN
    np.testing.assert_allclose(wv.unit_vector("a"), [0.6, 0.8])
    assert [wv.clip(None), wv.clip(0), wv.clip(2), wv.clip(10)] == [3, 3, 2, 3]
