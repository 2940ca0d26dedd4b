"""Emojify: the course's V1 loop against the vectorised trainer, and both models' test accuracy.

    python tests/benchmarks/emojify.py              # a table
    python tests/benchmarks/emojify.py --json       # one JSON object
    python tests/benchmarks/emojify.py --epochs 100 # a shorter course run

1. Speed, V1. Both train the same softmax regression on the same averaged GloVe vectors of the
   bundled training sentences, in this process, one after the other:

   course  the assignment's ``model(X, Y, word_to_vec_map, learning_rate=0.01,
           num_iterations=400)``: one sentence per SGD step, ``sentence_to_avg`` recomputed for
           every sentence of every epoch, ``word_to_vec_map`` a dict as in the course
   fast    ``averages`` once, then full-batch Adam (lr 0.05) on the (m, n) matrix of averages,
           stopped as soon as its training accuracy reaches the course's final training accuracy

   Reported: the course's time for its 400 epochs, and the time at which it *first* reached
   that final accuracy (its per-epoch accuracy check is timed separately and left out); the
   fast path's time to the same accuracy (averaging included); the ratios.

2. Accuracy. Every model is scored on data/emojify_test.csv (written separately from the
   training sentences, never used for choosing anything): the course-trained V1, the fast V1
   stopped at the course's accuracy, the fast preset run to its 300 epochs, and the bundled V1 and V2 (data/emojify_v1.npz, data/emojify_v2.keras). ``--no-v2`` skips
   TensorFlow.

BLAS runs on one thread (as in the app's spawned training runs). The load average is printed.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # before numpy is imported

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run from a checkout

from seqtui_models import emojify  # noqa: E402
from seqtui_models.emojify import V1Model, averages, course_model, fit_fast, tokenize  # noqa: E402


def accuracy_of(W: np.ndarray, b: np.ndarray, A: np.ndarray, Y: np.ndarray) -> float:
    """Share of rows whose argmax(W·avg + b) is the label."""
    return float(np.mean((A @ W.T + b).argmax(axis=1) == Y))


def run_course(epochs: int, sentences: list[str], Y: np.ndarray, A: np.ndarray, word_to_vec_map: dict[str, np.ndarray]) -> dict[str, Any]:
    """The assignment's loop; the accuracy after each epoch is measured but its time is left out."""
    history: list[tuple[int, float, float]] = []  # (epoch, seconds of training so far, accuracy)
    check_seconds = 0.0
    start = time.perf_counter()

    def on_epoch(epoch: int, cost: float, W: np.ndarray, b: np.ndarray) -> bool:
        nonlocal check_seconds
        began = time.perf_counter()
        acc = accuracy_of(W, b, A, Y)
        history.append((epoch, began - start - check_seconds, acc))
        check_seconds += time.perf_counter() - began
        return False

    _, W, b = course_model(sentences, Y, word_to_vec_map, 0.01, epochs, num_classes=5, seed=1, on_epoch=on_epoch)
    total = time.perf_counter() - start - check_seconds
    final = history[-1][2]
    first = next(h for h in history if h[2] >= final)
    return {"W": W, "b": b, "seconds": total, "epochs": epochs, "train_accuracy": final,
            "first_epoch_at_final": first[0], "seconds_to_final": first[1]}


