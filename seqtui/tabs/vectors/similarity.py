"""Provides the similarity view: cos(u, v) of two typed words, and a table of the pairs compared."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import DataTable, Input, Label, Static

from seqtui.tabs.vectors.render import BAR, results_table, signed_bar, word_input
from seqtui.tabs.vectors.view import VectorsView, blame

if TYPE_CHECKING:
    from seqtui_models.vectors import WordVectors

Compared = tuple[str, str, float]
"""Two words (the vocabulary's spellings) and their cosine."""


def compare(wv: WordVectors, typed_a: str, typed_b: str) -> Compared:
    """cos(e_a, e_b) of two typed words, each resolved as the backend reads words."""
    from seqtui_models.vectors import resolve_word, similarity

    with blame("sim-a"):
        a = resolve_word(wv, typed_a)
    with blame("sim-b"):
        b = resolve_word(wv, typed_b)
    return a, b, similarity(wv, a, b)


class SimilarityView(VectorsView):
    """cos(u, v) of two words, with a bar, and every pair compared so far."""

    TITLE = "Similarity"
    HINT = "cos(u, v) = u·v / (‖u‖ ‖v‖): 1 same direction, 0 unrelated · enter compares"

    result: reactive[Compared | None] = reactive(None, init=False)
    """The last pair compared."""

    def compose(self) -> ComposeResult:
        with Horizontal(classes="vectors-form"):
            yield Label("cos(", classes="op")
            yield word_input("father", "sim-a", "word")
            yield Label(" , ", classes="op")
            yield word_input("mother", "sim-b", "word")
            yield Label(")", classes="op")
        yield Static(self.HINT, id="sim-hint", classes="vectors-hint")
        yield Static("", id="sim-result", classes="vectors-result")
        yield results_table("sim-table", (("word 1", 14), ("word 2", 14), ("cos", 7), ("", 2 * BAR + 1)))

    def run_query(self) -> None:
        """Compare the two words typed."""
        a, b = (self.query_one(f"#sim-{k}", Input).value for k in "ab")
        self.ask("similarity", lambda wv: compare(wv, a, b), self._compared)

    def _compared(self, result: Any) -> None:
        self.result = result

    def watch_result(self, result: Compared | None) -> None:
        if result is None:
            return
        a, b, cos = result
        label = Text.assemble(("cos(", "dim"), (a, "bold"), (", ", "dim"), (b, "bold"), (") = ", "dim"),
                              (f"{cos:.4f}", "bold"))
        label.pad_right(max(1, 40 - label.cell_len))
        self.query_one("#sim-result", Static).update(Text.assemble(label, signed_bar(cos, 16)))
        table = self.query_one("#sim-table", DataTable)
        row = (a, b, f"{cos:+.4f}")
        if table.row_count and tuple(str(x) for x in table.get_row_at(table.row_count - 1)[:3]) == row:
            return  # the same question again (e.g. after reloading the vectors)
        table.add_row(*row, signed_bar(cos))
        table.move_cursor(row=table.row_count - 1)
