"""Provides the piano roll: a solo drawn in the terminal, with chord symbols and a playhead."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Span, Text
from textual.binding import Binding, BindingType
from textual.widget import Widget

from seqtui_models.jazz import CHORD, Solo, pitch_name

if TYPE_CHECKING:
    from textual.app import RenderResult as WidgetRenderResult

EMPTY_MESSAGE = "No solo yet — press g to generate"
GUTTER = 5
"""Width of the note-name gutter: a name right-aligned in 4 cells, then a space."""
HEADER_LINES = 2
"""The chord-symbol line and the bar-number ruler above the grid."""
COLUMN_CHOICES: tuple[int, ...] = (4, 2)
"""Columns per quarter note, finest first: a sixteenth or an eighth per column."""
BLACK_KEYS = frozenset({1, 3, 6, 8, 10})
"""Pitch classes of the black keys (C# D# F# G# A#)."""

MELODY_CELL = "█"
MELODY_CUT = "▌"
"""Last cell of a melody note followed at once by another on the same pitch (a visible gap)."""
CHORD_CELL = "▒"
BAR_LINE = "│"
PLAYHEAD = "┃"
PLAYHEAD_MARK = "▼"
HIDDEN_ABOVE = "↑"
HIDDEN_BELOW = "↓"
_RUNS = re.compile(f"[ {BAR_LINE}{PLAYHEAD}]+|{CHORD_CELL}+|[{MELODY_CELL}{MELODY_CUT}]+")


@dataclass(frozen=True)
class PianoRollStyles:
    """The Rich styles of the piano roll's parts (the widget fills them from its CSS)."""

    melody: Style = field(default_factory=lambda: Style(color="bright_green"))
    chord: Style = field(default_factory=lambda: Style(color="cyan"))
    black_key: Style = field(default_factory=lambda: Style(bgcolor="grey15"))
    gutter: Style = field(default_factory=lambda: Style(color="grey70"))
    bar: Style = field(default_factory=lambda: Style(color="grey39"))
    ruler: Style = field(default_factory=lambda: Style(dim=True))
    symbol: Style = field(default_factory=lambda: Style(bold=True))
    playhead: Style = field(default_factory=lambda: Style(color="yellow", bold=True))
    message: Style = field(default_factory=lambda: Style(dim=True, italic=True))


@dataclass(frozen=True)
class RollLayout:
    """Where things land: which quarters are in view and which pitches are rows.

    Attributes:
        columns_per_quarter: Grid columns per quarter note.
        first_column: Absolute grid column (from the solo's start) shown leftmost.
        visible_columns: Number of grid columns drawn.
        pitches: MIDI pitches of the rows, top (highest) to bottom.
        hidden_above: Some notes lie above the top row.
        hidden_below: Some notes lie below the bottom row.
        sharps: The key signature the row names are spelt in (``Solo.sharps``).
    """

    columns_per_quarter: int
    first_column: int
    visible_columns: int
    pitches: tuple[int, ...]
    hidden_above: bool = False
    hidden_below: bool = False
    sharps: int = 0

    def column(self, offset: float) -> int:
        """The absolute grid column holding ``offset`` (quarter lengths)."""
        return int(math.floor(offset * self.columns_per_quarter + 1e-9))

    def span(self, start: float, end: float) -> tuple[int, int]:
        """Absolute columns ``[first, last)`` covered by an event (at least one column)."""
        first = self.column(start)
        return first, max(first + 1, int(math.ceil(end * self.columns_per_quarter - 1e-9)))

    @property
    def view_start(self) -> float:
        """Quarter length at the left edge of the view."""
        return self.first_column / self.columns_per_quarter


def _all_pitches(solo: Solo) -> list[int]:
    return [note.pitch for note in solo.notes] + [p for chord in solo.chords for p in chord.pitches]


def _busiest(melody: list[int], height: int) -> int:
    """The top row of the ``height`` rows holding the most melody notes (ties: nearest the median's)."""
    middle = sorted(melody)[len(melody) // 2]
    low, high = min(melody), max(melody)
    counts = [0] * (high + 2)
    for pitch in melody:
        counts[pitch] += 1
    below = [0]  # below[k]: notes under pitch k
    for count in counts:
        below.append(below[-1] + count)

    def held(top: int) -> tuple[int, int]:
        return below[top + 1] - below[top + 1 - height], -abs(top - height // 2 - middle)

    return max(range(low + height - 1, high + 1), key=held)


def _rows(solo: Solo, grid_height: int) -> tuple[tuple[int, ...], bool, bool]:
    """Choose the pitch rows: the whole range if it fits, else the melody plus what fits, else the
    rows where the melody plays most."""
    pitches = _all_pitches(solo)
    if not pitches:
        return (), False, False
    low, high = min(pitches), max(pitches)
    if high - low + 1 <= grid_height:
        spare = grid_height - (high - low + 1)
        top = min(high + min(1, spare), 127)  # a semitone of air above and below when it fits
        bottom = max(low - min(1, max(spare - (top - high), 0)), 0)
        return tuple(range(top, bottom - 1, -1)), False, False
    melody = [note.pitch for note in solo.notes if note.part != CHORD] or pitches
    m_low, m_high = min(melody), max(melody)
    if m_high - m_low + 1 <= grid_height:
        spare = grid_height - (m_high - m_low + 1)
        down = min(spare, m_low - low)  # chords usually sit below the melody: show them first
        bottom = m_low - down
        top = min(m_high + (spare - down), high)
    else:
        top = _busiest(melody, grid_height)
        bottom = top - grid_height + 1
    return tuple(range(top, bottom - 1, -1)), high > top, low < bottom


def layout(
    solo: Solo,
    width: int,
    height: int,
    playhead: float | None = None,
    view_start: float | None = None,
    columns_per_quarter: int | None = None,
) -> RollLayout:
    """Fit a solo into ``width`` × ``height`` cells.

    Columns are a sixteenth note if the whole solo fits the width, else an eighth; if even that
    does not fit, the view shows whole bars starting at ``view_start`` (snapped to a bar), or
    else the page of bars holding the ``playhead`` (quarter lengths).
    """
    grid_width = max(width - GUTTER, 1)
    grid_height = max(height - HEADER_LINES, 1)
    quarters = solo.length
    if columns_per_quarter is None:
        fitting = [c for c in COLUMN_CHOICES if math.ceil(quarters * c) + 1 <= grid_width]
        columns_per_quarter = fitting[0] if fitting else COLUMN_CHOICES[-1]
    bar_columns = solo.beats_per_bar * columns_per_quarter
    total = math.ceil(quarters * columns_per_quarter) + 1  # +1: the closing bar line
    first = 0
    if total > grid_width:
        page = max(grid_width // bar_columns, 1) * bar_columns  # whole bars per page
        if view_start is not None:
            first = int(view_start * columns_per_quarter) // bar_columns * bar_columns
        elif playhead is not None:
            first = int(playhead * columns_per_quarter) // page * page
        first = max(min(first, (total - 1) // bar_columns * bar_columns), 0)
    pitches, above, below = _rows(solo, grid_height)
    return RollLayout(columns_per_quarter, first, grid_width, pitches, above, below, solo.sharps)


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width, 0)]


def render_piano_roll(
    solo: Solo | None,
    width: int,
    height: int,
    playhead: float | None = None,
    *,
    view_start: float | None = None,
    columns_per_quarter: int | None = None,
    styles: PianoRollStyles | None = None,
) -> Text:
    """Draw a solo as a piano roll.

    Lines, top to bottom: chord symbols at their start column; a ruler with bar numbers (and
    ▼ over the playhead); then one row per semitone, highest first, with its note name in the
    left gutter. Melody notes are ``█`` blocks, chord tones ``▒``; black-key rows are shaded;
    ``│`` marks the bar lines; the playhead is a ``┃`` column.

    Args:
        solo: The solo, or None before one exists.
        width: Cells across.
        height: Lines down.
        playhead: Seconds since the start of playback, or None.
        view_start: Quarter length to show from when the solo is wider than the view (snapped
            to a bar); by default the page holding the playhead, or the start.
        columns_per_quarter: Force the horizontal scale (default: fit, 4 or 2).
        styles: The colours (default: :class:`PianoRollStyles`).

    Returns:
        At most ``height`` lines of at most ``width`` cells.
    """
    styles = styles or PianoRollStyles()
    width, height = max(width, 0), max(height, 0)
    if solo is None or solo.is_empty:
        return Text(_fit(EMPTY_MESSAGE, width), style=styles.message, no_wrap=True, overflow="crop")
    if height < HEADER_LINES + 1 or width < GUTTER + 4:
        summary = f"{solo.bars} bars, {len(solo.notes)} notes"
        return Text(_fit(summary, width), style=styles.message, no_wrap=True, overflow="crop")
    offset = solo.offset_at(playhead) if playhead is not None else None
    roll = layout(solo, width, height, offset, view_start, columns_per_quarter)
    lines = [_symbol_line(solo, roll, styles), _ruler(solo, roll, offset, styles)]
    lines += _grid(solo, roll, offset, styles)
    return _join(lines[:height])


def _join(lines: list[Text]) -> Text:
    """Join lines with newlines into one Text (faster than ``Text.join`` for many spans)."""
    plain: list[str] = []
    spans: list[Span] = []
    position = 0
    for line in lines:
        spans.extend(Span(position + span.start, position + span.end, span.style) for span in line.spans)
        if line.style:
            spans.insert(len(spans) - len(line.spans), Span(position, position + len(line.plain), line.style))
        plain.append(line.plain)
        position += len(line.plain) + 1
    return Text("\n".join(plain), spans=spans, no_wrap=True, overflow="crop")


def fit_symbol(symbol: str, room: int) -> str:
    """``symbol`` in ``room`` cells; a cut one ends in "…" (or is "·" in one cell), so that it never
    reads as another chord ("Emaj7/Eb" cut to "Emaj7/E", "Gmaj7" to "Gma")."""
    if len(symbol) <= room:
        return symbol
    return symbol[: room - 1] + "…" if room >= 2 else "·"


def _symbol_line(solo: Solo, roll: RollLayout, styles: PianoRollStyles) -> Text:
    """Chord symbols, each at its start column and cut before the next one."""
    chars = [" "] * roll.visible_columns
    chords = sorted(solo.chords, key=lambda chord: chord.start)
    starts = [max(roll.column(chord.start) - roll.first_column, 0) for chord in chords]
    for index, chord in enumerate(chords):
        end = roll.column(chord.end) - roll.first_column
        if end <= 0 or starts[index] >= roll.visible_columns:
            continue  # outside the view
        limit = starts[index + 1] - 1 if index + 1 < len(chords) else roll.visible_columns
        room = max(min(limit, roll.visible_columns) - starts[index], 1)
        for k, char in enumerate(fit_symbol(chord.symbol, room)):
            chars[starts[index] + k] = char
    line = Text(" " * GUTTER)
    line.append("".join(chars).rstrip(), style=styles.symbol)
    return line


def _ruler(solo: Solo, roll: RollLayout, offset: float | None, styles: PianoRollStyles) -> Text:
    """Bar numbers at the bar lines, and ▼ above the playhead."""
    chars = [" "] * roll.visible_columns
    bar_columns = solo.beats_per_bar * roll.columns_per_quarter
    first_bar = -(-roll.first_column // bar_columns)  # first bar line at or after the left edge
    bar = first_bar
    while (column := bar * bar_columns - roll.first_column) < roll.visible_columns:
        if bar < solo.bars:
            label = str(bar + 1)
            for k, char in enumerate(label[: roll.visible_columns - column]):
                chars[column + k] = char
        bar += 1
    line = Text(" " * GUTTER)
    line.append("".join(chars), style=styles.ruler)
    playhead_column = _playhead_column(roll, offset)
    if playhead_column is not None:
        start = GUTTER + playhead_column
        line = line[:start] + Text(PLAYHEAD_MARK, style=styles.playhead) + line[start + 1 :]
    line.rstrip()
    return line


def _playhead_column(roll: RollLayout, offset: float | None) -> int | None:
    """The view column of the playhead, or None when there is none or it is out of view."""
    if offset is None:
        return None
    column = roll.column(offset) - roll.first_column
    return column if 0 <= column < roll.visible_columns else None


def _grid(solo: Solo, roll: RollLayout, offset: float | None, styles: PianoRollStyles) -> list[Text]:
    """One line per pitch row: gutter, then bar lines, chord tones and melody notes."""
    if not roll.pitches:
        return []
    row_of = {pitch: row for row, pitch in enumerate(roll.pitches)}
    n_rows, n_cols = len(roll.pitches), roll.visible_columns
    view_first, view_last = roll.first_column, roll.first_column + n_cols  # absolute, exclusive end
    view_start, view_end = view_first / roll.columns_per_quarter, view_last / roll.columns_per_quarter
    bar_columns = solo.beats_per_bar * roll.columns_per_quarter
    last_bar_line = solo.bars * bar_columns
    bar_row = [
        BAR_LINE if (column + view_first) % bar_columns == 0 and column + view_first <= last_bar_line else " "
        for column in range(n_cols)
    ]
    chars = [list(bar_row) for _ in range(n_rows)]

    def place(start: float, end: float, pitch: int, glyph: str) -> None:
        row = row_of.get(pitch)
        if row is None or end <= view_start or start >= view_end:
            return  # off the rows or out of view
        first, last = roll.span(start, end)
        first, last = max(first, view_first) - view_first, min(last, view_last) - view_first
        chars[row][first:last] = glyph * (last - first)

    def in_view(start: float, end: float) -> bool:
        return end > view_start and start < view_end

    for chord in solo.chords:
        if in_view(chord.start, chord.end):
            for pitch in chord.pitches:
                place(chord.start, chord.end, pitch, CHORD_CELL)
    melody = sorted(
        (note for note in solo.notes if note.part != CHORD and in_view(note.start, note.end)), key=lambda note: note.start
    )
    for note in solo.notes:
        if note.part == CHORD:
            place(note.start, note.end, note.pitch, CHORD_CELL)
    for note in melody:
        place(note.start, note.end, note.pitch, MELODY_CELL)
    onsets = {(note.pitch, roll.column(note.start)) for note in melody}
    for note in melody:
        # A note followed at once by another on its pitch ends in a half block: a visible gap.
        first, last = roll.span(note.start, note.end)
        column = last - 1 - view_first
        note_row = row_of.get(note.pitch)
        if note_row is not None and 0 <= column < n_cols and (note.pitch, last) in onsets and last - 1 > first:
            chars[note_row][column] = MELODY_CUT

    playhead_column = _playhead_column(roll, offset)
    # Blank cells take the bar-line style too (a blank shows no colour), so runs break only at notes.
    kind_styles = {" ": styles.bar, CHORD_CELL: styles.chord, MELODY_CELL: styles.melody}
    row_styles = {  # (black key?, first glyph of a run) → style, combined once per render
        (black, glyph): (styles.black_key if black else Style()) + style
        for black in (False, True) for glyph, style in kind_styles.items()
    }
    for black in (False, True):
        row_styles[(black, BAR_LINE)] = row_styles[(black, PLAYHEAD)] = row_styles[(black, " ")]
        row_styles[(black, MELODY_CUT)] = row_styles[(black, MELODY_CELL)]
    lines = []
    for row, pitch in enumerate(roll.pitches):
        black = pitch % 12 in BLACK_KEYS
        cells = chars[row]
        head_style: Style | None = None
        if playhead_column is not None:
            glyph = cells[playhead_column]
            if glyph in (CHORD_CELL, MELODY_CELL, MELODY_CUT):
                head_style = row_styles[(black, glyph)] + Style(reverse=True)  # the sounding note lights up
            else:
                cells[playhead_column] = PLAYHEAD
                head_style = row_styles[(black, " ")] + styles.playhead
        name = pitch_name(pitch, roll.sharps)
        if row == 0 and roll.hidden_above:
            name = HIDDEN_ABOVE + name
        elif row == n_rows - 1 and roll.hidden_below:
            name = HIDDEN_BELOW + name
        grid = "".join(cells)
        spans = [Span(0, GUTTER, styles.gutter + (styles.black_key if black else Style()))]
        for match in _RUNS.finditer(grid):  # one span per run of blank/bar, chord or melody cells
            spans.append(Span(GUTTER + match.start(), GUTTER + match.end(), row_styles[(black, match.group()[0])]))
        if playhead_column is not None and head_style is not None:
            spans.append(Span(GUTTER + playhead_column, GUTTER + playhead_column + 1, head_style))  # on top
        lines.append(Text(_fit(name, GUTTER - 1).rjust(GUTTER - 1) + " " + grid, spans=spans))
    return lines


class PianoRoll(Widget, can_focus=True):
    """A solo drawn as a piano roll, with chord symbols above and a moving playhead.

    Call :meth:`show` with a solo and :meth:`set_playhead` with the seconds played (None to
    hide it). When the solo is wider than the widget, the view pages along with the playhead;
    ←/→ move it by a bar while nothing plays.
    """

    DEFAULT_CSS = """
    PianoRoll {
        height: 1fr;
        min-height: 6;
        overflow: hidden;
        &:focus {
            background-tint: $foreground 4%;
        }
        & > .piano-roll--melody {
            color: $accent;
        }
        & > .piano-roll--chord {
            color: $secondary;
        }
        & > .piano-roll--black-key {
            background: $panel;
        }
        & > .piano-roll--gutter {
            color: $foreground-muted;
        }
        & > .piano-roll--bar {
            color: $foreground-muted;
        }
        & > .piano-roll--symbol {
            color: $warning;
            text-style: bold;
        }
        & > .piano-roll--playhead {
            color: $error;
            text-style: bold;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "piano-roll--melody",
        "piano-roll--chord",
        "piano-roll--black-key",
        "piano-roll--gutter",
        "piano-roll--bar",
        "piano-roll--symbol",
        "piano-roll--playhead",
    }
    """
    | Class | Description |
    | :- | :- |
    | `piano-roll--melody` | Melody notes. |
    | `piano-roll--chord` | Chord tones. |
    | `piano-roll--black-key` | Background of black-key rows. |
    | `piano-roll--gutter` | Note names. |
    | `piano-roll--bar` | Bar lines. |
    | `piano-roll--symbol` | Chord symbols. |
    | `piano-roll--playhead` | The playhead. |
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "scroll_bars(-1)", "Bar back", show=False),
        Binding("right", "scroll_bars(1)", "Bar on", show=False),
        Binding("home", "scroll_home", "Start", show=False),
    ]

    def __init__(
        self,
        solo: Solo | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """Create a piano roll.

        Args:
            solo: The solo to show (an empty-state message if None).
            name: The name of the widget.
            id: The ID of the widget in the DOM.
            classes: The CSS classes of the widget.
            disabled: Whether the widget is disabled.
        """
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._solo = solo
        self._playhead: float | None = None
        self._view_start: float | None = None

    @property
    def solo(self) -> Solo | None:
        """The solo shown."""
        return self._solo

    @property
    def playhead(self) -> float | None:
        """Seconds at the playhead, or None."""
        return self._playhead

    def show(self, solo: Solo | None) -> None:
        """Show a new solo (None: the empty state), from its start, without a playhead."""
        self._solo = solo
        self._playhead = None
        self._view_start = None
        self.refresh()

    def set_playhead(self, seconds: float | None) -> None:
        """Move the playhead to ``seconds`` since the start (None hides it)."""
        before = self._playhead_cell(self._playhead)
        self._playhead = seconds
        view_moved = seconds is not None and self._view_start is not None
        if seconds is not None:
            self._view_start = None  # follow the playhead
        if view_moved or self._playhead_cell(seconds) != before:
            self.refresh()  # only when the playhead moves to another column: a timer may call often

    def _playhead_cell(self, seconds: float | None) -> int | None:
        """The playhead's column at the finest scale (coarser columns change no more often)."""
        if seconds is None or self._solo is None:
            return None
        return math.floor(self._solo.offset_at(seconds) * COLUMN_CHOICES[0] + 1e-9)

    def action_scroll_bars(self, bars: int) -> None:
        """Move the view by whole bars (only when the solo is wider than the widget)."""
        if self._solo is None or self._solo.is_empty:
            return
        roll = self._layout()
        bar = self._solo.beats_per_bar
        last = max(math.floor((self._solo.length - 1e-9) / bar) * bar, 0)
        self._view_start = min(max(roll.view_start + bars * bar, 0.0), float(last))
        self.refresh()

    def action_scroll_home(self) -> None:
        """Go back to the start of the solo."""
        self._view_start = 0.0
        self.refresh()

    def _layout(self) -> RollLayout:
        assert self._solo is not None
        offset = self._solo.offset_at(self._playhead) if self._playhead is not None else None
        size = self.content_size
        return layout(self._solo, size.width, size.height, offset, self._view_start)

    def styles_for_render(self) -> PianoRollStyles:
        """The Rich styles from this widget's component classes, over the defaults."""
        defaults = PianoRollStyles()

        def pick(component: str, default: Style) -> Style:
            """The component's colour and boldness over the default (its background is the widget's)."""
            css = self.get_component_rich_style(f"piano-roll--{component}", partial=True)
            return default + Style(color=css.color, bold=css.bold)

        black_key = self.get_component_rich_style("piano-roll--black-key", partial=True).bgcolor
        return PianoRollStyles(
            melody=pick("melody", defaults.melody),
            chord=pick("chord", defaults.chord),
            black_key=Style(bgcolor=black_key) if black_key is not None else defaults.black_key,
            gutter=pick("gutter", defaults.gutter),
            bar=pick("bar", defaults.bar),
            ruler=defaults.ruler,
            symbol=pick("symbol", defaults.symbol),
            playhead=pick("playhead", defaults.playhead),
            message=defaults.message,
        )

    def render(self) -> WidgetRenderResult:
        """Render the roll at the widget's content size."""
        size = self.content_size
        return render_piano_roll(
            self._solo, size.width, size.height, self._playhead,
            view_start=self._view_start, styles=self.styles_for_render(),
        )
