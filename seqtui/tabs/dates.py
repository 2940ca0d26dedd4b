"""Provides the dates tab: type a date as people write it, get YYYY-MM-DD and see where the model looked."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, cast

import numpy as np
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import DataTable, Input, Label, Select, Static, TabbedContent, TabPane
from textual.worker import Worker, WorkerState

from seqtui_models.core.errors import InvalidInput, SeqtuiError
from seqtui.messages import TaskFailed, TrainingFinished
from seqtui.tabs.training_keys import TRAINING_BINDINGS, TrainingKeys
from seqtui.widgets.form import field, read_number
from seqtui.widgets.heatmap import Heatmap
from seqtui.widgets.loading import DeferredImport
from seqtui.widgets.training_panel import TrainingPanel

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
**best** (the bundled model, 41,643 parameters, T_x = 40) reads every letter in either case,
masks the padding, and asks its question for all ten characters at once:

    g = mean of a⟨t'⟩ over the characters            a summary of the whole input
    e⟨t,t'⟩ = v · tanh(W a⟨t'⟩ + q⟨t⟩ + U_t g)        q⟨t⟩: what step t looks for ("the day's tens")
    α⟨t,·⟩ = softmax over the characters (padding gets 0)
    ŷ⟨t⟩ = softmax(W_y relu(W_s (context⟨t⟩ + p⟨t⟩)))

The summary g is what lets it find the day *in this format* (in 1976-07-04 it is the last number).

Dates are 1970–2030. Slashes are month first (5/9/18 = 9 May 2018); dots and spaces are day first
(09.05.18, 9 05 18), as in the course's data. The output is checked as a calendar date: an
impossible one (1979-02-30) is flagged in red, never shown as right. Inputs longer than T_x are
cut, and the tab says so.

**Fuzz** draws a tricky date in a real-world format on a day no training ever used, translates it
and says whether the model got it right.

**Evaluate** scores the model on 2,000 held-out dates (half in the course's formats, half in
real-world ones) or on a file of `input<TAB>YYYY-MM-DD` lines (a header line is skipped): exact
match per format family, and the mistakes, least confident first.

**Train** a *best* or *course* model on generated dates. The panel shows each batch's loss and,
every 100 batches, the held-out loss and exact match (val_exact; val_course and val_real split it
by kind of format). The finished model replaces the one in use; a stopped one does too unless it
scores lower than the model in use (it is saved either way).

## Keys (the ctrl keys work while you type)
| key | does |
| --- | --- |
| ctrl+f | fuzz: a tricky random date, translated and checked |
| ctrl+n | next view: Translate, Evaluate, Train |
| ctrl+g | run the view: translate now / evaluate |
| escape | leave the field (then t, p, s, 1–6 and q work) |
| t / p / s | train / pause–resume / stop (in the Train view or outside a field) |
"""

VIEWS = ("dates-view-translate", "dates-view-eval", "dates-view-train")
DEBOUNCE = 0.15
EXAMPLE = "the 4th of July 1976"


def shown_char(ch: str) -> str:
    """How an input character is labelled on the heatmap (spaces as a middle dot)."""
    return "·" if ch == " " else (ch if ch.isprintable() else "?")


def prob_style(prob: float) -> str:
    """Colour of a character by the model's confidence in it."""
    return "green" if prob >= 0.9 else ("yellow" if prob >= 0.5 else "red")


def render_translation(translation: Any) -> Text:
    """The ISO date (each character coloured by its probability), the verdict and any notes."""
    text = Text()
    for ch, p in zip(translation.iso, translation.char_probs):
        text.append(ch, style=f"bold {prob_style(p)}")
    text.append("   ")
    if translation.valid_date:
        text.append("✓ a valid date", style="green")
    else:
        text.append(f"✗ not a date: {translation.problem}", style="bold red")
    text.append(f"   confidence {translation.confidence:.1%}", style="dim" if translation.confidence >= 0.5 else "yellow")
    for note in translation.notes:
        text.append("\n" + note, style="yellow")
    return text


