"""Provides the neighbours view: the words nearest to a word or an expression (king - man + woman)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import DataTable, Input, Static

from seqtui.tabs.vectors.render import BAR, labelled, ranked_rows, restriction_note, restriction_state
from seqtui.tabs.vectors.render import results_table, word_input
from seqtui.tabs.vectors.view import VectorsView, blame
from seqtui.widgets.form import read_number

if TYPE_CHECKING:
    from seqtui_models.vectors import NeighbourSearch, WordVectors


@dataclass(frozen=True)
class Found:
    """A search and the text it was asked with (the table's title)."""

    query: str
    search: NeighbourSearch


def nearest(wv: WordVectors, query: str, top_text: str, restricted: bool) -> Found:
    """The backend's :func:`search_neighbours` of the typed query, errors blamed on their field."""
    from seqtui_models.vectors import search_neighbours

    with blame("nb-top"):
        top = read_number(top_text, "top", low=1, high=100)
    with blame("nb-query"):
        return Found(query, search_neighbours(wv, query, topn=top, exclude_inputs=restricted))


class NeighboursView(VectorsView):
    """The nearest words to a word or an expression; input words marked, what a restriction hid said."""

    TITLE = "Neighbours"
    HINT = "a word or an expression (king - man + woman, 0.5*paris + rome) · enter"
    USES_RESTRICTED = True

    result: reactive[Found | None] = reactive(None, init=False, always_update=True)
    """The last search."""

    def compose(self) -> ComposeResult:
        with Horizontal(classes="vectors-form"):
            yield labelled("query", word_input("king - man + woman", "nb-query", "word or expression"), "wide")
            yield labelled("top", word_input("10", "nb-top", type="integer"), "short")
        yield Static(restriction_state(self.restricted), id="nb-settings", classes="vectors-settings")
        yield Static(self.HINT, id="nb-hint", classes="vectors-hint")
        yield results_table("nb-table", (("#", 3), ("word", 16), ("cos", 7), ("", BAR), ("", 24)))
        yield Static("", id="nb-note", classes="vectors-note")

    def search(self, word: str) -> None:
        """Put ``word`` in the query field and search its neighbours."""
        self.query_one("#nb-query", Input).value = word
        self.run_query()

    def run_query(self) -> None:
        """Search the nearest words to the query typed."""
        query = " ".join(self.query_one("#nb-query", Input).value.split())
        top_text = self.query_one("#nb-top", Input).value
        restricted = self.restricted
        self.ask("neighbours", lambda wv: nearest(wv, query, top_text, restricted), self._found)

    def _found(self, result: Any) -> None:
        self.result = result

    def watch_result(self, result: Found | None) -> None:
        if result is None:
            return
        found = result.search
        table = self.query_one("#nb-table", DataTable)
        ranked_rows(table, found.neighbours, found.input_words)
        table.border_title = f"nearest to {result.query}"
        self.query_one("#nb-note", Static).update(restriction_note(found.restricted, found.hidden_by_restriction))

    @on(DataTable.RowSelected, "#nb-table")
    def _word_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a neighbour: its own neighbours (the keyboard stays in the table, for a walk)."""
        event.stop()
        self.search(str(event.data_table.get_row(event.row_key)[1]))
