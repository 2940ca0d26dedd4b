"""Provides the loss chart."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from time import monotonic
from typing import TYPE_CHECKING, ClassVar, TypeAlias

import numpy as np
from numpy.typing import NDArray
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.style import Style, StyleType
from rich.text import Text
from textual.widget import Widget

from seqtui.text import BRAILLE_BITS, format_number

if TYPE_CHECKING:
    from textual.app import RenderResult as WidgetRenderResult
    from textual.timer import Timer

Points: TypeAlias = "Sequence[tuple[float, float]] | NDArray[np.float64]"
"""Points of a series: `(step, value)` pairs, or an array of shape `(n, 2)`."""

_BRAILLE_CHARS = [" "] + [chr(0x2800 + code) for code in range(1, 256)]
_BRAILLE_BITS = np.array(BRAILLE_BITS, dtype=np.int64)
_AXIS_STYLE = Style(dim=True)


@dataclass(frozen=True)
class Series:
    """One line of a chart.

    Attributes:
        name: Name shown in the legend.
        points: `(step, value)` pairs, or a float array of shape `(n, 2)`.
        style: Rich style of the line and its legend entry (e.g. `"cyan"`, `"dim #4ea1ff"`).
    """

    name: str
    points: Points
    style: StyleType = ""


def _format_step(step: float) -> str:
    """Format an x-axis step: integers as integers, anything else compactly."""
    if math.isfinite(step) and float(step).is_integer() and abs(step) < 1e9:
        return str(int(step))
    return format_number(step, 3)


def _as_array(points: Points) -> NDArray[np.float64]:
    """Convert points to a float array of shape `(n, 2)` (no copy for such arrays)."""
    array = np.asarray(points, dtype=np.float64)
    if array.size == 0:
        return np.empty((0, 2), dtype=np.float64)
    return array.reshape(-1, 2)


def _finite(points: Points, log_y: bool) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return the plottable steps and values of `points`, sorted by step.

    Non-finite points are dropped; with `log_y`, non-positive values too and the values
    are returned as base-10 logarithms.
    """
    array = _as_array(points)
    x, y = array[:, 0], array[:, 1]
    keep = np.isfinite(x) & np.isfinite(y)
    if log_y:
        keep &= y > 0
    if not keep.all():
        x, y = x[keep], y[keep]
    if log_y:
        y = np.log10(y)
    if x.size > 1 and not bool(np.all(x[1:] >= x[:-1])):
        order = np.argsort(x, kind="stable")
        x, y = x[order], y[order]
    return x, y


def _latest(points: Points) -> float | None:
    """Return the value of the last point with a finite value, or `None`."""
    values = _as_array(points)[:, 1]
    if values.size and math.isfinite(values[-1]):
        return float(values[-1])
    finite = np.flatnonzero(np.isfinite(values))
    if finite.size == 0:
        return None
    return float(values[finite[-1]])


