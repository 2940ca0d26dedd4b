"""Provides the dates tab: type a date as people write it, get YYYY-MM-DD and see where the model looked."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static, TabbedContent, TabPane

from seqtui.messages import TrainingFinished
from seqtui.tabs.base import TaskTab, View, handles
from seqtui.tabs.dates.evaluate import EvaluateView
from seqtui.tabs.dates.translate import EXAMPLE, DateTyped, Fuzzed, TranslateView
from seqtui.widgets.form import field
from seqtui.widgets.loading import DeferredImport
from seqtui.widgets.training_panel import TrainingPanel
from seqtui_models.core.errors import InvalidInput, SeqtuiError

if TYPE_CHECKING:
    from seqtui_models.core.training import RunResult
    from seqtui_models.dates import DateModel, EvalResult, Translation

HELP = r"""
# Dates — translation with attention

Type a date the way people write it ("saturday may 9 2018", "9/10/70", "the 4th of July '76");
the model writes it as **YYYY-MM-DD**, one character at a time, and the heatmap shows where it
looked for each character: rows are the 10 output characters, columns the characters it read.
Each row is a probability distribution over the input (it sums to 1).

## The model (the course's: Bahdanau-style attention)
    a⟨t'⟩ = [→a⟨t'⟩ ; ←a⟨t'⟩]                 a bidirectional LSTM reads the characters
    e⟨t,t'⟩ = small dense net(s⟨t−1⟩, a⟨t'⟩)    how well input t' fits output step t
    α⟨t,t'⟩ = softmax over t' of e⟨t,t'⟩        the attention (one heatmap row)
    context⟨t⟩ = Σ_t' α⟨t,t'⟩ a⟨t'⟩
    s⟨t⟩ = LSTM(context⟨t⟩, s⟨t−1⟩);  ŷ⟨t⟩ = softmax(W s⟨t⟩ + b)

**course** is the assignment's model (52,960 parameters, 37 lower-case characters, T_x = 30).
**best** (the bundled model, 41,723 parameters, T_x = 40) reads every letter in either case,
masks the padding, and asks its question for all ten characters at once:

    g = mean of a⟨t'⟩ over the characters            a summary of the whole input
    e⟨t,t'⟩ = v · tanh(W a⟨t'⟩ + q⟨t⟩ + U_t g)        q⟨t⟩: what step t looks for ("the day's tens")
    α⟨t,·⟩ = softmax over the characters (padding gets 0)
    ŷ⟨t⟩ = softmax(W_y relu(W_s (context⟨t⟩ + p⟨t⟩)))

The summary g is what lets it find the day *in this format* (in 1976-07-04 it is the last number).

The bundled model learned dates from 1900 to 2099; a two-digit year is read as POSIX reads it
(69–99 → 19xx, 00–68 → 20xx). Slashes and dashes are month first (5/9/18 = 9 May 2018) unless the
first number cannot be a month (24/11/1992); dots and spaces are day first (09.05.18, 9 05 18).

**The verdict.** The model always writes ten characters, even for "banana". Its answer is
cross-examined against your text: every number and month name must be accounted for, a weekday
must be the date's, the date must exist, and a numeric date that reads both ways (03/04/05) is
*ambiguous*, with both readings — unless the text writes its format ("09/12/1992 (DD/MM/YYYY)"),
which then settles the order. A number labelled as an identifier (ID, No., build, lot…) is not a
date. Only an answer that passes every check gets the ✓; anything else
is declined with the reason ("not a date: …", "not sure: …"). In longer text the date's stretch
is found first (times and zones are cut out), and the tab says what it read.

**Fuzz** (ctrl+f) hunts for a date the model gets wrong: it perturbs held-out dates as people
vary them (formats, spacing, casing, abbreviations) and says how many tries it took.

**Evaluate** scores the model on 2,000 held-out dates (half in the course's formats, half in
real-world ones) or on a file of `input<TAB>YYYY-MM-DD` lines (`none` for a line that must be
declined, `ambiguous:ISO|ISO` for one that reads both ways): exact match per format family, what
users are told (right / declined / wrong), and the mistakes, least confident first.

