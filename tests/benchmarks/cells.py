"""Time one LSTM forward + backward pass several ways, in one process, and print the figures.

    python tests/benchmarks/cells.py            # a table
    python tests/benchmarks/cells.py --json     # one JSON object

Shape: n_x=64, n_a=128, m=64, T_x=50, float32. Our lstm_forward also computes ŷ (the course's
API returns it); Keras' LSTM layer does not, so n_y is the course's 2 to keep that extra small.

  ours                 seqtui_models.cells.lstm_forward + lstm_backward, given a random da
  ours, 1 BLAS thread  the same with OpenBLAS limited to one thread for the call (context: the
                       per-step matmuls are small, and a busy machine makes threads wait)
  course batched       the course's cell functions looped over t on the whole batch (context)
  per-example          the course's cell functions one example at a time (m=1); a few examples
                       are timed and the time is scaled to m
  keras eager          keras.layers.LSTM forward + backward under tf.GradientTape
  keras compiled       the same inside tf.function

Keras gets the same upstream gradient (output_gradients) and differentiates w.r.t. the inputs,
the initial state and the weights, as ours does. Every contender is warmed up; then they run in
turns (so background load hits all of them alike) and the median wall time is kept.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run from a checkout

from seqtui_models.cells import (  # noqa: E402
    init_lstm_parameters,
    lstm_backward,
    lstm_cell_backward,
    lstm_cell_forward,
    lstm_forward,
)

N_X, N_A, M, T_X, N_Y = 64, 128, 64, 50, 2
PER_EXAMPLE_SAMPLE = 4  # examples the per-example loop really runs; its time is scaled to M


@dataclass
class Contender:
    """One way of doing the forward + backward pass."""

    name: str
    run: Callable[[], object]
    note: str
    repeats: int
    scale: float = 1.0  # multiplies the measured time (the per-example sample → all of m)


def course_forward_backward(
    x: np.ndarray, a0: np.ndarray, da: np.ndarray, parameters: dict[str, np.ndarray]
) -> dict[str, Any]:
    """The course's lstm_forward and lstm_backward: loops of lstm_cell_forward / _backward."""
    n_a, m = a0.shape
    a_next, c_next = a0, np.zeros_like(a0)
    caches = []
    for t in range(x.shape[2]):
        a_next, c_next, _, cache = lstm_cell_forward(x[:, :, t], a_next, c_next, parameters)
        caches.append(cache)
    grads: dict[str, Any] = {"dx": np.zeros_like(x)}
    da_prevt, dc_prevt = np.zeros((n_a, m), x.dtype), np.zeros((n_a, m), x.dtype)
    for t in reversed(range(x.shape[2])):
        step = lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, caches[t])
        da_prevt, dc_prevt = step["da_prev"], step["dc_prev"]
        grads["dx"][:, :, t] = step["dxt"]
        for name in ("dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo"):
            grads[name] = grads.get(name, 0) + step[name]
    grads["da0"] = da_prevt
    return grads


def blas_threads() -> int | None:
    """How many threads numpy's BLAS uses (threadpoolctl), or ``None`` if it reports no BLAS."""
    from threadpoolctl import threadpool_info

    counts = [pool["num_threads"] for pool in threadpool_info() if pool.get("user_api") == "blas"]
    return max(counts) if counts else None


def blas_info() -> dict[str, Any]:
    """numpy's BLAS as built, and as loaded (threadpoolctl)."""
    from threadpoolctl import threadpool_info

    info: dict[str, Any] = {
        var: os.environ.get(var)
        for var in ("OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")
    }
    config: Any = np.show_config(mode="dicts")
    blas = config.get("Build Dependencies", {}).get("blas", {})
    info["numpy_blas"] = f"{blas.get('name')} {blas.get('version')}"
    info["runtime"] = threadpool_info()
    return info


