"""The piano roll: rendered as text, and as a widget in an app."""

from __future__ import annotations

import asyncio
import io

from rich.console import Console
from rich.text import Text
from textual.app import App, ComposeResult

from seqtui_models.jazz.notes import ChordEvent, NoteEvent, Solo
from seqtui.widgets.piano_roll import (
    CHORD_CELL,
    EMPTY_MESSAGE,
    GUTTER,
    MELODY_CELL,
    MELODY_CUT,
    PLAYHEAD,
    PLAYHEAD_MARK,
    PianoRoll,
    PianoRollStyles,
    render_piano_roll,
)


def plain(text: Text, width: int) -> list[str]:
    """Print into a colourless console of ``width`` and return the lines."""
    console = Console(file=io.StringIO(), width=width, no_color=True, color_system=None)
    console.print(text)
    return console.file.getvalue().rstrip("\n").split("\n")  # type: ignore[attr-defined]


def ii_v_i() -> Solo:
    """Two bars of a ii–V–I: Dm7 (2 beats) G7 (2 beats) Cmaj7 (a bar), and a short line."""
    notes = (
        NoteEvent(0.0, 1.0, 62),
        NoteEvent(1.0, 0.5, 65),
        NoteEvent(1.5, 0.5, 69),
        NoteEvent(2.0, 2.0, 67),
        NoteEvent(4.0, 1.0, 64),
        NoteEvent(5.0, 1.0, 64),  # a repeated note: the first one ends in a half block
    )
    chords = (
        ChordEvent(0.0, 2.0, "Dm7", (50, 53)),
        ChordEvent(2.0, 2.0, "G7", (55, 59)),
        ChordEvent(4.0, 4.0, "Cmaj7", (55, 59)),
    )
    return Solo(notes=notes, chords=chords, tempo=120)


def column_of(line: str, quarter: float, per_quarter: int = 4) -> str:
    """The character at ``quarter`` in a grid line."""
    return line[GUTTER + int(quarter * per_quarter)]


def row(lines: list[str], name: str) -> str:
    """The grid line whose gutter holds the note ``name``."""
    matches = [line for line in lines[2:] if line[: GUTTER - 1].strip().lstrip("↑↓") == name]
    assert len(matches) == 1, (name, lines)
    return matches[0]


def test_chord_symbols_sit_at_their_start_column() -> None:
    lines = plain(render_piano_roll(ii_v_i(), 60, 20), 60)
    symbols = lines[0]
    assert symbols.index("Dm7") == GUTTER + 0
    assert symbols.index("G7") == GUTTER + 2 * 4  # 4 columns per quarter when it fits
    assert symbols.index("Cmaj7") == GUTTER + 4 * 4
    ruler = lines[1]
    assert ruler[GUTTER] == "1" and ruler[GUTTER + 16] == "2"  # bar numbers at the bar lines


def test_chord_symbols_are_cut_before_the_next_chord() -> None:
    solo = Solo(chords=(ChordEvent(0, 1, "Cmaj7#11", (60,)), ChordEvent(1, 1, "F7", (65,))))
    symbols = plain(render_piano_roll(solo, 40, 10), 40)[0]
    assert symbols[GUTTER:].startswith("Cm… F7")  # cut visibly: "Cma" would read as a chord of its own


def test_a_cut_chord_symbol_never_reads_as_another_chord() -> None:
    from seqtui.widgets.piano_roll import fit_symbol

    assert fit_symbol("Emaj7/Eb", 7) == "Emaj7/…" and fit_symbol("Gmaj7", 3) == "Gm…"
    assert fit_symbol("G7", 2) == "G7" and fit_symbol("Gmaj7", 1) == "·"


def test_rows_are_named_semitones_from_high_to_low() -> None:
    lines = plain(render_piano_roll(ii_v_i(), 60, 30), 60)
    names = [line[: GUTTER - 1].strip() for line in lines[2:]]
    assert names[0] == "Bb4" and names[-1] == "Db3"  # the range 50–69 plus a semitone of air, spelt in C
    assert "Db4" in names and "G3" in names and len(names) == 70 - 49 + 1


