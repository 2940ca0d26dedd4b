"""Word vectors: the course's numbers, gensim parity, the loader's formats and errors, the bias lab."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from seqtui_models.core import vector_readers
from seqtui_models.core.errors import DataFileError, InvalidInput
from seqtui_models.vectors import (
    BOLUKBASI_PAIRS,
    COURSE_NAMES,
    Cancelled,
    WordVectors,
    analogy,
    bias_axis,
    complete_analogy,
    cosine_similarity,
    doesnt_match,
    equalize,
    evaluate_analogies,
    load_default,
    load_vectors,
    most_similar,
    most_similar_cosmul,
    neighbours,
    neutralize,
    parse_expression,
    project,
    rank_by_centrality,
    read_questions,
    similarity,
)
from seqtui_models.core.word_vectors import save_glove, save_word2vec

def gensim_models() -> Any:
    """gensim's models module (a test-only dependency): tests that compare with it skip without it."""
    return pytest.importorskip("gensim.models")


@pytest.fixture(scope="module")
def wv() -> WordVectors:
    return load_default()


@pytest.fixture(scope="module")
def kv(wv: WordVectors) -> object:
    """gensim KeyedVectors holding exactly the same 400,000 vectors."""
    keyed = gensim_models().KeyedVectors(wv.dim)
    keyed.add_vectors(wv.words, np.ascontiguousarray(wv.vectors))
    return keyed


@pytest.fixture(scope="module")
def small(wv: WordVectors) -> WordVectors:
    """The 3,000 most frequent GloVe words, in memory (for the file-format tests)."""
    return WordVectors(words=wv.words[:3000], vectors=np.array(wv.vectors[:3000]), source="small")


# --- the default vectors -------------------------------------------------------------------------
def test_default_vectors_are_memory_mapped_glove(wv: WordVectors) -> None:
    assert len(wv) == 400_000 and wv.dim == 50 and wv.vectors.dtype == np.float32
    assert isinstance(wv.vectors, np.memmap) or isinstance(wv.vectors.base, np.memmap)
    assert wv.words[:3] == ["the", ",", "."] and wv.index("the") == 0 and "crocodile" in wv
    assert load_default() is wv  # loaded once per process
    assert wv.unit.flags.c_contiguous
    np.testing.assert_allclose(np.linalg.norm(wv.unit[:1000], axis=1), 1.0, rtol=1e-6)


def test_unknown_word_names_it_and_suggests_spellings(wv: WordVectors) -> None:
    with pytest.raises(InvalidInput) as info:
        similarity(wv, "fathr", "mother")
    assert "'fathr'" in str(info.value) and "'father'" in str(info.value)
    with pytest.raises(InvalidInput, match="'Father'.*'father'"):
        wv.index("Father")


def test_lookup_out_of_vocabulary_policies(wv: WordVectors) -> None:
    words = ["cat", "qwxzzy", "dog"]
    zero = wv.lookup(words, oov="zero")
    assert zero.shape == (3, 50) and not zero[1].any() and np.array_equal(zero[0], wv.vector("cat"))
    assert wv.lookup(words, oov="skip").shape == (2, 50)
    assert wv.indices(words, oov="skip") == [wv.index("cat"), wv.index("dog")]
    with pytest.raises(InvalidInput, match="qwxzzy"):
        wv.lookup(words)
    assert wv.get_index("qwxzzy") is None and wv.word_to_index["dog"] == wv.index("dog")


def test_embedding_matrix_and_padded_indices_for_emojify(small: WordVectors) -> None:
    matrix = small.embedding_matrix()
    assert matrix.shape == (3001, 50) and not matrix[0].any()
    assert np.array_equal(matrix[small.index("love") + 1], small.vector("love"))
    indices = small.padded_indices([["i", "love", "qwxzzy", "you"], ["happy"]], max_len=3)
    assert indices.shape == (2, 3)
    assert indices[0].tolist() == [small.index("i") + 1, small.index("love") + 1, 0]
    assert indices[1].tolist() == [small.index("happy") + 1, 0, 0]
    assert small.padded_indices([["i", "qwxzzy", "you"]], 3, oov="skip")[0, 1] == small.index("you") + 1
    with pytest.raises(InvalidInput, match="qwxzzy"):
        small.padded_indices([["qwxzzy"]], 2, oov="error")


