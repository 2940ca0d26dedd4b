"""Provides the cells tab: RNN and LSTM cells step by step, gradient checks and toy training."""

from __future__ import annotations

import asyncio
from typing import Any, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, DataTable, Input, Label, Select, TabbedContent, TabPane
from textual.css.query import NoMatches
from textual.worker import Worker, WorkerState

from seqtui_models.core.errors import InvalidInput
from seqtui.messages import TaskFailed, TrainingFinished
from seqtui.tabs.training_keys import TRAINING_BINDINGS, TrainingKeys
from seqtui.widgets.form import field, read_number
from seqtui.widgets.training_panel import TrainingPanel

HELP = r"""
# Cells — RNN and LSTM step by step

Everything here is plain numpy, written the way the course writes it, with the course's shapes:
`x` is (n_x, m, T_x), `a` is (n_a, m, T_x). Press **r** to run one forward and one backward pass
over random inputs and see every array's shape; **←/→** (or **[ ]**) step through time and the
heatmaps show the hidden state (and, for the LSTM, the cell state and the four gates) of
example 0 at that step.

## RNN cell
    a⟨t⟩ = tanh(Waa a⟨t−1⟩ + Wax x⟨t⟩ + ba)
    ŷ⟨t⟩ = softmax(Wya a⟨t⟩ + by)

## LSTM cell (gates act on the concatenation [a⟨t−1⟩; x⟨t⟩])
    Γf = σ(Wf [a⟨t−1⟩; x⟨t⟩] + bf)          forget gate
    Γi = σ(Wi [a⟨t−1⟩; x⟨t⟩] + bi)          update (input) gate
    c̃⟨t⟩ = tanh(Wc [a⟨t−1⟩; x⟨t⟩] + bc)      candidate
    c⟨t⟩ = Γf ⊙ c⟨t−1⟩ + Γi ⊙ c̃⟨t⟩
    Γo = σ(Wo [a⟨t−1⟩; x⟨t⟩] + bo)          output gate
    a⟨t⟩ = Γo ⊙ tanh(c⟨t⟩)

## Backward
Backpropagation through time walks from t = T_x down to 1, adding the gradient that flows back
from a⟨t⟩ to the one that arrives from the loss. For the RNN, dtanh = (1 − a⟨t⟩²) ⊙ da, then
dWax = dtanh x⟨t⟩ᵀ, dWaa = dtanh a⟨t−1⟩ᵀ, dba = Σ dtanh, and da⟨t−1⟩ = Waaᵀ dtanh.

**g** runs the gradient check: each parameter's gradient against centred differences
(L(θ+ε) − L(θ−ε)) / 2ε in float64; the relative error ‖g_num − g‖ / (‖g_num‖ + ‖g‖) must be
below 1e-7.

## Train
**t** trains the chosen cell on a toy task with our own backward pass (Adam or SGD, global-norm
gradient clipping); **p** pauses, **s** stops (the model is saved either way).
*recall*: output the symbol seen k steps ago. Raise k to 20 or more: the RNN stays at chance
(its gradient through k steps is a product of k factors diag(1 − a²) Waa, which vanishes)
while the LSTM's additive cell state carries the memory. *parity*: XOR of all bits so far.
*sine*: predict the next value of a noisy sine wave.
"""

SIZE_FIELDS = (("n_x", 3), ("n_a", 5), ("n_y", 2), ("m", 10), ("T_x", 7), ("seed", 0))