def test_notes_and_chords_are_drawn_where_they_sound() -> None:
    lines = plain(render_piano_roll(ii_v_i(), 60, 30), 60)
    d4, g4, e4 = row(lines, "D4"), row(lines, "G4"), row(lines, "E4")
    assert d4[GUTTER : GUTTER + 4] == MELODY_CELL * 4  # D4 for a quarter
    assert column_of(d4, 1.0) != MELODY_CELL
    assert g4[GUTTER + 8 : GUTTER + 16] == MELODY_CELL * 8  # G4 for a half note
    assert e4[GUTTER + 16 : GUTTER + 24] == MELODY_CELL * 3 + MELODY_CUT + MELODY_CELL * 4
    d3, b3 = row(lines, "D3"), row(lines, "B3")
    assert column_of(d3, 0.0) == CHORD_CELL and column_of(d3, 1.75) == CHORD_CELL and column_of(d3, 2.0) != CHORD_CELL
    assert column_of(b3, 2.0) == CHORD_CELL and column_of(b3, 7.75) == CHORD_CELL
    assert all(char in " │" for char in row(lines, "C4")[GUTTER:])


def test_the_playhead_is_a_column() -> None:
    solo = ii_v_i()
    seconds = solo.seconds_at(3.0)  # beat 4 of bar 1 → column 12
    lines = plain(render_piano_roll(solo, 60, 30, playhead=seconds), 60)
    assert lines[1][GUTTER + 12] == PLAYHEAD_MARK
    grid = lines[2:]
    assert all(line[GUTTER + 12] in (PLAYHEAD, MELODY_CELL, CHORD_CELL) for line in grid)
    assert row(lines, "C4")[GUTTER + 12] == PLAYHEAD
    assert row(lines, "G4")[GUTTER + 12] == MELODY_CELL  # a sounding note keeps its block
    no_head = plain(render_piano_roll(solo, 60, 30), 60)
    assert not any(PLAYHEAD in line or PLAYHEAD_MARK in line for line in no_head)


def test_the_playhead_gets_its_style() -> None:
    styles = PianoRollStyles()
    text = render_piano_roll(ii_v_i(), 60, 30, playhead=ii_v_i().seconds_at(3.0), styles=styles)
    line = text.split("\n")[2 + 20 - 1]  # some row that is empty at the playhead
    spans = [span for span in line.spans if span.start == GUTTER + 12]
    assert spans and all(span.style.color == styles.playhead.color for span in spans)  # type: ignore[union-attr]


def test_long_solos_page_with_the_playhead() -> None:
    notes = tuple(NoteEvent(i * 1.0, 1.0, 60 + i % 12) for i in range(64))  # 16 bars
    solo = Solo(notes=notes, tempo=120)
    first = plain(render_piano_roll(solo, 45, 20), 45)
    assert first[1][GUTTER] == "1"  # starts at bar 1, 2 columns per quarter (an eighth each)
    assert first[1][GUTTER + 8] == "2"
    later = plain(render_piano_roll(solo, 45, 20, playhead=solo.seconds_at(41.0)), 45)
    ruler = later[1]
    assert ruler[GUTTER : GUTTER + 2] == "11"  # pages of 5 bars (40 columns): bars 11–15 hold quarter 41
    assert ruler[GUTTER + (41 - 40) * 2] == PLAYHEAD_MARK
    moved = plain(render_piano_roll(solo, 45, 20, view_start=17.5), 45)
    assert moved[1][GUTTER:].split()[0] == "5"  # snapped back to the start of bar 5


def test_tall_ranges_keep_the_melody_in_view() -> None:
    solo = Solo(notes=(NoteEvent(0, 1, 72), NoteEvent(1, 1, 76)), chords=(ChordEvent(0, 2, "C", (36, 40, 43)),))
    lines = plain(render_piano_roll(solo, 40, 8), 40)  # 6 rows for 41 semitones
    names = [line[: GUTTER - 1].strip() for line in lines[2:]]
    assert names[0] == "E5" and names[-1].startswith("↓")  # notes below are marked as hidden
    assert len(lines) == 8 and all(len(line) <= 40 for line in lines)


