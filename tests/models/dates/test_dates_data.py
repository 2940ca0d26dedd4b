"""The date generator: format families, labels, held-out days, emphasis (no TensorFlow)."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pytest

from seqtui_models.dates import BEST_VOCAB, COURSE_VOCAB
from seqtui_models.dates import data as dates_data
from seqtui_models.dates.data import FAMILIES, families, generate, is_heldout, write_date
from seqtui_models.core.errors import InvalidInput


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
    assert min(years) < 1905 and max(years) > 2095


def test_a_two_digit_year_is_written_only_where_the_pivot_reads_it_back() -> None:
    # 69-99 -> 19xx, 00-68 -> 20xx (as the checks read them): a 1925 date never says '25.
    for p in generate(6000, seed=11):
        year = dt.date.fromisoformat(p.iso).year
        if str(year) in p.human:
            continue
        assert dates_data.PIVOT_FIRST <= year <= dates_data.PIVOT_LAST, p


def test_day_first_slashes_and_dashes_have_one_reading_and_us_dashes_are_month_first() -> None:
    from seqtui_models.dates.checks import locate, readings

    for p in generate(400, seed=12, family="day-first"):
        if re.fullmatch(r"\d+[/-]\d+[/-]\d+", p.human):
            first = int(re.split(r"[/-]", p.human)[0])
            assert first > 12 and dt.date.fromisoformat(p.iso).day == first, p
        found = readings(locate(p.human).tokens)
        assert p.iso in [d.isoformat() for d in found.dates], p
    for p in generate(400, seed=13, family="us-dashes"):
        month = int(p.human.split("-")[0])
        assert dt.date.fromisoformat(p.iso).month == month, p


@pytest.mark.parametrize("family", ["timestamp", "weekday-around", "year-first", "extra-words"])
def test_new_real_world_families_read_back_as_their_date(family: str) -> None:
    # The text alone (the checks' readings, after the locator cuts times out) supports the label.
    from seqtui_models.dates.checks import locate, on_weekday, readings

    for p in generate(300, seed=14, family=family):
        located = locate(p.human)
        dates, wrong = on_weekday(located.tokens, readings(located.tokens).dates)
        assert not wrong and p.iso in [d.isoformat() for d in dates], (p, located.text)


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