# --- the course's cases --------------------------------------------------------------------------
def test_course_cosine_similarities(wv: WordVectors) -> None:
    assert similarity(wv, "father", "mother") == pytest.approx(0.890903844289, abs=1e-6)
    assert similarity(wv, "ball", "crocodile") == pytest.approx(0.274392462614, abs=1e-6)
    france_paris = wv.vector("france") - wv.vector("paris")
    rome_italy = wv.vector("rome") - wv.vector("italy")
    assert cosine_similarity(france_paris, rome_italy) == pytest.approx(-0.675147930817, abs=1e-6)


@pytest.mark.parametrize(
    "a, b, c, expected",
    [
        ("italy", "italian", "spain", "spanish"),
        ("india", "delhi", "japan", "tokyo"),
        ("man", "woman", "boy", "girl"),
        ("small", "smaller", "large", "larger"),
    ],
)
def test_course_analogies_with_every_method(wv: WordVectors, a: str, b: str, c: str, expected: str) -> None:
    assert complete_analogy(wv, a.upper(), b, c) == expected  # the course lower-cases its inputs
    for method in ("course", "add", "mul"):
        assert analogy(wv, a, b, c, method=method).best == expected, method


def test_restricted_and_unrestricted_analogy(wv: WordVectors) -> None:
    restricted = analogy(wv, "man", "king", "woman", topn=3)
    assert restricted.best == "queen" and restricted.restricted
    assert [n.word for n in restricted.hidden_by_restriction] == ["king"]
    unrestricted = analogy(wv, "man", "king", "woman", topn=3, restricted=False)
    assert unrestricted.best == "king" and unrestricted.answers[1].word == "queen"
    assert unrestricted.hidden_by_restriction == ()
    course = analogy(wv, "man", "king", "woman", topn=2, method="course")
    assert course.answers[0].score >= course.answers[1].score
    with pytest.raises(InvalidInput, match="method"):
        analogy(wv, "a", "b", "c", method="nope")  # type: ignore[arg-type]


# --- gensim parity -------------------------------------------------------------------------------
def _same_ranking(ours: list, theirs: list[tuple[str, float]], tol: float = 1e-5) -> None:
    assert [n.word for n in ours] == [w for w, _ in theirs]
    np.testing.assert_allclose([n.score for n in ours], [s for _, s in theirs], atol=tol)


@pytest.mark.parametrize("pair", [("father", "mother"), ("ball", "crocodile"), ("king", "queen"), ("the", "of")])
def test_similarity_matches_gensim(wv: WordVectors, kv: object, pair: tuple[str, str]) -> None:
    assert similarity(wv, *pair) == pytest.approx(float(kv.similarity(*pair)), abs=1e-6)


@pytest.mark.parametrize(
    "positive, negative, topn, restrict",
    [
        (["king"], [], 10, None),
        (["woman", "king"], ["man"], 5, None),
        (["paris", "germany"], ["france"], 8, 30_000),
        ([("king", 2.0), "woman"], [("man", -0.5)], 6, 50_000),
    ],
)
def test_most_similar_matches_gensim(wv: WordVectors, kv: object, positive: list, negative: list, topn: int, restrict: int | None) -> None:
    ours = most_similar(wv, positive, negative, topn=topn, restrict_vocab=restrict)
    _same_ranking(ours, kv.most_similar(positive=positive, negative=negative, topn=topn, restrict_vocab=restrict))


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("positive, negative", [(["woman", "king"], ["man"]), (["baghdad", "greece"], ["athens"]), (["cat"], [])])
def test_most_similar_cosmul_matches_gensim(wv: WordVectors, kv: object, positive: list, negative: list) -> None:
    ours = most_similar_cosmul(wv, positive, negative, topn=7)
    _same_ranking(ours, kv.most_similar_cosmul(positive=positive, negative=negative, topn=7))


def test_neighbours_of_a_word_an_expression_and_a_vector(wv: WordVectors, kv: object) -> None:
    _same_ranking(neighbours(wv, "frog", topn=5), kv.most_similar("frog", topn=5))
    _same_ranking(neighbours(wv, "king - man + woman", topn=5),
                  kv.most_similar(positive=["king", "woman"], negative=["man"], topn=5))
    vector = wv.vector("paris") * 0.5
    _same_ranking(neighbours(wv, vector, topn=5), kv.similar_by_vector(vector, topn=5))
    assert neighbours(wv, "king - man + woman", topn=1, exclude_inputs=False)[0].word == "king"