def _rasterize(
    x: NDArray[np.float64],
    y: NDArray[np.float64],
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    px_width: int,
    px_height: int,
) -> NDArray[np.bool_]:
    """Draw a polyline onto a dot grid of shape `(px_height, px_width)`, row 0 at the top.

    Points falling into the same dot column are reduced to their min/max span, so the cost
    is linear in the number of points and the result shows the spread of noisy data.
    Neighbouring columns are joined halfway, which keeps the line continuous.
    """
    grid = np.zeros((px_height, px_width), dtype=bool)
    if x.size == 0:
        return grid
    x0, x1 = x_range
    y0, y1 = y_range
    y_scale = (px_height - 1) / (y1 - y0) if y1 > y0 else 0.0
    if x1 > x0:
        # Dot column c holds the steps in [c - 0.5, c + 0.5) after scaling; x is sorted, so a
        # binary search per column finds the groups without touching every point.
        edges = x0 + (np.arange(px_width) - 0.5) * ((x1 - x0) / (px_width - 1))  # (px_width,)
        first_index = np.searchsorted(x, edges, side="left")
        first_index[0] = 0
        filled = np.append(first_index[1:], x.size) > first_index
        used = np.flatnonzero(filled)  # (k,) dot columns holding points
        starts = first_index[filled]  # (k,) first point of each used column
    else:
        used = np.zeros(1, dtype=np.int64)
        starts = np.zeros(1, dtype=np.int64)
    ends = np.append(starts[1:], x.size) - 1  # (k,) last point of each used column
    low = (np.minimum.reduceat(y, starts) - y0) * y_scale  # (k,) dot rows from the bottom
    high = (np.maximum.reduceat(y, starts) - y0) * y_scale
    first = (y[starts] - y0) * y_scale
    last = (y[ends] - y0) * y_scale
    # The polyline through (column, first value) and (column, last value) of each used column,
    # sampled halfway to both neighbours, gives the span that joins the columns.
    line_x = np.repeat(used.astype(np.float64), 2)
    line_y = np.column_stack([first, last]).ravel()
    span = np.arange(used[0], used[-1] + 1)
    left = np.interp(span - 0.5, line_x, line_y)
    right = np.interp(span + 0.5, line_x, line_y)
    bottom = np.minimum(left, right)
    top = np.maximum(left, right)
    offset = used - used[0]
    bottom[offset] = np.minimum(bottom[offset], low)
    top[offset] = np.maximum(top[offset], high)
    bottom_row = np.clip(np.rint(bottom), 0, px_height - 1)
    top_row = np.clip(np.rint(top), 0, px_height - 1)
    dot_rows = np.arange(px_height)[:, None]  # (px_height, 1), counted from the bottom
    grid[:, span] = (dot_rows >= bottom_row[None, :]) & (dot_rows <= top_row[None, :])
    return grid[::-1]