def time_round_robin(contenders: list[Contender], warmup: int) -> dict[str, list[float]]:
    """Warm every contender up, then time them in turns; seconds per call (before scaling)."""
    for contender in contenders:
        for _ in range(warmup):
            contender.run()
    times: dict[str, list[float]] = {c.name: [] for c in contenders}
    for round_ in range(max(c.repeats for c in contenders)):
        for contender in contenders:
            if round_ < contender.repeats:
                start = time.perf_counter()
                contender.run()
                times[contender.name].append(time.perf_counter() - start)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--repeats", type=int, default=21, help="timed runs of the fast contenders")
    parser.add_argument("--no-keras", action="store_true", help="skip TensorFlow/Keras")
    args = parser.parse_args(argv)

    rng = np.random.default_rng(0)
    parameters = init_lstm_parameters(N_X, N_A, N_Y, rng, dtype=np.float32)
    x = rng.standard_normal((N_X, M, T_X), dtype=np.float32)  # (n_x, m, T_x)
    a0 = rng.standard_normal((N_A, M), dtype=np.float32)  # (n_a, m)
    da = rng.standard_normal((N_A, M, T_X), dtype=np.float32)  # (n_a, m, T_x)
    threads = blas_threads()
    load_before = os.getloadavg()

    def ours() -> object:
        caches = lstm_forward(x, a0, parameters)[3]
        return lstm_backward(da, caches)

    def per_example_sample() -> object:
        return [
            course_forward_backward(x[:, j : j + 1], a0[:, j : j + 1], da[:, j : j + 1], parameters)
            for j in range(PER_EXAMPLE_SAMPLE)
        ]

    slow = max(3, args.repeats // 4)
    contenders = [
        Contender("ours", ours, "lstm_forward + lstm_backward", args.repeats),
        Contender(
            "course batched",
            lambda: course_forward_backward(x, a0, da, parameters),
            "course's cell functions looped over t, m=64 at once",
            args.repeats,
        ),
        Contender(
            "per-example",
            per_example_sample,
            f"course's cells, m=1: {PER_EXAMPLE_SAMPLE} examples timed, x{M // PER_EXAMPLE_SAMPLE}",
            slow,
            scale=M / PER_EXAMPLE_SAMPLE,
        ),
    ]
    if threads is not None:
        from threadpoolctl import threadpool_limits

        def ours_one_thread() -> object:
            with threadpool_limits(limits=1, user_api="blas"):
                return ours()

        contenders.insert(
            1,
            Contender(
                "ours, 1 BLAS thread",
                ours_one_thread,
                f"the same, OpenBLAS at 1 thread (default {threads})",
                args.repeats,
            ),
        )

    keras_version = tf_version = None
    if not args.no_keras:
        os.environ.setdefault("KERAS_BACKEND", "tensorflow")
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        import keras
        import tensorflow as tf

        keras_version, tf_version = keras.__version__, tf.__version__
        layer = keras.layers.LSTM(N_A, return_sequences=True)
        x_k = tf.constant(x.transpose(1, 2, 0))  # (m, T_x, n_x)
        h0 = tf.constant(a0.T)  # (m, n_a)
        c0 = tf.zeros((M, N_A))  # (m, n_a)
        r_k = tf.constant(da.transpose(1, 2, 0))  # (m, T_x, n_a)  the same upstream gradient
        layer(x_k, initial_state=[h0, c0])  # builds the weights

        def keras_step() -> list[Any]:
            with tf.GradientTape() as tape:
                tape.watch([x_k, h0])
                h = layer(x_k, initial_state=[h0, c0])
            return tape.gradient(h, [x_k, h0, *layer.trainable_weights], output_gradients=r_k)

        compiled = tf.function(keras_step)
        contenders += [
            Contender(
                "keras eager",
                lambda: [g.numpy() for g in keras_step()],
                "LSTM under GradientTape; grads of x, h0, weights",
                slow,
            ),
            Contender(
                "keras compiled",
                lambda: [g.numpy() for g in compiled()],
                "the same inside tf.function",
                args.repeats,
            ),
        ]

    times = time_round_robin(contenders, warmup=2)
    median = {c.name: statistics.median(times[c.name]) * c.scale for c in contenders}
    notes = {c.name: c.note for c in contenders}
    baseline = "keras compiled" if "keras compiled" in median else "course batched"
    blas = blas_info()
    load_after = os.getloadavg()
    if args.json:
        print(
            json.dumps(
                {
                    "shape": {"n_x": N_X, "n_a": N_A, "m": M, "T_x": T_X, "n_y": N_Y},
                    "dtype": "float32",
                    "median_seconds": median,
                    "runs": {name: len(ts) for name, ts in times.items()},
                    "ratio_to_ours": {name: s / median["ours"] for name, s in median.items()},
                    f"{baseline} / ours": median[baseline] / median["ours"],
                    "notes": notes,
                    "blas": blas,
                    "cpu_count": os.cpu_count(),
                    "loadavg_before_after": [load_before, load_after],
                    "python": platform.python_version(),
                    "numpy": np.__version__,
                    "tensorflow": tf_version,
                    "keras": keras_version,
                }
            )
        )
        return 0

    print(f"LSTM forward+backward, n_x={N_X} n_a={N_A} m={M} T_x={T_X} (n_y={N_Y}), float32")
    print(f"{'contender':<21}{'median s':>10}{'/ ours':>8}{'runs':>6}  note")
    for name, seconds in sorted(median.items(), key=lambda kv: kv[1]):
        ratio = seconds / median["ours"]
        print(f"{name:<21}{seconds:>10.4f}{ratio:>8.2f}{len(times[name]):>6}  {notes[name]}")
    print(f"{baseline} / ours = {median[baseline] / median['ours']:.2f}")
    pools = [p for p in blas["runtime"] if p.get("user_api") == "blas"]
    where = "".join(f", {p.get('internal_api')} core {p.get('architecture')}, {p.get('num_threads')} threads"
                    for p in pools[:1])
    print(
        f"numpy {np.__version__}: BLAS {blas['numpy_blas']}{where}; "
        f"OPENBLAS_CORETYPE={blas['OPENBLAS_CORETYPE']}, "
        f"OPENBLAS_NUM_THREADS={blas['OPENBLAS_NUM_THREADS']}"
    )
    print(
        f"{os.cpu_count()} CPUs; load average {load_before[0]:.2f} before, {load_after[0]:.2f} "
        "after (other processes slow every contender, and multi-threaded BLAS most)"
    )
    if tf_version:
        print(f"TensorFlow {tf_version}, Keras {keras_version}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