def run_fast(target: float, sentences: list[str], Y: np.ndarray, wv: Any, max_epochs: int = 20_000) -> dict[str, Any]:
    """Averages once, then full-batch Adam until the training accuracy reaches ``target``."""
    reached: list[int] = []
    start = time.perf_counter()
    A = averages(sentences, wv).A  # (m, n)

    def on_epoch(epoch: int, loss: float, W: np.ndarray, b: np.ndarray) -> bool:
        if accuracy_of(W, b, A, Y) >= target:
            reached.append(epoch)
            return True
        return False

    W, b = fit_fast(A, Y, 5, epochs=max_epochs, lr=0.05, seed=1, on_epoch=on_epoch)
    seconds = time.perf_counter() - start
    return {"W": W, "b": b, "seconds": seconds, "epochs": reached[0] if reached else max_epochs,
            "reached": bool(reached), "train_accuracy": accuracy_of(W, b, A, Y)}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=400, help="epochs of the course loop (default 400, the assignment's)")
    parser.add_argument("--no-v2", action="store_true", help="do not load TensorFlow (skip the bundled V2)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    train, test = emojify.load_train(), emojify.load_test()
    wv = emojify.word_vectors(None)
    sentences = list(train.sentences)
    Y = train.labels
    # The course's word_to_vec_map is a dict word → vector; the words the sentences use are enough.
    word_to_vec_map = {w: np.asarray(wv.vector(w), dtype=np.float64) for s in sentences for w in tokenize(s) if w in wv}
    A = averages(sentences, wv).A
    load_before = os.getloadavg()

    course = run_course(args.epochs, sentences, Y, A, word_to_vec_map)
    fast = run_fast(course["train_accuracy"], sentences, Y, wv)
    preset = emojify.preset_config("v1", "fast")
    began = time.perf_counter()
    W_full, b_full = fit_fast(averages(sentences, wv).A, Y, 5, epochs=preset.epochs, lr=preset.lr, seed=1)
    full = {"epochs": preset.epochs, "seconds": time.perf_counter() - began, "train_accuracy": accuracy_of(W_full, b_full, A, Y)}
    load_after = os.getloadavg()

    def test_accuracy(W: np.ndarray, b: np.ndarray) -> float:
        return emojify.evaluate(V1Model(W, b, emojify.COURSE_LABELS, wv), test).accuracy

    bundled: dict[str, Any] = {"v1": emojify.evaluate(emojify.load_model("v1", wv), test).accuracy}
    if not args.no_v2:
        v2 = emojify.load_model("v2", wv)
        bundled["v2"] = emojify.evaluate(v2, test).accuracy
        bundled["v2_members"] = v2.metrics.get("members")
    report = {
        "train_sentences": len(train),
        "test_sentences": len(test),
        "course": {k: v for k, v in course.items() if k not in ("W", "b")} | {"test_accuracy": test_accuracy(course["W"], course["b"])},
        "fast": {k: v for k, v in fast.items() if k not in ("W", "b")} | {"test_accuracy": test_accuracy(fast["W"], fast["b"])},
        "fast_full_preset": full | {"test_accuracy": test_accuracy(W_full, b_full)},
        "speedup_vs_400_epochs": course["seconds"] / fast["seconds"],
        "speedup_vs_first_reach": course["seconds_to_final"] / fast["seconds"],
        "bundled_test_accuracy": bundled,
        "goal_90": {k: v >= 0.9 for k, v in bundled.items() if k in ("v1", "v2")},
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "blas_threads": 1,
                    "load_before": load_before, "load_after": load_after},
    }
    if args.json:
        print(json.dumps(report))
        return 0
    print(f"Emojify V1: the course's loop vs the vectorised trainer, {len(train)} training sentences, 1 BLAS thread")
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} ({os.cpu_count()} CPUs)\n")
    c, f = report["course"], report["fast"]
    print(f"course  per-sentence SGD, lr 0.01: {c['epochs']} epochs in {c['seconds']:.2f} s, training accuracy "
          f"{c['train_accuracy']:.4f} (first reached at epoch {c['first_epoch_at_final']}, {c['seconds_to_final']:.2f} s)")
    print(f"fast    full-batch Adam, lr 0.05: reached {f['train_accuracy']:.4f} after {f['epochs']} epochs in "
          f"{f['seconds']:.3f} s (averaging included)" + ("" if f["reached"] else " — did NOT reach the target"))
    print(f"speed-up: {report['speedup_vs_400_epochs']:.0f}x against its {c['epochs']} epochs, "
          f"{report['speedup_vs_first_reach']:.0f}x against the course's first time at that accuracy\n")
    print(f"test accuracy on {len(test)} sentences of data/emojify_test.csv:")
    print(f"  V1 trained by the course loop   {c['test_accuracy']:.1%}")
    print(f"  V1 trained by the fast path     {f['test_accuracy']:.1%}  (stopped at the course's training accuracy)")
    g = report["fast_full_preset"]
    print(f"  V1 fast preset, {g['epochs']} epochs     {g['test_accuracy']:.1%}  ({g['seconds']:.2f} s, training accuracy "
          f"{g['train_accuracy']:.4f})")
    print(f"  V1 bundled (data/emojify_v1.npz)   {bundled['v1']:.1%}   goal ≥ 90%: {'met' if bundled['v1'] >= 0.9 else 'NOT met'}")
    if "v2" in bundled:
        print(f"  V2 bundled (data/emojify_v2.keras) {bundled['v2']:.1%}   goal ≥ 90%: {'met' if bundled['v2'] >= 0.9 else 'NOT met'}"
              f"  (average of {bundled['v2_members']} networks)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
