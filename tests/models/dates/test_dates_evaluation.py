"""Evaluation: exact match overall and per family, the mistakes; pair files and held-out pairs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from seqtui_models import dates
from seqtui_models.dates import DateModel, DatePair, read_pairs
from seqtui_models.dates import data as dates_data
from seqtui_models.core.errors import DataFileError


def write(path: Path, text: str | bytes) -> Path:
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_read_pairs(tmp_path: Path) -> None:
    path = write(tmp_path / "p.tsv", "input\tiso\n3 May 1979\t1979-05-03\n\n the 4th of july\t1976-07-04\tmine\n")
    assert read_pairs(path) == [DatePair("3 May 1979", "1979-05-03", "file"), DatePair(" the 4th of july", "1976-07-04", "mine")]
    no_header = write(tmp_path / "q.tsv", "9/10/70\t1970-09-10\n")
    assert read_pairs(no_header) == [DatePair("9/10/70", "1970-09-10", "file")]


@pytest.mark.parametrize("content,message", [
    ("a\t1979-05-03\nb\t1979-05-33\n", "line 2: May 1979 has 31 days"),
    ("a\t1979-05-03\nno tab here\n", "line 2: no tab"),
    ("a\t1979-05-03\nx\ty\tz\tw\n", "line 2: 4 tab-separated fields"),
    ("input\tiso\n\t1979-05-03\n", "line 2: the first column"),
    ("input\tiso\n", "holds no pairs"),
    ("", "holds no pairs"),
])
def test_read_pairs_says_which_line_is_wrong(tmp_path: Path, content: str, message: str) -> None:
    with pytest.raises(DataFileError, match=message):
        read_pairs(write(tmp_path / "bad.tsv", content))


def test_read_pairs_rejects_missing_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="No such file"):
        read_pairs(tmp_path / "missing.tsv")
    with pytest.raises(DataFileError, match="not UTF-8"):
        read_pairs(write(tmp_path / "bin.tsv", b"\xff\xfe\x00\x01\x80"))


@pytest.mark.slow
def test_bundled_model_on_held_out_dates(bundled: DateModel) -> None:
    pairs = dates.heldout_pairs(400, seed=123, max_length=40)
    result = dates.evaluate(bundled, pairs, max_mistakes=5)
    assert result.n == 400 and result.exact_match >= 0.99
    assert set(result.by_format) <= set(dates_data.FAMILIES)
    assert sum(score.n for score in result.by_format.values()) == 400
    assert len(result.mistakes) <= 5 and result.wrong == round((1 - result.exact_match) * 400)


@pytest.mark.slow
def test_evaluate_counts_mistakes_per_family(bundled: DateModel) -> None:
    pairs = [DatePair("3 May 1979", "1979-05-03", "mine"), DatePair("3 May 1979", "1979-05-04", "mine"),
             DatePair("9/10/70", "1970-09-10", "other")]
    result = dates.evaluate(bundled, pairs)
    assert result.exact_match == pytest.approx(2 / 3) and result.wrong == 1
    assert result.by_format["mine"].exact_match == 0.5 and result.by_format["other"].exact_match == 1.0
    assert result.mistakes[0].expected == "1979-05-04" and result.mistakes[0].got == "1979-05-03"
    with pytest.raises(DataFileError):
        dates.evaluate(bundled, [])


@pytest.mark.parametrize("content,message", [
    ("feb 30 2021\t2021-02-30\n", "line 1: February 2021 has 28 days, not 30"),  # not a header: a date
    ("march 4 2021\t2021-3-4\n", "line 1: '2021-3-4' is not of the form YYYY-MM-DD"),
    ("x\tambiguous:2021-03-04\n", "line 1: 'ambiguous:2021-03-04' names fewer than two readings"),
])
def test_only_a_line_that_looks_like_a_header_is_one(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "pairs.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError, match=re.escape(message)):
        read_pairs(path)


def test_expected_values_none_and_ambiguous_are_read(tmp_path: Path) -> None:
    path = tmp_path / "pairs.tsv"
    path.write_text("text\texpected\n# comment\nbanana\tnone\n3/4/21\tambiguous:2021-03-04|2021-04-03\n", encoding="utf-8")
    assert [(p.human, p.iso) for p in read_pairs(path)] == [("banana", "none"), ("3/4/21", "ambiguous:2021-03-04|2021-04-03")]
