"""Tests the loss chart and heatmap renderables and their widgets."""

from __future__ import annotations

import asyncio
import io
import math

import numpy as np
import pytest
from rich.color import Color
from rich.console import Console, RenderableType
from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.app import RenderResult as WidgetRenderResult

from seqtui.widgets.heatmap import DIVERGING_ANCHORS, SEQUENTIAL_ANCHORS, Heatmap, HeatmapRenderable
from seqtui.widgets.loss_chart import LossChart, LossChartRenderable, Series, smooth

WIDTH = 60
BRAILLE = range(0x2801, 0x2900)


def plain_lines(renderable: RenderableType, width: int = WIDTH) -> list[str]:
    """Render without colour and return the lines (trailing spaces stripped)."""
    console = Console(file=io.StringIO(), width=width, no_color=True, color_system=None)
    console.print(renderable)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert text.endswith("\n")
    return [line.rstrip() for line in text[:-1].split("\n")]


def styled_lines(renderable: RenderableType, width: int = WIDTH) -> list[list[Segment]]:
    """Render in truecolor and return the segments of each line."""
    console = Console(
        file=io.StringIO(), width=width, color_system="truecolor", force_terminal=True
    )
    return console.render_lines(renderable, console.options, pad=False, new_lines=False)


def has_braille(text: str) -> bool:
    """Whether `text` holds a non-blank braille cell."""
    return any(ord(char) in BRAILLE for char in text)


def plot_part(line: str) -> str:
    """The plot area of a chart line (right of the y axis)."""
    for axis in "┤│":
        if axis in line:
            return line.split(axis, 1)[1]
    raise AssertionError(f"no y axis in {line!r}")


def bg_triplet(segment: Segment) -> tuple[int, int, int]:
    """The background colour of a segment as an RGB triple."""
    assert segment.style is not None and segment.style.bgcolor is not None
    return tuple(segment.style.bgcolor.get_truecolor())  # type: ignore[return-value]


def cell_segments(line: list[Segment]) -> list[Segment]:
    """The segments of a heatmap row that have a background colour (the cells)."""
    return [segment for segment in line if segment.style is not None and segment.style.bgcolor]


# --- loss chart --------------------------------------------------------------------------------


RISING = Series("loss", [(step, 0.5 + 0.2 * step) for step in range(11)], "cyan")


@pytest.mark.parametrize("height", [1, 2, 3, 4, 6, 10, 15])
@pytest.mark.parametrize("title", [None, "Loss"])
def test_chart_line_count_equals_height(height: int, title: str | None) -> None:
    lines = plain_lines(LossChartRenderable([RISING], height=height, title=title))
    assert len(lines) == height
    assert all(len(line) <= WIDTH for line in lines)


def test_chart_fills_width_and_fits_narrow_consoles() -> None:
    for width in (20, 60, 120):
        lines = plain_lines(LossChartRenderable([RISING], height=8), width=width)
        assert max(len(line) for line in lines) == width
        assert all(len(line) <= width for line in lines)


def test_chart_axis_labels_show_min_max_and_steps() -> None:
    lines = plain_lines(LossChartRenderable([RISING], height=10))
    plot = lines[:8]
    assert plot[0].lstrip().startswith("2.5┤")
    assert plot[-1].lstrip().startswith("0.5┤")
    assert any(line.lstrip().startswith("1.5┤") for line in plot[1:-1])
    x_axis = lines[8].split()
    assert x_axis == ["0", "10"]


def test_chart_braille_where_points_are() -> None:
    lines = plain_lines(LossChartRenderable([RISING], height=10))
    top, bottom = plot_part(lines[0]), plot_part(lines[7])
    # A rising line: top right and bottom left are drawn, the opposite corners are empty.
    assert has_braille(top[-3:]) and not has_braille(top[:10])
    assert has_braille(bottom[:3]) and len(bottom) < len(top) // 2  # (trailing blanks stripped)
    # The line is continuous: every plot row has dots.
    assert all(has_braille(plot_part(line)) for line in lines[:8])


