"""Provides the dates tab's Translate view: a date field, its ISO translation and the attention heatmap."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Input, Static

from seqtui.tabs.dates.render import attention_title, render_fuzz, render_translation, shown_char
from seqtui.widgets.form import field
from seqtui.widgets.heatmap import Heatmap

if TYPE_CHECKING:
    from seqtui_models.dates import DatePair, Hunt, Translation

DEBOUNCE = 0.15
"""Seconds of quiet typing before the date is translated."""
EXAMPLE = "the 4th of July 1976"
"""The date the view opens with."""


@dataclass
class DateTyped(Message):
    """The date in the field changed (after a pause in typing), or enter asked for it now."""

    text: str


@dataclass(frozen=True)
class Fuzzed:
    """What a fuzz hunt found, and the how-many-th hunt of this session it was."""

    hunt: Hunt
    count: int
    """The how-many-th fuzz of this session (its seed)."""

    @property
    def pair(self) -> DatePair:
        """The input found and the date it means."""
        return self.hunt.pair

    @property
    def translation(self) -> Translation:
        """The model's translation of it."""
        return self.hunt.translation


class TranslateView(Vertical):
    """Type a date; see its ISO translation, coloured by confidence, and where the model looked.

    The view asks for translations (:class:`DateTyped`); the tab answers by setting
    :attr:`translation` (or :attr:`unreadable`), and :attr:`fuzzed` after ctrl+f. A translation
    of text no longer in the field is not shown: a newer one is coming.
    """

    DEFAULT_CSS = """
    TranslateView {
        height: 1fr;
        padding: 1 1 0 1;
    }
    TranslateView .dates-field {
        height: 1;
        margin-bottom: 1;
        & Input {
            width: 1fr;
        }
    }
    TranslateView #dates-result {
        height: auto;
        min-height: 1;
        padding: 0 1;
    }
    TranslateView #dates-fuzz {
        height: auto;
        padding: 0 1;
    }
    TranslateView #dates-attention-scroll {
        height: 1fr;
        margin-top: 1;
        border: round $primary 40%;
        &:focus {
            border: round $accent;
        }
    }
    TranslateView #dates-hint {
        height: 1;
        padding: 0 1;
    }
    """

    translation: reactive[Translation | None] = reactive(None, init=False, always_update=True)
    """The latest translation (the tab's answer to :class:`DateTyped`)."""
    unreadable: reactive[str] = reactive("", init=False)
    """Why the text in the field cannot be translated ("" when it can)."""
    fuzzed: reactive[Fuzzed | None] = reactive(None, init=False, always_update=True)
    """The latest fuzz: its date goes into the field, its verdict under the translation."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._debounce: Timer | None = None

    def compose(self) -> ComposeResult:
        yield field("date", Input(EXAMPLE, placeholder="type a date, e.g. 9/10/70 or the 21st of august 2016",
                                  id="dates-input", compact=True), classes="dates-field")
        yield Static("", id="dates-result")
        yield Static("", id="dates-fuzz")
        with VerticalScroll(id="dates-attention-scroll"):
            yield Heatmap(id="dates-attention", vmin=0.0, vmax=1.0, diverging=False, cell_width=2)
        yield Static(Text.assemble(("ctrl+f", "bold"), (" fuzz  ", "dim"), ("ctrl+n", "bold"),
                                   (" next view  ", "dim"), ("escape", "bold"), (" leave the field", "dim")),
                     id="dates-hint")

    @property
    def text(self) -> str:
        """The date in the field, as typed."""
        return self.query_one("#dates-input", Input).value

    # -- asking --------------------------------------------------------------------------------

    @on(Input.Changed, "#dates-input")
    def _typed(self) -> None:
        self._stop_debounce()
        self._debounce = self.set_timer(DEBOUNCE, self._ask)

    @on(Input.Submitted, "#dates-input")
    def _submitted(self) -> None:
        self._stop_debounce()
        self._ask()

    def _ask(self) -> None:
        self.post_message(DateTyped(self.text))

    def _stop_debounce(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None

    # -- showing -------------------------------------------------------------------------------

    def watch_unreadable(self, problem: str) -> None:
        if not problem:
            return
        # Typing is not an error: say what is wrong where the answer would be.
        self.query_one("#dates-result", Static).update(Text(problem, style="yellow"))
        self.query_one("#dates-attention", Heatmap).update(np.zeros((0, 0)), title="attention")

    def watch_translation(self, translation: Translation | None) -> None:
        if translation is None or translation.input != self.text:
            return  # the user typed on; a newer translation is coming
        self.query_one("#dates-result", Static).update(render_translation(translation))
        rows = [f"{ch} {p:4.0%}" for ch, p in zip(translation.iso, translation.char_probs)]
        cols = [shown_char(ch) for ch in translation.read]
        heatmap = self.query_one("#dates-attention", Heatmap)
        heatmap.update(translation.attention, row_labels=rows, col_labels=cols, title=attention_title(translation))
        self._fit_heatmap()

    def on_resize(self) -> None:
        """Fit the heatmap again (a translation that came while the view was hidden was fitted to nothing)."""
        self._fit_heatmap()

    def _fit_heatmap(self) -> None:
        heatmap = self.query_one("#dates-attention", Heatmap)
        if not heatmap.size.width:
            return  # not on screen: fitted when it is
        # Two cells per input character when they fit (6 for the row labels, 2 of padding).
        width = 2 if 8 + 2 * heatmap.values.shape[1] <= heatmap.size.width else 1
        if heatmap.cell_width != width:
            heatmap.cell_width = width
            heatmap.refresh(layout=True)

    def watch_fuzzed(self, fuzzed: Fuzzed | None) -> None:
        if fuzzed is None:
            return
        self._stop_debounce()
        box = self.query_one("#dates-input", Input)
        with box.prevent(Input.Changed):
            box.value = fuzzed.pair.human
        self.query_one("#dates-fuzz", Static).update(render_fuzz(fuzzed.hunt, fuzzed.count))
