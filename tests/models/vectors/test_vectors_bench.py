"""The analogy benchmark: gensim's evaluate_word_analogies, its accuracies equal to the question."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from seqtui_models.core.errors import DataFileError, InvalidInput
from seqtui_models.core.paths import data_file
from seqtui_models.vectors import BenchmarkProgress, Cancelled, WordVectors, evaluate_analogies, read_questions
from seqtui_models.vectors.bench import single_threaded_blas


def test_bundled_questions_file() -> None:
    sections = read_questions()
    assert len(sections) == 14 and sum(len(q) for _, q in sections) == 19_544
    assert sections[0][0] == "capital-common-countries" and sections[0][1][0] == ("Athens", "Greece", "Baghdad", "Iraq")


def test_benchmark_3cosadd_equals_gensim_exactly(wv: WordVectors, kv: Any) -> None:
    ours = evaluate_analogies(wv, restrict_vocab=30_000, method="add")
    with single_threaded_blas():  # gensim's 15,000 small products gain nothing from threads, and thrash under xdist
        score, sections = kv.evaluate_word_analogies(str(questions_file("questions-words.txt")), restrict_vocab=30_000)
    assert ours.accuracy == score
    total = sections[-1]
    assert (ours.correct, ours.total) == (len(total["correct"]), len(total["correct"]) + len(total["incorrect"]))
    assert [(s.name, s.correct, s.total) for s in ours.sections] == [
        (s["section"], len(s["correct"]), len(s["correct"]) + len(s["incorrect"])) for s in sections[:-1]
    ]
    assert ours.skipped == 19_544 - ours.total


def questions_file(name: str) -> Path:
    return data_file(name)


def _gensim_cosmul_accuracy(kv: Any, path: Path, restrict: int) -> tuple[int, int]:
    """gensim's evaluate_word_analogies loop, with most_similar_cosmul (gensim 4.4 has no switch)."""
    ok = {k.upper(): kv.get_index(k) for k in reversed(kv.index_to_key[:restrict])}
    original = kv.key_to_index
    correct = total = 0
    for line in path.read_text().splitlines():
        if line.startswith(": "):
            continue
        a, b, c, expected = (w.upper() for w in line.split())
        if not all(w in ok for w in (a, b, c, expected)):
            continue
        kv.key_to_index = ok
        try:
            sims = kv.most_similar_cosmul(positive=[b, c], negative=[a], topn=5)
        finally:
            kv.key_to_index = original
        predicted = None
        for word, _ in sims:
            predicted = word.upper()
            if predicted in ok and predicted not in {a, b, c}:
                break
        total += 1
        correct += predicted == expected
    return correct, total


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # gensim calls its own init_sims
def test_benchmark_3cosmul_equals_gensims_cosmul(wv: WordVectors, gensim_models: Any, tmp_path: Path) -> None:
    restrict = 20_000  # gensim's cosmul ignores restrict_vocab, so it gets a 20k-word model
    keyed = gensim_models.KeyedVectors(wv.dim)
    keyed.add_vectors(wv.words[:restrict], np.ascontiguousarray(wv.vectors[:restrict]))
    lines = questions_file("questions-words.txt").read_text().splitlines()
    sample = tmp_path / "sample.txt"  # every 5th question, all 14 sections
    sample.write_text("\n".join(line for i, line in enumerate(lines) if line.startswith(":") or i % 5 == 0) + "\n")
    ours = evaluate_analogies(wv, sample, restrict_vocab=restrict, method="mul")
    with single_threaded_blas():
        theirs = _gensim_cosmul_accuracy(keyed, sample, restrict)
    assert (ours.correct, ours.total) == theirs
    assert ours.total > 2000


