"""The scatter layout: each point in its braille cell, labels that never overlap, arrow-key steps."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from seqtui.scatter import BRAILLE_BLANK, Cell, layout, short_label, step

LABEL_KINDS = (Cell.LABEL, Cell.HIGHLIGHTED_LABEL, Cell.SELECTED_LABEL)
POINT_KINDS = (Cell.POINT, Cell.HIGHLIGHTED_POINT, Cell.SELECTED_POINT)


def test_corners_land_in_the_corner_cells_and_keep_their_proportions() -> None:
    plot = layout([(0, 0), (1, 1), (1, 0), (0, 1)], ["sw", "ne", "se", "nw"], 20, 10)
    # a square: 40 × 40 dots would fit across but only 40 down, so the square is 40 dots on a side
    xs = sorted({round(x) for x, _ in plot.dots})
    ys = sorted({round(y) for _, y in plot.dots})
    assert ys == [0, 39] and xs[1] - xs[0] == 39
    (sw_col, sw_row), (ne_col, ne_row) = plot.cells[0], plot.cells[1]
    assert sw_row == 9 and ne_row == 0 and ne_col > sw_col  # y up on screen
    assert all(plot.kinds[r][c] == Cell.POINT for c, r in plot.cells)
    assert all(ord(plot.chars[r][c]) > BRAILLE_BLANK for c, r in plot.cells)


def test_points_sharing_a_cell_share_its_braille_character() -> None:
    plot = layout([(0, 0), (0.3, 0), (10, 10)], ["a", "b", "c"], 10, 5)
    assert plot.cells[0] == plot.cells[1]
    col, row = plot.cells[0]
    assert bin(ord(plot.chars[row][col]) - BRAILLE_BLANK).count("1") == 2  # two dots in one cell


def test_the_selected_label_is_placed_first_and_highlighted_ones_next() -> None:
    # two points in a one-line plot with room for one of their labels only
    points, labels = [(0.0, 0.0), (1.0, 0.0)], ["aaaaaaaa", "bbbbbbbb"]
    assert layout(points, labels, 12, 1).labelled == [True, False]  # in the order given
    assert layout(points, labels, 12, 1, selected=1).labelled == [False, True]
    assert layout(points, labels, 12, 1, highlighted=frozenset({1})).labelled == [False, True]
    plot = layout(points, labels, 12, 1, selected=0, highlighted=frozenset({1}))
    assert plot.labelled == [True, False] and plot.hidden == 1
    assert plot.kinds[0][0] == Cell.SELECTED_POINT and plot.kinds[0][11] == Cell.HIGHLIGHTED_POINT
    assert plot.kinds[0][1] == Cell.SELECTED_LABEL


def test_long_labels_end_in_an_ellipsis() -> None:
    assert short_label("a" * 40) == "a" * 15 + "…"
    assert short_label("king") == "king"


coordinates = st.floats(-1e6, 1e6, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(points=st.lists(st.tuples(coordinates, coordinates), min_size=1, max_size=40),
       width=st.integers(1, 60), height=st.integers(1, 20), data=st.data())
def test_labels_never_cover_points_or_touch_each_other(points: list[tuple[float, float]], width: int,
                                                       height: int, data: st.DataObject) -> None:
    labels = data.draw(st.lists(st.text(min_size=1, max_size=20), min_size=len(points), max_size=len(points)))
    selected = data.draw(st.integers(0, len(points) - 1))
    plot = layout(points, labels, width, height, selected=selected)
    assert len(plot.chars) == height and all(len(row) == width for row in plot.chars)
    for col, row in plot.cells:  # every point is drawn, inside the plot
        assert 0 <= col < width and 0 <= row < height
        assert plot.kinds[row][col] in POINT_KINDS
    point_cells = set(plot.cells)
    spans = [span for span in plot.spans if span is not None]
    for row, start, end in spans:
        assert 0 <= start < end <= width and 0 <= row < height
        assert not point_cells & {(c, row) for c in range(start, end)}  # a label never covers a point
    for a in spans:
        for b in spans:
            if a is not b and a[0] == b[0]:
                assert a[2] < b[1] or b[2] < a[1]  # on one row, at least one blank cell apart
    for i, span in enumerate(plot.spans):
        if span is not None:
            row, start, end = span
            assert "".join(plot.chars[row][start:end]) == short_label(labels[i])
    assert plot.hidden == plot.labelled.count(False)


def test_arrows_step_to_the_nearest_point_that_way() -> None:
    dots = [(10.0, 10.0), (20.0, 10.0), (40.0, 11.0), (10.0, 0.0), (0.0, 30.0), (12.0, 30.0)]
    assert step(dots, 0, "right") == 1
    assert step(dots, 1, "right") == 2
    assert step(dots, 2, "right") == 2  # nothing further right: stay
    assert step(dots, 0, "up") == 3  # y grows downwards on screen
    assert step(dots, 0, "down") == 5  # straight ahead beats the same distance at an angle
    assert step(dots, 0, "left") == 0  # (0, 30) is more than 60° away from left
