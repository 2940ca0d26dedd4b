"""Provides the jazz tab's Train view: what a run learns from, and the training panel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.reactive import reactive
from textual.widgets import Static, TabPane

from seqtui.tabs.jazz.music import chord_source
from seqtui.widgets.training_panel import TrainingPanel


def training_source(music: Any, melody_track: int | None, chord_track: int | None) -> Text:
    """What ``t`` trains on, in words (``music``: a MusicFile from ``open_music``, or None for the corpus)."""
    if music is None:
        what: tuple[tuple[str, str], ...] = (("the ragtime in music21's corpus", "bold"),
                                             (" (or type a MIDI / MusicXML file in 'file')", "dim"))
    else:
        what = ((Path(music.path).name, "bold"), (", melody ", "dim"),
                (f"track {melody_track}" if melody_track else "none", "bold"),
                (", chords from ", "dim"), (chord_source(music, chord_track), "bold"))
    return Text.assemble(("Learns from ", "dim"), *what, (" · preset, epochs and seed in the sidebar", "dim"))


class TrainView(TabPane):
    """The training panel, under a line saying which music a run learns from (the tab's choice)."""

    DEFAULT_CSS = """
    TrainView #jazz-train-music {
        height: auto;
        padding: 0 1;
    }
    """

    music: reactive[Any] = reactive(None, init=False, always_update=True)
    """The music file read (a MusicFile from ``open_music``), or ``None`` for the default corpus (the tab's)."""
    melody_track: reactive[int | None] = reactive(None, init=False)
    """The melody's track number (the tab's)."""
    chord_track: reactive[int | None] = reactive(None, init=False)
    """The chords' track number, ``None`` for automatic chords (the tab's)."""

    def __init__(self, *, id: str) -> None:
        super().__init__("Train", id=id)

    def compose(self) -> ComposeResult:
        yield Static(training_source(None, None, None), id="jazz-train-music")
        yield TrainingPanel(id="jazz-train")

    def _show(self) -> None:
        self.query_one("#jazz-train-music", Static).update(
            training_source(self.music, self.melody_track, self.chord_track))

    def watch_music(self) -> None:
        self._show()

    def watch_melody_track(self) -> None:
        self._show()

    def watch_chord_track(self) -> None:
        self._show()