@pytest.mark.parametrize(
    "words",
    [["breakfast", "cereal", "dinner", "lunch"], ["france", "germany", "italy", "banana"], ["red", "green", "blue", "car", "yellow"]],
)
def test_doesnt_match_matches_gensim(wv: WordVectors, kv: object, words: list[str]) -> None:
    assert doesnt_match(wv, words) == kv.doesnt_match(words)
    theirs = kv.rank_by_centrality(words)
    ours = rank_by_centrality(wv, words)
    assert [n.word for n in ours] == [w for _, w in theirs]
    np.testing.assert_allclose([n.score for n in ours], [s for s, _ in theirs], atol=1e-5)


def test_parse_expression() -> None:
    assert parse_expression("king - man + woman") == ([("king", 1.0), ("woman", 1.0)], [("man", -1.0)])
    assert parse_expression("0.5*paris + x-ray") == ([("paris", 0.5), ("x-ray", 1.0)], [])
    assert parse_expression("- cold") == ([], [("cold", -1.0)])
    for bad in ("", "king man", "king -"):
        with pytest.raises(InvalidInput):
            parse_expression(bad)


# --- the analogy benchmark -----------------------------------------------------------------------
def test_bundled_questions_file() -> None:
    sections = read_questions()
    assert len(sections) == 14 and sum(len(q) for _, q in sections) == 19_544
    assert sections[0][0] == "capital-common-countries" and sections[0][1][0] == ("Athens", "Greece", "Baghdad", "Iraq")


def test_benchmark_3cosadd_equals_gensim_exactly(wv: WordVectors, kv: object) -> None:
    from seqtui_models.vectors.bench import single_threaded_blas

    ours = evaluate_analogies(wv, restrict_vocab=30_000, method="add")
    with single_threaded_blas():  # gensim's 15,000 small products gain nothing from threads, and thrash under xdist
        score, sections = kv.evaluate_word_analogies(str(vectors_io_data("questions-words.txt")), restrict_vocab=30_000)
    assert ours.accuracy == score
    total = sections[-1]
    assert (ours.correct, ours.total) == (len(total["correct"]), len(total["correct"]) + len(total["incorrect"]))
    assert [(s.name, s.correct, s.total) for s in ours.sections] == [
        (s["section"], len(s["correct"]), len(s["correct"]) + len(s["incorrect"])) for s in sections[:-1]
    ]
    assert ours.skipped == 19_544 - ours.total


def vectors_io_data(name: str) -> Path:
    from seqtui_models.core.paths import data_file

    return data_file(name)


def _gensim_cosmul_accuracy(kv: object, path: Path, restrict: int) -> tuple[int, int]:
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
def test_benchmark_3cosmul_equals_gensims_cosmul(wv: WordVectors, tmp_path: Path) -> None:
    restrict = 20_000  # gensim's cosmul ignores restrict_vocab, so it gets a 20k-word model
    keyed = gensim_models().KeyedVectors(wv.dim)
    keyed.add_vectors(wv.words[:restrict], np.ascontiguousarray(wv.vectors[:restrict]))
    lines = vectors_io_data("questions-words.txt").read_text().splitlines()
    sample = tmp_path / "sample.txt"  # every 5th question, all 14 sections
    sample.write_text("\n".join(line for i, line in enumerate(lines) if line.startswith(":") or i % 5 == 0) + "\n")
    from seqtui_models.vectors.bench import single_threaded_blas

    ours = evaluate_analogies(wv, sample, restrict_vocab=restrict, method="mul")
    with single_threaded_blas():
        theirs = _gensim_cosmul_accuracy(keyed, sample, restrict)
    assert (ours.correct, ours.total) == theirs
    assert ours.total > 2000