class CellsTab(TrainingKeys):
    """The cells tab: explore, gradient-check and train the numpy RNN and LSTM cells."""

    HELP = HELP
    #: Train in a spawned process: the numpy loop holds the GIL, and in a thread of this
    #: process it would starve the UI (tests/benchmarks/ui_latency.py measures both).
    ISOLATE_TRAINING = True

    BINDINGS = [
        Binding("r", "run", "Run fwd+bwd"),
        Binding("g", "check", "Grad check"),
        Binding("left,left_square_bracket", "step(-1)", "← step", show=False),
        Binding("right,right_square_bracket", "step(1)", "→ step", show=False),
        *TRAINING_BINDINGS,
    ]

    #: Commands this tab adds to the command palette: (title, help, action).
    COMMANDS_PALETTE = (
        ("Cells: run forward and backward", "One pass with the sizes in the sidebar", "run"),
        ("Cells: gradient check", "Both cells against centred differences", "check"),
        ("Cells: train", "Train the chosen cell on the chosen toy task", "train"),
        ("Cells: stop training", "Stop the run and save its model", "stop"),
    )

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="task-tab")
        self.run_data: Any = None
        self.t = 0
        self._views_added = asyncio.Event()

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal():
            with VerticalScroll(id="cells-form", classes="sidebar"):
                yield Label("Cell", classes="section")
                yield Select([("LSTM", "lstm"), ("RNN", "rnn")], value="lstm", allow_blank=False, id="cell")
                yield Label("Sizes", classes="section")
                for name, default in SIZE_FIELDS:
                    yield field(name, Input(str(default), type="integer", id=f"size-{name}", compact=True))
                yield Button("Run (r)", id="run", variant="primary", compact=True)
                yield Button("Check (g)", id="check", compact=True)
            with TabbedContent(id="cells-views"):
                with TabPane("Step through", id="view-step"):
                    yield Label("Press r to run a forward and backward pass.", id="step-title")
                    # The table and heatmaps (numpy) are mounted just after the first frame.
                    yield Horizontal(id="step-body")


    def focus_default(self) -> None:
        """Put the keyboard focus where a newcomer starts: the Run button."""
        self.query_one("#run", Button).focus()

    def on_mount(self) -> None:
        """Set up the tables and show a first pass at once."""
        # The step view's contents and the hidden views are added just after the first frame: a faster start.
        self.call_after_refresh(self._add_hidden_views)  # ends with the first pass

    async def wait_ready(self) -> None:
        """Wait until every view of the tab is mounted (they follow the first frame)."""
        await self._views_added.wait()

    async def _add_hidden_views(self) -> None:
        try:
            await self._mount_views()
        except NoMatches:  # the app closed before its first frame settled: nothing to add to
            return
        self._views_added.set()
        self.action_run()

    async def _mount_views(self) -> None:
        from seqtui.widgets.heatmap import Heatmap

        shapes: DataTable[str] = DataTable(id="shapes", cursor_type="row", zebra_stripes=True)
        shapes.add_columns("array", "shape")
        maps = Vertical(
            Heatmap(id="map-sequence", vmin=-1.0, vmax=1.0, diverging=True, max_rows=16),
            Heatmap(id="map-step", vmin=-1.0, vmax=1.0, diverging=True, max_rows=16, cell_width=5, show_values=True),
            id="step-maps",
        )
        if not self.is_attached or self.app._exit_renderables:  # the app closed in the first instant
            raise NoMatches("the tab is gone")
        body = self.query_one("#step-body", Horizontal)
        await body.mount(shapes, maps)
        check_table: DataTable[str] = DataTable(id="check-table", cursor_type="row")
        check_table.add_columns("cell", "parameter", "relative error", "result")
        train_form = Horizontal(
            field("task", Select([("recall", "recall"), ("parity", "parity"), ("sine", "sine")],
                                  value="recall", allow_blank=False, id="train-task", compact=True)),
            field("k", Input("5", type="integer", id="train-k", compact=True)),
            field("steps", Input("1500", type="integer", id="train-steps", compact=True)),
            field("opt", Select([("adam", "adam"), ("sgd", "sgd")], value="adam",
                                 allow_blank=False, id="train-opt", compact=True)),
            id="train-form",
        )
        views = self.query_one("#cells-views", TabbedContent)
        if not views.is_attached or self.app._exit_renderables:
            raise NoMatches("the tab is gone")
        await views.add_pane(TabPane(
            "Gradient check",
            Label("Press g to check every parameter's gradient.", id="check-title"),
            check_table,
            id="view-check",
        ))
        await views.add_pane(TabPane("Train", train_form, TrainingPanel(id="cells-train"), id="view-train"))

    # -- reading the form ------------------------------------------------------------------

    def _int(self, selector: str, name: str) -> int:
        return int(read_number(self.query_one(selector, Input).value, name))

    def sizes(self) -> dict[str, int]:
        """The sizes typed in the form (raises InvalidInput on a bad value)."""
        return {name: self._int(f"#size-{name}", name) for name, _ in SIZE_FIELDS}

    @property
    def cell(self) -> str:
        """The chosen cell, "rnn" or "lstm"."""
        return str(self.query_one("#cell", Select).value)

    # -- forward and backward --------------------------------------------------------------

    def action_run(self) -> None:
        """Run one forward and backward pass with the form's sizes."""
        if not self._views_added.is_set():  # pressed in the first instant: run once they exist
            self.run_worker(self._run_when_ready(), group="wait-views", exclusive=True)
            return
        try:
            sizes = self.sizes()
        except InvalidInput as exc:
            self.post_message(TaskFailed(exc, "run"))
            return
        self.query_one("#cells-views", TabbedContent).active = "view-step"
        self._explore(self.cell, sizes)

    @work(thread=True, exclusive=True, exit_on_error=False, group="explore")
    def _explore(self, cell: str, sizes: dict[str, int]) -> Any:
        from seqtui_models.cells import explore

        seed = sizes.pop("seed")
        return explore(cell, seed=seed, **sizes)

    async def _run_when_ready(self) -> None:
        await self._views_added.wait()
        self.action_run()

    def _show_run(self, run: Any) -> None:
        self.run_data = run
        self.t = min(self.t, run.T_x - 1)
        table = self.query_one("#shapes", DataTable)
        table.clear()
        for name, shape in run.shapes().items():
            table.add_row(name, str(shape))
        self._show_step()

    def action_step(self, delta: int) -> None:
        """Move the time step shown in the heatmaps."""
        if self.run_data is None:
            return
        self.t = max(0, min(self.run_data.T_x - 1, self.t + delta))
        self._show_step()

    def _show_step(self) -> None:
        import numpy as np

        from seqtui.widgets.heatmap import Heatmap

        run = self.run_data
        t = self.t
        self.query_one("#step-title", Label).update(
            f"{run.cell.upper()} · time step t = {t + 1} of {run.T_x} (←/→ or [ ]) · example 0 of m"
        )
        a = run.arrays["a"][:, 0, :]  # (n_a, T_x)
        self.query_one("#map-sequence", Heatmap).update(
            a,
            row_labels=[f"u{i}" for i in range(a.shape[0])],
            col_labels=[str((j + 1) % 10) for j in range(a.shape[1])],
            title="hidden state a⟨t⟩ over time (units × steps)",
            highlight_col=t,
        )
        state = run.step_state(t)
        if run.cell == "lstm":
            names = ["a", "c", "f", "i", "c~", "o"]
            title = f"step {t + 1}: a, c and the gates Γf, Γi, c̃, Γo (colours clip at ±1)"
        else:
            names = ["a"]
            title = f"step {t + 1}: a⟨t⟩"
        values = np.stack([state[name] for name in names], axis=1)  # (n_a, k)
        self.query_one("#map-step", Heatmap).update(
            values,
            row_labels=[f"u{i}" for i in range(values.shape[0])],
            col_labels=names,
            title=title,
        )

    # -- gradient check --------------------------------------------------------------------

    async def action_check(self) -> None:
        """Gradient-check both cells (centred differences, float64)."""
        await self._views_added.wait()
        self.query_one("#cells-views", TabbedContent).active = "view-check"
        self.query_one("#check-title", Label).update("Checking…")
        try:
            seed = self._int("#size-seed", "seed")
        except InvalidInput as exc:
            self.post_message(TaskFailed(exc, "gradient check"))
            return
        self._check(seed)

    @work(thread=True, exclusive=True, exit_on_error=False, group="check")
    def _check(self, seed: int) -> Any:
        from seqtui_models.cells import gradient_check

        return {cell: gradient_check(cell, seed=seed) for cell in ("rnn", "lstm")}

    def _show_check(self, report: dict[str, dict[str, float]]) -> None:
        from seqtui_models.cells import GRADCHECK_THRESHOLD

        table = self.query_one("#check-table", DataTable)
        table.clear()
        failures = 0
        for cell, errors in report.items():
            for name, err in errors.items():
                ok = err < GRADCHECK_THRESHOLD
                failures += not ok
                verdict = "[green]pass[/]" if ok else "[b red]FAIL[/]"
                table.add_row(cell, name, f"{err:.2e}", verdict)
        total = sum(len(errors) for errors in report.values())
        summary = "all pass" if not failures else f"{failures} FAIL"
        self.query_one("#check-title", Label).update(
            f"{total} gradients checked against centred differences (float64): {summary} (threshold {GRADCHECK_THRESHOLD:g})"
        )

    # -- training --------------------------------------------------------------------------

    async def show_training_view(self) -> None:
        """Bring the Train view to the front."""
        await self._views_added.wait()
        self.query_one("#cells-views", TabbedContent).active = "view-train"

    @on(TrainingPanel.StartRequested)
    def _start_training(self, message: TrainingPanel.StartRequested) -> None:
        from seqtui_models.cells import TrainConfig
        from seqtui_models.core.training import TrainingJob

        try:
            config = TrainConfig(
                task=str(self.query_one("#train-task", Select).value),  # type: ignore[arg-type]
                cell=self.cell,  # type: ignore[arg-type]
                k=self._int("#train-k", "k"),
                steps=self._int("#train-steps", "steps"),
                optimizer=str(self.query_one("#train-opt", Select).value),  # type: ignore[arg-type]
                seed=self._int("#size-seed", "seed"),
            ).validated()
        except InvalidInput as exc:
            self.post_message(TaskFailed(exc, "training"))
            return
        panel = message.panel
        panel.border_title = f"{config.cell.upper()} on {config.task}" + (f" (k = {config.k})" if config.task == "recall" else "")
        panel.start(TrainingJob("seqtui_models.cells:train", config, isolate=self.ISOLATE_TRAINING))

    @on(TrainingFinished)
    def _trained(self, message: TrainingFinished) -> None:
        result = message.result
        acc = result.metrics.get("val_acc")
        if acc is not None:
            chance = result.metrics.get("chance_acc", 0.0)
            self.notify(f"Held-out accuracy {acc:.1%} (chance {chance:.0%}).", title="Training " + result.status)

    # -- buttons and workers ---------------------------------------------------------------

    @on(Button.Pressed, "#run")
    def _run_pressed(self) -> None:
        self.action_run()

    @on(Button.Pressed, "#check")
    async def _check_pressed(self) -> None:
        await self.action_check()

    @on(Select.Changed, "#cell")
    def _cell_changed(self) -> None:
        self.action_run()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id and event.input.id.startswith("size-"):
            self.action_run()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Show finished results; send failures to the app's one handler."""
        worker = event.worker
        if worker.group not in ("explore", "check"):
            return
        if event.state == WorkerState.SUCCESS:
            if worker.group == "explore":
                self._show_run(worker.result)
            else:
                self._show_check(cast(dict[str, dict[str, float]], worker.result))
        elif event.state == WorkerState.ERROR and worker.error is not None:
            if worker.group == "check":
                self.query_one("#check-title", Label).update("The gradient check failed; see the message.")
            self.post_message(TaskFailed(worker.error, worker.group))
