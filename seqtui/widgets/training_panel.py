"""Provides the TrainingPanel: one place to start, pause, stop and watch any training run."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Button, Label, ProgressBar, Static
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from seqtui.text import format_duration, format_number, plural_noun, short_path
from seqtui_models.core.training import Control, Progress, RunResult, TrainingJob, run_job
from seqtui.messages import TaskFailed, TrainingFinished, TrainingProgressed

if TYPE_CHECKING:
    from seqtui.widgets.loss_chart import LossChart


SAMPLE_LINES = 4
DISPLAY_HZ = 5  # progress bar and figures: often enough to feel live, cheap for the UI


def charted(metric: str) -> bool:
    """Whether a metric is a loss that belongs on the loss chart (train or validation)."""
    return metric.endswith(("loss", "_nll")) and not metric.startswith("best")


def describe_progress(progress: Progress, *, finished: bool = False) -> str:
    """One status line: step, rate, loss, metrics, elapsed and (while the run goes on) ETA."""
    def per_second(value: float, unit: str) -> str:
        return f"{value:,.0f} {unit}/s" if value >= 10 else f"{value:.2f} {unit}/s"

    parts = [
        f"{progress.unit} {progress.step:,}/{progress.total:,}",
        per_second(progress.rate, plural_noun(progress.unit)),
    ]
    if progress.item_unit != "items" or progress.throughput != progress.rate:
        parts.append(per_second(progress.throughput, progress.item_unit))
    parts.append(f"loss {format_number(progress.loss)}")
    parts += [f"{name} {format_number(value)}" for name, value in progress.metrics.items()]
    parts.append(f"elapsed {format_duration(progress.elapsed)}")
    if not finished:
        parts.append(f"ETA {format_duration(progress.eta)}")
    return " · ".join(parts)


class TrainingPanel(Widget, can_focus=True):
    """Start / Pause / Stop, a progress bar with rate and ETA, a live loss chart and samples.

    The panel does not know what it trains. Pressing Start posts :class:`StartRequested`;
    the owning tab answers by calling :meth:`start` with a :class:`TrainingJob` built from
    its own controls. Progress and the final result bubble up as ``TrainingProgressed`` and
    ``TrainingFinished`` messages, so the tab can react (e.g. load the trained model).
    """

    DEFAULT_CSS = """
    TrainingPanel {
        height: 1fr;
        border: round $primary 50%;
        border-title-color: $text;
        padding: 0 1;
    }
    TrainingPanel:focus-within {
        border: round $accent;
    }
    TrainingPanel .train-controls {
        height: auto;
    }
    TrainingPanel .train-controls Button {
        min-width: 12;
        margin-right: 1;
    }
    TrainingPanel #train-status {
        width: 100%;
        height: 2;
        color: $text-muted;
    }
    TrainingPanel #train-stats {
        width: 100%;
        color: $text;
        height: 2;
    }
    TrainingPanel #train-chart {
        height: 1fr;
        min-height: 5;
    }
    TrainingPanel #train-samples {
        height: 5;  /* SAMPLE_LINES lines and the border above them */
        color: $text-muted;
        border-top: hkey $primary 30%;
    }
    """

    BINDINGS = [
        Binding("t", "start", "Train"),
        Binding("p", "pause", "Pause/Resume"),
        Binding("s", "stop", "Stop"),
        Binding("l", "toggle_log", "Log/linear"),
    ]

    running: reactive[bool] = reactive(False)
    paused: reactive[bool] = reactive(False)

    @dataclass
    class StartRequested(Message):
        """The user asked to start training; the tab should call ``panel.start(job)``."""

        panel: TrainingPanel

        @property
        def control(self) -> TrainingPanel:
            """The panel that asked."""
            return self.panel

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._last_progress: Progress | None = None
        self._control: Control | None = None
        self._charted: dict[str, float] = {}
        self._pending: Progress | None = None
        self._display_timer: Timer | None = None
        self.last_result: RunResult | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(classes="train-controls"):
            yield Button("Train (t)", id="train-start", variant="primary", compact=True)
            yield Button("Pause (p)", id="train-pause", disabled=True, compact=True)
            yield Button("Stop (s)", id="train-stop", variant="error", disabled=True, compact=True)
        yield Label("Ready: press t to train.", id="train-status")
        yield ProgressBar(id="train-progress", show_eta=False, total=1)  # at rest: 0%, not a pulsing "--%"
        yield Label("", id="train-stats")
        from seqtui.widgets.loss_chart import LossChart  # numpy: not on the start-up path

        yield LossChart(id="train-chart", smoothed=True, log_y=True)
        yield Static("", id="train-samples")

    def _chart(self) -> LossChart:
        from seqtui.widgets.loss_chart import LossChart

        return self.query_one("#train-chart", LossChart)

    # -- public API ------------------------------------------------------------------------

    def start(self, job: TrainingJob) -> None:
        """Run ``job`` in a worker (its numpy loop in a spawned process if ``job.isolate``)."""
        if self.running:
            self.notify("A run is already going: stop it first (s).", severity="warning")
            return
        self._control = Control()
        self._chart().clear()
        self._charted.clear()
        self.query_one("#train-samples", Static).update("", layout=False)
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.query_one("#train-stats", Label).update("", layout=False)
        self._set_status("Starting…")
        self.running = True
        self.paused = False
        self._pending = None
        self._display_timer = self.set_interval(1 / DISPLAY_HZ, self._apply_pending)
        self.run_worker(
            partial(self._train, job, self._control),
            name="training",
            group="train",
            thread=True,
            exclusive=True,
            exit_on_error=False,
        )

    def pause(self) -> None:
        """Pause a running run (it waits at its next step)."""
        if self.running and self._control is not None and not self.paused:
            self._control.pause()
            self.paused = True
            self._set_status("Paused: press p to resume, s to stop.")

    def resume(self) -> None:
        """Resume a paused run."""
        if self.running and self._control is not None and self.paused:
            self._control.resume()
            self.paused = False
            self._set_status("Training…")

    def stop(self) -> None:
        """Stop the run; it saves its model and reports a stopped result."""
        if self.running and self._control is not None:
            self._control.stop()
            self.paused = False
            self._set_status("Stopping (saving the model)…")

    # -- actions ---------------------------------------------------------------------------

    def action_start(self) -> None:
        """Ask the tab for a job to run."""
        if self.running:
            self.notify("Training is already running (p pauses, s stops).", severity="warning")
            return
        self.post_message(self.StartRequested(self))

    def action_pause(self) -> None:
        """Toggle pause."""
        if self.paused:
            self.resume()
        else:
            self.pause()

    def action_stop(self) -> None:
        """Stop the run."""
        self.stop()

    def action_toggle_log(self) -> None:
        """Switch the loss chart between a logarithmic and a linear y axis."""
        chart = self._chart()
        chart.log_y = not chart.log_y
        chart.refresh()
        self.notify(f"Loss axis: {'logarithmic' if chart.log_y else 'linear'}", timeout=2)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Grey out bindings that do nothing right now."""
        if action == "start":
            return None if self.running else True
        if action in ("pause", "stop"):
            return True if self.running else None
        return True

    # -- worker ----------------------------------------------------------------------------

    def _train(self, job: TrainingJob, control: Control) -> None:
        """Worker body (a thread): run the job and relay its events as messages."""
        def relay(progress: Progress) -> None:
            self.post_message(TrainingProgressed(progress))

        result = run_job(job, on_progress=relay, control=control)
        self.post_message(TrainingFinished(result))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed run resets the controls and goes to the app's one error handler."""
        if event.worker.group != "train":
            return
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self._stop_display_timer()
            self.running = False
            self.paused = False
            self._set_status("Training failed.")
            self.post_message(TaskFailed(event.worker.error, "training"))

    def _stop_display_timer(self) -> None:
        timer, self._display_timer = self._display_timer, None
        if timer is not None:
            timer.stop()

    def on_unmount(self) -> None:
        """Never leave a run going behind a closed app."""
        if self._control is not None:
            self._control.stop()

    # -- events from the run ---------------------------------------------------------------

    @on(TrainingProgressed)
    def _show_progress(self, message: TrainingProgressed) -> None:
        """Record an event; the screen is updated at most DISPLAY_HZ times a second."""
        progress = message.progress
        if not self.running:
            return
        chart = self._chart()  # appending is O(1); the chart repaints on its own schedule
        chart.add_point("loss", progress.step, progress.loss)
        for name, value in progress.metrics.items():
            # Metrics are repeated until the next evaluation: chart each new value once.
            if charted(name) and self._charted.get(name) != value:
                self._charted[name] = value
                chart.add_point(name, progress.step, value)
        if progress.samples:
            # The latest samples as a whole (a sample may span several lines).
            lines = [f"step {progress.step:,}:"] + [f"  {sample}" for sample in progress.samples]
            self.query_one("#train-samples", Static).update(Text("\n".join(lines[:SAMPLE_LINES])), layout=False)
        self._pending = progress

    def _apply_pending(self) -> None:
        """Show the latest progress event (a timer calls this while a run is going)."""
        progress, self._pending = self._pending, None
        if progress is None or not self.running:
            return
        self.query_one(ProgressBar).update(total=progress.total, progress=progress.step)
        # Fixed-size labels: updating them must not cost a layout of the whole screen.
        self._last_progress = progress
        self.query_one("#train-stats", Label).update(describe_progress(progress), layout=False)
        if not self.paused:
            self._set_status("Training…")

    @on(TrainingFinished)
    def _show_result(self, message: TrainingFinished) -> None:
        result = message.result
        self.last_result = result
        self._apply_pending()
        self._stop_display_timer()
        self.running = False
        self.paused = False
        early = result.status == "finished" and result.steps < result.total
        # a run that ended early is done: its bar is full, and no ETA is left on screen
        self.query_one(ProgressBar).update(total=result.steps if early else result.total, progress=result.steps)
        if self._last_progress is not None:
            self.query_one("#train-stats", Label).update(describe_progress(self._last_progress, finished=True))
        if early:
            why = ("the held-out loss stopped improving" if result.metrics.get("stopped_early")
                   else "its time limit was reached")
            verb = f"Finished early at {result.steps:,}/{result.total:,} ({why})"
        elif result.status == "finished":
            verb = "Finished"
        else:
            verb = f"Stopped at {result.steps:,}/{result.total:,}"
        where = f" — model saved to {short_path(result.model_path)}" if result.model_path else ""
        self._set_status(f"{verb} in {format_duration(result.seconds)}, loss {format_number(result.loss)}{where}")

    # -- buttons and state -----------------------------------------------------------------

    @on(Button.Pressed, "#train-start")
    def _start_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_start()

    @on(Button.Pressed, "#train-pause")
    def _pause_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_pause()

    @on(Button.Pressed, "#train-stop")
    def _stop_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_stop()

    def watch_running(self, running: bool) -> None:
        start, stop = self.query_one("#train-start", Button), self.query_one("#train-stop", Button)
        pause = self.query_one("#train-pause", Button)
        # A focused button that gets disabled drops the focus out of the tab (the footer then
        # shows only the app's keys and p / s reach nothing): hand it to the button that now works.
        if running and self.screen.focused in (start,):
            pause.disabled = False
            pause.focus()
        elif not running and self.screen.focused in (pause, stop):
            start.disabled = False
            start.focus()
        start.disabled = running
        pause.disabled = not running
        stop.disabled = not running
        self.refresh_bindings()

    def watch_paused(self, paused: bool) -> None:
        self.query_one("#train-pause", Button).label = "Resume (p)" if paused else "Pause (p)"
        self.refresh_bindings()

    def _set_status(self, text: str) -> None:
        self.query_one("#train-status", Label).update(text, layout=False)
