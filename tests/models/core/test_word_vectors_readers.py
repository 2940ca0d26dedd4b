"""Parsing vector files: malformed lines, progress, cancelling, files that are not vector files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from seqtui_models.core import vector_readers
from seqtui_models.core.errors import DataFileError
from seqtui_models.core.word_vectors import (
    Cancelled,
    CountedProgress,
    LoadProgress,
    WordVectors,
    load_default,
    load_vectors,
    save_glove,
    save_word2vec,
)


@pytest.fixture(scope="module")
def small() -> WordVectors:
    """The 3,000 most frequent GloVe words, in memory."""
    wv = load_default()
    return WordVectors(words=wv.words[:3000], vectors=np.array(wv.vectors[:3000]), source="small")


def test_a_byte_order_mark_is_not_part_of_the_first_word(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffhello 1.0 2.0\nworld 3.0 4.0\n".encode())
    assert load_vectors(path).words == ["hello", "world"]


def _write_with_bad_lines(small: WordVectors, path: Path) -> Path:
    lines = save_glove(small, path).read_text(encoding="utf-8").splitlines()
    lines[4] = " ".join(lines[4].split()[:-1])  # line 5: one number short
    lines[8] = lines[8].replace(lines[8].split()[3], "oops", 1)  # line 9: not a number
    lines[11] = lines[0]  # line 12: a duplicate of line 1
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_malformed_lines_fail_or_skip_with_line_numbers(small: WordVectors, tmp_path: Path) -> None:
    path = _write_with_bad_lines(small, tmp_path / "bad.txt")
    with pytest.raises(DataFileError, match=r"bad\.txt, line 5: expected a word and 50 numbers, found 49"):
        load_vectors(path)
    loaded = load_vectors(path, malformed="skip")
    assert [s.line for s in loaded.skipped] == [5, 9, 12]
    assert "not a number" in loaded.skipped[1].reason and "duplicate" in loaded.skipped[2].reason
    assert len(loaded) == len(small) - 3 and small.words[4] not in loaded
    assert np.array_equal(loaded.vector("the"), small.vector("the"))


def test_progress_and_cancellation(small: WordVectors, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vector_readers, "TEXT_CHUNK_LINES", 500)
    path = save_glove(small, tmp_path / "v.txt")
    seen = []
    load_vectors(path, on_progress=seen.append)
    assert len(seen) >= 6 and seen[-1].fraction == 1.0 and seen[-1].words == len(small)
    assert all(a.done <= b.done for a, b in zip(seen, seen[1:]))
    calls = []
    with pytest.raises(Cancelled, match="v.txt"):
        load_vectors(path, should_stop=lambda: calls.append(1) or len(calls) > 2)


@pytest.mark.parametrize(
    "content, needle",
    [
        (b"", "empty"),
        (b"hello world\nthis is prose\n", "not a word-vector file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "not UTF-8 text"),
        (b"\xff\xfe\x00 1.0 2.0\n", "looks binary but has no word2vec header"),
    ],
)
def test_wrong_formats_get_clear_errors(tmp_path: Path, content: bytes, needle: str) -> None:
    path = tmp_path / "file.txt"
    path.write_bytes(content)
    with pytest.raises(DataFileError, match=needle):
        load_vectors(path)


def test_counted_progress_fraction() -> None:
    assert LoadProgress(50, 200, 7).fraction == 0.25 and LoadProgress(300, 200, 7).fraction == 1.0
    assert CountedProgress(0, 0).fraction == 1.0  # nothing to do is done


def test_word2vec_binary_progress_duplicates_and_a_cut_file(small: WordVectors, tmp_path: Path) -> None:
    toy = WordVectors(words=["a", "b", "a", "c"], vectors=np.arange(8, dtype=np.float32).reshape(4, 2))
    path = save_word2vec(toy, tmp_path / "dup.bin", binary=True)
    seen: list[LoadProgress] = []
    loaded = load_vectors(path, on_progress=seen.append)
    assert loaded.words == ["a", "b", "c"] and [s.line for s in loaded.skipped] == [3]
    assert "duplicate word 'a'" in loaded.skipped[0].reason and seen[-1].fraction == 1.0 and seen[-1].words == 3
    np.testing.assert_array_equal(loaded.vector("c"), [6, 7])
    whole = save_word2vec(small, tmp_path / "v.bin", binary=True).read_bytes()
    cut = tmp_path / "cut.bin"
    cut.write_bytes(whole[: len(whole) - 100])  # the last entry loses part of its numbers
    with pytest.raises(DataFileError, match="line 3000: the file ends in the middle of an entry"):
        load_vectors(cut)
    partial = load_vectors(cut, malformed="skip")
    assert partial.words == small.words[:2999] and [s.line for s in partial.skipped] == [3000]


def test_a_word2vec_header_promising_more_words(small: WordVectors, tmp_path: Path) -> None:
    path = save_word2vec(small, tmp_path / "v.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(["3010 50"] + lines[1:]) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="promises 3010 words but the file has 3000"):
        load_vectors(path)
    assert len(load_vectors(path, malformed="skip")) == 3000
    assert len(load_vectors(path, limit=20)) == 20  # a limit reads only what it needs


@pytest.mark.parametrize("header", [b"100000000000 300\n", b"3 100000000000\n", b"1000 50\n"])
@pytest.mark.parametrize("suffix", [".bin", ".bin.gz"])
def test_a_word2vec_header_that_lies_about_its_size_is_refused_before_allocating(
        tmp_path: Path, header: bytes, suffix: str) -> None:
    import gzip

    junk = header + b"king " + bytes(range(256)) * 4  # binary entries far fewer than promised
    path = tmp_path / f"vectors{suffix}"
    path.write_bytes(gzip.compress(junk) if suffix.endswith(".gz") else junk)
    with pytest.raises(DataFileError, match="header promises .* but the file has"):
        load_vectors(path)


@pytest.mark.parametrize("binary", [False, True])
def test_rows_of_nan_infinity_or_zeros_are_malformed(small: WordVectors, tmp_path: Path, binary: bool) -> None:
    vectors = np.array(small.vectors[:6], dtype=np.float32)  # (6, 50)
    vectors[1, 3] = np.nan
    vectors[2, 0] = np.inf
    vectors[4] = 0.0
    bad = WordVectors(words=small.words[:6], vectors=vectors, source="bad")
    path = save_word2vec(bad, tmp_path / "bad.bin", binary=True) if binary else save_glove(bad, tmp_path / "bad.txt")
    with pytest.raises(DataFileError, match="NaN or infinite"):
        load_vectors(path)
    loaded = load_vectors(path, malformed="skip")
    assert loaded.words == [small.words[i] for i in (0, 3, 5)]
    reasons = [s.reason for s in loaded.skipped]
    assert sum("NaN or infinite" in r for r in reasons) == 2 and sum("all zeros" in r for r in reasons) == 1
    assert np.isfinite(loaded.vectors).all()