**Train** a *best* or *course* model on generated dates. The panel shows each batch's loss and,
every 100 batches, the held-out loss and exact match (val_exact; val_course and val_real split it
by kind of format). The new model (finished or stopped; it is saved either way) replaces the one
in use if its held-out exact match is at least as high, or if the two were scored on different
held-out dates (another T_x or number of held-out dates); otherwise the tab asks.

## Keys (the ctrl keys work while you type)
| key | does |
| --- | --- |
| ctrl+f | fuzz: hunt for a date the model gets wrong (held-out dates, perturbed as people vary them) |
| ctrl+n (or v outside a field) | next view: Translate, Evaluate, Train |
| ctrl+g | run the view: translate now / evaluate / train |
| escape | leave the field (then t, p, s, v, 1–6 and q work) |
| t / p / s | train / pause–resume / stop (outside a field) |
"""


def same_held_out_dates(a: DateModel, b: DateModel) -> bool:
    """Whether two models' exact match were measured on the same held-out dates.

    A run scores its model on ``val_examples`` dates drawn with a fixed seed and kept only if
    they fit in T_x: the same two settings give the same dates.
    """
    return (a.config.tx, a.config.val_examples) == (b.config.tx, b.config.val_examples)


class DatesBody(Horizontal):
    """The tab's content (the sidebar and the views), built once TensorFlow is imported."""

    DEFAULT_CSS = """
    DatesBody {
        height: 1fr;
    }
    DatesBody #dates-model {
        color: $text-muted;
        height: auto;
    }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="sidebar", id="dates-form"):
            yield Label("Model", classes="section")
            yield Static("loading…", id="dates-model")
            yield Label("Training", classes="section")
            yield field("preset", Select([("best", "best"), ("course", "course")], value="best",
                                         allow_blank=False, id="dates-preset", compact=True))
            yield field("dates", Input("", type="integer", id="dates-examples", compact=True))
            yield field("epochs", Input("", type="integer", id="dates-epochs", compact=True))
            yield field("max s", Input("", type="number", placeholder="no limit", id="dates-seconds", compact=True))
            yield field("seed", Input("0", type="integer", id="dates-seed", compact=True))
        with TabbedContent(id="dates-views", classes="views"):
            with TabPane("Translate", id="dates-view-translate"):
                yield TranslateView()
            with TabPane("Evaluate", id="dates-view-eval"):
                yield EvaluateView()
            with TabPane("Train", id="dates-view-train"):
                yield TrainingPanel(id="dates-train")


class DatesTab(TaskTab):
    """The dates tab: translate as you type with the attention heatmap, fuzz, evaluate, train.

    The tab holds the model in use and does the work (translating, fuzzing, evaluating,
    training) in threads; its views ask by message and show what the tab hands them.
    """

    TASK = "dates"
    HELP = HELP
    VIEWS = (
        View("dates-view-translate", "Translate", focus="#dates-input", rest="#dates-attention-scroll",
             run="translate_now"),
        View("dates-view-eval", "Evaluate", focus="#dates-eval-file", rest="#dates-families", run="evaluate"),
        View("dates-view-train", "Train", focus="#dates-train", run="train"),
    )

    BINDINGS = [Binding("ctrl+f", "fuzz", "Fuzz")]

    COMMANDS_PALETTE = (
        ("Dates: fuzz", "Hunt for a date the model gets wrong, and say how many tries it took", "fuzz"),
        ("Dates: evaluate", "Exact match per format family and the mistakes", "evaluate"),
        ("Dates: train", "Train a date translator", "train"),
    )

    RUNS = True

    model: reactive[DateModel | None] = reactive(None, init=False, always_update=True)
    """The model that translates (None while the bundled one loads)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.fuzzes = 0

    def compose(self) -> ComposeResult:
        from seqtui_models.dates import warm_up  # light: the door imports no framework; warm_up does

        yield DeferredImport(warm_up, DatesBody, "TensorFlow", id="dates-deferred")

    @on(DeferredImport.Loaded)
    def _loaded(self) -> None:
        self._fill_preset("best")
        self._load_default()
        if self.shown:  # not if the user moved to another tab while TensorFlow loaded
            self.call_after_refresh(self.focus_default)

    @property
    def shown(self) -> bool:
        """Whether this tab is the one on screen (an inactive tab's pane is not displayed)."""
        return all(node.display for node in self.ancestors_with_self if isinstance(node, Widget))

    def _translate_view(self) -> TranslateView:
        return self.query_one(TranslateView)

    def _evaluate_view(self) -> EvaluateView:
        return self.query_one(EvaluateView)

    def _model_or_warn(self) -> DateModel | None:
        if self.model is None:
            self.notify("The model is still loading.", severity="warning")
        return self.model

    # -- the model -----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="load")
    def _load_default(self) -> tuple[DateModel, str, str]:
        """The model the tab used last time (a trained run's, or a file), else the bundled one."""
        from seqtui_models import dates

        loaded = self.remembered_or_bundled(dates.load_model, dates.default_model)
        dates.translate_many(loaded[0], [EXAMPLE])  # the first prediction compiles the graph: pay it here
        return loaded

    @handles("load")
    def _default_loaded(self, loaded: tuple[DateModel, str, str]) -> None:
        model, source, problem = loaded
        self.say_where_the_model_is_from(source, problem)
        self.model = model
        self.ready()

    def read_model_file(self, path: str) -> DateModel:
        """A dates model file (in a worker thread)."""
        from seqtui_models import dates

        model = dates.load_model(path)
        dates.translate_many(model, [EXAMPLE])
        return model

    def use_model(self, model: Any) -> None:
        """Translate with ``model`` from now on."""
        self.model = model

    @handles("load", "error")
    def _default_failed(self, error: BaseException) -> None:
        self.query_one("#dates-model", Static).update("could not be loaded")
        self.ready()

    def watch_model(self, model: DateModel | None) -> None:
        if model is None:
            return
        self.query_one("#dates-model", Static).update(model.describe() + self.model_origin())
        self.action_translate_now()

    def watch_model_source(self) -> None:
        if self.model is not None:
            self.query_one("#dates-model", Static).update(self.model.describe() + self.model_origin())

    # -- translating ---------------------------------------------------------------------------

    @on(DateTyped)
    def _typed(self, message: DateTyped) -> None:
        message.stop()
        self.translate(message.text)

    def action_translate_now(self) -> None:
        """Translate the date in the field now (ctrl+g in the Translate view)."""
        for view in self.query(TranslateView):
            self.translate(view.text)

    def translate(self, text: str) -> None:
        """Translate ``text`` with the model in use; the Translate view shows the result."""
        from seqtui_models import dates

        model = self.model
        if model is None:
            return  # translated as soon as the model is in
        try:
            dates.check_readable(model.vocab, text)
        except InvalidInput as exc:
            self.workers.cancel_group(self, "translate")  # an older text's answer would be stale
            view = self._translate_view()
            view.translation = None
            view.unreadable = exc.message
            return
        self._translate(model, text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="translate")
    def _translate(self, model: DateModel, text: str) -> Translation:
        from seqtui_models import dates

        return dates.translate(model, text)

    @handles("translate")
    def _translated(self, translation: Translation) -> None:
        view = self._translate_view()
        view.unreadable = ""
        view.translation = translation

    # -- fuzz ----------------------------------------------------------------------------------

    def action_fuzz(self) -> None:
        """Hunt for a date the model gets wrong (:func:`seqtui_models.dates.hunt`) and show it."""
        model = self._model_or_warn()
        if model is None:
            return
        self.fuzzes += 1
        self.show_view("dates-view-translate")
        self._fuzz(model, self.fuzzes)

    @work(thread=True, exclusive=True, exit_on_error=False, group="fuzz")
    def _fuzz(self, model: DateModel, count: int) -> Fuzzed:
        from seqtui_models import dates

        return Fuzzed(dates.hunt(model, seed=count), count)  # each press a new hunt; a session replays them

    @handles("fuzz")
    def _fuzzed(self, fuzzed: Fuzzed) -> None:
        self.workers.cancel_group(self, "translate")  # what was typed before the fuzz is gone
        view = self._translate_view()
        view.fuzzed = fuzzed  # first: the date goes into the field, so the translation matches it
        view.unreadable = ""
        view.translation = fuzzed.translation

    # -- evaluation ----------------------------------------------------------------------------

    def action_evaluate(self) -> None:
        """Evaluate the model on held-out dates (or the TSV in the field)."""
        model = self._model_or_warn()
        if model is None:
            return
        if self.views.active != "dates-view-eval":
            self.show_view("dates-view-eval")
        view = self._evaluate_view()
        view.status = "Evaluating…"
        self._evaluate(model, view.source)

    @work(thread=True, exclusive=True, exit_on_error=False, group="evaluate")
    def _evaluate(self, model: DateModel, source: str | None) -> EvalResult:
        from seqtui_models import dates

        if source:
            return dates.evaluate(model, dates.read_pairs(source), source=source)
        pairs = dates.heldout_pairs(2000, seed=1, max_length=model.vocab.tx)
        return dates.evaluate(model, pairs, source="2,000 generated held-out dates")

    @handles("evaluate")
    def _evaluated(self, result: EvalResult) -> None:
        view = self._evaluate_view()
        view.evaluation = result
        view.status = ""

    @handles("evaluate", "error")
    def _evaluation_failed(self, error: BaseException) -> None:
        view = self._evaluate_view()
        view.evaluation = None
        view.status = "Evaluation failed (see the message); fix the file or clear the field for generated dates."

    # -- training ------------------------------------------------------------------------------

    @on(Select.Changed, "#dates-preset")
    def _preset_changed(self, event: Select.Changed) -> None:
        self._fill_preset(str(event.value))

    def _fill_preset(self, preset: str) -> None:
        from seqtui_models.dates import PRESETS

        self.fill_fields(PRESETS[preset], examples="#dates-examples", epochs="#dates-epochs")

    @on(TrainingPanel.StartRequested)
    def _start_training(self, message: TrainingPanel.StartRequested) -> None:
        from seqtui_models import dates
        from seqtui_models.core.training import TrainingJob

        try:
            preset = self.choice("#dates-preset")
            config = dates.preset_config(
                preset, examples=self.number("#dates-examples", "dates"), epochs=self.number("#dates-epochs", "epochs"),
                max_seconds=self.number("#dates-seconds", "max s", float, blank=None),
                seed=self.number("#dates-seed", "seed"),
            )
        except SeqtuiError as exc:  # a bad setting: say so, start nothing
            self.fail(exc, "training")
            return
        limit = f", at most {config.max_seconds:g} s" if config.max_seconds else ""
        message.panel.border_title = f"{preset}: {config.examples:,} dates × {config.epochs} epochs{limit}"
        # Keras in a thread of this process: TensorFlow's kernels release the GIL.
        message.panel.start(TrainingJob("seqtui_models.dates:train", config, isolate=False))

    @on(TrainingFinished)
    def _trained(self, message: TrainingFinished) -> None:
        result = message.result
        model = self.trained_model(result)
        if model is None:
            return
        current = self.model
        comparable = current is not None and same_held_out_dates(current, model)
        self.offer_model(
            result, adopt=lambda: self._adopt(model, result), metric="exact_match",
            current=current.metrics.get("exact_match") if comparable and current is not None else None,
            higher_is_better=True, label="held-out exact match", show=lambda value: f"{value:.1%}",
        )

    def _adopt(self, model: DateModel, result: RunResult) -> None:
        self.adopted_from(result)
        self.model = model
        exact = result.metrics.get("exact_match")
        extra = f" Held-out exact match {exact:.1%}." if isinstance(exact, float) else ""
        self.notify(f"Now translating with the new model.{extra}", title="Training " + result.status)
