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


# A path as a user may type one: missing, a folder, a device, relative, empty, any text (but NUL,
# which no command line can hold: argv entries are C strings).
path = st.one_of(text.filter(lambda t: "\0" not in t),
                 st.sampled_from(["", ".", "/", "/proc/x", "/nonexistent/x.mid", "~/x.txt", "../x", "-"]))


@FUZZ
@given(words=st.lists(text, min_size=0, max_size=5), axis=st.lists(text, min_size=0, max_size=4), size=whole,
       width=whole, height=whole)
def test_vectors_map(capsys: pytest.CaptureFixture[str], words: list[str], axis: list[str], size: Any, width: Any,
                     height: Any) -> None:
    argv = ["vectors", "map", "--size", size, "--width", width, "--height", height, "--json"]
    if axis:
        argv += ["--axis", *axis]
    check(capsys, *argv, "--", *words)


@FUZZ
@given(words=st.lists(text, min_size=0, max_size=5), axis=st.lists(text, min_size=0, max_size=3),
       bolukbasi=st.booleans(), method=st.sampled_from(["mean", "pca", "x", ""]))
def test_vectors_bias_verbs(capsys: pytest.CaptureFixture[str], words: list[str], axis: list[str], bolukbasi: bool,
                            method: str) -> None:
    options = ["--axis-method", method] + (["--bolukbasi"] if bolukbasi else []) + (["--axis", *axis] if axis else [])
    check(capsys, "vectors", "neutralize", *options, "--", *words[:1])
    check(capsys, "vectors", "equalize", *options, "--", *words[:2])
    check(capsys, "vectors", "doesnt-match", "--json", "--", *words)


@FUZZ
@given(restrict=whole, method=st.sampled_from(["add", "mul", "cos", ""]), file=path,
       vectors=st.one_of(st.none(), path), skip=st.booleans())
def test_vectors_benchmark_and_files(capsys: pytest.CaptureFixture[str], tmp_path_factory: pytest.TempPathFactory,
                                     restrict: Any, method: str, file: str, vectors: str | None, skip: bool) -> None:
    questions = tmp_path_factory.getbasetemp() / "questions.txt"
    questions.write_text(": family\nman woman king queen\nboy girl brother sister\n", encoding="utf-8")
    check(capsys, "vectors", "benchmark", str(questions), "--restrict", restrict, "--method", method, "--json")
    check(capsys, "vectors", "benchmark", "--restrict", "5000", "--", file)
    extra = (["--vectors", vectors] if vectors is not None else []) + (["--skip-malformed"] if skip else [])
    check(capsys, "vectors", "similarity", *extra, "--", "king", "queen")


@FUZZ
@given(file=path)
def test_jazz_files(capsys: pytest.CaptureFixture[str], file: str) -> None:
    check(capsys, "jazz", "tracks", "--json", "--", file)
    check(capsys, "jazz", "play", "--json", "--", file)


@pytest.mark.slow
@FUZZ
@given(epochs=whole, windows=whole, tx=whole, hidden=whole, seed=whole, track=whole,
       preset=st.sampled_from(["course", "fast", "slow", ""]), midi=st.one_of(st.none(), path))
def test_jazz_train_checks_everything_before_training(capsys: pytest.CaptureFixture[str], epochs: Any, windows: Any,
                                                      tx: Any, hidden: Any, seed: Any, track: Any, preset: str,
                                                      midi: str | None) -> None:
    # the model would be saved where it cannot be: whatever the rest, the run must stop before it
    # trains, with one line
    argv = ["jazz", "train", "--epochs", epochs, "--windows", windows, "--tx", tx, "--hidden", hidden, "--seed", seed,
            "--preset", preset, "--track", track, "--out", "/proc/seqtui-cannot-write.keras", "--json"]
    code, out, err = run_cli(capsys, *[str(a) for a in argv + (["--midi", midi] if midi is not None else [])])
    assert "Traceback" not in err and code == 2, (argv, code, err)
    lines = [line for line in err.splitlines() if line.strip() and not line.startswith("seqtui: warning")]
    assert len(lines) == 1 and lines[0].startswith("seqtui"), (argv, err)


@pytest.mark.slow
@FUZZ
@given(primer=text, piece=whole, tempo=real, midi_out=path)
def test_jazz_generate_files_and_primers(capsys: pytest.CaptureFixture[str], primer: str, piece: Any, tempo: Any,
                                         midi_out: str) -> None:
    check(capsys, "jazz", "generate", "--bars", "1", f"--primer={primer}", "--piece", piece, "--tempo", tempo,
          f"--midi-out={midi_out}", "--json")
