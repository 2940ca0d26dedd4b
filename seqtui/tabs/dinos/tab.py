"""Provides DinosTab: a character-level model that learns dinosaur names and invents new ones."""

from __future__ import annotations

import math
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.css.query import NoMatches
from textual.events import Key
from textual.reactive import reactive
from textual.widgets import DataTable, Input, Label, OptionList, Select, Static, TabbedContent, TabPane

from seqtui.messages import TrainingFinished
from seqtui.tabs.base import TaskTab, View, handles
from seqtui.tabs.dinos.inside import InsideView
from seqtui.tabs.dinos.pick import PickView
from seqtui.tabs.dinos.sample import SampleView
from seqtui.widgets.form import field
from seqtui.widgets.training_panel import TrainingPanel
from seqtui_models.core.errors import SeqtuiError
from seqtui_models.core.training import RunResult

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
| v or ctrl+n | next view: Sample, Inside, Pick, Train |
| ctrl+g | the view's action: sample, look inside the typed name, train |
| escape | leave a field (then the keys above work) |
| Pick view: ↑/↓ enter | choose the next character yourself; backspace undoes |
| t / p / s / l | train / pause–resume / stop / loss chart log–linear |

A trained model (finished or stopped) replaces the one in use when its held-out loss is at least
as low on the same names; otherwise the tab asks.
"""

TEMPERATURES = (0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.5, 2.0)
TOP_KS = (0, 1, 2, 3, 5, 10, 20)
COUNTS = (5, 10, 20, 50)


class DinosTab(TaskTab):
    """The dinos tab: sample, beam-search, look inside, pick characters, train.

    The tab holds the model and the sampling settings (reactive: changing one samples again) and
    does the work; each view is a widget that shows its part (:class:`SampleView`,
    :class:`InsideView`, :class:`PickView`, the :class:`TrainingPanel`).
    """

    TASK = "dinos"
    HELP = HELP
    VIEWS = (
        View("view-sample", "Sample", "#dinos-names-table", run="sample"),
        View("view-inside", "Inside", "#inside-scroll", run="inspect_typed"),
        View("view-pick", "Pick", "#pick-options"),
        View("view-train", "Train", "#dinos-train", run="train"),
    )
    #: Train in a spawned process (numpy loops hold the GIL).
    ISOLATE_TRAINING = True

    DEFAULT_CSS = """
    DinosTab #dinos-model {
        color: $text-muted;
        height: auto;
    }
    DinosTab .views .field {
        margin: 0 1;
    }
    """

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
    ]

    COMMANDS_PALETTE = (
        ("Dinos: sample names", "Draw new names at the current temperature", "sample"),
        ("Dinos: beam search", "The most probable names", "beam"),
        ("Dinos: look inside the selected name", "Each character's probability", "inspect"),
        ("Dinos: train", "Train a model on the chosen names", "train"),
    )

    RUNS = True
    CAN_RESUME = True

    model: reactive[Any] = reactive(None, init=False, always_update=True)
    """The model in use (the bundled one until a trained one is adopted)."""
    temperature_index: reactive[int] = reactive(TEMPERATURES.index(1.0), init=False)
    top_k_index: reactive[int] = reactive(0, init=False)
    count_index: reactive[int] = reactive(COUNTS.index(10), init=False)
    new_only: reactive[bool] = reactive(False, init=False)
    picked: reactive[str] = reactive("", init=False)
    """The name built so far in the Pick view."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.names: list[Any] = []
        self.draws = 0
        self.inspection: Any = None
        self.inside_table: Any = None

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
            with TabbedContent(id="dinos-views", classes="views"):
                with TabPane("Sample", id="view-sample"):
                    yield SampleView()

    def on_mount(self) -> None:
        """Fill the form, load the bundled model and add the other views after the first frame."""
        self._show_settings()
        self._fill_preset("fast")
        self.call_after_refresh(self._add_views)
        self._load_default()

    async def _add_views(self) -> None:
        try:
            views = self.views
        except NoMatches:  # the app closed before its first frame settled
            return
        await views.add_pane(TabPane("Inside", InsideView(), id="view-inside"))
        await views.add_pane(TabPane("Pick", PickView(), id="view-pick"))
        await views.add_pane(TabPane("Train", TrainingPanel(id="dinos-train"), id="view-train"))
        self._views_added = True
        self._maybe_ready()

    _views_added = False

    def _maybe_ready(self) -> None:
        if self._views_added and self.model is not None and not self.is_ready:
            self._refresh_pick()
            self.ready()

    @on(Select.Changed, "#dinos-preset")
    def _preset_changed(self, event: Select.Changed) -> None:
        self._fill_preset(str(event.value))

    def _fill_preset(self, preset: str) -> None:
        """Fill the sidebar with the preset's values (the course preset is a tanh RNN; its n_a is free)."""
        from seqtui_models.dinos import PRESETS

        self.fill_fields(PRESETS[preset], hidden="#dinos-hidden", steps="#dinos-steps", cell="#dinos-cell")
        cell = self.query_one("#dinos-cell", Select)
        cell.disabled = preset == "course"
        cell.tooltip = "The course preset is the assignment's tanh RNN." if preset == "course" else None

    def view_shown(self, view_id: str) -> None:
        if view_id == "view-pick":
            self._refresh_pick()

    # -- the model -------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="dinos-load")
    def _load_default(self) -> tuple[Any, str, str]:
        """The model the tab used last time (a trained run's, or a file), else the bundled one."""
        from seqtui_models import dinos

        return self.remembered_or_bundled(dinos.load_model, dinos.default_model)

    @handles("dinos-load")
    def _loaded(self, loaded: tuple[Any, str, str]) -> None:
        model, source, problem = loaded
        self.say_where_the_model_is_from(source, problem)
        self.model = model

    def watch_model(self, model: Any) -> None:
        self._describe_model()
        self.picked = ""
        self._generate("sample", self._sample_view().prefix)  # new names, without leaving the view
        self._refresh_pick()
        self._maybe_ready()

    # -- sampling --------------------------------------------------------------------------

    @property
    def temperature(self) -> float:
        """The sampling temperature."""
        return TEMPERATURES[self.temperature_index]

    @property
    def top_k(self) -> int:
        """The top-k limit (0: all characters)."""
        return TOP_KS[self.top_k_index]

    @property
    def count(self) -> int:
        """How many names a press of n (or b) lists."""
        return COUNTS[self.count_index]

    def _sample_view(self) -> SampleView:
        return self.query_one(SampleView)

    def _show_settings(self) -> None:
        self._sample_view().show_settings(self.temperature, self.top_k, self.new_only, self.count)

    def _settings_changed(self) -> None:
        self._show_settings()
        self.action_sample()

    watch_temperature_index = watch_top_k_index = watch_count_index = watch_new_only = _settings_changed

    def action_temperature(self, delta: int) -> None:
        """Change the temperature (and sample again)."""
        self.temperature_index = max(0, min(len(TEMPERATURES) - 1, self.temperature_index + delta))

    def action_top_k(self, delta: int) -> None:
        """Change top-k (and sample again)."""
        self.top_k_index = max(0, min(len(TOP_KS) - 1, self.top_k_index + delta))

    def action_count(self, delta: int) -> None:
        """List more or fewer names (and sample again)."""
        self.count_index = max(0, min(len(COUNTS) - 1, self.count_index + delta))

    def action_new_only(self) -> None:
        """Toggle showing only invented names (sampling and beam search alike)."""
        self.new_only = not self.new_only

    def action_sample(self) -> None:
        """Draw names with the current settings."""
        self._names("sample")

    def action_beam(self) -> None:
        """Find the most probable names."""
        self._names("beam")

    def _names(self, how: str) -> None:
        if self.model is None:
            return
        if self.views.active != "view-sample":
            self.show_view("view-sample")
        self._generate(how, self._sample_view().prefix)

    @work(thread=True, exclusive=True, exit_on_error=False, group="dinos-generate")
    def _generate(self, how: str, prefix: str) -> tuple[str, list[Any], int]:
        from seqtui_models import dinos

        if how == "beam":
            names = dinos.beam_search(self.model, max(32, self.count), n=self.count, prefix=prefix, new_only=self.new_only)
            return how, names, self.count
        self.draws += 1  # each press draws afresh, yet a session replays the same names
        names = dinos.sample_names(
            self.model, self.count, temperature=self.temperature, top_k=self.top_k, prefix=prefix,
            new_only=self.new_only, seed=self.draws,
        )
        return how, names, self.count

    @handles("dinos-generate")
    def _generated(self, result: tuple[str, list[Any], int]) -> None:
        how, names, asked = result
        self.names = names
        self._sample_view().show_names(how, names, asked)

    @on(Input.Submitted, "#dinos-prefix")
    def _prefix_submitted(self) -> None:
        self.action_sample()

    # -- inside ----------------------------------------------------------------------------

    def action_inspect(self) -> None:
        """Look inside the selected name."""
        row = self._sample_view().query_one("#dinos-names-table", DataTable).cursor_row
        if not self.names or row < 0:
            self.notify("Sample some names first (n), then select one.", severity="warning")
            return
        self.show_view("view-inside")
        self._inspect(self.names[min(row, len(self.names) - 1)].name)

    def action_inspect_typed(self) -> None:
        """Look inside the name typed in the Inside view."""
        self._inspect(self.query_one(InsideView).name_typed)

    @on(Input.Submitted, "#dinos-inspect")
    def _inspect_submitted(self, event: Input.Submitted) -> None:
        self._inspect(event.value)

    @on(DataTable.RowSelected, "#dinos-names-table")
    def _row_selected(self) -> None:
        """Enter on a name looks inside it."""
        self.action_inspect()

    def _inspect(self, name: str) -> None:
        from seqtui_models import dinos

        if self.model is None:
            return
        try:
            view = dinos.inspect_name(self.model, name, top_k=4)
        except SeqtuiError as exc:
            self.fail(exc, "inspect")
            return
        self.inspection = view
        self.inside_table = self.query_one(InsideView).show(view)

    # -- pick the next character yourself --------------------------------------------------

    def watch_picked(self) -> None:
        self._refresh_pick()

    def _refresh_pick(self) -> None:
        from seqtui_models import dinos

        if self.model is None:
            return
        for view in self.query(PickView):
            view.show(self.picked, dinos.prefix_logprob(self.model, self.picked) if self.picked else 0.0,
                      dinos.next_char_candidates(self.model, self.picked, top_k=10))

    @on(OptionList.OptionSelected, "#pick-options")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        char = event.option.id or ""
        if char == "\n":
            if self.picked:
                self.notify(f"{self.picked} — {self.model.novelty(self.picked)}", title="Your name")
            self.picked = ""
        else:
            self.picked += char

    def on_key(self, event: Key) -> None:
        """Backspace in the Pick view takes back the last character."""
        if event.key == "backspace" and self.views.active == "view-pick" and not isinstance(self.app.focused, Input):
            self.picked = self.picked[:-1]
            event.stop()

    # -- training --------------------------------------------------------------------------

    @on(TrainingPanel.StartRequested)
    def _start_training(self, message: TrainingPanel.StartRequested) -> None:
        from seqtui_models import dinos
        from seqtui_models.core.training import TrainingJob

        try:
            names = self.text("#dinos-names") or None
            if names is not None:
                dinos.read_names(names)  # a bad file is reported now, not inside the run
            preset = self.choice("#dinos-preset")
            overrides: dict[str, Any] = {
                "names": names, "steps": self.number("#dinos-steps", "steps", low=1),
                "hidden": self.number("#dinos-hidden", "n_a", low=1, high=1024),
            }
            if preset == "fast":
                overrides["cell"] = self.choice("#dinos-cell")
            config = dinos.preset_config(preset, **overrides)
        except SeqtuiError as exc:  # a bad setting or names file: say so, start nothing
            self.fail(exc, "training")
            return
        message.panel.border_title = f"{config.cell.upper()} n_a={config.hidden} ({config.preset}) on {names or 'dinosaur names'}"
        message.panel.start(TrainingJob("seqtui_models.dinos:train", config, isolate=self.ISOLATE_TRAINING))

    @on(TrainingFinished)
    def _trained(self, message: TrainingFinished) -> None:
        result = message.result
        model = self.trained_model(result)
        if model is None:
            return
        current = self.model
        same_names = current is not None and (
            set(current.train_names) | set(current.val_names)) == (set(model.train_names) | set(model.val_names))
        now = current.metrics.get("val_nll") if same_names and current is not None else None
        self.offer_model(
            result, adopt=lambda: self._adopt(model, result), metric="val_nll",
            current=now if isinstance(now, (int, float)) else None, higher_is_better=False,
            label="held-out loss", show=lambda v: f"{v:.3f} nats/char",
        )

    def _adopt(self, model: Any, result: RunResult) -> None:
        self.adopted_from(result)
        self.model = model  # samples again, in whichever view the user is
        val = result.metrics.get("val_nll")
        extra = f" Held-out {val:.3f} nats/char." if isinstance(val, float) and math.isfinite(val) else ""
        self.notify(f"Now sampling from the new model.{extra}", title="Training " + result.status)

    # -- runs ------------------------------------------------------------------------------

    def _describe_model(self) -> None:
        if self.model is not None:
            self.query_one("#dinos-model", Static).update(self.model.describe() + self.model_origin())

    def watch_model_source(self) -> None:
        self._describe_model()

    def select_restored(self, select_id: str, value: str) -> None:
        """A state string chose the preset: fill its values first (the string's own fields follow)."""
        if select_id == "dinos-preset":
            self._fill_preset(value)

    def read_model_file(self, path: str) -> Any:
        """A dinos model file (in a worker thread)."""
        from seqtui_models import dinos

        return dinos.load_model(path)

    def use_model(self, model: Any) -> None:
        """Sample from ``model`` from now on."""
        self.model = model

    async def resume_run(self, run_id: str) -> None:
        """Continue a run in the Train view with its own settings."""
        from seqtui_models import dinos
        from seqtui_models.core.errors import SeqtuiError
        from seqtui_models.core.training import TrainingJob

        try:
            config = dinos.resumed_config(run_id)
        except SeqtuiError as exc:
            self.fail(exc, "resuming a run")
            return
        await self.show_training_view()
        panel = self.query_one(TrainingPanel)
        if panel.running:
            self.notify("A run is going: stop it first (s), then resume.", severity="warning")
            return
        panel.border_title = f"{config.cell.upper()} n_a={config.hidden} ({config.preset}) resuming {run_id}"
        panel.start(TrainingJob("seqtui_models.dinos:train", config, isolate=self.ISOLATE_TRAINING))

