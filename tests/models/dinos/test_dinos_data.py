"""Names files: reading, normalising, the vocabulary, the fixed split and novelty tags."""

from __future__ import annotations

from pathlib import Path

import pytest
from dinos_helpers import NAMES, write

from seqtui_models.core.errors import DataFileError
from seqtui_models.dinos import load_names
from seqtui_models.dinos.data import Novelties, normalise_name, read_names


def test_normalisation_lowercases_strips_accents_and_odd_characters() -> None:
    assert normalise_name("  Ñandú-Guazú \t") == "nandu-guazu"
    assert normalise_name("T. rex 2") == "t rex"
    assert normalise_name("O’Brien") == "o'brien"
    assert normalise_name("Ærøsaurus!!") == "ærøsaurus"  # letters without a decomposition stay
    assert normalise_name("--  --") == ""


def test_bom_crlf_blank_lines_accents_and_duplicates_are_normalised(tmp_path: Path) -> None:
    text = "\ufeffTyrannosaurus\r\n\r\n  Éoraptor  \r\nTYRANNOSAURUS\r\n123\r\nmei"
    report = read_names(write(tmp_path / "names.txt", text))
    assert report.names == ("tyrannosaurus", "eoraptor", "mei")
    assert (report.blank, report.duplicates) == (2, 1)


def test_utf16_and_latin1_files_are_read(tmp_path: Path) -> None:
    utf16 = write(tmp_path / "u16.txt", "Zuul\r\nZby\r\n".encode("utf-16"))
    latin1 = write(tmp_path / "l1.txt", "Ñandú\nmei\n".encode("latin-1"))
    assert read_names(utf16).names == ("zuul", "zby")
    assert read_names(latin1).names == ("nandu", "mei")


def test_vocabulary_is_built_from_the_data(tmp_path: Path) -> None:
    data = load_names(write(tmp_path / "people.txt", "Mary-Jane\nJosé\nann\nbo\nkim\nli\n"))
    assert data.vocab.chars[0] == "\n" and "-" in data.vocab.chars and "é" not in data.vocab.chars
    assert data.vocab.describe().endswith("'-'")


@pytest.mark.parametrize(
    "content, needle",
    [
        (b"", "empty"),
        (b"\n\n   \n\r\n", "empty"),
        (b"123\n456\n", "no line has a letter"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        (bytes(range(256)) * 4, "binary"),
        (("x" * 200 + "\n").encode(), "its one line is longer than"),
        (("x" * 200 + "\n" + "y" * 300 + "\n").encode(), "all its 2 lines are longer than"),
        (b"onlyone\n", "at least 2"),
    ],
)
def test_unusable_names_files_get_a_clear_error(tmp_path: Path, content: bytes, needle: str) -> None:
    path = write(tmp_path / "bad.txt", content)
    with pytest.raises(DataFileError) as info:
        load_names(path)
    assert needle in str(info.value)
    assert "one name per line" in str(info.value) or "2 different names" in str(info.value)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="No such file"):
        load_names(tmp_path / "nope.txt")
    with pytest.raises(DataFileError, match="folder"):
        load_names(tmp_path)


def test_bundled_names_are_many_real_lowercase_and_unique() -> None:
    data = load_names()
    assert len(data.names) >= 1000 and len(set(data.names)) == len(data.names)
    assert data.vocab.chars == "\n" + "abcdefghijklmnopqrstuvwxyz"
    assert data.report.blank == data.report.duplicates == 0
    assert {"tyrannosaurus", "triceratops", "velociraptor"} <= set(data.names)


def test_split_is_fixed_disjoint_and_ninety_ten(names_file: Path) -> None:
    a, b = load_names(names_file), load_names(names_file)
    assert a.train == b.train and a.val == b.val
    assert not set(a.train) & set(a.val) and set(a.names) == set(NAMES)
    assert len(a.val) == round(0.1 * len(NAMES))
    assert load_names(names_file, split_seed=1).val != a.val
    assert a.novelty(a.train[0]) == "train" and a.novelty(a.val[0]) == "val" and a.novelty("zzz") == "new"


def test_novelties_tag_train_val_and_new() -> None:
    tags = Novelties(frozenset({"mei"}), frozenset({"zuul"}))
    assert (tags("mei"), tags("zuul"), tags("rex")) == ("train", "val", "new")
