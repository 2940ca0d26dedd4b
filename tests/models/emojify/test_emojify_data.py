"""Tests for seqtui_models.emojify.data: the tokenizer, the CSV loader, label sets, splits, and the bundled
hand-written sentences (well-formed, balanced, and an honest test split)."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from emojify_helpers import write
from seqtui_models import emojify
from seqtui_models.core.errors import DataFileError, InvalidInput
from seqtui_models.core.paths import data_file
from seqtui_models.emojify.data import (
    COURSE_LABELS,
    append_row,
    has_negation,
    load_training_data,
    parse_labels,
    read_csv,
    tokenize,
    validation_split,
)


# --------------------------------------------------------------------------------------------
# The tokenizer and the loader


def test_tokenize_follows_glove() -> None:
    assert tokenize("I don't LIKE it, I'm sure!") == ["i", "do", "n't", "like", "it", "i", "'m", "sure"]
    assert tokenize("dont cant can't") == ["do", "n't", "cant", "ca", "n't"]
    assert tokenize("O'Neil’s café") == ["o'neil", "'s", "café"]
    assert tokenize("  ... !!") == []


def test_negations_are_found_in_tokens() -> None:
    assert has_negation(tokenize("i didnt enjoy it")) and has_negation(tokenize("Never again"))
    assert not has_negation(tokenize("my flight got cancelled")) and not has_negation(tokenize("nothingness"))


def test_loader_accepts_the_common_layouts(tmp_path: Path) -> None:
    text = (
        "\ufeffsentence,label,,\r\n"
        '  "hello, there"  ,2,,\r\n'
        '\t"tabs\tinside"\t,  3 ,\r\n'
        ",,,\r\n"
        "\r\n"
        "plain   words,4.0\r\n"
    )
    data = read_csv(write(tmp_path, text))
    assert data.sentences == ("hello, there", "tabs inside", "plain words")
    assert data.labels.tolist() == [2, 3, 4]
    assert data.lines == (2, 3, 6)
    assert data.labels_set == COURSE_LABELS  # five classes, unnamed: the course's emoji


def test_loader_without_header_and_with_lf(tmp_path: Path) -> None:
    data = read_csv(write(tmp_path, "i love you,0\nlets eat,4\n"))
    assert data.sentences == ("i love you", "lets eat") and data.lines == (1, 2)


def test_bad_rows_are_reported_with_their_line_numbers(tmp_path: Path) -> None:
    path = write(tmp_path, "sentence,label\ngood one,1\nbad label,x\nno label here\n\"   \",2\nlabel too big,7\nok,0\n")
    with pytest.raises(DataFileError) as caught:
        read_csv(path, labels=COURSE_LABELS)
    message = str(caught.value)
    for line in ("line 3", "line 4", "line 5", "line 6"):
        assert line in message
    data = read_csv(path, labels=COURSE_LABELS, skip_bad_rows=True)
    assert data.sentences == ("good one", "ok")
    assert [b.line for b in data.skipped] == [3, 4, 5, 6]
    assert "not a whole number" in data.skipped[0].reason and "not one of 0 … 4" in data.skipped[3].reason


def test_unreadable_files_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="No such file"):
        read_csv(tmp_path / "missing.csv")
    with pytest.raises(DataFileError, match="empty"):
        read_csv(write(tmp_path, "  \n"))
    with pytest.raises(DataFileError, match="binary"):
        read_csv(write(tmp_path, "a\0b,1\n", "bin.csv"))
    (tmp_path / "latin.csv").write_bytes("caf\xe9,2\n".encode("latin-1"))
    with pytest.raises(DataFileError, match="line 1: not UTF-8"):
        read_csv(tmp_path / "latin.csv")
    with pytest.raises(DataFileError, match="no usable"):
        read_csv(write(tmp_path, "sentence,label\n"))


def test_a_bad_first_row_is_reported_not_taken_for_a_header(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="line 1"):
        read_csv(write(tmp_path, "hello there,x\ni love you,0\n"))
    swapped = read_csv(write(tmp_path, "label,text\n2,what a day\n", "swapped.csv"))
    assert swapped.sentences == ("what a day",) and swapped.labels.tolist() == [2]


def test_custom_classes_from_an_emoji_column(tmp_path: Path) -> None:
    path = write(tmp_path, "sentence,label,emoji,name\nwoof woof,0,🐶,dog\nmeow,1,🐱,cat\nbark at the mailman,0,,\nbubbles,2,🐟,\n")
    data = read_csv(path)
    assert data.labels_set.emoji == ("🐶", "🐱", "🐟")
    assert data.labels_set.names == ("dog", "cat", "class 2")
    clash = write(tmp_path, "sentence,label,emoji\nwoof,0,🐶\nwoof woof,0,🐕\nmeow,1,🐱\n", "clash.csv")
    with pytest.raises(DataFileError, match="line 3"):
        read_csv(clash)


def test_label_specs_and_defaults(tmp_path: Path) -> None:
    labels = parse_labels("🐶 dog, 🐱 cat,🐟")
    assert labels.emoji == ("🐶", "🐱", "🐟") and labels.names == ("dog", "cat", "class 2")
    assert parse_labels(labels.to_spec()) == labels
    for bad in ("", "🐶 dog,,🐱", "🐶 a, 🐶 b"):
        with pytest.raises(InvalidInput):
            parse_labels(bad)
    three = read_csv(write(tmp_path, "a b,0\nc d,1\ne f,2\n"))
    assert three.labels_set.emoji[0] == "0\ufe0f\u20e3"  # keycaps for an unnamed set of three


def test_merging_the_bundled_file_with_a_user_csv_keeps_the_course_labels(tmp_path: Path) -> None:
    user = tmp_path / "mine.csv"
    append_row(user, "my  cat sleeps on my lap", 0, "❤️")
    append_row(user, "tennis at noon", 1, "⚾")
    assert user.read_text(encoding="utf-8").splitlines() == ["sentence,label,emoji", "my cat sleeps on my lap,0,❤️",
                                                             "tennis at noon,1,⚾"]
    merged = load_training_data([emojify.data_file("emojify_train.csv"), user])
    assert merged.labels_set == COURSE_LABELS
    assert merged.sentences[-2:] == ("my cat sleeps on my lap", "tennis at noon")
    with pytest.raises(InvalidInput):
        append_row(user, " ?! ", 1)


def test_validation_split_is_stratified_and_disjoint() -> None:
    labels = np.repeat(np.arange(5), [20, 30, 10, 10, 1])
    train_rows, val_rows = validation_split(labels, 0.1, seed=3)
    assert not set(train_rows) & set(val_rows) and len(train_rows) + len(val_rows) == len(labels)
    assert np.bincount(labels[val_rows], minlength=5).tolist() == [2, 3, 1, 1, 0]
    again = validation_split(labels, 0.1, seed=3)
    assert np.array_equal(again[1], val_rows)


# --------------------------------------------------------------------------------------------
# The bundled sentences


def test_bundled_files_load_with_the_course_labels() -> None:
    train, test = emojify.load_train(), emojify.load_test()
    assert len(train) >= 500 and len(test) >= 150
    assert train.labels_set == test.labels_set == COURSE_LABELS
    assert sorted(set(train.labels.tolist())) == [0, 1, 2, 3, 4]


def load(name: str) -> list[tuple[str, int]]:
    with open(data_file(name), newline="", encoding="ascii") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["sentence", "label"]
    return [(sentence, int(label)) for sentence, label in rows[1:]]


def words(sentence: str) -> set[str]:
    return set(re.findall(r"[a-z0-9']+", sentence.lower()))


def test_sizes_labels_and_balance() -> None:
    train, test = load("emojify_train.csv"), load("emojify_test.csv")
    assert len(train) >= 500 and len(test) >= 150
    for rows in (train, test):
        counts = Counter(label for _, label in rows)
        assert set(counts) == {0, 1, 2, 3, 4}
        assert min(counts.values()) >= 0.15 * len(rows)
        assert all(2 <= len(sentence.split()) <= 15 for sentence, _ in rows)


def test_no_duplicates_and_no_near_copies_across_splits() -> None:
    train, test = load("emojify_train.csv"), load("emojify_test.csv")
    assert len({s.lower() for s, _ in train}) == len(train)
    assert not {s.lower() for s, _ in test} & {s.lower() for s, _ in train}
    train_words = [words(s) for s, _ in train]
    for sentence, _ in test:
        mine = words(sentence)
        worst = max(len(mine & other) / len(mine) for other in train_words)
        assert worst <= 0.5, sentence


def test_find_and_remove_a_sentence_by_its_words(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    emojify.append_row(path, "my cat, my love", 0, "❤️")
    emojify.append_row(path, "we lost again", 3, "😞")
    emojify.append_row(path, "My cat my LOVE!", 0, "❤️")
    mine = emojify.read_csv(path)
    found = emojify.find_sentence([emojify.load_train(), mine], "my cat my love")
    assert found is not None and found[0] is mine and found[1] == 0
    assert emojify.find_sentence([mine], "my dog") is None
    assert emojify.remove_row(path, "MY CAT, my love.") == 2
    left = emojify.read_csv(path)
    assert left.sentences == ("we lost again",) and path.read_text(encoding="utf-8").startswith("sentence,label,emoji\n")
    assert emojify.remove_row(path, "not there") == 0
