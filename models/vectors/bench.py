"""The analogy benchmark: gensim's ``evaluate_word_analogies``, batched into matrix products.

The Google analogy test set (``questions-words.txt``: 19,544 questions ``a b c d`` in 14
sections) asks, for each question, whether the best answer to a : b :: c : ? is d.

Scoring follows gensim 4.4 exactly, so that the accuracies are equal:

* only the first ``restrict_vocab`` words are searched and known (gensim's default 300,000);
* case-insensitive by default: words are compared upper-cased, and a word written several ways
  takes the vector of its first (most frequent) spelling;
* a question with a word outside that vocabulary is skipped (not counted);
* the three input words never count as the answer, nor do other spellings of them.

Speed: gensim scores one question at a time (a ``(V, n)`` matrix-vector product and a partial
sort of V scores). Here a block of questions Q ``(q, n)`` meets a block of words U ``(w, n)``
in one float32 matrix product ``Q Uᵀ`` ``(q, w)``: the same arithmetic done by BLAS at full
speed, with only the running best and second-best kept per question. The score blocks are
small enough (2 MB) to be masked and reduced while still in the L2 cache, so memory stays
bounded, and blocks of questions run on one thread per core (BLAS single-threaded meanwhile:
numpy releases the GIL in products and reductions). Where the best two scores are within float32 rounding of each other, the
question is re-scored in float64 on its finalists, so a near-tie is decided by the true
objective and not by the order of a summation.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from seqtui_models.core.errors import DataFileError, InvalidInput
from seqtui_models.core.paths import data_file
from seqtui_models.core.word_vectors import Cancelled, CountedProgress, WordVectors

BenchMethod = Literal["add", "mul"]
GENSIM_RESTRICT_VOCAB = 300_000  # gensim's default for evaluate_word_analogies
QUESTIONS_FILE = "questions-words.txt"
QUESTION_BLOCK = 256  # questions per product (3CosMul: half), times …
WORD_BLOCK = 2048  # … words per product: a 2 MB score block that stays in a core's L2 cache
NEAR_TIE = 1e-5  # relative gap under which float32 rounding could swap the best two words
FINALISTS = 64  # words re-scored in float64 for a near-tie or a case-variant question
COSMUL_EPSILON = 1e-6


@dataclass(frozen=True)
class SectionScore:
    """One section's result, e.g. ``capital-common-countries``: correct out of total."""

    name: str
    correct: int
    total: int

    @property
    def accuracy(self) -> float:
        """correct / total (0.0 for an empty section, as gensim reports)."""
        return self.correct / self.total if self.total else 0.0


@dataclass(frozen=True)
class BenchmarkProgress(CountedProgress):
    """How far the benchmark has got: ``done`` questions scored out of the ``total`` in the vocabulary.

    Attributes:
        elapsed: Seconds since the run started, reading the file included.
    """

    elapsed: float


