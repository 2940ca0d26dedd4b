"""The framework-neutral training protocol shared by every task.

A training function has one signature::

    def train(config, *, control: Control, on_progress: ProgressCallback) -> RunResult

It calls ``control.checkpoint()`` between steps (which blocks while the run is paused and
returns ``True`` once a stop was asked for), reports through a :class:`Reporter`, and on a
stop saves what it has and returns ``RunResult(status="stopped", ...)`` — a stopped run
always leaves a consistent model behind.

:func:`run_job` runs such a function either in the calling thread or in a freshly *spawned*
process whose events are relayed back. Pure-Python numpy loops hold the GIL; running them in
their own process keeps the TUI responsive while they train. A Keras adapter
(:func:`keras_callback`) turns Keras' batch hooks into the same events and honours stop.
"""

from __future__ import annotations

import importlib
import multiprocessing as mp
import os
import queue
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal, Protocol, TypeVar

from seqtui_models.core.errors import InvalidInput, SeqtuiError


SEED_MAX = 2**32 - 1
"""The largest random seed: numpy, TensorFlow and Keras all take 0 … 2³² − 1."""


@dataclass(frozen=True)
class Progress:
    """One progress event of a run.

    Attributes:
        step: Steps done so far (an epoch, a batch or an example: see ``unit``).
        total: Steps the run will do if nobody stops it.
        loss: The latest training loss (raw, not smoothed: the chart smooths).
        metrics: Other figures, e.g. ``{"val_loss": 1.9, "accuracy": 0.8}``.
        elapsed: Seconds since the run started, pauses excluded.
        throughput: Items per second over the whole run (``item_unit`` per second).
        unit: What a step is ("step", "epoch", "batch").
        item_unit: What the throughput counts ("sequences", "chars", "examples").
        samples: Optional fresh samples or previews (e.g. generated names).
    """

    step: int
    total: int
    loss: float
    metrics: Mapping[str, float] = field(default_factory=dict)
    elapsed: float = 0.0
    throughput: float = 0.0
    unit: str = "step"
    item_unit: str = "items"
    samples: tuple[str, ...] = ()

    @property
    def rate(self) -> float:
        """Steps per second over the whole run."""
        return self.step / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def fraction(self) -> float:
        """How much of the run is done, in [0, 1]."""
        return min(1.0, self.step / self.total) if self.total else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left at the current rate, or ``None`` before the rate is known."""
        if self.step <= 0 or self.elapsed <= 0:
            return None
        return (self.total - self.step) * self.elapsed / self.step

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict of this event."""
        out = asdict(self)
        out["metrics"] = dict(self.metrics)
        out["samples"] = list(self.samples)
        return out


@dataclass(frozen=True)
class RunResult:
    """What a finished or stopped run leaves behind.

    Attributes:
        status: ``"finished"`` when every step ran, ``"stopped"`` when the user stopped it.
        steps: Steps completed.
        total: Steps planned.
        seconds: Training time, pauses excluded.
        loss: The last training loss.
        metrics: Final figures (task-specific, JSON-ready).
        model_path: Where the model was saved (``None`` if the task keeps nothing on disk).
        history: ``(step, loss)`` pairs for a loss curve.
        payload: Task-specific data for the caller (small and picklable for the IPC pipe;
            e.g. the trained parameters so the UI can show them without reloading).
    """

    status: Literal["finished", "stopped"]
    steps: int
    total: int
    seconds: float
    loss: float
    metrics: Mapping[str, Any] = field(default_factory=dict)
    model_path: str | None = None
    history: tuple[tuple[int, float], ...] = ()
    payload: Any = None

    def summary(self) -> dict[str, Any]:
        """Return the JSON-ready summary (everything but history and payload)."""
        return {
            "status": self.status,
            "steps": self.steps,
            "total": self.total,
            "seconds": round(self.seconds, 3),
            "loss": self.loss,
            **dict(self.metrics),
            "model": self.model_path,
        }

    def stopped_worse_than(self, current: Mapping[str, Any] | None, key: str) -> bool:
        """Whether this run was stopped early and scores lower on ``metrics[key]`` than ``current``.

        A UI then keeps the model it has (the stopped one is saved anyway). ``False`` when
        either score is missing (nothing to compare: the new model is taken).
        """
        mine = self.metrics.get(key)
        theirs = current.get(key) if current is not None else None
        numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (mine, theirs))
        return self.status == "stopped" and numbers and mine < theirs  # type: ignore[operator]


