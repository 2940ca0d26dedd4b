"""Property-based tests of the CLI: whatever is passed, an answer (exit 0) or one clear line (exit 2).

Each test draws the arguments of one verb — numbers in and far out of range, NaN and infinity,
empty and pasted text, any Unicode — and runs ``seqtui`` in this process. A traceback, another exit
code, or an error of more than one line fails the test.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli_helpers import run_cli

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Numbers as a user may type them: small, negative, zero, huge, not numbers at all.
whole = st.one_of(st.integers(-3, 30), st.sampled_from(["0", "-1", "10000000000", "1e3", "3.5", "", "ten", "٣"]))
real = st.one_of(st.floats(-3, 5, allow_nan=False), st.sampled_from(["nan", "inf", "-inf", "0", "1e308", "", "x"]))
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


def check(capsys: pytest.CaptureFixture[str], *argv: Any) -> None:
    code, out, err = run_cli(capsys, *[str(a) for a in argv])
    assert "Traceback" not in err and "Traceback" not in out
    assert code in (0, 2), (argv, code, err)
    if code == 2:
        lines = [line for line in err.splitlines() if line.strip() and not line.startswith("seqtui: warning")]
        assert len(lines) == 1 and lines[0].startswith("seqtui"), (argv, err)


@FUZZ
@given(n_x=whole, n_a=whole, m=whole, t_x=whole, seed=whole)
def test_cells_shapes(capsys: pytest.CaptureFixture[str], n_x: Any, n_a: Any, m: Any, t_x: Any, seed: Any) -> None:
    check(capsys, "cells", "shapes", "--n-x", n_x, "--n-a", n_a, "--m", m, "--t-x", t_x, "--seed", seed, "--json")


@FUZZ
@given(n=whole, temperature=real, top_k=whole, prefix=text, max_length=whole, seed=whole)
def test_dinos_sample(capsys: pytest.CaptureFixture[str], n: Any, temperature: Any, top_k: Any, prefix: str,
                      max_length: Any, seed: Any) -> None:
    check(capsys, "dinos", "sample", "-n", n, "--temperature", temperature, "--top-k", top_k, f"--prefix={prefix}",
          "--max-length", max_length, "--seed", seed, "--json")


@FUZZ
@given(width=whole, n=whole, prefix=text)
def test_dinos_beam(capsys: pytest.CaptureFixture[str], width: Any, n: Any, prefix: str) -> None:
    check(capsys, "dinos", "sample", "--beam", width, "-n", n, f"--prefix={prefix}", "--json")


@FUZZ
@given(date=text)
def test_dates_translate(capsys: pytest.CaptureFixture[str], date: str) -> None:
    check(capsys, "dates", "translate", f"{date}", "--json")


@FUZZ
@given(sentence=text)
def test_emojify_predict(capsys: pytest.CaptureFixture[str], sentence: str) -> None:
    check(capsys, "emojify", "predict", "--json", "--", sentence)


@FUZZ
@given(a=text, b=text, top=whole)
def test_vectors_similarity_and_neighbours(capsys: pytest.CaptureFixture[str], a: str, b: str, top: Any) -> None:
    check(capsys, "vectors", "similarity", "--", a, b)
    check(capsys, "vectors", "neighbors", "--top", top, "--", a)


@FUZZ
@given(bars=whole, temperature=real, top_k=whole, seed=whole, chords=text)
def test_jazz_generate(capsys: pytest.CaptureFixture[str], bars: Any, temperature: Any, top_k: Any, seed: Any,
                       chords: str) -> None:
    check(capsys, "jazz", "generate", "--bars", bars, "--temperature", temperature, "--top-k", top_k, "--seed", seed,
          f"--chords={chords}", "--json")


@FUZZ
@given(words=st.lists(text, min_size=0, max_size=4), top=whole)
def test_vectors_analogy_and_project(capsys: pytest.CaptureFixture[str], words: list[str], top: Any) -> None:
    check(capsys, "vectors", "analogy", "--top", top, "--", *words)
    check(capsys, "vectors", "project", "--", *words)
