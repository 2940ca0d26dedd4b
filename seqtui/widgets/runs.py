"""Provides the Runs screen: a task's training runs, their loss curves overlaid, load, resume, delete."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import DataTable, Footer, Input, Label, Static

from seqtui_models.core.errors import SeqtuiError
from seqtui.widgets.dialogs import ConfirmDialog
from seqtui.widgets.loss_chart import LossChart

if TYPE_CHECKING:
    from seqtui_models.core.runs import Run

MAX_CURVES = 6
"""How many runs' curves one chart overlays (the chart's colours)."""


@dataclass(frozen=True)
class RunChoice:
    """What the user chose on the Runs screen: load a run's model (or a model file), or resume a run."""

    action: Literal["load", "resume"]
    path: str
    run: Run | None = None


class PathSuggester(Suggester):
    """Completes a file path typed in a field: the first entry of its folder that starts with what is typed."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        """The typed path completed to an existing entry, or None."""
        if not value:
            return None
        expanded = os.path.expanduser(value)
        folder, start = os.path.split(expanded)
        try:
            names = sorted(os.listdir(folder or "."))
        except OSError:
            return None
        for name in names:
            if name.startswith(start) and name != start and not name.startswith("."):
                rest = name[len(start):] + ("/" if os.path.isdir(os.path.join(folder or ".", name)) else "")
                return value + rest
        return None


def _headline(run: Run) -> str:
    if run.headline is None:
        return "–"
    name, value = run.headline
    return f"{name} {value:.4g}"


class RunsScreen(ModalScreen[RunChoice | None]):
    """A task's runs, newest first.

    The highlighted run's loss curve is drawn; ``space`` adds runs to the chart to compare their
    curves (up to :data:`MAX_CURVES`), ``enter`` loads a run's model into the tab, ``r``
    resumes it (tasks that can), ``d`` deletes it after asking, and the field at the bottom loads
    any model file (tab completes). ``escape`` closes.
    """

    DEFAULT_CSS = """
    RunsScreen {
        align: center middle;
    }
    RunsScreen > #runs-box {
        width: 96%;
        height: 92%;
        border: thick $primary;
        background: $panel;
        padding: 0 1;
    }
    RunsScreen #runs-title {
        text-style: bold;
        height: 1;
    }
    RunsScreen #runs-table {
        height: auto;
        max-height: 45%;
        min-height: 3;
    }
    RunsScreen #runs-chart {
        height: 1fr;
        min-height: 6;
    }
    RunsScreen #runs-detail {
        height: auto;
        max-height: 3;
        color: $text-muted;
    }
    RunsScreen #runs-file {
        height: 1;
        & Label {
            width: auto;
            margin-right: 1;
        }
        & Input {
            width: 1fr;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("enter", "load", "Load", priority=False),
        Binding("space", "compare", "Compare"),
        Binding("r", "resume", "Resume"),
        Binding("d", "delete", "Delete"),
        Binding("f", "file", "Model file", show=False),
    ]

    runs: reactive[tuple[Run, ...]] = reactive((), init=False, always_update=True)
    """The task's runs, newest first."""
    compared: reactive[tuple[str, ...]] = reactive((), init=False)
    """The ids of the runs whose curves are overlaid (besides the highlighted one)."""

    def __init__(self, task: str, *, can_resume: bool = False, current: str = "") -> None:
        super().__init__()
        self.of_task = task
        self.can_resume = can_resume
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="runs-box"):
            yield Label(f"{self.of_task} runs — enter loads · space compares · r resumes · d deletes · escape closes",
                        id="runs-title")
            table: DataTable[Any] = DataTable(id="runs-table", cursor_type="row", zebra_stripes=True)
            for label, width in (("", 1), ("run", 26), ("when (UTC)", 16), ("preset", 10), ("headline", 16),
                                 ("status", 10)):
                table.add_column(label, width=width)
            yield table
            yield LossChart(id="runs-chart", title="loss per step", log_y=False)
            yield Static("", id="runs-detail")
            with Horizontal(id="runs-file"):
                yield Label("or a model file:")
                yield Input(placeholder="a path; tab completes", id="runs-path", suggester=PathSuggester(),
                            compact=True)
        yield Footer()

    def on_mount(self) -> None:
        """Read the runs (in a thread: a folder of many runs takes a moment)."""
        self.query_one("#runs-table", DataTable).focus()
        self._read_runs()

    @work(thread=True, exclusive=True, exit_on_error=False, group="runs-read")
    def _read_runs(self) -> tuple[Run, ...]:
        from seqtui_models.core.runs import list_runs

        return tuple(list_runs(self.of_task))

    def on_worker_state_changed(self, event: Any) -> None:
        """Show the runs once read, or say why they cannot be."""
        worker = event.worker
        if worker.group != "runs-read":
            return
        if worker.is_finished and worker.error is not None:
            self.query_one("#runs-detail", Static).update(Text(f"The runs could not be read: {worker.error}",
                                                              style="bold red"))
        elif worker.is_finished and worker.result is not None:
            self.runs = worker.result

    def watch_runs(self, runs: tuple[Run, ...]) -> None:
        table = self.query_one("#runs-table", DataTable)
        table.clear()
        for run in runs:
            mark = Text("●", style="bold") if run.id == self.current else ""
            status = Text(run.status, style="bold red" if run.status == "incomplete" else "")
            table.add_row(mark, run.id, run.created.replace("T", " ")[:16], run.preset[:12], _headline(run), status,
                          key=run.id)
        if not runs:
            self.query_one("#runs-detail", Static).update(
                f"No {self.of_task} runs yet: train one (t in the tab, or 'seqtui {self.of_task} train').")
        self.compared = tuple(c for c in self.compared if any(r.id == c for r in runs))
        self._draw()

    def watch_compared(self) -> None:
        self._draw()

    # -- what is highlighted -------------------------------------------------------------------

    def highlighted(self) -> Run | None:
        """The run under the table's cursor."""
        table = self.query_one("#runs-table", DataTable)
        if not self.runs or table.cursor_row >= len(self.runs):
            return None
        return self.runs[table.cursor_row]

    @on(DataTable.RowHighlighted, "#runs-table")
    def _highlighted(self) -> None:
        self._draw()

    @on(DataTable.RowSelected, "#runs-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_load()

    def _draw(self) -> None:
        """Overlay the compared runs' curves and the highlighted one's; describe the highlighted run."""
        chart = self.query_one("#runs-chart", LossChart)
        chart.clear()
        run = self.highlighted()
        shown = [r for r in self.runs if r.id in self.compared]
        if run is not None and run not in shown:
            shown.append(run)
        for r in shown[-MAX_CURVES:]:
            if r.history:
                chart.set_series(r.id.removeprefix(f"{self.of_task}-"), list(r.history))
        detail = self.query_one("#runs-detail", Static)
        if run is None:
            return
        lines = [run.command or "(no command recorded)"]
        if run.problem:
            lines.append(f"incomplete: {run.problem}")
        elif run.resumed_from:
            lines.append(f"resumed from {run.resumed_from}")
        detail.update("\n".join(lines))

    # -- actions ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer resume only where the tab can resume; nothing acts on an empty list."""
        if action == "resume":
            return self.can_resume and self.highlighted() is not None
        if action in ("load", "compare", "delete"):
            return bool(self.runs) and not isinstance(self.focused, Input)
        return True

    def action_close(self) -> None:
        """Close without choosing."""
        self.dismiss(None)

    def action_load(self) -> None:
        """Load the highlighted run's model into the tab."""
        run = self.highlighted()
        if run is None:
            return
        if not run.complete or run.model_path is None:
            self.notify(f"{run.id} is {run.status}: {run.problem or 'it has no model'}.", severity="warning")
            return
        self.dismiss(RunChoice("load", str(run.model_path), run))

    def action_resume(self) -> None:
        """Resume the highlighted run in the tab's training panel."""
        run = self.highlighted()
        if run is None:
            return
        if not run.complete:
            self.notify(f"{run.id} is {run.status}: it cannot be resumed.", severity="warning")
            return
        self.dismiss(RunChoice("resume", str(run.model_path), run))

    def action_compare(self) -> None:
        """Add the highlighted run's curve to the chart, or take it away."""
        run = self.highlighted()
        if run is None:
            return
        if run.id in self.compared:
            self.compared = tuple(c for c in self.compared if c != run.id)
        elif len(self.compared) >= MAX_CURVES:
            self.notify(f"The chart overlays {MAX_CURVES} runs at most: space on one to take it away.")
        else:
            self.compared = (*self.compared, run.id)
        table = self.query_one("#runs-table", DataTable)
        table.update_cell(run.id, table.ordered_columns[0].key, Text("◆", style="bold") if run.id in self.compared else "")

    def action_delete(self) -> None:
        """Delete the highlighted run (its folder and model) after asking."""
        run = self.highlighted()
        if run is None:
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            from seqtui_models.core.runs import remove_run

            try:
                remove_run(run.id)
            except (OSError, SeqtuiError) as exc:  # shown, not raised: the list stays usable
                self.notify(f"Could not delete {run.id}: {exc}", severity="error")
                return
            self.notify(f"Deleted {run.id}.")
            self.runs = tuple(r for r in self.runs if r.id != run.id)

        self.app.push_screen(ConfirmDialog(f"Delete {run.id}?", f"Its folder and model are removed for good: "
                                           f"{run.folder}", yes="Delete", no="Keep it"), answered)

    def action_file(self) -> None:
        """Go to the model-file field."""
        self.query_one("#runs-path", Input).focus()

    @on(Input.Submitted, "#runs-path")
    def _path_given(self, event: Input.Submitted) -> None:
        event.stop()
        path = Path(event.value.strip()).expanduser()
        if not event.value.strip():
            return
        if not path.is_file():
            self.notify(f"No such file: {path}", severity="error")
            return
        self.dismiss(RunChoice("load", str(path)))
