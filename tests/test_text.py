"""The text helpers the tabs and the CLI share: bars, plurals, numbers, parsing."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seqtui.text import (
    NumberError,
    bar,
    format_duration,
    format_number,
    parse_number,
    plural,
    plural_noun,
    shorten,
    shorten_runs,
    signed_bar,
)


def test_unit_plurals() -> None:
    assert [plural_noun(u) for u in ("step", "batch", "epoch", "pass", "name", "try", "day")] == [
        "steps", "batches", "epochs", "passes", "names", "tries", "days",
    ]
    assert plural(1, "sample") == "1 sample" and plural(0, "sample") == "0 samples"
    assert plural(1200, "batch") == "1,200 batches"


def test_bars_grow_in_eighths_and_never_exceed_their_width() -> None:
    assert bar(0.0, 4) == "" and bar(1.0, 4) == "████" and bar(0.5, 4) == "██"
    assert bar(1 / 32, 4) == "▏"  # one eighth of one cell
    assert bar(2.0, 4) == "████" and bar(-1.0, 4) == "" and bar(math.nan, 4) == ""
    for i in range(101):
        assert len(bar(i / 100, 7)) <= 7


def test_signed_bars_keep_both_halves_at_their_width() -> None:
    assert signed_bar(-0.5, 1.0, 4) == ("  ██", "    ")
    assert signed_bar(0.5, 1.0, 4, axis="│") == ("    ", "│██  ")
    assert signed_bar(5.0, 1.0, 4) == ("    ", "████")  # clipped at the scale
    assert signed_bar(math.inf, 1.0, 4) == ("    ", "    ")
    assert signed_bar(1.0, 0.0, 4) == ("    ", "    ")


def test_numbers_and_durations() -> None:
    assert format_number(2.3456) == "2.346" and format_number(0.0012345, 3) == "0.00123"
    assert format_number(0.0) == "0" and format_number(math.inf) == "inf"
    assert format_duration(None) == "–" and format_duration(65) == "1:05" and format_duration(3725) == "1:02:05"
    assert shorten("x" * 100, 10) == "x" * 9 + "…" and shorten("short") == "short"


def test_parse_number_says_what_is_expected() -> None:
    assert parse_number(" 12 ", "steps") == 12
    assert parse_number("0.5", "temperature", float) == 0.5
    assert parse_number("", "seed", blank=None) is None
    for text, kwargs, message in (
        ("", {}, "steps must be a whole number"),
        ("1.5", {}, "whole number"),
        ("abc", {"kind": float}, "steps must be a number"),
        ("inf", {"kind": float}, "finite"),
        ("0", {"low": 1}, "steps must be a whole number ≥ 1 (got 0)"),
        ("-5", {"low": 0}, "≥ 0 (got -5)"),
        ("600", {"low": 1, "high": 512}, "from 1 to 512 (got 600)"),
        ("x" * 4000, {}, "…"),  # a long input is not echoed whole
    ):
        with pytest.raises(NumberError, match=re.escape(message)) as caught:
            parse_number(text, "steps", **kwargs)
        assert len(str(caught.value)) < 120
    with pytest.raises(NumberError, match=r"^expected a whole number ≥ 1 \(got 0\)$"):
        parse_number("0", "", low=1)  # argparse names the option itself


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_shorten_runs_leaves_no_run_over_the_limit_and_short_words_alone(message: str) -> None:
    shown = shorten_runs(message)
    assert all(len(run) <= 60 for run in shown.split())
    if all(len(run) <= 60 for run in message.split()) and message.isprintable():
        assert shown == message
    assert len(shown.splitlines()) <= 1



def test_cells_safe_spells_a_narrow_emoji_with_vs16_as_the_character_and_a_space() -> None:
    from rich.cells import cell_len

    from seqtui.text import cells_safe

    assert cells_safe("❤️ love") == "❤  love" and cell_len(cells_safe("❤️")) == 2
    assert cells_safe("😄 ⚾ 🍴 text") == "😄 ⚾ 🍴 text"  # wide emoji stay
    assert cells_safe("plain") == "plain"


def test_shorten_runs_escapes_what_would_break_the_one_line() -> None:
    from seqtui.text import shorten_runs

    out = shorten_runs("unknown word 'a\x1eb\nc\u2028d\x7f'")
    assert out == "unknown word 'a\\x1eb\\x0ac\\u2028d\\x7f'" and len(out.splitlines()) == 1
