"""The hand-written emojify sentences: well-formed, balanced, and an honest test split."""

from __future__ import annotations

import csv
import re
from collections import Counter

from seqtui_models.core.paths import data_file


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