def test_chart_legend_shows_latest_value_in_series_style() -> None:
    series = [
        Series("train", [(0, 3.0), (1, 2.5), (2, 1.2345)], "#ff0000"),
        Series("val", [(0, 3.1), (2, 1.5)], "#00ff00"),
    ]
    lines = plain_lines(LossChartRenderable(series, height=8))
    assert lines[-1] == "● train 1.234  ● val 1.5"
    legend = styled_lines(LossChartRenderable(series, height=8))[-1]
    colours = {segment.text.strip(): segment.style.color for segment in legend if segment.style}
    assert colours["● train"] == Color.parse("#ff0000")
    assert colours["● val"] == Color.parse("#00ff00")


def test_chart_skips_nan_and_inf() -> None:
    nan, inf = math.nan, math.inf
    points = [(0, 1.0), (1, nan), (2, 2.0), (3, inf), (4, -inf), (5, 3.0), (6, nan)]
    lines = plain_lines(LossChartRenderable([Series("loss", points, "red")], height=8))
    text = "\n".join(lines)
    assert "nan" not in text and "inf" not in text
    assert lines[0].lstrip().startswith("3┤")
    assert lines[5].lstrip().startswith("1┤")
    assert lines[6].split() == ["0", "5"]  # the NaN at step 6 does not widen the x axis
    assert lines[-1] == "● loss 3"  # the latest finite value


@pytest.mark.parametrize(
    "series",
    [[], [Series("loss", [], "red")], [Series("loss", [(0, math.nan), (1, math.inf)], "red")]],
)
def test_chart_without_data_says_so(series: list[Series]) -> None:
    lines = plain_lines(LossChartRenderable(series, height=6, title="Loss"))
    assert lines == ["Loss", "no data yet", "", "", "", ""]
    segments = styled_lines(LossChartRenderable(series, height=6))[0]
    assert all(segment.style and segment.style.dim for segment in segments if segment.text.strip())


def test_chart_single_point() -> None:
    lines = plain_lines(LossChartRenderable([Series("loss", [(7, 2.0)], "red")], height=8))
    assert len(lines) == 8
    drawn = [char for line in lines[:6] for char in plot_part(line) if ord(char) in BRAILLE]
    assert len(drawn) == 1
    assert lines[6].split() == ["7"]
    assert lines[-1] == "● loss 2"


def test_chart_constant_series_is_a_flat_line_in_the_middle() -> None:
    points = [(step, 0.7) for step in range(50)]
    lines = plain_lines(LossChartRenderable([Series("loss", points, "red")], height=9))
    rows = [plot_part(line) for line in lines[:7]]
    drawn = [index for index, row in enumerate(rows) if has_braille(row)]
    assert drawn == [3]
    assert len(rows[3].strip()) == WIDTH - len(lines[0].split("┤")[0]) - 1
    assert lines[3].lstrip().startswith("0.7┤")


def test_chart_log_y() -> None:
    points = [(step, 10.0 ** (3 - step)) for step in range(7)]  # 1000 down to 0.001
    series = Series("loss", points + [(7, 0.0)], "red")  # 0 cannot be drawn on a log axis
    lines = plain_lines(LossChartRenderable([series], height=9, log_y=True))
    assert lines[0].lstrip().startswith("1e+03┤")
    assert lines[3].lstrip().startswith("1┤")
    assert lines[6].lstrip().startswith("0.001┤")
    # A straight line on a log scale: each plot row is drawn.
    assert all(has_braille(plot_part(line)) for line in lines[:7])


def test_chart_many_points_are_downsampled_to_columns() -> None:
    rng = np.random.default_rng(0)
    steps = np.arange(100_000, dtype=np.float64)
    values = rng.normal(size=steps.size)
    values[50_000] = 10.0  # a single spike must survive downsampling (min/max per column)
    series = Series("noise", np.column_stack([steps, values]), "red")
    chart = LossChartRenderable([series], height=12)
    lines = plain_lines(chart)
    assert len(lines) == 12
    assert lines[0].lstrip().startswith("10┤")
    top = plot_part(lines[0])
    assert has_braille(top) and len(top.strip()) <= 2
    assert lines[10].split() == ["0", "99999"]


def test_chart_later_series_drawn_on_top() -> None:
    raw = Series("raw", [(step, float(step % 2)) for step in range(200)], "#0000ff")
    flat = Series("smooth", [(0, 0.5), (199, 0.5)], "#ff0000")
    plot = styled_lines(LossChartRenderable([raw, flat], height=10))[:8]
    colours = {
        segment.style.color.name
        for line in plot
        for segment in line
        if segment.style and segment.style.color and has_braille(segment.text)
    }
    assert colours == {"#0000ff", "#ff0000"}


