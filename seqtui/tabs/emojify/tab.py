"""Provides EmojifyTab: a sentence's emoji from two models side by side, explained word by word."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.worker import get_current_worker
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, Select, Static, TabbedContent, TabPane

from seqtui.messages import TrainingFinished
from seqtui.tabs.base import TaskTab, View, handles
from seqtui.tabs.emojify.add import AddRequested, AddView, RemoveRequested
from seqtui.tabs.emojify.evaluate import EvaluateView
from seqtui.tabs.emojify.predict import EMPTY, PredictView, SentenceTyped
from seqtui.tabs.emojify.render import USER_MODEL, describe_model
from seqtui.text import cells_safe, shorten
from seqtui.widgets.form import field
from seqtui.widgets.loading import DeferredImport
from seqtui.widgets.training_panel import TrainingPanel
from seqtui_models.core.errors import InvalidInput, SeqtuiError
from seqtui_models.core.training import SEED_MAX, RunResult

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
sentence is *more* that emoji without it). The shipped V2 averages three such networks, then
blends their answer with a bag-of-words softmax trained beside them ("+ bag" in the sidebar):
on sentences by people who never saw ours that is right more often (81% against 78%) and
far less often sure of a wrong answer. `seqtui emojify calibrate` fits the blend on your own
labelled sentences.

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
| ctrl+n (or v outside a field) | next view: Predict, Evaluate, Add, Train |
| ctrl+g | run the view: predict now / evaluate / add the sentence and retrain V1 / train |
| escape | leave the field (then the number keys and t / p / s work) |
| t / p / s / l | train / pause–resume / stop / loss chart log–linear |

A trained model (finished or stopped) replaces the one in use when it scores at least as well on
the same test sentences; otherwise the tab asks.
"""



EVAL_PROGRESS_FROM = 5000
"""Files longer than this many sentences show their progress while they are scored."""


