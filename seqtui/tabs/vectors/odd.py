"""Provides the odd-one-out view: which of the words typed is furthest from their mean."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import DataTable, Input, Static

from seqtui.tabs.vectors.render import BAR, bar, labelled, results_table, word_input
from seqtui.tabs.vectors.view import VectorsView, WordChosen, blame

if TYPE_CHECKING:
    from seqtui_models.vectors import Neighbour, WordVectors


def rank(wv: WordVectors, text: str) -> tuple[list[Neighbour], list[str]]:
    """The typed words (three or more) by cosine to their mean, the odd one out last; and the
    unknown words left out (as gensim's doesnt_match leaves them out)."""
    from seqtui_models.vectors import odd_one_out_words, rank_by_centrality

    left_out: list[str] = []
    with blame("odd-words"):
        return rank_by_centrality(wv, odd_one_out_words(wv, text, left_out)), left_out


class OddView(VectorsView):
    """gensim's ``doesnt_match``: each word's cosine to the mean of their unit vectors."""

    TITLE = "Odd one out"
    HINT = "three words or more: which is furthest from their mean? · enter"

    ranking: reactive[list[Neighbour] | None] = reactive(None, init=False, always_update=True)
    """The words, most central first."""

    def compose(self) -> ComposeResult:
        with Horizontal(classes="vectors-form"):
            yield labelled("words", word_input("breakfast cereal dinner lunch", "odd-words", "three words or more"),
                           "wide")
        yield Static(self.HINT, id="odd-hint", classes="vectors-hint")
        yield Static("", id="odd-result", classes="vectors-result")
        yield results_table("odd-table", (("word", 16), ("cos to mean", 11), ("", BAR), ("", 14)))

    def run_query(self) -> None:
        """Rank the words typed."""
        text = self.query_one("#odd-words", Input).value
        self.ask("odd", lambda wv: rank(wv, text), self._ranked)

    def _ranked(self, answer: Any) -> None:
        ranking, left_out = answer
        self.ranking = ranking
        if left_out:
            self.notify(f"Not in the vocabulary, left out: {', '.join(left_out)}", severity="warning")

    def watch_ranking(self, ranking: list[Neighbour] | None) -> None:
        if not ranking:
            return
        table = self.query_one("#odd-table", DataTable)
        table.clear()
        for i, n in enumerate(ranking):
            odd = i == len(ranking) - 1
            table.add_row(Text(n.word, style="bold red" if odd else ""), f"{n.score:.4f}", bar(n.score),
                          Text("odd one out", style="bold red") if odd else "")
        self.query_one("#odd-result", Static).update(
            Text.assemble((ranking[-1].word, "bold"), (" doesn't match the others", ""),
                          ("  (cosine of each unit vector to their mean)", "dim"))
        )

    @on(DataTable.RowSelected, "#odd-table")
    def _word_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.post_message(WordChosen(str(event.data_table.get_row(event.row_key)[0])))
