"""Provides the projection view: words on a plane (PCA, or a bias axis), as the Embedding Projector draws them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Input, Static

from seqtui.tabs.vectors.render import labelled, word_input
from seqtui.text import plural
from seqtui.tabs.vectors.view import VectorsView, blame
from seqtui.widgets.form import read_number
from seqtui.widgets.scatter_plot import ScatterPlot

if TYPE_CHECKING:
    from seqtui_models.vectors import WordMap, WordVectors

NEAREST = 5
"""How many of the selected word's nearest mapped words are highlighted."""


def word_map(wv: WordVectors, words_text: str, size_text: str, axis_text: str) -> WordMap:
    """The backend's :func:`map_query` of the typed words, size and axis, errors blamed on their field."""
    from seqtui_models.vectors import MAP_DEFAULT_SIZE, MAP_MAX_WORDS, MAP_MIN_WORDS, map_axis, map_query

    with blame("map-size"):
        size = read_number(size_text, "size", low=MAP_MIN_WORDS, high=MAP_MAX_WORDS, blank=MAP_DEFAULT_SIZE)
    with blame("map-axis"):
        axis = map_axis(wv, axis_text)
    with blame("map-words"):
        return map_query(wv, words_text, size, axis)


def selection_text(found: WordMap, i: int, nearest: list[int], hidden: int) -> Text:
    """The side panel: the selected word, where it is, and its nearest words on the map."""
    x, y = found.xy[i]
    text = Text.assemble((found.words[i], "bold"), "\n", (f"x {x:+.3f}  y {y:+.3f}", "dim"), "\n\n")
    text.append("nearest, all dimensions\n", style="dim")
    for j in nearest:
        text.append(f"{found.words[j][:16]:<16} {found.similarity[i, j]:.3f}\n", style="bold yellow")
    if hidden:
        text.append(f"\n{plural(hidden, 'label')} hidden\n", style="dim")
    text.append("\narrows move · enter maps\nits neighbourhood", style="dim")
    return text


class ProjectionView(VectorsView):
    """A word's neighbourhood, or a list of words, on the plane of their first two principal
    components (or a bias axis and the first component orthogonal to it)."""

    DEFAULT_CSS = """
    ProjectionView #map-body {
        height: 1fr;
    }
    ProjectionView #map-side {
        width: 26;
        height: 1fr;
        padding-left: 1;
    }
    ProjectionView .vectors-form .vectors-field.axis Input {
        width: 14;
    }
    """

    TITLE = "Projection"
    HINT = "a word (its neighbourhood) or several · x: pca, or a pair (woman man) · enter"

    found: reactive[WordMap | None] = reactive(None, init=False, always_update=True)
    """The words on the plane, as the plot shows them."""

    def compose(self) -> ComposeResult:
        with Horizontal(classes="vectors-form"):
            yield labelled("words", word_input("king", "map-words", "a word, or several"), "wide")
            yield labelled("size", word_input("30", "map-size", type="integer"), "short")
            yield labelled("x", word_input("pca", "map-axis", "pca or a pair"), "axis")
        yield Static(self.HINT, id="map-hint", classes="vectors-hint")
        with Horizontal(id="map-body"):
            yield ScatterPlot(id="map-plot")
            yield Static("", id="map-side")

    def run_query(self) -> None:
        """Map the words typed on the axis typed."""
        words = self.query_one("#map-words", Input).value
        size = self.query_one("#map-size", Input).value
        axis = self.query_one("#map-axis", Input).value
        self.ask("map", lambda wv: word_map(wv, words, size, axis), self._mapped)

    def _mapped(self, result: Any) -> None:
        self.found = result

    def watch_found(self, found: WordMap | None) -> None:
        if found is None:
            return
        plot = self.query_one(ScatterPlot)
        (x_name, y_name), (x_share, y_share) = found.axes, found.explained
        plot.border_title = (f"neighbourhood of {found.centre} · {len(found.words)} words" if found.centre
                             else f"{len(found.words)} words")
        plot.border_subtitle = f"x {x_name} {x_share:.0%} · y {y_name} {y_share:.0%} of the variance"
        plot.plot([(float(x), float(y)) for x, y in found.xy], found.words)
        if found.left_out:
            self.notify(f"Not in the vocabulary, left out: {', '.join(found.left_out)}", severity="warning")

    @on(ScatterPlot.Selected, "#map-plot")
    def _selected(self, event: ScatterPlot.Selected) -> None:
        """A point is selected: highlight its nearest words on the map and describe it."""
        event.stop()
        found = self.found
        if found is None or event.index >= len(found.words):
            return
        nearest = found.nearest(event.index, NEAREST)
        event.plot.highlighted = frozenset(nearest)
        self.call_after_refresh(self._describe, found, event.index, nearest)

    def _describe(self, found: WordMap, i: int, nearest: list[int]) -> None:
        """The side panel, once the plot is drawn (how many labels found no room is known then)."""
        if found is self.found:
            hidden = self.query_one(ScatterPlot).current_layout().hidden
            self.query_one("#map-side", Static).update(selection_text(found, i, nearest, hidden))

    @on(ScatterPlot.Chosen, "#map-plot")
    def _chosen(self, event: ScatterPlot.Chosen) -> None:
        """Enter on a point: map that word's neighbourhood (the keyboard stays on the plot)."""
        event.stop()
        if self.found is not None:
            self.query_one("#map-words", Input).value = self.found.words[event.index]
            self.run_query()
