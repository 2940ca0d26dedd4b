"""Provides TaskTab: the frame every task tab shares (views, keys, fields, workers, trained models)."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar, Literal, TypeVar

from textual import on
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input, Select, TabbedContent, TabPane, Tabs, TextArea
from textual.widgets.select import InvalidSelectValueError
from textual.worker import Worker, WorkerState

from seqtui.messages import TaskFailed
from seqtui.text import format_number, short_path
from seqtui.widgets.dialogs import ConfirmDialog
from seqtui.widgets.form import read_number
from seqtui.widgets.training_panel import TrainingPanel
from seqtui_models.core.errors import InvalidInput
from seqtui_models.core.training import RunResult

Handler = TypeVar("Handler", bound=Callable[..., Any])
State = Literal["success", "error", "cancelled"]
FIELDS = (Input, TextArea, Select)
"""Widgets that take typed keys: escape leaves them."""

FRAME_BINDINGS = [
    Binding("ctrl+n", "next_view", "Next view"),
    Binding("v", "next_view", "Next view", show=False),
    Binding("ctrl+g", "run_view", "Run"),
    Binding("escape", "escape", "Leave field", show=False),
    Binding("t", "train", "Train"),
    Binding("p", "pause", "Pause/Resume"),
    Binding("s", "stop", "Stop"),
    Binding("l", "toggle_log", "Log/linear", show=False),
    Binding("f2", "runs", "Runs"),
    Binding("f3", "share_state", "Share", show=False),
]
"""The keys every tab has; a tab's own bindings come first in the footer and win a clash."""


@dataclass(frozen=True)
class View:
    """One view of a tab: a pane of its ``TabbedContent``.

    Attributes:
        id: The pane's id.
        title: What the view strip shows.
        focus: Selector of the widget that gets the keyboard when the view comes to the front.
        rest: Selector of the widget escape moves the focus to from a field of this view (the
            view's results, so single-letter keys work); empty: ``focus``, unless that is a field.
        run: The action ``ctrl+g`` runs in this view (empty: none).
    """

    id: str
    title: str
    focus: str
    rest: str = ""
    run: str = ""


def model_source_of(path: str) -> str:
    """How a tab names a model file: its run's id, else the file's name ("bundled" for none)."""
    from pathlib import Path

    from seqtui_models.core.runs import run_of

    run = run_of(path) if path else None
    return run.id if run is not None else (Path(path).name if path else "bundled")


def handles(group: str, state: State = "success") -> Callable[[Handler], Handler]:
    """Mark a TaskTab method as the handler of a worker group's outcome.

    The method is called with the worker's result (``"success"``), its exception (``"error"``,
    before the failure goes to the app's one error handler), or nothing (``"cancelled"``).
    """

    def mark(method: Handler) -> Handler:
        method.__dict__.setdefault("_seqtui_handles", []).append((group, state))
        return method

    return mark


