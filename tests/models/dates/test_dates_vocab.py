"""Vocabularies: the course's string_to_int, ours, the machine vocabulary, calendar checks."""

from __future__ import annotations

import numpy as np
import pytest

from seqtui_models.dates import BEST_VOCAB, COURSE_VOCAB, MACHINE_CHARS, check_iso, decode, encode_iso
from seqtui_models.dates.vocab import encode_isos


def test_course_vocabulary_is_the_assignments() -> None:
    assert COURSE_VOCAB.size == 37 and COURSE_VOCAB.tx == 30
    table = COURSE_VOCAB._table()
    assert table[" "] == 0 and table["."] == 1 and table["/"] == 2 and table["0"] == 3 and table["a"] == 13
    assert COURSE_VOCAB.unk == 35 and COURSE_VOCAB.pad == 36
    assert set("kqxz").isdisjoint(COURSE_VOCAB.chars)
    assert MACHINE_CHARS == "".join(sorted(MACHINE_CHARS)) and len(MACHINE_CHARS) == 11


def test_course_encoding_is_its_string_to_int() -> None:
    ids = COURSE_VOCAB.encode("Saturday, May 9, 2018")
    table = COURSE_VOCAB._table()
    expected = [table[c] for c in "saturday may 9 2018"]
    assert list(ids[: len(expected)]) == expected and set(ids[len(expected):]) == {36}
    assert COURSE_VOCAB.encode("zz")[0] == COURSE_VOCAB.unk
    assert COURSE_VOCAB.reads("x" * 35) == ("x" * 30, True)


def test_our_encoding_folds_case_and_keeps_everything_else() -> None:
    upper, lower = BEST_VOCAB.encode("JUL. 4, 1976"), BEST_VOCAB.encode("jul. 4, 1976")
    assert np.array_equal(upper, lower)
    assert BEST_VOCAB._table()[","] in list(lower)  # commas reach the network
    assert BEST_VOCAB.encode("")[0] == 0 and BEST_VOCAB.encode("§")[0] == BEST_VOCAB.unk
    read, cut = BEST_VOCAB.reads("x" * 41)
    assert cut and len(read) == 40 and BEST_VOCAB.reads("May 9 2018") == ("May 9 2018", False)


def test_machine_vocabulary_round_trip() -> None:
    assert decode(encode_iso("1979-05-03")) == "1979-05-03"


def test_batches_encode_to_stacked_rows_even_when_empty() -> None:
    X = BEST_VOCAB.encode_all(["3 May 1979", "9/10/70"])
    assert X.shape == (2, 40) and X.dtype == np.int32
    assert np.array_equal(X[1], BEST_VOCAB.encode("9/10/70"))
    assert BEST_VOCAB.encode_all([]).shape == (0, 40) and COURSE_VOCAB.encode_all([]).shape == (0, 30)
    Y = encode_isos(["1979-05-03", "1970-09-10"])
    assert Y.shape == (2, 10) and decode(Y[1]) == "1970-09-10"
    assert encode_isos([]).shape == (0, 10)


@pytest.mark.parametrize("iso,valid,reason", [
    ("1979-05-03", True, ""),
    ("2000-02-29", True, ""),
    ("1979-05-33", False, "May 1979 has 31 days, not 33"),
    ("1900-02-29", False, "February 1900 has 28 days"),
    ("1979-13-01", False, "no month 13"),
    ("1979-00-01", False, "no month 00"),
    ("0000-01-01", False, "no year 0000"),
    ("1979-5-3", False, "not of the form"),
    ("19790503--", False, "not of the form"),
])
def test_check_iso(iso: str, valid: bool, reason: str) -> None:
    ok, problem = check_iso(iso)
    assert ok is valid and reason in problem