def test_empty_and_tiny() -> None:
    assert plain(render_piano_roll(None, 60, 10), 60) == [EMPTY_MESSAGE]
    assert plain(render_piano_roll(Solo(), 60, 10), 60) == [EMPTY_MESSAGE]
    assert plain(render_piano_roll(Solo(), 10, 10), 60) == [EMPTY_MESSAGE[:10]]
    assert plain(render_piano_roll(ii_v_i(), 30, 2), 60) == ["2 bars, 6 notes"]
    assert plain(render_piano_roll(ii_v_i(), 0, 0), 60) == [""]
    for width, height in ((9, 3), (12, 4), (20, 5)):
        lines = plain(render_piano_roll(ii_v_i(), width, height), 60)
        assert len(lines) <= height and all(len(line) <= width for line in lines)


class RollApp(App[None]):
    """The roll alone, without the app's stylesheet: its colours come from its own DEFAULT_CSS."""

    def compose(self) -> ComposeResult:
        yield PianoRoll()


def test_widget_shows_solos_and_follows_the_playhead() -> None:
    asyncio.run(widget_session())


async def widget_session() -> None:
    app = RollApp()
    notes = tuple(NoteEvent(i * 0.5, 0.5, 60 + i % 7) for i in range(64))  # 8 bars of eighths
    solo = Solo(notes=notes, chords=tuple(ChordEvent(i * 4.0, 4.0, "C7", (48, 52, 58)) for i in range(8)))
    async with app.run_test(size=(50, 20)) as pilot:
        roll = app.query_one(PianoRoll)
        assert roll.render().plain == EMPTY_MESSAGE  # type: ignore[union-attr]
        roll.show(solo)
        roll.focus()
        await pilot.pause()
        ruler = roll.render().plain.split("\n")[1]  # type: ignore[union-attr]
        assert ruler[GUTTER:].split()[0] == "1"
        await pilot.press("right")
        ruler = roll.render().plain.split("\n")[1]  # type: ignore[union-attr]
        assert ruler[GUTTER:].split()[0] == "2"
        roll.set_playhead(solo.seconds_at(26.0))  # bar 7
        ruler = roll.render().plain.split("\n")[1]  # type: ignore[union-attr]
        assert PLAYHEAD_MARK in ruler and ruler[GUTTER:].split()[0] == "6"  # pages of 5 bars
        styles, defaults = roll.styles_for_render(), PianoRollStyles()
        assert styles.melody.color is not None and styles.melody.color != defaults.melody.color  # the theme's $accent
        assert styles.black_key.bgcolor is not None and styles.black_key.bgcolor != defaults.black_key.bgcolor
        roll.set_playhead(None)
        assert PLAYHEAD_MARK not in roll.render().plain  # type: ignore[union-attr]
        roll.show(None)
        assert roll.render().plain == EMPTY_MESSAGE  # type: ignore[union-attr]


def test_a_typed_no_chord_is_labelled_and_leaves_the_roll_silent() -> None:
    from seqtui_models.jazz.chords import parse_progression
    from seqtui_models.jazz.music import make_solo

    melody = [NoteEvent(4.5, 1.0, 72), NoteEvent(9.0, 1.0, 69)]
    solo = make_solo(melody, parse_progression("C7 | N.C. | F7"), 120.0, 4, shift=0.0)
    lines = plain(render_piano_roll(solo, 60, 40), 60)
    assert column_of(lines[0], 0) == "C" and column_of(lines[0], 8) == "F"
    assert lines[0][GUTTER + 16:GUTTER + 20] == "N.C."
    grid = lines[2:]
    assert all(CHORD_CELL not in line[GUTTER + 16:GUTTER + 32] for line in grid)  # the band stops for the bar
    assert MELODY_CELL in column_of(row(lines, "C5"), 4.5)  # the solo goes on


def test_a_short_roll_shows_the_rows_that_hold_the_most_notes() -> None:
    """12 rows for a line that spans two octaves: the rows where it plays most, not the median's ± 6."""
    from seqtui.widgets.piano_roll import layout

    pitches = [60, 61, 62, 63] * 3 + list(range(64, 72)) + list(range(72, 85))  # most of it low, a run up high
    solo = Solo.of([NoteEvent(i * 0.5, 0.5, p) for i, p in enumerate(pitches)])
    rows = layout(solo, 80, 12 + 2).pitches
    assert len(rows) == 12
    assert sum(p in rows for p in pitches) == 20  # C4–B4: 20 of the 33 notes (the median's ± 6 rows held 14)
