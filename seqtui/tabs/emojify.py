"""Provides the emojify tab: a sentence's emoji from two models side by side, explained word by word."""

from __future__ import annotations

import asyncio
import math
from pathlib import Path
from typing import Any, cast

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Button, DataTable, Input, Label, Select, Static, TabbedContent, TabPane
from textual.worker import Worker, WorkerState

from seqtui_models.core.errors import InvalidInput, SeqtuiError
from seqtui.messages import TaskFailed, TrainingFinished
from seqtui.tabs.training_keys import TRAINING_BINDINGS, TrainingKeys
from seqtui.widgets.form import field, read_number
from seqtui.widgets.loading import DeferredImport, importing
from seqtui.widgets.training_panel import TrainingPanel

HELP = r"""
# Emojify — a sentence's emoji, two ways

Two models read a short sentence and choose one of five emoji: ❤️ love, ⚾ sports, 😄 happy,
😞 sad, 🍴 food. Both start from GloVe word vectors (400,000 words, 50 numbers each).

## V1: average the words, then one softmax layer (numpy)
    avg = (1/k) Σ_j e_j                the mean of the k known words' vectors
    z = W·avg + b,  ŷ = softmax(z)     one score per emoji, then probabilities
Word order is lost: "not happy" and "happy, not" look the same. The explanation is exact:
word j adds (1/k) W_c·e_j to the score of emoji c (the bars), and these plus the bias b_c
are the scores. Unknown words are skipped.

## V2: read the words in order with a 2-layer LSTM (Keras)
    indices → frozen GloVe embedding → LSTM(128) → dropout → LSTM(128) → dropout → softmax
Unknown words get a reserved index of their own. The explanation is *occlusion*: each bar is
how much the chosen emoji's probability drops when that word is taken out (negative: the
sentence is *more* that emoji without it). The shipped V2 averages three such networks.

## Views
**Predict** — type; both models answer as you type. **Evaluate** — accuracy, the 5×5
confusion matrix and the sentences either model gets wrong, on the bundled test sentences
(written separately from the training ones) or any CSV. **Add** — add a sentence with its
emoji to your own CSV and retrain V1 on the bundled sentences plus yours (seconds).
**Train** — retrain V1 (course loop or fast) or V2 with live loss and accuracy.

## Your own data and classes
The **data** field takes a CSV path (several: separate them with `;`); empty means the bundled
sentences plus the ones you added. A CSV has rows `sentence,label` with labels 0 … C−1; other
classes than the five are named by an `emoji` column (`sentence,label,emoji`) or by the
**labels** field (`🐶 dog, 🐱 cat, 🐟 fish`). Bad rows are skipped and reported.

## Keys
| key | does |
| --- | --- |
| ctrl+n | next view: Predict, Evaluate, Add, Train |
| ctrl+g | run the view: evaluate / add the sentence and retrain V1 |
| escape | leave the field (then the number keys and t / p / s work) |
| t / p / s | train / pause–resume / stop (Train view) |
"""

VIEWS = ("emo-view-predict", "emo-view-eval", "emo-view-add", "emo-view-train")
DEBOUNCE = 0.15  # seconds of quiet typing before the models run
USER_MODEL = "emojify-v1-mine.npz"
BAR_WIDTH = 16


def prob_bar(prob: float, width: int = BAR_WIDTH) -> str:
    """A horizontal bar for a probability in [0, 1], in eighths of a cell, padded to ``width``."""
    eighths = int(round(max(0.0, min(1.0, prob)) * width * 8))
    full, rest = divmod(eighths, 8)
    text = "█" * full + ("▏▎▍▌▋▊▉"[rest - 1] if rest else "")
    return text.ljust(width)


def signed_bar(value: float, scale: float, width: int = 8) -> Text:
    """A bar growing right (green) for a positive value and left (red) for a negative one."""
    cells = 0 if scale <= 0 or not math.isfinite(value) else int(round(min(1.0, abs(value) / scale) * width))
    left = ("█" * cells).rjust(width) if value < 0 else " " * width
    right = ("█" * cells).ljust(width) if value >= 0 else " " * width
    return Text.assemble((left, "red"), ("│", "dim"), (right, "green"))


