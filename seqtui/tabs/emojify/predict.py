"""Provides PredictView: type a sentence; both models answer side by side, each explaining itself."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static

from seqtui.tabs.emojify.render import disagreement, render_prediction
from seqtui.widgets.form import field
from seqtui.widgets.loading import DeferredImport, importing

DEBOUNCE = 0.15
"""Seconds of quiet typing before the models run."""
EMPTY = Text("Type a sentence above: both models answer as you type.", style="dim")


class SentenceTyped(Message):
    """The sentence changed (after a pause in typing) or was submitted."""

    def __init__(self, sentence: str) -> None:
        super().__init__()
        self.sentence = sentence


SCROLLBAR = 2
"""Cells a box's vertical scrollbar takes (Textual's default)."""


class PredictView(Vertical):
    """The Predict view: the sentence field, V1's and V2's answers, and a note when they disagree.

    V2's box holds a :class:`DeferredImport` of TensorFlow once :meth:`start_tensorflow` is called.
    """

    DEFAULT_CSS = """
    PredictView {
        height: 1fr;
    }
    PredictView #emojify-outputs {
        height: 1fr;
    }
    PredictView .emo-box {
        width: 1fr;
        height: 1fr;
        border: round $primary 40%;
        padding: 0 1;
    }
    PredictView #emojify-v2-box DeferredImport {
        height: auto;  /* the box scrolls: a long sentence's words all stay reachable */
        min-height: 6;
    }
    PredictView #emojify-v2-box DeferredImport > .loading {
        height: 6;
    }
    PredictView #emojify-note {
        height: auto;
        max-height: 3;
        padding: 0 1;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._debounce: Timer | None = None

    def compose(self) -> ComposeResult:
        yield field("sentence", Input(placeholder="type a sentence, e.g. i am not happy with this",
                                      id="emojify-sentence", compact=True), classes="field emo-wide")
        with Horizontal(id="emojify-outputs"):
            with VerticalScroll(id="emojify-v1-box", classes="emo-box"):
                yield Static("Loading the word vectors…", id="emojify-v1-out")
            with VerticalScroll(id="emojify-v2-box", classes="emo-box"):
                yield Static("V2 starts loading TensorFlow once V1 is ready.", id="emojify-v2-wait")
        yield Static("", id="emojify-note")

    @property
    def sentence(self) -> str:
        """The sentence typed."""
        return self.query_one("#emojify-sentence", Input).value

    @on(Input.Changed, "#emojify-sentence")
    def _typed(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE, lambda: self.post_message(SentenceTyped(self.sentence)))

    @on(Input.Submitted, "#emojify-sentence")
    def _submitted(self) -> None:
        self.post_message(SentenceTyped(self.sentence))

    def start_tensorflow(self) -> None:
        """Put TensorFlow's loading indicator in V2's box (it imports in a thread)."""
        if self.query("#emojify-v2-deferred"):
            return
        for wait in self.query("#emojify-v2-wait"):
            wait.remove()
        self.query_one("#emojify-v2-box", VerticalScroll).mount(DeferredImport(
            importing("seqtui_models.emojify.v2", "keras"),
            lambda: Static("Loading the V2 model…", id="emojify-v2-out"), "TensorFlow", id="emojify-v2-deferred",
        ))

    def _width(self, selector: str) -> int:
        width = self.query_one(selector).content_size.width - SCROLLBAR  # the box may need its scrollbar
        return width if width > 0 else 45

    def show(self, kind: str, prediction: Any, labels: Any) -> None:
        """Show one model's prediction in its box."""
        title = "V1 · average" if kind == "v1" else "V2 · LSTM"
        box = "#emojify-v1-box" if kind == "v1" else "#emojify-v2-box"
        for out in self.query(f"#emojify-{kind}-out").results(Static):
            out.update(render_prediction(prediction, labels, title, self._width(box)))

    def show_message(self, kind: str, text: Text) -> None:
        """Show a line instead of a prediction (nothing typed, a model that failed to load)."""
        for out in self.query(f"#emojify-{kind}-out").results(Static):
            out.update(text)

    def show_note(self, last: dict[str, Any]) -> None:
        """Say whether the two models agree on the sentence both answered."""
        v1, v2 = last.get("v1"), last.get("v2")
        note = self.query_one("#emojify-note", Static)
        note.update("" if v1 is None or v2 is None or v1.sentence != v2.sentence else disagreement(v1, v2))
