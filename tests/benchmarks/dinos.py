"""Race the course's training loop against the fast path for the same wall-time budget.

    python tests/benchmarks/dinos.py                 # 20 s each, a table
    python tests/benchmarks/dinos.py --seconds 10    # a shorter race
    python tests/benchmarks/dinos.py --json          # one JSON object

Both contenders train on the bundled dinosaur names with the same fixed 90/10 split, in this
process, one after the other, each for at most ``--seconds`` of training time:

  course  ``preset_config("course")``: the assignment's loop, one name per step through the
          assignment's own ``optimize`` (tanh RNN, n_a = 50, SGD lr 0.01, clip to [−5, 5])
  fast    ``preset_config("fast")``: batches of names, padding + masking, Adam, the GRU cell,
          dropout, early stopping on the held-out loss (it may stop before the budget)

Both keep the checkpoint with the lowest held-out loss seen (evaluated every 1,000 names for
the course loop, every 20 batches for the fast path). Printed per contender: characters per
second of the training steps alone (end tokens count as characters; evaluation excluded, and
shown separately including it), and the held-out and training NLL (nats/char) of the kept model.

The race runs the contenders one after the other, so a change in background load between them
skews its chars/s ratio (it moved by a fifth between runs here). The speed figure that counts is
therefore measured in turns afterwards, as in tests/benchmarks/cells.py: each contender trains
for ``--turn`` seconds, then the other, ``--rounds`` times; the median chars/s of each is kept.

The goal: fast ≥ 20x the course loop's chars/s (in turns), and a lower held-out NLL (race).

BLAS runs on one thread for both (as in the app's spawned training runs): on this 2-core
machine two threads made these small matmuls 2.7x slower. Background load slows both; the
load average is printed before and after.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # before numpy is imported

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run from a checkout

from seqtui_models.dinos import load_names, preset_config, train  # noqa: E402
from seqtui_models.core.training import Control  # noqa: E402


def race(preset: str, seconds: float, seed: int, folder: Path) -> dict[str, Any]:
    """Train one contender for at most ``seconds`` and return its figures."""
    config = preset_config(
        preset, steps=100_000_000, max_seconds=seconds, seed=seed, preview=0,
        out=str(folder / f"{preset}.npz"),
    )
    result = train(config, control=Control())
    m = result.metrics
    return {
        "preset": preset,
        "cell": config.cell,
        "hidden": config.hidden,
        "optimizer": config.optimizer,
        "batch": config.batch,
        "seconds": result.seconds,
        "steps": result.steps,
        "best_step": m["best_step"],
        "stopped_early": m["stopped_early"],
        "chars": m["chars"],
        "chars_per_s": m["chars_per_s"],
        "chars_per_s_with_eval": m["chars"] / result.seconds if result.seconds else 0.0,
        "train_nll": m["train_nll"],
        "val_nll": m["val_nll"],
        "val_ppl": m["val_ppl"],
    }


def throughput(preset: str, seconds: float, folder: Path) -> float:
    """Characters per second of one short run's training steps (evaluation and set-up excluded)."""
    config = preset_config(preset, steps=100_000_000, max_seconds=seconds, eval_every=100_000_000, patience=0,
                           preview=0, out=str(folder / f"turn-{preset}.npz"))
    return float(train(config, control=Control()).metrics["chars_per_s"])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="training-time budget per contender (default 20)")
    parser.add_argument("--turn", type=float, default=0.5, help="seconds per turn of the throughput duel")
    parser.add_argument("--rounds", type=int, default=7, help="turns per contender (median kept)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    data = load_names()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        course = race("course", args.seconds, args.seed, Path(tmp))
        fast = race("fast", args.seconds, args.seed, Path(tmp))
        turns: dict[str, list[float]] = {"course": [], "fast": []}
        for _ in range(args.rounds):
            for preset in ("course", "fast"):
                turns[preset].append(throughput(preset, args.turn, Path(tmp)))
    load_after = os.getloadavg()
    in_turns = {preset: statistics.median(values) for preset, values in turns.items()}
    ratio = in_turns["fast"] / in_turns["course"]
    race_ratio = fast["chars_per_s"] / course["chars_per_s"]
    report = {
        "budget_seconds": args.seconds,
        "names": {"train": len(data.train), "val": len(data.val)},
        "course": course,
        "fast": fast,
        "chars_per_s_in_turns": in_turns,
        "chars_per_s_ratio": ratio,
        "race_chars_per_s_ratio": race_ratio,
        "goal_speed_20x": ratio >= 20,
        "goal_lower_val_nll": fast["val_nll"] < course["val_nll"],
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "blas_threads": 1,
                    "load_before": load_before, "load_after": load_after},
    }
    if args.json:
        print(json.dumps(report))
        return 0
    print(f"Dinosaur Island: course loop vs fast path, {args.seconds:g} s budget each, "
          f"{len(data.train)} training / {len(data.val)} held-out names, 1 BLAS thread")
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} ({os.cpu_count()} CPUs)\n")
    header = f"{'':8} {'model':22} {'seconds':>7} {'steps':>8} {'chars/s':>9} {'(w/ eval)':>9} {'train':>6} {'held-out':>8} {'ppl':>5}"
    print(header)
    for row in (course, fast):
        model = f"{row['cell']} {row['hidden']}, {row['optimizer']}, batch {row['batch']}"
        print(f"{row['preset']:8} {model:22} {row['seconds']:7.1f} {row['steps']:8d} {row['chars_per_s']:9.0f} "
              f"{row['chars_per_s_with_eval']:9.0f} {row['train_nll']:6.3f} {row['val_nll']:8.3f} {row['val_ppl']:5.2f}")
    early = " (stopped early: held-out loss stopped improving)" if fast["stopped_early"] else ""
    print(f"\nchars/s in turns ({args.rounds} x {args.turn:g} s each, median): course {in_turns['course']:.0f}, "
          f"fast {in_turns['fast']:.0f}")
    print(f"fast / course chars/s: {ratio:.1f}x in turns, {race_ratio:.1f}x in the race "
          f"(goal ≥ 20x: {'met' if report['goal_speed_20x'] else 'NOT met'})")
    print(f"held-out nats/char: fast {fast['val_nll']:.3f} vs course {course['val_nll']:.3f} "
          f"(goal lower: {'met' if report['goal_lower_val_nll'] else 'NOT met'}){early}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