ProgressCallback = Callable[[Progress], None]


AnyT = TypeVar("AnyT")


def config_from_mapping(config_type: type[AnyT], data: Mapping[str, Any]) -> AnyT:
    """Rebuild a config dataclass from saved values, ignoring keys it no longer has.

    Raises:
        ValueError: ``data`` is not a mapping (a damaged model file).
    """
    if not isinstance(data, Mapping):
        raise ValueError("config is not a JSON object")
    known = {f.name for f in fields(config_type)}  # type: ignore[arg-type]
    return config_type(**{k: v for k, v in data.items() if k in known})


class _Validated(Protocol):
    def validated(self) -> Any: ...


ConfigT = TypeVar("ConfigT", bound=_Validated)


def check_ranges(checks: Iterable[tuple[str, float, float, float]]) -> None:
    """Raise :class:`InvalidInput` for the first ``(name, value, low, high)`` with value outside [low, high]."""
    for name, value, low, high in checks:
        if not low <= value <= high:
            raise InvalidInput(f"{name} must be between {low:,} and {high:,} (got {value:,}).")


def config_from_preset(
    config_type: type[ConfigT], preset: Mapping[str, Any], overrides: Mapping[str, Any], task: str
) -> ConfigT:
    """Build a task's training config: a preset's values, then every override that is not ``None``.

    Args:
        config_type: The task's frozen config dataclass (it has a ``validated()`` method).
        preset: The chosen preset's values.
        overrides: Settings from the user (``None`` means "keep the preset's").
        task: The task's name, for the message about an unknown setting.

    Raises:
        InvalidInput: an unknown setting, or whatever ``validated()`` rejects.
    """
    known = {f.name for f in fields(config_type)}  # type: ignore[arg-type]
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise InvalidInput(f"Unknown setting(s) {', '.join(unknown)} for {task} training.")
    values = {**preset, **{k: v for k, v in overrides.items() if v is not None}}
    return config_type(**values).validated()  # type: ignore[no-any-return]


class _EventLike(Protocol):
    def set(self) -> None: ...
    def clear(self) -> None: ...
    def is_set(self) -> bool: ...
    def wait(self, timeout: float | None = None) -> bool: ...


class Control:
    """Pause, resume and stop for one run; safe across threads and processes.

    The events may be ``threading.Event`` (same process) or ``multiprocessing`` events (a
    spawned run shares them with its parent).
    """

    def __init__(self, stop: _EventLike | None = None, running: _EventLike | None = None) -> None:
        self._stop = stop if stop is not None else threading.Event()
        # "running" is set while not paused, so a paused loop can simply wait on it.
        self._running = running if running is not None else threading.Event()
        self._running.set()
        self._paused_seconds = 0.0

    def stop(self) -> None:
        """Ask the run to stop at its next checkpoint (also wakes a paused run)."""
        self._stop.set()
        self._running.set()

    def pause(self) -> None:
        """Ask the run to wait at its next checkpoint until :meth:`resume`."""
        if not self._stop.is_set():
            self._running.clear()

    def resume(self) -> None:
        """Let a paused run go on."""
        self._running.set()

    @property
    def stopped(self) -> bool:
        """Whether a stop was asked for."""
        return self._stop.is_set()

    @property
    def paused(self) -> bool:
        """Whether the run is (or will be, at its next checkpoint) paused."""
        return not self._running.is_set()

    @property
    def paused_seconds(self) -> float:
        """Total seconds this run has spent waiting in :meth:`checkpoint`."""
        return self._paused_seconds

    def checkpoint(self) -> bool:
        """Call between steps: block while paused, then return ``True`` if the run must stop."""
        if not self._running.is_set():
            start = time.perf_counter()
            while not self._running.wait(0.1):
                pass
            self._paused_seconds += time.perf_counter() - start
        return self._stop.is_set()


