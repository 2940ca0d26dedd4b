"""The analogy benchmark against gensim's evaluate_word_analogies, and the default vectors' load time.

    python tests/benchmarks/vectors.py                    # a table (the full run takes minutes: gensim)
    python tests/benchmarks/vectors.py --json             # one JSON object
    python tests/benchmarks/vectors.py --restrict 30000   # only the 30k-word comparison

Both score GloVe 6B 50d (the same float32 vectors, gensim gets a C-ordered copy) on the bundled
questions-words.txt with 3CosAdd, case-insensitive, at each ``restrict_vocab`` (the full
vocabulary is 400,000 words). Both are warmed up (gensim's norms and our unit matrix are
computed before timing), then each runs once, ours first; the accuracies must be equal.

Load time: ``load_default()`` in a fresh interpreter (numpy import excluded, median of 3),
then the first unit-normalised matrix.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run from a checkout

from seqtui_models.core.paths import data_file  # noqa: E402
from seqtui_models.vectors import MAP_DEFAULT_SIZE, map_query  # noqa: E402
from seqtui_models.vectors.bench import evaluate_analogies  # noqa: E402
from seqtui_models.core.word_vectors import load_default  # noqa: E402

LOAD_SNIPPET = (
    "import time, numpy\n"
    "start = time.perf_counter()\n"
    "from seqtui_models.core.word_vectors import load_default\n"
    "wv = load_default()\n"
    "loaded = time.perf_counter()\n"
    "wv.unit\n"
    "print(loaded - start, time.perf_counter() - loaded)\n"
)


def load_times(repeats: int = 3) -> tuple[float, float]:
    """Median seconds of (load_default in a fresh process, the first unit matrix)."""
    runs = []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", LOAD_SNIPPET], cwd=ROOT, check=True, capture_output=True, text=True)
        load, unit = (float(x) for x in out.stdout.split())
        runs.append((load, unit))
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


MAP_WORDS = ("king", "paris", "computer", "river", "happy", "guitar", "doctor", "january", "blue", "football")


def map_times(wv: Any, kv: Any) -> dict[str, float]:
    """Median time to map a word's neighbourhood (the projection view's query) against gensim's
    most_similar for the same neighbours (gensim has no projection; the search is the shared part)."""
    ours, theirs = [], []
    for word in MAP_WORDS * 3:
        start = time.perf_counter()
        map_query(wv, word, MAP_DEFAULT_SIZE)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        kv.most_similar(word, topn=MAP_DEFAULT_SIZE - 1)
        theirs.append(time.perf_counter() - start)
    ours_ms, gensim_ms = 1000 * float(np.median(ours)), 1000 * float(np.median(theirs))
    return {"ours_ms": ours_ms, "gensim_ms": gensim_ms, "ratio": ours_ms / gensim_ms}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--restrict", type=int, action="append",
                        help="restrict_vocab sizes to compare (repeatable; default 30000 and 400000)")
    args = parser.parse_args(argv)
    sizes = args.restrict or [30_000, 400_000]

    from gensim import __version__ as gensim_version
    from gensim.models import KeyedVectors

    load_before = os.getloadavg()
    load_seconds, unit_seconds = load_times()
    wv = load_default()
    wv.unit  # noqa: B018 - warm: computed once, before timing
    kv = KeyedVectors(wv.dim)
    kv.add_vectors(wv.words, np.ascontiguousarray(wv.vectors))
    kv.fill_norms()
    questions = str(data_file("questions-words.txt"))

    rows: list[dict[str, Any]] = []
    for size in sizes:
        start = time.perf_counter()
        ours = evaluate_analogies(wv, restrict_vocab=size, method="add")
        ours_seconds = time.perf_counter() - start
        start = time.perf_counter()
        score, sections = kv.evaluate_word_analogies(questions, restrict_vocab=size)
        gensim_seconds = time.perf_counter() - start
        total = sections[-1]
        rows.append({
            "restrict_vocab": size,
            "questions_scored": ours.total,
            "ours_accuracy": ours.accuracy,
            "gensim_accuracy": score,
            "ours_correct": ours.correct,
            "gensim_correct": len(total["correct"]),
            "equal": ours.accuracy == score and ours.correct == len(total["correct"]),
            "ours_seconds": ours_seconds,
            "gensim_seconds": gensim_seconds,
            "speedup": gensim_seconds / ours_seconds,
            "near_ties_rescored": ours.near_ties,
        })
    start = time.perf_counter()
    mul = evaluate_analogies(wv, restrict_vocab=max(sizes), method="mul")
    mul_seconds = time.perf_counter() - start
    projection = map_times(wv, kv)
    load_after = os.getloadavg()

    info = {
        "cpu_count": os.cpu_count(),
        "loadavg_before_after": [load_before, load_after],
        "python": platform.python_version(),
        "numpy": np.__version__,
        "gensim": gensim_version,
    }
    if args.json:
        print(json.dumps({
            "vectors": wv.source, "load_default_seconds": load_seconds, "unit_matrix_seconds": unit_seconds,
            "comparisons": rows,
            "ours_3cosmul": {"restrict_vocab": max(sizes), "accuracy": mul.accuracy, "seconds": mul_seconds},
            "projection": projection,
            **info,
        }))
        return 0

    print(f"{wv.source}: load_default() {load_seconds:.2f} s in a fresh process, unit matrix {unit_seconds:.2f} s")
    print("questions-words.txt, 3CosAdd, case-insensitive")
    header = f"{'restrict':>9} {'scored':>7} {'ours acc':>9} {'gensim acc':>11} {'equal':>6} {'ours s':>8} {'gensim s':>9} {'speedup':>8}"
    print(header)
    for r in rows:
        print(f"{r['restrict_vocab']:>9,} {r['questions_scored']:>7,} {r['ours_accuracy']:>9.4%} {r['gensim_accuracy']:>11.4%} "
              f"{'yes' if r['equal'] else 'NO':>6} {r['ours_seconds']:>8.2f} {r['gensim_seconds']:>9.2f} {r['speedup']:>7.1f}x")
    print(f"ours, 3CosMul at {max(sizes):,}: accuracy {mul.accuracy:.4%} in {mul_seconds:.2f} s (gensim has no 3CosMul evaluation)")
    print(f"projection of a word's neighbourhood ({MAP_DEFAULT_SIZE} of {len(wv):,} words), median of "
          f"{len(MAP_WORDS)} words: ours {projection['ours_ms']:.1f} ms (search and PCA), gensim's most_similar alone "
          f"{projection['gensim_ms']:.1f} ms ({projection['ratio']:.2f}x)")
    print(f"{os.cpu_count()} CPUs; load average {load_before[0]:.2f} before, {load_after[0]:.2f} after; "
          f"python {info['python']}, numpy {info['numpy']}, gensim {info['gensim']}")
    return 0 if all(r["equal"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