def render_prediction(prediction: Any, labels: Any, title: str, width: int = 45) -> Group:
    """The emoji, the top-3 probability bars and the per-word explanation of one model.

    Args:
        prediction: A ``Prediction``.
        labels: The model's label set (for the top-3 rows).
        title: Which model, shown after the emoji.
        width: Cells available; the bars shrink to fit (narrow terminals).
    """
    head = Text.assemble((f"{prediction.emoji}  {prediction.name}", "bold"), (f"   {title}", "dim"))
    names = [f"{labels.emoji[label]} {labels.names[label]}"[:12] for label, _ in prediction.top(3)]
    name_width = max(len(n) + 1 for n in names)  # an emoji is two cells
    top = Table.grid(padding=(0, 1))
    top.add_column(no_wrap=True, min_width=name_width)
    top.add_column(no_wrap=True)
    top.add_column(no_wrap=True, justify="right")
    bar_width = max(4, min(BAR_WIDTH, width - name_width - 9))
    for name, (label, prob) in zip(names, prediction.top(3)):
        chosen = label == prediction.label
        top.add_row(Text(name, style="bold" if chosen else ""), Text(prob_bar(prob, bar_width), style="green" if chosen else "blue"),
                    Text(f"{prob:.1%}", style="bold" if chosen else ""))
    linear = prediction.method == "linear"
    what = f"share of the {prediction.emoji} score" if linear else f"{prediction.emoji} probability lost without it"
    word_width = max([len(w.word) + (0 if w.known else 1) for w in prediction.words] + [4])
    word_width = min(word_width, 14)
    half = max(2, min(8, (width - word_width - 11) // 2))
    words = Table(box=None, padding=(0, 1), show_header=True, header_style="dim", expand=False)
    words.add_column("word", no_wrap=True, min_width=word_width, max_width=14, overflow="ellipsis")
    words.add_column("", no_wrap=True, min_width=2 * half + 1)
    words.add_column("", no_wrap=True, justify="right", min_width=5)
    scale = max([abs(w.contribution) for w in prediction.words] + [1e-9])
    for w in prediction.words:
        word = Text(w.word, style="" if w.known else "dim italic")
        if not w.known:
            word.append("?", style="yellow")
        percent = w.contribution * 100
        value = f"{w.contribution:+.2f}" if linear else (f"{percent:+.1f}%" if abs(percent) < 9.95 else f"{percent:+.0f}%")
        words.add_row(word, signed_bar(w.contribution, scale, half), value)
    parts: list[Any] = [head, top, Text(""), Text(what, style="dim"), words]
    if prediction.unknown:
        how = "skipped" if linear else "read as 'unknown'"
        parts.append(Text(f"? not in GloVe ({how}): {', '.join(prediction.unknown)}", style="yellow"))
    return Group(*parts)


def describe_model(model: Any) -> Text:
    """Two short lines for the sidebar: which model, where from, and its test accuracy."""
    from seqtui_models.core.paths import data_dir

    kind = "V1 average" if model.kind == "v1" else "V2 LSTM"
    members = model.metrics.get("members") if model.kind == "v2" else None
    if isinstance(members, int) and members > 1:
        kind += f" ×{members}"
    path = Path(model.path) if model.path else None
    origin = "bundled" if path is not None and path.parent == data_dir() else "trained"
    if path is not None and path.name == USER_MODEL:
        origin = "yours"
    test = model.metrics.get("test_accuracy")
    second = f"test {test:.1%}" if isinstance(test, float) else f"{len(model.labels)} classes"
    return Text.assemble((kind, "bold"), f" ({origin})\n", (second, "dim"))


def render_confusion(result: Any, title: str) -> Table:
    """A confusion matrix: rows are the true emoji, columns the predicted ones."""
    labels = result.labels
    table = Table(title=f"{title}: {result.accuracy:.1%} of {result.n}", title_justify="left", box=None,
                  padding=(0, 1), header_style="dim", title_style="bold")
    table.add_column("true \\ said", no_wrap=True)
    for emoji in labels.emoji:
        table.add_column(emoji, justify="right", no_wrap=True)
    table.add_column("recall", justify="right", no_wrap=True)
    peak = max([max(row) for row in result.confusion] + [1])
    for i, row in enumerate(result.confusion):
        cells = []
        for j, count in enumerate(row):
            strength = count / peak
            if i == j:
                style = "bold green" if count else "dim"
            else:
                style = "bold red" if strength > 0.15 else ("red" if count else "dim")
            cells.append(Text(str(count), style=style))
        recall = result.per_class[i]
        table.add_row(f"{labels.emoji[i]} {labels.names[i][:7]}", *cells, "–" if math.isnan(recall) else f"{recall:.0%}")
    return table


class EmojifyTab(TrainingKeys):
    """The emojify tab: predict as you type, evaluate, add sentences, train."""

    HELP = HELP
    #: V1 trains in a spawned process (a numpy loop holds the GIL); V2's Keras runs in a thread.
    ISOLATE_V1 = True
    #: Load TensorFlow and V2 once V1 is ready (tests that look only at V1 turn it off).
    LOAD_V2 = True

    BINDINGS = [
        Binding("ctrl+n", "next_view", "Next view"),
        Binding("ctrl+g", "run_view", "Run"),
        Binding("escape", "leave_field", "Leave field", show=False),
        *TRAINING_BINDINGS,
    ]

    COMMANDS_PALETTE = (
        ("Emojify: evaluate both models", "Accuracy, confusion matrix and mistakes on the test sentences", "evaluate"),
        ("Emojify: train", "Train the model chosen in the sidebar", "train"),
    )

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="task-tab")
        self.wv: Any = None
        self.v1: Any = None
        self.v2: Any = None
        self.last: dict[str, Any] = {}
        self.evaluation: dict[str, Any] = {}
        self._debounce: Timer | None = None
        self._ready = asyncio.Event()
        self._v2_failed = False
        self._v2_loading = False
        self._tf_loaded = False

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal():
            with VerticalScroll(classes="sidebar", id="emojify-form"):
                yield Label("Models", classes="section")
                yield Static("V1: loading…", id="emojify-v1-info")
                yield Static("V2: loading TensorFlow…", id="emojify-v2-info")
                yield Label("Training", classes="section")
                yield field("model", Select([("V1 average", "v1"), ("V2 LSTM", "v2")], value="v1",
                                            allow_blank=False, id="emojify-model", compact=True))
                yield field("preset", Select([("fast", "fast"), ("course", "course")], value="fast",
                                             allow_blank=False, id="emojify-preset", compact=True))
                yield field("data", Input(placeholder="built-in + yours", id="emojify-data", compact=True))
                yield field("labels", Input(placeholder="from the CSV", id="emojify-labels", compact=True))
                yield field("epochs", Input("300", type="integer", id="emojify-epochs", compact=True))
                yield field("seed", Input("1", type="integer", id="emojify-seed", compact=True))
            with TabbedContent(id="emojify-views"):
                with TabPane("Predict", id="emo-view-predict"):
                    yield field("sentence", Input(placeholder="type a sentence, e.g. i am not happy with this",
                                                  id="emojify-sentence", compact=True), classes="field emo-wide")
                    with Horizontal(id="emojify-outputs"):
                        with VerticalScroll(id="emojify-v1-box", classes="emo-box"):
                            yield Static("Loading the word vectors…", id="emojify-v1-out")
                        with Vertical(id="emojify-v2-box", classes="emo-box"):
                            yield Static("V2 starts loading TensorFlow once V1 is ready.", id="emojify-v2-wait")
                    yield Static("", id="emojify-note")
                with TabPane("Evaluate", id="emo-view-eval"):
                    yield field("csv", Input(placeholder="the bundled test sentences", id="emojify-eval-csv", compact=True),
                                classes="field emo-wide")
                    yield Static("ctrl+g evaluates both models (V2 once TensorFlow is loaded)", id="emojify-eval-status")
                    with Horizontal(id="emojify-confusions"):
                        yield Static("", id="emojify-confusion-v1", classes="emo-confusion")
                        yield Static("", id="emojify-confusion-v2", classes="emo-confusion")
                    yield DataTable(id="emojify-mistakes", cursor_type="row", zebra_stripes=True)
                with TabPane("Add", id="emo-view-add"):
                    yield field("sentence", Input(placeholder="a sentence of your own", id="emojify-add-sentence",
                                                  compact=True), classes="field emo-wide")
                    yield field("emoji", Select([], id="emojify-add-label", compact=True, prompt="choose"),
                                classes="field emo-wide")
                    yield Button("Add and retrain V1 (ctrl+g)", id="emojify-add-button", compact=True, variant="primary")
                    yield Static("", id="emojify-add-status")
                    yield DataTable(id="emojify-add-table", cursor_type="row", zebra_stripes=True)
                with TabPane("Train", id="emo-view-train"):
                    yield TrainingPanel(id="emojify-train")

    def _v2_output(self) -> Static:
        return Static("Loading the V2 model…", id="emojify-v2-out")

    def on_mount(self) -> None:
        """Set up the tables and load the word vectors and V1 at once (V2 after TensorFlow)."""
        mistakes = self.query_one("#emojify-mistakes", DataTable)
        for label, width in (("line", 5), ("true", 4), ("V1", 4), ("V2", 4), ("sentence", 60)):
            mistakes.add_column(label, width=width)
        added = self.query_one("#emojify-add-table", DataTable)
        for label, width in (("your sentence", 56), ("emoji", 6)):
            added.add_column(label, width=width)
        self._show_user_rows()
        self._load_v1()

    def focus_default(self) -> None:
        """Start in the sentence field: typing is what this tab is for."""
        self.query_one("#emojify-sentence", Input).focus()

    async def wait_ready(self, v2: bool = False) -> None:
        """Wait until V1 is loaded (and V2 too if ``v2``)."""
        await self._ready.wait()
        while v2 and self.v2 is None and not self._v2_failed:
            await asyncio.sleep(0.05)

    # -- loading the models ------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="emojify-load-v1")
    def _load_v1(self) -> tuple[Any, Any]:
        from seqtui_models import emojify

        wv = emojify.word_vectors(None)
        mine = emojify.user_models_dir() / USER_MODEL
        if mine.is_file():
            try:
                return wv, emojify.load_model(mine, wv)
            except SeqtuiError:
                pass  # a broken or stale file of ours: fall back to the bundled model
        return wv, emojify.load_model("v1", wv)

    def _start_tensorflow(self) -> None:
        """Import TensorFlow only now: its import holds the GIL for seconds, and V1 comes first."""
        if self.query("#emojify-v2-deferred") or not self.LOAD_V2:
            return
        box = self.query_one("#emojify-v2-box", Vertical)
        for wait in self.query("#emojify-v2-wait"):
            wait.remove()
        box.mount(DeferredImport(importing("seqtui_models.emojify.v2", "keras"), self._v2_output, "TensorFlow", id="emojify-v2-deferred"))

    @on(DeferredImport.Loaded)
    def _tensorflow_loaded(self) -> None:
        self._tf_loaded = True
        self._maybe_load_v2()

    def _maybe_load_v2(self) -> None:
        """Load V2 once both TensorFlow and the word vectors (loaded with V1) are there."""
        if self._tf_loaded and self.wv is not None and self.v2 is None and not self._v2_loading:
            self._v2_loading = True
            self._load_v2()

    @work(thread=True, exclusive=True, exit_on_error=False, group="emojify-load-v2")
    def _load_v2(self) -> Any:
        from seqtui_models import emojify

        return emojify.load_model("v2", self.wv)

    def _set_v1(self, model: Any) -> None:
        self.v1 = model
        self.query_one("#emojify-v1-info", Static).update(describe_model(model))
        self._fill_labels(model.labels)
        self._predict_now()

    def _set_v2(self, model: Any) -> None:
        self.v2 = model
        self.query_one("#emojify-v2-info", Static).update(describe_model(model))
        self._predict_now()

    def _fill_labels(self, labels: Any) -> None:
        select = self.query_one("#emojify-add-label", Select)
        current = select.value
        select.set_options([(f"{i} {e} {n}", i) for i, (e, n) in enumerate(zip(labels.emoji, labels.names))])
        if isinstance(current, int) and current < len(labels):
            select.value = current

    # -- predicting as you type --------------------------------------------------------------

    @on(Input.Changed, "#emojify-sentence")
    def _typed(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE, self._predict_now)

    @on(Input.Submitted, "#emojify-sentence")
    def _submitted(self) -> None:
        self._predict_now()

    def _predict_now(self) -> None:
        """Run V1 here (a millisecond) and V2 in a thread."""
        sentence = self.query_one("#emojify-sentence", Input).value
        from seqtui_models.emojify import tokenize

        if not tokenize(sentence):
            self._show_empty()
            return
        if self.v1 is not None:
            prediction = self.v1.explain(sentence)
            self.last["v1"] = prediction
            self.query_one("#emojify-v1-out", Static).update(
                render_prediction(prediction, self.v1.labels, "V1 · average", self._box_width("#emojify-v1-box"))
            )
        if self.v2 is not None:
            self._predict_v2(sentence)
        self._show_note()

    def _box_width(self, selector: str) -> int:
        """Cells inside an output box (its border and padding taken off)."""
        width = self.query_one(selector).content_size.width
        return width if width > 0 else 45

    def _show_empty(self) -> None:
        self.last.clear()
        hint = Text("Type a sentence above: both models answer as you type.", style="dim")
        if self.v1 is not None:
            self.query_one("#emojify-v1-out", Static).update(hint)
        for out in self.query("#emojify-v2-out").results(Static):
            if self.v2 is not None:
                out.update(hint)
        self.query_one("#emojify-note", Static).update("")

    @work(thread=True, exclusive=True, exit_on_error=False, group="emojify-v2")
    def _predict_v2(self, sentence: str) -> tuple[Any, Any]:
        model = self.v2
        return model, model.explain(sentence)

    def _show_v2(self, model: Any, prediction: Any) -> None:
        if prediction.sentence != self.query_one("#emojify-sentence", Input).value:
            return  # the user has typed on; a newer prediction is coming
        self.last["v2"] = prediction
        for out in self.query("#emojify-v2-out").results(Static):
            out.update(render_prediction(prediction, model.labels, "V2 · LSTM", self._box_width("#emojify-v2-box")))
        self._show_note()

    def _show_note(self) -> None:
        v1, v2 = self.last.get("v1"), self.last.get("v2")
        if v1 is None or v2 is None or v1.sentence != v2.sentence:
            self.query_one("#emojify-note", Static).update("")
            return
        if v1.label == v2.label:
            text = Text(f"Both models say {v1.emoji}.", style="dim")
        else:
            from seqtui_models.emojify import has_negation, tokenize

            why = ("V1 averages the words, so the negation cannot turn them; V2 reads them in order."
                   if has_negation(tokenize(v1.sentence)) else
                   "V1 sees only the average of the word vectors; V2 reads the words in order.")
            text = Text.assemble(("The models disagree: ", "bold"), f"V1 {v1.emoji}, V2 {v2.emoji} — ", (why, "dim"))
        self.query_one("#emojify-note", Static).update(text)

    # -- views -----------------------------------------------------------------------------

    def _show_view(self, view: str) -> None:
        self.query_one("#emojify-views", TabbedContent).active = view
        targets = {
            "emo-view-predict": "#emojify-sentence",
            "emo-view-eval": "#emojify-eval-csv",  # letters typed there go in the field, not to t/p/s
            "emo-view-add": "#emojify-add-sentence",
            "emo-view-train": "#emojify-train",
        }
        self.query_one(targets[view]).focus()

    def action_next_view(self) -> None:
        """Cycle Predict → Evaluate → Add → Train."""
        active = self.query_one("#emojify-views", TabbedContent).active
        view = VIEWS[(VIEWS.index(active) + 1) % len(VIEWS)] if active in VIEWS else VIEWS[0]
        self._show_view(view)

    def action_run_view(self) -> None:
        """Run what the current view does (evaluate, add a sentence)."""
        active = self.query_one("#emojify-views", TabbedContent).active
        if active == "emo-view-eval":
            self.action_evaluate()
        elif active == "emo-view-add":
            self.action_add()
        elif active == "emo-view-predict":
            self._predict_now()

    def action_leave_field(self) -> None:
        """Move the focus out of a text field, so the tab's single-letter keys work."""
        if isinstance(self.app.focused, Input):
            active = self.query_one("#emojify-views", TabbedContent).active
            targets = {
                "emo-view-predict": "#emojify-v1-box",
                "emo-view-eval": "#emojify-mistakes",
                "emo-view-add": "#emojify-add-table",
                "emo-view-train": "#emojify-train",
            }
            self.query_one(targets.get(active, "#emojify-v1-box")).focus()

    async def show_training_view(self) -> None:
        """Bring the Train view to the front."""
        self._show_view("emo-view-train")

    # -- evaluation --------------------------------------------------------------------------

    def action_evaluate(self) -> None:
        """Evaluate both models on the bundled test sentences or the CSV in the field."""
        if self.v1 is None:
            return
        self.query_one("#emojify-views", TabbedContent).active = "emo-view-eval"
        source = self.query_one("#emojify-eval-csv", Input).value.strip() or None
        self.query_one("#emojify-eval-status", Static).update("Evaluating…")
        self._evaluate(source)

    @work(thread=True, exclusive=True, exit_on_error=False, group="emojify-eval")
    def _evaluate(self, source: str | None) -> dict[str, Any]:
        from seqtui_models import emojify
        from seqtui_models.emojify import TEST_FILE
        from seqtui_models.core.paths import data_file

        path = source or str(data_file(TEST_FILE))
        results: dict[str, Any] = {"source": path}
        for kind, model in (("v1", self.v1), ("v2", self.v2)):
            if model is None:
                continue
            try:
                results[kind] = emojify.evaluate(model, path, skip_bad_rows=True)
            except SeqtuiError as exc:
                if kind == "v1":
                    raise
                results["v2_error"] = exc.message
        return results

    def _show_evaluation(self, results: dict[str, Any]) -> None:
        self.evaluation = results
        v1, v2 = results.get("v1"), results.get("v2")
        self.query_one("#emojify-confusion-v1", Static).update(render_confusion(v1, "V1") if v1 else "")
        v2_box = self.query_one("#emojify-confusion-v2", Static)
        if v2 is not None:
            v2_box.update(render_confusion(v2, "V2"))
        else:
            v2_box.update(Text(results.get("v2_error", "V2 is still loading: evaluate again in a moment."), style="dim"))
        table = self.query_one("#emojify-mistakes", DataTable)
        table.clear()
        scored = [(kind, result) for kind, result in (("v1", v1), ("v2", v2)) if result is not None]
        if not scored:
            return
        first = scored[0][1]
        wrong: dict[int, dict[str, Any]] = {}
        for kind, result in scored:
            for m in result.mistakes:
                row = wrong.setdefault(m.line, {"sentence": m.sentence, "label": m.label})
                row[kind] = m.predicted

        def shown(row: dict[str, Any], kind: str, result: Any) -> Text:
            if result is None:
                return Text("–", style="dim")
            if kind in row:
                return Text(result.labels.emoji[row[kind]], style="red")
            return Text("✓", style="green")

        for line in sorted(wrong):
            row = wrong[line]
            table.add_row(str(line), first.labels.emoji[row["label"]], shown(row, "v1", v1), shown(row, "v2", v2),
                          row["sentence"])
        parts = [f"{Path(results['source']).name}: {first.n} sentences"]
        if first.skipped:
            lines = ", ".join(str(b.line) for b in first.skipped[:5])
            parts.append(f"{len(first.skipped)} bad rows skipped (line {lines})")
        if len(scored) == 2:
            both = sum(1 for r in wrong.values() if "v1" in r and "v2" in r)
            parts.append(f"{len(wrong)} sentences wrong in at least one model, {both} in both")
        else:
            parts.append(f"{len(wrong)} sentences wrong")
        self.query_one("#emojify-eval-status", Static).update(" · ".join(parts))
        table.border_title = "mistakes (✓ = that model got it right)"

    # -- add a sentence and retrain V1 ---------------------------------------------------------

    @on(Button.Pressed, "#emojify-add-button")
    def _add_pressed(self) -> None:
        self.action_add()

    @on(Input.Submitted, "#emojify-add-sentence")
    def _add_submitted(self) -> None:
        self.action_add()

    def action_add(self) -> None:
        """Append the sentence with its emoji to the user CSV and retrain V1 on everything."""
        from seqtui_models import emojify

        sentence = self.query_one("#emojify-add-sentence", Input).value
        label = self.query_one("#emojify-add-label", Select).value
        try:
            if not emojify.tokenize(sentence):
                raise InvalidInput("Type a sentence to add first.")
            if not isinstance(label, int):
                raise InvalidInput("Choose the sentence's emoji first.")
            if self.v1 is None:
                raise InvalidInput("V1 is still loading — try again in a moment.")
            if self.v1.labels != emojify.COURSE_LABELS:
                raise InvalidInput(
                    "Adding a sentence retrains V1 on the five course emoji, but V1 now has classes of your own — "
                    "add the sentence to your CSV and train on it in the Train view."
                )
            emojify.append_row(emojify.user_csv_path(), sentence, label, self.v1.labels.emoji[label])
        except SeqtuiError as exc:
            self.post_message(TaskFailed(exc, "adding a sentence"))
            return
        self.query_one("#emojify-add-sentence", Input).value = ""
        self._show_user_rows()
        self.query_one("#emojify-add-status", Static).update("Added. Retraining V1 on the bundled sentences + yours…")
        self._retrain_v1()

    def _user_rows(self) -> list[tuple[str, str]]:
        from seqtui_models import emojify

        path = emojify.user_csv_path()
        if not path.is_file():
            return []
        try:
            data = emojify.read_csv(path, skip_bad_rows=True)
        except SeqtuiError:
            return []
        return [(s, data.labels_set.emoji[int(label)]) for s, label in zip(data.sentences, data.labels)]

    def _show_user_rows(self) -> None:
        from seqtui_models import emojify

        rows = self._user_rows()
        table = self.query_one("#emojify-add-table", DataTable)
        table.clear()
        for sentence, emoji in reversed(rows):
            table.add_row(sentence, emoji)
        table.border_title = f"your sentences ({len(rows)}) in {emojify.user_csv_path()}"

    @work(thread=True, exclusive=True, exit_on_error=False, group="emojify-retrain")
    def _retrain_v1(self) -> Any:
        from seqtui_models import emojify
        from seqtui_models.emojify import TRAIN_FILE
        from seqtui_models.core.paths import data_file
        from seqtui_models.core.training import TrainingJob, run_job

        labels = self.v1.labels.to_spec() if self.v1 is not None else None
        config = emojify.preset_config(
            "v1", "fast", data=(str(data_file(TRAIN_FILE)), str(emojify.user_csv_path())), labels=labels,
            skip_bad_rows=True, out=str(emojify.user_models_dir() / USER_MODEL),
        )
        result = run_job(TrainingJob("seqtui_models.emojify:train", config, isolate=self.ISOLATE_V1))
        return result, emojify.load_model(result.model_path or "", self.wv)

    def _retrained(self, result: Any, model: Any) -> None:
        self._set_v1(model)
        test = result.metrics.get("test_accuracy")
        tail = f", test {test:.1%}" if isinstance(test, float) else ""
        self.query_one("#emojify-add-status", Static).update(
            f"V1 retrained on {result.metrics.get('sentences', 0):,} sentences in {result.seconds:.1f} s "
            f"(train {result.metrics.get('train_accuracy', 0):.1%}{tail}). It now predicts with them."
        )

    # -- training --------------------------------------------------------------------------

    @on(Select.Changed, "#emojify-model")
    @on(Select.Changed, "#emojify-preset")
    def _model_changed(self) -> None:
        from seqtui_models.emojify import PRESETS

        model = str(self.query_one("#emojify-model", Select).value)
        preset_select = self.query_one("#emojify-preset", Select)
        preset_select.disabled = model == "v2"
        preset = str(preset_select.value) if model == "v1" else "fast"
        self.query_one("#emojify-epochs", Input).value = str(PRESETS[(model, preset)]["epochs"])

    def _int(self, selector: str, name: str) -> int:
        return int(read_number(self.query_one(selector, Input).value, name))

    @on(TrainingPanel.StartRequested)
    def _start_training(self, message: TrainingPanel.StartRequested) -> None:
        from seqtui_models import emojify
        from seqtui_models.emojify import TRAIN_FILE
        from seqtui_models.core.paths import data_file
        from seqtui_models.core.training import TrainingJob

        try:
            model = str(self.query_one("#emojify-model", Select).value)
            preset = str(self.query_one("#emojify-preset", Select).value) if model == "v1" else "fast"
            data_text = self.query_one("#emojify-data", Input).value.strip()
            if data_text:
                data: tuple[str, ...] = tuple(part.strip() for part in data_text.split(";") if part.strip())
            else:
                mine = emojify.user_csv_path()
                data = (str(data_file(TRAIN_FILE)), str(mine)) if mine.is_file() else ()
            labels = self.query_one("#emojify-labels", Input).value.strip() or None
            if model == "v2" and self.v2 is None and not self._v2_failed:
                raise InvalidInput("TensorFlow is still loading — train V2 in a moment.")
            config = emojify.preset_config(
                model, preset, data=data, labels=labels, skip_bad_rows=True,
                epochs=self._int("#emojify-epochs", "epochs"), seed=self._int("#emojify-seed", "seed"),
            )
            if config.data:
                emojify.load_training_data(config.data, config.labels, True)  # a bad file is reported now
        except SeqtuiError as exc:
            self.post_message(TaskFailed(exc, "training"))
            return
        what = "V1 average + softmax" if model == "v1" else f"V2 LSTM ×{config.members}"
        source = " + ".join(Path(p).name for p in config.data) or "the bundled sentences"
        message.panel.border_title = f"{what} ({config.preset}) on {source}"
        isolate = self.ISOLATE_V1 if model == "v1" else False
        message.panel.start(TrainingJob("seqtui_models.emojify:train", config, isolate=isolate))

    @on(TrainingFinished)
    def _trained(self, message: TrainingFinished) -> None:
        result = message.result
        payload = result.payload if isinstance(result.payload, dict) else {}
        test = result.metrics.get("test_accuracy")
        extra = f" Test accuracy {test:.1%}." if isinstance(test, float) else ""
        kind = "v1" if payload.get("kind") == "v1" else "v2"
        current = getattr(getattr(self, kind), "metrics", None)
        if result.stopped_worse_than(current, "test_accuracy"):  # a run stopped early: keep the better model
            self.notify(f"Still predicting with the current {kind.upper()} ({getattr(self, kind).metrics['test_accuracy']:.1%}); the "
                        f"stopped one ({test:.1%}) is saved in {result.model_path}.", title="Training stopped")
            return
        if kind == "v1" and result.model_path:
            self._load_trained_v1(result.model_path)
        elif payload.get("model") is not None:
            self._set_v2(payload["model"])
        self.notify(f"Now predicting with the new model.{extra}", title="Training " + result.status)

    @work(thread=True, exclusive=True, exit_on_error=False, group="emojify-load-trained")
    def _load_trained_v1(self, path: str) -> Any:
        from seqtui_models import emojify

        return emojify.load_model(path, self.wv)

    # -- workers ---------------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Show results; send failures to the app's one handler."""
        worker = event.worker
        group = worker.group or ""
        if not group.startswith("emojify-"):
            return
        if event.state == WorkerState.SUCCESS:
            if group == "emojify-load-v1":
                self.wv, model = cast(tuple[Any, Any], worker.result)
                self._set_v1(model)
                self._ready.set()
                self._start_tensorflow()
            elif group == "emojify-load-v2":
                self._set_v2(worker.result)
            elif group == "emojify-load-trained":
                self._set_v1(worker.result)
            elif group == "emojify-v2":
                self._show_v2(*cast(tuple[Any, Any], worker.result))
            elif group == "emojify-eval":
                self._show_evaluation(cast(dict[str, Any], worker.result))
            elif group == "emojify-retrain":
                result, model = cast(tuple[Any, Any], worker.result)
                self._retrained(result, model)
        elif event.state == WorkerState.ERROR and worker.error is not None:
            if group == "emojify-load-v2":
                self._v2_failed = True
                self.query_one("#emojify-v2-info", Static).update("V2: could not be loaded")
                for out in self.query("#emojify-v2-out").results(Static):
                    out.update(Text(f"V2 could not be loaded: {worker.error}", style="red"))
            elif group == "emojify-eval":
                self.query_one("#emojify-eval-status", Static).update("Evaluation failed.")
            elif group == "emojify-retrain":
                self.query_one("#emojify-add-status", Static).update("Retraining failed.")
            self.post_message(TaskFailed(worker.error, group.removeprefix("emojify-")))