def test_benchmark_case_variants_equal_gensim(gensim_models: Any, tmp_path: Path) -> None:
    """Several spellings of a word: the first one's vector, and no spelling of an input counts."""
    rng = np.random.default_rng(4)
    words = ["Paris", "paris", "France", "Rome", "ROME", "Italy", "italy", "Berlin", "Germany", "germany",
             "madrid", "Spain", "x", "y", "z"] + [f"w{i}" for i in range(60)]
    matrix = rng.standard_normal((len(words), 8)).astype(np.float32)
    matrix[1] = matrix[0] + 0.01  # "paris" ≈ "Paris": a case variant ranks high
    matrix[6] = matrix[5] - 0.01
    small = WordVectors(words=words, vectors=matrix, source="toy")
    keyed = gensim_models.KeyedVectors(8)
    keyed.add_vectors(words, matrix)
    questions = tmp_path / "q.txt"
    body = [": toy", "paris france rome italy", "France Paris Italy Rome", "rome italy berlin germany",
            "Germany berlin Spain madrid", "italy rome paris france", "too short line", ": second",
            "x y z w1", "w1 w2 w3 w4", "w5 w6 unknownword w7", "Y x Z w9"]
    questions.write_text("\n".join(body) + "\n")
    for restrict, insensitive in ((None, True), (10, True), (None, False)):
        ours = evaluate_analogies(small, questions, restrict_vocab=restrict, case_insensitive=insensitive)
        score, sections = keyed.evaluate_word_analogies(str(questions), restrict_vocab=restrict or len(words),
                                                       case_insensitive=insensitive)
        assert ours.accuracy == score
        assert [(s.correct, s.total) for s in ours.sections] == [
            (len(s["correct"]), len(s["correct"]) + len(s["incorrect"])) for s in sections[:-1]
        ]


def test_benchmark_exact_ties_go_to_the_more_frequent_word(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    words = ["a", "b", "c", "twin1", "twin2"] + [f"w{i}" for i in range(40)]
    matrix = rng.standard_normal((len(words), 6)).astype(np.float32)
    matrix[3] = matrix[2] - matrix[0] + matrix[1]  # the ideal answer…
    matrix[4] = matrix[3]  # …twice
    small = WordVectors(words=words, vectors=matrix, source="toy")
    questions = tmp_path / "q.txt"
    questions.write_text(": s\na b c twin1\na b c twin2\n")
    report = evaluate_analogies(small, questions)
    assert (report.correct, report.total, report.near_ties) == (1, 2, 2)


def blas_threads() -> list[int]:
    from threadpoolctl import threadpool_info

    return [pool["num_threads"] for pool in threadpool_info() if pool.get("user_api") == "blas"]


def test_benchmark_leaves_blas_threads_as_they_were(wv: WordVectors) -> None:
    before = blas_threads()
    if not before:
        pytest.skip("threadpoolctl sees no BLAS here")
    with single_threaded_blas() as limited:
        assert limited and blas_threads() == [1] * len(before)
    evaluate_analogies(wv, restrict_vocab=3000)
    assert blas_threads() == before


def test_benchmark_progress_cancel_and_bad_files(wv: WordVectors, tmp_path: Path) -> None:
    seen: list[BenchmarkProgress] = []
    report = evaluate_analogies(wv, restrict_vocab=2000, on_progress=seen.append)
    assert seen and seen[-1].fraction == 1.0 and report.total == seen[-1].total
    assert all(a.done <= b.done and a.elapsed <= b.elapsed for a, b in zip(seen, seen[1:]))
    assert set(report.to_dict()) >= {"accuracy", "correct", "total", "sections", "seconds"}
    with pytest.raises(Cancelled):
        evaluate_analogies(wv, restrict_vocab=2000, should_stop=lambda: True)
    orphan = tmp_path / "orphan.txt"
    orphan.write_text("a b c d\n: late header\n")
    with pytest.raises(DataFileError, match="line 1"):
        evaluate_analogies(wv, orphan)
    with pytest.raises(DataFileError, match="No such file"):
        evaluate_analogies(wv, tmp_path / "missing.txt")
    with pytest.raises(InvalidInput, match="method"):
        evaluate_analogies(wv, method="set")  # type: ignore[arg-type]
