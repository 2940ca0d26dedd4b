"""Provides a labelled scatter plot laid out in terminal cells: braille dots, labels that never overlap.

Nothing here imports Textual or Rich: the projection view draws the layout with colours and the
CLI prints it as plain text, so both show the same picture.

* Each cell holds a 2 × 4 braille dot matrix, so a point is placed to half a cell across and a
  quarter of a cell down. A braille dot is about as wide as it is tall, so one scale for x and
  y keeps the plot's proportions: distances on screen are distances on the plane.
* Labels are placed greedily, most important first (the selected point, then the highlighted
  ones, then in the order given), at the first free spot among right, left, above and below
  their point; a label never covers a point or touches another label. Those with no free spot
  are left out and counted.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Final

from seqtui.text import BRAILLE_BITS

BRAILLE_BLANK: Final = 0x2800
LABEL_LIMIT: Final = 16
"""The longest label drawn; longer ones end in "…"."""


class Cell(IntEnum):
    """What a cell of the layout shows, for the colours."""

    EMPTY = 0
    POINT = 1
    HIGHLIGHTED_POINT = 2
    SELECTED_POINT = 3
    LABEL = 4
    HIGHLIGHTED_LABEL = 5
    SELECTED_LABEL = 6


@dataclass
class Layout:
    """A scatter plot laid out in ``width`` × ``height`` cells.

    Attributes:
        chars: ``chars[row][col]``, one character per cell.
        kinds: ``kinds[row][col]``, what the cell shows.
        cells: Each point's (col, row).
        dots: Each point's (x, y) in braille dots, y downwards.
        spans: Each point's label as (row, first col, last col + 1), or None where it found no room.
    """

    width: int
    height: int
    chars: list[list[str]]
    kinds: list[list[Cell]]
    cells: list[tuple[int, int]] = field(default_factory=list)
    dots: list[tuple[float, float]] = field(default_factory=list)
    spans: list[tuple[int, int, int] | None] = field(default_factory=list)

    @property
    def labelled(self) -> list[bool]:
        """Whether each point's label was drawn."""
        return [span is not None for span in self.spans]

    @property
    def hidden(self) -> int:
        """How many labels found no room."""
        return self.spans.count(None)

    def lines(self) -> list[str]:
        """The plot as plain text, one string per row."""
        return ["".join(row).rstrip() for row in self.chars]


def short_label(label: str, limit: int = LABEL_LIMIT) -> str:
    """``label``, ended with "…" if longer than ``limit`` characters."""
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _to_dots(points: Sequence[tuple[float, float]], width: int, height: int) -> list[tuple[float, float]]:
    """Points scaled (one scale for both axes) and centred into the dot grid; y grows downwards."""
    dots_w, dots_h = 2 * width - 1, 4 * height - 1  # the last dot's coordinate on each axis
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    span_x, span_y = x1 - x0, y1 - y0
    scale = min(dots_w / span_x if span_x > 0 else math.inf, dots_h / span_y if span_y > 0 else math.inf)
    if not math.isfinite(scale):
        scale = 1.0  # a single point, or all at one place: draw them in the middle
    pad_x = (dots_w - span_x * scale) / 2
    pad_y = (dots_h - span_y * scale) / 2
    return [(pad_x + (x - x0) * scale, pad_y + (y1 - y) * scale) for x, y in points]


def layout(
    points: Sequence[tuple[float, float]],
    labels: Sequence[str],
    width: int,
    height: int,
    selected: int | None = None,
    highlighted: frozenset[int] = frozenset(),
) -> Layout:
    """Lay ``points`` (x to the right, y up) and their ``labels`` out in ``width`` × ``height`` cells.

    Args:
        points: Each point's (x, y), any scale.
        labels: One label per point.
        width: Cells across (at least 1).
        height: Cells down (at least 1).
        selected: The point drawn as the cursor, labelled first.
        highlighted: Points drawn in the highlight colour, labelled next.
    """
    width, height = max(1, width), max(1, height)
    chars = [[" "] * width for _ in range(height)]
    kinds = [[Cell.EMPTY] * width for _ in range(height)]
    out = Layout(width, height, chars, kinds)
    if not points:
        return out
    bits: dict[tuple[int, int], int] = {}
    for x, y in _to_dots(points, width, height):
        dx, dy = min(2 * width - 1, max(0, round(x))), min(4 * height - 1, max(0, round(y)))
        cell = (dx // 2, dy // 4)
        bits[cell] = bits.get(cell, 0) | BRAILLE_BITS[dy % 4][dx % 2]
        out.cells.append(cell)
        out.dots.append((x, y))
    for (col, row), b in bits.items():
        chars[row][col] = chr(BRAILLE_BLANK + b)
        kinds[row][col] = Cell.POINT
    for i in highlighted:
        if 0 <= i < len(points):
            col, row = out.cells[i]
            kinds[row][col] = Cell.HIGHLIGHTED_POINT
    if selected is not None and 0 <= selected < len(points):
        col, row = out.cells[selected]
        kinds[row][col] = Cell.SELECTED_POINT

    label_cells = [[False] * width for _ in range(height)]

    def fits(row: int, start: int, length: int) -> bool:
        if row < 0 or row >= height or start < 0 or start + length > width:
            return False
        if any(kinds[row][c] != Cell.EMPTY for c in range(start, start + length)):
            return False  # a label never covers a point or another label
        # nor touches another label on its row: one blank cell between two labels
        return not any(label_cells[row][c] for c in (start - 1, start + length) if 0 <= c < width)

    order = sorted(range(len(points)), key=lambda i: (i != selected, i not in highlighted, i))
    out.spans = [None] * len(points)
    for i in order:
        text = short_label(labels[i])
        col, row = out.cells[i]
        n = len(text)
        spots = ((row, col + 1), (row, col - n), (row - 1, col), (row + 1, col), (row - 1, col - n + 1),
                 (row + 1, col - n + 1))
        kind = Cell.SELECTED_LABEL if i == selected else Cell.HIGHLIGHTED_LABEL if i in highlighted else Cell.LABEL
        for r, start in spots:
            if fits(r, start, n):
                for k, ch in enumerate(text):
                    chars[r][start + k] = ch
                    kinds[r][start + k] = kind
                    label_cells[r][start + k] = True
                out.spans[i] = (r, start, start + n)
                break
    return out


DIRECTIONS: Final = {"left": (-1.0, 0.0), "right": (1.0, 0.0), "up": (0.0, -1.0), "down": (0.0, 1.0)}


def step(dots: Sequence[tuple[float, float]], current: int, direction: str) -> int:
    """The point to move to from ``current`` by an arrow key: the nearest one within 60° of
    ``direction`` (``left``, ``right``, ``up`` or ``down``; screen coordinates, y down), straight
    ahead preferred; ``current`` itself if there is none."""
    ux, uy = DIRECTIONS[direction]
    cx, cy = dots[current]
    best, best_cost = current, math.inf
    for i, (x, y) in enumerate(dots):
        dx, dy = x - cx, y - cy  # braille dots are about square, so distances on screen are fair
        distance = math.hypot(dx, dy)
        if i == current or distance == 0:
            continue
        along = (dx * ux + dy * uy) / distance  # cos of the angle to the direction
        if along < 0.5:  # outside ±60°
            continue
        cost = distance * (2 - along)  # straight ahead costs less than the same distance at an angle
        if cost < best_cost:
            best, best_cost = i, cost
    return best
