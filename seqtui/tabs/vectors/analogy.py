"""Provides the analogy view: a : b :: c : ? by 3CosAdd, 3CosMul or the course's complete_analogy."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import DataTable, Input, Label, Select, Static

from seqtui.tabs.vectors.render import BAR, choices, labelled, ranked_rows, restriction_note, restriction_state
from seqtui.tabs.vectors.render import results_table, word_input
from seqtui.tabs.vectors.view import VectorsView, WordChosen, blame
from seqtui.widgets.form import read_number

if TYPE_CHECKING:
    from seqtui_models.vectors import AnalogyResult, WordVectors

NAMES = {"add": "3CosAdd", "mul": "3CosMul", "course": "the course's complete_analogy"}


def solve(wv: WordVectors, words: list[str], top_text: str, method: str, restricted: bool) -> AnalogyResult:
    """a : b :: c : ? for the typed words (each resolved as the backend reads words)."""
    from seqtui_models.vectors import analogy, resolve_word

    resolved = []
    for word, key in zip(words, "abc"):
        with blame(f"analogy-{key}"):
            resolved.append(resolve_word(wv, word))
    with blame("analogy-top"):
        top = read_number(top_text, "top", low=1, high=100)
    a, b, c = resolved
    return analogy(wv, a, b, c, topn=top, method=method, restricted=restricted)  # type: ignore[arg-type]


class AnalogyView(VectorsView):
    """The answers to a : b :: c : ?, with what a restricted search hid."""

    TITLE = "Analogy"
    HINT = "a is to b as c is to ? · enter solves · ctrl+t: add, mul or course"
    USES_RESTRICTED = True
    METHOD_SELECT = "#analogy-method"
    METHODS = ("add", "mul", "course")

    result: reactive[AnalogyResult | None] = reactive(None, init=False, always_update=True)
    """The last answers."""

    def compose(self) -> ComposeResult:
        with Horizontal(classes="vectors-form"):
            yield word_input("man", "analogy-a", "a")
            yield Label(" : ", classes="op")
            yield word_input("woman", "analogy-b", "b")
            yield Label(" :: ", classes="op")
            yield word_input("boy", "analogy-c", "c")
            yield Label(" : ?", classes="op")
            yield labelled("top", word_input("10", "analogy-top", type="integer"), "short")
            yield choices(self.METHODS, "analogy-method")
        yield Static(restriction_state(self.restricted), id="analogy-settings", classes="vectors-settings")
        yield Static(self.HINT, id="analogy-hint", classes="vectors-hint")
        yield results_table("analogy-table", (("#", 3), ("word", 16), ("score", 7), ("", BAR), ("", 24)))
        yield Static("", id="analogy-note", classes="vectors-note")

    def run_query(self) -> None:
        """Solve a : b :: c : ? with the method and restriction shown."""
        words = [self.query_one(f"#analogy-{k}", Input).value for k in "abc"]
        top_text = self.query_one("#analogy-top", Input).value
        method = str(self.query_one("#analogy-method", Select).value)
        restricted = self.restricted
        self.ask("analogy", lambda wv: solve(wv, words, top_text, method, restricted), self._solved)

    def _solved(self, result: Any) -> None:
        self.result = result

    def watch_result(self, result: AnalogyResult | None) -> None:
        if result is None:
            return
        table = self.query_one("#analogy-table", DataTable)
        ranked_rows(table, result.answers, frozenset((result.a, result.b, result.c)))
        table.border_title = f"{result.a} : {result.b} :: {result.c} : ?  ({NAMES.get(result.method, result.method)})"
        self.query_one("#analogy-note", Static).update(restriction_note(result.restricted, result.hidden_by_restriction))

    @on(Select.Changed, "#analogy-method")
    def _method_changed(self) -> None:
        if self.shown:
            self.run_query()

    @on(DataTable.RowSelected, "#analogy-table")
    def _word_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.post_message(WordChosen(str(event.data_table.get_row(event.row_key)[1])))
