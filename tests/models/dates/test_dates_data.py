"""Dates without TensorFlow: the generator, the vocabularies, date checks, pair files, configs."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pytest

from seqtui_models.dates import data as dates_data
from seqtui_models.dates import (
    BEST_VOCAB, COURSE_VOCAB, MACHINE_CHARS, TrainConfig, check_iso, check_readable, cosine_lr, decode,
    encode_iso, preset_config, read_pairs,
)
from seqtui_models.dates.data import FAMILIES, DatePair, families, generate, is_heldout, write_date
from seqtui_models.core.errors import DataFileError, InvalidInput

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")


def test_generation_is_reproducible_from_the_seed() -> None:
    a = generate(300, seed=7, mix="mixed")
    assert a == generate(300, seed=7, mix="mixed")
    assert a != generate(300, seed=8, mix="mixed")
    # a Generator argument is consumed, so two draws differ but restart identically
    rng = np.random.default_rng(3)
    first, second = generate(5, seed=rng), generate(5, seed=rng)
    assert first != second and generate(5, seed=np.random.default_rng(3)) == first


def test_every_family_is_generated_and_tagged() -> None:
    pairs = generate(4000, seed=1, mix="mixed", real_share=0.5)
    assert {p.family for p in pairs} == set(FAMILIES)
    assert {p.family for p in generate(200, seed=1, mix="course")} <= set(families("course"))
    assert {p.family for p in generate(200, seed=1, mix="real")} <= set(families("real"))
    assert {p.family for p in generate(20, seed=1, family="iso")} == {"iso"}
    # 'full' carries ten of the course's 24 weights
    course = generate(4000, seed=2, mix="course")
    assert 0.35 < sum(p.family == "full" for p in course) / len(course) < 0.48


def test_course_families_are_lower_case_without_commas_and_fit_its_vocabulary() -> None:
    for p in generate(3000, seed=3, mix="course"):
        assert p.human == p.human.lower() and "," not in p.human
        assert not COURSE_VOCAB.unknown(p.human), p  # the course's 37 characters cover its own data
        assert len(p.human) <= 30


def test_every_generated_character_is_in_our_vocabulary() -> None:
    for p in generate(3000, seed=4, mix="real"):
        assert not BEST_VOCAB.unknown(p.human), p


def numbers(text: str) -> list[int]:
    return [int(g) for g in re.findall(r"\d+", text)]


def test_labels_match_the_text() -> None:
    """Day, month and year of the label are all written in the text (names or numbers)."""
    for p in generate(6000, seed=5, mix="mixed", max_length=40):
        date = dt.date.fromisoformat(p.iso)
        text = p.human.lower()
        groups = re.findall(r"\d+", text)
        if len(groups) == 1 and len(groups[0]) == 8:  # 19760704
            groups = [groups[0][:4], groups[0][4:6], groups[0][6:]]
        values = [int(g) for g in groups]
        year_written = str(date.year) in groups or f"{date.year % 100:02d}" in groups
        assert year_written, p
        assert date.day in values, p
        named = any(name[:3] in text for name in MONTHS) and MONTHS[date.month - 1][:3] in text
        assert date.month in values[:2] or named, p


def test_ambiguous_numbers_are_read_as_the_course_reads_them() -> None:
    rng = np.random.default_rng(0)
    date = dt.date(2018, 5, 9)
    assert write_date(date, "short", rng) == "5/9/18"  # slash: month first
    assert write_date(date, "d MM yy", rng) == "9 05 18"  # space: day first
    assert write_date(date, "dd.MM.yy", rng) == "09.05.18"  # dot: day first
    for p in generate(3000, seed=6, family="numeric") + generate(500, seed=6, family="weekday-abbr"):
        date = dt.date.fromisoformat(p.iso)
        if "/" in p.human:
            assert numbers(p.human)[-3:-1] == [date.month, date.day], p
        elif re.fullmatch(r"[\d. ]+", p.human.strip()):
            assert numbers(p.human)[:2] == [date.day, date.month], p


def test_calendar_years_not_the_courses_week_years() -> None:
    # babel's 'YYY' (the course's patterns) is the week-numbering year: 30 Dec 2018 would read 2019.
    from babel.dates import format_date

    date = dt.date(2018, 12, 30)
    assert format_date(date, "d MMM YYY", locale="en_US") == "30 Dec 2019"
    rng = np.random.default_rng(0)
    for family in ("d MMM y", "MMMM d, y", "dd.MM.yy", "d MM yy"):
        assert re.search(r"2018|\b18\b", write_date(date, family, rng)), family


def test_ordinals() -> None:
    assert [dates_data.ordinal(d) for d in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "31st"]


def test_training_and_heldout_days_never_meet() -> None:
    train_days = {p.iso for p in generate(3000, seed=1, split="train")}
    held_days = {p.iso for p in generate(3000, seed=1, split="heldout")}
    assert not train_days & held_days
    assert all(is_heldout(dt.date.fromisoformat(d)) for d in held_days)
    assert not any(is_heldout(dt.date.fromisoformat(d)) for d in train_days)
    every = [dates_data.FIRST_DAY + dt.timedelta(days=i) for i in range(0, 22000, 7)]
    share = np.mean([is_heldout(d) for d in every])
    assert 0.07 < share < 0.13
    years = [dt.date.fromisoformat(p.iso).year for p in generate(3000, seed=2)]
    assert min(years) == 1970 and max(years) == 2030


def test_max_length_rewrites_long_dates() -> None:
    pairs = generate(2000, seed=9, mix="real", max_length=20)
    assert max(len(p.human) for p in pairs) <= 20
    assert max(len(p.human) for p in generate(2000, seed=9, mix="real")) > 20


@pytest.mark.parametrize("kwargs", [
    {"n": -1}, {"n": 5, "mix": "other"}, {"n": 5, "real_share": 1.5}, {"n": 5, "split": "test"},
    {"n": 5, "family": "nope"}, {"n": 5, "max_length": 3}, {"n": 5, "emphasis": 0},
])
def test_generate_rejects_bad_arguments(kwargs: dict) -> None:
    with pytest.raises(InvalidInput):
        generate(**kwargs)


def test_emphasis_draws_the_all_digit_families_more_often() -> None:
    plain = generate(3000, seed=1, mix="real", emphasis=1.0)
    more = generate(3000, seed=1, mix="real", emphasis=3.0)
    digits = dates_data.NUMERIC_FAMILIES
    assert sum(p.family in digits for p in more) > 1.8 * sum(p.family in digits for p in plain)


# --------------------------------------------------------------------------------------------
# Vocabularies


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


def test_readable_inputs() -> None:
    check_readable(BEST_VOCAB, "3 May 1979")
    check_readable(BEST_VOCAB, "3 May 1979 §")  # one unknown character: read as <unk>
    for text in ("", "   ", "\t"):
        with pytest.raises(InvalidInput, match="Type a date"):
            check_readable(BEST_VOCAB, text)
    with pytest.raises(InvalidInput, match="unknown"):
        check_readable(BEST_VOCAB, "§§§ ¤¤ 1")


# --------------------------------------------------------------------------------------------
# Calendar checks and pair files


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


# --------------------------------------------------------------------------------------------
# Configurations


def test_presets() -> None:
    course = preset_config("course")
    assert (course.tx, course.n_a, course.n_s, course.batch, course.lr, course.decay) == (30, 32, 64, 100, 0.005, 0.01)
    assert course.real_share == 0.0 and course.schedule == "inverse-time"
    best = preset_config("best", examples=5000)
    assert best.examples == 5000 and best.tx == 40 and best.schedule == "cosine"
    assert TrainConfig.from_json(best.to_json()) == best


@pytest.mark.parametrize("preset,overrides,message", [
    ("nope", {}, "Unknown preset"),
    ("best", {"colour": 1}, "Unknown setting"),
    ("course", {"n_a": 64}, "course preset"),
    ("course", {"tx": 40}, "course preset"),
    ("best", {"examples": 10}, "examples"),
    ("best", {"lr": 0.0}, "lr"),
    ("best", {"real_share": 2.0}, "real_share"),
    ("best", {"max_seconds": -1.0}, "max_seconds"),
    ("best", {"out": "model.npz"}, ".keras"),
])
def test_bad_settings_are_refused(preset: str, overrides: dict, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        preset_config(preset, **overrides)


def test_cosine_schedule() -> None:
    lrs = [cosine_lr(0.01, p) for p in np.linspace(0, 1, 101)]
    peak = int(np.argmax(lrs))
    assert 0 < peak <= 4 and max(lrs) == pytest.approx(0.01, rel=0.01)
    assert all(a >= b for a, b in zip(lrs[peak:], lrs[peak + 1:]))  # falls after the warm-up
    assert lrs[-1] == pytest.approx(0.0002)