def test_benchmark_case_variants_equal_gensim(tmp_path: Path) -> None:
    """Several spellings of a word: the first one's vector, and no spelling of an input counts."""
    rng = np.random.default_rng(4)
    words = ["Paris", "paris", "France", "Rome", "ROME", "Italy", "italy", "Berlin", "Germany", "germany",
             "madrid", "Spain", "x", "y", "z"] + [f"w{i}" for i in range(60)]
    matrix = rng.standard_normal((len(words), 8)).astype(np.float32)
    matrix[1] = matrix[0] + 0.01  # "paris" ≈ "Paris": a case variant ranks high
    matrix[6] = matrix[5] - 0.01
    small = WordVectors(words=words, vectors=matrix, source="toy")
    keyed = gensim_models().KeyedVectors(8)
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


def test_benchmark_leaves_blas_threads_as_they_were(wv: WordVectors) -> None:
    from seqtui_models.vectors.bench import _OpenBLAS

    blas = _OpenBLAS.find()
    if blas is None:
        pytest.skip("numpy's OpenBLAS is not reachable here")
    before = blas.get()
    evaluate_analogies(wv, restrict_vocab=3000)
    assert blas.get() == before


def test_benchmark_progress_cancel_and_bad_files(wv: WordVectors, tmp_path: Path) -> None:
    seen = []
    report = evaluate_analogies(wv, restrict_vocab=2000, on_progress=seen.append)
    assert seen and seen[-1].fraction == 1.0 and report.total == seen[-1].total
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


# --- loading files -------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["glove", "word2vec", "word2vec-binary", "glove-gz"])
def test_every_format_round_trips(small: WordVectors, tmp_path: Path, fmt: str) -> None:
    if fmt == "glove":
        path = save_glove(small, tmp_path / "v.txt")
    elif fmt == "word2vec":
        path = save_word2vec(small, tmp_path / "v.w2v.txt")
    elif fmt == "word2vec-binary":
        path = save_word2vec(small, tmp_path / "v.bin", binary=True)
    else:
        plain = save_glove(small, tmp_path / "v.txt")
        path = tmp_path / "v.txt.gz"
        path.write_bytes(gzip.compress(plain.read_bytes()))
    loaded = load_vectors(path)
    assert loaded.words == small.words and loaded.skipped == ()
    assert np.array_equal(loaded.vectors, small.vectors)  # float32 values survive exactly
    assert loaded.source == path.name


