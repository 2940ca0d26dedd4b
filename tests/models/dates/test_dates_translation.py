"""Translation with the bundled model: ISO output, calendar checks, notes, refused inputs, fuzz."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from seqtui_models import dates
from seqtui_models.dates import BEST_VOCAB, TY, DateModel, check_readable, translate
from seqtui_models.dates import data as dates_data
from seqtui_models.core.errors import InvalidInput


def test_readable_inputs() -> None:
    check_readable(BEST_VOCAB, "3 May 1979")
    check_readable(BEST_VOCAB, "3 May 1979 §")  # one unknown character: read as <unk>
    for text in ("", "   ", "\t"):
        with pytest.raises(InvalidInput, match="Type a date"):
            check_readable(BEST_VOCAB, text)
    with pytest.raises(InvalidInput, match="unknown"):
        check_readable(BEST_VOCAB, "§§§ ¤¤ 1")


@pytest.mark.parametrize("text,iso", [
    ("3 May 1979", "1979-05-03"),
    ("the 4th of July 1976", "1976-07-04"),
    ("saturday may 9 2018", "2018-05-09"),
    ("9/10/70", "1970-09-10"),
    ("09.10.70", "1970-10-09"),
    ("21th of august 2016", "2016-08-21"),
    ("4-JUL-1976", "1976-07-04"),
    ("1976-07-04", "1976-07-04"),
])
@pytest.mark.slow
def test_bundled_model_translates(bundled: DateModel, text: str, iso: str) -> None:
    result = translate(bundled, text)
    assert result.iso == iso and result.valid_date and not result.truncated
    assert result.read in text  # the date's stretch of the text ("the" before an ordinal is not needed)
    assert result.attention.shape == (TY, len(result.read))
    np.testing.assert_allclose(result.attention.sum(axis=1), 1.0, atol=1e-5)
    assert 0 < result.confidence <= min(result.char_probs) + 1e-9 or result.confidence <= 1


@pytest.mark.slow
def test_an_impossible_date_is_flagged(bundled: DateModel) -> None:
    result = translate(bundled, "1979-05-33")  # the model copies ISO input, day 33 included
    assert result.iso == "1979-05-33"
    assert result.valid_date is False and "31 days" in result.problem
    assert result.to_dict()["valid_date"] is False


@pytest.mark.slow
def test_long_empty_and_unreadable_inputs(bundled: DateModel) -> None:
    long = "wednesday the twenty-first of september 2016"
    result = translate(bundled, long)
    assert result.truncated and result.read == long[:40] and result.attention.shape == (TY, 40)
    assert any("first 40 of 44" in note for note in result.notes)
    with pytest.raises(InvalidInput, match="Type a date"):
        translate(bundled, "  ")
    with pytest.raises(InvalidInput, match="unknown"):
        translate(bundled, "§¤¤ ©®")
    odd = translate(bundled, "3 May © 1979")  # inside the date's stretch: read, as <unk>
    assert odd.unknown == "©" and any("<unk>" in note for note in odd.notes)
    assert translate(bundled, "3 May 1979 ©").unknown == ""  # after it: not read at all


@pytest.mark.slow
def test_years_the_model_never_saw_are_flagged(bundled: DateModel) -> None:
    assert dates.years_outside_training("4 july 1850, 3 may 1979 or 2099-01-01", (1970, 2030)) == [1850, 2099]
    assert dates.years_outside_training("12345 and 1970 and 2030", (1970, 2030)) == []  # five digits are not a year
    assert bundled.years == (1900, 2099)
    guessed = translate(bundled, "4 july 1850")
    assert any("1900–2099" in note and "1850" in note for note in guessed.notes)
    assert guessed.verdict.declined and "1850" in guessed.verdict.reason
    assert not any("1900–2099" in note for note in translate(bundled, "4 july 1926").notes)


@pytest.mark.slow
def test_fuzz_hunts_on_held_out_real_world_dates(bundled: DateModel) -> None:
    found = dates.hunt(bundled, seed=5, tries=64)
    pair, result = found.pair, found.translation
    assert pair == dates.hunt(bundled, seed=5, tries=64).pair
    assert dates_data.FAMILIES[pair.family].kind == "real"
    assert dates_data.is_heldout(dt.date.fromisoformat(pair.iso))
    assert result.input == pair.human
