"""Provides the dinos tab: a character-level model that learns dinosaur names and invents new ones."""

from __future__ import annotations

import asyncio
import math
from typing import Any, cast

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Input, Label, OptionList, Select, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option
from textual.css.query import NoMatches
from textual.worker import Worker, WorkerState

from seqtui_models.core.errors import InvalidInput, SeqtuiError
from seqtui.messages import TaskFailed, TrainingFinished
from seqtui.tabs.training_keys import TRAINING_BINDINGS, TrainingKeys
from seqtui.widgets.form import field, read_number
from seqtui.widgets.training_panel import TrainingPanel

HELP = r"""
# Dinos — a character-level language model

The model reads a name one character at a time and, after each character, gives a probability
to every possible next character (the end of the name, ⏎, included). It learned from about
1,200 real dinosaur genus names; 10% of them were held out to measure how well it generalises.

## The model (the course's RNN; GRU and LSTM cells are options)
    a⟨t⟩ = tanh(Wax x⟨t⟩ + Waa a⟨t−1⟩ + b)
    ŷ⟨t+1⟩ = softmax(Wya a⟨t⟩ + by)          a probability for every character
    loss = − Σ_t log ŷ⟨t⟩[char at t]          reported per character, in nats

Perplexity = e^(loss per char): how many characters the model is, on average, torn between.
Gradients are clipped (the course: every entry to [−5, 5]) so they cannot explode.

## Sampling
A name is drawn one character at a time from softmax(logits / temperature): below 1 the model
plays safe (common names, often ones it has seen), above 1 it takes risks (odd names).
**top-k** keeps only the k likeliest characters at each step. **Beam search** does not draw at
random: it keeps the likeliest partial names and returns the most probable whole names.
Each name is tagged *train* (the model learned it), *val* (held out, yet the model found it: a
real dinosaur it was never shown) or *new* (invented).

## Keys
| key | does |
| --- | --- |
| n | sample new names |
| b | beam search: the most probable names |
| , / . | temperature down / up |
| [ / ] | top-k down / up (0 = all characters) |
| o | show only new names |
| - / + | fewer / more names (5, 10, 20, 50) |
| i | look inside the selected name: each character's probability, its rank and the top 4 |
| v | switch view: Sample, Inside, Pick, Train |
| Pick view: ↑/↓ enter | choose the next character yourself; backspace undoes |
| t / p / s | train / pause–resume / stop |
"""

TEMPERATURES = (0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.5, 2.0)
TOP_KS = (0, 1, 2, 3, 5, 10, 20)
COUNTS = (5, 10, 20, 50)
VIEWS = ("view-sample", "view-inside", "view-pick", "view-train")
NOVELTY_STYLE = {"new": "bold green", "val": "bold cyan", "train": "dim"}


def bar(prob: float, width: int = 12) -> str:
    """A horizontal bar for a probability in [0, 1], in eighths of a cell."""
    eighths = int(round(max(0.0, min(1.0, prob)) * width * 8))
    full, rest = divmod(eighths, 8)
    return "█" * full + ("▏▎▍▌▋▊▉"[rest - 1] if rest else "")


