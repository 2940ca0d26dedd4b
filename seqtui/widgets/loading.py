"""Provides DeferredImport: a visible loading indicator while heavy frameworks import."""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Label, LoadingIndicator
from textual.worker import Worker, WorkerState

from seqtui.messages import TaskFailed


def importing(*modules: str) -> Callable[[], None]:
    """A loader for :class:`DeferredImport` that imports third-party modules (``"music21"``)."""

    def load() -> None:
        for name in modules:
            importlib.import_module(name)

    return load


class DeferredImport(Widget):
    """Imports heavy modules in a thread behind a loading indicator, then shows the real content.

    TensorFlow, Keras and music21 take seconds to import; a tab that needs them wraps its
    content in this widget, so the app paints at once and the tab says what it is waiting for.

    Args:
        load: Does the slow imports (runs in a thread), e.g. a task's ``warm_up``.
        factory: Builds the real content once they are done (runs on the UI thread).
        what: What the user is waiting for, e.g. "TensorFlow".
    """

    DEFAULT_CSS = """
    DeferredImport {
        height: 1fr;
    }
    DeferredImport > .loading {
        height: 1fr;
        align: center middle;
    }
    DeferredImport .loading Label {
        width: 100%;
        text-align: center;
        color: $text-muted;
    }
    DeferredImport LoadingIndicator {
        height: 3;
    }
    """

    PAINT_DELAY = 0.1
    """Seconds between the first paint and the start of the import (the frame must reach the terminal)."""

    class Loaded(Message):
        """The modules are imported and the content is mounted."""

        def __init__(self, seconds: float) -> None:
            super().__init__()
            self.seconds = seconds

    def __init__(
        self, load: Callable[[], object], factory: Callable[[], Widget], what: str, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.load = load
        self.factory = factory
        self.what = what
        self.content: Widget | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="loading"):
            yield LoadingIndicator()
            yield Label(f"Loading {self.what}… (first use only)")

    def on_mount(self) -> None:
        """Start importing once the indicator is on screen.

        Importing TensorFlow holds the GIL for seconds at a time, so the UI thread barely runs
        while it imports: start only after the indicator has been painted and written out.
        """
        self.call_after_refresh(self.set_timer, self.PAINT_DELAY, self._import)

    @work(thread=True, exclusive=True, exit_on_error=False, group="deferred-import")
    def _import(self) -> float:
        start = time.perf_counter()
        self.load()
        return time.perf_counter() - start

    async def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Swap the indicator for the content, or report why the import failed."""
        if event.worker.group != "deferred-import":
            return
        if event.state == WorkerState.SUCCESS:
            await self.query_one(".loading").remove()
            self.content = self.factory()
            await self.mount(self.content)
            self.post_message(self.Loaded(float(event.worker.result or 0.0)))
        elif event.state == WorkerState.ERROR and event.worker.error is not None:
            self.query_one(".loading Label", Label).update(
                f"{self.what} could not be loaded: {event.worker.error}. Reinstall seqtui's dependencies (make run)."
            )
            self.query_one(LoadingIndicator).display = False
            self.post_message(TaskFailed(event.worker.error, f"loading {self.what}"))