HISTORY_POINTS = 4000
"""A run's loss history keeps between this many and twice as many points, evenly spaced (a
dinos run may take 10^8 steps; its history must not grow with it)."""


class Reporter:
    """Keeps the clock and the loss history of a run, and sends throttled progress events.

    Args:
        total: Steps planned.
        on_progress: Where events go.
        control: The run's control (its pauses are left out of the elapsed time).
        unit: What a step is.
        items_per_step: How many items (examples, characters) one step processes, for the
            throughput figure.
        item_unit: What an item is, for display.
        min_interval: Seconds between two events; ``report(..., force=True)`` ignores it.
    """

    def __init__(
        self,
        total: int,
        on_progress: ProgressCallback | None,
        control: Control | None = None,
        unit: str = "step",
        items_per_step: float = 1.0,
        item_unit: str = "items",
        min_interval: float = 0.05,
    ) -> None:
        self.total = total
        self.item_unit = item_unit
        self.on_progress = on_progress
        self.control = control
        self.unit = unit
        self.items_per_step = items_per_step
        self.min_interval = min_interval
        self.history: list[tuple[int, float]] = []
        self.last_step = 0
        self.last_loss = float("nan")
        self.last_metrics: dict[str, float] = {}
        self._start = time.perf_counter()
        self._last_sent = -1e9
        self._sent_step: int | None = None  # the step of the last event sent
        self._every = 1  # keep one report in this many: doubles whenever the history fills up
        self._seen = 0

    @property
    def elapsed(self) -> float:
        """Seconds since the run began, pauses excluded."""
        paused = self.control.paused_seconds if self.control is not None else 0.0
        return max(0.0, time.perf_counter() - self._start - paused)

    def report(
        self,
        step: int,
        loss: float,
        metrics: Mapping[str, float] | None = None,
        samples: tuple[str, ...] = (),
        force: bool = False,
    ) -> None:
        """Record ``loss`` at ``step`` and send an event unless one went out very recently."""
        loss = float(loss)
        if self._seen % self._every == 0:
            self.history.append((step, loss))
            if len(self.history) >= 2 * HISTORY_POINTS:  # bounded however long the run: every other point
                self.history = self.history[::2]
                self._every *= 2
        self._seen += 1
        self.last_step = step
        self.last_loss = loss
        if metrics:
            self.last_metrics.update({k: float(v) for k, v in metrics.items()})
        now = time.perf_counter()
        if self.on_progress is None or (not force and now - self._last_sent < self.min_interval):
            return
        self._last_sent = now
        self._send(step, loss, samples)

    def _send(self, step: int, loss: float, samples: tuple[str, ...] = ()) -> None:
        assert self.on_progress is not None
        self._sent_step = step
        elapsed = self.elapsed
        rate = step * self.items_per_step / elapsed if elapsed > 0 else 0.0
        self.on_progress(
            Progress(
                step=step,
                total=self.total,
                loss=loss,
                metrics=dict(self.last_metrics),
                elapsed=elapsed,
                throughput=rate,
                unit=self.unit,
                item_unit=self.item_unit,
                samples=tuple(samples),
            )
        )

    def result(
        self,
        stopped: bool,
        steps: int,
        metrics: Mapping[str, Any] | None = None,
        model_path: str | None = None,
        payload: Any = None,
        max_history: int = 2000,
    ) -> RunResult:
        """Build the run's :class:`RunResult` (history thinned to ``max_history`` points).

        If the last event sent showed an earlier step than the run ended at (events are
        throttled), one more goes out first, so the progress line and "stopped at" agree.
        """
        if self.on_progress is not None and self._sent_step != steps:
            self._send(steps, self.last_loss)
        history = self.history
        if history and history[-1][0] != self.last_step:
            history = history + [(self.last_step, self.last_loss)]  # the run's last point, always
        if len(history) > max_history:
            stride = len(history) / max_history
            history = [history[int(i * stride)] for i in range(max_history)] + [history[-1]]
        return RunResult(
            status="stopped" if stopped else "finished",
            steps=steps,
            total=self.total,
            seconds=self.elapsed,
            loss=self.last_loss,
            metrics=dict(metrics or {}),
            model_path=model_path,
            history=tuple(history),
            payload=payload,
        )


