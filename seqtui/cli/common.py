"""Provides what every headless verb shares: JSON output, one-line errors, progress."""

from __future__ import annotations

import argparse
import json
import math
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

from seqtui.text import NumberError, parse_number, shorten_runs
from seqtui_models.core.training import SEED_MAX, Control, Progress, RunResult, TrainingJob, run_job

EXIT_USAGE = 2


def _argparse_number(kind: type[int] | type[float], low: float | None = None, high: float | None = None,
                     open_low: bool = False) -> Callable[[str], Any]:
    """An argparse type that parses like a form field (:func:`seqtui.text.parse_number`)."""

    def parse(text: str) -> Any:
        try:
            value = parse_number(text, "", kind, low=low, high=high)
        except NumberError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
        if open_low and value == low:
            raise argparse.ArgumentTypeError(f"expected a number > {low:g} (got {text})")
        return value

    parse.__name__ = kind.__name__  # argparse names the type in some messages
    return parse


non_negative_int = _argparse_number(int, low=0)
"""argparse type: an integer ≥ 0."""
positive_int = _argparse_number(int, low=1)
"""argparse type: an integer ≥ 1."""
finite_float = _argparse_number(float)
"""argparse type: a finite number."""
positive_float = _argparse_number(float, low=0, open_low=True)
"""argparse type: a finite number > 0."""
non_negative_float = _argparse_number(float, low=0)
"""argparse type: a finite number ≥ 0."""
share = _argparse_number(float, low=0, high=1)
"""argparse type: a number in [0, 1]."""
seed = _argparse_number(int, low=0, high=SEED_MAX)
"""argparse type: a random seed, 0 … 2³² − 1 (a negative seed was a numpy traceback)."""


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print one line on stderr and exit with ``code`` (2: bad argument or input)."""
    print(f"seqtui: {shorten_runs(message)}", file=sys.stderr)
    raise SystemExit(code)


def _jsonable(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return _jsonable(value.item())
    return value


def print_json(obj: dict[str, Any]) -> None:
    """Print exactly one JSON object on stdout (NaN and inf become null)."""
    print(json.dumps(_jsonable(obj)))


class StderrProgress:
    """Shows training progress on stderr: a rich bar on a terminal, sparse lines otherwise."""

    def __init__(self, description: str) -> None:
        self.description = description
        self.tty = sys.stderr.isatty()
        self._bar: Any = None
        self._task: Any = None
        self._last_line = 0.0

    def __enter__(self) -> StderrProgress:
        if self.tty:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeRemainingColumn

            self._bar = Bar(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[stats]}"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._bar.__enter__()
            self._task = self._bar.add_task(self.description, total=None, stats="")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)

    def __call__(self, progress: Progress) -> None:
        stats = f"loss {progress.loss:.4g} " + " ".join(f"{k} {v:.4g}" for k, v in progress.metrics.items())
        if self._bar is not None:
            self._bar.update(self._task, total=progress.total, completed=progress.step, stats=stats)
        elif time.monotonic() - self._last_line >= 2.0 or progress.step >= progress.total:
            self._last_line = time.monotonic()
            print(f"{self.description}: {progress.step}/{progress.total} {stats}", file=sys.stderr, flush=True)


@contextmanager
def stop_on_interrupt(control: Control) -> Iterator[None]:
    """While training, a first Ctrl+C asks the run to stop and save; a second one aborts."""

    def handler(signum: int, frame: Any) -> None:
        if control.stopped:
            raise KeyboardInterrupt
        control.stop()
        print("seqtui: stopping after this step and saving the model (Ctrl+C again to abort)…", file=sys.stderr)

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def run_training(job: TrainingJob, description: str) -> RunResult:
    """Run ``job`` in this process with stderr progress and graceful Ctrl+C."""
    control = Control()
    with StderrProgress(description) as show, stop_on_interrupt(control):
        return run_job(job, on_progress=show, control=control)


def finish_training(result: RunResult, as_json: bool, extra: dict[str, Any] | None = None) -> int:
    """Print a run's summary (JSON or text); a run stopped by Ctrl+C exits 2 with one line."""
    summary = {**result.summary(), **(extra or {})}
    if as_json:
        print_json(summary)
    else:
        for key, value in summary.items():
            shown = value.replace("\n", "\\n").replace("\t", "\\t") if isinstance(value, str) else value
            print(f"{key:>16}: {shown}")  # a vocabulary's newline (the end of a name) shown as \n
    warning = result.metrics.get("warning")
    if isinstance(warning, str):
        print(f"seqtui: warning: {warning}", file=sys.stderr)
    if result.status == "stopped":
        where = f"; the model so far is saved to {result.model_path}" if result.model_path else ""
        print(f"seqtui: stopped at step {result.steps} of {result.total}{where}.", file=sys.stderr)
        return EXIT_USAGE
    return 0