def render_fuzz(pair: Any, translation: Any, count: int) -> Text:
    """The fuzz verdict: input, family, expected vs the model's answer."""
    right = translation.iso == pair.iso
    return Text.assemble(
        (f"fuzz #{count} ", "bold"), (f"({pair.family}) ", "dim"), (repr(pair.human), "bold"),
        ("  expected ", "dim"), pair.iso, ("  model ", "dim"), (translation.iso, "bold"),
        ("  ✓ right" if right else "  ✗ wrong", "bold green" if right else "bold red"),
    )


def plural(count: int, noun: str) -> str:
    """"1 output", "3 outputs"."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


class DatesBody(Widget):
    """The tab's content, built once TensorFlow is imported."""

    def compose(self) -> ComposeResult:
        with Horizontal():
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
            with TabbedContent(id="dates-views"):
                with TabPane("Translate", id="dates-view-translate"):
                    yield field("date", Input(EXAMPLE, placeholder="type a date, e.g. 9/10/70 or the 21st of august 2016",
                                              id="dates-input", compact=True), classes="field dates-wide")
                    yield Static("", id="dates-result")
                    yield Static("", id="dates-fuzz")
                    with VerticalScroll(id="dates-attention-scroll"):
                        yield Heatmap(id="dates-attention", vmin=0.0, vmax=1.0, diverging=False, cell_width=2)
                    yield Static(Text.assemble(("ctrl+f", "bold"), (" fuzz  ", "dim"), ("ctrl+n", "bold"),
                                               (" next view  ", "dim"), ("escape", "bold"), (" leave the field", "dim")),
                                 id="dates-hint")
                with TabPane("Evaluate", id="dates-view-eval"):
                    yield field("file", Input(placeholder="TSV of input<TAB>iso (empty: generated held-out dates)",
                                              id="dates-eval-file", compact=True), classes="field dates-wide")
                    yield Static("ctrl+g evaluates the model on 2,000 held-out dates (half course formats, half "
                                 "real-world) or on the file above", id="dates-eval-status")
                    with Horizontal(id="dates-eval-tables"):
                        yield DataTable(id="dates-families", cursor_type="row", zebra_stripes=True)
                        yield DataTable(id="dates-mistakes", cursor_type="row", zebra_stripes=True)
                with TabPane("Train", id="dates-view-train"):
                    yield TrainingPanel(id="dates-train")