@dataclass(frozen=True)
class TrainingJob:
    """A training function named by import path, with its config.

    Naming the function (``"seqtui_models.cells:train"``) rather than passing it lets the job
    run in a spawned process, which imports it afresh.

    Attributes:
        target: ``"package.module:function"`` with the protocol's signature.
        config: The function's config dataclass (must be picklable).
        isolate: Run in a spawned process (numpy loops) rather than the calling thread.
    """

    target: str
    config: Any
    isolate: bool = True

    def resolve(self) -> Callable[..., RunResult]:
        """Import and return the target function."""
        module_name, _, func_name = self.target.partition(":")
        return getattr(importlib.import_module(module_name), func_name)  # type: ignore[no-any-return]


class TrainingCrashed(SeqtuiError):
    """A training function failed with an unexpected error (a bug): carries its traceback."""

    title = "Training failed"

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message)
        self.details = details


def _child(job: TrainingJob, events: mp.Queue, stop: Any, running: Any) -> None:
    """Body of a spawned run: relay every event through ``events``."""
    # The parent may be drawing a full-screen UI on this terminal: a stray warning printed
    # here would scribble over it, so the child's standard streams go to the null device.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    # Ctrl+C reaches the parent too, which turns it into a stop: the run then saves its
    # model. A child killed by the same signal first would lose it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # One BLAS thread here: with more, a 2-core machine has no core left for the UI. Set in the
    # child itself (threadpoolctl), so the parent's environment is never touched from a thread.
    import numpy  # noqa: F401 - loads the BLAS that threadpoolctl then limits
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")
    control = Control(stop=stop, running=running)
    try:
        result = job.resolve()(job.config, control=control, on_progress=lambda p: events.put(("progress", p)))
        events.put(("done", result))
    except SeqtuiError as exc:
        events.put(("error", (type(exc).__name__, exc.message, exc.title)))
    except KeyboardInterrupt:
        events.put(("error", ("TrainingStopped", "Training was interrupted.", "Training stopped")))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, never swallowed
        events.put(("crash", (f"{type(exc).__name__}: {exc}", traceback.format_exc())))


def _ensure_resource_tracker() -> None:
    """Start multiprocessing's resource tracker with a real stderr.

    The tracker is launched with ``sys.stderr.fileno()``; inside a Textual app ``sys.stderr``
    is a capture object without a usable descriptor, so borrow the original stream briefly.
    """
    from multiprocessing import resource_tracker

    try:
        usable = sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = False
    if usable:
        resource_tracker.ensure_running()
        return
    saved = sys.stderr
    sys.stderr = sys.__stderr__ if sys.__stderr__ is not None else open(os.devnull, "w")  # noqa: SIM115
    try:
        resource_tracker.ensure_running()
    finally:
        sys.stderr = saved