def test_a_byte_order_mark_is_not_part_of_the_first_word(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffhello 1.0 2.0\nworld 3.0 4.0\n".encode())
    assert load_vectors(path).words == ["hello", "world"]


def test_word2vec_files_load_like_gensim(small: WordVectors, tmp_path: Path) -> None:
    for binary in (False, True):
        path = save_word2vec(small, tmp_path / f"v{binary}", binary=binary)
        theirs = gensim_models().KeyedVectors.load_word2vec_format(str(path), binary=binary)
        ours = load_vectors(path)
        assert ours.words == theirs.index_to_key
        assert np.array_equal(ours.vectors, theirs.vectors)
    limited = load_vectors(path, limit=10)
    assert len(limited) == 10 and limited.words == small.words[:10]


def _write_with_bad_lines(small: WordVectors, path: Path) -> Path:
    lines = save_glove(small, path).read_text(encoding="utf-8").splitlines()
    lines[4] = " ".join(lines[4].split()[:-1])  # line 5: one number short
    lines[8] = lines[8].replace(lines[8].split()[3], "oops", 1)  # line 9: not a number
    lines[11] = lines[0]  # line 12: a duplicate of line 1
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_malformed_lines_fail_or_skip_with_line_numbers(small: WordVectors, tmp_path: Path) -> None:
    path = _write_with_bad_lines(small, tmp_path / "bad.txt")
    with pytest.raises(DataFileError, match=r"bad\.txt, line 5: expected a word and 50 numbers, found 49"):
        load_vectors(path)
    loaded = load_vectors(path, malformed="skip")
    assert [s.line for s in loaded.skipped] == [5, 9, 12]
    assert "not a number" in loaded.skipped[1].reason and "duplicate" in loaded.skipped[2].reason
    assert len(loaded) == len(small) - 3 and small.words[4] not in loaded
    assert np.array_equal(loaded.vector("the"), small.vector("the"))


def test_progress_and_cancellation(small: WordVectors, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vector_readers, "TEXT_CHUNK_LINES", 500)
    path = save_glove(small, tmp_path / "v.txt")
    seen = []
    load_vectors(path, on_progress=seen.append)
    assert len(seen) >= 6 and seen[-1].fraction == 1.0 and seen[-1].words == len(small)
    assert all(a.done <= b.done for a, b in zip(seen, seen[1:]))
    calls = []
    with pytest.raises(Cancelled, match="v.txt"):
        load_vectors(path, should_stop=lambda: calls.append(1) or len(calls) > 2)


@pytest.mark.parametrize(
    "content, needle",
    [
        (b"", "empty"),
        (b"hello world\nthis is prose\n", "not a word-vector file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "not UTF-8 text"),
        (b"\xff\xfe\x00 1.0 2.0\n", "looks binary but has no word2vec header"),
    ],
)
def test_wrong_formats_get_clear_errors(tmp_path: Path, content: bytes, needle: str) -> None:
    path = tmp_path / "file.txt"
    path.write_bytes(content)
    with pytest.raises(DataFileError, match=needle):
        load_vectors(path)


def test_missing_file_and_bad_gzip(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="No such file"):
        load_vectors(tmp_path / "nope.txt")
    broken = tmp_path / "v.txt.gz"
    broken.write_bytes(b"not gzip at all")
    with pytest.raises(DataFileError, match="gzip"):
        load_vectors(broken)


# --- the bias lab --------------------------------------------------------------------------------
def test_course_neutralize(wv: WordVectors) -> None:
    g = bias_axis(wv)  # the course's g = e_woman − e_man
    np.testing.assert_array_equal(g.vector, wv.vector("woman").astype(np.float64) - wv.vector("man"))
    result = neutralize(wv, "receptionist", g)
    assert result.cos_before == pytest.approx(0.330779417506, abs=1e-6)
    assert abs(result.cos_after) < 1e-12
    assert np.allclose(result.debiased + result.bias_component, result.e)
    assert [label for label, _ in result.steps()][0].startswith("cos(receptionist")


def test_course_equalize(wv: WordVectors) -> None:
    result = equalize(wv, ("man", "woman"), bias_axis(wv))
    assert result.cos_before == pytest.approx((-0.117110957653, 0.356666188463), abs=1e-6)
    assert result.cos_after == pytest.approx((-0.700436428931, 0.700436428931), abs=1e-6)
    # the equalised pair is symmetric about μ⊥ and both have the same length
    assert np.linalg.norm(result.e1) == pytest.approx(np.linalg.norm(result.e2))
    with pytest.raises(InvalidInput):
        equalize(wv, ("man", "man"), bias_axis(wv))


def test_course_name_projections(wv: WordVectors) -> None:
    values = {p.word: p.cosine for p in project(wv, COURSE_NAMES, bias_axis(wv))}
    assert values["john"] == pytest.approx(-0.23163356146, abs=1e-6)
    assert values["marie"] == pytest.approx(0.315597935396, abs=1e-6)
    assert values["ronaldo"] < 0 < values["priya"]


def test_axes_from_several_pairs_and_any_pair(wv: WordVectors) -> None:
    mean = bias_axis(wv, BOLUKBASI_PAIRS)
    pca = bias_axis(wv, BOLUKBASI_PAIRS, method="pca")
    assert pca.method == "pca" and np.linalg.norm(pca.vector) == pytest.approx(1.0)
    assert pca.explained[0] > pca.explained[1] > 0 and sum(pca.explained) <= 1 + 1e-9
    assert cosine_similarity(mean.vector, pca.vector) > 0.8
    for axis in (mean, pca):
        she, he = project(wv, ["she", "he"], axis)
        assert she.cosine > 0 > he.cosine
    age = bias_axis(wv, [("young", "old")])
    assert age.label == "young − old" and project(wv, ["youth"], age)[0].cosine > 0 > project(wv, ["retired"], age)[0].cosine
    with pytest.raises(InvalidInput):
        bias_axis(wv, [("old", "old")])
    with pytest.raises(InvalidInput, match="zzqqx"):
        bias_axis(wv, [("zzqqx", "old")])


def test_models_never_import_the_ui() -> None:
    code = (
        "import sys, seqtui_models.vectors, seqtui_models.core.word_vectors, seqtui_models.vectors.bias, seqtui_models.vectors.bench\n"
        "bad = [m for m in ('textual', 'rich', 'seqtui') if m in sys.modules]\n"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[3])
