"""Provides the heatmap."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray
from rich.color import Color
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.style import Style
from rich.text import Text
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.app import RenderResult as WidgetRenderResult

RGB: TypeAlias = "tuple[int, int, int]"

SEQUENTIAL_ANCHORS: tuple[RGB, ...] = (
    (68, 1, 84),
    (59, 82, 139),
    (33, 145, 140),
    (94, 201, 98),
    (253, 231, 37),
)
"""Viridis-like scale for data of one sign: dark purple (low) to yellow (high)."""

DIVERGING_ANCHORS: tuple[RGB, ...] = (
    (33, 102, 172),
    (146, 197, 222),
    (247, 247, 247),
    (244, 165, 130),
    (178, 24, 43),
)
"""Blue-white-red scale for signed data: blue (negative), white (zero), red (positive)."""

_NAN_STYLE = Style(dim=True)
_NOTE_STYLE = Style(dim=True, italic=True)
_HIGHLIGHT_STYLE = Style(bold=True, reverse=True)
_INTEGER = re.compile(r"-?\d+")
_MAX_LABEL_WIDTH = 12
_MAX_VERTICAL_LABEL = 6
_COLOUR_BAR_WIDTH = 24


def interpolate(anchors: Sequence[RGB], t: NDArray[np.float64]) -> NDArray[np.uint8]:
    """Map positions in [0, 1] to colours interpolated linearly between evenly spaced anchors.

    Args:
        anchors: At least two RGB colours; the first is 0, the last 1.
        t: Positions, any shape (clipped to [0, 1]; NaN gives the first anchor).

    Returns:
        RGB triples of shape `t.shape + (3,)`.
    """
    table = np.asarray(anchors, dtype=np.float64)  # (k, 3)
    stops = np.linspace(0.0, 1.0, len(table))  # (k,)
    flat = np.nan_to_num(np.clip(np.ravel(t), 0.0, 1.0))  # (n,)
    channels = [np.interp(flat, stops, table[:, channel]) for channel in range(3)]
    rgb = np.rint(np.stack(channels, axis=-1)).astype(np.uint8)  # (n, 3)
    return rgb.reshape(*np.shape(t), 3)


def format_value(value: float, width: int) -> str:
    """Format a number in at most `width` characters, e.g. `0.53`, `-.53`, `1.2e3`.

    Args:
        value: The number.
        width: Maximum number of characters.

    Returns:
        The shortest readable form that fits, or `#` characters if none does.
    """
    if math.isnan(value):
        return "·"
    candidates = [f"{value:.{digits}f}" for digits in (2, 1, 0)]
    candidates += [_short_exponent(f"{value:.{digits}e}") for digits in (2, 1, 0)]
    for candidate in candidates:
        if value != 0 and not candidate.strip("-0.e"):
            continue  # rounds to zero: an exponent says more
        if len(candidate) > width and candidate.lstrip("-").startswith("0."):
            candidate = candidate.replace("0.", ".", 1)
        if len(candidate) <= width:
            return candidate
    return "~0"[:width] if abs(value) < 1 else "#" * width


def _short_exponent(number: str) -> str:
    """Drop the plus sign and leading zeros of an exponent: `1.5e+05` becomes `1.5e5`."""
    mantissa, _, exponent = number.partition("e")
    sign = "-" if exponent.startswith("-") else ""
    return f"{mantissa}e{sign}{exponent.lstrip('+-').lstrip('0') or '0'}"


def _fit(label: str, width: int) -> str:
    """Cut `label` to `width` characters, marking a cut with an ellipsis."""
    if len(label) <= width:
        return label
    return label[: max(width - 1, 0)] + "…" if width > 0 else ""


class HeatmapRenderable:
    """A Rich renderable showing a matrix as coloured cells, one cell per value.

    Lines, top to bottom: an optional title, column labels, one line per (shown) row with
    its label on the left, a note when columns are cut off, and a colour bar with the ends
    of the scale. Data with both signs uses a diverging blue-white-red scale centred on 0,
    otherwise a viridis-like sequential scale. NaN cells show a dim dot.
    """

    def __init__(
        self,
        values: ArrayLike,
        row_labels: Sequence[str] | None = None,
        col_labels: Sequence[str] | None = None,
        title: str | None = None,
        vmin: float | None = None,
        vmax: float | None = None,
        diverging: bool | None = None,
        cell_width: int = 2,
        show_values: bool = False,
        highlight_col: int | None = None,
        transpose: bool = False,
        max_rows: int | None = None,
    ) -> None:
        """Create a heatmap.

        Args:
            values: A 2-D array (rows x columns); a 1-D array is shown as one column.
            row_labels: One label per row, shown on the left.
            col_labels: One label per column, shown on top: one per cell if they fit,
                else every k-th for integers, else vertically.
            title: Optional title line.
            vmin: Value mapped to the low end of the scale (default: the data minimum).
            vmax: Value mapped to the high end of the scale (default: the data maximum).
            diverging: Force (`True`) or forbid (`False`) the diverging scale; `None` picks
                it when the data has both signs. Its open limits are symmetric around 0.
            cell_width: Width of a cell in characters (at least 5 with `show_values`).
            show_values: Print the values in the cells.
            highlight_col: Column (of the drawn matrix) whose label is highlighted; it is
                kept in view when columns are cut off.
            transpose: Draw the transposed matrix (labels are swapped too), e.g. to lay a
                hidden state of shape (n_a, 1) out as one line.
            max_rows: Show at most this many lines of rows (at least 2): the first and last
                rows around a "⋮ N more rows" line.
        """
        array = np.asarray(values, dtype=np.float64)
        if array.ndim == 1:
            array = array[:, None]
        if array.ndim != 2:
            raise ValueError(f"a heatmap needs a 1-D or 2-D array, got shape {array.shape}")
        if transpose:
            array = array.T
            row_labels, col_labels = col_labels, row_labels
        self.values = array
        self.row_labels = list(row_labels) if row_labels is not None else None
        self.col_labels = list(col_labels) if col_labels is not None else None
        self.title = title
        self.cell_width = max(cell_width, 5) if show_values else max(cell_width, 1)
        self.show_values = show_values
        self.highlight_col = highlight_col
        self.max_rows = max_rows
        self.diverging, self.vmin, self.vmax = self._scale(array, vmin, vmax, diverging)

    @staticmethod
    def _scale(
        values: NDArray[np.float64], vmin: float | None, vmax: float | None, diverging: bool | None
    ) -> tuple[bool, float, float]:
        """Choose the colour scale and its limits."""
        finite = values[np.isfinite(values)]
        low = float(finite.min()) if finite.size else 0.0
        high = float(finite.max()) if finite.size else 0.0
        if diverging is None:
            diverging = (low if vmin is None else vmin) < 0 < (high if vmax is None else vmax)
        if diverging:
            # Limits left open are mirrored, so that 0 stays the white middle.
            bound = max(abs(low), abs(high)) if vmin is None and vmax is None else 0.0
            low = -abs(vmax) if vmin is None and vmax is not None else -bound
            high = abs(vmin) if vmax is None and vmin is not None else bound
        return diverging, low if vmin is None else vmin, high if vmax is None else vmax

    @property
    def anchors(self) -> tuple[RGB, ...]:
        """The anchor colours of the scale in use."""
        return DIVERGING_ANCHORS if self.diverging else SEQUENTIAL_ANCHORS

    def positions(self, values: NDArray[np.float64]) -> NDArray[np.float64]:
        """Map values to positions in [0, 1] on the colour scale.

        On a diverging scale whose limits straddle 0, each sign is scaled separately so
        that 0 is always the white middle.

        Args:
            values: Values, any shape.

        Returns:
            Positions of the same shape (NaN stays NaN).
        """
        low, high = self.vmin, self.vmax
        with np.errstate(invalid="ignore", divide="ignore"):
            if self.diverging and low < 0 < high:
                t = np.where(values < 0, 0.5 - 0.5 * values / low, 0.5 + 0.5 * values / high)
            elif high > low:
                t = (values - low) / (high - low)
            else:
                t = np.where(np.isnan(values), np.nan, 0.5)
        return np.clip(t, 0.0, 1.0)

    def colours(self, values: NDArray[np.float64]) -> NDArray[np.uint8]:
        """Map values to RGB colours of the scale in use.

        Args:
            values: Values, any shape.

        Returns:
            RGB triples of shape `values.shape + (3,)`.
        """
        return interpolate(self.anchors, self.positions(values))

    def _label_width(self) -> int:
        """Width of the row-label column (0 without row labels)."""
        if not self.row_labels:
            return 0
        return min(max(len(label) for label in self.row_labels), _MAX_LABEL_WIDTH)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        label_width = self._label_width()
        indent = label_width + 1 if label_width else 0
        columns = max(self.values.shape[1], 1)
        natural = max(indent + columns * self.cell_width, _COLOUR_BAR_WIDTH + 12)
        minimum = indent + self.cell_width
        return Measurement(min(minimum, options.max_width), min(natural, options.max_width))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(1, options.max_width)
        for line in self.render_lines(width):
            line.no_wrap = True
            line.end = "\n"
            line.truncate(width, overflow="ellipsis")
            yield line

    def render_lines(self, width: int) -> list[Text]:
        """Render the heatmap as lines of at most `width` cells.

        Args:
            width: Available width in cells.

        Returns:
            The lines.
        """
        lines = [Text(self.title, style="bold")] if self.title else []
        n_rows, n_cols = self.values.shape
        if self.values.size == 0:
            return lines + [Text("no data", style="dim")]
        label_width = self._label_width()
        indent = label_width + 1 if label_width else 0
        visible = max(1, (width - indent) // self.cell_width)
        start = 0
        if n_cols > visible and self.highlight_col is not None:
            start = min(max(self.highlight_col - visible // 2, 0), n_cols - visible)
        stop = min(n_cols, start + visible)
        lines += self._header(indent, start, stop)
        rgb = self.colours(self.values[:, start:stop])  # (n_rows, shown columns, 3)
        shown_rows = self._shown_rows(n_rows)
        for row in shown_rows:
            if row < 0:
                hidden = n_rows - len(shown_rows) + 1
                marker = "⋮".ljust(label_width) + " "
                lines.append(Text(f"{marker}{hidden} more rows", style=_NOTE_STYLE))
                continue
            line = Text()
            if label_width and self.row_labels:
                label = self.row_labels[row] if row < len(self.row_labels) else ""
                line.append(_fit(label, label_width).ljust(label_width) + " ")
            for offset, value in enumerate(self.values[row, start:stop].tolist()):
                line.append_text(self._cell(value, rgb[row, offset]))
            lines.append(line)
        if stop - start < n_cols:
            note = f"… {n_cols - (stop - start)} more columns"
            if start > 0:
                note += f" (showing {start}–{stop - 1})"
            lines.append(Text(" " * indent + note, style=_NOTE_STYLE))
        lines.append(self._colour_bar(width, indent))
        return lines

    def _shown_rows(self, n_rows: int) -> list[int]:
        """Row indices to draw, with -1 standing for the "more rows" line."""
        limit = self.max_rows
        if limit is None or n_rows <= limit:
            return list(range(n_rows))
        kept = max(limit - 1, 1)
        head = (kept + 1) // 2
        tail = kept - head
        return [*range(head), -1, *range(n_rows - tail, n_rows)]

    def _cell(self, value: float, rgb: NDArray[np.uint8]) -> Text:
        """Render one cell: its colour as background, with the value on top if asked."""
        width = self.cell_width
        if math.isnan(value):
            return Text("·".center(width), style=_NAN_STYLE)
        red, green, blue = (int(channel) for channel in rgb)
        style = Style(bgcolor=Color.from_rgb(red, green, blue))
        if not self.show_values:
            return Text(" " * width, style=style)
        luminance = (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255
        foreground = Color.from_rgb(0, 0, 0) if luminance > 0.5 else Color.from_rgb(255, 255, 255)
        label = format_value(value, width - 1)  # keep a blank between neighbouring values
        return Text(label.rjust(width), style=style + Style(color=foreground))

    def _header(self, indent: int, start: int, stop: int) -> list[Text]:
        """Render the column labels (or a ▼ marker over the highlighted column)."""
        width = self.cell_width
        shown = stop - start
        highlight = self.highlight_col
        if not self.col_labels:
            if highlight is None or not start <= highlight < stop:
                return []
            marker = " " * indent + " " * ((highlight - start) * width) + "▼".center(width)
            return [Text(marker.rstrip(), style="bold")]
        labels = [
            self.col_labels[column] if column < len(self.col_labels) else ""
            for column in range(start, stop)
        ]
        lengths = [len(label) for label in labels]
        longest = max(lengths, default=0)
        crowded = any(a == b == width for a, b in zip(lengths, lengths[1:]))
        if longest < width or (longest == width and not crowded):
            rows = [[label.center(width) for label in labels]]
        elif all(_INTEGER.fullmatch(label) for label in labels if label):
            step = math.ceil((longest + 1) / width)
            chars = [" "] * (shown * width)
            for offset, label in enumerate(labels):
                position = offset * width
                if position + len(label) > shown * width:
                    continue
                if (start + offset) % step == 0 or start + offset == highlight:
                    chars[position : position + len(label)] = label
            text = "".join(chars)
            rows = [[text[offset * width : (offset + 1) * width] for offset in range(shown)]]
        else:
            depth = min(longest, _MAX_VERTICAL_LABEL)
            cut = [_fit(label, depth).ljust(depth) for label in labels]
            rows = [[label[index].center(width) for label in cut] for index in range(depth)]
        header = []
        for cells in rows:
            line = Text(" " * indent)
            for offset, cell in enumerate(cells):
                line.append(cell, style=_HIGHLIGHT_STYLE if start + offset == highlight else "")
            line.rstrip()
            header.append(line)
        return header

    def _colour_bar(self, width: int, indent: int) -> Text:
        """Render the legend: the low end of the scale, a gradient, the high end."""
        if not np.isfinite(self.values).any():
            return Text(" " * indent + "no finite values", style=_NOTE_STYLE)
        low = f"{self.vmin:.3g}"
        high = f"{self.vmax:.3g}"
        bar_width = min(_COLOUR_BAR_WIDTH, width - len(low) - len(high) - 2)
        if bar_width < 2:
            return Text(f"{low}…{high}", style="dim")
        if indent + len(low) + len(high) + 2 + bar_width > width:
            indent = 0
        gradient = interpolate(self.anchors, np.linspace(0.0, 1.0, bar_width))
        line = Text(" " * indent + low + " ", style="dim")
        for red, green, blue in gradient.tolist():
            line.append(" ", style=Style(bgcolor=Color.from_rgb(red, green, blue)))
        line.append(" " + high, style="dim")
        return line


class Heatmap(Widget):
    """A heatmap of a matrix, e.g. hidden states, gate activations or attention weights.

    Sizes itself to its content (`height: auto`); cap tall matrices with `max_rows` or
    lay them out sideways with `transpose`.
    """

    DEFAULT_CSS = """
    Heatmap {
        height: auto;
        padding: 0 1;
    }
    """

    def __init__(
        self,
        values: ArrayLike | None = None,
        *,
        row_labels: Sequence[str] | None = None,
        col_labels: Sequence[str] | None = None,
        title: str | None = None,
        vmin: float | None = None,
        vmax: float | None = None,
        diverging: bool | None = None,
        cell_width: int = 2,
        show_values: bool = False,
        transpose: bool = False,
        max_rows: int | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """Create a heatmap widget.

        Args:
            values: The matrix to show (empty if `None`).
            row_labels: One label per row.
            col_labels: One label per column.
            title: Optional title line.
            vmin: Low end of the colour scale (default: the data minimum).
            vmax: High end of the colour scale (default: the data maximum).
            diverging: Force or forbid the diverging scale (`None`: when data has both signs).
            cell_width: Width of a cell in characters.
            show_values: Print the values in the cells.
            transpose: Draw the transposed matrix.
            max_rows: Show at most this many lines of rows.
            name: The name of the widget.
            id: The ID of the widget in the DOM.
            classes: The CSS classes of the widget.
            disabled: Whether the widget is disabled.
        """
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.vmin = vmin
        self.vmax = vmax
        self.diverging = diverging
        self.cell_width = cell_width
        self.show_values = show_values
        self.transpose = transpose
        self.max_rows = max_rows
        self._values: NDArray[np.float64] = np.empty((0, 0))
        self._row_labels: Sequence[str] | None = None
        self._col_labels: Sequence[str] | None = None
        self._title: str | None = None
        self._highlight_col: int | None = None
        if values is not None:
            self.update(values, row_labels=row_labels, col_labels=col_labels, title=title)
        else:
            self._row_labels, self._col_labels, self._title = row_labels, col_labels, title

    @property
    def values(self) -> NDArray[np.float64]:
        """The matrix shown (as given, before any transpose)."""
        return self._values

    def update(
        self,
        values: ArrayLike,
        *,
        row_labels: Sequence[str] | None = None,
        col_labels: Sequence[str] | None = None,
        title: str | None = None,
        highlight_col: int | None = None,
    ) -> None:
        """Show a new matrix; labels and title are replaced too (`None` removes them).

        Args:
            values: A 2-D array (a 1-D array is shown as one column).
            row_labels: One label per row.
            col_labels: One label per column.
            title: Optional title line.
            highlight_col: Column of the drawn matrix to highlight.
        """
        self._values = np.array(values, dtype=np.float64)
        self._row_labels = row_labels
        self._col_labels = col_labels
        self._title = title
        self._highlight_col = highlight_col
        self.refresh(layout=True)

    @property
    def renderable(self) -> HeatmapRenderable:
        """The Rich renderable for the current matrix."""
        return HeatmapRenderable(
            self._values,
            row_labels=self._row_labels,
            col_labels=self._col_labels,
            title=self._title,
            vmin=self.vmin,
            vmax=self.vmax,
            diverging=self.diverging,
            cell_width=self.cell_width,
            show_values=self.show_values,
            highlight_col=self._highlight_col,
            transpose=self.transpose,
            max_rows=self.max_rows,
        )

    def render(self) -> WidgetRenderResult:
        """Render the heatmap.

        Returns:
            A `HeatmapRenderable`.
        """
        return self.renderable
