"""Provides the scatter plot: labelled points in braille, a cursor moved by the arrow keys."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from seqtui.scatter import Cell, Layout, layout, step

if TYPE_CHECKING:
    from textual.app import RenderResult


class ScatterPlot(Widget, can_focus=True):
    """Points with labels, laid out by :func:`seqtui.scatter.layout`; one point is selected.

    The arrow keys move the selection to the nearest point in that direction, a click selects
    the point under the mouse, and enter chooses the selected point. The owner sets
    :attr:`highlighted` (for example, the selected point's neighbours).
    """

    DEFAULT_CSS = """
    ScatterPlot {
        height: 1fr;
        width: 1fr;
        border: round $primary 40%;
        border-title-color: $text;
        border-subtitle-color: $text-muted;
        &:focus {
            border: round $accent;
        }
        & > .scatter-plot--point {
            color: $text-muted;
        }
        & > .scatter-plot--highlighted {
            color: $warning;
        }
        & > .scatter-plot--selected {
            color: $accent;
        }
        & > .scatter-plot--label {
            color: $text 70%;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "scatter-plot--point", "scatter-plot--highlighted", "scatter-plot--selected", "scatter-plot--label",
    }
    """The points, the highlighted points and labels, the selected point and label, other labels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move('left')", "Left", show=False),
        Binding("right", "move('right')", "Right", show=False),
        Binding("up", "move('up')", "Up", show=False),
        Binding("down", "move('down')", "Down", show=False),
        Binding("enter", "choose", "Choose", show=False),
    ]

    class _PointMessage(Message):
        """Something happened to point ``index`` of ``plot``."""

        def __init__(self, plot: ScatterPlot, index: int) -> None:
            super().__init__()
            self.plot = plot
            self.index = index

        @property
        def control(self) -> ScatterPlot:
            """The plot."""
            return self.plot

    class Selected(_PointMessage):
        """The selection moved to another point."""

    class Chosen(_PointMessage):
        """Enter on the selected point."""

    points: reactive[tuple[tuple[float, float], ...]] = reactive((), layout=False)
    """Each point's (x, y), x to the right and y up, any scale."""
    labels: reactive[tuple[str, ...]] = reactive(())
    """One label per point."""
    selected: reactive[int] = reactive(0)
    """The index of the selected point."""
    highlighted: reactive[frozenset[int]] = reactive(frozenset())
    """Points drawn (and labelled) in the highlight colour."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._plot_layout: Layout | None = None

    def plot(self, points: Sequence[tuple[float, float]], labels: Sequence[str], selected: int = 0) -> None:
        """Show new points (with their labels) and select one."""
        self.set_reactive(ScatterPlot.points, tuple(points))
        self.set_reactive(ScatterPlot.labels, tuple(labels))
        self.set_reactive(ScatterPlot.highlighted, frozenset())
        self.set_reactive(ScatterPlot.selected, selected if 0 <= selected < len(points) else 0)
        self._plot_layout = None
        self.refresh()
        if points:
            self.post_message(self.Selected(self, self.selected))

    def current_layout(self) -> Layout:
        """The layout drawn last (or one for the current size)."""
        if self._plot_layout is None or (self._plot_layout.width, self._plot_layout.height) != self._plot_size():
            self._plot_layout = self._new_layout()
        return self._plot_layout

    def _plot_size(self) -> tuple[int, int]:
        return max(1, self.content_size.width), max(1, self.content_size.height)

    def _new_layout(self) -> Layout:
        width, height = self._plot_size()
        return layout(self.points, self.labels, width, height, self.selected if self.points else None, self.highlighted)

    def watch_selected(self, old: int, new: int) -> None:
        self._plot_layout = None
        if self.points and old != new:
            self.post_message(self.Selected(self, new))

    def watch_highlighted(self) -> None:
        self._plot_layout = None

    def watch_points(self) -> None:
        self._plot_layout = None

    def watch_labels(self) -> None:
        self._plot_layout = None

    def render(self) -> RenderResult:
        """The points and their labels, coloured by what each cell shows."""
        if not self.points:
            return Text("")
        self._plot_layout = self._new_layout()
        styles: dict[Cell, Style] = {
            Cell.EMPTY: Style(),
            Cell.POINT: self.get_component_rich_style("scatter-plot--point"),
            Cell.HIGHLIGHTED_POINT: self.get_component_rich_style("scatter-plot--highlighted") + Style(bold=True),
            Cell.SELECTED_POINT: self.get_component_rich_style("scatter-plot--selected") + Style(reverse=True),
            Cell.LABEL: self.get_component_rich_style("scatter-plot--label"),
            Cell.HIGHLIGHTED_LABEL: self.get_component_rich_style("scatter-plot--highlighted"),
            Cell.SELECTED_LABEL: self.get_component_rich_style("scatter-plot--selected") + Style(bold=True),
        }
        out = Text(no_wrap=True, overflow="crop")
        for r, (chars, kinds) in enumerate(zip(self._plot_layout.chars, self._plot_layout.kinds)):
            if r:
                out.append("\n")
            for ch, kind in zip(chars, kinds):
                out.append(ch, styles[kind])
        return out

    # -- keys and mouse -------------------------------------------------------------------------

    def action_move(self, direction: str) -> None:
        """Move the selection to the nearest point in ``direction``."""
        if self.points:
            self.selected = step(self.current_layout().dots, self.selected, direction)

    def action_choose(self) -> None:
        """Choose the selected point."""
        if self.points:
            self.post_message(self.Chosen(self, self.selected))

    def on_click(self, event: events.Click) -> None:
        """Select the point nearest to the click."""
        offset = event.get_content_offset(self)
        if offset is None or not self.points:
            return
        dot_x, dot_y = 2 * offset.x + 0.5, 4 * offset.y + 1.5  # the middle of the clicked cell, in dots
        dots = self.current_layout().dots
        self.selected = min(range(len(dots)), key=lambda i: (dots[i][0] - dot_x) ** 2 + (dots[i][1] - dot_y) ** 2)