def test_smooth_is_a_bias_corrected_ema() -> None:
    constant = [(0, 2.0), (1, 2.0), (2, 2.0)]
    assert smooth(constant, alpha=0.1) == pytest.approx(constant)
    assert smooth([(0, 1.0), (1, 3.0)], alpha=1.0) == [(0, 1.0), (1, 3.0)]
    # ema_1 = 0.5 * 1 / (1 - 0.5) = 1; ema_2 = (0.25 + 0.5 * 3) / (1 - 0.25) = 7/3
    result = smooth([(0, 1.0), (1, math.nan), (2, 3.0)], alpha=0.5)
    assert result == pytest.approx([(0, 1.0), (2, 7 / 3)])
    assert smooth([]) == []
    with pytest.raises(ValueError):
        smooth([(0, 1.0)], alpha=0.0)


# --- heatmap -----------------------------------------------------------------------------------


def test_heatmap_one_line_per_row_with_labels() -> None:
    values = np.arange(15, dtype=float).reshape(5, 3)
    labels = ["a0", "a1", "a2", "a3", "a10"]
    heatmap = HeatmapRenderable(
        values, row_labels=labels, col_labels=["f", "i", "o"], title="State"
    )
    lines = plain_lines(heatmap)
    assert lines[0] == "State"
    assert lines[1] == "    f i o"
    assert [line.split()[0] for line in lines[2:7]] == labels
    assert lines[7].split() == ["0", "14"]
    assert len(lines) == 8
    for line in styled_lines(heatmap)[2:7]:
        cells = cell_segments(line)
        assert [len(segment.text) for segment in cells] == [2, 2, 2]