class DatesTab(TrainingKeys):
    """The dates tab: translate as you type with the attention heatmap, fuzz, evaluate, train."""

    HELP = HELP

    BINDINGS = [
        Binding("ctrl+f", "fuzz", "Fuzz"),
        Binding("ctrl+n", "next_view", "Next view"),
        Binding("ctrl+g", "run_view", "Run"),
        Binding("escape", "leave_field", "Leave field", show=False),
        *TRAINING_BINDINGS,
    ]

    COMMANDS_PALETTE = (
        ("Dates: fuzz", "A tricky random date, translated and checked", "fuzz"),
        ("Dates: evaluate", "Exact match per format family and the mistakes", "evaluate"),
        ("Dates: train", "Train a date translator", "train"),
    )

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="task-tab")
        self.model: Any = None
        self.translation: Any = None
        self.evaluation: Any = None
        self.fuzzes = 0
        self._debounce: Timer | None = None
        self._ready = asyncio.Event()

    def compose(self) -> ComposeResult:
        from seqtui_models.dates import warm_up  # light: the door imports no framework; warm_up does

        yield DeferredImport(warm_up, DatesBody, "TensorFlow", id="dates-deferred")

    @on(DeferredImport.Loaded)
    def _loaded(self) -> None:
        families = self.query_one("#dates-families", DataTable)
        for label, width in (("format", 12), ("kind", 6), ("exact", 7), ("n", 5)):
            families.add_column(label, width=width)
        mistakes = self.query_one("#dates-mistakes", DataTable)
        for label, width in (("input", 20), ("expected", 10), ("model", 10), ("p", 4)):
            mistakes.add_column(label, width=width)
        self._fill_preset("best")
        self._load_default()
        if self.has_focus or self.shown:  # not if the user moved to another tab while TensorFlow loaded
            self.focus_default()
        else:
            self.can_focus = False

    @property
    def shown(self) -> bool:
        """Whether this tab is the one on screen (an inactive tab's pane is not displayed)."""
        return all(node.display for node in self.ancestors_with_self if isinstance(node, Widget))

    async def wait_ready(self) -> None:
        """Wait until TensorFlow is imported and the bundled model loaded."""
        await self._ready.wait()

    def focus_default(self) -> None:
        """Start in the date field: typing is what this tab is for.

        The focus moves after the next refresh, not at once: the tab we come from may still have
        a focus call queued, and Textual hands the focus of a widget that was just hidden to one
        of its siblings, which takes that tab back to the front. Claimed last, the focus stays
        here. While TensorFlow loads there is no field yet, and the tab itself holds the focus.
        """
        boxes = self.query("#dates-input")
        if not boxes:
            self.can_focus = True
        target = boxes.first() if boxes else self
        self.call_after_refresh(self._claim_focus, target)

    def _claim_focus(self, target: Widget) -> None:
        if self.is_attached and target.is_attached and self.app.focused is not target:
            self.screen.set_focus(target)
        if target is not self:
            self.can_focus = False  # the field has it now: the tab itself is no stop for tab/shift+tab

    # -- the model -------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="dates-load")
    def _load_default(self) -> Any:
        from seqtui_models import dates

        model = dates.default_model()
        dates.translate_many(model, [EXAMPLE])  # the first prediction compiles the graph: pay it here
        return model

    def _set_model(self, model: Any) -> None:
        self.model = model
        self.query_one("#dates-model", Static).update(model.describe())
        self._translate_now()

    # -- translating as you type -----------------------------------------------------------

    @on(Input.Changed, "#dates-input")
    def _typed(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE, self._translate_now)

    @on(Input.Submitted, "#dates-input")
    def _submitted(self) -> None:
        self._translate_now()

    def _translate_now(self) -> None:
        if self.model is None:
            return
        text = self.query_one("#dates-input", Input).value
        from seqtui_models import dates

        try:
            dates.check_readable(self.model.vocab, text)
        except InvalidInput as exc:
            # Typing is not an error: say what is wrong where the answer would be.
            self.translation = None
            self.query_one("#dates-result", Static).update(Text(exc.message, style="yellow"))
            self.query_one("#dates-attention", Heatmap).update(np.zeros((0, 0)), title="attention")
            return
        self._translate(self.model, text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="dates-translate")
    def _translate(self, model: Any, text: str) -> Any:
        from seqtui_models import dates

        return dates.translate(model, text)

    def _show_translation(self, translation: Any) -> None:
        if translation.input != self.query_one("#dates-input", Input).value:
            return  # the user typed on; a newer translation is coming
        self.translation = translation
        self.query_one("#dates-result", Static).update(render_translation(translation))
        rows = [f"{ch} {p:4.0%}" for ch, p in zip(translation.iso, translation.char_probs)]
        cols = [shown_char(ch) for ch in translation.read]
        title = "attention α: output characters ↓, characters read →"
        if any(p > 0.005 for p in translation.pad_attention):
            title += f" (≤ {max(translation.pad_attention):.0%} of a row on padding)"
        heatmap = self.query_one("#dates-attention", Heatmap)
        # Two cells per input character when they fit (6 for the row labels, 2 of padding).
        heatmap.cell_width = 2 if 8 + 2 * len(cols) <= heatmap.size.width else 1
        heatmap.update(translation.attention, row_labels=rows, col_labels=cols, title=title)

    # -- fuzz ------------------------------------------------------------------------------

    def action_fuzz(self) -> None:
        """Draw a tricky held-out date, translate it and say whether the model got it right."""
        if self.model is None:
            self.notify("The model is still loading.", severity="warning")
            return
        self.fuzzes += 1
        self._show_view("dates-view-translate")
        self._fuzz(self.model, self.fuzzes)

    @work(thread=True, exclusive=True, exit_on_error=False, group="dates-fuzz")
    def _fuzz(self, model: Any, count: int) -> tuple[Any, Any, int]:
        from seqtui_models import dates

        pair, translation = dates.fuzz(model, seed=count)  # each press a new date; a session replays them
        return pair, translation, count

    def _show_fuzz(self, pair: Any, translation: Any, count: int) -> None:
        box = self.query_one("#dates-input", Input)
        if self._debounce is not None:
            self._debounce.stop()
        with box.prevent(Input.Changed):
            box.value = pair.human
        self._show_translation(translation)
        self.query_one("#dates-fuzz", Static).update(render_fuzz(pair, translation, count))

    # -- views -----------------------------------------------------------------------------

    def _show_view(self, view: str) -> None:
        self.query_one("#dates-views", TabbedContent).active = view
        target = {"dates-view-translate": "#dates-input", "dates-view-eval": "#dates-eval-file",
                  "dates-view-train": "#dates-train"}[view]
        self.query_one(target).focus()

    def action_next_view(self) -> None:
        """Cycle Translate → Evaluate → Train."""
        if not self.query("#dates-views"):
            return
        active = self.query_one("#dates-views", TabbedContent).active
        view = VIEWS[(VIEWS.index(active) + 1) % len(VIEWS)] if active in VIEWS else VIEWS[0]
        self._show_view(view)

    def action_run_view(self) -> None:
        """Translate now, or evaluate, depending on the view."""
        if not self.query("#dates-views"):
            return
        active = self.query_one("#dates-views", TabbedContent).active
        if active == "dates-view-eval":
            self.action_evaluate()
        elif active == "dates-view-translate":
            self._translate_now()

    def action_leave_field(self) -> None:
        """Move the focus out of a text field, so the single-letter keys work."""
        if isinstance(self.app.focused, Input) and self.query("#dates-views"):
            active = self.query_one("#dates-views", TabbedContent).active
            target = "#dates-train" if active == "dates-view-train" else "#dates-attention-scroll"
            self.query_one(target).focus()

    async def show_training_view(self) -> None:
        """Bring the Train view to the front."""
        await self._ready.wait()
        self._show_view("dates-view-train")

    # -- evaluation ------------------------------------------------------------------------

    def action_evaluate(self) -> None:
        """Evaluate the model on held-out dates (or the TSV in the field)."""
        if self.model is None:
            self.notify("The model is still loading.", severity="warning")
            return
        self.query_one("#dates-views", TabbedContent).active = "dates-view-eval"
        source = self.query_one("#dates-eval-file", Input).value.strip() or None
        self.query_one("#dates-eval-status", Static).update("Evaluating…")
        self._evaluate(self.model, source)

    @work(thread=True, exclusive=True, exit_on_error=False, group="dates-eval")
    def _evaluate(self, model: Any, source: str | None) -> Any:
        from seqtui_models import dates

        if source:
            return dates.evaluate(model, dates.read_pairs(source), source=source)
        pairs = dates.heldout_pairs(2000, seed=1, max_length=model.vocab.tx)
        return dates.evaluate(model, pairs, source="2,000 generated held-out dates")

    def _show_evaluation(self, result: Any) -> None:
        self.evaluation = result
        families = self.query_one("#dates-families", DataTable)
        families.clear()
        for name, score in result.by_format.items():
            style = "green" if score.exact_match >= 0.999 else ("yellow" if score.exact_match >= 0.99 else "red")
            families.add_row(name, score.kind, Text(f"{score.exact_match:.1%}", style=style), f"{score.n:,}")
        families.border_title = "exact match per format family"
        mistakes = self.query_one("#dates-mistakes", DataTable)
        mistakes.clear()
        for m in result.mistakes:
            got = Text(m.got, style="red" if not m.valid_date else "")
            mistakes.add_row(repr(m.input), m.expected, got, f"{m.confidence:.0%}")
        mistakes.border_title = f"mistakes: {result.wrong} (least confident first)" if result.wrong else "no mistakes"
        source = Path(result.source).name if Path(result.source).is_file() else result.source
        self.query_one("#dates-eval-status", Static).update(Text.assemble(
            ("exact match ", "dim"), (f"{result.exact_match:.2%}", "bold"), (f" of {result.n:,} · {source}", "dim"),
            (f" · {plural(result.invalid_dates, 'output')} not a date" if result.invalid_dates else "", "red"),
            (f" · {plural(result.truncated, 'input')} cut at T_x" if result.truncated else "", "yellow"),
        ))

    # -- training --------------------------------------------------------------------------

    @on(Select.Changed, "#dates-preset")
    def _preset_changed(self, event: Select.Changed) -> None:
        self._fill_preset(str(event.value))

    def _fill_preset(self, preset: str) -> None:
        from seqtui_models.dates import PRESETS

        values = PRESETS[preset]
        self.query_one("#dates-examples", Input).value = str(values["examples"])
        self.query_one("#dates-epochs", Input).value = str(values["epochs"])

    def _number(self, selector: str, name: str, kind: type[int] | type[float] = int) -> Any:
        text = self.query_one(selector, Input).value
        return read_number(text, name, kind, blank=None) if kind is float else read_number(text, name, kind)

    @on(TrainingPanel.StartRequested)
    def _start_training(self, message: TrainingPanel.StartRequested) -> None:
        from seqtui_models import dates
        from seqtui_models.core.training import TrainingJob

        try:
            preset = str(self.query_one("#dates-preset", Select).value)
            config = dates.preset_config(
                preset, examples=self._number("#dates-examples", "dates"), epochs=self._number("#dates-epochs", "epochs"),
                max_seconds=self._number("#dates-seconds", "max s", float), seed=self._number("#dates-seed", "seed"),
            )
        except SeqtuiError as exc:  # a bad setting: say so, start nothing
            self.post_message(TaskFailed(exc, "training"))
            return
        limit = f", at most {config.max_seconds:g} s" if config.max_seconds else ""
        message.panel.border_title = f"{preset}: {config.examples:,} dates × {config.epochs} epochs{limit}"
        # Keras in a thread of this process: TensorFlow's kernels release the GIL.
        message.panel.start(TrainingJob("seqtui_models.dates:train", config, isolate=False))

    @on(TrainingFinished)
    def _trained(self, message: TrainingFinished) -> None:
        result = message.result
        model = (result.payload or {}).get("model") if isinstance(result.payload, dict) else None
        if model is None:
            return
        exact = result.metrics.get("exact_match")
        extra = f" Held-out exact match {exact:.1%}." if isinstance(exact, float) else ""
        current = self.model.metrics if self.model is not None else None
        if result.stopped_worse_than(current, "exact_match"):  # a run stopped early: keep the better model
            self.notify(f"Still translating with the current model ({self.model.metrics['exact_match']:.1%}); the stopped "
                        f"one ({exact:.1%}) is saved in {result.model_path}.", title="Training stopped")
            return
        self._set_model(model)
        self.notify(f"Now translating with the new model.{extra}", title="Training " + result.status)

    # -- workers ---------------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Show results; send failures to the app's one handler."""
        worker = event.worker
        group = worker.group or ""
        if not group.startswith("dates-"):
            return
        if event.state == WorkerState.SUCCESS:
            if group == "dates-load":
                self._set_model(worker.result)
                self._ready.set()
            elif group == "dates-translate":
                self._show_translation(worker.result)
            elif group == "dates-fuzz":
                self._show_fuzz(*cast(tuple[Any, Any, int], worker.result))
            elif group == "dates-eval":
                self._show_evaluation(worker.result)
        elif event.state == WorkerState.ERROR and worker.error is not None:
            if group == "dates-load":
                self.query_one("#dates-model", Static).update("could not be loaded")
                self._ready.set()
            elif group == "dates-eval":
                self.query_one("#dates-eval-status", Static).update("Evaluation failed.")
            self.post_message(TaskFailed(worker.error, group.removeprefix("dates-")))