@dataclass(frozen=True)
class AnalogyReport:
    """The benchmark's result.

    Attributes:
        sections: Per-section scores, in file order.
        method: ``"add"`` (3CosAdd) or ``"mul"`` (3CosMul).
        restrict_vocab: Words searched (and known), after clipping to the vocabulary.
        case_insensitive: Whether words were compared upper-cased.
        questions: Well-formed questions in the file.
        skipped: Questions left out because a word is outside the restricted vocabulary.
        seconds: Wall time, reading the file included.
        source: The vectors' name and the question file's name.
    """

    sections: tuple[SectionScore, ...]
    method: str
    restrict_vocab: int
    case_insensitive: bool
    questions: int
    skipped: int
    seconds: float
    source: str = ""
    near_ties: int = field(default=0, compare=False)

    @property
    def correct(self) -> int:
        """Correct answers over all sections (gensim's "Total accuracy" section)."""
        return sum(s.correct for s in self.sections)

    @property
    def total(self) -> int:
        """Questions scored over all sections."""
        return sum(s.total for s in self.sections)

    @property
    def accuracy(self) -> float:
        """correct / total: gensim's score."""
        return self.correct / self.total if self.total else 0.0

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``seqtui vectors benchmark --json``."""
        sections: dict[str, dict[str, Any]] = {}
        for s in self.sections:
            merged = sections.setdefault(s.name, {"correct": 0, "total": 0})
            merged["correct"] += s.correct
            merged["total"] += s.total
        for merged in sections.values():
            merged["accuracy"] = merged["correct"] / merged["total"] if merged["total"] else 0.0
        return {
            "accuracy": self.accuracy, "correct": self.correct, "total": self.total, "sections": sections,
            "seconds": self.seconds, "method": self.method, "restrict_vocab": self.restrict_vocab,
            "case_insensitive": self.case_insensitive, "questions": self.questions, "skipped": self.skipped,
        }


def read_questions(path: str | Path | None = None) -> list[tuple[str, list[tuple[str, str, str, str]]]]:
    """Read an analogy file: ``: section`` headers, then ``a b c d`` lines (gensim's rules).

    Lines that are not four words are skipped, as gensim does; a question before the first
    header is an error. ``None`` reads the bundled ``questions-words.txt``.
    """
    path = data_file(QUESTIONS_FILE) if path is None else Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataFileError(f"No such file: {path} — pass an analogy file (': section' lines, then 'a b c d').") from None
    except OSError as exc:
        raise DataFileError(f"Could not read {path}: {exc.strerror or exc}.") from exc
    sections: list[tuple[str, list[tuple[str, str, str, str]]]] = []
    lines = raw.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()  # the text after the last newline is not a line
    for line_no, data in enumerate(lines, start=1):
        try:
            line = data.decode("utf-8")
        except UnicodeDecodeError:
            raise DataFileError(f"{path.name}, line {line_no}: not UTF-8 text — pass an analogy text file.") from None
        if line.startswith(": "):
            sections.append((line.lstrip(": ").strip(), []))
            continue
        if not sections:
            raise DataFileError(
                f"{path.name}, line {line_no}: a question before any ': section' header — "
                "is this an analogy file like questions-words.txt?"
            )
        words = line.split()
        if len(words) == 4:
            sections[-1][1].append((words[0], words[1], words[2], words[3]))
    if not sections:
        raise DataFileError(f"{path.name} has no ': section' header — is it an analogy file like questions-words.txt?")
    return sections


def evaluate_analogies(
    wv: WordVectors,
    path: str | Path | None = None,
    *,
    restrict_vocab: int | None = GENSIM_RESTRICT_VOCAB,
    method: BenchMethod = "add",
    case_insensitive: bool = True,
    on_progress: Callable[[BenchmarkProgress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> AnalogyReport:
    """Score ``wv`` on an analogy file with gensim's rules (see the module docstring).

    Args:
        wv: The vectors.
        path: The analogy file; None for the bundled ``questions-words.txt``.
        restrict_vocab: Search and know only the first this-many words (None or 0: all).
        method: ``"add"`` (3CosAdd, what gensim's ``evaluate_word_analogies`` uses) or
            ``"mul"`` (3CosMul: the same loop with gensim's ``most_similar_cosmul``).
        case_insensitive: Compare words upper-cased (gensim's default).
        on_progress: Called after each block of questions.
        should_stop: Polled between matrix products; True raises :class:`Cancelled`.
    """
    if method not in ("add", "mul"):
        raise InvalidInput(f"Unknown benchmark method {method!r}: choose add or mul.")
    if restrict_vocab is not None and restrict_vocab < 0:
        raise InvalidInput(f"restrict_vocab must be positive, or 0 for the whole vocabulary (got {restrict_vocab}).")
    start = time.perf_counter()
    sections = read_questions(path)
    clip = wv.clip(restrict_vocab)
    key: Callable[[str], str] = str.upper if case_insensitive else str
    # gensim's ok_vocab: each (upper-cased) word → the row of its first spelling among `clip`
    ok_vocab: dict[str, int] = {}
    for i in range(clip - 1, -1, -1):
        ok_vocab[key(wv.words[i])] = i
    canonical = None  # row → row of its first spelling; None when every word is its own
    if len(ok_vocab) != clip:
        canonical = np.fromiter((ok_vocab[key(w)] for w in wv.words[:clip]), dtype=np.int64, count=clip)
    quads: list[list[int]] = []
    section_of: list[int] = []
    questions = skipped = 0
    for s, (_, items) in enumerate(sections):
        for item in items:
            questions += 1
            rows = [ok_vocab.get(key(w)) for w in item]
            if None in rows:
                skipped += 1
                continue
            quads.append(rows)  # type: ignore[arg-type]
            section_of.append(s)
    quad = np.array(quads, dtype=np.int64).reshape(-1, 4)  # (m, 4): rows of a, b, c, expected
    predicted, near_ties = _predict(wv, quad, clip, method, canonical, on_progress, should_stop, start)
    hits = predicted == quad[:, 3]  # (m,)
    correct = np.bincount(np.array(section_of, dtype=np.int64), weights=hits, minlength=len(sections))
    totals = np.bincount(np.array(section_of, dtype=np.int64), minlength=len(sections))
    scores = tuple(SectionScore(name, int(correct[s]), int(totals[s])) for s, (name, _) in enumerate(sections))
    name = Path(path).name if path is not None else QUESTIONS_FILE
    return AnalogyReport(
        scores, method, clip, case_insensitive, questions, skipped, time.perf_counter() - start,
        f"{wv.source} on {name}", near_ties,
    )


def _scores(method: str, a: np.ndarray, b: np.ndarray, c: np.ndarray, block: np.ndarray) -> np.ndarray:
    """Scores of every word of ``block`` ``(w, n)`` for questions with unit inputs ``(q, n)``.

    3CosAdd: (u_b − u_a + u_c)·u_w (a cosine times ‖u_b − u_a + u_c‖, the same order).
    3CosMul: cos'(w, b) cos'(w, c) / (cos'(w, a) + 1e-6), with cos' = (1 + cos) / 2.
    """
    if method == "add":
        return (b - a + c) @ block.T  # (q, w)
    q = len(a)
    cosines = np.concatenate([a, b, c]) @ block.T  # (3q, w): one product for the three inputs
    # ((1+cb)/2)((1+cc)/2) / ((1+ca)/2 + ε) = (1+cb)(1+cc) / (2 + 2ca + 4ε): six passes, not nine
    numerator = cosines[q : 2 * q]
    numerator += 1.0
    other = cosines[2 * q :]
    other += 1.0
    numerator *= other
    denominator = cosines[:q]
    denominator *= 2.0
    denominator += 2.0 + 4 * COSMUL_EPSILON
    numerator /= denominator
    return numerator


def _best_two(
    method: str,
    a: np.ndarray,
    b: np.ndarray,
    c: np.ndarray,
    inputs: np.ndarray,
    unit: np.ndarray,
    clip: int,
    should_stop: Callable[[], bool] | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For one block of questions: the best row, its score and the second-best score.

    The words are visited in blocks of ``WORD_BLOCK`` so that each ``(q, w)`` score block
    stays in the core's L2 cache while it is masked and reduced.
    """
    rows = np.arange(len(a))
    b1 = np.full(len(a), -np.inf, dtype=np.float32)  # running best score
    i1 = np.zeros(len(a), dtype=np.int64)  # and its row
    b2 = np.full(len(a), -np.inf, dtype=np.float32)  # running second-best score
    for v in range(0, clip, WORD_BLOCK):
        if should_stop is not None and should_stop():
            raise Cancelled("Benchmark stopped — run it again to get the accuracy.")
        w = min(v + WORD_BLOCK, clip)
        scores = _scores(method, a, b, c, unit[v:w])  # (q, w)
        for k in range(3):  # the inputs are never answers
            local = inputs[:, k] - v
            inside = (local >= 0) & (local < w - v)
            scores[rows[inside], local[inside]] = -np.inf
        top = scores.argmax(axis=1)  # (q,)
        s1 = scores[rows, top]
        scores[rows, top] = -np.inf
        s2 = scores.max(axis=1)
        # merge two top-2 lists: the new second is the loser of the two bests or a second
        b2 = np.maximum(np.maximum(np.minimum(b1, s1), b2), s2)
        better = s1 > b1
        i1[better] = top[better] + v
        b1 = np.maximum(b1, s1)
    return i1, b1, b2


def _predict(
    wv: WordVectors,
    quad: np.ndarray,
    clip: int,
    method: str,
    canonical: np.ndarray | None,
    on_progress: Callable[[BenchmarkProgress], None] | None,
    should_stop: Callable[[], bool] | None,
    start: float,
) -> tuple[np.ndarray, int]:
    """The row gensim would predict for each question (in canonical rows), and the near-ties.

    Blocks of questions are shared out to one thread per core, each with single-threaded
    BLAS (numpy releases the GIL in matrix products and reductions): small cache-sized
    products in parallel beat one multi-threaded BLAS working on large ones.
    """
    m = len(quad)
    unit = wv.unit  # (V, n), C order
    a_all, b_all, c_all = (unit[quad[:, k]] for k in range(3))  # (m, n) each
    q_block = QUESTION_BLOCK if method == "add" else QUESTION_BLOCK // 2
    starts = list(range(0, m, q_block))
    best = np.empty(m, dtype=np.int64)
    first = np.empty(m, dtype=np.float32)
    second = np.empty(m, dtype=np.float32)

    def block(s: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        e = min(s + q_block, m)
        return _best_two(method, a_all[s:e], b_all[s:e], c_all[s:e], quad[s:e, :3], unit, clip, should_stop)

    workers = min(_cores(), len(starts)) if starts else 1
    with single_threaded_blas(workers > 1) as parallel:
        if not parallel:
            workers = 1
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="seqtui-analogies") as pool:
            futures = [pool.submit(block, s) for s in starts]
            try:
                for s, future in zip(starts, futures):
                    e = min(s + q_block, m)
                    best[s:e], first[s:e], second[s:e] = future.result()
                    if on_progress is not None:
                        on_progress(BenchmarkProgress(e, m, time.perf_counter() - start))
            finally:
                for future in futures:
                    future.cancel()
    predicted = best if canonical is None else canonical[best]
    # questions whose winner needs a closer look: a near-tie, or another spelling of an input
    suspect = (first - second) <= NEAR_TIE * np.maximum(1.0, np.abs(first))
    if canonical is not None:
        suspect |= (predicted[:, None] == quad[:, :3]).any(axis=1)
    for j in np.flatnonzero(suspect):
        predicted[j] = _exact_pick(wv, quad[j], clip, method, canonical)
    return predicted, int(suspect.sum())


def _cores() -> int:
    """CPU cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


_blas_lock = threading.Lock()


@contextmanager
def single_threaded_blas(wanted: bool = True) -> Iterator[bool]:
    """Limit numpy's BLAS to one thread inside the block (threadpoolctl); yields whether it did.

    The benchmark runs its blocks on several threads, each one BLAS call: letting OpenBLAS
    start threads of its own on top would oversubscribe the cores. The previous setting is
    restored on exit; one benchmark at a time holds it.
    """
    if not wanted:
        yield False
        return
    from threadpoolctl import threadpool_limits

    with _blas_lock, threadpool_limits(limits=1, user_api="blas") as limits:
        yield bool(limits.get_original_num_threads().get("blas"))


def _exact_pick(wv: WordVectors, quad: np.ndarray, clip: int, method: str, canonical: np.ndarray | None) -> int:
    """gensim's pick for one question, its finalists re-scored in float64.

    gensim takes the 5 best words other than the inputs, then the first whose spelling is
    not an input's; if all five are, the fifth stands (and is wrong).
    """
    ia, ib, ic = (int(x) for x in quad[:3])
    unit = wv.unit
    row = _scores(method, unit[[ia]], unit[[ib]], unit[[ic]], unit[:clip])[0].astype(np.float64)  # (clip,)
    row[[ia, ib, ic]] = -np.inf
    keep = min(FINALISTS, clip)
    finalists = np.argpartition(-row, keep - 1)[:keep] if keep < clip else np.arange(clip)
    e = np.asarray(wv.vectors[np.concatenate([[ia, ib, ic], finalists])], dtype=np.float64)
    u = e / np.linalg.norm(e, axis=1, keepdims=True)  # (3 + k, n) unit vectors, float64
    ua, ub, uc, candidates = u[0], u[1], u[2], u[3:]
    if method == "add":
        exact = candidates @ (ub - ua + uc)
    else:
        shifted = [(1 + candidates @ x) / 2 for x in (ua, ub, uc)]
        exact = shifted[1] * shifted[2] / (shifted[0] + COSMUL_EPSILON)
    exact[row[finalists] == -np.inf] = -np.inf
    order = finalists[np.lexsort((finalists, -exact))]  # best first; a true tie goes to the lower row
    inputs = {ia, ib, ic}
    top5 = [int(i) if canonical is None else int(canonical[i]) for i in order[:5]]
    for candidate in top5:
        if candidate not in inputs:
            return candidate
    return top5[-1]
