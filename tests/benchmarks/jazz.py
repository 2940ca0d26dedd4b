"""Jazz: training time per epoch, generation latency, synthesis speed, and solo statistics.

    python tests/benchmarks/jazz.py                  # everything, a report
    python tests/benchmarks/jazz.py --skip-training  # only the bundled model's figures
    python tests/benchmarks/jazz.py --json           # one JSON object

1. **Training** on the default corpus (Maple Leaf Rag + Alexander's Ragtime Band), in this
   process: preset ``course`` (the unrolled djmodel, 100 epochs) and preset ``fast`` (the same
   model through Keras' own loop, 25 epochs). Printed: seconds to the end of the first epoch
   (graph building and compiling included), then seconds per epoch over the rest, and the loss.
2. **Generation latency** for 8 bars with the bundled model: ``seqtui_models.jazz.generate`` (numpy
   cell, grammar decoding, statistics), median of ``--repeats`` runs, before any training (as
   in the tab) and again after; against the baseline of stepping the saved Keras one-step model
   for the same number of values (one ``predict_on_batch`` per value), in this process.
3. **Synthesis speed** of ``seqtui_models.jazz.audio.synthesize`` on a 32-bar solo, as a multiple of
   real time (audio seconds / compute seconds), median of 5.
4. **Statistics** of ``--seeds`` solos of 8 bars at temperatures 0, 0.7 and 1.0 against the
   training music: chord/scale/approach tone shares, notes per bar, range, and the longest run
   of values copied from the training music (median and maximum over the seeds). The course
   model trained in step 1 is measured too at 0.7, to show how much more it copies.

Goals (the issue): 8 bars < 1 s; synthesis ≥ 100x real time; at temperature 0.7 the chord-tone
share within 10 points of the training music's and no copied run longer than 8 values.
The machine may be shared: the load average is printed before and after.
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run from a checkout

import numpy as np  # noqa: E402

from seqtui_models import jazz  # noqa: E402
from seqtui_models.core.training import Control, Progress  # noqa: E402


def training(preset: str, folder: Path, epochs: int | None) -> tuple[dict[str, Any], Any]:
    """Train one preset on the default corpus; return its timing figures and the model."""
    events: list[Progress] = []
    config = jazz.preset_config(preset, epochs=epochs, out=str(folder / f"{preset}.keras"))
    started = time.perf_counter()
    result = jazz.train(config, control=Control(), on_progress=events.append)
    wall = time.perf_counter() - started
    per_epoch = max(1, result.total // config.epochs)
    ends = [e for e in events if e.step % per_epoch == 0 and e.step > 0]
    first = min((e.elapsed for e in ends if e.step == per_epoch), default=float("nan"))
    last = ends[-1] if ends else None
    rest = (last.elapsed - first) / (last.step // per_epoch - 1) if last and last.step > per_epoch else float("nan")
    figures = {
        "preset": preset, "epochs": config.epochs, "first_epoch_s": round(first, 2), "s_per_epoch": round(rest, 4),
        "train_s": round(result.seconds, 2), "wall_s": round(wall, 2), "loss": round(result.loss, 4),
    }
    return figures, result.payload["model"]


def keras_stepping(model_path: Path, steps: int, repeats: int) -> float:
    """Median seconds to run the saved Keras one-step model ``steps`` times (the baseline)."""
    import keras

    step = keras.saving.load_model(str(model_path), safe_mode=True, compile=False)
    n_values = step.inputs[0].shape[-1]
    n_a = step.inputs[1].shape[-1]
    times = []
    for r in range(repeats):
        x = np.zeros((1, n_values), dtype=np.float32)
        a = np.zeros((1, n_a), dtype=np.float32)
        c = np.zeros((1, n_a), dtype=np.float32)
        rng = np.random.default_rng(r)
        started = time.perf_counter()
        for _ in range(steps):
            probs, a, c = step.predict_on_batch([x, a, c])
            p = np.asarray(probs[0], dtype=np.float64)
            index = int(rng.choice(p.size, p=p / p.sum()))
            x = np.eye(n_values, dtype=np.float32)[[index]]
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def generation_latency(model: Any, repeats: int) -> tuple[float, float, int]:
    """Median and worst seconds to improvise 8 bars, and the median number of values."""
    times, steps = [], []
    for r in range(repeats):
        started = time.perf_counter()
        imp = jazz.generate(model, jazz.GenerateConfig(bars=8, temperature=0.7, seed=r))
        times.append(time.perf_counter() - started)
        steps.append(len(imp.values))
    return statistics.median(times), max(times), int(statistics.median(steps))


def solo_figures(model: Any, temperature: float, seeds: int) -> dict[str, Any]:
    """Statistics of ``seeds`` 8-bar solos (chords of each training piece in turn)."""
    rows = [
        jazz.generate(model, jazz.GenerateConfig(bars=8, temperature=temperature, seed=s, piece=s % len(model.pieces))).stats
        for s in range(seeds)
    ]
    copies = [s.longest_copy for s in rows]
    return {
        "temperature": temperature,
        "chord_tones": round(statistics.mean(s.chord_tones for s in rows), 4),
        "scale_tones": round(statistics.mean(s.scale_tones for s in rows), 4),
        "approach_tones": round(statistics.mean(s.approach_tones for s in rows), 4),
        "notes_per_bar": round(statistics.mean(s.notes_per_bar for s in rows), 2),
        "span": round(statistics.mean(s.span for s in rows), 1),
        "copy_median": statistics.median(copies), "copy_max": max(copies),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-training", action="store_true", help="leave out step 1 (about 2 minutes)")
    parser.add_argument("--epochs", type=int, help="train this many epochs instead of each preset's")
    parser.add_argument("--repeats", type=int, default=30, help="runs per latency figure (default 30)")
    parser.add_argument("--seeds", type=int, default=30, help="solos per temperature (default 30)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    report: dict[str, Any] = {"cpus": os.cpu_count()}
    course_model = None
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("SEQTUI_HOME", str(Path(tmp) / "home"))
        model = jazz.default_model()
        assert model.path is not None
        # Generation first, as in the tab (it improvises before anything trains), and again after
        # training: TensorFlow's thread pools, once started, keep competing for the two cores.
        ours, worst, values_per_solo = generation_latency(model, args.repeats)
        if not args.skip_training:
            report["training"] = []
            for preset in ("course", "fast"):
                figures, trained = training(preset, Path(tmp), args.epochs)
                report["training"].append(figures)
                if preset == "course":
                    course_model = trained
        after, _, _ = generation_latency(model, args.repeats)
        baseline = keras_stepping(Path(model.path), values_per_solo, max(3, args.repeats // 10))
        report["generation"] = {
            "bars": 8, "values": values_per_solo, "ours_s": round(ours, 5), "worst_s": round(worst, 5),
            "after_training_s": round(after, 5), "keras_stepping_s": round(baseline, 4),
            "speedup": round(baseline / ours, 1),
        }

        from seqtui_models.jazz.audio import synthesize

        long_solo = jazz.generate(model, jazz.GenerateConfig(bars=32, temperature=0.7, seed=1)).solo
        synth_times = []
        for _ in range(5):
            started = time.perf_counter()
            synthesize(long_solo)
            synth_times.append(time.perf_counter() - started)
        report["synthesis"] = {
            "audio_s": round(long_solo.seconds, 2), "compute_s": round(statistics.median(synth_times), 4),
            "x_real_time": round(long_solo.seconds / statistics.median(synth_times), 1),
        }

        train_stats = model.train_stats
        assert train_stats is not None
        report["training_music"] = train_stats.to_dict()
        report["solos"] = [solo_figures(model, t, args.seeds) for t in (0.0, 0.7, 1.0)]
        if course_model is not None:
            report["course_solos"] = solo_figures(course_model, 0.7, args.seeds)
    at_07 = report["solos"][1]
    report["goals"] = {
        "generation_under_1s": report["generation"]["worst_s"] < 1.0,
        "synthesis_100x": report["synthesis"]["x_real_time"] >= 100,
        "chord_tones_within_10_points": abs(at_07["chord_tones"] - train_stats.chord_tones) <= 0.10,
        "no_copied_run_over_8": at_07["copy_max"] <= 8,
    }
    load_after = os.getloadavg()
    report["load_average"] = {"before": round(load_before[0], 2), "after": round(load_after[0], 2)}
    if args.json:
        print(json.dumps(report))
        return 0
    print(f"Jazz benchmark — load average before {load_before[0]:.2f}, after {load_after[0]:.2f} ({os.cpu_count()} CPUs)\n")
    for row in report.get("training", []):
        print(f"training {row['preset']:6}: first epoch {row['first_epoch_s']:6.2f} s (graph + compile), then "
              f"{row['s_per_epoch']:.3f} s/epoch; {row['epochs']} epochs in {row['train_s']:.1f} s, loss {row['loss']:.3f} nats/value")
    g = report["generation"]
    print(f"\ngeneration, 8 bars ({g['values']} values): {g['ours_s'] * 1000:.1f} ms median, worst {g['worst_s'] * 1000:.1f} ms "
          f"({g['after_training_s'] * 1000:.1f} ms after Keras trained in this process); Keras one-step model, same "
          f"values: {g['keras_stepping_s'] * 1000:.0f} ms ({g['speedup']:.0f}x slower)")
    s = report["synthesis"]
    print(f"synthesis: {s['audio_s']:.1f} s of audio in {s['compute_s'] * 1000:.0f} ms = {s['x_real_time']:.0f}x real time")
    t = report["training_music"]
    print(f"\n{'':14} {'chord':>6} {'scale':>6} {'approach':>8} {'notes/bar':>9} {'span':>5} {'copied run (median / max)':>26}")
    print(f"{'training music':14} {t['chord_tones']:6.1%} {t['scale_tones']:6.1%} {t['approach_tones']:8.1%} "
          f"{t['notes_per_bar']:9.2f} {t['span']:5d}")
    rows = [(f"T = {r['temperature']:g}", r) for r in report["solos"]]
    if "course_solos" in report:
        rows.append(("course, T=0.7", report["course_solos"]))
    for label, r in rows:
        print(f"{label:14} {r['chord_tones']:6.1%} {r['scale_tones']:6.1%} {r['approach_tones']:8.1%} "
              f"{r['notes_per_bar']:9.2f} {r['span']:5.1f} {r['copy_median']:>17g} / {r['copy_max']}")
    print("\ngoals: " + ", ".join(f"{name} {'met' if ok else 'NOT met'}" for name, ok in report["goals"].items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
