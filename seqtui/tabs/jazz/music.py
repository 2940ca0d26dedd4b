"""Provides the jazz tab's Music view: the tracks of the file to learn from, and the melody and chords chosen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import DataTable, ProgressBar, Static, TabPane

from seqtui.text import plural

if TYPE_CHECKING:
    from seqtui_models.jazz import ReadProgress

CORPUS = Text.assemble(
    ("Training music: ", "dim"), ("the ragtime in music21's corpus", "bold"), ("\n", ""),
    ("Maple Leaf Rag (Joplin, 1899): the right hand's top line over chords named from the left hand; "
     "Alexander's Ragtime Band (Berlin, 1911): a lead sheet, melody and chord symbols.", ""),
)
"""What the view says while no file is read."""
NO_FILE_HINT = "Type a MIDI or MusicXML path in the 'file' field and press enter to list its tracks."
TRACKS_HINT = "↑/↓ choose · enter: melody track · c: chord track · a: automatic · then t trains on it"

COLUMNS = (("#", 2), ("track", 18), ("instrument", 14), ("notes", 6), ("range", 9), ("at once", 7), ("role", 13))


@dataclass
class MusicReadProgressed(Message):
    """One more track of the music file is read (a big MIDI file takes music21 many seconds).

    Attributes:
        progress: Which track of how many.
    """

    progress: ReadProgress

    def can_replace(self, message: Message) -> bool:
        """A newer progress event supersedes one still waiting in the queue."""
        return isinstance(message, MusicReadProgressed)


@dataclass
class TracksChosen(Message):
    """The user chose the melody track and the chord track (``None``: automatic chords).

    Attributes:
        melody: The melody's track number.
        chords: The chords' track number, or ``None``.
    """

    melody: int | None
    chords: int | None


def chord_source(music: Any, chord_track: int | None) -> str:
    """Where the chords come from, in words (``music``: a MusicFile from ``open_music``)."""
    if chord_track:
        return f"track {chord_track}"
    return "the chord symbols in the file" if music.has_chord_symbols else "the other tracks (or the melody itself)"


def music_summary(music: Any, melody_track: int | None, chord_track: int | None) -> Text:
    """The file, its size and tempo, and the melody and chords chosen."""
    return Text.assemble(
        (f"{music.title}", "bold"),
        (f" — {plural(len(music.tracks), 'track')}, {music.beats_per_bar} quarters per bar, {music.tempo:g} bpm\n", ""),
        ("melody: ", "dim"), (f"track {melody_track}" if melody_track else "none", "bold"),
        (f" ({music.reason})" if melody_track == music.melody else " (your choice)", "dim"),
        ("   chords from: ", "dim"), (chord_source(music, chord_track), "bold"),
    )


class MusicView(TabPane):
    """The tracks of the music file read (the tab's :attr:`music`), and which are the melody and chords.

    Enter on a track makes it the melody, ``c`` takes the chords from it, ``a`` goes back to
    the automatic choice: each posts :class:`TracksChosen`, and the tab hands the choice back down.
    """

    DEFAULT_CSS = """
    MusicView #jazz-music-info, MusicView #jazz-music-hint {
        height: auto;
        padding: 0 1;
    }
    MusicView #jazz-music-hint {
        color: $text-muted;
    }
    MusicView #jazz-read-progress {
        display: none;
        padding: 0 1;
    }
    MusicView.-reading #jazz-read-progress {
        display: block;
    }
    MusicView #jazz-tracks {
        height: 1fr;
        border: round $primary 40%;
        &:focus {
            border: round $accent;
        }
    }
    """

    BINDINGS = [
        Binding("c", "chord_track", "Chord track", show=False),
        Binding("a", "auto_tracks", "Auto tracks", show=False),
    ]

    music: reactive[Any] = reactive(None, init=False, always_update=True)
    """The music file read (a MusicFile from ``open_music``), or ``None`` for the default corpus (the tab's)."""
    melody_track: reactive[int | None] = reactive(None, init=False)
    """The melody's track number (the tab's)."""
    chord_track: reactive[int | None] = reactive(None, init=False)
    """The chords' track number, ``None`` for automatic chords (the tab's)."""
    reading: reactive[ReadProgress | None] = reactive(None, init=False)
    """How far the file being read has got, ``None`` when none is (the tab's)."""

    def __init__(self, *, id: str) -> None:
        super().__init__("Music", id=id)

    def compose(self) -> ComposeResult:
        yield Static(CORPUS, id="jazz-music-info")
        yield ProgressBar(id="jazz-read-progress", show_eta=False)
        yield DataTable(id="jazz-tracks", cursor_type="row", zebra_stripes=True)
        yield Static(NO_FILE_HINT, id="jazz-music-hint")

    def on_mount(self) -> None:
        """Give the tracks table its columns."""
        table = self.query_one(DataTable)
        for label, width in COLUMNS:
            table.add_column(label, width=width)

    # -- showing the tracks ------------------------------------------------------------------

    def watch_music(self, music: Any) -> None:
        self._show()
        if music is not None and music.melody:
            self.query_one(DataTable).move_cursor(row=music.melody - 1)

    def watch_melody_track(self) -> None:
        self._show()

    def watch_chord_track(self) -> None:
        self._show()

    def watch_reading(self, reading: ReadProgress | None) -> None:
        """While a file is read: which track of how many, on a bar (its first track still unknown: a pulse)."""
        self.set_class(reading is not None, "-reading")
        if reading is None:
            self._show()
            return
        bar = self.query_one(ProgressBar)
        bar.update(total=reading.tracks or None, progress=reading.track)
        what = reading.describe() if reading.tracks else f"reading {reading.file}"
        self.query_one("#jazz-music-info", Static).update(Text.assemble((what, "bold"), ("…", "")))
        self.query_one("#jazz-music-hint", Static).update(
            "music21 reads a MIDI file track by track: a big one takes a while")

    def _role(self, number: int, drums: bool) -> str:
        role = "melody" if number == self.melody_track else ""
        if number == self.chord_track:
            role = role + "+chords" if role else "chords"
        return role or ("drums" if drums else "")

    def _show(self) -> None:
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        info = self.query_one("#jazz-music-info", Static)
        hint = self.query_one("#jazz-music-hint", Static)
        if self.music is None:
            info.update(CORPUS)
            hint.update(NO_FILE_HINT)
            return
        for track in self.music.tracks:
            role = self._role(track.number, track.drums)
            table.add_row(str(track.number), track.name, track.instrument or "–", str(track.notes), track.range_text,
                          str(track.polyphony), Text(role, style="bold" if role else ""), key=str(track.number))
        table.move_cursor(row=max(0, min(cursor, table.row_count - 1)))  # the choice keeps its place
        info.update(music_summary(self.music, self.melody_track, self.chord_track))
        hint.update(TRACKS_HINT)

    # -- choosing ----------------------------------------------------------------------------

    def _highlighted(self, role: str) -> int | None:
        """The highlighted track's number, or None (with a warning if it is a drum track)."""
        table = self.query_one(DataTable)
        if self.music is None or table.row_count == 0 or table.cursor_row < 0:
            return None
        track = self.music.tracks[min(table.cursor_row, len(self.music.tracks) - 1)]
        if track.drums:
            self.notify(f"Track {track.number} is a drum track — pick a pitched track for the {role}.",
                        severity="warning")
            return None
        return int(track.number)

    @on(DataTable.RowSelected, "#jazz-tracks")
    def _track_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        number = self._highlighted("melody")
        if number is not None:
            self.post_message(TracksChosen(number, self.chord_track))

    def action_chord_track(self) -> None:
        """Take the chords from the highlighted track (press again to undo)."""
        number = self._highlighted("chords")
        if number is not None:
            self.post_message(TracksChosen(self.melody_track, None if self.chord_track == number else number))

    def action_auto_tracks(self) -> None:
        """Back to the heuristic's melody and automatic chords."""
        if self.music is not None:
            self.post_message(TracksChosen(self.music.melody, None))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``c`` and ``a`` only once a file is read."""
        if action in ("chord_track", "auto_tracks"):
            return self.music is not None
        return True