def test_heatmap_scale_ends_match_min_and_max_cells() -> None:
    sequential = HeatmapRenderable(np.array([[0.0, 0.5, 1.0]]))
    cells = cell_segments(styled_lines(sequential)[0])
    assert bg_triplet(cells[0]) == SEQUENTIAL_ANCHORS[0]
    assert bg_triplet(cells[2]) == SEQUENTIAL_ANCHORS[-1]
    assert bg_triplet(cells[0]) != bg_triplet(cells[1]) != bg_triplet(cells[2])

    diverging = HeatmapRenderable(np.array([[-2.0, 0.0, 1.0]]))
    assert diverging.diverging
    cells = cell_segments(styled_lines(diverging)[0])
    assert bg_triplet(cells[0]) == DIVERGING_ANCHORS[0]
    assert bg_triplet(cells[1]) == DIVERGING_ANCHORS[len(DIVERGING_ANCHORS) // 2]  # white
    # Limits are symmetric (±2), so 1 is halfway between white and red.
    assert bg_triplet(cells[2]) not in (DIVERGING_ANCHORS[-1], DIVERGING_ANCHORS[2])
    assert plain_lines(diverging)[-1].split() == ["-2", "2"]

    forced = HeatmapRenderable(np.array([[0.0, 1.0]]), diverging=True, vmax=1.0)
    assert (forced.vmin, forced.vmax) == (-1.0, 1.0)  # the open limit is mirrored
    cells = cell_segments(styled_lines(forced)[0])
    assert bg_triplet(cells[0]) == DIVERGING_ANCHORS[2]
    assert bg_triplet(cells[1]) == DIVERGING_ANCHORS[-1]

    gates = HeatmapRenderable(np.array([0.25, 0.5]), vmin=0.0, vmax=1.0)  # 1-D: one column
    assert gates.values.shape == (2, 1) and not gates.diverging
    assert plain_lines(gates)[-1].split() == ["0", "1"]


def test_heatmap_colour_bar_spans_the_scale() -> None:
    heatmap = HeatmapRenderable(np.array([[0.0012, 0.5]]), row_labels=["r"])
    bar = styled_lines(heatmap)[-1]
    assert plain_lines(heatmap)[-1].split() == ["0.0012", "0.5"]
    cells = cell_segments(bar)
    assert bg_triplet(cells[0]) == SEQUENTIAL_ANCHORS[0]
    assert bg_triplet(cells[-1]) == SEQUENTIAL_ANCHORS[-1]


def test_heatmap_truncates_wide_matrices_with_a_note() -> None:
    values = np.arange(300, dtype=float).reshape(3, 100)
    heatmap = HeatmapRenderable(
        values, row_labels=["x", "y", "z"], col_labels=[str(i) for i in range(100)]
    )
    lines = plain_lines(heatmap)
    shown = (WIDTH - 2) // 2
    assert f"… {100 - shown} more columns" in lines[-2]
    assert all(len(line) <= WIDTH for line in lines)
    assert lines[0].split()[:3] == ["0", "2", "4"]  # integer labels: every k-th
    for line in styled_lines(heatmap)[1:4]:
        assert len(cell_segments(line)) == shown

    focused = HeatmapRenderable(values, row_labels=["x", "y", "z"], highlight_col=90)
    assert "(showing 71–99)" in plain_lines(focused)[-2]


def test_heatmap_attention_matrix_fits_80_columns() -> None:
    rng = np.random.default_rng(0)
    weights = rng.random((10, 30))
    weights /= weights.sum(axis=1, keepdims=True)
    heatmap = HeatmapRenderable(
        weights,
        row_labels=list("2019-03-14"),
        col_labels=list("march 14th, 2019 (thursday)..."),
        highlight_col=3,
    )
    lines = plain_lines(heatmap, width=80)
    assert not any("more columns" in line for line in lines)
    assert all(len(line) <= 80 for line in lines)
    assert lines[0] == "  m a r c h   1 4 t h ,   2 0 1 9   ( t h u r s d a y ) . . ."
    assert len(lines) == 1 + 10 + 1


def test_heatmap_tall_vectors_max_rows_and_transpose() -> None:
    rng = np.random.default_rng(0)
    gates = rng.random((64, 4))
    labels = [f"u{i}" for i in range(64)]
    heatmap = HeatmapRenderable(
        gates, row_labels=labels, col_labels=["f", "i", "c~", "o"], max_rows=10
    )
    lines = plain_lines(heatmap)
    assert lines[0] == "    f i c~o"
    first_words = [line.split()[0] for line in lines[1:11]]
    assert first_words == ["u0", "u1", "u2", "u3", "u4", "⋮", "u60", "u61", "u62", "u63"]
    assert "55 more rows" in lines[6]
    assert len(lines) == 12

    state = rng.normal(size=(64, 1))
    units = [str(i) for i in range(64)]
    heatmap = HeatmapRenderable(state, row_labels=units, transpose=True, cell_width=1)
    lines = plain_lines(heatmap, width=80)
    assert len(lines) == 3  # labels, one row of 64 cells, colour bar
    assert lines[0].startswith("0  3  6")
    assert not any("more columns" in line for line in lines)


def test_heatmap_show_values_with_contrasting_text() -> None:
    values = np.array([[0.0, 1.0], [-0.534, 123456.0]])
    heatmap = HeatmapRenderable(values, show_values=True, diverging=False)
    lines = plain_lines(heatmap)
    assert lines[0].split() == ["0.00", "1.00"]
    assert lines[1].split() == ["-.53", "1e5"]
    cells = cell_segments(styled_lines(heatmap)[1])
    dark, light = cells[0].style, cells[1].style  # viridis: dark purple (min), yellow (max)
    assert dark is not None and light is not None
    assert dark.color == Color.from_rgb(255, 255, 255)
    assert light.color == Color.from_rgb(0, 0, 0)


def test_heatmap_empty_and_nan() -> None:
    assert plain_lines(HeatmapRenderable(np.empty((0, 3)), title="Empty")) == ["Empty", "no data"]
    assert plain_lines(HeatmapRenderable(np.array([]))) == ["no data"]

    values = np.array([[1.0, math.nan], [math.nan, -2.0]])
    with_nan = HeatmapRenderable(values, row_labels=["a", "b"])
    lines = plain_lines(with_nan)
    assert lines[0].startswith("a") and "·" in lines[0]
    assert lines[2].split() == ["-2", "2"]
    assert [len(cell_segments(line)) for line in styled_lines(with_nan)[:2]] == [1, 1]

    all_nan = plain_lines(HeatmapRenderable(np.full((2, 2), math.nan)))
    assert all_nan == ["· ·", "· ·", "no finite values"]

    with pytest.raises(ValueError):
        HeatmapRenderable(np.zeros((2, 2, 2)))


def test_heatmap_long_word_labels_are_vertical() -> None:
    words = ["king", "queen"]
    heatmap = HeatmapRenderable(np.eye(2), row_labels=words, col_labels=words)
    lines = plain_lines(heatmap)
    assert lines[:5] == ["      k q", "      i u", "      n e", "      g e", "        n"]
    assert lines[5:7] == ["king", "queen"]  # (the cells are blanks without colour)


# --- widgets -----------------------------------------------------------------------------------


class WidgetsApp(App[None]):
    """A throwaway app holding one chart and one heatmap."""

    def compose(self) -> ComposeResult:
        yield LossChart(title="Loss", smoothed=True)
        yield Heatmap(max_rows=8)


def widget_text(widget: LossChart | Heatmap) -> list[str]:
    """The rendered lines of a mounted widget."""
    return [widget.render_line(y).text.rstrip() for y in range(widget.size.height)]


def test_widgets_render_in_an_app() -> None:
    async def run() -> None:
        app = WidgetsApp()
        async with app.run_test(size=(80, 24)) as pilot:
            chart = app.query_one(LossChart)
            heatmap = app.query_one(Heatmap)
            for step in range(1000):
                chart.add_point("train", step, 3.0 * math.exp(-step / 200) + 0.1)
            chart.add_point("val", 999, 0.25)
            heatmap.update(
                np.linspace(-1.0, 1.0, 40).reshape(10, 4),
                row_labels=[f"u{i}" for i in range(10)],
                col_labels=["f", "i", "c~", "o"],
                title="Gates",
            )
            await pilot.pause(0.25)

            assert chart.size.height == 12
            lines = widget_text(chart)
            assert lines[0].strip() == "Loss"
            assert "● train 0.1203" in lines[-1]
            assert "● val 0.25" in lines[-1]
            assert "● train (ema) 0.1" in lines[-1]
            assert any(has_braille(line) for line in lines)
            assert [series.name for series in chart.build_series()] == [
                "train",
                "val",
                "train (ema)",
                "val (ema)",
            ]
            primary = Color.parse(app.theme_variables["primary"])
            assert chart.build_series()[2].style.color == primary  # type: ignore[union-attr]

            lines = widget_text(heatmap)
            assert lines[0].strip() == "Gates"
            assert "3 more rows" in "\n".join(lines)
            assert heatmap.size.height == 1 + 1 + 8 + 1

            chart.set_series("val", [(0, 1.0), (10, 0.5)])
            assert chart.points("val").tolist() == [[0.0, 1.0], [10.0, 0.5]]
            chart.clear()
            heatmap.update(np.empty((0, 0)))
            await pilot.pause(0.25)
            assert "no data yet" in "\n".join(widget_text(chart))
            assert widget_text(heatmap)[0].strip() == "no data"
            assert heatmap.size.height == 1

    asyncio.run(run())


def test_chart_coalesces_refreshes() -> None:
    async def run() -> None:
        app = WidgetsApp()
        async with app.run_test(size=(80, 24)) as pilot:
            chart = app.query_one(LossChart)
            renders = 0
            original = chart.render

            def counting_render() -> WidgetRenderResult:
                nonlocal renders
                renders += 1
                return original()

            chart.render = counting_render  # type: ignore[method-assign]
            await pilot.pause(0.15)
            renders = 0
            for step in range(2000):
                chart.add_point("train", step, 1.0 / (step + 1))
            await pilot.pause(0.3)
            assert 1 <= renders <= 4
            assert "● train 0.0005" in widget_text(chart)[-1]

    asyncio.run(run())


def test_form_numbers_say_what_is_wrong() -> None:
    from seqtui_models.core.errors import InvalidInput
    from seqtui.widgets.form import read_number

    assert read_number(" 12 ", "steps") == 12
    assert read_number("0.5", "temperature", float) == 0.5
    assert read_number("", "seed", blank=None) is None
    for text, kind, message in (("", int, "whole number"), ("1.5", int, "whole number"),
                                ("abc", float, "a number"), ("inf", float, "finite")):
        with pytest.raises(InvalidInput, match=message):
            read_number(text, "x", kind)
