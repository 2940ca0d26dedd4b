"""Provides the cells tab: RNN and LSTM cells step by step, gradient checks and toy training."""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.reactive import reactive
from textual.widgets import Button, DataTable, Input, Label, Select, TabbedContent, TabPane

from seqtui.messages import TrainingFinished
from seqtui.tabs.base import TaskTab, View, handles
from seqtui.widgets.form import field
from seqtui.widgets.training_panel import TrainingPanel
from seqtui_models.core.errors import InvalidInput
from seqtui_models.core.training import SEED_MAX

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
*sine*: predict the next value of a noisy sine wave. The form's **n_a** is the hidden size
trained (not the Step view's), **lr** the learning rate: 0.01 suits Adam, plain SGD wants
~0.1–0.5 (choosing sgd sets 0.3 unless you typed your own).

## Keys
| key | does |
| --- | --- |
| r (or ctrl+g in Step through) | run one forward and backward pass |
| ← / → or [ / ] | step through time |
| g | gradient check, both cells |
| ctrl+n or v | next view: Step through, Gradient check, Train |
| t / p / s | train / pause–resume / stop |
| escape | leave a field (then the keys above, 1…6 and q work) |
"""

TRAIN_HIDDEN = 32
TRAIN_HIDDEN_MAX = 512
LEARNING_RATES = {"adam": "0.01", "sgd": "0.3"}
"""Each optimiser's default learning rate in the Train form (plain SGD at Adam's 0.01 stays at chance)."""

SIZE_FIELDS = (("n_x", 3), ("n_a", 5), ("n_y", 2), ("m", 10), ("T_x", 7), ("seed", 0))


class CellsTab(TaskTab):
    """The cells tab: explore, gradient-check and train the numpy RNN and LSTM cells."""

    DEFAULT_CSS = """
    CellsTab #step-title, CellsTab #check-title {
        padding: 0 1;
        color: $text-muted;
    }
    CellsTab #shapes {
        width: 22;
        height: 1fr;
    }
    CellsTab #step-maps {
        width: 1fr;
        height: 1fr;
        overflow-y: auto;
    }
    CellsTab #map-sequence, CellsTab #map-step {
        height: auto;
        margin-bottom: 1;
    }
    CellsTab #train-form {
        layout: grid;
        grid-size: 3;
        grid-gutter: 0 2;
        height: 2;
        margin: 0 0 1 0;
    }
    CellsTab #train-form .field {
        width: 1fr;
    }
    CellsTab #train-form Select {
        width: 1fr;
    }
    """

    TASK = "cells"
    HELP = HELP
    VIEWS = (
        View("view-step", "Step through", focus="#run", run="run"),
        View("view-check", "Gradient check", focus="#check-table", run="check"),
        View("view-train", "Train", focus="#cells-train", run="train"),
    )
    #: Train in a spawned process: the numpy loop holds the GIL, and in a thread of this
    #: process it would starve the UI (tests/benchmarks/ui_latency.py measures both).
    ISOLATE_TRAINING = True

    BINDINGS = [
        Binding("r", "run", "Run fwd+bwd"),
        Binding("g", "check", "Grad check"),
        Binding("left,left_square_bracket", "step(-1)", "← step", show=False),
        Binding("right,right_square_bracket", "step(1)", "→ step", show=False),
    ]

    COMMANDS_PALETTE = (
        ("Cells: run forward and backward", "One pass with the sizes in the sidebar", "run"),
        ("Cells: gradient check", "Both cells against centred differences", "check"),
        ("Cells: train", "Train the chosen cell on the chosen toy task", "train"),
        ("Cells: stop training", "Stop the run and save its model", "stop"),
    )

    run_data: reactive[Any] = reactive(None, init=False, always_update=True)
    """The last forward and backward pass (every array kept)."""
    t: reactive[int] = reactive(0, init=False)
    """The time step the heatmaps show (0-based)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)

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
            with TabbedContent(id="cells-views", classes="views"):
                with TabPane("Step through", id="view-step"):
                    yield Label("Press r to run a forward and backward pass.", id="step-title")
                    # The table and heatmaps (numpy) are mounted just after the first frame.
                    yield Horizontal(id="step-body")

    def on_mount(self) -> None:
        """Add the step view's contents and the other views just after the first frame (a faster start)."""
        self.call_after_refresh(self._add_hidden_views)  # ends with the first pass

    async def _add_hidden_views(self) -> None:
        if not (self.is_attached and self.app.is_running):  # the app closed in the first instant
            return
        try:
            await self._mount_views()
        except NoMatches:  # the app closed while the views were being added: nothing to add to
            return
        self.ready()
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
        await self.query_one("#step-body", Horizontal).mount(shapes, maps)
        check_table: DataTable[str] = DataTable(id="check-table", cursor_type="row")
        check_table.add_columns("cell", "parameter", "relative error", "result")
        train_form = Horizontal(
            field("task", Select([("recall", "recall"), ("parity", "parity"), ("sine", "sine")],
                                  value="recall", allow_blank=False, id="train-task", compact=True)),
            field("k", Input("5", type="integer", id="train-k", compact=True)),
            field("n_a", Input(str(TRAIN_HIDDEN), type="integer", id="train-hidden", compact=True)),
            field("steps", Input("1500", type="integer", id="train-steps", compact=True)),
            field("opt", Select([("adam", "adam"), ("sgd", "sgd")], value="adam",
                                 allow_blank=False, id="train-opt", compact=True)),
            field("lr", Input(LEARNING_RATES["adam"], type="number", id="train-lr", compact=True)),
            id="train-form",
        )
        await self.views.add_pane(TabPane(
            "Gradient check",
            Label("Press g to check every parameter's gradient.", id="check-title"),
            check_table,
            id="view-check",
        ))
        await self.views.add_pane(TabPane("Train", train_form, TrainingPanel(id="cells-train"), id="view-train"))

    # -- reading the form ------------------------------------------------------------------

    def sizes(self) -> dict[str, int]:
        """The sizes typed in the form (raises InvalidInput on a bad value)."""
        return {name: self.number(f"#size-{name}", name, low=0 if name == "seed" else 1,
                                  high=SEED_MAX if name == "seed" else None)
                for name, _ in SIZE_FIELDS}

    @property
    def cell(self) -> str:
        """The chosen cell, "rnn" or "lstm"."""
        return self.choice("#cell")

    # -- forward and backward --------------------------------------------------------------

    def action_run(self) -> None:
        """Run one forward and backward pass with the form's sizes."""
        if not self.is_ready:  # pressed in the first instant: run once the views exist
            self.run_worker(self._run_when_ready(), group="wait-views", exclusive=True)
            return
        try:
            sizes = self.sizes()
        except InvalidInput as exc:
            self.fail(exc, "run")
            return
        if self.views.active != "view-step":
            self.show_view("view-step")
        self._explore(self.cell, sizes)

    async def _run_when_ready(self) -> None:
        await self.wait_ready()
        self.action_run()

    @work(thread=True, exclusive=True, exit_on_error=False, group="explore")
    def _explore(self, cell: str, sizes: dict[str, int]) -> Any:
        from seqtui_models.cells import explore

        seed = sizes.pop("seed")
        return explore(cell, seed=seed, **sizes)

    @handles("explore")
    def _explored(self, run: Any) -> None:
        self.t = min(self.t, run.T_x - 1)
        self.run_data = run

    def watch_run_data(self, run: Any) -> None:
        table = self.query_one("#shapes", DataTable)
        table.clear()
        for name, shape in run.shapes().items():
            table.add_row(name, str(shape))
        self._show_step()

    def watch_t(self) -> None:
        if self.run_data is not None:
            self._show_step()

    def action_step(self, delta: int) -> None:
        """Move the time step shown in the heatmaps."""
        if self.run_data is not None:
            self.t = max(0, min(self.run_data.T_x - 1, self.t + delta))

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
        await self.wait_ready()
        self.show_view("view-check")
        try:
            seed = self.number("#size-seed", "seed", low=0, high=SEED_MAX)
        except InvalidInput as exc:
            self.fail(exc, "gradient check")
            return
        self.query_one("#check-title", Label).update("Checking…")
        self.query_one("#check-table", DataTable).clear()
        self._check(seed)

    @work(thread=True, exclusive=True, exit_on_error=False, group="check")
    def _check(self, seed: int) -> Any:
        from seqtui_models.cells import gradient_check

        return {cell: gradient_check(cell, seed=seed) for cell in ("rnn", "lstm")}

    @handles("check")
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

    @handles("check", "error")
    def _check_failed(self, error: BaseException) -> None:
        self.query_one("#check-title", Label).update("The gradient check failed; see the message.")

    # -- training --------------------------------------------------------------------------

    @on(TrainingPanel.StartRequested)
    def _start_training(self, message: TrainingPanel.StartRequested) -> None:
        from seqtui_models.cells import TrainConfig
        from seqtui_models.core.training import TrainingJob

        try:
            config = TrainConfig(
                task=self.choice("#train-task"),  # type: ignore[arg-type]
                cell=self.cell,  # type: ignore[arg-type]
                k=self.number("#train-k", "k"),
                hidden=self.number("#train-hidden", "n_a", low=1, high=TRAIN_HIDDEN_MAX),
                steps=self.number("#train-steps", "steps"),
                optimizer=self.choice("#train-opt"),  # type: ignore[arg-type]
                lr=self.number("#train-lr", "lr", kind=float, low=1e-6, high=10.0),
                seed=self.number("#size-seed", "seed", low=0, high=SEED_MAX),
            ).validated()
        except InvalidInput as exc:
            self.fail(exc, "training")
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

    # -- buttons and fields ----------------------------------------------------------------

    @on(Button.Pressed, "#run")
    def _run_pressed(self) -> None:
        self.action_run()

    @on(Button.Pressed, "#check")
    async def _check_pressed(self) -> None:
        await self.action_check()

    @on(Select.Changed, "#cell")
    def _cell_changed(self) -> None:
        if self.views.active == "view-step":
            self.action_run()  # elsewhere (training, the gradient check) the view stays; r runs it

    @on(Select.Changed, "#train-task")
    def _task_changed(self) -> None:
        self.query_one("#train-k", Input).disabled = self.choice("#train-task") != "recall"  # only recall has a delay

    @on(Select.Changed, "#train-opt")
    def _optimizer_changed(self) -> None:
        lr = self.query_one("#train-lr", Input)
        if lr.value.strip() in LEARNING_RATES.values():  # still a default: take the new optimiser's
            lr.value = LEARNING_RATES[self.choice("#train-opt")]

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id and event.input.id.startswith("size-"):
            self.action_run()
