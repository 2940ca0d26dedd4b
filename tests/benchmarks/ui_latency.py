"""How fast does a key press repaint while a training run is going?

Drives the real app with Textual's Pilot: starts an LSTM training run in the cells tab, then
types into an input field and times each key press until the screen has repainted. It does
this three ways in one process: with nothing training (the floor), with the numpy loop in a
thread of the UI process (the baseline: it holds the GIL), and in a spawned process (what
seqtui does). Prints p50 / p95 / max in milliseconds and the ratio of the p95s.

    python tests/benchmarks/ui_latency.py [--presses N] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


async def measure(mode: str, presses: int) -> dict[str, float]:
    """Time ``presses`` key presses with training in ``mode``: "idle", "thread" or "process".

    A key goes in through the driver, exactly like a key from the terminal; its latency is the
    time until the first frame that shows the input's new value is handed to the terminal.
    """
    from textual import events
    from textual.widgets import Input

    from seqtui.app import SeqtuiApp
    from seqtui.tabs.cells import CellsTab
    from seqtui.widgets.training_panel import TrainingPanel

    CellsTab.ISOLATE_TRAINING = mode == "process"
    app = SeqtuiApp(tab="cells")
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        tab = app.query_one(CellsTab)
        await tab.wait_ready()
        panel = app.query_one(TrainingPanel)
        tab.query_one("#train-steps", Input).value = "1000000"
        tab.query_one("#cells-views").active = "view-train"
        await pilot.pause(0.1)
        if mode != "idle":
            await pilot.press("t")
            deadline = time.perf_counter() + 30
            while panel.query_one("#train-progress").progress < 1 and time.perf_counter() < deadline:
                await asyncio.sleep(0.05)
        k_input = tab.query_one("#train-k", Input)
        k_input.focus()
        await pilot.pause(0.1)
        await pilot.press("end")  # focusing selects the text; put the cursor after it
        original = k_input.value

        frames: list[tuple[float, str]] = []
        display = app._display

        def spy(screen, renderable):  # type: ignore[no-untyped-def]
            if renderable is not None:
                frames.append((time.perf_counter(), k_input.value))
            return display(screen, renderable)

        app._display = spy  # type: ignore[method-assign]
        start_step = panel.query_one("#train-progress").progress
        t_start = time.perf_counter()
        latencies = []
        driver = app._driver
        assert driver is not None
        for i in range(presses):
            key, char, expected = ("9", "9", original + "9") if i % 2 == 0 else ("backspace", None, original)
            sent = time.perf_counter()
            driver.send_message(events.Key(key, char))
            while True:
                await asyncio.sleep(0.0005)
                shown = [t for t, value in frames if t >= sent and value == expected]
                if shown:
                    latencies.append((shown[0] - sent) * 1000)
                    break
                if time.perf_counter() - sent > 10:
                    raise RuntimeError("no frame showed the key press within 10 s")
            frames.clear()
            await asyncio.sleep(0.02)  # a fast typist's pace between keys
        seconds = time.perf_counter() - t_start
        trained = panel.query_one("#train-progress").progress - start_step
        panel.stop()
        await app.workers.wait_for_complete()
    return {
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "max_ms": max(latencies),
        "mean_ms": statistics.fmean(latencies),
        "train_steps_per_s": trained / seconds,
    }


def main() -> None:
    """Run the three measurements and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("SEQTUI_HOME", tempfile.mkdtemp(prefix="seqtui-bench-"))
    results = {mode: asyncio.run(measure(mode, args.presses)) for mode in ("idle", "thread", "process")}
    results["ratio_p95_thread_over_process"] = results["thread"]["p95_ms"] / results["process"]["p95_ms"]  # type: ignore[assignment]
    if args.json:
        print(json.dumps(results))
        return
    print(f"key press → repaint latency, {args.presses} presses, LSTM recall training (cells tab), {os.cpu_count()} cores")
    print(f"{'training':<22}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'train steps/s':>15}")
    labels = {"idle": "none (floor)", "thread": "thread (baseline)", "process": "spawned process (ours)"}
    for mode, label in labels.items():
        r = results[mode]
        print(f"{label:<22}{r['p50_ms']:>9.1f}{r['p95_ms']:>9.1f}{r['max_ms']:>9.1f}{r['train_steps_per_s']:>15.0f}")
    print(f"p95 thread / process: {results['ratio_p95_thread_over_process']:.1f}x")


if __name__ == "__main__":
    main()