def run_job(
    job: TrainingJob,
    on_progress: ProgressCallback | None = None,
    control: Control | None = None,
) -> RunResult:
    """Run ``job`` to the end (or until stopped) and return its result.

    With ``job.isolate`` the function runs in a spawned process; its progress events are
    relayed to ``on_progress`` in the calling thread, and ``control``'s pause, resume and
    stop reach it through shared events.

    Raises:
        SeqtuiError: what the training function raised for a user-fixable problem.
        TrainingCrashed: the function failed unexpectedly (its traceback is in ``details``).
    """
    control = control if control is not None else Control()
    if not job.isolate:
        return job.resolve()(job.config, control=control, on_progress=on_progress)

    _ensure_resource_tracker()
    ctx = mp.get_context("spawn")
    events: mp.Queue = ctx.Queue()
    stop, running = ctx.Event(), ctx.Event()
    running.set()
    child_control = Control(stop=stop, running=running)
    process = ctx.Process(target=_child, args=(job, events, stop, running), daemon=True)
    process.start()  # the child limits its own BLAS threads (see _child)
    try:
        while True:
            # Mirror the parent's control onto the shared events.
            if control.stopped:
                child_control.stop()
            elif control.paused:
                child_control.pause()
            else:
                child_control.resume()
            try:
                kind, body = events.get(timeout=0.05)
            except queue.Empty:
                if not process.is_alive() and events.empty():
                    raise TrainingCrashed(
                        f"The training process ended unexpectedly (exit code {process.exitcode})."
                    ) from None
                continue
            if kind == "progress":
                if on_progress is not None:
                    on_progress(body)
            elif kind == "done":
                return body  # type: ignore[no-any-return]
            elif kind == "error":
                name, message, title = body
                from seqtui_models.core import errors

                cls = getattr(errors, name, SeqtuiError)
                raise cls(message, title)
            else:
                summary, details = body
                raise TrainingCrashed(f"Training failed: {summary}", details)
    finally:
        child_control.stop()
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join()
        events.close()


def keras_callback(
    reporter: Reporter, control: Control, steps_per_epoch: int, *, batch_losses: bool = True
) -> Any:
    """Return a Keras callback that reports every batch and honours pause and stop.

    Keras is imported here, not at module import, so this module stays light.

    Args:
        reporter: Receives ``(global_step, loss, metrics)`` after every batch; at each epoch's
            end the epoch's logs (``val_loss`` …) are forced through as metrics.
        control: Paused runs wait inside the batch hook; a stop sets ``model.stop_training``.
        steps_per_epoch: Batches per epoch, to count global steps.
        batch_losses: Keras logs the running mean of the epoch's batch losses; report each
            batch's own loss instead (the protocol's raw loss: the chart smooths), recovered as
            ``loss_k = (k + 1)·mean_k − k·mean_(k−1)`` (exact for equal-sized batches). Pass
            ``False`` when the logs already hold per-batch losses.
    """
    import keras

    class _ProgressCallback(keras.callbacks.Callback):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.epoch = 0
            self.step = 0
            self.mean = 0.0
            self.stopped = False

        def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
            self.epoch = epoch
            self.mean = 0.0  # running mean of this epoch's losses after the previous batch

        def on_train_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
            logs = logs or {}
            self.step = self.epoch * steps_per_epoch + batch + 1
            metrics = {k: float(v) for k, v in logs.items() if k != "loss"}
            loss = float(logs.get("loss", float("nan")))
            if batch_losses:
                # batch k's own loss from the running means after batches k and k − 1
                loss, self.mean = (batch + 1) * loss - batch * self.mean, loss
            reporter.report(self.step, loss, metrics)
            if control.checkpoint():
                self.stopped = True
                self.model.stop_training = True

        def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
            logs = logs or {}
            metrics = {k: float(v) for k, v in logs.items() if k != "loss"}
            # the epoch's logs hold its mean loss; the chart wants the latest batch's
            loss = reporter.last_loss if batch_losses else float(logs.get("loss", reporter.last_loss))
            reporter.report(self.step, loss, metrics, force=True)
            if control.checkpoint():
                self.stopped = True
                self.model.stop_training = True

    return _ProgressCallback()
