"""Vector files: every format written and read back, gensim's reading of word2vec, bad paths."""

from __future__ import annotations

import gzip
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from seqtui_models.core.errors import DataFileError, InvalidInput
from seqtui_models.core.vector_files import read_vectors
from seqtui_models.core.word_vectors import WordVectors, load_default, load_vectors, save_glove, save_word2vec


@pytest.fixture(scope="module")
def small() -> WordVectors:
    """The 3,000 most frequent GloVe words, in memory."""
    wv = load_default()
    return WordVectors(words=wv.words[:3000], vectors=np.array(wv.vectors[:3000]), source="small")


@pytest.mark.parametrize("fmt", ["glove", "word2vec", "word2vec-binary", "glove-gz"])
def test_every_format_round_trips(small: WordVectors, tmp_path: Path, fmt: str) -> None:
    if fmt == "glove":
        path = save_glove(small, tmp_path / "v.txt")
    elif fmt == "word2vec":
        path = save_word2vec(small, tmp_path / "v.w2v.txt")
    elif fmt == "word2vec-binary":
        path = save_word2vec(small, tmp_path / "v.bin", binary=True)
    else:
        plain = save_glove(small, tmp_path / "v.txt")
        path = tmp_path / "v.txt.gz"
        path.write_bytes(gzip.compress(plain.read_bytes()))
    loaded = load_vectors(path)
    assert loaded.words == small.words and loaded.skipped == ()
    assert np.array_equal(loaded.vectors, small.vectors)  # float32 values survive exactly
    assert loaded.source == path.name


def test_word2vec_files_load_like_gensim(small: WordVectors, tmp_path: Path) -> None:
    gensim_models: Any = pytest.importorskip("gensim.models")
    for binary in (False, True):
        path = save_word2vec(small, tmp_path / f"v{binary}", binary=binary)
        theirs = gensim_models.KeyedVectors.load_word2vec_format(str(path), binary=binary)
        ours = load_vectors(path)
        assert ours.words == theirs.index_to_key
        assert np.array_equal(ours.vectors, theirs.vectors)
    limited = load_vectors(path, limit=10)
    assert len(limited) == 10 and limited.words == small.words[:10]


def test_missing_file_and_bad_gzip(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="No such file"):
        load_vectors(tmp_path / "nope.txt")
    broken = tmp_path / "v.txt.gz"
    broken.write_bytes(b"not gzip at all")
    with pytest.raises(DataFileError, match="gzip"):
        load_vectors(broken)


def test_reading_options_are_checked(small: WordVectors, tmp_path: Path) -> None:
    path = save_glove(small, tmp_path / "v.txt")
    with pytest.raises(InvalidInput, match="malformed"):
        load_vectors(path, malformed="ignore")  # type: ignore[typeddict-item]
    with pytest.raises(InvalidInput, match="limit"):
        read_vectors(path, limit=0)
    with pytest.raises(DataFileError, match="No such file"):
        load_vectors(tmp_path)  # a folder is not a vector file
    assert load_vectors(path, limit=7).words == small.words[:7]


def test_saving_is_atomic(small: WordVectors, tmp_path: Path) -> None:
    path = save_word2vec(small, tmp_path / "new" / "v.bin", binary=True)
    assert [p.name for p in path.parent.iterdir()] == ["v.bin"]  # the folder is made; no temporary file is left
    before = path.read_bytes()
    broken: Any = SimpleNamespace(words=["a", "b"], vectors=np.array([["1", "x"], ["2", "3"]]))
    with pytest.raises(ValueError):
        save_glove(broken, path)  # "x" is not a number: the write fails midway
    assert path.read_bytes() == before and [p.name for p in path.parent.iterdir()] == ["v.bin"]


@pytest.mark.parametrize("skip", [False, True])
def test_a_first_line_longer_than_a_mebibyte_is_read_whole(tmp_path: Path, skip: bool) -> None:
    dim = 300_000  # ~1.2 MB per line: the first line does not fit the first 1 MiB read
    rows = np.stack([np.full(dim, 0.5), np.full(dim, -0.25)]).astype(np.float32)
    path = tmp_path / "wide.txt"
    with path.open("w") as out:
        for word, row in zip(("wide", "wider"), rows):
            out.write(word + " " + " ".join("0.5" if x > 0 else "-0.25" for x in row) + "\n")
    found = read_vectors(path, malformed="skip" if skip else "fail")
    assert found.vectors.shape == (2, dim) and list(found.words) == ["wide", "wider"] and not found.skipped
    assert np.array_equal(np.asarray(found.vectors), rows)


def test_a_first_line_without_end_is_refused_before_it_fills_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from seqtui_models.core import vector_files

    monkeypatch.setattr(vector_files, "MAX_FIRST_LINE", 4 << 20)
    path = tmp_path / "endless.txt"
    path.write_bytes(b"word " + b"1 " * (3 << 20))  # 6 MiB and no newline
    with pytest.raises(DataFileError, match="first line is longer than 4 MiB"):
        read_vectors(path)