def _braille(grid: NDArray[np.bool_]) -> NDArray[np.int64]:
    """Pack a dot grid of shape `(4 * rows, 2 * cols)` into braille bit masks `(rows, cols)`."""
    px_height, px_width = grid.shape
    cells = grid.reshape(px_height // 4, 4, px_width // 2, 2)
    codes: NDArray[np.int64] = np.einsum("rycx,yx->rc", cells.astype(np.int64), _BRAILLE_BITS)
    return codes


class LossChartRenderable:
    """A Rich renderable drawing line charts with braille dots (2x4 dots per cell).

    The output is exactly `height` lines: an optional title, the plot with y-axis labels
    (max, middle and min) on the left, the first and last step below, and a legend with
    the latest value of each series. Later series are drawn over earlier ones: a cell shows
    the dots of the last series passing through it, so a smoothed line stays visible over
    the band of its noisy raw points.
    """

    def __init__(
        self,
        series: Sequence[Series],
        width: int | None = None,
        height: int | None = 10,
        log_y: bool = False,
        title: str | None = None,
    ) -> None:
        """Create a chart.

        Args:
            series: The lines to draw.
            width: Width in cells, or `None` to fill the available width.
            height: Total height in lines, or `None` for the console's height (10 if unset).
            log_y: Use a logarithmic y axis (non-positive values are skipped).
            title: Optional title line.
        """
        self.series = list(series)
        self.width = width
        self.height = height
        self.log_y = log_y
        self.title = title

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        width = min(self.width or options.max_width, options.max_width)
        return Measurement(min(width, 12), width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(1, min(self.width or options.max_width, options.max_width))
        height = self.height if self.height is not None else (options.height or 10)
        lines = self.render_lines(width, max(1, height))
        for line in lines:
            line.no_wrap = True
            line.overflow = "ellipsis"
            line.end = "\n"
            line.truncate(width, overflow="ellipsis")
            yield line

    def render_lines(self, width: int, height: int) -> list[Text]:
        """Render the chart as a list of exactly `height` lines of at most `width` cells.

        Args:
            width: Width in cells.
            height: Height in lines.

        Returns:
            The lines.
        """
        header = [Text(self.title, style="bold")] if self.title and height > 1 else []
        arrays = [_as_array(series.points) for series in self.series]  # convert lists once
        data = [(series, *_finite(array, self.log_y)) for series, array in zip(self.series, arrays)]
        data = [(series, x, y) for series, x, y in data if x.size]
        plot_rows = height - len(header)
        if not data:
            return self._pad(header + [Text("no data yet", style="dim")], height)
        # Keep at least two plot rows: drop the x labels, then the legend, when short of room.
        show_legend = plot_rows >= 3
        show_x = plot_rows >= 4
        plot_rows -= int(show_legend) + int(show_x)
        x_min = min(float(x[0]) for _, x, _ in data)
        x_max = max(float(x[-1]) for _, x, _ in data)
        y_min = min(float(y.min()) for _, _, y in data)
        y_max = max(float(y.max()) for _, _, y in data)
        if y_max == y_min:
            pad = abs(y_min) * 0.1 or 1.0
            y_min, y_max = y_min - pad, y_max + pad
        labels = self._y_labels(plot_rows, y_min, y_max)
        label_width = max(len(label) for label in labels.values())
        plot_cols = max(1, width - label_width - 1)
        codes = np.zeros((plot_rows, plot_cols), dtype=np.int64)
        owner = np.full((plot_rows, plot_cols), -1, dtype=np.int64)
        for index, (_, x, y) in enumerate(data):
            grid = _rasterize(x, y, (x_min, x_max), (y_min, y_max), plot_cols * 2, plot_rows * 4)
            bits = _braille(grid)
            drawn = bits > 0
            codes[drawn] = bits[drawn]
            owner[drawn] = index
        styles = [series.style for series, _, _ in data]
        lines = list(header)
        for row in range(plot_rows):
            line = Text(labels.get(row, "").rjust(label_width), style=_AXIS_STYLE)
            line.append("┤" if row in labels else "│", style=_AXIS_STYLE)
            line.append_text(self._plot_row(codes[row], owner[row], styles))
            lines.append(line)
        if show_x:
            lines.append(self._x_axis(label_width + 1, plot_cols, x_min, x_max))
        if show_legend:
            lines.append(self._legend(arrays))
        return lines

    @staticmethod
    def _pad(lines: list[Text], height: int) -> list[Text]:
        """Cut or pad `lines` with blank lines to exactly `height` lines."""
        return (lines + [Text() for _ in range(height)])[:height]

    def _y_labels(self, plot_rows: int, y_min: float, y_max: float) -> dict[int, str]:
        """Return the y-axis labels (top, middle and bottom) by plot row."""

        def label(value: float) -> str:
            return format_number(10**value if self.log_y else value, 3)

        labels = {0: label(y_max)}
        if plot_rows > 1:
            labels[plot_rows - 1] = label(y_min)
        if plot_rows > 4:
            # The midpoint lies in (or, for an even number of rows, on the edge of) this row.
            labels[(plot_rows - 1) // 2] = label((y_min + y_max) / 2)
        return labels

    @staticmethod
    def _plot_row(
        codes: NDArray[np.int64], owner: NDArray[np.int64], styles: list[StyleType]
    ) -> Text:
        """Render one row of braille cells, coloured by the topmost series in each cell."""
        text = Text()
        chars = "".join(map(_BRAILLE_CHARS.__getitem__, codes.tolist()))
        changes = np.flatnonzero(np.diff(owner)) + 1
        bounds = [0, *changes.tolist(), len(chars)]
        for start, end in zip(bounds, bounds[1:]):
            index = int(owner[start])
            text.append(chars[start:end], style=styles[index] if index >= 0 else "")
        return text

    @staticmethod
    def _x_axis(indent: int, plot_cols: int, x_min: float, x_max: float) -> Text:
        """Render the x-axis labels: the first step on the left, the last on the right."""
        first = _format_step(x_min)
        last = _format_step(x_max) if x_max > x_min else ""
        gap = plot_cols - len(first) - len(last)
        if gap < 1:
            last, gap = "", plot_cols - len(first)
        return Text(" " * indent + first + " " * max(gap, 0) + last, style=_AXIS_STYLE)

    def _legend(self, arrays: list[NDArray[np.float64]]) -> Text:
        """Render the legend: a marker, the name and the latest value of each series."""
        text = Text()
        for series, array in zip(self.series, arrays):
            latest = _latest(array)
            if text:
                text.append("  ")
            text.append("● " + series.name, style=series.style)
            value = "–" if latest is None else format_number(latest, 4)
            text.append(" " + value, style=series.style)
        return text


def smooth(points: Points, alpha: float = 0.1) -> list[tuple[float, float]]:
    """Smooth points with a bias-corrected exponential moving average (as TensorBoard does).

    `ema_t = (1 - alpha) * ema_(t-1) + alpha * value_t`, divided by `1 - (1 - alpha)^t` so
    the first values are not pulled towards zero. Non-finite values are skipped.

    Args:
        points: `(step, value)` pairs.
        alpha: Weight of the newest value, in (0, 1]; smaller is smoother.

    Returns:
        The smoothed `(step, value)` pairs.
    """
    ema = _Ema(alpha)
    smoothed: list[tuple[float, float]] = []
    for step, value in _as_array(points).tolist():
        result = ema.update(value)
        if result is not None:
            smoothed.append((step, result))
    return smoothed


class _Ema:
    """Incremental bias-corrected exponential moving average."""

    def __init__(self, alpha: float) -> None:
        if not 0 < alpha <= 1:
            raise ValueError(f"alpha must be in (0, 1], got {alpha}")
        self.decay = 1.0 - alpha
        self.last = 0.0
        self.count = 0

    def update(self, value: float) -> float | None:
        """Add a value; return the smoothed value, or `None` if `value` is not finite."""
        if not math.isfinite(value):
            return None
        self.last = self.decay * self.last + (1.0 - self.decay) * value
        self.count += 1
        return self.last / (1.0 - self.decay**self.count)


class _PointBuffer:
    """A growable `(n, 2)` float array with amortised O(1) appends."""

    def __init__(self, capacity: int = 256) -> None:
        self._data = np.empty((capacity, 2), dtype=np.float64)
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def append(self, step: float, value: float) -> None:
        """Append one point, doubling the storage when full."""
        if self._size == len(self._data):
            grown = np.empty((2 * len(self._data), 2), dtype=np.float64)
            grown[: self._size] = self._data[: self._size]
            self._data = grown
        self._data[self._size] = (step, value)
        self._size += 1

    def view(self) -> NDArray[np.float64]:
        """Return the points so far (a view that later appends do not change)."""
        return self._data[: self._size]

    @classmethod
    def from_points(cls, points: Points) -> _PointBuffer:
        """Create a buffer holding a copy of `points`."""
        array = _as_array(points)
        buffer = cls(max(256, 2 * len(array)))
        buffer._data[: len(array)] = array
        buffer._size = len(array)
        return buffer


@dataclass
class _Line:
    """The state of one named series of a `LossChart`."""

    points: _PointBuffer
    slot: int
    smoothed: _PointBuffer | None = None
    ema: _Ema | None = None


class LossChart(Widget):
    """A braille line chart of training curves, e.g. loss per step.

    With `smoothed=True` each series gets a bright smoothed twin (an exponential moving
    average, named with `SMOOTHED_SUFFIX`) drawn over its dim raw points. Updates are coalesced: the chart repaints at most every `REFRESH_INTERVAL`
    seconds however often points arrive. Call its methods from the app's thread.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "loss-chart--series-1",
        "loss-chart--series-2",
        "loss-chart--series-3",
        "loss-chart--series-4",
        "loss-chart--series-5",
        "loss-chart--series-6",
    }
    """
    | Class | Description |
    | :- | :- |
    | `loss-chart--series-N` | Colour of the N-th series (cycled). |
    """

    DEFAULT_CSS = """
    LossChart {
        height: 12;
        padding: 0 1;
    }
    LossChart > .loss-chart--series-1 { color: $primary; }
    LossChart > .loss-chart--series-2 { color: $accent; }
    LossChart > .loss-chart--series-3 { color: $success; }
    LossChart > .loss-chart--series-4 { color: $error; }
    LossChart > .loss-chart--series-5 { color: $secondary; }
    LossChart > .loss-chart--series-6 { color: $warning; }
    """

    REFRESH_INTERVAL: ClassVar[float] = 0.1
    """Minimum time between repaints, in seconds."""

    SMOOTHED_SUFFIX: ClassVar[str] = " (ema)"
    """Appended to a series name to name its smoothed twin in the legend."""

    def __init__(
        self,
        *,
        title: str | None = None,
        log_y: bool = False,
        smoothed: bool = False,
        alpha: float = 0.1,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """Create an empty chart.

        Args:
            title: Optional title line.
            log_y: Use a logarithmic y axis.
            smoothed: Give each series a smoothed twin (exponential moving average).
            alpha: Smoothing weight of the newest value; smaller is smoother.
            name: The name of the widget.
            id: The ID of the widget in the DOM.
            classes: The CSS classes of the widget.
            disabled: Whether the widget is disabled.
        """
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.title = title
        self.log_y = log_y
        self.smoothed = smoothed
        self.alpha = alpha
        self._lines: dict[str, _Line] = {}
        self._last_refresh = -math.inf
        self._refresh_timer: Timer | None = None

    @property
    def series_names(self) -> list[str]:
        """The names of the series, in drawing order."""
        return list(self._lines)

    def points(self, series_name: str) -> NDArray[np.float64]:
        """Return the raw points of a series as an array of shape `(n, 2)`.

        Args:
            series_name: The series.

        Returns:
            The points (empty if there is no such series).
        """
        line = self._lines.get(series_name)
        return line.points.view() if line else np.empty((0, 2))

    def add_point(self, series_name: str, step: float, value: float) -> None:
        """Append a point to a series, creating the series if needed.

        Args:
            series_name: The series.
            step: The x value (e.g. the training step).
            value: The y value (e.g. the loss); non-finite values are stored but not drawn.
        """
        line = self._lines.get(series_name)
        if line is None:
            line = self._new_line(series_name, _PointBuffer())
        line.points.append(step, value)
        if line.ema is not None and line.smoothed is not None:
            smoothed = line.ema.update(value)
            if smoothed is not None:
                line.smoothed.append(step, smoothed)
        self._schedule_refresh()

    def set_series(self, name: str, points: Points) -> None:
        """Replace the points of a series (and recompute its smoothed twin).

        Args:
            name: The series; created if needed.
            points: `(step, value)` pairs or an array of shape `(n, 2)`.
        """
        line = self._lines.get(name)
        slot = line.slot if line else None
        line = self._new_line(name, _PointBuffer.from_points(points), slot)
        if line.ema is not None:
            ema = line.ema
            line.smoothed = _PointBuffer()
            for step, value in line.points.view().tolist():
                result = ema.update(value)
                if result is not None:
                    line.smoothed.append(step, result)
        self._schedule_refresh()

    def clear(self) -> None:
        """Remove all series."""
        self._lines.clear()
        self._schedule_refresh()

    def _new_line(self, name: str, points: _PointBuffer, slot: int | None = None) -> _Line:
        """Register a series, with a smoothed twin if the chart is smoothed."""
        if slot is None:
            slot = len(self._lines) % 6 + 1
        line = _Line(points, slot)
        if self.smoothed:
            line.smoothed = _PointBuffer()
            line.ema = _Ema(self.alpha)
        self._lines[name] = line
        return line

    def _schedule_refresh(self) -> None:
        """Repaint now, or once when `REFRESH_INTERVAL` has passed since the last repaint."""
        if not self.is_mounted:
            self.refresh()
            return
        if self._refresh_timer is not None:
            return
        wait = self._last_refresh + self.REFRESH_INTERVAL - monotonic()
        if wait <= 0:
            self._flush_refresh()
        else:
            self._refresh_timer = self.set_timer(wait, self._flush_refresh)

    def _flush_refresh(self) -> None:
        """Repaint (Textual coalesces repeated requests into one render)."""
        self._refresh_timer = None
        self._last_refresh = monotonic()
        self.refresh()

    def build_series(self) -> list[Series]:
        """Return the series to draw: raw points (dim when smoothed), then smoothed twins.

        Returns:
            The series, styled with the component classes.
        """
        raw: list[Series] = []
        smooth_twins: list[Series] = []
        for name, line in self._lines.items():
            component = f"loss-chart--series-{line.slot}"
            style = Style(color=self.get_component_rich_style(component, partial=True).color)
            if line.smoothed is None:
                raw.append(Series(name, line.points.view(), style))
            else:
                raw.append(Series(name, line.points.view(), style + Style(dim=True)))
                twin_name = name + self.SMOOTHED_SUFFIX
                twin = Series(twin_name, line.smoothed.view(), style + Style(bold=True))
                smooth_twins.append(twin)
        return raw + smooth_twins

    def render(self) -> WidgetRenderResult:
        """Render the chart at the widget's content size.

        Returns:
            A `LossChartRenderable`.
        """
        return LossChartRenderable(
            self.build_series(),
            width=None,
            height=self.content_size.height or None,
            log_y=self.log_y,
            title=self.title,
        )