class TaskTab(Widget):
    """The frame of a task tab: a sidebar and views, with the keys every tab shares.

    A subclass sets :attr:`TASK`, :attr:`VIEWS`, :attr:`HELP` and composes its sidebar and a
    ``TabbedContent`` with id ``{TASK}-views`` holding one ``TabPane`` per view (it may add panes
    later, e.g. after the first frame). It calls :meth:`ready` once its content and model are
    loaded. What every tab then does the same way:

    - ``ctrl+n`` (or ``v`` when no field has the focus) cycles the views; each view puts the
      focus where its keys work; ``ctrl+g`` runs the current view's action.
    - ``escape`` cancels the tab's cancellable work (:meth:`cancel_work`), else leaves a field for
      the view's results, so that letters act as keys again (``1``…``6``, ``q``, ``t``…).
    - ``t`` / ``p`` / ``s`` / ``l`` drive the tab's :class:`TrainingPanel`, if it has one.
    - Worker outcomes are routed to the methods marked with :func:`handles`; failures also go to
      the app's one error handler.
    - Form fields are read with :meth:`number`, :meth:`text` and :meth:`choice`.
    - A trained model is adopted only when it scores at least as well as the one in use, or
      when the user says so (:meth:`offer_model`).
    """

    DEFAULT_CSS = """
    TaskTab {
        height: 1fr;
        width: 1fr;
    }
    TaskTab > Horizontal {
        height: 1fr;
    }
    TaskTab .sidebar {
        width: 20;
        height: 1fr;
        border-right: vkey $primary 30%;
        padding: 0 1;
    }
    TaskTab .section {
        text-style: bold;
        color: $accent;
        margin-top: 1;
    }
    TaskTab .field {
        height: 1;
        margin-bottom: 0;
    }
    TaskTab .field-label {
        width: 7;
        color: $text-muted;
    }
    TaskTab .field Input {
        width: 1fr;
    }
    TaskTab .sidebar Button {
        width: 100%;
        margin-top: 1;
    }
    TaskTab .sidebar Select {
        width: 100%;
    }
    TaskTab .views {
        width: 1fr;
    }
    TaskTab Input.-invalid {
        background-tint: $error 35%;
        text-style: bold;
    }
    """

    TASK: ClassVar[str] = ""
    """The tab's id without ``-tab``; its views live in ``#{TASK}-views``."""
    VIEWS: ClassVar[tuple[View, ...]] = ()
    HELP: ClassVar[str] = ""
    """Markdown shown by F1: what the tab computes, its equations, its keys."""
    COMMANDS_PALETTE: ClassVar[tuple[tuple[str, str, str], ...]] = ()
    """Commands for the command palette: (title, help, action)."""
    model_source: reactive[str] = reactive("bundled", init=False)
    """Where the model in use came from: "bundled", a run id or a file's name."""
    RUNS: ClassVar[bool] = False
    """Whether the tab's training runs are kept in the registry, for the Runs screen (F2)."""
    CAN_RESUME: ClassVar[bool] = False
    """Whether the Runs screen may resume a run in this tab's training panel."""

    active_view: reactive[str] = reactive("", init=False)
    """The id of the view in front."""

    BINDINGS: ClassVar[list[Binding | tuple[str, str] | tuple[str, str, str]]] = [*FRAME_BINDINGS]
    _own_bindings: ClassVar[list[Any]] = []
    _handlers: ClassVar[dict[tuple[str, State], str]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # The tab's own keys first (the footer shows them in this order), then the frame's.
        cls._own_bindings = list(cls.__dict__.get("BINDINGS", []))
        own = [b for klass in reversed(cls.__mro__) for b in vars(klass).get("_own_bindings", ())]
        taken = {key.strip() for b in own if isinstance(b, Binding) for key in b.key.split(",")}
        frame = [b for b in FRAME_BINDINGS if not taken & {key.strip() for key in b.key.split(",")}]
        cls.BINDINGS = [*own, *frame]
        kwargs.setdefault("inherit_bindings", False)
        super().__init_subclass__(**kwargs)
        handlers: dict[tuple[str, State], str] = {}
        for klass in reversed(cls.__mro__):
            for name, member in vars(klass).items():
                for key in getattr(member, "_seqtui_handles", ()):
                    handlers[key] = name
        cls._handlers = handlers

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="task-tab")
        self._ready = asyncio.Event()

    # -- readiness ---------------------------------------------------------------------------

    def ready(self) -> None:
        """Say the tab's content and model are loaded (:meth:`wait_ready` returns)."""
        self._ready.set()
        self.refresh_bindings()

    @property
    def is_ready(self) -> bool:
        """Whether :meth:`ready` was called."""
        return self._ready.is_set()

    async def wait_ready(self) -> None:
        """Wait until the tab's content and model are loaded."""
        await self._ready.wait()

    # -- views -------------------------------------------------------------------------------

    @property
    def views(self) -> TabbedContent:
        """The tab's views."""
        return self.query_one(f"#{self.TASK}-views", TabbedContent)

    def view(self, view_id: str | None = None) -> View | None:
        """The description of a view (default: the one in front)."""
        if view_id is None:
            try:
                view_id = self.views.active
            except NoMatches:
                return None
        return next((view for view in self.VIEWS if view.id == view_id), None)

    def mounted_views(self) -> list[View]:
        """The views whose panes exist already (some tabs add panes after the first frame)."""
        try:
            panes = {pane.id for pane in self.views.query(TabPane)}
        except NoMatches:
            return []
        return [view for view in self.VIEWS if view.id in panes]

    def show_view(self, view_id: str) -> None:
        """Bring a view to the front and give the keyboard to its ``focus`` widget."""
        # Park the focus on the view strip first: a focused widget hidden with its pane would
        # hand the focus to a neighbour after the new view's widget took it; and with no focus
        # at all, keys typed meanwhile (a quick second v) would miss the tab's bindings.
        for strip in self.views.query(Tabs):
            strip.focus(scroll_visible=False)
            break
        else:
            self.app.set_focus(None)
        self.views.active = view_id
        self.active_view = view_id
        view = self.view(view_id)
        if view is not None:
            self.call_after_refresh(self._focus, view.focus)

    def _focus(self, selector: str) -> None:
        for widget in self.query(selector):
            widget.focus()
            return

    def focus_default(self) -> None:
        """Give the keyboard to the view in front (the app calls this when the tab opens)."""
        view = self.view() or (self.VIEWS[0] if self.VIEWS else None)
        if view is not None:
            self._focus(view.focus)

    def action_next_view(self) -> None:
        """Bring the next view to the front."""
        views = [view.id for view in self.mounted_views()]
        if not views:
            return
        active = self.views.active
        self.show_view(views[(views.index(active) + 1) % len(views)] if active in views else views[0])

    async def action_run_view(self) -> None:
        """Run the current view's action (``ctrl+g``)."""
        view = self.view()
        if view is not None and view.run:
            await self.run_action(view.run)

    @on(TabbedContent.TabActivated)
    def _view_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.tabbed_content.id != f"{self.TASK}-views":
            return
        event.stop()
        self.active_view = event.pane.id or ""
        self.refresh_bindings()
        self.view_shown(self.active_view)

    def view_shown(self, view_id: str) -> None:
        """Called when a view comes to the front (by key, by click or by :meth:`show_view`)."""

    async def show_training_view(self) -> None:
        """Bring the view that holds the TrainingPanel to the front."""
        await self.wait_ready()
        panel = self.query_one(TrainingPanel)
        pane = next(ancestor for ancestor in panel.ancestors if isinstance(ancestor, TabPane))
        if pane.id:
            self.show_view(pane.id)
            self.call_after_refresh(panel.focus)

    # -- escape ------------------------------------------------------------------------------

    def cancel_work(self) -> bool:
        """Cancel the tab's cancellable work, if any is going; return whether something was."""
        return False

    def action_escape(self) -> None:
        """Cancel cancellable work; otherwise leave a field for the view's results."""
        if self.cancel_work():
            self.refresh_bindings()
            return
        focused = self.app.focused
        if not isinstance(focused, FIELDS) or self not in focused.ancestors:
            return
        view = self.view()
        targets = [view.rest, view.focus] if view else []
        for selector in filter(None, targets):
            for widget in self.query(selector):
                if not isinstance(widget, FIELDS) and widget.focusable:
                    widget.focus()
                    return
        self.app.set_focus(None)  # nothing else to go to: at least no field has the keys now

    # -- keys --------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show only the keys that do something now (the footer follows)."""
        if action in ("train", "pause", "stop", "toggle_log"):
            panels = list(self.query(TrainingPanel))
            if not panels:
                return False
            running = any(panel.running for panel in panels)
            if action == "train":
                return not running
            if action in ("pause", "stop"):
                return running
            return True
        if action == "runs":
            return self.RUNS and self.is_ready
        if action == "next_view":
            return len(self.VIEWS) > 1
        if action == "run_view":
            view = self.view()
            return view is not None and bool(view.run)
        return True

    async def action_train(self) -> None:
        """Show the Train view and start a run (the panel asks the tab for the job)."""
        await self.show_training_view()
        self.query_one(TrainingPanel).action_start()

    def action_pause(self) -> None:
        """Pause or resume the run."""
        for panel in self.query(TrainingPanel):
            panel.action_pause()

    def action_stop(self) -> None:
        """Stop the run (its model is saved)."""
        for panel in self.query(TrainingPanel):
            panel.action_stop()

    def action_toggle_log(self) -> None:
        """Switch the loss chart between logarithmic and linear."""
        for panel in self.query(TrainingPanel):
            panel.action_toggle_log()

    # -- form fields -------------------------------------------------------------------------

    def number(self, selector: str, name: str, kind: type[int] | type[float] = int, **limits: Any) -> Any:
        """The number in an ``Input`` (see :func:`seqtui.text.parse_number` for ``limits``: low, high, blank).

        Raises:
            InvalidInput: not a number of that kind or out of range; the field is marked invalid.
        """
        field = self.query_one(selector, Input)
        try:
            value = read_number(field.value, name, kind, **limits)
        except InvalidInput:
            field.add_class("-invalid")
            raise
        field.remove_class("-invalid")
        return value

    def fill_fields(self, values: Mapping[str, Any], **selectors: str) -> None:
        """Write a preset's values into its fields: ``fill_fields(PRESETS[p], epochs="#x-epochs")``
        (a ``Select`` takes the value, an ``Input`` its text)."""
        for key, selector in selectors.items():
            widget = self.query_one(selector)
            if isinstance(widget, Select):
                widget.value = values[key]
            elif isinstance(widget, Input):
                widget.value = str(values[key])

    def text(self, selector: str) -> str:
        """The stripped text of an ``Input``."""
        return self.query_one(selector, Input).value.strip()

    def choice(self, selector: str) -> str:
        """The value of a ``Select`` (empty if none is chosen)."""
        value = self.query_one(selector, Select).value
        return "" if value is Select.BLANK else str(value)

    # -- workers -----------------------------------------------------------------------------

    def fail(self, error: BaseException, source: str) -> None:
        """Send a failure to the app's one error handler (a notification or a dialog)."""
        self.post_message(TaskFailed(error, source))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Route a worker's outcome to the method marked with :func:`handles` for its group."""
        worker: Worker[Any] = event.worker
        group = worker.group
        if event.state == WorkerState.SUCCESS:
            self._call(group, "success", worker.result)
        elif event.state == WorkerState.CANCELLED:
            self._call(group, "cancelled")
            self.refresh_bindings()
        elif event.state == WorkerState.ERROR and worker.error is not None:
            self._call(group, "error", worker.error)
            self.refresh_bindings()
            self.fail(worker.error, group)

    def _call(self, group: str, state: State, *args: Any) -> None:
        name = self._handlers.get((group, state))
        if name is None:
            return
        try:
            getattr(self, name)(*args)
        except NoMatches:  # the tab was closed while the worker ran: nothing left to show it in
            if self.is_attached:
                raise

    # -- runs ----------------------------------------------------------------------------------

    def action_runs(self) -> None:
        """Open the Runs screen: this task's runs, their curves, load, resume, delete (F2)."""
        from seqtui.widgets.runs import RunsScreen

        if not self.RUNS:
            return
        self.app.push_screen(RunsScreen(self.TASK, can_resume=self.CAN_RESUME, current=self.model_run()),
                             self._run_chosen)

    def _run_chosen(self, choice: Any) -> None:
        if choice is None:
            return
        if choice.action == "resume":
            self.call_later(self.resume_run, choice.run.id)
        else:
            self.load_model_file(choice.path)

    def model_run(self) -> str:
        """The id of the run whose model the tab uses ("" for the bundled model or another file)."""
        return self.model_source if self.model_source.startswith(f"{self.TASK}-") else ""

    def load_model_file(self, path: str) -> None:
        """Use the model in ``path`` (a run's, or any file) from now on, and after a restart."""
        self.run_worker(partial(self._read_model_file, path), name="model-file", group="model-file",
                        thread=True, exclusive=True, exit_on_error=False)

    def _read_model_file(self, path: str) -> tuple[Any, str]:
        return self.read_model_file(path), path

    def read_model_file(self, path: str) -> Any:
        """Read a model file of this task (in a thread); a tab with runs implements it."""
        raise NotImplementedError

    def use_model(self, model: Any) -> None:
        """Switch the tab to ``model`` (a tab with runs implements it)."""
        raise NotImplementedError

    @handles("model-file")
    def _model_file_read(self, loaded: tuple[Any, str]) -> None:
        model, path = loaded
        self.model_source = model_source_of(path)
        self.use_model(model)
        self.remember(self.TASK, path)
        self.notify(f"Now using the model of {self.model_source}.", title="Model loaded")

    @handles("model-file", "error")
    def _model_file_failed(self, error: BaseException) -> None:
        self.fail(error, "loading a model")

    def remembered_or_bundled(self, read: Callable[[str], Any], bundled: Callable[[], Any]) -> tuple[Any, str, str]:
        """The model the tab used last time, else the bundled one (call it in a worker thread).

        Returns:
            The model, where it came from (:func:`model_source_of`), and a message when the
            remembered model could not be loaded ("" otherwise).
        """
        from seqtui_models.core.errors import SeqtuiError
        from seqtui_models.core.runs import forget_model, remembered_model

        path = remembered_model(self.TASK)
        if path:
            try:
                return read(path), model_source_of(path), ""
            except SeqtuiError as exc:
                forget_model(self.TASK)
                return bundled(), "bundled", f"The model used last time could not be loaded ({exc}); back to the bundled one."
        return bundled(), "bundled", ""

    def say_where_the_model_is_from(self, source: str, problem: str) -> None:
        """After :meth:`remembered_or_bundled`: note the model's source and tell the user."""
        self.model_source = source
        if problem:
            self.notify(problem, severity="warning")
        elif source != "bundled":
            self.notify(f"Using the model of {source}, as last time (F2: runs).", timeout=4)

    def adopted_from(self, result: RunResult) -> None:
        """A trained model was adopted: it is the run's; remember it for the next start."""
        self.model_source = model_source_of(result.model_path or "")
        self.remember(self.TASK, result.model_path)

    def model_origin(self) -> str:
        """A line for the sidebar under the model's description ("" for the bundled model)."""
        return "" if self.model_source in ("", "bundled") else f"\nfrom {self.model_source}"

    async def resume_run(self, run_id: str) -> None:
        """Continue run ``run_id`` in the training panel; a tab that can resume implements it."""
        raise NotImplementedError

    @staticmethod
    def remember(task: str, path: str | None) -> None:
        """Note the model file the tab now uses, so that it reopens with it (a failure to write is no error)."""
        from seqtui_models.core.runs import remember_model

        if path:
            try:
                remember_model(task, path)
            except OSError:
                pass

    # -- state strings -----------------------------------------------------------------------

    def state(self) -> Any:
        """The tab's state (:class:`seqtui.state.AppState`): its view and every form field's text."""
        from seqtui.state import AppState

        fields: dict[str, str] = {}
        for widget in self.query("Input, Select"):
            if widget.id is None or widget.id.endswith("-path"):
                continue  # a file path is the user's own machine's: not shared
            if isinstance(widget, Input):
                fields[widget.id] = widget.value
            elif isinstance(widget, Select) and widget.value is not Select.BLANK:
                fields[widget.id] = str(widget.value)
        return AppState(self.TASK, self.views.active or "", fields)

    def action_share_state(self) -> None:
        """Copy the tab's state string to the clipboard (OSC 52) and show it (F3)."""
        text = self.state().encode()
        self.app.copy_to_clipboard(text)
        self.notify(f"seqtui --state {text}", title="State copied to the clipboard", timeout=15)

    def apply_state(self, state: Any) -> None:
        """Put a state's field texts in this tab's fields and show its view (unknown fields are skipped)."""
        fields = dict(state.fields)
        selects = [w for w in self.query(Select) if w.id in fields]
        for select in selects:  # choices first: a preset fills the fields after it
            try:
                with select.prevent(Select.Changed):
                    select.value = fields[select.id or ""]
            except InvalidSelectValueError:
                self.notify(f"The state's {select.id} {fields[select.id or '']!r} is not a choice here.",
                            severity="warning")
                continue
            self.select_restored(select.id or "", str(select.value))
        for field in self.query(Input):
            if field.id in fields:
                field.value = fields[field.id]
        if state.view and self.view(state.view) is not None:
            self.show_view(state.view)

    def select_restored(self, select_id: str, value: str) -> None:
        """A state string set a choice (a tab whose choices fill other fields does that here)."""

    # -- trained models ----------------------------------------------------------------------

    @staticmethod
    def trained_model(result: RunResult) -> Any:
        """The model a finished or stopped run carries in its payload (``None`` if none)."""
        return result.payload.get("model") if isinstance(result.payload, dict) else None

    def offer_model(
        self,
        result: RunResult,
        *,
        adopt: Callable[[], None],
        metric: str,
        current: float | None,
        higher_is_better: bool,
        label: str | None = None,
        show: Callable[[float], str] = format_number,
        what: str = "model",
    ) -> None:
        """Switch to a trained model if it scores at least as well as the one in use, else ask.

        Args:
            result: The run (finished or stopped; its model is saved either way).
            adopt: Switches the tab to the new model (and says so).
            metric: The key in ``result.metrics`` to compare.
            current: The same figure for the model in use; ``None`` when the two cannot be
                compared (another data set, other classes): the new model is adopted.
            higher_is_better: Accuracy (True) or a loss (False).
            label: The figure's name for the question (default: ``metric``).
            show: Formats a figure.
            what: What a model is called in the question ("V1 model").
        """
        warning = result.metrics.get("warning")
        if isinstance(warning, str):
            self.notify(warning, title="The run did not learn", severity="warning", timeout=12)
        new = result.metrics.get(metric)
        comparable = isinstance(new, (int, float)) and current is not None and math.isfinite(current)
        if not comparable or (new >= current if higher_is_better else new <= current):  # type: ignore[operator]
            adopt()
            return
        assert isinstance(new, (int, float)) and current is not None
        name = label or metric
        where = f" in {short_path(result.model_path)}" if result.model_path else ""
        question = (f"The new {what} scores {name} {show(new)}; the one in use scores {show(current)}. "
                    f"Use the new {what} anyway? (It is saved{where} either way.)")

        def answered(use_new: bool | None) -> None:
            if use_new:
                adopt()
            else:
                self.notify(f"Still using the current {what} ({name} {show(current)}); the new one is saved{where}.",
                            title=f"Training {result.status}")

        self.app.push_screen(
            ConfirmDialog(f"Training {result.status}: the new {what} scores worse", question,
                          yes="Use the new one", no="Keep the current one"),
            answered,
        )