class EmojifyTab(TaskTab):
    """The emojify tab: predict as you type, evaluate, add sentences, train.

    The tab holds the word vectors and both models and does the work; each view is a widget
    (:class:`PredictView`, :class:`EvaluateView`, :class:`AddView`, the :class:`TrainingPanel`).
    """

    TASK = "emojify"
    HELP = HELP
    VIEWS = (
        View("emo-view-predict", "Predict", "#emojify-sentence", rest="#emojify-v1-box", run="predict"),
        View("emo-view-eval", "Evaluate", "#emojify-eval-csv", rest="#emojify-mistakes", run="evaluate"),
        View("emo-view-add", "Add", "#emojify-add-sentence", rest="#emojify-add-table", run="add"),
        View("emo-view-train", "Train", "#emojify-train", run="train"),
    )
    #: V1 trains in a spawned process (a numpy loop holds the GIL); V2's Keras runs in a thread.
    ISOLATE_V1 = True
    #: Load TensorFlow and V2 once V1 is ready (tests that look only at V1 turn it off).
    LOAD_V2 = True

    DEFAULT_CSS = """
    EmojifyTab #emojify-views TabPane {
        padding: 1 1 0 1;
    }
    EmojifyTab #emojify-v1-info, EmojifyTab #emojify-v2-info {
        color: $text-muted;
        height: auto;
        margin-bottom: 1;
    }
    EmojifyTab .field.emo-wide {
        margin-bottom: 1;
    }
    EmojifyTab .field.emo-wide .field-label {
        width: 9;
    }
    EmojifyTab .field.emo-wide Select {
        width: 30;
    }
    """

    COMMANDS_PALETTE = (
        ("Emojify: evaluate both models", "Accuracy, confusion matrix and mistakes on the test sentences", "evaluate"),
        ("Emojify: train", "Train the model chosen in the sidebar", "train"),
    )

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.wv: Any = None
        self.v1: Any = None
        self.v2: Any = None
        self.last: dict[str, Any] = {}
        self.evaluation: dict[str, Any] = {}
        self._v2_failed = False
        self._v2_loading = False
        self._tf_loaded = False
        self._added: tuple[str, int, Any] | None = None  # the sentence just added, its label, V1's answer before

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
            with TabbedContent(id="emojify-views", classes="views"):
                with TabPane("Predict", id="emo-view-predict"):
                    yield PredictView()
                with TabPane("Evaluate", id="emo-view-eval"):
                    yield EvaluateView()
                with TabPane("Add", id="emo-view-add"):
                    yield AddView()
                with TabPane("Train", id="emo-view-train"):
                    yield TrainingPanel(id="emojify-train")

    def on_mount(self) -> None:
        """Load the word vectors and V1 at once (V2 after TensorFlow); list the sentences added."""
        self._show_user_rows()
        self._load_v1()

    async def wait_ready(self, v2: bool = False) -> None:
        """Wait until V1 is loaded (and V2 too if ``v2``)."""
        await super().wait_ready()
        while v2 and self.v2 is None and not self._v2_failed:
            await asyncio.sleep(0.05)

    def _predict_view(self) -> PredictView:
        return self.query_one(PredictView)

    # -- loading the models ------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="emojify-load-v1")
    def _load_v1(self) -> tuple[Any, Any, str]:
        from seqtui_models import emojify

        wv = emojify.word_vectors(None)
        mine = emojify.user_models_dir() / USER_MODEL
        if mine.is_file():
            try:
                return wv, emojify.load_model(mine, wv), ""
            except SeqtuiError as exc:  # a broken or stale file of ours: say so, use the bundled model
                return wv, emojify.load_model("v1", wv), f"Your retrained V1 ({mine}) could not be read: {exc.message}"
        return wv, emojify.load_model("v1", wv), ""

    @handles("emojify-load-v1")
    def _v1_loaded(self, loaded: tuple[Any, Any, str]) -> None:
        self.wv, model, problem = loaded
        if problem:
            self.notify(problem + " Using the bundled V1.", severity="warning", title="Emojify")
        self._set_v1(model)
        self.ready()
        if self.LOAD_V2:
            self._predict_view().start_tensorflow()

    @on(DeferredImport.Loaded)
    def _tensorflow_loaded(self) -> None:
        self._tf_loaded = True
        if self.wv is not None and self.v2 is None and not self._v2_loading:
            self._v2_loading = True
            self._load_v2()

    @work(thread=True, exclusive=True, exit_on_error=False, group="emojify-load-v2")
    def _load_v2(self) -> Any:
        from seqtui_models import emojify

        return emojify.load_model("v2", self.wv)

    @handles("emojify-load-v2")
    def _set_v2(self, model: Any) -> None:
        self.v2 = model
        self.query_one("#emojify-v2-info", Static).update(describe_model(model))
        self.action_predict()

    @handles("emojify-load-v2", "error")
    def _v2_not_loaded(self, error: BaseException) -> None:
        self._v2_failed = True
        self.query_one("#emojify-v2-info", Static).update("V2: could not be loaded")
        self._predict_view().show_message("v2", Text(f"V2 could not be loaded: {error}", style="red"))

    @handles("emojify-load-trained")
    def _set_v1(self, model: Any) -> None:
        self.v1 = model
        self.query_one("#emojify-v1-info", Static).update(describe_model(model))
        self.query_one(AddView).fill_labels(model.labels)
        self.action_predict()

    # -- predicting as you type --------------------------------------------------------------

    @on(SentenceTyped)
    def _typed(self) -> None:
        self.action_predict()

    def action_predict(self) -> None:
        """Run V1 here (a millisecond) and V2 in a thread, on the sentence typed."""
        from seqtui_models.emojify import tokenize

        view = self._predict_view()
        sentence = view.sentence
        if not tokenize(sentence):
            self.last.clear()
            if self.v1 is not None:
                view.show_message("v1", EMPTY)
            if self.v2 is not None:
                view.show_message("v2", EMPTY)
            view.show_note(self.last)
            return
        if self.v1 is not None:
            self.last["v1"] = self.v1.explain(sentence)
            view.show("v1", self.last["v1"], self.v1.labels)
        if self.v2 is not None:
            self._predict_v2(sentence)
        self._show_note()

    def _show_note(self) -> None:
        self._predict_view().show_note(self.last)

    @work(thread=True, exclusive=True, exit_on_error=False, group="emojify-v2")
    def _predict_v2(self, sentence: str) -> tuple[Any, Any]:
        model = self.v2
        return model, model.explain(sentence)

    @handles("emojify-v2")
    def _show_v2(self, answer: tuple[Any, Any]) -> None:
        model, prediction = answer
        if prediction.sentence != self._predict_view().sentence:
            return  # the user has typed on; a newer prediction is coming
        self.last["v2"] = prediction
        self._predict_view().show("v2", prediction, model.labels)
        self._show_note()

    # -- evaluation --------------------------------------------------------------------------

    def action_evaluate(self) -> None:
        """Evaluate both models on the bundled test sentences or the CSV in the field."""
        if self.v1 is None:
            return
        if self.views.active != "emo-view-eval":
            self.show_view("emo-view-eval")
        view = self.query_one(EvaluateView)
        view.status = "Evaluating…"
        self._evaluate(view.source)

    @work(thread=True, exclusive=True, exit_on_error=False, group="emojify-eval")
    def _evaluate(self, source: str | None) -> dict[str, Any]:
        from seqtui_models import emojify
        from seqtui_models.core.paths import data_file
        from seqtui_models.emojify import TEST_FILE

        path = source or str(data_file(TEST_FILE))
        results: dict[str, Any] = {"source": path}
        worker = get_current_worker()
        view = self.query_one(EvaluateView)
        for kind, model in (("v1", self.v1), ("v2", self.v2)):
            if model is None:
                continue

            def progressed(done: int, total: int, kind: str = kind) -> None:
                if total > EVAL_PROGRESS_FROM and not worker.is_cancelled:
                    self.app.call_from_thread(setattr, view, "status",
                                              f"Evaluating {kind.upper()}… {done:,}/{total:,} sentences · escape cancels")

            try:
                results[kind] = emojify.evaluate(model, path, skip_bad_rows=True, on_progress=progressed,
                                                 should_stop=lambda: worker.is_cancelled)
            except SeqtuiError as exc:
                if kind == "v1":
                    raise
                results["v2_error"] = exc.message
        return results

    @handles("emojify-eval")
    def _evaluated(self, results: dict[str, Any]) -> None:
        self.evaluation = results
        self.query_one(EvaluateView).results = results

    @handles("emojify-eval", "cancelled")
    def _evaluation_cancelled(self) -> None:
        self.evaluation = {}
        view = self.query_one(EvaluateView)
        view.status = "Evaluation cancelled: ctrl+g runs it again."
        view.results = {}

    def cancel_work(self) -> bool:
        """Escape during an evaluation: cancel it (a long file is scored in chunks, so it stops soon)."""
        for worker in self.workers:
            if worker.group == "emojify-eval" and worker.is_running:
                worker.cancel()
                return True
        return False

    @handles("emojify-eval", "error")
    def _evaluation_failed(self, error: BaseException) -> None:
        self.evaluation = {}
        view = self.query_one(EvaluateView)
        view.status = "Evaluation failed (see the message)."
        view.results = {}

    # -- add a sentence and retrain V1 ---------------------------------------------------------

    @on(AddRequested)
    def action_add(self) -> None:
        """Append the sentence with its emoji to the user CSV and retrain V1 on everything."""
        from seqtui_models import emojify

        view = self.query_one(AddView)
        sentence, label = view.sentence, view.label
        try:
            if not emojify.tokenize(sentence):
                raise InvalidInput("Type a sentence to add first.")
            if label is None:
                raise InvalidInput("Choose the sentence's emoji first.")
            if self.v1 is None:
                raise InvalidInput("V1 is still loading — try again in a moment.")
            if self.v1.labels != emojify.COURSE_LABELS:
                raise InvalidInput(
                    "Adding a sentence retrains V1 on the five course emoji, but V1 now has classes of your own — "
                    "add the sentence to your CSV and train on it in the Train view."
                )
            note = self._check_new_sentence(sentence, label)
            before = emojify.predict(self.v1, sentence)
            emojify.append_row(emojify.user_csv_path(), sentence, label, self.v1.labels.emoji[label])
        except SeqtuiError as exc:
            self.fail(exc, "adding a sentence")
            return
        self._added = (sentence, label, before)
        view.added()
        self._show_user_rows()
        view.say(f"Added.{note} Retraining V1 on the bundled sentences + yours…")
        self._retrain_v1()

    def _check_new_sentence(self, sentence: str, label: int) -> str:
        """Refuse a sentence already added (with any emoji) or already in the bundled file with the same
        emoji; return a note when the bundled file has it with another emoji.

        Raises:
            InvalidInput: a duplicate, or a contradiction of a sentence the user added.
        """
        from seqtui_models import emojify

        labels = emojify.COURSE_LABELS
        path = emojify.user_csv_path()
        mine = [emojify.read_csv(path, labels=labels, skip_bad_rows=True)] if path.is_file() else []
        found = emojify.find_sentence(mine, sentence)
        if found is not None:
            data, row = found
            had = labels.emoji[int(data.labels[row])]
            if int(data.labels[row]) == label:
                raise InvalidInput(f"You added this sentence already (as {had}).")
            raise InvalidInput(f"You added this sentence before as {had}: remove that one first "
                               "(select it in the list below and press delete).")
        found = emojify.find_sentence([emojify.load_train()], sentence)
        if found is None:
            return ""
        data, row = found
        theirs = int(data.labels[row])
        if theirs == label:
            raise InvalidInput(f"The bundled training sentences have this one already as {labels.emoji[theirs]}: "
                               "adding it again would change nothing.")
        return f" (The bundled sentences have it as {labels.emoji[theirs]}: V1 now learns both.)"

    @on(RemoveRequested)
    def _remove(self, message: RemoveRequested) -> None:
        """Delete on a sentence of the list: remove it from your CSV and retrain V1 without it."""
        from seqtui_models import emojify

        try:
            removed = emojify.remove_row(emojify.user_csv_path(), message.sentence)
        except SeqtuiError as exc:
            self.fail(exc, "removing a sentence")
            return
        self._added = None
        self._show_user_rows()
        view = self.query_one(AddView)
        if not removed:
            view.say("That sentence was not in your file any more.")
            return
        view.say(f"Removed “{shorten(message.sentence, 60)}”. Retraining V1 without it…")
        self._retrain_v1()

    def _show_user_rows(self) -> None:
        from seqtui_models import emojify

        path = emojify.user_csv_path()
        rows: list[tuple[str, str]] = []
        if path.is_file():
            try:
                data = emojify.read_csv(path, skip_bad_rows=True)
                rows = [(s, data.labels_set.emoji[int(label)]) for s, label in zip(data.sentences, data.labels)]
            except SeqtuiError as exc:
                self.notify(f"Your sentences in {path} could not be read: {exc.message}", severity="warning")
        self.query_one(AddView).show_rows(rows, str(path))

    @work(thread=True, exclusive=True, exit_on_error=False, group="emojify-retrain")
    def _retrain_v1(self) -> tuple[Any, Any]:
        """V1 trained on the bundled sentences and yours: ``(run result, model)``; ``(None, bundled V1)``
        when you have none left."""
        from seqtui_models import emojify
        from seqtui_models.core.paths import data_file
        from seqtui_models.core.training import TrainingJob, run_job
        from seqtui_models.emojify import TRAIN_FILE

        labels = self.v1.labels.to_spec() if self.v1 is not None else None
        mine = emojify.user_csv_path()
        try:
            has_rows = mine.is_file() and len(emojify.read_csv(mine, skip_bad_rows=True)) > 0
        except SeqtuiError:
            has_rows = False  # only a header left (the last sentence removed)
        if not has_rows:
            return None, emojify.load_model("v1", self.wv)  # none of yours left: the bundled V1 again
        config = emojify.preset_config(
            "v1", "fast", data=(str(data_file(TRAIN_FILE)), str(mine)), labels=labels,
            skip_bad_rows=True, out=str(emojify.user_models_dir() / USER_MODEL),
        )
        result = run_job(TrainingJob("seqtui_models.emojify:train", config, isolate=self.ISOLATE_V1))
        return result, emojify.load_model(result.model_path or "", self.wv)

    @handles("emojify-retrain")
    def _retrained(self, retrained: tuple[Any, Any]) -> None:
        result, model = retrained
        from seqtui_models import emojify

        self._set_v1(model)
        if result is None:
            self.query_one(AddView).say("None of your sentences are left: V1 is the bundled model again.")
            return
        test = result.metrics.get("test_accuracy")
        tail = f", test {test:.1%}" if isinstance(test, float) else ""
        said = (f"V1 retrained on {result.metrics.get('sentences', 0):,} sentences in {result.seconds:.1f} s "
                f"(train {result.metrics.get('train_accuracy', 0):.1%}{tail}) and is the V1 in use.")
        if self._added is not None:
            sentence, label, before = self._added
            after = emojify.predict(model, sentence)
            was = f"was {before.emoji} {before.confidence:.0%}"
            wanted = model.labels.emoji[label]
            if after.label == label:
                said += f" For your sentence it now says {after.emoji} {after.confidence:.0%} ({was})."
            else:
                said += (f" For your sentence it still says {after.emoji} {after.confidence:.0%}, not {wanted} "
                         f"({was}; {wanted} {after.probabilities[label]:.0%}): one sentence among "
                         f"{result.metrics.get('sentences', 0):,} moves an average of word vectors only a little.")
        self.query_one(AddView).say(said)

    @handles("emojify-retrain", "error")
    def _retrain_failed(self, error: BaseException) -> None:
        self.query_one(AddView).say("Retraining failed (see the message); your sentence is kept.")

    # -- training --------------------------------------------------------------------------

    @on(Select.Changed, "#emojify-model")
    @on(Select.Changed, "#emojify-preset")
    def _model_changed(self) -> None:
        from seqtui_models.emojify import PRESETS

        model = self.choice("#emojify-model")
        preset_select = self.query_one("#emojify-preset", Select)
        preset_select.disabled = model == "v2"
        preset = str(preset_select.value) if model == "v1" else "fast"
        self.query_one("#emojify-epochs", Input).value = str(PRESETS[(model, preset)]["epochs"])

    @on(TrainingPanel.StartRequested)
    def _start_training(self, message: TrainingPanel.StartRequested) -> None:
        from seqtui_models import emojify
        from seqtui_models.core.paths import data_file
        from seqtui_models.core.training import TrainingJob
        from seqtui_models.emojify import TRAIN_FILE

        try:
            model = self.choice("#emojify-model")
            preset = self.choice("#emojify-preset") if model == "v1" else "fast"
            data_text = self.text("#emojify-data")
            if data_text:
                data: tuple[str, ...] = tuple(part.strip() for part in data_text.split(";") if part.strip())
            else:
                mine = emojify.user_csv_path()
                data = (str(data_file(TRAIN_FILE)), str(mine)) if mine.is_file() else ()
            labels = self.text("#emojify-labels") or None
            if model == "v2" and self.v2 is None and not self._v2_failed:
                raise InvalidInput("TensorFlow is still loading — train V2 in a moment.")
            config = emojify.preset_config(
                model, preset, data=data, labels=labels, skip_bad_rows=True,
                epochs=self.number("#emojify-epochs", "epochs", low=1),
                seed=self.number("#emojify-seed", "seed", low=0, high=SEED_MAX),
            )
            if config.data:
                loaded = emojify.load_training_data(config.data, config.labels, True)  # a bad file is reported now
                if data_text and loaded.course_assumed:
                    self.notify(f"{loaded.source}: no emoji named, so labels 0–4 are read as the course's "
                                f"{cells_safe(' '.join(loaded.labels_set.emoji))}. Name them in the labels field "
                                "(e.g. '🐶 dog, 🐱 cat, …') if they are other classes.", title="Classes", timeout=10)
        except SeqtuiError as exc:
            self.fail(exc, "training")
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
        kind = "v1" if payload.get("kind") == "v1" else "v2"
        current = getattr(self, kind)
        new_labels = payload.get("labels") or getattr(payload.get("model"), "labels", None)
        comparable = current is not None and (new_labels is None or new_labels == current.labels)
        figure = current.metrics.get("test_accuracy") if comparable else None
        self.offer_model(
            result, adopt=lambda: self._adopt(kind, result, payload), metric="test_accuracy",
            current=figure if isinstance(figure, float) else None, higher_is_better=True,
            label="test accuracy", show=lambda v: f"{v:.1%}", what=f"{kind.upper()} model",
        )

    def _adopt(self, kind: str, result: RunResult, payload: dict[str, Any]) -> None:
        if kind == "v1" and result.model_path:
            self._load_trained_v1(result.model_path)
        elif payload.get("model") is not None:
            self._set_v2(payload["model"])
        test = result.metrics.get("test_accuracy")
        extra = f" Test accuracy {test:.1%}." if isinstance(test, float) else ""
        self.notify(f"Now predicting with the new {kind.upper()} model.{extra}", title="Training " + result.status)

    @work(thread=True, exclusive=True, exit_on_error=False, group="emojify-load-trained")
    def _load_trained_v1(self, path: str) -> Any:
        from seqtui_models import emojify

        return emojify.load_model(path, self.wv)

    async def show_training_view(self) -> None:
        """Bring the Train view to the front."""
        self.show_view("emo-view-train")