class DinosTab(TrainingKeys):
    """The dinos tab: sample, beam-search, look inside, pick characters, train."""

    HELP = HELP
    #: Train in a spawned process (numpy loops hold the GIL).
    ISOLATE_TRAINING = True

    BINDINGS = [
        Binding("n", "sample", "Sample"),
        Binding("b", "beam", "Beam search"),
        Binding("comma", "temperature(-1)", "Temp −", show=False),
        Binding("full_stop", "temperature(1)", "Temp +", show=False),
        Binding("left_square_bracket", "top_k(-1)", "top-k −", show=False),
        Binding("right_square_bracket", "top_k(1)", "top-k +", show=False),
        Binding("o", "new_only", "New only", show=False),
        Binding("minus", "count(-1)", "Fewer names", show=False),
        Binding("plus,equals_sign", "count(1)", "More names", show=False),
        Binding("i", "inspect", "Inside"),
        Binding("v", "next_view", "View"),
        *TRAINING_BINDINGS,
    ]

    COMMANDS_PALETTE = (
        ("Dinos: sample names", "Draw new names at the current temperature", "sample"),
        ("Dinos: beam search", "The most probable names", "beam"),
        ("Dinos: look inside the selected name", "Each character's probability", "inspect"),
        ("Dinos: train", "Train a model on the chosen names", "train"),
    )

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="task-tab")
        self.model: Any = None
        self.temperature_index = TEMPERATURES.index(1.0)
        self.top_k_index = 0
        self.count_index = COUNTS.index(10)
        self.new_only = False
        self.picked = ""
        self.names: list[Any] = []
        self.draws = 0
        self.inspection: Any = None
        self.inside_table: Table | None = None
        self._ready = asyncio.Event()

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal():
            with VerticalScroll(classes="sidebar", id="dinos-form"):
                yield Label("Model", classes="section")
                yield Static("loading…", id="dinos-model")
                yield Label("Training", classes="section")
                yield field("data", Input(placeholder="built-in", id="dinos-names", compact=True))
                yield field("preset", Select([("fast", "fast"), ("course", "course")], value="fast",
                                              allow_blank=False, id="dinos-preset", compact=True))
                yield field("cell", Select([("gru", "gru"), ("lstm", "lstm"), ("rnn", "rnn")], value="gru",
                                            allow_blank=False, id="dinos-cell", compact=True))
                yield field("n_a", Input("", type="integer", id="dinos-hidden", compact=True))
                yield field("steps", Input("", type="integer", id="dinos-steps", compact=True))
            with TabbedContent(id="dinos-views"):
                with TabPane("Sample", id="view-sample"):
                    yield Static("", id="sample-settings")
                    yield field("prefix", Input(placeholder="e.g. tyranno", id="dinos-prefix", compact=True))
                    yield DataTable(id="dinos-names-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        """Set up the table, load the bundled model and add the other views after the first frame."""
        table = self.query_one("#dinos-names-table", DataTable)
        # Fixed widths: the table never reflows (or flickers) when new names arrive.
        for label, width in (("name", 24), ("log p", 7), ("per char", 8), ("tag", 5)):
            table.add_column(label, width=width)
        self._show_settings()
        self._fill_preset("fast")
        self.call_after_refresh(self._add_views)
        self._load_default()

    @on(Select.Changed, "#dinos-preset")
    def _preset_changed(self, event: Select.Changed) -> None:
        self._fill_preset(str(event.value))

    def _fill_preset(self, preset: str) -> None:
        """Fill the sidebar with the preset's values (the course preset is a tanh RNN)."""
        from seqtui_models.dinos import PRESETS

        values = PRESETS[preset]
        self.query_one("#dinos-hidden", Input).value = str(values["hidden"])
        self.query_one("#dinos-steps", Input).value = str(values["steps"])
        cell = self.query_one("#dinos-cell", Select)
        cell.value = values["cell"]
        cell.disabled = preset == "course"

    async def _add_views(self) -> None:
        try:
            views = self.query_one("#dinos-views", TabbedContent)
        except NoMatches:  # the app closed before its first frame settled
            return
        inside = TabPane(
            "Inside",
            field("name", Input(placeholder="type a name and press enter", id="dinos-inspect", compact=True)),
            VerticalScroll(Static("Select a name and press i, or type one above.", id="inside-view"), id="inside-scroll"),
            id="view-inside",
        )
        pick = TabPane(
            "Pick",
            Static("", id="pick-prefix"),
            OptionList(id="pick-options"),
            Static("↑/↓ and enter pick the next character · backspace undoes · ⏎ ends the name", id="pick-hint"),
            id="view-pick",
        )
        await views.add_pane(inside)
        await views.add_pane(pick)
        await views.add_pane(TabPane("Train", TrainingPanel(id="dinos-train"), id="view-train"))
        self._ready.set()

    async def wait_ready(self) -> None:
        """Wait until the views are mounted and the bundled model is loaded."""
        await self._ready.wait()
        while self.model is None:
            await asyncio.sleep(0.02)

    def _show_view(self, view: str) -> None:
        """Switch to a view and put the focus in it, so its keys work at once."""
        self.query_one("#dinos-views", TabbedContent).active = view
        targets = {
            "view-sample": "#dinos-names-table",
            "view-inside": "#inside-scroll",
            "view-pick": "#pick-options",
            "view-train": "#dinos-train",
        }
        for widget in self.query(targets[view]):
            widget.focus()

    def focus_default(self) -> None:
        """Start with the list of names focused, so the tab's keys work at once."""
        self.query_one("#dinos-names-table", DataTable).focus()

    # -- the model -------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="dinos-load")
    def _load_default(self) -> Any:
        from seqtui_models import dinos

        return dinos.default_model()

    def _set_model(self, model: Any, sample: bool = True) -> None:
        self.model = model
        self.query_one("#dinos-model", Static).update(model.describe())
        self.picked = ""
        if sample:  # new names from the new model, without leaving the current view
            self._generate("sample", self.query_one("#dinos-prefix", Input).value)
        self._refresh_pick()

    # -- sampling --------------------------------------------------------------------------

    @property
    def temperature(self) -> float:
        """The sampling temperature."""
        return TEMPERATURES[self.temperature_index]

    @property
    def count(self) -> int:
        """How many names a press of n (or b) lists."""
        return COUNTS[self.count_index]

    def action_count(self, delta: int) -> None:
        """List more or fewer names, and sample again."""
        self.count_index = max(0, min(len(COUNTS) - 1, self.count_index + delta))
        self._show_settings()
        self.action_sample()

    @property
    def top_k(self) -> int:
        """The top-k limit (0: all characters)."""
        return TOP_KS[self.top_k_index]

    def _show_settings(self) -> None:
        self.query_one("#sample-settings", Static).update(
            Text.assemble(
                ("temperature ", "dim"), (f"{self.temperature:.1f}", "bold"), (" (, .)  ", "dim"),
                ("top-k ", "dim"), (str(self.top_k or "all"), "bold"), (" ([ ])  ", "dim"),
                ("new only ", "dim"), ("on" if self.new_only else "off", "bold"), (" (o)  ", "dim"),
                ("names ", "dim"), (str(self.count), "bold"), (" (- +)", "dim"), ("\n", ""),
                ("n", "bold"), (" new samples  ", "dim"), ("b", "bold"), (" beam search  ", "dim"),
                ("i", "bold"), (" look inside  ", "dim"), ("v", "bold"), (" next view", "dim"),
            )
        )

    def action_temperature(self, delta: int) -> None:
        """Change the temperature and sample again."""
        self.temperature_index = max(0, min(len(TEMPERATURES) - 1, self.temperature_index + delta))
        self._show_settings()
        self.action_sample()

    def action_top_k(self, delta: int) -> None:
        """Change top-k and sample again."""
        self.top_k_index = max(0, min(len(TOP_KS) - 1, self.top_k_index + delta))
        self._show_settings()
        self.action_sample()

    def action_new_only(self) -> None:
        """Toggle showing only invented names."""
        self.new_only = not self.new_only
        self._show_settings()
        self.action_sample()

    def action_sample(self) -> None:
        """Draw ten names with the current settings."""
        if self.model is None:
            return
        if self.query_one("#dinos-views", TabbedContent).active != "view-sample":
            self._show_view("view-sample")
        prefix = self.query_one("#dinos-prefix", Input).value
        self._generate("sample", prefix)

    def action_beam(self) -> None:
        """Find the most probable names."""
        if self.model is None:
            return
        if self.query_one("#dinos-views", TabbedContent).active != "view-sample":
            self._show_view("view-sample")
        prefix = self.query_one("#dinos-prefix", Input).value
        self._generate("beam", prefix)

    @work(thread=True, exclusive=True, exit_on_error=False, group="dinos-generate")
    def _generate(self, how: str, prefix: str) -> tuple[str, list[Any]]:
        from seqtui_models import dinos

        if how == "beam":
            return how, dinos.beam_search(self.model, max(32, self.count), n=self.count, prefix=prefix)
        self.draws += 1  # each press draws afresh, yet a session replays the same names
        names = dinos.sample_names(
            self.model, self.count, temperature=self.temperature, top_k=self.top_k, prefix=prefix,
            new_only=self.new_only, seed=self.draws,
        )
        return how, names

    def _show_names(self, how: str, names: list[Any]) -> None:
        self.names = names
        table = self.query_one("#dinos-names-table", DataTable)
        table.clear()
        for item in names:
            per_char = -item.logprob / (len(item.name) + 1)
            tag = Text(item.novelty, style=NOVELTY_STYLE.get(item.novelty, ""))
            table.add_row(item.name, f"{item.logprob:.2f}", f"{per_char:.2f}", tag)
        new = sum(item.novelty == "new" for item in names)
        title = "most probable names (beam search)" if how == "beam" else f"{len(names)} samples, {new} new"
        table.border_title = title

    @on(Input.Submitted, "#dinos-prefix")
    def _prefix_submitted(self) -> None:
        self.action_sample()

    # -- inside ----------------------------------------------------------------------------

    def action_inspect(self) -> None:
        """Look inside the selected name."""
        table = self.query_one("#dinos-names-table", DataTable)
        if not self.names or table.cursor_row < 0:
            self.notify("Sample some names first (n), then select one.", severity="warning")
            return
        name = self.names[min(table.cursor_row, len(self.names) - 1)].name
        self.query_one("#dinos-inspect", Input).value = name
        self._show_view("view-inside")
        self._inspect(name)

    @on(Input.Submitted, "#dinos-inspect")
    def _inspect_submitted(self, event: Input.Submitted) -> None:
        self._inspect(event.value)

    @on(DataTable.RowSelected, "#dinos-names-table")
    def _row_selected(self) -> None:
        self.action_inspect()

    def _inspect(self, name: str) -> None:
        from seqtui_models import dinos

        if self.model is None:
            return
        try:
            view = dinos.inspect_name(self.model, name, top_k=4)
        except InvalidInput as exc:
            self.post_message(TaskFailed(exc, "inspect"))
            return
        table = Table(
            title=f"{view.name}: log p = {view.logprob:.2f}, {view.nll_per_char:.2f} nats/char, {view.novelty}",
            title_justify="left", expand=False, box=None, padding=(0, 1),
        )
        widths = {"#": 2, "char": 4, "p": 4, "": 8, "rank": 4}
        for column, width in widths.items():
            table.add_column(column, no_wrap=True, min_width=width)
        table.add_column("top 4 here", no_wrap=True, overflow="ellipsis")
        for position, step in enumerate(view.steps, 1):
            label = "⏎" if step.char == "\n" else step.char
            style = "green" if step.rank == 1 else ("yellow" if step.rank <= 3 else "red")
            alternatives = " ".join(f"{alt.label}{alt.prob * 100:3.0f}%" for alt in step.alternatives)
            if step.rank > len(step.alternatives):
                alternatives += " …"
            table.add_row(str(position), Text(label, style="bold"), f"{step.prob:.2f}",
                          Text(bar(step.prob, 8), style=style), str(step.rank), alternatives)
        self.inspection = view
        self.inside_table = table
        self.query_one("#inside-view", Static).update(table)

    # -- pick the next character yourself --------------------------------------------------

    def _refresh_pick(self) -> None:
        from seqtui_models import dinos

        if self.model is None or not self._ready.is_set():
            return
        shown = self.picked or "(start)"
        self.query_one("#pick-prefix", Static).update(
            Text.assemble(("so far: ", "dim"), (shown, "bold"), ("  ", ""),
                          (f"log p {dinos.name_logprob(self.model, self.picked):.2f}" if self.picked else "", "dim"))
        )
        options = self.query_one("#pick-options", OptionList)
        options.clear_options()
        for cand in dinos.next_char_candidates(self.model, self.picked, top_k=10):
            label = "⏎ end" if cand.char == "\n" else cand.char
            options.add_option(Option(f"{label:<6} {cand.prob:5.2f} {bar(cand.prob, 20)}", id=cand.char))
        options.highlighted = 0

    @on(OptionList.OptionSelected, "#pick-options")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        char = event.option.id or ""
        if char == "\n":
            if self.picked:
                novelty = self.model.novelty(self.picked)
                self.notify(f"{self.picked} — {novelty}", title="Your name")
            self.picked = ""
        else:
            self.picked += char
        self._refresh_pick()

    def on_key(self, event: Any) -> None:
        """Backspace in the Pick view takes back the last character."""
        if event.key == "backspace" and self.query_one("#dinos-views", TabbedContent).active == "view-pick":
            self.picked = self.picked[:-1]
            self._refresh_pick()
            event.stop()

    # -- views and training ----------------------------------------------------------------

    def action_next_view(self) -> None:
        """Cycle Sample → Inside → Pick → Train."""
        active = self.query_one("#dinos-views", TabbedContent).active
        view = VIEWS[(VIEWS.index(active) + 1) % len(VIEWS)] if active in VIEWS else VIEWS[0]
        if view == "view-pick":
            self._refresh_pick()
        self._show_view(view)

    async def show_training_view(self) -> None:
        """Bring the Train view to the front."""
        await self._ready.wait()
        self._show_view("view-train")

    def _int(self, selector: str, name: str) -> int:
        return int(read_number(self.query_one(selector, Input).value, name))

    @on(TrainingPanel.StartRequested)
    def _start_training(self, message: TrainingPanel.StartRequested) -> None:
        from seqtui_models import dinos
        from seqtui_models.core.training import TrainingJob

        try:
            names = self.query_one("#dinos-names", Input).value.strip() or None
            if names is not None:
                dinos.read_names(names)  # a bad file is reported now, not inside the run
            preset = str(self.query_one("#dinos-preset", Select).value)
            overrides: dict[str, Any] = {"names": names, "steps": self._int("#dinos-steps", "steps")}
            if preset == "fast":
                overrides["cell"] = str(self.query_one("#dinos-cell", Select).value)
                overrides["hidden"] = self._int("#dinos-hidden", "n_a")
            config = dinos.preset_config(preset, **overrides)
        except SeqtuiError as exc:  # a bad setting or names file: say so, start nothing
            self.post_message(TaskFailed(exc, "training"))
            return
        message.panel.border_title = f"{config.cell.upper()} n_a={config.hidden} ({config.preset}) on {names or 'dinosaur names'}"
        message.panel.start(TrainingJob("seqtui_models.dinos:train", config, isolate=self.ISOLATE_TRAINING))

    @on(TrainingFinished)
    def _trained(self, message: TrainingFinished) -> None:
        result = message.result
        model = (result.payload or {}).get("model") if isinstance(result.payload, dict) else None
        if model is not None:
            self._set_model(model, sample=True)
            val = result.metrics.get("val_nll")
            extra = f" Held-out {val:.3f} nats/char." if isinstance(val, float) and math.isfinite(val) else ""
            self.notify(f"Now sampling from the new model.{extra}", title="Training " + result.status)

    # -- workers ---------------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Show results; send failures to the app's one handler."""
        worker = event.worker
        if worker.group not in ("dinos-load", "dinos-generate"):
            return
        if event.state == WorkerState.SUCCESS:
            if worker.group == "dinos-load":
                self._set_model(worker.result)
            else:
                how, names = cast(tuple[str, list[Any]], worker.result)
                self._show_names(how, names)
        elif event.state == WorkerState.ERROR and worker.error is not None:
            self.post_message(TaskFailed(worker.error, worker.group))
