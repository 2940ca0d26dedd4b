"""Measure the jazz synthesizer's speed as a multiple of real time.

    python tests/benchmarks/jazz_synth.py                  # a 30 s solo, a table
    python tests/benchmarks/jazz_synth.py --seconds 120    # a longer solo
    python tests/benchmarks/jazz_synth.py --json           # one JSON object

The solo is a busy one, the worst case for a per-note synthesizer: a seeded random melody of
eighth and sixteenth notes (about 5 notes a second at 120 bpm, MIDI 55–84) over four-note chord
voicings that change every two beats, ``--seconds`` long. ``synthesize`` runs ``--repeats``
times in this process (after one warm-up) on one BLAS/OpenMP thread; the median time gives the
speed ``solo seconds / synthesis seconds``. The WAV write (16-bit PCM, atomic) is timed once.

The goal (issue #7): synthesis ≥ 100x real time. ``measure`` is importable, e.g. from
tests/benchmarks/jazz.py.
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
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run from a checkout

import numpy as np  # noqa: E402

from seqtui_models.jazz.audio import SAMPLE_RATE, render_wav, synthesize  # noqa: E402
from seqtui_models.jazz.notes import ChordEvent, NoteEvent, Solo  # noqa: E402

GOAL = 100.0  # times real time
PROGRESSION = (("Dm7", (50, 53, 57, 60)), ("G7", (43, 53, 55, 59)), ("Cmaj7", (48, 52, 55, 59)), ("A7", (45, 49, 55, 57)))


def busy_solo(seconds: float, seed: int = 0, tempo: float = 120.0) -> Solo:
    """A seeded melody of eighths and sixteenths over a ii–V–I–VI progression, ``seconds`` long."""
    rng = np.random.default_rng(seed)
    quarters = seconds * tempo / 60.0
    notes, offset, pitch = [], 0.0, 67
    while offset < quarters:
        duration = float(rng.choice([0.25, 0.5]))
        duration = min(duration, quarters - offset)
        pitch = int(np.clip(pitch + rng.integers(-4, 5), 55, 84))
        notes.append(NoteEvent(offset, duration, pitch, velocity=int(rng.integers(70, 110))))
        offset += duration
    chords = []
    for index, start in enumerate(np.arange(0.0, quarters, 2.0)):
        symbol, pitches = PROGRESSION[index % len(PROGRESSION)]
        chords.append(ChordEvent(float(start), float(min(2.0, quarters - start)), symbol, pitches))
    return Solo(notes=tuple(notes), chords=tuple(chords), tempo=tempo)


def measure(seconds: float = 30.0, repeats: int = 7, sample_rate: int = SAMPLE_RATE) -> dict[str, Any]:
    """Time ``synthesize`` on a busy solo; return the figures (speed = solo s / synthesis s)."""
    solo = busy_solo(seconds)
    synthesize(solo, sample_rate)  # warm-up: page in numpy's kernels
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        audio = synthesize(solo, sample_rate)
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    with tempfile.TemporaryDirectory(prefix="jazz-synth-") as folder:
        start = time.perf_counter()
        info = render_wav(solo, Path(folder) / "solo.wav", sample_rate=sample_rate)
        wav_seconds = time.perf_counter() - start
    return {
        "solo_seconds": solo.seconds,
        "notes": len(solo.notes),
        "chords": len(solo.chords),
        "sample_rate": sample_rate,
        "frames": int(audio.shape[0]),
        "synthesis_seconds_median": median,
        "synthesis_seconds_min": min(times),
        "times_real_time": solo.seconds / median,
        "render_wav_seconds": wav_seconds,
        "wav_frames": info.frames,
        "peak": float(np.abs(audio).max()),
        "goal_times_real_time": GOAL,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the solo (default 30)")
    parser.add_argument("--repeats", type=int, default=7, help="timed runs (default 7)")
    parser.add_argument("--sample-rate", type=int, default=SAMPLE_RATE, help="frames per second (default 44100)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    report = measure(args.seconds, args.repeats, args.sample_rate)
    report.update(
        loadavg_before_after=[load_before, os.getloadavg()], cpu_count=os.cpu_count(),
        python=platform.python_version(), numpy=np.__version__,
    )
    if args.json:
        print(json.dumps(report))
    else:
        print(
            f"{report['solo_seconds']:.0f} s solo ({report['notes']} notes, {report['chords']} chords of 4) "
            f"at {report['sample_rate']} Hz: synthesis {1000 * report['synthesis_seconds_median']:.0f} ms median "
            f"(min {1000 * report['synthesis_seconds_min']:.0f} ms) = {report['times_real_time']:.0f}x real time "
            f"(goal ≥ {GOAL:.0f}x); render_wav {1000 * report['render_wav_seconds']:.0f} ms; peak {report['peak']:.3f}"
        )
        print(
            f"{report['cpu_count']} CPUs, load average {load_before[0]:.2f} before, {report['loadavg_before_after'][1][0]:.2f} "
            f"after; python {report['python']}, numpy {report['numpy']}"
        )
    return 0 if report["times_real_time"] >= GOAL else 1


if __name__ == "__main__":
    raise SystemExit(main())
